"""Start-up stays fast because heavy modules load only when a command needs them.

These tests check which modules a command imports (not how long it takes:
timing lives in benchmarks/startup.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

PROBE = """
import json, sys
sys.argv = {argv!r}
from qwencloud_video.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(cli, *argv: str) -> set:
    result = subprocess.run([sys.executable, "-c", PROBE.format(argv=["qwencloud-video", *argv])],
                            capture_output=True, text=True, env=cli.env, cwd=cli.cwd, timeout=60)
    line = [line for line in result.stderr.splitlines() if line.startswith("MODULES=")][-1]
    return set(json.loads(line[len("MODULES="):]))


def test_help_lists_modes_without_pydantic_or_httpx(cli) -> None:
    loaded = modules_after(cli, "--help")
    assert "pydantic" not in loaded and "httpx" not in loaded
    assert not [name for name in loaded if name.startswith("qwencloud_video.requests.")]


def test_poll_once_loads_no_plugin_code(cli) -> None:
    cli.emulator.config.generation_seconds = 2.0
    task_id = cli("--request", '{"prompt": "a cat"}', "--submit-only").stdout.strip()
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert "httpx" in loaded
    assert "pydantic" not in loaded and "pluggy" not in loaded
    assert not [name for name in loaded if name.startswith("qwencloud_video.") and name != "qwencloud_video.cli"]


def test_resuming_a_submit_only_task_loads_no_plugin_code(cli) -> None:
    task_id = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                  "--submit-only").stdout.strip()
    time.sleep(0.5)
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert "pluggy" not in loaded  # the output folder was recorded at submit: no registry lookup needed
    assert (cli.cwd / "output" / "qwencloud-video-generation" / "video.mp4").is_file()


def test_a_mode_command_loads_only_its_own_request_model(cli) -> None:
    loaded = modules_after(cli, "kf2v", "--help")
    assert "qwencloud_video.requests.kf2v" in loaded
    assert "qwencloud_video.requests.vace" not in loaded
