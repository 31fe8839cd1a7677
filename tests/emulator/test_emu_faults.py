"""Every fault kind is observable from the wire."""

from __future__ import annotations

import http.client
import time
from urllib.parse import urlsplit

import httpx
import pytest

from qwencloud_skills.emulator import Emulator, Fault

BODY = {"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}, "parameters": {"size": "832*480"}}


def test_status_with_retry_after_does_not_create_a_task(api, emu: Emulator) -> None:
    emu.inject(Fault("submit", "status", status=429, retry_after=2))
    response = api.submit(BODY)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    body = response.json()
    assert body["code"] == "Throttling" and body["message"] and body["request_id"]
    assert len(emu.tasks) == 0
    assert api.submit(BODY).status_code == 200  # count=1: used up
    assert len(emu.tasks) == 1


def test_status_defaults_and_custom_code(api, emu: Emulator) -> None:
    emu.inject(Fault("task", "status", status=500, retry_after=0.5, count=2))
    emu.inject(Fault("list", "status", status=503, code="ServiceBusy", message="try later"))
    first, second, third = (api.task("x") for _ in range(3))
    assert first.status_code == second.status_code == 500
    assert first.json()["code"] == "InternalError" and first.headers["retry-after"] == "0.5"
    assert third.status_code == 200
    listed = api.list()
    assert listed.status_code == 503 and listed.json() == {
        "request_id": listed.json()["request_id"],
        "code": "ServiceBusy",
        "message": "try later",
    }


def test_forever_fault_until_cleared(api, emu: Emulator) -> None:
    emu.inject(Fault("*", "status", status=502, count=None))
    assert [api.task("x").status_code for _ in range(3)] == [502, 502, 502]
    assert len(emu.faults) == 1
    emu.clear_faults()
    assert api.task("x").status_code == 200


def test_drop_closes_without_answer(api, emu: Emulator) -> None:
    emu.inject(Fault("submit", "drop"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.submit(BODY)
    assert len(emu.tasks) == 0
    assert emu.requests[-1].route == "submit"  # the request was read and recorded
    assert api.submit(BODY).status_code == 200


@pytest.mark.parametrize("kind", ["status", "drop"])
def test_after_accept_creates_the_task(api, emu: Emulator, kind: str) -> None:
    emu.inject(Fault("submit", kind, status=500, after_accept=True))
    if kind == "status":
        assert api.submit(BODY).status_code == 500
    else:
        with pytest.raises(httpx.RemoteProtocolError):
            api.submit(BODY)
    (task_id,) = list(emu.tasks)
    assert api.output(task_id)["task_status"] == "SUCCEEDED"


def test_delay_causes_read_timeout(api, emu: Emulator) -> None:
    emu.inject(Fault("task", "delay", delay=0.6))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        api.task("x", timeout=0.2)
    assert time.monotonic() - started < 0.5
    started = time.monotonic()
    assert api.task("x").status_code == 200
    assert time.monotonic() - started < 0.5


def test_delay_then_normal_answer(api, emu: Emulator) -> None:
    emu.inject(Fault("submit", "delay", delay=0.3))
    started = time.monotonic()
    assert api.submit(BODY).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_truncate_download(api, emu: Emulator) -> None:
    url = api.video(BODY)
    full = api.http.get(url).content
    emu.inject(Fault("download", "truncate"))
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path + "?" + parts.query)
    response = connection.getresponse()
    assert int(response.getheader("Content-Length")) == len(full)
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    assert len(caught.value.partial) == len(full) // 2
    connection.close()
    assert api.http.get(url).content == full


def test_truncate_blob_with_httpx(api, emu: Emulator) -> None:
    url = emu.add_blob("t.bin", 200_000)
    emu.inject(Fault("download", "truncate"))
    with pytest.raises(httpx.RemoteProtocolError):
        api.http.get(url)


def test_fail_task(api, emu: Emulator) -> None:
    emu.inject(Fault("submit", "fail_task", code="DataInspectionFailed", message="Input data may contain bad content."))
    failed = api.wait(api.submit_ok(BODY))["output"]
    assert failed["task_status"] == "FAILED"
    assert failed["code"] == "DataInspectionFailed"
    assert failed["message"] == "Input data may contain bad content."
    assert "video_url" not in failed and failed["end_time"]
    assert api.wait(api.submit_ok(BODY))["output"]["task_status"] == "SUCCEEDED"


def test_fail_task_default_code(api, emu: Emulator) -> None:
    emu.inject(Fault("*", "fail_task"))
    failed = api.wait(api.submit_ok(BODY))["output"]
    assert failed["task_status"] == "FAILED" and failed["code"] and failed["message"]


def test_never_finish(api, emu: Emulator) -> None:
    emu.inject(Fault("submit", "never_finish"))
    task_id = api.submit_ok(BODY)
    emu.advance_time(10_000)
    assert api.output(task_id)["task_status"] == "RUNNING"
    assert emu.tasks[task_id].status == "RUNNING"


def test_fault_validation() -> None:
    with pytest.raises(ValueError):
        Fault("nowhere", "status")
    with pytest.raises(ValueError):
        Fault("submit", "explode")
    with pytest.raises(ValueError):
        Fault("download", "fail_task")
    with pytest.raises(ValueError):
        Fault("task", "status", count=0)
