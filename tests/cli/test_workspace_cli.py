"""The CLI with a workspace-only model (a plugin installed here), `doctor`'s hosts, and `models MODE`."""

from __future__ import annotations

import json

import pytest
from workspace_plugin import I2V_ID, T2V_ID, WORKSPACE_MODELS, emulator_models

from qwencloud_skills.ledger import Ledger

from .conftest import all_output, media

REQUEST = json.dumps({"prompt": "a lighthouse at dusk"})


@pytest.fixture
def ws_cli(cli, install_plugin):
    install_plugin("acme_workspace", WORKSPACE_MODELS, dist="acme-workspace")
    cli.emulator.config.extra_models = emulator_models()
    return cli


def test_without_workspace_id_exit_4_and_nothing_sent(ws_cli, tmp_path) -> None:
    result = ws_cli("t2v", "--model", T2V_ID, "--request", REQUEST)
    assert result.returncode == 4, all_output(result)
    assert "QWEN_WORKSPACE_ID" in result.stderr and T2V_ID in result.stderr and "Traceback" not in result.stderr
    image = media(tmp_path, "cat.png")
    with_file = ws_cli("i2v", "--model", I2V_ID, "--img-url", str(image), "--prompt", "move")
    assert with_file.returncode == 4, all_output(with_file)
    dry = ws_cli("t2v", "--model", T2V_ID, "--request", REQUEST, "--dry-run")
    assert dry.returncode == 4 and "QWEN_WORKSPACE_ID" in dry.stderr
    assert ws_cli.emulator.requests == []  # no upload, no submit
    assert Ledger.default().list() == []


def test_with_workspace_id_the_task_runs_and_the_ledger_keeps_its_host(ws_cli, tmp_path) -> None:
    image = media(tmp_path, "cat.png")
    result = ws_cli("i2v", "--model", I2V_ID, "--img-url", str(image), "--prompt", "move", "--poll-interval", "0.1",
                    "--print-response", env={"QWEN_WORKSPACE_ID": "llm-test1"})
    assert result.returncode == 0, all_output(result)
    task_id = json.loads(result.stdout)["task_id"]
    assert Ledger.default().get(task_id)["base_url"] == ws_cli.emulator.api_base
    assert {"policy", "upload", "submit", "task"} <= {request.route for request in ws_cli.emulator.requests}
    # Resuming needs no workspace setting: the task lives where the ledger says.
    again = ws_cli("--task-id", task_id, "--poll-once")
    assert again.returncode == 0, all_output(again)


def test_dry_run_shows_the_workspace_url(ws_cli) -> None:
    result = ws_cli("t2v", "--model", T2V_ID, "--request", REQUEST, "--dry-run",
                    env={"QWEN_BASE_URL": "", "QWEN_REGION": "cn-beijing", "QWEN_WORKSPACE_ID": "llm-abc123"})
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    assert shown["url"] == ("https://llm-abc123.cn-beijing.maas.aliyuncs.com/api/v1"
                            "/services/aigc/video-generation/video-synthesis")
    plain = json.loads(ws_cli("t2v", "--request", REQUEST, "--dry-run", env={"QWEN_BASE_URL": "",
                              "QWEN_REGION": "cn-beijing", "QWEN_WORKSPACE_ID": "llm-abc123"}).stdout)
    assert plain["url"].startswith("https://dashscope.aliyuncs.com/api/v1/")


def test_a_bad_workspace_id_is_exit_4_naming_the_setting(ws_cli) -> None:
    result = ws_cli("t2v", "--model", T2V_ID, "--request", REQUEST, env={"QWEN_WORKSPACE_ID": "evil.example/x"})
    assert result.returncode == 4, all_output(result)
    assert "QWEN_WORKSPACE_ID='evil.example/x' is not a workspace ID" in result.stderr
    assert "Traceback" not in result.stderr and ws_cli.emulator.requests == []


def doctor(cli, **env: str) -> dict:
    result = cli("doctor", "--format", "json", "--offline", env=env)
    assert result.returncode == 0, all_output(result)
    assert cli.overrides["DASHSCOPE_API_KEY"] not in all_output(result)
    return json.loads(result.stdout)


