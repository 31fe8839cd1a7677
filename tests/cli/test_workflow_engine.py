"""The workflow engine through the installed CLI, with a third-party plugin's workflow and the emulator.

Plan, dry run (nothing sent), the --yes rule, concurrent steps, the final file and its manifest,
list/show, and kill -9 at any point then resume without a second submit.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from workflowplugin import PLUGIN_SOURCE

from qwencloud_skills.mediaops.probe import probe

from .conftest import all_output

FAST = ("--poll-interval", "0.1")


@pytest.fixture
def flows(cli, install_plugin):
    install_plugin("acme_pair_flow", PLUGIN_SOURCE, dist="acme-pair-flow")
    return cli


def submits(emulator) -> list:
    return [r for r in emulator.requests if r.method == "POST" and r.path.endswith("video-synthesis")]


def test_dry_run_shows_every_step_and_sends_nothing(flows) -> None:
    result = flows("workflow", "run", "pair", "--prompt", "a lighthouse", "--dry-run")
    assert result.returncode == 0, all_output(result)
    assert "clip-a" in result.stdout and "clip-b" in result.stdout and "local: concat" in result.stdout
    assert "wan2.6-t2v" in result.stdout and "Billed in all:" in result.stdout
    assert submits(flows.emulator) == []
    shown = json.loads(flows("workflow", "run", "pair", "--prompt", "x", "--dry-run", "--format", "json").stdout)
    assert [step["id"] for step in shown["steps"]] == ["clip-a", "clip-b", "join", "stamp"]
    assert shown["jobs"] == 2 and shown["steps"][2]["after"] == ["clip-a", "clip-b"]
    assert submits(flows.emulator) == []


def test_a_billed_plan_needs_yes_when_nobody_can_answer(flows) -> None:
    result = flows("workflow", "run", "pair", "--prompt", "a lighthouse")
    assert result.returncode == 3
    assert "--yes" in result.stderr and "nothing was sent" in result.stderr
    assert submits(flows.emulator) == []


def test_bad_options_are_named_before_anything_is_sent(flows) -> None:
    result = flows("workflow", "run", "pair", "--prompt", "x", "--seconds", "9", "--yes")
    assert result.returncode == 3, all_output(result)
    assert "seconds" in result.stderr and "9" in result.stderr and "Traceback" not in all_output(result)
    missing = flows("workflow", "run", "pair", "--yes")
    assert missing.returncode == 3 and "prompt" in missing.stderr
    assert submits(flows.emulator) == []


def test_a_run_makes_one_final_file_and_a_manifest(flows) -> None:
    result = flows("workflow", "run", "pair", "--prompt", "a lighthouse", "--yes", "--name", "film", *FAST)
    assert result.returncode == 0, all_output(result)
    final = Path(result.stdout.strip().splitlines()[-1])
    assert final.name == "film.mp4" and final.is_file()
    info = probe(final)
    assert abs(info.duration - 4.0) < 0.15 and info.has_audio
    manifest = json.loads(final.with_name("film.workflow.json").read_text())
    tasks = [step["task_id"] for step in manifest["steps"] if step["kind"] == "job"]
    assert len(tasks) == 2 and all(tasks) and manifest["final"] == str(final)
    folder = Path(manifest["folder"])
    assert folder.parent == final.parent and folder.is_dir()  # intermediates in a subfolder
    assert all(Path(f).parent == folder for step in manifest["steps"] for f in step["files"])
    assert len(submits(flows.emulator)) == 2
    listed = json.loads(flows("workflow", "list", "--format", "json").stdout)
    assert listed[0]["id"] == manifest["workflow_id"] and listed[0]["status"] == "done"
    shown = flows("workflow", "show", manifest["workflow_id"])
    assert "clip-a" in shown.stdout and tasks[0] in shown.stdout
    again = flows("workflow", "run", "pair", "--prompt", "a lighthouse", "--yes", "--name", "film", *FAST)
    assert Path(again.stdout.strip().splitlines()[-1]).name == "film_1.mp4"  # never overwritten


def test_independent_jobs_run_at_the_same_time(flows) -> None:
    flows.emulator.config.generation_seconds = 1.5
    result = flows("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    assert result.returncode == 0, all_output(result)
    first, second = submits(flows.emulator)
    assert abs(first.received_at - second.received_at) < 1.0  # the second did not wait for the first


def _ledger(home: Path) -> Path:
    return home / "state" / "ledger.sqlite3" if (home / "state").exists() else next(home.rglob("ledger.sqlite3"))


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


@pytest.mark.parametrize("moment", ["after-first-submit", "after-both-submits", "after-a-download"])
def test_kill_9_then_resume_submits_nothing_twice(flows, isolated_env, moment: str) -> None:
    emulator = flows.emulator
    emulator.config.generation_seconds = 1.0
    process = flows.popen("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    try:
        if moment == "after-first-submit":
            _wait_for(lambda: len(submits(emulator)) >= 1)
        elif moment == "after-both-submits":
            _wait_for(lambda: len(submits(emulator)) >= 2)
        else:  # one download held back: the other clip is saved while this one is still on its way
            from qwencloud_skills.emulator import Fault

            emulator.inject(Fault("download", "delay", delay=3.0, count=1))
            _wait_for(lambda: any(Path(flows.cwd).rglob("clip-*.mp4")))
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    made_before = len(submits(emulator))
    ledger = next(isolated_env.rglob("ledger.sqlite3"))
    with sqlite3.connect(str(ledger)) as db:
        (workflow_id,) = db.execute("SELECT id FROM workflows").fetchone()
    shown = json.loads(flows("workflow", "list", "--format", "json").stdout)
    assert shown[0]["status"] == "stopped"
    resumed = flows("workflow", "resume", workflow_id, *FAST)
    assert resumed.returncode == 0, all_output(resumed)
    assert len(submits(emulator)) == 2  # each job submitted exactly once, across both processes
    final = Path(resumed.stdout.strip().splitlines()[-1])
    assert abs(probe(final).duration - 4.0) < 0.15
    assert "not submitted again" in resumed.stderr or made_before < 2


def test_an_unknown_submit_outcome_is_settled_from_the_task_list_on_resume(flows) -> None:
    from qwencloud_skills.emulator import Fault

    flows.emulator.inject(Fault("submit", "drop", after_accept=True, count=1))  # task made, answer lost
    first = flows("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    assert first.returncode == 5, all_output(first)
    assert "workflow resume" in first.stderr
    workflow_id = json.loads(flows("workflow", "list", "--format", "json").stdout)[0]["id"]
    assert len(submits(flows.emulator)) == 2
    resumed = flows("workflow", "resume", workflow_id, *FAST)
    assert resumed.returncode == 0, all_output(resumed)
    assert "interrupted submit created task" in resumed.stderr
    assert len(submits(flows.emulator)) == 2  # the lost answer's task was found, not paid again
    assert abs(probe(Path(resumed.stdout.strip().splitlines()[-1])).duration - 4.0) < 0.15


def test_a_kill_while_a_submit_is_in_flight_is_settled_on_resume(flows) -> None:
    from qwencloud_skills.emulator import Fault

    flows.emulator.inject(Fault("submit", "delay", delay=1.5, count=1))
    process = flows.popen("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    try:
        _wait_for(lambda: len(submits(flows.emulator)) >= 1)  # sent; its answer held back
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    time.sleep(1.5)  # the held-back submit now creates its task, answering nobody
    workflow_id = json.loads(flows("workflow", "list", "--format", "json").stdout)[0]["id"]
    resumed = flows("workflow", "resume", workflow_id, *FAST)
    assert resumed.returncode == 0, all_output(resumed)
    assert len(submits(flows.emulator)) == 2


def test_an_ambiguous_task_list_leaves_the_decision_to_a_person(flows, canary_key) -> None:
    from qwencloud_skills.emulator import Fault

    flows.emulator.inject(Fault("submit", "drop", after_accept=True, count=2))  # both answers lost
    first = flows("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    assert first.returncode == 5
    workflow_id = json.loads(flows("workflow", "list", "--format", "json").stdout)[0]["id"]
    resumed = flows("workflow", "resume", workflow_id, *FAST)
    assert resumed.returncode == 5, all_output(resumed)
    assert "tasks resolve" in resumed.stderr and "cannot be matched" in resumed.stderr
    assert len(submits(flows.emulator)) == 2  # nothing sent again while it is unclear
    assert canary_key not in all_output(first) + all_output(resumed)


def test_ctrl_c_stops_the_run_keeps_its_jobs_and_prints_the_resume_command(flows) -> None:
    flows.emulator.config.generation_seconds = 2.0
    process = flows.popen("workflow", "run", "pair", "--prompt", "x", "--yes", *FAST)
    _wait_for(lambda: len(submits(flows.emulator)) >= 2)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "workflow resume wf-" in stderr and "Traceback" not in stderr
    workflow_id = json.loads(flows("workflow", "list", "--format", "json").stdout)[0]["id"]
    resumed = flows("workflow", "resume", workflow_id, *FAST)
    assert resumed.returncode == 0, all_output(resumed)
    assert len(submits(flows.emulator)) == 2
