"""`--dry-run --format curl` prints the exact submit as a curl command that works as printed, key from the env."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

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


ROOT = Path(__file__).resolve().parents[2]


def _guide_block(skill_dir: str, mode: str) -> str:
    text = (ROOT / "skills" / skill_dir / "references" / "execution-guide.md").read_text(encoding="utf-8")
    section = text.split(f"### {mode}\n", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


@pytest.mark.skipif(shutil.which("jq") is None, reason="the guide's download line uses jq")
@pytest.mark.parametrize(("skill_dir", "mode", "key"), [
    ("video/qwencloud-video-generation", "t2v", "video_url"),
    ("image/qwencloud-image-generation", "t2i", "choices"),
])
def test_the_execution_guides_curl_commands_work_as_printed(emulator, canary_key, tmp_path, skill_dir, mode,
                                                           key) -> None:
    env = {**os.environ, "DASHSCOPE_API_KEY": canary_key, "BASE": emulator.api_base}
    submit = subprocess.run(["bash", "-c", _guide_block(skill_dir, mode)], capture_output=True, text=True,
                            timeout=30, env=env)
    task_id = json.loads(submit.stdout)["output"]["task_id"]
    deadline = time.monotonic() + 30
    while True:
        poll = subprocess.run(["bash", "-c", f'curl -sS "$BASE/tasks/{task_id}" -H "Authorization: Bearer '
                               f'$DASHSCOPE_API_KEY"'], capture_output=True, text=True, timeout=30, env=env)
        output = json.loads(poll.stdout)["output"]
        if output["task_status"] == "SUCCEEDED" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert output["task_status"] == "SUCCEEDED"
    assert key in output
    guide = (ROOT / "skills" / skill_dir / "references" / "execution-guide.md").read_text(encoding="utf-8")
    download = re.search(r"^curl -sS -o .*$", guide, re.M).group(0).replace("$TASK", task_id)
    saved = subprocess.run(["bash", "-c", download], capture_output=True, text=True, timeout=30, env=env,
                           cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    files = list(tmp_path.glob("result.*"))
    assert files and files[0].stat().st_size > 100  # the result itself, fetched with the URL the jq path found
