"""`AsyncTaskClient.run_many` from Python, against an emulator that enforces the account's limits.

The service allows a few submits per second and a few tasks at once (the rest wait PENDING); the
batch must finish with no failure and no duplicate, slowing down when throttled. Results come back
one per request, in order; a key makes a second call continue the first.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Dict, List

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.secrets import ApiKey

from .conftest import lines_of, submits

SKILL = "qwencloud-video-generation"


def client_for(emulator: Any, home: Path) -> Any:
    from qwencloud_skills.tasks import AsyncTaskClient

    return AsyncTaskClient(skill=SKILL, api_key=ApiKey("sk-run-many-test-0001"), base_url=emulator.api_base,
                           ledger=Ledger(home / "ledger.sqlite3"))


def run(emulator: Any, home: Path, requests: List[Any], **options: Any) -> List[Any]:
    async def go() -> List[Any]:
        async with client_for(emulator, home) as client:
            return await client.run_many(requests, output_dir=str(home / "out"), poll_interval=0.1, **options)

    return asyncio.run(go())


def test_a_throttling_account_finishes_with_no_failure_and_no_duplicate(emulator, tmp_path) -> None:
    from qwencloud_skills.batch import api
    from qwencloud_skills.batch.lines import parse_items

    emulator.config.enforce_quotas = True
    emulator.config.submit_rate_limit = 2.0  # the plugin documents 5/s for this model: the pacer must find 2/s
    emulator.config.concurrency_limit = 2
    emulator.config.generation_seconds = 0.3
    seen: Dict[str, Any] = {}

    async def go() -> Any:
        async with client_for(emulator, tmp_path) as client:
            lines, problems = parse_items(lines_of(8))
            checked = api.check(client, lines, problems)
            plan = api.make_plan(client, checked, "throttled", "throttled", tmp_path / "out")
            return await api.execute(client, plan, poll_interval=0.1, runner_hook=lambda r: seen.update(runner=r))

    outcome = asyncio.run(go())
    assert [result.status for result in outcome.results] == ["done"] * 8
    stats = emulator.stats()
    assert stats.submits_accepted == 8 and len(emulator.tasks.snapshot()) == 8  # no duplicate
    assert stats.submits_throttled >= 1 and outcome.throttled_submits == stats.submits_throttled  # each one seen
    assert stats.max_running <= 2
    pacer = next(iter(seen["runner"].lanes.values())).pacer
    assert pacer.throttled == stats.submits_throttled and pacer.rate < pacer.ceiling  # it slowed down
    assert all(Path(result.files[0]).name == f"{result.id}.mp4" for result in outcome.results)


def test_results_come_back_one_per_request_in_order(emulator, tmp_path) -> None:
    requests = [{"prompt": "first"}, {"id": "named", "request": {"prompt": "second", "duration": 5}},
                {"id": 3, "request": {"prompt": "third"}, "model": "wan2.5-t2v-preview"}]
    results = run(emulator, tmp_path, requests)
    assert [(r.line, r.id, r.status) for r in results] == [(1, "1", "done"), (2, "named", "done"), (3, "3", "done")]
    assert [Path(r.files[0]).name for r in results] == ["1.mp4", "named.mp4", "3.mp4"]
    assert all(r.task_id and r.polls >= 1 for r in results)
    models = [task.model for task in sorted(emulator.tasks.snapshot(), key=lambda task: task.created_mono)]
    assert models == ["wan2.6-t2v", "wan2.6-t2v", "wan2.5-t2v-preview"]


def test_invalid_requests_raise_all_at_once_unless_skipped(emulator, tmp_path) -> None:
    requests = [{"prompt": "fine"}, {"prompt": "x", "duration": 99}, "not a request", {"prompt": "also fine"}]
    with pytest.raises(InvalidRequestError) as raised:
        run(emulator, tmp_path, requests)
    assert "line 2" in str(raised.value) and "line 3" in str(raised.value) and "duration" in str(raised.value)
    assert emulator.requests == []
    results = run(emulator, tmp_path, requests, skip_invalid=True)
    assert [r.status for r in results] == ["done", "invalid", "invalid", "done"]
    assert "duration" in results[1].error


def test_a_key_makes_a_second_call_continue_the_first(emulator, tmp_path) -> None:
    first = run(emulator, tmp_path, lines_of(3), key="nightly")
    again = run(emulator, tmp_path, lines_of(3), key="nightly")
    assert [r.task_id for r in again] == [r.task_id for r in first] and len(submits(emulator)) == 3
    assert all(r.status == "done" for r in again)
    fresh = run(emulator, tmp_path, lines_of(3))  # no key: a new batch
    assert len(submits(emulator)) == 6 and {r.task_id for r in fresh}.isdisjoint(r.task_id for r in first)


def test_the_manifest_is_written_as_lines_progress(emulator, tmp_path) -> None:
    from qwencloud_skills.batch.manifest import read_manifest

    target = tmp_path / "batch-results.jsonl"
    results = run(emulator, tmp_path, lines_of(3), manifest=target)
    records = read_manifest(target)
    assert [r["id"] for r in records] == ["clip-01", "clip-02", "clip-03"]
    assert [r["task_id"] for r in records] == [r.task_id for r in results]
    assert all(r["status"] == "done" and os.path.isfile(r["files"][0]) for r in records)
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".batch-results")]  # no temp file left
