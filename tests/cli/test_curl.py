"""`--dry-run --format curl` prints the exact submit as a curl command that works as printed, key from the env."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def test_the_printed_curl_submits_the_same_request_and_never_holds_the_key(cli, canary_key) -> None:
    request = {"prompt": "A lighthouse at dusk", "size": "1280*720", "duration": 5}
    shown = cli("--request", json.dumps(request), "--dry-run", "--format", "curl")
    assert shown.returncode == 0, shown.stderr
    command = shown.stdout
    assert canary_key not in command and "$DASHSCOPE_API_KEY" in command
    assert not [r for r in cli.emulator.requests if r.method == "POST"]  # the dry run sent nothing
    answer = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "DASHSCOPE_API_KEY": canary_key})
    task_id = json.loads(answer.stdout)["output"]["task_id"]
    sent = [r for r in cli.emulator.requests if r.method == "POST" and r.path.endswith("video-synthesis")]
    expected = {"model": "wan2.6-t2v", "input": {"prompt": request["prompt"]},
                "parameters": {"size": "1280*720", "duration": 5}}
    assert len(sent) == 1 and json.loads(sent[0].body) == expected
    assert sent[0].headers.get("X-DashScope-Async") == "enable"
    poll = cli("--task-id", task_id, "--dry-run", "--format", "curl")
    status = subprocess.run(["bash", "-c", poll.stdout], capture_output=True, text=True, timeout=30,
                            env={**os.environ, "DASHSCOPE_API_KEY": canary_key})
    assert json.loads(status.stdout)["output"]["task_id"] == task_id


def test_without_a_key_the_curl_still_names_only_the_variable(cli) -> None:
    shown = cli("--request", '{"prompt": "x", "size": "1280*720"}', "--dry-run", "--format", "curl",
                env={"DASHSCOPE_API_KEY": "", "QWEN_API_KEY": ""})
    assert shown.returncode == 0, shown.stderr
    assert '"Authorization: Bearer $DASHSCOPE_API_KEY"' in shown.stdout
