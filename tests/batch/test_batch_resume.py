"""Stopping a batch at any point and running it again: nothing is submitted twice.

kill -9 after some submits or while a submit is in flight (its task then made on the service with
nobody to hear the answer), Ctrl-C (exit 130 and the resume command), and a submit whose answer is
lost (exit 5, then settled from the service's task list on the rerun).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from cli.conftest import all_output

from .conftest import FAST, lines_of, manifest_of, submits, wait_for, write_batch


def saved_names(records) -> list:
    return sorted(Path(name).name for record in records for name in record["files"])


@pytest.mark.parametrize("moment", ["after-some-submits", "while-a-submit-is-in-flight"])
def test_kill_9_mid_batch_then_rerun_submits_nothing_twice(cli, moment: str) -> None:
    from qwencloud_skills.emulator import Fault

    emulator = cli.emulator
    emulator.config.generation_seconds = 1.0
    batch = write_batch(cli.cwd / "k.jsonl", lines_of(10))
    if moment == "while-a-submit-is-in-flight":
        emulator.inject(Fault("submit", "delay", delay=1.5, count=1))  # the first submit's answer is held back
    process = cli.popen("batch", str(batch), "--poll-interval", "0.1", "--submit-rate", "4")
    try:
        if moment == "after-some-submits":
            wait_for(lambda: len(submits(emulator)) >= 4)
        else:
            wait_for(lambda: len(submits(emulator)) >= 1)
            time.sleep(0.3)  # sent, not yet answered
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    if moment == "while-a-submit-is-in-flight":
        time.sleep(1.5)  # the held-back submit now creates its task, answering nobody
    before = len(submits(emulator))
    rerun = cli("batch", str(batch), *FAST)
    assert rerun.returncode == 0, all_output(rerun)
    assert len(emulator.tasks.snapshot()) == 10 and len(submits(emulator)) == 10  # each line paid once
    assert before >= 1
    records = manifest_of(rerun)
    assert saved_names(records) == [f"clip-{n:02d}.mp4" for n in range(1, 11)]  # no clip-XX_1: no second copy
    if moment == "while-a-submit-is-in-flight":
        assert "the interrupted submit created task" in rerun.stderr


def test_ctrl_c_stops_submitting_keeps_every_task_and_prints_the_resume_command(cli) -> None:
    cli.emulator.config.generation_seconds = 3.0
    batch = write_batch(cli.cwd / "c.jsonl", lines_of(12))
    process = cli.popen("batch", str(batch), "--poll-interval", "0.1", "--submit-rate", "4")
    wait_for(lambda: len(submits(cli.emulator)) >= 3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "batch resume" in stderr and str(batch) in stderr and "Traceback" not in stderr
    made = len(submits(cli.emulator))
    assert made < 12
    time.sleep(0.5)
    assert len(submits(cli.emulator)) == made  # nothing more was sent after the stop
    records = [line for line in Path(stdout.strip().splitlines()[-1]).read_text().splitlines() if line]
    assert len(records) == 12
    cli.emulator.config.generation_seconds = 0.2  # the rest go quicker
    resumed = cli("batch", "resume", str(batch), timeout=90)
    assert resumed.returncode == 0, all_output(resumed)
    assert len(submits(cli.emulator)) == 12 and len(cli.emulator.tasks.snapshot()) == 12


def test_a_lost_submit_answer_exits_5_then_the_rerun_settles_it_from_the_task_list(cli) -> None:
    from qwencloud_skills.emulator import Fault

    cli.emulator.inject(Fault("submit", "drop", after_accept=True, count=1))  # the task is made, its answer lost
    batch = write_batch(cli.cwd / "u.jsonl", lines_of(4))
    first = cli("batch", str(batch), *FAST)
    assert first.returncode == 5, all_output(first)
    unknown = [r for r in manifest_of(first) if r["status"] == "unknown"]
    assert len(unknown) == 1 and "NOT retried" in unknown[0]["error"]
    assert sum(r["status"] == "done" for r in manifest_of(first)) == 3  # the other lines went on
    assert "batch resume" in first.stderr
    again = cli("batch", str(batch), *FAST)
    assert again.returncode == 0, all_output(again)
    assert "the interrupted submit created task" in again.stderr
    assert len(cli.emulator.tasks.snapshot()) == 4 and len(submits(cli.emulator)) == 4
    assert all(r["status"] == "done" for r in manifest_of(again))
