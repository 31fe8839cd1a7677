"""The installed `qwencloud-video` against the emulator: every mode, every exit code."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from qwencloud_video.emulator.probe import probe

from qwencloud_skills.emulator import Fault

from .conftest import BIN, all_output, media

MODE_REQUESTS = {
    "t2v": ({"prompt": "A detective in a rainy city", "size": "832*480", "duration": 5}, "wan2.5-t2v-preview",
            (832, 480, 5, True)),
    "i2v": ({"prompt": "A cat running", "img_url": "@frame.png", "resolution": "480P", "duration": 5},
            "wan2.5-i2v-preview", (832, 480, 5, True)),
    "kf2v": ({"prompt": "A cat looks up", "first_frame_url": "@first.png", "last_frame_url": "@last.png",
              "resolution": "480P"}, "wan2.2-kf2v-flash", (832, 480, 5, False)),
    "r2v": ({"prompt": "character1 waves at character2", "reference_urls": ["@person.png", "@person2.png"],
             "size": "1280*720", "duration": 3}, "wan2.6-r2v-flash", (1280, 720, 3, True)),
    "vace": ({"function": "video_extension", "prompt": "A dog skateboarding", "first_clip_url": "@clip.mp4"},
             "wan2.1-vace-plus", (1280, 720, 5, False)),
}


def materialize(value, folder: Path):
    if isinstance(value, str) and value.startswith("@"):
        return str(media(folder, value[1:]))
    if isinstance(value, list):
        return [materialize(item, folder) for item in value]
    return value


@pytest.mark.parametrize("mode", sorted(MODE_REQUESTS))
def test_every_mode_end_to_end_with_local_files(cli, mode: str) -> None:
    raw, model, (width, height, duration, audio) = MODE_REQUESTS[mode]
    request = {key: materialize(value, cli.cwd) for key, value in raw.items()}
    result = cli("--request", json.dumps(request), "--model", model, "--poll-interval", "0.1", "--print-response")
    assert result.returncode == 0, all_output(result)
    assert f"Mode: {mode} | Model: {model}" in result.stderr
    assert "Task submitted:" in result.stderr and "pricing" in result.stderr
    response = json.loads(result.stdout)
    local = Path(response["local_path"])
    assert local.parent == cli.cwd / "output" / "qwencloud-video-generation"
    info = probe(local)
    assert (info["width"], info["height"], info["has_audio"]) == (width, height, audio)
    assert abs(info["duration"] - duration) < 0.6
    submit = [r for r in cli.emulator.requests if r.path.endswith("video-synthesis")][-1]
    if any(isinstance(v, (str, list)) and "@" in json.dumps(v) for v in raw.values()):
        assert submit.headers.get("X-DashScope-OssResourceResolve") == "enable"
        assert "oss://" in submit.body.decode()


def test_mode_subcommand_with_typed_options(cli) -> None:
    result = cli("t2v", "--prompt", "a cat", "--size", "832*480", "--duration", "5", "--model", "wan2.2-t2v-plus",
                 "--poll-interval", "0.1")
    assert result.returncode == 0, all_output(result)
    path = Path(result.stdout.strip())
    assert probe(path)["width"] == 832 and not probe(path)["has_audio"]


def test_two_runs_into_one_output_dir_never_overwrite(cli) -> None:
    args = ("t2v", "--prompt", "a cat", "--size", "832*480", "--model", "wan2.2-t2v-plus",
            "--poll-interval", "0.1", "--output", "shots")
    first, second = cli(*args), cli(*args)
    assert first.returncode == second.returncode == 0
    names = sorted(p.name for p in (cli.cwd / "shots").iterdir())
    assert names == ["response.json", "response_1.json", "video.mp4", "video_1.mp4"]


def test_submit_only_then_poll_once(cli) -> None:
    cli.emulator.config.generation_seconds = 600.0  # finishes only when the clock is moved (no race under load)
    submitted = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                    "--submit-only")
    assert submitted.returncode == 0, all_output(submitted)
    task_id = submitted.stdout.strip()
    assert len(task_id.splitlines()) == 1 and task_id in submitted.stderr
    running = cli("--task-id", task_id, "--poll-once")
    assert running.returncode == 2, all_output(running)
    assert json.loads(running.stdout)["output"]["task_status"] in ("PENDING", "RUNNING")
    cli.emulator.advance_time(601)
    done = cli("--task-id", task_id, "--poll-once", "--print-response")
    assert done.returncode == 0, all_output(done)
    assert Path(json.loads(done.stdout)["local_path"]).is_file()


def test_failed_task_exits_1_with_the_message(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="fail_task", code="DataInspectionFailed",
                              message="input did not pass inspection"))
    result = cli("--request", '{"prompt": "a cat"}', "--poll-interval", "0.1")
    assert result.returncode == 1
    assert "input did not pass inspection" in result.stderr and result.stdout == ""


def test_service_error_exits_1(cli) -> None:
    result = cli("--request", '{"prompt": "a cat"}', env={"DASHSCOPE_API_KEY": "bad-key"})
    assert result.returncode == 1
    assert "401" in result.stderr and "InvalidApiKey" in result.stderr


def test_timeout_exits_2_with_resume_hint(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="never_finish"))
    result = cli("--request", '{"prompt": "a cat"}', "--poll-interval", "0.1", "--timeout", "0.5")
    assert result.returncode == 2
    assert "Resume with: " in result.stderr and "qwencloud-video --task-id" in result.stderr


@pytest.mark.parametrize("args, needle", [
    (("--request", '{"prompt": "a cat", "duration": 99}'), "duration=99"),
    (("--request", "{not json"), "not valid JSON"),
    (("--request", '{"prompt": "x", "promt": "y"}'), "did you mean 'prompt'"),
    (("--request", '{"prompt": "x", "img_url": "missing.png"}'), "local file not found"),
    (("--file", "nowhere.json"), "cannot read it"),
    (("t2v", "--duration", "abc"), "abc"),
    (("--mode", "nosuchmode", "--request", "{}"), "nosuchmode"),
])
def test_invalid_input_exits_3_and_sends_nothing(cli, args, needle: str) -> None:
    cli.emulator.clear_requests()
    result = cli(*args)
    assert result.returncode == 3, all_output(result)
    assert needle in result.stderr
    assert cli.emulator.requests == []


def test_missing_key_exits_4_with_guidance(cli) -> None:
    result = cli("--request", '{"prompt": "a cat"}', env={"DASHSCOPE_API_KEY": ""})
    assert result.returncode == 4
    assert "DASHSCOPE_API_KEY=sk-your-key-here" in result.stderr


def test_unknown_submit_outcome_exits_5_and_is_in_the_ledger(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="status", status=503, after_accept=True))
    result = cli("--request", '{"prompt": "a cat"}')
    assert result.returncode == 5
    assert "NOT retried" in result.stderr
    listed = cli("tasks", "list", "--status", "SUBMIT_UNKNOWN", "--format", "json")
    assert len(json.loads(listed.stdout)) == 1


def test_dry_run_prints_the_exact_request_and_sends_nothing(cli, canary_key: str) -> None:
    cli.emulator.clear_requests()
    image = media(cli.cwd, "frame.png")
    result = cli("--request", json.dumps({"prompt": "a cat", "reference_image": str(image), "resolution": "720P"}),
                 "--dry-run")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    assert shown["method"] == "POST"
    assert shown["url"] == cli.emulator.base_url + "/api/v1/services/aigc/video-generation/video-synthesis"
    assert shown["headers"]["Authorization"] == "Bearer ********"
    assert shown["headers"]["X-DashScope-Async"] == "enable"
    assert shown["body"]["input"]["img_url"] == str(image)
    assert shown["uploads"][0]["path"] == str(image)
    assert canary_key not in all_output(result)
    assert cli.emulator.requests == []


def test_kill_9_mid_poll_then_resume_saves_a_playable_video(cli) -> None:
    cli.emulator.config.generation_seconds = 2.5
    process = cli.popen("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                        "--poll-interval", "0.2")
    deadline = time.monotonic() + 20
    while not cli.emulator.tasks and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    task_id = next(iter(cli.emulator.tasks))
    listed = json.loads(cli("tasks", "list", "--format", "json").stdout)
    assert [row["task_id"] for row in listed] == [task_id]
    resumed = cli("tasks", "resume", task_id, "--poll-interval", "0.2", "--print-response")
    assert resumed.returncode == 0, all_output(resumed)
    path = Path(json.loads(resumed.stdout)["local_path"])
    assert probe(path)["width"] == 832
    shown = json.loads(cli("tasks", "show", task_id).stdout)
    assert shown["status"] == "SUCCEEDED" and shown["local_path"] == str(path)


def test_ctrl_c_mid_poll_prints_resume_command_and_exits_130(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="never_finish"))
    process = cli.popen("--request", '{"prompt": "a cat"}', "--poll-interval", "0.2")
    deadline = time.monotonic() + 20
    while not cli.emulator.tasks and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.4)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 130, stderr
    task_id = next(iter(cli.emulator.tasks))
    assert f"qwencloud-video --task-id {task_id}" in stderr


def test_same_tree_under_qwencloud_skills_video(cli) -> None:
    result = cli("video", "t2v", "--prompt", "a cat", "--size", "832*480", "--model", "wan2.2-t2v-plus",
                 "--poll-interval", "0.1", script="qwencloud-skills")
    assert result.returncode == 0, all_output(result)
    assert Path(result.stdout.strip()).is_file()


def test_help_lists_modes_and_mode_help_lists_models(cli) -> None:
    top = cli("--help")
    for mode in ("t2v", "i2v", "kf2v", "r2v", "vace"):
        assert mode in top.stdout
    sub = cli("kf2v", "--help")
    assert "wan2.2-kf2v-flash [default]" in sub.stdout and "--first-frame-url" in sub.stdout


def test_models_listing_as_json(cli) -> None:
    rows = json.loads(cli("models", "--format", "json").stdout)
    by_mode = {row["mode"]: row for row in rows}
    assert by_mode["kf2v"]["endpoint"].endswith("/image2video/video-synthesis")
    assert by_mode["t2v"]["default_model"] == "wan2.6-t2v"


def test_dry_run_reuses_a_fresh_upload(cli) -> None:
    image = media(cli.cwd, "frame.png")
    request = json.dumps({"prompt": "a cat", "img_url": str(image), "resolution": "720P"})
    assert cli("--request", request, "--submit-only").returncode == 0
    cli.emulator.clear_requests()
    shown = json.loads(cli("--request", request, "--dry-run").stdout)
    assert shown["body"]["input"]["img_url"].startswith("oss://")
    assert shown["uploads"][0]["reuses"] == shown["body"]["input"]["img_url"]
    assert shown["headers"]["X-DashScope-OssResourceResolve"] == "enable"
    assert cli.emulator.requests == []


def test_ctrl_c_during_submit_is_recorded_as_unknown_outcome(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="delay", delay=3.0))
    process = cli.popen("--request", '{"prompt": "a cat"}')
    deadline = time.monotonic() + 20
    while not [r for r in cli.emulator.requests if r.path.endswith("video-synthesis")]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 130, stderr
    assert "SUBMIT_UNKNOWN" in stderr and "tasks remote" in stderr
    rows = json.loads(cli("tasks", "list", "--status", "SUBMIT_UNKNOWN", "--format", "json").stdout)
    assert len(rows) == 1


def test_poll_failure_after_retries_says_how_to_resume(cli) -> None:
    task_id = cli("--request", '{"prompt": "a cat"}', "--submit-only").stdout.strip()
    cli.emulator.inject(Fault(route="task", kind="status", status=500, count=None))
    result = cli("--task-id", task_id, "--poll-interval", "0.1")
    assert result.returncode == 1
    assert "InternalError" in result.stderr and f"--task-id {task_id}" in result.stderr


def test_expired_video_url_says_generate_again(cli) -> None:
    cli.emulator.config.url_ttl_seconds = 0
    result = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                 "--poll-interval", "0.1")
    assert result.returncode == 1
    assert "generated again" in result.stderr and "Resume with" not in result.stderr


def test_live_progress_on_a_real_terminal(cli) -> None:
    import os
    import pty
    import subprocess

    cli.emulator.config.generation_seconds = 1.0
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat", "size": "832*480"}',
         "--model", "wan2.2-t2v-plus", "--poll-interval", "0.2"],
        cwd=cli.cwd, env=cli.env, stdin=follower, stdout=subprocess.PIPE, stderr=follower,
    )
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    process.wait(timeout=30)
    os.close(leader)
    assert process.returncode == 0
    assert b"\r\x1b[2K" in screen and b"Ctrl-C" in screen  # one line rewritten in place
    assert process.stdout.read().strip().endswith(b".mp4")  # stdout stays machine-readable


def test_a_task_submitted_elsewhere_is_adopted_by_the_ledger(cli) -> None:
    import httpx

    answer = httpx.post(
        cli.emulator.api_base + "/services/aigc/video-generation/video-synthesis",
        json={"model": "wan2.2-t2v-plus", "input": {"prompt": "from another tool"}, "parameters": {"size": "832*480"}},
        headers={"Authorization": "Bearer sk-other-tool", "X-DashScope-Async": "enable"},
    ).json()
    task_id = answer["output"]["task_id"]
    done = cli("--task-id", task_id, "--poll-interval", "0.1")
    assert done.returncode == 0, all_output(done)
    shown = json.loads(cli("tasks", "show", task_id).stdout)
    assert shown["status"] == "SUCCEEDED" and shown["local_path"] == done.stdout.strip()


def test_resume_uses_the_base_url_recorded_at_submit(cli) -> None:
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    task_id = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                  "--submit-only").stdout.strip()
    with Emulator(EmulatorConfig()) as elsewhere:  # the environment now points at another service
        resumed = cli("tasks", "resume", task_id, "--poll-interval", "0.1", env={"QWEN_BASE_URL": elsewhere.base_url})
        assert elsewhere.requests == []
    assert resumed.returncode == 0, all_output(resumed)
    assert json.loads(cli("tasks", "show", task_id).stdout)["status"] == "SUCCEEDED"


def test_unknown_outcome_placeholder_is_kept_and_can_be_resolved(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="status", status=500, after_accept=True))
    assert cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus").returncode == 5
    placeholder = json.loads(cli("tasks", "list", "--format", "json").stdout)[0]["task_id"]
    refused = cli("tasks", "resume", placeholder)
    assert refused.returncode == 3 and "tasks remote" in refused.stderr
    assert json.loads(cli("tasks", "show", placeholder).stdout)["status"] == "SUBMIT_UNKNOWN"
    real = next(iter(cli.emulator.tasks))  # what `tasks remote` would show
    assert real in cli("tasks", "remote").stdout
    resolved = cli("tasks", "resolve", placeholder, real)
    assert resolved.returncode == 0, all_output(resolved)
    done = cli("tasks", "resume", real, "--poll-interval", "0.1")
    assert done.returncode == 0, all_output(done)
    assert json.loads(cli("tasks", "show", real).stdout)["model"] == "wan2.2-t2v-plus"
    assert json.loads(cli("tasks", "show", placeholder).stdout)["status"] == "RESOLVED"


@pytest.mark.parametrize("args", [("--poll-interval", "-1"), ("--poll-interval", "0"), ("--timeout", "-5")])
def test_bad_run_options_are_refused_before_submitting(cli, args) -> None:
    cli.emulator.clear_requests()
    result = cli("--request", '{"prompt": "a cat"}', *args)
    assert result.returncode == 3, all_output(result)
    assert args[0] in result.stderr and "Traceback" not in result.stderr
    assert cli.emulator.requests == []


def test_restricting_plugins_away_from_the_skill_is_a_clear_error(cli) -> None:
    result = cli("--help", env={"QWEN_SKILLS_PLUGINS": "video_t2v"})
    assert result.returncode == 4, all_output(result)
    assert "QWEN_SKILLS_PLUGINS" in result.stderr and "Traceback" not in result.stderr


def test_dry_run_with_a_task_id_shows_the_poll_and_sends_nothing(cli, canary_key: str) -> None:
    cli.emulator.clear_requests()
    result = cli("--task-id", "abc-123", "--dry-run")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    assert (shown["method"], shown["url"]) == ("GET", cli.emulator.api_base + "/tasks/abc-123")
    assert canary_key not in result.stdout
    assert cli.emulator.requests == []


def test_dry_run_checks_the_output_folder_like_a_real_run(cli) -> None:
    result = cli("--request", '{"prompt": "a cat"}', "--dry-run", "--output", "project/skills/out")
    assert result.returncode == 3 and "skills/ hierarchy" in result.stderr


def test_resuming_a_saved_task_does_not_download_a_second_copy(cli) -> None:
    first = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                "--poll-interval", "0.1")
    assert first.returncode == 0
    task_id = json.loads(cli("tasks", "list", "--format", "json").stdout)[0]["task_id"]
    again = cli("tasks", "resume", task_id, "--poll-interval", "0.1")
    assert again.returncode == 0 and "Already saved" in again.stderr
    assert again.stdout.strip() == first.stdout.strip()
    assert sorted(p.name for p in (cli.cwd / "output" / "qwencloud-video-generation").glob("*.mp4")) == ["video.mp4"]


def test_ctrl_c_during_uploads_says_nothing_was_submitted(cli) -> None:
    image = media(cli.cwd, "frame.png")
    cli.emulator.inject(Fault(route="upload", kind="delay", delay=3.0))
    process = cli.popen("--request", json.dumps({"prompt": "a cat", "img_url": str(image), "resolution": "720P"}))
    deadline = time.monotonic() + 20
    while not [r for r in cli.emulator.requests if "oss-upload" in r.path]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=15)
    assert process.returncode == 130, stderr
    assert "nothing was sent" in stderr and "SUBMIT_UNKNOWN" not in stderr
    assert json.loads(cli("tasks", "list", "--format", "json").stdout) == []


def _all_examples():
    from qwencloud_skills.plugins import get_registry

    registry = get_registry()
    return [(mode.name, example) for mode in registry.modes_of("qwencloud-video-generation")
            for example in mode.examples]


@pytest.mark.parametrize("mode, example", _all_examples(), ids=lambda v: getattr(v, "title", v))
def test_every_registered_example_is_accepted_by_the_service(cli, mode: str, example) -> None:
    """Examples are what agents copy: each must pass our checks AND the emulator's own."""
    request = {}
    for key, value in example.request.items():  # an example's local path becomes a real file here
        if isinstance(value, str) and value.startswith("/path/to/"):
            value = str(media(cli.cwd, Path(value).name))
        request[key] = value
    args = ["--request", json.dumps(request), "--mode", mode, "--submit-only"]
    env = {}
    if example.model:
        args += ["--model", example.model]
        if _served_from_workspace(example.model):
            env["QWEN_WORKSPACE_ID"] = "llm-examples1"  # QWEN_BASE_URL (the emulator) still wins
    result = cli(*args, env=env)
    assert result.returncode == 0, all_output(result)


