"""`--task-id ID --poll-once` on a running task is answered over the standard library (qwencloud_skills.quickpoll).

The quick path must say exactly what the full (httpx + click) path says, record the same in the
ledger, and step aside for everything it does not handle: ended tasks, errors, odd answers,
proxies. `--output DIR` is not one of its flags (it changes nothing for a running task), so adding
it runs the full path on the same task: the two are compared side by side.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from hostile import HostileServer, Reply

from qwencloud_skills.cli.entry import poll_request

from .test_lazy_imports import modules_after

VIDEO_SKILL = "qwencloud-video-generation"
HEAVY = {"httpx", "click", "pydantic", "pluggy", "tenacity"}


def _running_task(cli) -> str:
    cli.emulator.config.pending_seconds = 600.0  # stays PENDING for the whole test
    return cli("--request", '{"prompt": "a cat", "size": "1280*720", "duration": 5}', "--submit-only").stdout.strip()


def _ledger_row(cli, task_id: str) -> dict:
    home = Path(cli.env["QWEN_SKILLS_HOME"])
    with sqlite3.connect(str(home / "ledger.sqlite3")) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
    return dict(row) if row else {}


def _without_request_id(stdout: str) -> dict:
    answer = json.loads(stdout)
    answer.pop("request_id", None)
    return answer


def _stable(stderr: str) -> str:
    return re.sub(r"\d+ s", "N s", stderr)


def test_only_the_exact_poll_once_shape_is_answered_quickly() -> None:
    assert poll_request(["--task-id", "abc", "--poll-once"]) == ("abc", False)
    assert poll_request(["--poll-once", "--quiet", "--task-id=abc"]) == ("abc", True)
    assert poll_request(["--task-id", "abc", "--poll-once", "--print-response"]) == ("abc", False)
    for argv in (["--task-id", "abc"], ["--poll-once"], ["--task-id", "abc", "--poll-once", "--poll-interval", "5"],
                 ["--task-id", "abc", "--poll-once", "--output", "x"], ["--task-id", "--poll-once"],
                 ["--task-id", "a", "--task-id", "b", "--poll-once"], ["t2v", "--task-id", "abc", "--poll-once"],
                 ["--task-id", "", "--poll-once"], ["--task-id", "abc", "--poll-once", "--poll-once"]):
        assert poll_request(argv) is None, argv


def test_a_running_task_is_answered_without_httpx_click_or_plugins(cli) -> None:
    task_id = _running_task(cli)
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert not HEAVY & loaded
    assert "qwencloud_skills.quickpoll" in loaded


def test_quick_and_full_paths_print_and_record_the_same(cli) -> None:
    task_id = _running_task(cli)
    quick = cli("--task-id", task_id, "--poll-once")
    after_quick = _ledger_row(cli, task_id)
    full = cli("--task-id", task_id, "--poll-once", "--output", str(cli.cwd / "output"))
    after_full = _ledger_row(cli, task_id)
    assert quick.returncode == full.returncode == 2
    assert _without_request_id(quick.stdout) == _without_request_id(full.stdout)
    assert _without_request_id(quick.stdout)["output"]["task_status"] == "PENDING"
    assert _stable(quick.stderr) == _stable(full.stderr)
    assert f"task={task_id} status=PENDING" in quick.stderr and "check again in" in quick.stderr
    for row in (after_quick, after_full):
        assert row["status"] == "PENDING" and row["checked_at"] and row["skill"] == VIDEO_SKILL
    assert after_full["checked_at"] >= after_quick["checked_at"]
    assert cli.emulator.stats().polls[task_id] == 2  # one GET each: the quick path did not fall back
    # --quiet: the answer only.
    quiet = cli("--task-id", task_id, "--poll-once", "--quiet")
    assert quiet.returncode == 2 and quiet.stderr == "" and json.loads(quiet.stdout)["output"]["task_id"] == task_id


def test_a_finished_task_takes_the_full_path_and_is_saved(cli) -> None:
    cli.emulator.config.generation_seconds = 0.2
    task_id = cli("--request", '{"prompt": "a cat", "size": "1280*720", "duration": 5}', "--submit-only").stdout.strip()
    import time

    time.sleep(1.0)
    result = cli("--task-id", task_id, "--poll-once")
    assert result.returncode == 0, result.stderr
    saved = Path(result.stdout.strip().splitlines()[-1])
    assert saved.is_file() and saved.stat().st_size > 0
    assert _ledger_row(cli, task_id)["status"] == "SUCCEEDED"
    again = cli("--task-id", task_id, "--poll-once")  # the ledger says ended: no quick GET, nothing downloaded
    assert again.returncode == 0 and "Already saved" in again.stderr


def test_a_task_submitted_elsewhere_is_adopted_for_this_skill(cli) -> None:
    cli.emulator.config.pending_seconds = 600.0
    import urllib.request

    body = json.dumps({"model": "wan2.6-t2v", "input": {"prompt": "x"}, "parameters": {"size": "1280*720"}}).encode()
    request = urllib.request.Request(
        cli.emulator.api_base + "/services/aigc/video-generation/video-synthesis", data=body,
        headers={"Authorization": f"Bearer {cli.overrides['DASHSCOPE_API_KEY']}",
                 "Content-Type": "application/json", "X-DashScope-Async": "enable"})
    with urllib.request.urlopen(request) as response:
        task_id = json.load(response)["output"]["task_id"]
    result = cli("--task-id", task_id, "--poll-once")
    assert result.returncode == 2, result.stderr
    row = _ledger_row(cli, task_id)
    assert row["skill"] == VIDEO_SKILL and row["status"] == "PENDING"
    assert row["base_url"].rstrip("/") == cli.emulator.api_base.rstrip("/")


def _hostile_runner(cli, server: HostileServer) -> dict:
    return {"QWEN_BASE_URL": server.base_url}


def test_an_error_answer_falls_back_to_the_full_path_and_its_retries(cli, canary_key: str) -> None:
    running = {"output": {"task_id": "t-hostile-1", "task_status": "RUNNING"}, "request_id": "r"}
    with HostileServer() as server:
        server.on("GET", "/api/v1/tasks/t-hostile-1",
                  [Reply.json({"code": "InternalError", "message": "try again"}, status=503), Reply.json(running)])
        result = cli("--task-id", "t-hostile-1", "--poll-once", env=_hostile_runner(cli, server))
        agents = [seen.headers.get("User-Agent", "") for seen in server.seen("GET")]
    assert result.returncode == 2, result.stderr
    assert json.loads(result.stdout)["output"]["task_status"] == "RUNNING"
    assert len(agents) == 2 and "http.client" in agents[0] and "httpx/" in agents[1]


def test_the_key_is_sent_only_as_a_header_and_masked_in_what_the_service_echoes(cli, canary_key: str) -> None:
    echoed = {"output": {"task_id": "t-echo", "task_status": "PENDING", "note": f"key was {canary_key}"},
              "request_id": canary_key}
    with HostileServer() as server:
        server.on("GET", "/api/v1/tasks/t-echo", Reply.json(echoed))
        result = cli("--task-id", "t-echo", "--poll-once", env=_hostile_runner(cli, server))
        seen = server.seen("GET")
    assert result.returncode == 2, result.stderr
    assert len(seen) == 1 and "http.client" in seen[0].headers["User-Agent"]
    assert seen[0].headers["Authorization"] == f"Bearer {canary_key}"
    assert canary_key not in result.stdout + result.stderr
    assert "********" in result.stdout


def test_an_unknown_status_is_left_to_the_full_path_which_warns(cli) -> None:
    odd = {"output": {"task_id": "t-odd", "task_status": "QUEUED"}, "request_id": "r"}
    with HostileServer() as server:
        server.on("GET", "/api/v1/tasks/t-odd", Reply.json(odd))
        result = cli("--task-id", "t-odd", "--poll-once", env=_hostile_runner(cli, server))
        polls = server.count("GET")
    assert result.returncode == 2
    assert "does not know" in result.stderr  # the full path's UnknownStatusWarning
    assert polls == 2


def test_a_proxy_in_the_environment_is_never_bypassed(cli) -> None:
    task_id = _running_task(cli)
    dead_proxy = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    result = cli("--task-id", task_id, "--poll-once", env=dead_proxy)
    assert result.returncode == 1  # the full path went through the (dead) proxy, as httpx is told to
    assert cli.emulator.stats().polls.get(task_id, 0) == 0


def test_a_placeholder_or_bad_task_id_gets_the_full_paths_error(cli) -> None:
    bad = cli("--task-id", "../etc", "--poll-once")
    assert bad.returncode == 3 and "task_id" in bad.stderr
    placeholder = cli("--task-id", "unknown-0123456789ab", "--poll-once")
    assert placeholder.returncode in (1, 3) and "Traceback" not in placeholder.stderr


def test_the_library_entry_point_answers_in_process(cli, monkeypatch) -> None:
    """Called as a function (as the console script does), the quick path exits with the same code."""
    task_id = _running_task(cli)
    code = subprocess.run([sys.executable, "-c", "import sys; from qwencloud_video.cli import main; "
                           f"main(['--task-id', {task_id!r}, '--poll-once'])"],
                          env=cli.env, cwd=cli.cwd, capture_output=True, text=True, timeout=60)
    assert code.returncode == 2 and json.loads(code.stdout)["output"]["task_id"] == task_id


def test_update_check_signals_come_once_as_on_the_full_path(cli, monkeypatch) -> None:
    monkeypatch.delenv("QWEN_SKILLS_NO_UPDATE_CHECK", raising=False)  # a fresh machine: checks not set up yet
    task_id = _running_task(cli)
    quick = cli("--task-id", task_id, "--poll-once")
    full = cli("--task-id", task_id, "--poll-once", "--output", str(cli.cwd / "output"))
    assert quick.returncode == full.returncode == 2
    assert quick.stderr.count("[ACTION_REQUIRED]") == 1
    assert _stable(quick.stderr) == _stable(full.stderr)