def test_doctor_shows_which_hosts_are_used(cli) -> None:
    unset = doctor(cli)
    assert unset["base_url"] == cli.emulator.api_base and unset["base_url_source"] == "QWEN_BASE_URL"
    assert unset["workspace_url"] is None and "QWEN_WORKSPACE_ID not set" in unset["workspace_url_status"]
    via_base = doctor(cli, QWEN_WORKSPACE_ID="llm-test1")
    assert via_base["workspace_url"] == cli.emulator.api_base
    assert via_base["workspace_url_status"] == "same host as base_url"
    real = doctor(cli, QWEN_BASE_URL="", QWEN_REGION="us-east-1", QWEN_WORKSPACE_ID="llm-test1")
    assert real["base_url"] == "https://dashscope-us.aliyuncs.com/api/v1"
    assert real["workspace_url"] == "https://llm-test1.us-east-1.maas.aliyuncs.com/api/v1"
    assert real["workspace_url_source"] == "workspace llm-test1 in region us-east-1"
    bad = doctor(cli, QWEN_WORKSPACE_ID="Not Valid")
    assert bad["workspace_url"] is None and "is not a workspace ID" in bad["workspace_url_status"]
    text = cli("doctor", "--offline", env={"QWEN_WORKSPACE_ID": "llm-test1"})
    assert "workspace_url" in text.stdout and "QWEN_WORKSPACE_ID set" in text.stdout


def test_models_mode_lists_one_mode(ws_cli) -> None:
    text = ws_cli("models", "i2v")
    assert text.returncode == 0, all_output(text)
    assert text.stdout.startswith("i2v: ") and "\nt2v: " not in text.stdout
    assert f"{I2V_ID} [workspace host only]" in text.stdout
    rows = json.loads(ws_cli("models", "i2v", "--format", "json").stdout)
    assert [row["mode"] for row in rows] == ["i2v"]
    hosts = {model["id"]: model["host"] for model in rows[0]["models"]}
    assert hosts[I2V_ID] == "workspace" and hosts["wan2.6-i2v-flash"] == "default"
    every = json.loads(ws_cli("models", "--format", "json").stdout)
    assert {"i2v", "t2v"} <= {row["mode"] for row in every}


def test_models_unknown_mode_is_exit_3_listing_the_modes(cli) -> None:
    result = cli("models", "i2x")
    assert result.returncode == 3, all_output(result)
    assert "i2x" in result.stderr and "allowed: " in result.stderr and "t2v" in result.stderr
    assert "Traceback" not in result.stderr


def test_tasks_remote_lists_the_workspace_host_or_says_how_to_set_it(cli) -> None:
    missing = cli("tasks", "remote", "--workspace", env={"QWEN_WORKSPACE_ID": ""})
    assert missing.returncode == 4, missing.stdout + missing.stderr
    assert "QWEN_WORKSPACE_ID" in missing.stderr and "Traceback" not in missing.stderr
    listed = cli("tasks", "remote", "--workspace", env={"QWEN_WORKSPACE_ID": "llm-abc123"})
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "data" in json.loads(listed.stdout)
    assert any(r.path.startswith("/api/v1/tasks") for r in cli.emulator.requests)


@pytest.mark.parametrize("args", [
    ("t2v", "--model", "wan3.0-video", "--prompt", "a lighthouse", "--duration", "8"),
    ("--request", json.dumps({"first_frame_url": "https://e.invalid/a.png"}), "--model", "wan3.0-video-prime"),
])
def test_wan30_needs_a_workspace_before_anything_is_sent(cli, args) -> None:
    result = cli(*args)
    assert result.returncode == 4, all_output(result)
    assert "QWEN_WORKSPACE_ID" in result.stderr and "wan3.0-video" in result.stderr
    assert cli.emulator.requests == [] and Ledger.default().list() == []


def test_wan30_on_a_workspace_runs_to_an_mp4_of_the_asked_length(cli) -> None:
    result = cli("t2v", "--model", "wan3.0-video", "--prompt", "a lighthouse", "--duration", "3",
                 "--poll-interval", "0.1", "--print-response", env={"QWEN_WORKSPACE_ID": "llm-test1"})
    assert result.returncode == 0, all_output(result)
    assert "Mode: t2v | Model: wan3.0-video | 720P, 3 s, with sound" in result.stderr
    submit = next(request for request in cli.emulator.requests if request.route == "submit")
    assert submit.json()["parameters"]["resolution"] == "720P" and submit.json()["parameters"]["duration"] == 3
    from qwencloud_video.emulator.probe import probe

    facts = probe(json.loads(result.stdout)["local_path"])
    assert facts["duration"] == pytest.approx(3, abs=0.3) and facts["height"] == 720


@pytest.mark.parametrize("model, fields, mode", [
    ("wan2.7-i2v", {"first_frame_url": "https://e.invalid/a.png"}, "i2v"),
    ("wan2.7-i2v", {"first_frame_url": "https://e.invalid/a.png", "last_frame_url": "https://e.invalid/b.png"}, "i2v"),
    (None, {"first_frame_url": "https://e.invalid/a.png", "last_frame_url": "https://e.invalid/b.png"}, "kf2v"),
])
def test_model_flag_decides_what_a_first_frame_means(cli, model, fields, mode) -> None:
    args = ["--request", json.dumps({**fields, "prompt": "go"}), "--dry-run"]
    result = cli(*(args + (["--model", model] if model else [])))
    assert result.returncode == 0, all_output(result)
    assert f"Mode: {mode} |" in result.stderr
