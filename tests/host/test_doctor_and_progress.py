"""doctor reports readiness without secrets; progress is live on a TTY and plain in pipes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from qwencloud_skills.cli.progress import Progress
from qwencloud_skills.results import ResultItem
from qwencloud_skills.tasks import TaskStatus


def run_doctor(env_extra: dict, *args: str) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "qwencloud_skills", "doctor", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_doctor_json_never_shows_the_key(emulator, canary_key: str) -> None:
    result = run_doctor({"DASHSCOPE_API_KEY": canary_key, "QWEN_BASE_URL": emulator.base_url}, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["api_key"] == "set" and report["coding_plan"] is False
    assert report["base_url"] == emulator.api_base
    assert report["base_url_status"].startswith("reachable")
    assert report["state_dir_writable"] is True
    assert report["ffmpeg"] != "not found"
    assert any(p["distribution"] == "qwencloud-skills" for p in report["plugins"])
    assert canary_key not in result.stdout + result.stderr


def test_doctor_detects_coding_plan_and_missing_key() -> None:
    plan = json.loads(run_doctor({"DASHSCOPE_API_KEY": "sk-sp-canary999"}, "--format", "json", "--offline").stdout)
    assert plan["coding_plan"] is True
    missing = run_doctor({}, "--offline")
    assert "not set" in missing.stdout


def test_doctor_reports_unreachable_base_url() -> None:
    report = json.loads(run_doctor({"QWEN_BASE_URL": "http://127.0.0.1:9"}, "--format", "json").stdout)
    assert report["base_url_status"].startswith("unreachable")


def status(state: str) -> TaskStatus:
    return TaskStatus("t-1", state, results=[ResultItem(0, url="http://v")] if state == "SUCCEEDED" else [])


def test_plain_progress_lines_in_pipes() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, live=False)
    progress(status("PENDING"), 0)
    progress(status("RUNNING"), 15.2)
    progress(status("SUCCEEDED"), 30)
    assert stream.getvalue().splitlines() == [
        "  [0s] task=t-1 status=PENDING",
        "  [15s] task=t-1 status=RUNNING",
        "  [30s] task=t-1 status=SUCCEEDED result=ready",
    ]


def test_live_progress_rewrites_one_line_on_a_tty() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, live=True)
    progress(status("RUNNING"), 1)
    progress(status("RUNNING"), 2)
    progress(status("SUCCEEDED"), 3)
    text = stream.getvalue()
    assert text.count("\r\x1b[2K") == 2 and "Ctrl-C" in text
    assert text.endswith("status=SUCCEEDED result=ready\n")


def test_quiet_progress_prints_nothing() -> None:
    stream = io.StringIO()
    Progress(quiet=True, stream=stream)(status("RUNNING"), 1)
    assert stream.getvalue() == ""
