"""The first-party video workflows through the installed `qwencloud-video`: plan, billed seconds, kill -9, resume."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from qwencloud_skills.mediaops.probe import probe

from .conftest import all_output

FAST = ("--poll-interval", "0.1")


def submits(emulator) -> int:
    return len([r for r in emulator.requests if r.method == "POST" and r.path.endswith("video-synthesis")])


def test_a_long_video_dry_run_states_every_job_and_the_billed_seconds(cli) -> None:
    result = cli("workflow", "run", "long-video", "--prompt", "a fox in snow", "--duration", "32", "--dry-run")
    assert result.returncode == 0, all_output(result)
    assert "Billed in all: 36 s of 720P video, in 3 jobs" in result.stdout
    assert result.stdout.count("wan2.7-i2v") >= 2 and "wan2.7-t2v" in result.stdout
    shown = json.loads(cli("workflow", "run", "long-video", "--prompt", "x", "--duration", "32", "--dry-run",
                           "--format", "json").stdout)
    assert shown["billed"] == {"s of 720P video": 36.0} and shown["jobs"] == 3
    assert submits(cli.emulator) == 0


def test_a_one_job_limit_points_at_the_workflow_that_does_it(cli) -> None:
    result = cli("--request", json.dumps({"prompt": "a fox", "duration": 20}), "--dry-run")
    assert result.returncode == 3
    assert "workflow run long-video --duration 20" in result.stderr and submits(cli.emulator) == 0


def test_a_killed_long_video_resumes_without_submitting_anything_twice(cli, isolated_env) -> None:
    cli.emulator.config.generation_seconds = 0.8
    process = cli.popen("workflow", "run", "long-video", "--prompt", "a fox", "--duration", "20", "--yes", *FAST)
    try:
        deadline = time.monotonic() + 60
        while submits(cli.emulator) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # segment 1 accepted and being polled
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
    assert submits(cli.emulator) == 1
    workflow_id = json.loads(cli("workflow", "list", "--format", "json").stdout)[0]["id"]
    resumed = cli("workflow", "resume", workflow_id, *FAST, timeout=120)
    assert resumed.returncode == 0, all_output(resumed)
    assert submits(cli.emulator) == 2  # segment 1 polled, not paid again; segment 2 submitted once
    final = Path(resumed.stdout.strip().splitlines()[-1])
    info = probe(final)
    assert abs(info.duration - 20) <= 0.1 and info.has_audio
    manifest = json.loads(final.with_name(final.stem + ".workflow.json").read_text())
    assert [s["status"] for s in manifest["steps"]] == ["done"] * 4
    again = cli("workflow", "resume", workflow_id)
    assert again.returncode == 0 and again.stdout.strip().splitlines()[-1] == str(final)
    assert submits(cli.emulator) == 2
