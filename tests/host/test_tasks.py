"""The task lifecycle library against the emulator: submit, wait, cancel, list, download."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from qwencloud_skills.emulator import Fault
from qwencloud_skills.errors import (
    DownloadError,
    InvalidRequestError,
    ServiceError,
    TaskFailedError,
    TaskTimeoutError,
    UnknownSubmitOutcomeError,
)
from qwencloud_skills.ledger import UNKNOWN_OUTCOME, Ledger
from qwencloud_skills.retry import RetryPolicy
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import AsyncTaskClient, TaskClient

SKILL = "qwencloud-video-generation"
REQUEST = {"prompt": "A paper boat on a lake", "size": "832*480", "duration": 5}
MODEL = "wan2.2-t2v-plus"
FAST = RetryPolicy(max_attempts=4, initial_delay=0.01, max_delay=0.2, jitter=0.1)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "ledger.sqlite3")


@pytest.fixture
def client(emulator, ledger, canary_key):
    with TaskClient(
        skill=SKILL, api_key=ApiKey(canary_key), base_url=emulator.api_base, ledger=ledger, policy=FAST
    ) as c:
        yield c


def test_create_and_poll_saves_video_response_and_ledger(client, ledger, tmp_path: Path) -> None:
    seen = []
    result = client.create_and_poll(
        REQUEST, model=MODEL, output_dir=tmp_path / "out", interval=0.05, timeout=30,
        on_status=lambda status, elapsed: seen.append(status.status),
    )
    assert result.local_path == tmp_path / "out" / "video.mp4"
    assert result.local_path.stat().st_size > 1000
    assert result.local_path.read_bytes()[4:8] == b"ftyp"
    response = json.loads(result.response_path.read_text())
    assert response["output"]["task_status"] == "SUCCEEDED"
    assert response["local_path"] == str(result.local_path)
    assert seen[-1] == "SUCCEEDED"
    assert {"PENDING", "RUNNING"} & set(seen[:-1])
    row = ledger.get(result.task_id)
    assert row["status"] == "SUCCEEDED" and row["local_path"] == str(result.local_path)
    assert row["mode"] and row["model"] == MODEL and row["request"]["input"]["prompt"] == REQUEST["prompt"]


def test_second_run_into_the_same_directory_never_overwrites(client, tmp_path: Path) -> None:
    first = client.create_and_poll(REQUEST, model=MODEL, output_dir=tmp_path, interval=0.05, timeout=30)
    second = client.create_and_poll(REQUEST, model=MODEL, output_dir=tmp_path, interval=0.05, timeout=30)
    assert (first.local_path.name, second.local_path.name) == ("video.mp4", "video_1.mp4")
    assert (first.response_path.name, second.response_path.name) == ("response.json", "response_1.json")


def test_task_id_is_in_the_ledger_even_when_everything_after_submit_fails(client, emulator, ledger) -> None:
    emulator.inject(Fault(route="task", kind="status", status=500, count=None))
    submission = client.submit(REQUEST, model=MODEL)
    with pytest.raises(ServiceError):
        client.wait(submission.task_id, interval=0.05, timeout=5)
    row = ledger.get(submission.task_id)
    assert row is not None and row["status"] == "PENDING"


def test_unknown_outcome_submit_is_recorded(client, emulator, ledger) -> None:
    emulator.inject(Fault(route="submit", kind="status", status=500, after_accept=True))
    with pytest.raises(UnknownSubmitOutcomeError) as info:
        client.submit(REQUEST, model=MODEL)
    rows = ledger.list(status=UNKNOWN_OUTCOME)
    assert len(rows) == 1 and rows[0]["task_id"] in str(info.value)
    assert rows[0]["model"] == MODEL


def test_failed_task_raises_with_code_and_message(client, emulator) -> None:
    emulator.inject(Fault(route="submit", kind="fail_task", code="DataInspectionFailed", message="bad input"))
    submission = client.submit(REQUEST, model=MODEL)
    with pytest.raises(TaskFailedError) as info:
        client.wait(submission.task_id, interval=0.05, timeout=10)
    assert info.value.code == "DataInspectionFailed"
    assert "bad input" in str(info.value)


def test_wait_timeout_leaves_a_resumable_task(client, emulator, ledger) -> None:
    emulator.inject(Fault(route="submit", kind="never_finish"))
    submission = client.submit(REQUEST, model=MODEL)
    with pytest.raises(TaskTimeoutError) as info:
        client.wait(submission.task_id, interval=0.05, timeout=0.4)
    assert info.value.exit_code == 2
    assert ledger.get(submission.task_id)["status"] == "RUNNING"


def test_cancel_and_list(client, emulator) -> None:
    emulator.config.pending_seconds = 30
    submission = client.submit(REQUEST, model=MODEL)
    client.cancel(submission.task_id)
    assert client.status(submission.task_id).status == "CANCELED"
    listing = client.list(page_size=10)
    assert submission.task_id in json.dumps(listing)


def test_invalid_request_sends_nothing(client, emulator) -> None:
    emulator.clear_requests()
    with pytest.raises(InvalidRequestError):
        client.submit({"prompt": "x", "duration": 99}, model=MODEL)
    with pytest.raises(InvalidRequestError):
        client.submit({"prompt": "x", "img_url": str(Path("/definitely/not/here.png"))})
    assert emulator.requests == []


def test_truncated_download_is_resumed_to_full_size(client, emulator, tmp_path: Path) -> None:
    submission = client.submit(REQUEST, model=MODEL)
    status = client.wait(submission.task_id, interval=0.05, timeout=30)
    emulator.inject(Fault(route="download", kind="truncate", count=1))
    result = client.download(status, tmp_path)
    import httpx

    reference = httpx.get(status.url).content
    assert len(reference) > 1000 and result.local_path.read_bytes() == reference
    assert not list(tmp_path.glob(".*.part"))


def test_expired_url_says_generate_again(client, emulator, tmp_path: Path) -> None:
    submission = client.submit(REQUEST, model=MODEL)
    status = client.wait(submission.task_id, interval=0.05, timeout=30)
    emulator.config.url_ttl_seconds = 0
    time.sleep(0.05)
    out = tmp_path / "out"
    with pytest.raises(DownloadError, match="generated again"):
        client.download(status, out)
    assert list(out.iterdir()) == []


def test_async_client_runs_many_tasks_concurrently(emulator, ledger, canary_key, tmp_path: Path) -> None:
    async def scenario():
        async with AsyncTaskClient(
            skill=SKILL, api_key=ApiKey(canary_key), base_url=emulator.api_base, ledger=ledger, policy=FAST
        ) as client:
            jobs = [
                client.create_and_poll(REQUEST, model=MODEL, output_dir=tmp_path, interval=0.05, timeout=60)
                for _ in range(8)
            ]
            return await asyncio.gather(*jobs)

    results = asyncio.run(scenario())
    names = sorted(r.local_path.name for r in results)
    assert names == ["video.mp4"] + [f"video_{i}.mp4" for i in range(1, 8)]
    assert len({r.task_id for r in results}) == 8
    assert all(ledger.get(r.task_id)["status"] == "SUCCEEDED" for r in results)


def test_a_batch_of_one_hundred_tasks_in_one_process(emulator, ledger, canary_key, tmp_path: Path) -> None:
    async def scenario():
        async with AsyncTaskClient(
            skill=SKILL, api_key=ApiKey(canary_key), base_url=emulator.api_base, ledger=ledger, policy=FAST
        ) as client:
            submissions = await asyncio.gather(*(client.submit(REQUEST, model=MODEL) for _ in range(100)))
            statuses = await asyncio.gather(
                *(client.wait(s.task_id, interval=0.1, timeout=60) for s in submissions)
            )
            return submissions, statuses

    submissions, statuses = asyncio.run(scenario())
    assert len({s.task_id for s in submissions}) == 100
    assert all(status.succeeded for status in statuses)
    assert len(ledger.list(limit=1000)) == 100
