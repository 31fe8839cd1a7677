"""Jobs through the MCP server against the emulator: submit returns at once, task_status waits briefly with
progress, task_result saves a playable file; refusals send nothing; dry runs, models, cancel, sync modes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcpharness import structured, submits, text
from mediafiles import png_bytes

pytest.importorskip("mcp.client.stdio")  # the SDK itself: a bare "mcp" would find this folder
pytestmark = pytest.mark.slow


def test_a_job_is_submitted_followed_and_saved_as_a_playable_file(served) -> None:
    from qwencloud_skills.mediaops.probe import probe

    emulator = served.emulator
    emulator.config.generation_seconds = 2.5  # long enough for task_status to wait and report progress
    progress = []

    async def on_progress(done, total, message):
        progress.append((done, total, message))

    async def script(session):
        submitted = await session.call("video_t2v", {"prompt": "A lighthouse at dusk", "duration": 3})
        statuses = [submitted]
        for _ in range(10):
            statuses.append(await session.call("task_status", {"task_id": structured(submitted)["task_id"],
                                                               "wait_seconds": 5}, progress_callback=on_progress))
            if not structured(statuses[-1])["running"]:
                break
        first = await session.call("task_result", {"task_id": structured(submitted)["task_id"]})
        again = await session.call("task_result", {"task_id": structured(submitted)["task_id"]})
        listed = await session.call("tasks_list", {})
        return statuses, first, again, listed

    statuses, first, again, listed = served.run(script)
    submitted = structured(statuses[0])
    assert not statuses[0].is_error and submitted["finished"] is False
    assert submitted["mode"] == "t2v" and submitted["model"] == "wan2.6-t2v" and submitted["expected_seconds"] > 0
    assert submitted["billed"] == {"s of 720P video": 3.0} and "3 s" in submitted["billing"]
    assert f"Task {submitted['task_id']} submitted" in text(statuses[0]) and "task_status" in text(statuses[0])
    last = structured(statuses[-1])
    assert last["status"] == "SUCCEEDED" and last["finished"] and last["elapsed_seconds"] >= 2
    assert progress and all(("RUNNING" in message or "PENDING" in message) for _, _, message in progress)
    assert [done for done, _, _ in progress] == sorted(done for done, _, _ in progress)

    saved = structured(first)
    assert not first.is_error and saved["finished"] and saved["already_saved"] is False
    (path,) = saved["files"]
    assert Path(path).is_file() and Path(path).parent == served.cwd / "output" / "qwencloud-video-generation"
    info = probe(Path(path))
    assert abs(info.duration - 3) <= 0.1 and info.video_codec and info.width == 1280
    assert saved["results"] and saved["results"][0].startswith(emulator.base_url)
    assert structured(again)["already_saved"] is True and structured(again)["files"] == [path]
    downloads = [request for request in emulator.requests if request.method == "GET" and "/media/" in request.path]
    assert len(downloads) == 1 and len(submits(emulator)) == 1
    (row,) = structured(listed)["tasks"]
    assert row["task_id"] == submitted["task_id"] and row["files"] == [path] and row["status"] == "SUCCEEDED"


def test_a_bad_request_is_an_error_result_naming_the_field_and_nothing_is_sent(served) -> None:
    async def script(session):
        return [await session.call("video_t2v", {"prompt": "A fox", "duration": 99}),
                await session.call("video_t2v", {"prompt": "A fox", "colour": "red"}),
                await session.call("video_t2v", {"duration": 5}),
                await session.call("tasks_list", {})]

    too_long, unknown, missing, listed = served.run(script)
    assert too_long.is_error and unknown.is_error and missing.is_error
    words = text(too_long)
    assert "duration=99" in words and "allowed: 2-15 s" in words and "fix:" in words and "Nothing was sent." in words
    (issue,) = structured(too_long)["issues"]
    assert issue["field"] == "duration" and issue["value"] == 99 and issue["allowed"] and issue["fix"]
    assert structured(too_long)["sent"] is False and structured(too_long)["error"]["exit_code"] == 3
    assert "colour" in text(unknown) and structured(unknown)["issues"][0]["field"] == "colour"
    assert "prompt" in text(missing)
    assert served.emulator.requests == [] and structured(listed)["tasks"] == []


def test_a_model_outside_the_catalog_is_sent_with_a_note_that_only_general_rules_were_checked(served) -> None:
    served.emulator.config.extra_models = {"wan2.6-t2v-unlisted": {"mode": "t2v"}}  # the service knows it

    async def script(session):
        return await session.call("video_t2v", {"prompt": "A fox", "model": "wan2.6-t2v-unlisted", "duration": 5,
                                                "size": "1280*720"})

    result = served.run(script)
    assert not result.is_error, text(result)
    assert "model wan2.6-t2v-unlisted is not in the catalog of mode t2v" in text(result)
    assert structured(result)["model"] == "wan2.6-t2v-unlisted" and len(submits(served.emulator)) == 1


def test_a_synchronous_mode_answers_with_its_saved_files(served) -> None:
    photo = served.cwd / "photo.png"
    photo.write_bytes(png_bytes(width=600, height=400))

    async def script(session):
        return await session.call("image_image_edit", {"prompt": "Make it a watercolor",
                                                       "reference_images": [str(photo)], "n": 1})

    result = served.run(script)
    answer = structured(result)
    assert not result.is_error, text(result)
    assert answer["finished"] is True and answer["mode"] == "image-edit" and len(answer["files"]) == 1
    assert Path(answer["files"][0]).read_bytes().startswith(b"\x89PNG")
    assert "Answered at once" in text(result) and len(submits(served.emulator)) == 1
    assert not [r for r in served.emulator.requests if r.method == "GET" and "/tasks/" in r.path]


def test_dry_run_shows_the_exact_request_without_the_key_and_models_match_the_cli(served) -> None:
    from clirunner import invoke

    from qwencloud_skills.cli.app import cli

    async def script(session):
        return [await session.call("dry_run", {"request": {"prompt": "A fox in the snow"}, "mode": "t2v"}),
                await session.call("dry_run", {"request": {"prompt": "A fox"}, "skill": "video"}),
                await session.call("dry_run", {"request": {"prompt": "A fox", "duration": 99}, "mode": "t2v"}),
                await session.call("models", {"skill": "video"}),
                await session.call("models", {"mode": "nope"})]

    named, detected, refused, models, unknown = served.run(script)
    shown = structured(named)
    assert not named.is_error and shown["sent"] is False
    assert shown["request"]["headers"]["Authorization"] == "Bearer ********"
    assert shown["request"]["body"]["model"] == "wan2.6-t2v" and shown["billed"] == {"s of 720P video": 5.0}
    assert '"Authorization: Bearer $DASHSCOPE_API_KEY"' in shown["curl"]
    assert structured(detected)["mode_line"].startswith("Mode: t2v | Model: wan2.6-t2v")
    assert refused.is_error and "duration=99" in text(refused)
    assert served.emulator.requests == []
    expected = invoke(cli, ["video", "models", "--format", "json"])
    assert expected.exit_code == 0, expected.output
    assert structured(models)["modes"] == json.loads(expected.stdout)
    assert unknown.is_error and "nope" in text(unknown) and "t2v" in text(unknown)


def test_a_pending_task_is_cancelled(served) -> None:
    served.emulator.config.pending_seconds = 60.0

    async def script(session):
        submitted = await session.call("video_t2v", {"prompt": "A fox", "duration": 2})
        task_id = structured(submitted)["task_id"]
        return (await session.call("task_cancel", {"task_id": task_id}),
                await session.call("task_status", {"task_id": task_id}),
                await session.call("task_result", {"task_id": task_id}))

    cancelled, status, result = served.run(script)
    assert not cancelled.is_error and structured(cancelled)["status"] == "CANCELED"
    assert structured(status)["status"] == "CANCELED" and structured(status)["finished"]
    assert result.is_error and "CANCELED" in text(result)


def test_a_running_task_has_no_result_yet_and_says_when_to_look_again(served) -> None:
    served.emulator.config.pending_seconds = 60.0

    async def script(session):
        submitted = await session.call("video_t2v", {"prompt": "A fox", "duration": 2})
        return await session.call("task_result", {"task_id": structured(submitted)["task_id"]})

    result = served.run(script)
    assert not result.is_error and structured(result)["finished"] is False
    assert "Not finished yet" in text(result) and structured(result)["check_again_in_seconds"] > 0


def test_update_check_signals_go_into_job_results_as_the_cli_prints_them(served) -> None:
    served.env_overrides["QWEN_SKILLS_NO_UPDATE_CHECK"] = "0"  # checks on, never configured: ACTION_REQUIRED

    async def script(session):
        return (await session.call("dry_run", {"request": {"prompt": "A fox"}, "mode": "t2v"}),
                await session.call("models", {}))

    job, listing = served.run(script)
    lines = text(job).splitlines()
    assert any(line.startswith("[ACTION_REQUIRED] ") for line in lines)
    assert any("update-check --enable" in line for line in lines)
    assert "[ACTION_REQUIRED]" not in text(listing)


def test_without_a_key_a_submit_says_how_to_set_it_and_a_dry_run_still_works(harness) -> None:
    harness.env_overrides = {"QWEN_BASE_URL": "http://127.0.0.1:9"}  # nothing listens there: nothing may be tried

    async def script(session):
        return (await session.call("video_t2v", {"prompt": "A fox"}),
                await session.call("dry_run", {"request": {"prompt": "A fox"}, "mode": "t2v"}))

    refused, dry = harness.run(script)
    assert refused.is_error and structured(refused)["error"]["exit_code"] == 4
    assert "DASHSCOPE_API_KEY" in text(refused) and "Never paste the key into a chat" in text(refused)
    assert not dry.is_error and structured(dry)["request"]["headers"]["Authorization"] == "Bearer <not set>"


def test_a_client_of_the_handshake_era_gets_the_same_tools_results_and_progress(served) -> None:
    served.emulator.config.generation_seconds = 2.5
    progress = []

    async def on_progress(done, total, message):
        progress.append(message)

    async def script(session):
        tools = await session.tools()
        submitted = await session.call("video_t2v", {"prompt": "A fox", "duration": 2})
        polled = await session.call("task_status", {"task_id": structured(submitted)["task_id"], "wait_seconds": 8},
                                    progress_callback=on_progress)
        return session.client.protocol_version, tools, polled

    version, tools, polled = served.run(script, mode="legacy")
    assert not version.startswith("2026") and "video_t2v" in tools and tools["models"].annotations.read_only_hint
    assert structured(polled)["status"] == "SUCCEEDED" and progress


def test_a_synchronous_answer_that_cannot_be_saved_says_how_to_save_it_later(served) -> None:
    from qwencloud_skills.emulator import Fault

    photo = served.cwd / "photo.png"
    photo.write_bytes(png_bytes(width=600, height=400))
    served.emulator.inject(Fault("download", "status", status=403, count=None))

    async def script(session):
        failed = await session.call("image_image_edit", {"prompt": "Make it blue", "reference_images": [str(photo)],
                                                         "n": 1})
        served.emulator.clear_faults()
        listed = await session.call("tasks_list", {})
        task_id = structured(listed)["tasks"][0]["task_id"]
        return failed, task_id, await session.call("task_result", {"task_id": task_id})

    failed, task_id, saved = served.run(script)
    assert failed.is_error and f"Save them with task_result (task_id {task_id})" in text(failed)
    assert not saved.is_error and Path(structured(saved)["files"][0]).read_bytes().startswith(b"\x89PNG")
    assert len(submits(served.emulator)) == 1
