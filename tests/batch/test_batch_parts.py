"""The batch's parts on their own: line shapes, the AIMD pacer, lanes from the plugin's documented limits,
the manifest's names, the ETA text, and the transport telling the pacer of each 429."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from qwencloud_skills.batch.lines import parse_item, parse_items
from qwencloud_skills.batch.manifest import MANIFEST_NAME, ResultsManifest, manifest_path, read_manifest
from qwencloud_skills.batch.pacer import Pacer
from qwencloud_skills.batch.plan import DEFAULT_CONCURRENCY, DEFAULT_SUBMITS_PER_SECOND, lane_for
from qwencloud_skills.batch.progress import eta_text
from qwencloud_skills.plugins import get_registry


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# -- lines --------------------------------------------------------------------------------------


def test_a_line_is_a_request_or_an_envelope() -> None:
    plain, problem = parse_item({"prompt": "x", "duration": 5}, 7)
    assert problem is None and (plain.id, plain.request, plain.mode, plain.model) == ("7", {"prompt": "x",
                                                                                             "duration": 5}, None, None)
    wrapped, problem = parse_item({"id": "a", "request": {"prompt": "y"}, "mode": "t2v", "model": "m"}, 2)
    assert problem is None and (wrapped.id, wrapped.request, wrapped.mode, wrapped.model) == ("a", {"prompt": "y"},
                                                                                              "t2v", "m")
    numbered, _ = parse_item({"id": 12, "request": {}}, 1)
    assert numbered.id == "12"


@pytest.mark.parametrize("item, field, words", [
    ([1, 2], "line", "must be a JSON object"),
    ({"id": "a", "request": "text"}, "request", "must be a JSON object"),
    ({"id": "a", "request": {}, "extra": 1}, "extra", "not a field of a batch line"),
    ({"id": True, "request": {}}, "id", "must be a string"),
    ({"id": ".hidden", "request": {}}, "id", "not usable as a file name"),
    ({"id": "a/b", "request": {}}, "id", "not usable as a file name"),
    ({"id": "a", "request": {}, "mode": ""}, "mode", "non-empty string"),
])
def test_unusable_lines_name_the_field(item, field: str, words: str) -> None:
    line, problem = parse_item(item, 4)
    assert line is None and problem.number == 4
    assert any(issue.field == field and words in issue.problem for issue in problem.issues)


def test_ids_are_unique_whatever_their_case() -> None:
    lines, problems = parse_items([{"id": "A", "request": {}}, {"id": "a", "request": {}}, {"prompt": "x"}])
    assert [line.id for line in lines] == ["A", "3"]
    assert [(p.number, p.issues[0].problem) for p in problems] == [(2, "is already the id of line 1")]


# -- the pacer ----------------------------------------------------------------------------------


def test_the_pacer_starts_under_the_limit_with_the_services_burst() -> None:
    clock = Clock()
    pacer = Pacer(5.0, clock=clock)
    assert pacer.rate == pytest.approx(4.5) and pacer.burst == 5
    for _ in range(5):
        assert pacer.delay() == 0.0
        pacer.take()
    assert pacer.delay() == pytest.approx(5 / 4.5)  # the sixth waits for the window: 5 in any 1.11 s


def test_a_429_halves_the_rate_and_honours_retry_after_then_it_climbs_back() -> None:
    clock = Clock()
    pacer = Pacer(5.0, clock=clock)
    pacer.throttle(retry_after=3.0)
    assert pacer.rate == pytest.approx(2.25) and pacer.burst == 3 and pacer.throttled == 1
    assert pacer.delay() == pytest.approx(3.0)  # nothing before the service's Retry-After
    pacer.throttle(None)
    assert pacer.rate == pytest.approx(1.125)
    for _ in range(100):
        pacer.throttle(None)
    assert pacer.rate == pytest.approx(pacer.floor)  # never stops altogether
    rates = []
    for _ in range(25):
        pacer.succeeded()
        rates.append(pacer.rate)
    assert all(b - a == pytest.approx(4.5 / 20) or b == pytest.approx(4.5) for a, b in zip(rates, rates[1:]))
    assert rates[-1] == pytest.approx(4.5)  # additive increase, capped at the ceiling


def test_the_window_counts_from_the_answer_not_the_start() -> None:
    clock = Clock()
    pacer = Pacer(1.0, clock=clock)
    pacer.take()
    clock.now += 0.8  # the answer took 0.8 s: the service may have counted it that late
    pacer.answered()
    assert pacer.delay() == pytest.approx(1 / 0.9)


def test_waiting_callers_take_turns() -> None:
    async def go() -> List[float]:
        pacer = Pacer(20.0)
        loop = asyncio.get_running_loop()
        started = loop.time()
        times: List[float] = []

        async def one() -> None:
            await pacer.wait()
            times.append(loop.time() - started)

        await asyncio.gather(*(one() for _ in range(24)))
        return times

    times = asyncio.run(go())
    assert len(times) == 24 and max(times[:18]) < 0.2 and min(times[18:]) >= 1.0 - 0.05


# -- lanes: limits from the plugin ---------------------------------------------------------------


def _prepared(model: str):
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskBook

    book = TaskBook(skill="qwencloud-video-generation", api_key=ApiKey("sk-parts-test-0001"), ledger=False)
    return book.prepare({"prompt": "x"}, model=model)


def test_the_video_plugin_documents_each_models_account_limits() -> None:
    modes = get_registry().modes_of("qwencloud-video-generation")
    specs = {spec.id: spec for mode in modes for spec in mode.models}
    assert (specs["wan2.6-t2v"].concurrency, specs["wan2.6-t2v"].submits_per_second) == (5, 5.0)
    assert (specs["wan2.7-i2v"].concurrency, specs["wan2.7-i2v"].submits_per_second) == (5, 5.0)
    assert (specs["wan2.2-kf2v-flash"].concurrency, specs["wan2.2-kf2v-flash"].submits_per_second) == (2, 2.0)
    assert specs["wan3.0-video"].concurrency is None  # not in the published table


@pytest.mark.parametrize("model, options, expected", [
    ("wan2.6-t2v", {}, (5, 3, 5.0, True)),  # documented: 5 slots, half as many queued ahead
    ("wan2.2-t2v-plus", {}, (2, 1, 2.0, True)),
    ("wan2.6-t2v", {"concurrency": 3}, (3, 0, 5.0, True)),  # fewer slots than the account has: nothing queued
    ("wan2.6-t2v", {"queue_ahead": 0}, (5, 0, 5.0, True)),
    ("wan2.6-t2v", {"submit_rate": 1.5}, (5, 3, 1.5, True)),
])
def test_lanes_take_the_documented_limits(model: str, options: dict, expected: Tuple) -> None:
    lane = lane_for(_prepared(model), options.get("concurrency"), options.get("queue_ahead"),
                    options.get("submit_rate"))
    assert (lane.slots, lane.ahead, lane.submits_per_second, lane.documented) == expected


def test_a_model_without_documented_limits_gets_the_cautious_default() -> None:
    from qwencloud_skills.registry import ModelSpec

    class Prepared:
        class mode:
            @staticmethod
            def model(model_id: str) -> Optional[ModelSpec]:
                return ModelSpec(model_id)

        model = "third-party-1"
        base_url = ""

    lane = lane_for(Prepared, None, None, None)
    assert (lane.slots, lane.submits_per_second, lane.documented) == (DEFAULT_CONCURRENCY,
                                                                      DEFAULT_SUBMITS_PER_SECOND, False)
    assert "cautious default" in lane.describe()


# -- the manifest and the ETA ------------------------------------------------------------------------


def test_the_manifest_never_takes_another_batchs_file(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text('{"line": 1}\n')
    mine = manifest_path(tmp_path, None)
    assert mine.name == "batch-results_1.jsonl" and mine.exists()  # claimed at once
    assert manifest_path(tmp_path, str(mine)) == mine  # a rerun of this batch finds its own
    written = ResultsManifest(mine)
    written.add(2, "b")
    written.add(1, "a", "done", files=[tmp_path / "a.mp4"])
    written.flush()
    assert [(r["line"], r["id"], r["status"]) for r in read_manifest(mine)] == [(1, "a", "done"), (2, "b", "queued")]
    assert (tmp_path / MANIFEST_NAME).read_text() == '{"line": 1}\n'


@pytest.mark.parametrize("seconds, text", [(None, "ETA --"), (0, "ETA 0s"), (42.4, "ETA 42s"), (65, "ETA 1m05s"),
                                           (3720, "ETA 1h02m")])
def test_eta_text(seconds, text: str) -> None:
    assert eta_text(seconds) == text


# -- the transport tells of every 429 ---------------------------------------------------------------


def test_the_transport_tells_an_observer_of_each_429_and_still_retries_by_itself(emulator) -> None:
    from qwencloud_skills.emulator import Fault
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.transport import ServiceClient

    emulator.inject(Fault("submit", "status", status=429, retry_after=0.2, count=2))
    heard: List[Tuple[bool, Optional[float]]] = []
    with ServiceClient(ApiKey("sk-observer-test-0001"), emulator.api_base) as service:
        service.on_throttled = lambda submit, retry_after: heard.append((submit, retry_after))
        body = {"model": "wan2.6-t2v", "input": {"prompt": "x"}, "parameters": {"size": "1280*720", "duration": 5}}
        answer = service.submit("/services/aigc/video-generation/video-synthesis", body)
    assert answer["output"]["task_id"]
    assert heard == [(True, 0.2), (True, 0.2)]