def _served_from_workspace(model_id: str) -> bool:
    from qwencloud_skills.plugins import get_registry

    return any(spec.id == model_id and spec.host == "workspace"
               for mode in get_registry().modes_of("qwencloud-video-generation") for spec in mode.models)


@pytest.mark.parametrize("args, needle", [
    (("i2v", "--prompt", "x", "--img-url", "https://e/a.png", "--size", "1280*720"), "use resolution '720P'"),
    (("t2v", "--prompt", "x", "--resolution=720P"), "use size '1280*720'"),
    (("t2v", "--prompt", "x", "--img-url", "https://e/a.png"), "field of mode i2v"),
    (("kf2v", "--first-frame-url", "https://e/a.png", "--last-frame-url", "https://e/b.png", "--audio-url", "x.mp3"),
     "silent"),
])
def test_typed_commands_explain_options_that_belong_elsewhere(cli, args, needle: str) -> None:
    cli.emulator.clear_requests()
    result = cli(*args)
    assert result.returncode == 3, all_output(result)
    assert needle in result.stderr and "No such option" not in result.stderr
    assert cli.emulator.requests == []


@pytest.mark.parametrize("args", [
    ("--request", '{"prompt": "a"}', "--poll-once"),
    ("--task-id", "abc", "--submit-only"),
    ("--task-id", "abc", "--request", '{"prompt": "a"}'),
])
def test_contradicting_flags_are_refused(cli, args) -> None:
    cli.emulator.clear_requests()
    result = cli(*args)
    assert result.returncode == 3, all_output(result)
    assert cli.emulator.requests == []


