"""Host commands: the demo, the emulator server, a third-party skill's generated CLI, all-skill tasks."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import httpx
from qwencloud_video.emulator.probe import probe

from .conftest import BIN, all_output

ECHO_SKILL = '''
from pydantic import BaseModel, ConfigDict, Field
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, ModelSpec, Mode, Skill


class EchoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str = Field(description="What to say")
    loud: bool = Field(False, description="Shout it")


@hookimpl
def register_skills(register):
    register(Skill(name="acme-echo", domain="echo", title="Acme echo",
                   description="Echo. TRIGGER when: echo. DO NOT TRIGGER when: video."))


@hookimpl
def register_modes(register):
    register(Mode(
        name="say", skill="acme-echo", summary="Say something", endpoint="/services/acme/echo",
        default_model="echo-1", request_model=EchoRequest,
        build_payload=lambda r, m: {"model": m, "input": {"prompt": r.prompt}, "parameters": {"loud": r.loud}},
        models=[ModelSpec("echo-1", "the echo model")], detection=DetectionRule(),
        examples=(Example("hello", {"prompt": "hi"}),),
    ))
'''


def test_demo_leaves_a_playable_mp4_and_says_where(tmp_path: Path) -> None:
    env = {**os.environ}
    env.pop("QWEN_BASE_URL", None)
    result = subprocess.run([str(BIN / "qwencloud-skills"), "demo", "--skill", "qwencloud-video-generation"],
                            cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, all_output(result)
    summary = json.loads(result.stdout)
    video = Path(summary["local_path"])
    assert video.parent == tmp_path / "output" / "qwencloud-video-generation"
    assert f"Video saved: {video}" in result.stderr
    info = probe(video)
    assert (info["width"], info["height"], info["video_codec"]) == (1280, 720, "h264")
    assert info["duration"] > 1
    assert (video.parent / "response.json").is_file()
    listed = subprocess.run([str(BIN / "qwencloud-skills"), "tasks", "list", "--format", "json"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(listed.stdout) == []  # the demo's task stays out of the user's history


def test_emulator_command_prints_its_url_first_and_serves(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [str(BIN / "qwencloud-skills"), "emulator", "--port", "0", "--extra-model", "wan-sketch=t2v:2-10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer sk-x"}
        answer = httpx.get(url + "/api/v1/tasks/nope", headers=headers, timeout=10)
        assert answer.json()["output"]["task_status"] == "UNKNOWN"
        submitted = httpx.post(
            url + "/api/v1/services/aigc/video-generation/video-synthesis",
            headers={**headers, "X-DashScope-Async": "enable"}, timeout=10,
            json={"model": "wan-sketch", "input": {"prompt": "x"}, "parameters": {"duration": 8}},
        )
        assert submitted.status_code == 200, submitted.text  # a plugin author's model is accepted
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_emulator_usage_errors_exit_3() -> None:
    result = subprocess.run([str(BIN / "qwencloud-skills"), "emulator", "--extra-model", "bad"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 3 and "ID=KIND" in result.stderr


def test_third_party_skill_gets_a_generated_cli(cli, install_plugin) -> None:
    install_plugin("acme_echo_skill", ECHO_SKILL, dist="acme-echo", version="1.2.0")
    top = cli("--help", script="qwencloud-skills")
    assert "echo" in top.stdout and "video" in top.stdout
    sub = cli("echo", "say", "--help", script="qwencloud-skills")
    assert "--prompt" in sub.stdout and "--loud / --no-loud" in sub.stdout and "echo-1 [default]" in sub.stdout
    dry = cli("echo", "say", "--prompt", "hi", "--loud", "--dry-run", script="qwencloud-skills")
    assert dry.returncode == 0, all_output(dry)
    shown = json.loads(dry.stdout)
    assert shown["url"].endswith("/api/v1/services/acme/echo")
    assert shown["body"] == {"model": "echo-1", "input": {"prompt": "hi"}, "parameters": {"loud": True}}
    bad = cli("echo", "say", "--promt", "hi", script="qwencloud-skills")
    assert bad.returncode == 3


def test_tasks_across_all_skills(cli) -> None:
    submitted = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                    "--submit-only")
    task_id = submitted.stdout.strip()
    rows = json.loads(cli("tasks", "list", "--format", "json", script="qwencloud-skills").stdout)
    assert [row["task_id"] for row in rows] == [task_id]
    assert rows[0]["skill"] == "qwencloud-video-generation"
    time.sleep(0.5)
    resumed = cli("tasks", "resume", task_id, "--poll-interval", "0.1", script="qwencloud-skills")
    assert resumed.returncode == 0, all_output(resumed)
    assert Path(resumed.stdout.strip()).parent == cli.cwd / "output" / "qwencloud-video-generation"


def test_cancel_pending_task_from_the_cli(cli) -> None:
    cli.emulator.config.pending_seconds = 60
    task_id = cli("--request", '{"prompt": "a cat"}', "--submit-only").stdout.strip()
    canceled = cli("tasks", "cancel", task_id)
    assert canceled.returncode == 0, all_output(canceled)
    shown = json.loads(cli("tasks", "show", task_id).stdout)
    assert shown["status"] == "CANCELED"
    again = cli("tasks", "cancel", task_id)
    assert again.returncode == 1 and "UnsupportedOperation" in again.stderr


def test_cli_never_prints_the_key(cli, canary_key: str) -> None:
    outputs = [
        cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
            "--poll-interval", "0.1", "--print-response"),
        cli("--request", '{"prompt": "a cat"}', "--dry-run"),
        cli("doctor", "--format", "json", script="qwencloud-skills"),
        cli("tasks", "list", "--format", "json"),
        cli("--request", '{"prompt": "a cat"}', "--submit-only", env={"QWEN_API_KEY": "sk-sp-" + canary_key[3:]}),
    ]
    for result in outputs:
        assert canary_key not in all_output(result)
        assert canary_key[3:] not in all_output(result)
    assert "Coding Plan" in outputs[-1].stderr


def test_jobs_emit_update_signals_for_agents(cli) -> None:
    signals = {"QWEN_SKILLS_NO_UPDATE_CHECK": "", "QWEN_SKILLS_UPDATE_URL": cli.emulator.base_url}
    job = ("--request", '{"prompt": "a cat"}', "--submit-only")
    first = cli(*job, env=signals)
    assert first.returncode == 0
    assert "[ACTION_REQUIRED]" in first.stderr and "update-check --enable" in first.stderr
    assert "[ACTION_REQUIRED]" not in first.stdout
    enabled = cli("update-check", "--enable", script="qwencloud-skills", env=signals)
    assert enabled.returncode == 0, all_output(enabled)
    cli.emulator.add_version("qwencloud-skills", "99.0.0")
    found = cli("update-check", "--now", script="qwencloud-skills", env=signals)
    assert "[UPDATE_AVAILABLE]" in found.stderr and "99.0.0" in found.stderr
    failed_job = cli("--request", '{"prompt": "x", "duration": 99}', env=signals)
    assert failed_job.returncode == 3
    assert "[ACTION_REQUIRED]" not in failed_job.stderr


def test_every_skill_cli_offers_doctor_and_update_check(cli) -> None:
    """Agents may only reach the skill's script; set-up checks and signal answers must work there too."""
    report = cli("doctor", "--format", "json", "--offline")
    assert report.returncode == 0 and json.loads(report.stdout)["api_key"] == "set"
    assert cli("update-check", "--never").returncode == 0
    status = cli("update-check", "--status", "--format", "json", script="qwencloud-skills")
    assert json.loads(status.stdout)["mode"] == "never"
