"""The service's limits in the emulator: running slots and the PENDING queue, the submit and
query rates (429 Throttling.RateQuota with Retry-After), drawn generation times, and the counters.

Everything goes over real HTTP; the clock is moved with ``advance_time`` wherever a wait would
otherwise be real, so the tests stay fast and do not depend on the machine's load.
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Iterator, List

import dashscope
import httpx
import pytest
from dashscope import VideoSynthesis

from qwencloud_skills.emulator import (
    Emulator,
    EmulatorConfig,
    EmulatorStats,
    Fault,
    ModelLimits,
    Service,
    SubmitContext,
    TaskPlan,
)
from qwencloud_skills.emulator.cli import build_parser, config_from_args
from qwencloud_skills.emulator.quotas import DEFAULT_LIMITS, RATE_CODE, SlidingWindow, limits_for, rate_window
from qwencloud_skills.emulator.stats import most_at_once
from qwencloud_skills.emulator.timing import mean_seconds

from .helpers import API_KEY, Api

MODEL = "wan2.6-t2v"
OTHER_MODEL = "wan2.2-t2v-plus"


def body(duration: int = 5, size: str = "1280*720", model: str = MODEL) -> Dict[str, Any]:
    return {"model": model, "input": {"prompt": "p"}, "parameters": {"size": size, "duration": duration}}


OTHER_BODY = {"model": OTHER_MODEL, "input": {"prompt": "p"}, "parameters": {"size": "832*480"}}


@pytest.fixture
def make(media_cache: str) -> Iterator[Callable[..., Api]]:
    """Start an emulator with these config fields; returns an HTTP helper bound to it."""
    started: List[Emulator] = []
    clients: List[Api] = []

    def start(**fields: Any) -> Api:
        fields.setdefault("pending_seconds", 0.0)
        fields.setdefault("generation_seconds", 10.0)
        config = EmulatorConfig(media_cache_dir=media_cache, render_media=False, **fields)
        emulator = Emulator(config, host="127.0.0.1", port=0).start()
        started.append(emulator)
        clients.append(Api(emulator))
        return clients[-1]

    yield start
    for client in clients:
        client.close()
    for emulator in started:
        emulator.stop()


def states(api: Api, task_ids: List[str]) -> List[str]:
    return [api.output(task_id)["task_status"] for task_id in task_ids]


# -- running slots and the queue ------------------------------------------------------------------


def test_tasks_beyond_the_concurrency_wait_pending_then_run_in_order(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=5, submit_rate_limit=100)
    ids = [api.submit_ok(body()) for _ in range(7)]
    assert states(api, ids) == ["RUNNING"] * 5 + ["PENDING"] * 2
    queued = api.output(ids[5])
    assert "scheduled_time" not in queued
    api.emu.advance_time(10)  # the first five end; the two waiting take their slots
    assert states(api, ids) == ["SUCCEEDED"] * 5 + ["RUNNING"] * 2
    started = api.output(ids[5])
    assert started["scheduled_time"] >= api.output(ids[0])["end_time"]
    assert api.emu.stats().running == 2
    api.emu.advance_time(10)  # their generation time started with their slot, not at submit
    assert states(api, ids) == ["SUCCEEDED"] * 7
    stats = api.emu.stats()
    assert stats.max_running == 5 and stats.max_running_by_model == {MODEL: 5}


def test_queue_works_in_real_time(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=2, generation_seconds=0.25, query_rate_limit=1000)
    ids = [api.submit_ok(body()) for _ in range(4)]
    finished = [api.wait(task_id, timeout=10)["output"] for task_id in ids]
    assert [out["task_status"] for out in finished] == ["SUCCEEDED"] * 4
    assert finished[2]["scheduled_time"] >= min(finished[0]["end_time"], finished[1]["end_time"])
    assert api.emu.stats().max_running == 2


def test_without_quotas_nothing_waits(make) -> None:
    api = make()
    ids = [api.submit_ok(body()) for _ in range(7)]
    assert states(api, ids) == ["RUNNING"] * 7
    assert api.emu.stats().max_running == 7


def test_slots_are_per_account_and_model(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=1)
    first, second = api.submit_ok(body()), api.submit_ok(body())
    other_key = api.submit_ok(body(), key="sk-another-account")
    other_model = api.submit_ok(OTHER_BODY)
    assert states(api, [first, second, other_key, other_model]) == ["RUNNING", "PENDING", "RUNNING", "RUNNING"]


def test_a_canceled_waiting_task_gives_its_turn_to_the_next(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=1)
    running, canceled, later = (api.submit_ok(body()) for _ in range(3))
    assert api.cancel(running).status_code == 400  # RUNNING: not cancelable
    assert api.cancel(canceled).status_code == 200
    api.emu.advance_time(10)
    assert states(api, [running, canceled, later]) == ["SUCCEEDED", "CANCELED", "RUNNING"]
    assert "scheduled_time" not in api.output(canceled)


def test_a_task_that_never_finishes_keeps_its_slot(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=1)
    api.emu.inject(Fault("submit", "never_finish"))
    stuck, waiting = api.submit_ok(body()), api.submit_ok(body())
    api.emu.advance_time(10_000)
    assert states(api, [stuck, waiting]) == ["RUNNING", "PENDING"]


def test_a_full_queue_refuses_the_submit_with_429(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=1, queue_limit=2)
    ids = [api.submit_ok(body()) for _ in range(3)]  # one running, two waiting
    refused = api.submit(body())
    assert refused.status_code == 429
    assert refused.json()["code"] == RATE_CODE and "queue" in refused.json()["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert len(api.emu.tasks) == 3
    stats = api.emu.stats()
    assert (stats.submits_accepted, stats.submits_throttled, stats.submits_queue_full) == (3, 1, 1)
    assert stats.pending == 2
    api.emu.advance_time(10)  # one waiting task starts: a place in the queue frees
    assert api.submit(body()).status_code == 200
    assert states(api, ids) == ["SUCCEEDED", "RUNNING", "PENDING"]


# -- submit and query rates ----------------------------------------------------------------------------


def test_submits_over_the_rate_get_429_with_retry_after_and_create_no_task(make) -> None:
    api = make(enforce_quotas=True, submit_rate_limit=3, concurrency_limit=50)
    assert all(api.submit(body()).status_code == 200 for _ in range(3))
    refused = api.submit(body())
    assert refused.status_code == 429
    assert refused.json()["code"] == "Throttling.RateQuota" and refused.json()["request_id"]
    assert refused.headers["Retry-After"] == "1"
    assert "output" not in refused.json() and len(api.emu.tasks) == 3
    assert api.submit(body(), key="sk-another-account").status_code == 200  # per account
    assert api.submit(OTHER_BODY).status_code == 200  # and per model
    api.emu.advance_time(1.0)  # the window slides past the first three
    assert api.submit(body()).status_code == 200
    stats = api.emu.stats()
    assert (stats.submits_accepted, stats.submits_throttled, stats.submits_queue_full) == (6, 1, 0)


def test_the_default_limits_are_the_documented_ones(make) -> None:
    assert (DEFAULT_LIMITS.submits, DEFAULT_LIMITS.period, DEFAULT_LIMITS.concurrency, DEFAULT_LIMITS.queue) == (
        5, 1.0, 5, 500)
    api = make(enforce_quotas=True)
    codes = [api.submit(body()).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_model_limits_from_the_config_and_from_a_service_table(make) -> None:
    api = make(enforce_quotas=True, model_limits={OTHER_MODEL: ModelLimits(submits=2, concurrency=1)})
    assert [api.submit(OTHER_BODY).status_code for _ in range(3)] == [200, 200, 429]

    def plan(context: SubmitContext) -> TaskPlan:
        return TaskPlan(model=context.payload["model"])

    path = "/api/v1/services/aigc/notes/generation"
    table = {"slow-notes": ModelLimits(submits=1, period=2.0), "*": ModelLimits(submits=2)}
    api.emu.add_service(Service("notes", plan, paths=(path,), model_limits=table))
    note = {"model": "slow-notes"}
    assert [api.submit(note, path=path[len("/api/v1"):]).status_code for _ in range(2)] == [200, 429]
    api.emu.advance_time(1.0)
    assert api.submit(note, path=path[len("/api/v1"):]).status_code == 429  # 1 per 2 s
    other = {"model": "quick-notes"}
    assert [api.submit(other, path=path[len("/api/v1"):]).status_code for _ in range(3)] == [200, 200, 429]


def test_task_queries_over_20_per_second_get_429(make) -> None:
    api = make(enforce_quotas=True)
    task_id = api.submit_ok(body())
    with ThreadPoolExecutor(25) as pool:  # at once: one client polling in turn may not reach 20 per second
        codes = sorted(pool.map(lambda _: api.task(task_id).status_code, range(25)))
    assert codes == [200] * 20 + [429] * 5
    refused = api.task(task_id)
    assert refused.json()["code"] == RATE_CODE and refused.headers["Retry-After"] == "1"
    assert api.list().status_code == 200  # the list has its own 20 per second
    api.emu.advance_time(1.0)
    assert api.task(task_id).status_code == 200
    stats = api.emu.stats()
    assert stats.queries_throttled == 6 and stats.polls == {task_id: 27}


def test_cancel_and_list_are_rated_too(make) -> None:
    api = make(enforce_quotas=True, query_rate_limit=2)
    assert [api.list().status_code for _ in range(3)] == [200, 200, 429]
    assert [api.cancel("no-such-task").status_code for _ in range(3)] == [400, 400, 429]


def test_queries_are_not_rated_without_quotas(make) -> None:
    api = make()
    task_id = api.submit_ok(body())
    assert {api.task(task_id).status_code for _ in range(25)} == {200}
    assert api.emu.stats().queries_throttled == 0


def test_sliding_window_and_rates() -> None:
    window = SlidingWindow()
    assert [window.take(now, 2, 1.0) for now in (0.0, 0.1)] == [None, None]
    assert window.take(0.5, 2, 1.0) == pytest.approx(0.5)  # until the first leaves the window
    assert window.take(1.0, 2, 1.0) is None
    assert rate_window(5) == (5, 1.0) and rate_window(0.5) == (1, 2.0)
    config = EmulatorConfig(submit_rate_limit=0.5, concurrency_limit=3, queue_limit=0)
    assert limits_for("any", config, {}) == ModelLimits(submits=1, period=2.0, concurrency=3, queue=0)


# -- drawn generation times -----------------------------------------------------------------------------


def drawn(api: Api, bodies: List[Dict[str, Any]]) -> List[float]:
    return [api.emu.tasks[api.submit_ok(item)].generation_seconds for item in bodies]


def test_drawn_times_grow_with_duration_and_size(make) -> None:
    api = make(generation_model="realistic", seed=7, time_scale=0.01, base_seconds={MODEL: 40.0})
    short = drawn(api, [body(5)] * 12)
    long = drawn(api, [body(10)] * 12)
    large = drawn(api, [body(5, "1920*1080")] * 12)
    assert all(0.8 * 0.4 <= value <= 1.2 * 0.4 for value in short)  # 40 s x 0.01, +-20 %
    assert all(0.8 * 0.8 <= value <= 1.2 * 0.8 for value in long)
    assert statistics.mean(long) > 1.6 * statistics.mean(short)
    assert statistics.mean(large) > 1.5 * statistics.mean(short)
    assert len(set(short)) == len(short)  # drawn, not fixed


def test_drawn_times_are_reproducible_with_a_seed(make) -> None:
    bodies = [body(duration) for duration in (5, 10, 3, 15, 5)]
    first = drawn(make(generation_model="realistic", seed=11), bodies)
    again = drawn(make(generation_model="realistic", seed=11), bodies)
    other = drawn(make(generation_model="realistic", seed=12), bodies)
    assert first == again and first != other


def test_a_task_runs_for_its_drawn_time(make) -> None:
    api = make(generation_model="realistic", seed=3, base_seconds={MODEL: 45.0})
    task_id = api.submit_ok(body(10))
    seconds = api.emu.tasks[task_id].generation_seconds
    assert seconds == pytest.approx(mean_seconds(45.0, 10, 1280 * 720), rel=0.2)
    api.emu.advance_time(seconds - 1)
    assert api.output(task_id)["task_status"] == "RUNNING"
    api.emu.advance_time(2)
    assert api.output(task_id)["task_status"] == "SUCCEEDED"


def test_a_fast_time_scale_finishes_in_real_time(make) -> None:
    api = make(generation_model="realistic", time_scale=0.002)  # about 0.1 s
    started = time.monotonic()
    assert api.wait(api.submit_ok(body()), timeout=10)["output"]["task_status"] == "SUCCEEDED"
    assert time.monotonic() - started < 5


def test_without_a_generation_model_the_fixed_time_stays(make) -> None:
    api = make(generation_seconds=2.5, seed=1)
    assert drawn(api, [body(5), body(15, "1920*1080")]) == [2.5, 2.5]


def test_queued_tasks_wait_for_drawn_times(make) -> None:
    api = make(enforce_quotas=True, concurrency_limit=1, generation_model="realistic", seed=5)
    first, second = api.submit_ok(body()), api.submit_ok(body())
    api.emu.advance_time(api.emu.tasks[first].generation_seconds + 0.01)
    assert states(api, [first, second]) == ["SUCCEEDED", "RUNNING"]


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="generation_model"):
        EmulatorConfig(generation_model="fast")
    with pytest.raises(ValueError, match="time_scale"):
        EmulatorConfig(time_scale=0)
    with pytest.raises(ValueError, match="submit_rate_limit"):
        EmulatorConfig(submit_rate_limit=0)
    with pytest.raises(ValueError, match="concurrency_limit"):
        EmulatorConfig(concurrency_limit=0)


# -- counters ---------------------------------------------------------------------------------------------


def test_stats_count_submits_and_polls(make) -> None:
    api = make(generation_seconds=0.0)
    assert api.emu.stats() == EmulatorStats()
    first, second = api.submit_ok(body()), api.submit_ok(body())
    for _ in range(3):
        api.task(first)
    api.task(second)
    api.emu.inject(Fault("task", "status", status=503))
    api.task(second)  # answered by the fault, still a poll the client sent
    assert api.submit({"model": MODEL}).status_code == 400  # refused: not accepted
    stats = api.emu.stats()
    assert stats.submits_accepted == 2 and stats.submits_throttled == 0
    assert stats.polls == {first: 3, second: 2}
    assert (stats.running, stats.pending) == (0, 0) and stats.max_running == 0  # 0 s tasks never overlap


# -- the official SDK and the command line -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_official_sdk_sees_429_as_an_error_with_the_code(make, monkeypatch) -> None:
    api = make(enforce_quotas=True, submit_rate_limit=1, query_rate_limit=1)
    monkeypatch.setattr(dashscope, "base_http_api_url", api.emu.api_base)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    accepted = VideoSynthesis.async_call(model=MODEL, prompt="a cat", size="1280*720", api_key=API_KEY)
    assert accepted.status_code == 200, accepted.message
    refused = VideoSynthesis.async_call(model=MODEL, prompt="a cat", size="1280*720", api_key=API_KEY)
    assert refused.status_code == 429 and refused.code == "Throttling.RateQuota"
    assert refused.output is None
    assert VideoSynthesis.fetch(accepted, api_key=API_KEY).status_code == 200
    throttled = VideoSynthesis.fetch(accepted, api_key=API_KEY)
    assert throttled.status_code == 429 and throttled.code == "Throttling.RateQuota"
    assert len(api.emu.tasks) == 1


def test_cli_flags() -> None:
    args = build_parser([]).parse_args([
        "--enforce-quotas", "--submit-rate-limit", "2.5", "--concurrency-limit", "3", "--queue-limit", "0",
        "--query-rate-limit", "10", "--generation-model", "realistic", "--time-scale", "0.01", "--seed", "4",
    ])
    config = config_from_args(args)
    assert config.enforce_quotas and config.submit_rate_limit == 2.5 and config.concurrency_limit == 3
    assert config.queue_limit == 0 and config.query_rate_limit == 10
    assert (config.generation_model, config.time_scale, config.seed) == ("realistic", 0.01, 4)
    defaults = config_from_args(build_parser([]).parse_args([]))
    assert not defaults.enforce_quotas and defaults.generation_model is None and defaults.time_scale == 1.0


@pytest.mark.parametrize("flags", [["--time-scale", "0"], ["--concurrency-limit", "0"], ["--generation-model", "x"]])
def test_cli_refuses_bad_values(flags: List[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser([]).parse_args(flags)
    assert exited.value.code == 2 and flags[0] in capsys.readouterr().err


def test_host_cli_serves_with_quotas() -> None:
    """The flags reach a served emulator: `qwencloud-skills emulator --enforce-quotas ...`."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).parent / "qwencloud-skills"
    process = subprocess.Popen(
        [str(script), "emulator", "--enforce-quotas", "--submit-rate-limit", "1", "--no-render"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        with httpx.Client(trust_env=False, timeout=10) as http:
            headers = {"Authorization": f"Bearer {API_KEY}", "X-DashScope-Async": "enable"}
            url = base + "/api/v1/services/aigc/video-generation/video-synthesis"
            codes = [http.post(url, json=body(), headers=headers).status_code for _ in range(2)]
        assert codes == [200, 429]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_most_at_once() -> None:
    assert most_at_once([(0, 2), (1, 3), (2, 4)]) == 2  # an end and a start at 2 do not overlap
    assert most_at_once([]) == 0