def test_list_options_take_commas_or_repeats(cli) -> None:
    for args in (("--reference-urls", "https://e/a.png,https://e/b.png"),
                 ("--reference-urls", "https://e/a.png", "--reference-urls", "https://e/b.png")):
        result = cli("r2v", "--prompt", "character1 and character2", *args, "--dry-run")
        assert json.loads(result.stdout)["body"]["input"]["reference_urls"] == ["https://e/a.png", "https://e/b.png"]


def test_a_file_that_replaced_the_saved_one_is_not_taken_for_it(cli) -> None:
    args = ("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
            "--poll-interval", "0.1", "--output", "out")
    assert cli(*args).returncode == 0
    first = json.loads(cli("tasks", "list", "--format", "json").stdout)[0]["task_id"]
    (cli.cwd / "out" / "video.mp4").unlink()
    assert cli(*args).returncode == 0  # another task now saved as out/video.mp4
    again = cli("--task-id", first, "--poll-interval", "0.1")
    assert again.returncode == 0 and "Already saved" not in again.stderr
    assert Path(again.stdout.strip()).name == "video_1.mp4"


def test_a_saved_task_resumes_from_disk_without_asking_the_service(cli) -> None:
    """Even after the service forgot the task (24 h), the saved file answers the resume."""
    done = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
               "--poll-interval", "0.1")
    task_id = json.loads(cli("tasks", "list", "--format", "json").stdout)[0]["task_id"]
    cli.emulator.clear_requests()
    again = cli("tasks", "resume", task_id)
    assert again.returncode == 0 and again.stdout.strip() == done.stdout.strip()
    assert cli.emulator.requests == []  # answered from the ledger and the file on disk
    assert json.loads(cli("tasks", "show", task_id).stdout)["status"] == "SUCCEEDED"


