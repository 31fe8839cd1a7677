"""Task life cycle: timing, timestamps, TTL, cancel rules and the task list."""

from __future__ import annotations

import re
import time

from qwencloud_skills.emulator import Emulator

BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}, "parameters": {"size": "832*480"}}
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$")


def test_state_machine_follows_time(api, emu: Emulator) -> None:
    emu.config.pending_seconds = 5
    emu.config.generation_seconds = 10
    submitted = api.submit(BODY).json()
    assert submitted["output"]["task_status"] == "PENDING" and submitted["request_id"]
    task_id = submitted["output"]["task_id"]
    pending = api.output(task_id)
    assert pending["task_status"] == "PENDING" and STAMP.match(pending["submit_time"])
    assert "scheduled_time" not in pending and "video_url" not in pending
    emu.advance_time(6)
    running = api.output(task_id)
    assert running["task_status"] == "RUNNING" and STAMP.match(running["scheduled_time"])
    assert "end_time" not in running
    emu.advance_time(10)
    body = api.task(task_id).json()
    done = body["output"]
    assert done["task_status"] == "SUCCEEDED"
    assert done["submit_time"] < done["scheduled_time"] < done["end_time"]
    assert done["video_url"].startswith(emu.base_url + "/media/")
    assert "Expires=" in done["video_url"]
    assert body["usage"] == {
        "video_count": 1,
        "video_duration": 5,
        "video_ratio": "832*480",
        "duration": 5,
        "output_video_duration": 5,
        "SR": 480,
    }


def test_real_time_progression(api, emu: Emulator) -> None:
    emu.config.pending_seconds = 0.05
    emu.config.generation_seconds = 0.1
    task_id = api.submit_ok(BODY)
    seen = []
    while not seen or seen[-1] in ("PENDING", "RUNNING"):
        status = api.output(task_id)["task_status"]
        time.sleep(0.005)
        if not seen or seen[-1] != status:
            seen.append(status)
    assert seen[-1] == "SUCCEEDED" and "RUNNING" in seen


def test_unknown_task(api) -> None:
    body = api.task("no-such-task").json()
    assert body["output"] == {"task_id": "no-such-task", "task_status": "UNKNOWN"}
    assert body["request_id"]


def test_task_ttl(api, emu: Emulator) -> None:
    emu.config.task_ttl_seconds = 100
    task_id = api.submit_ok(BODY)
    assert api.output(task_id)["task_status"] == "SUCCEEDED"
    emu.advance_time(101)
    assert api.output(task_id)["task_status"] == "UNKNOWN"
    assert api.list().json()["total"] == 0


def test_cancel_rules(api, emu: Emulator) -> None:
    emu.config.pending_seconds = 10
    task_id = api.submit_ok(BODY)
    canceled = api.cancel(task_id)
    assert canceled.status_code == 200 and canceled.json()["request_id"]
    output = api.output(task_id)
    assert output["task_status"] == "CANCELED" and "end_time" in output
    emu.advance_time(100)
    assert api.output(task_id)["task_status"] == "CANCELED"
    running_id = api.submit_ok(BODY)
    emu.advance_time(11)
    refused = api.cancel(running_id)
    assert refused.status_code == 400 and refused.json()["code"] == "UnsupportedOperation"
    assert "PENDING" in refused.json()["message"]
    assert api.cancel("no-such-task").status_code == 400
    emu.config.pending_seconds = 0
    done_id = api.submit_ok(BODY)
    assert api.cancel(done_id).status_code == 400


def test_list_filters_and_pages(api, emu: Emulator) -> None:
    ids = [api.submit_ok(BODY) for _ in range(3)]
    other = api.submit_ok({"model": "wan2.6-t2v", "input": {"prompt": "p"}})
    emu.config.pending_seconds = 50
    pending = api.submit_ok(BODY)
    everything = api.list().json()
    assert everything["total"] == 5 and everything["page_no"] == 1 and everything["page_size"] == 10
    assert [row["task_id"] for row in everything["data"]] == [pending, other, *reversed(ids)]
    row = everything["data"][1]
    assert row["model_name"] == "wan2.6-t2v" and row["status"] == "SUCCEEDED" and STAMP.match(row["gmt_create"])
    assert api.list(status="PENDING").json()["data"][0]["task_id"] == pending
    by_model = api.list(model_name="wan2.2-t2v-plus", status="SUCCEEDED", page_size=2, page_no=2).json()
    assert by_model["total"] == 3 and by_model["total_page"] == 2
    assert [r["task_id"] for r in by_model["data"]] == [ids[0]]
    assert api.list(start_time="20990101000000").json()["total"] == 0
    assert api.list(end_time="20000101000000").json()["total"] == 0
    assert api.list(start_time="20000101000000", end_time="2099-01-01 00:00:00").json()["total"] == 5
    assert api.list(page_size=0).status_code == 400
    assert api.list(start_time="yesterday").status_code == 400
