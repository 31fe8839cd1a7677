"""Retry policy and error mapping against the real emulator on a loopback port."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from qwencloud_skills.emulator import Emulator, EmulatorConfig, Fault
from qwencloud_skills.errors import ServiceError, TransportError, UnknownSubmitOutcomeError
from qwencloud_skills.retry import RetryPolicy, parse_retry_after
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.transport import AsyncServiceClient, ServiceClient, build_headers

SUBMIT = "/services/aigc/video-generation/video-synthesis"
BODY = {"model": "wan2.6-t2v", "input": {"prompt": "a cat"}, "parameters": {"size": "1280*720", "duration": 5}}
FAST = RetryPolicy(max_attempts=4, initial_delay=0.01, max_delay=2.0, jitter=0.1)


@pytest.fixture
def key(canary_key: str) -> ApiKey:
    return ApiKey(canary_key, "test")


@pytest.fixture
def client(emulator, key):
    with ServiceClient(key, emulator.api_base, policy=FAST, timeout=httpx.Timeout(2.0, connect=2.0)) as c:
        yield c


def submits(emulator) -> int:
    return sum(1 for r in emulator.requests if r.method == "POST" and r.path.endswith("video-synthesis"))


def test_headers_on_submit_and_oss_bodies(key: ApiKey) -> None:
    headers = build_headers(key, submit=True, body=BODY)
    assert headers["X-DashScope-Async"] == "enable"
    assert "X-DashScope-OssResourceResolve" not in headers
    oss = {"model": "m", "input": {"reference_urls": ["https://a/b.png", "oss://dir/c.png"]}}
    assert build_headers(key, submit=True, body=oss)["X-DashScope-OssResourceResolve"] == "enable"
    assert "X-DashScope-Async" not in build_headers(key)
    assert build_headers(key)["User-Agent"].startswith("qwencloud-skills/")


def test_submit_sends_dashscope_headers(emulator, client) -> None:
    answer = client.submit(SUBMIT, BODY)
    assert answer["output"]["task_id"]
    request = emulator.requests[-1]
    assert request.headers["X-DashScope-Async"] == "enable"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("qwencloud-skills/")
    assert request.json() == BODY


def test_429_with_retry_after_is_retried_after_the_given_delay(emulator, client) -> None:
    emulator.inject(Fault(route="submit", kind="status", status=429, retry_after=0.6, count=1))
    started = time.monotonic()
    answer = client.submit(SUBMIT, BODY)
    assert time.monotonic() - started >= 0.55
    assert answer["output"]["task_id"]
    assert submits(emulator) == 2


def test_retries_are_bounded(emulator, client) -> None:
    emulator.inject(Fault(route="submit", kind="status", status=429, retry_after=0.01, count=None))
    with pytest.raises(ServiceError) as info:
        client.submit(SUBMIT, BODY)
    assert info.value.status == 429
    assert submits(emulator) == FAST.max_attempts


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_on_submit_is_not_retried_and_reported_unknown(emulator, client, status: int) -> None:
    emulator.inject(Fault(route="submit", kind="status", status=status, after_accept=True))
    with pytest.raises(UnknownSubmitOutcomeError) as info:
        client.submit(SUBMIT, BODY)
    assert submits(emulator) == 1
    assert "NOT retried" in str(info.value) and "task list" in str(info.value)
    assert info.value.exit_code == 5
    assert len(emulator.tasks) == 1  # the service did create (and would bill) a task


def test_read_timeout_on_submit_is_not_retried(emulator, key) -> None:
    emulator.inject(Fault(route="submit", kind="delay", delay=1.5))
    with ServiceClient(key, emulator.api_base, policy=FAST, timeout=httpx.Timeout(0.5, connect=2.0)) as client:
        with pytest.raises(UnknownSubmitOutcomeError):
            client.submit(SUBMIT, BODY)
    time.sleep(1.2)
    assert submits(emulator) == 1


def test_dropped_connection_after_accept_is_unknown(emulator, client) -> None:
    emulator.inject(Fault(route="submit", kind="drop", after_accept=True))
    with pytest.raises(UnknownSubmitOutcomeError):
        client.submit(SUBMIT, BODY)
    assert submits(emulator) == 1


def test_connection_refused_submit_is_retried_until_the_server_is_up(key) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emu = Emulator(EmulatorConfig(), host="127.0.0.1", port=port)
    starter = threading.Timer(0.4, emu.start)
    starter.start()
    policy = RetryPolicy(max_attempts=8, initial_delay=0.2, max_delay=0.5, jitter=0.1)
    try:
        with ServiceClient(key, f"http://127.0.0.1:{port}/api/v1", policy=policy) as client:
            answer = client.submit(SUBMIT, BODY)
        assert answer["output"]["task_status"] == "PENDING"
        assert len(emu.tasks) == 1
    finally:
        starter.join()
        emu.stop()


def test_connection_refused_everywhere_gives_transport_error(key) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with ServiceClient(key, f"http://127.0.0.1:{port}/api/v1", policy=FAST) as client:
        with pytest.raises(TransportError, match="ConnectError"):
            client.get_task("abc")


@pytest.mark.parametrize("fault", [
    Fault(route="task", kind="status", status=503, count=2),
    Fault(route="task", kind="status", status=502, count=1),
    Fault(route="task", kind="drop", count=2),
])
def test_polls_are_retried(emulator, client, fault) -> None:
    task_id = client.submit(SUBMIT, BODY)["output"]["task_id"]
    emulator.inject(fault)
    answer = client.get_task(task_id)
    assert answer["output"]["task_id"] == task_id
    polls = [r for r in emulator.requests if r.method == "GET" and task_id in r.path]
    assert len(polls) == (fault.count or 0) + 1


def test_a_transient_500_on_poll_is_retried(emulator, client) -> None:
    task_id = client.submit(SUBMIT, BODY)["output"]["task_id"]
    emulator.inject(Fault(route="task", kind="status", status=500, count=1))
    assert client.get_task(task_id)["output"]["task_id"] == task_id
    assert sum(1 for r in emulator.requests if r.method == "GET" and task_id in r.path) == 2


def test_a_lasting_500_on_poll_ends_after_the_policy_attempts(emulator, client) -> None:
    emulator.inject(Fault(route="task", kind="status", status=500, count=None))
    with pytest.raises(ServiceError) as info:
        client.get_task("whatever")
    assert info.value.status == 500
    assert sum(1 for r in emulator.requests if r.method == "GET" and "whatever" in r.path) == FAST.max_attempts


def test_a_500_on_submit_is_never_retried(emulator, client) -> None:
    emulator.inject(Fault(route="submit", kind="status", status=500, count=1))
    with pytest.raises(UnknownSubmitOutcomeError):
        client.submit(SUBMIT, BODY)
    assert submits(emulator) == 1


def test_service_errors_are_typed_and_never_show_the_key(emulator, canary_key: str) -> None:
    emulator.config.accepted_keys = {"sk-only-this-one"}
    with ServiceClient(ApiKey(canary_key), emulator.api_base, policy=FAST) as client:
        with pytest.raises(ServiceError) as info:
            client.submit(SUBMIT, BODY)
    error = info.value
    assert (error.status, error.code) == (401, "InvalidApiKey")
    assert error.request_id
    assert canary_key not in str(error) and canary_key not in repr(error)
    assert "key" in (error.hint or "")


def test_bad_request_is_not_retried(emulator, client) -> None:
    with pytest.raises(ServiceError) as info:
        client.submit(SUBMIT, {"model": "no-such-model", "input": {"prompt": "x"}, "parameters": {}})
    assert info.value.status == 400
    assert submits(emulator) == 1


def test_async_client_has_the_same_policy(emulator, key) -> None:
    import asyncio

    async def scenario():
        async with AsyncServiceClient(key, emulator.api_base, policy=FAST) as client:
            emulator.inject(Fault(route="submit", kind="status", status=429, retry_after=0.05, count=1))
            first = await client.submit(SUBMIT, BODY)
            emulator.inject(Fault(route="submit", kind="status", status=503, after_accept=True))
            with pytest.raises(UnknownSubmitOutcomeError):
                await client.submit(SUBMIT, BODY)
            emulator.inject(Fault(route="task", kind="status", status=503, count=1))
            status = await client.get_task(first["output"]["task_id"])
            return first, status

    first, status = asyncio.run(scenario())
    assert status["output"]["task_id"] == first["output"]["task_id"]
    assert submits(emulator) == 3


@pytest.mark.parametrize("value, expected", [("3", 3.0), ("0.5", 0.5), (None, None), ("soon", None)])
def test_parse_retry_after(value, expected) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= parse_retry_after(when) <= 31