def test_root_flags_and_underscored_spellings_on_mode_commands(cli) -> None:
    wrong_level = cli("t2v", "--prompt", "x", "--task-id", "abc")
    assert wrong_level.returncode == 3 and "mask_frame_id" not in wrong_level.stderr
    underscored = cli("t2v", "--prompt", "x", "--prompt_extend")
    assert underscored.returncode == 3 and "--prompt-extend" in underscored.stderr


def test_placeholders_cannot_be_polled_or_resolved_to_placeholders(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="status", status=500, after_accept=True))
    cli("--request", '{"prompt": "a cat"}')
    placeholder = json.loads(cli("tasks", "list", "--format", "json").stdout)[0]["task_id"]
    assert cli("--task-id", placeholder, "--dry-run").returncode == 3
    assert cli("tasks", "resolve", placeholder, placeholder).returncode == 3
    assert cli("tasks", "resolve", placeholder).returncode == 0  # no task was created
    settled = cli("--task-id", placeholder)
    assert settled.returncode == 3 and "settled placeholder" in settled.stderr
    assert json.loads(cli("tasks", "show", placeholder).stdout)["status"] == "NOT_CREATED"


def test_restricted_plugins_are_named_on_the_main_path(cli) -> None:
    for restrict in ("nonesuch", "video"):
        result = cli("--request", '{"prompt": "x"}', env={"QWEN_SKILLS_PLUGINS": restrict})
        assert result.returncode == 4, all_output(result)
        assert "QWEN_SKILLS_PLUGINS" in result.stderr


def test_odd_model_values_are_input_errors(cli) -> None:
    result = cli("--request", '{"prompt": "x", "model": true}', "--dry-run")
    assert result.returncode == 3 and "model" in result.stderr and "Traceback" not in result.stderr


def test_commas_inside_one_url_are_kept(cli) -> None:
    url = "https://e.com/a.png?x-oss-process=image/resize,w_720"
    shown = json.loads(cli("r2v", "--prompt", "character1", "--reference-urls", url, "--dry-run").stdout)
    assert shown["body"]["input"]["reference_urls"] == [url]
