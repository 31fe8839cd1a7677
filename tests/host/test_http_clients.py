"""One HTTP configuration: every client comes from httpconfig, and the key reaches the API host only.

The key tests run against real local servers (the emulator, and two hostile servers on
different ports, i.e. different origins). The transport seam (an httpx.MockTransport)
is used once, to prove that every client the package makes goes through it.
"""

from __future__ import annotations

import ast
import asyncio
import time
from pathlib import Path
from typing import Any, List

import httpx
import pytest
from hostile import HostileServer, Reply
from mediafiles import write_media

from qwencloud_skills.download import adownload, download
from qwencloud_skills.errors import ServiceError, TransportError
from qwencloud_skills.httpconfig import async_client, current_settings, sync_client, use_transport
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.retry import RetryPolicy
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import AsyncTaskClient, TaskClient
from qwencloud_skills.transport import AsyncServiceClient, ServiceClient

PACKAGE = Path(__file__).resolve().parents[2] / "qwencloud_skills"
SKILL = "qwencloud-video-generation"
FAST = RetryPolicy(max_attempts=2, initial_delay=0.01, max_delay=0.02)
I2V = {"prompt": "a cat", "resolution": "720P"}


def _run(drive: str, sync_call: Any, async_call: Any) -> Any:
    return sync_call() if drive == "sync" else asyncio.run(async_call())


# -- the key: API calls only ---------------------------------------------------------------------------

@pytest.mark.parametrize("drive", ["sync", "async"])
def test_the_key_goes_to_api_calls_never_to_the_upload_or_the_download(
        drive: str, emulator, tmp_path: Path, canary_key: str) -> None:
    frame = write_media(tmp_path / "frame.png", 4096)
    request = {**I2V, "img_url": str(frame)}
    options = dict(skill=SKILL, api_key=ApiKey(canary_key), base_url=emulator.api_base,
                   ledger=Ledger(tmp_path / "ledger.sqlite3"), policy=FAST)
    out = dict(output_dir=tmp_path / "out", interval=0.05, timeout=30)

    def sync() -> Any:
        with TaskClient(**options) as client:
            return client.create_and_poll(request, **out)

    async def asynchronous() -> Any:
        async with AsyncTaskClient(**options) as client:
            return await client.create_and_poll(request, **out)

    result = _run(drive, sync, asynchronous)
    assert result.files and all(Path(f).is_file() for f in result.files)
    api = [r for r in emulator.requests if r.url_path.startswith("/api/")]
    upload = [r for r in emulator.requests if "oss-upload" in r.url_path]
    media = [r for r in emulator.requests if r not in api and r not in upload]
    assert api and upload and media  # policy, submit, polls; the form post; the result file
    assert all(r.headers["Authorization"] == f"Bearer {canary_key}" for r in api)
    for seen in upload + media:
        assert "Authorization" not in seen.headers, seen.path
        assert canary_key not in repr(seen.headers.items_raw()) and canary_key.encode() not in seen.body


@pytest.mark.parametrize("drive", ["sync", "async"])
def test_a_redirect_from_the_api_host_is_not_followed(drive: str, canary_key: str) -> None:
    with HostileServer() as api, HostileServer() as elsewhere:
        elsewhere.on("*", "/", Reply.json({"output": {"task_id": "t-1", "task_status": "SUCCEEDED"}}))
        api.on("GET", "/api/v1/tasks/", Reply(302, b"", headers={"Location": elsewhere.base_url + "/steal"}))
        key = ApiKey(canary_key)

        def sync() -> Any:
            with ServiceClient(key, api.api_base, policy=FAST) as client:
                return client.get_task("t-1")

        async def asynchronous() -> Any:
            async with AsyncServiceClient(key, api.api_base, policy=FAST) as client:
                return await client.get_task("t-1")

        with pytest.raises(ServiceError):
            _run(drive, sync, asynchronous)
        assert api.count("GET", "/api/v1/tasks/t-1") == 1
        assert elsewhere.count() == 0


@pytest.mark.parametrize("drive", ["sync", "async"])
def test_a_client_refuses_to_carry_the_key_anywhere_but_its_own_api_host(drive: str, canary_key: str) -> None:
    headers = {"Authorization": f"Bearer {canary_key}"}
    with HostileServer() as api, HostileServer() as media:
        api.on("GET", "/", Reply(200, b"ok"))
        media.on("GET", "/", Reply(200, b"ok"))

        def sync() -> List[int]:
            for purpose in ("upload", "download"):
                with sync_client(purpose) as http, pytest.raises(TransportError, match="refused to send the API key"):
                    http.get(media.base_url + "/v.mp4", headers=headers)
            with sync_client("api", key_origin=api.api_base) as http:
                with pytest.raises(TransportError, match="refused to send the API key"):
                    http.get(media.base_url + "/v.mp4", headers=headers)
                return [http.get(api.base_url + "/api/v1/tasks", headers=headers).status_code]

        async def asynchronous() -> List[int]:
            for purpose in ("upload", "download"):
                async with async_client(purpose) as http:
                    with pytest.raises(TransportError, match="refused to send the API key"):
                        await http.get(media.base_url + "/v.mp4", headers=headers)
            async with async_client("api", key_origin=api.api_base) as http:
                with pytest.raises(TransportError, match="refused to send the API key"):
                    await http.get(media.base_url + "/v.mp4", headers=headers)
                return [(await http.get(api.base_url + "/api/v1/tasks", headers=headers)).status_code]

        assert _run(drive, sync, asynchronous) == [200]
        assert media.count() == 0  # refused before anything left
        assert [r.headers["Authorization"] for r in api.seen()] == [f"Bearer {canary_key}"]


# -- one place makes every client ------------------------------------------------------------------------

HTTPX_REQUESTS = {"Client", "AsyncClient", "get", "post", "put", "patch", "delete", "head", "options", "request",
                  "stream"}


def test_no_module_but_httpconfig_makes_an_http_client() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "httpconfig.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "httpx"
                    and func.attr in HTTPX_REQUESTS):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} httpx.{func.attr}")
    assert found == [], "use httpconfig.sync_client/async_client so proxy, TLS and timeouts are set in one place"


def test_every_client_goes_through_the_injected_transport(tmp_path: Path, canary_key: str) -> None:
    """The seam itself: with a transport injected, API calls, uploads and downloads (sync and async) all use it."""
    seen: List[str] = []
    frame = write_media(tmp_path / "frame.png", 4096)

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.host}{request.url.path}")
        path = request.url.path
        if path.endswith("/uploads"):
            data = {"upload_host": "http://oss.invalid/form", "upload_dir": "dir", "policy": "p", "signature": "s",
                    "oss_access_key_id": "id", "max_file_size_mb": 100}
            return httpx.Response(200, json={"data": data, "request_id": "r"})
        if path == "/form":
            return httpx.Response(200)
        if path.endswith("/video-synthesis"):
            return httpx.Response(200, json={"output": {"task_id": "t-1", "task_status": "PENDING"},
                                             "request_id": "r"})
        if path.startswith("/api/v1/tasks/"):
            return httpx.Response(200, json={"output": {"task_id": "t-1", "task_status": "RUNNING"}})
        return httpx.Response(200, content=b"x" * 100, headers={"Content-Length": "100"})

    key, base = ApiKey(canary_key), "http://api.invalid/api/v1"
    options = dict(skill=SKILL, api_key=key, base_url=base, ledger=False, policy=FAST)
    request = {**I2V, "img_url": str(frame)}

    async def asynchronous() -> None:
        async with AsyncServiceClient(key, base, policy=FAST) as service:
            await service.get_task("t-1")
        async with AsyncTaskClient(**options) as client:
            await client.submit(request)
        await adownload("http://media.invalid/b.bin", tmp_path, "b.bin", policy=FAST)

    with use_transport(httpx.MockTransport(answer)):
        assert current_settings().transport is not None
        with ServiceClient(key, base, policy=FAST) as service:
            service.get_task("t-1")
        with TaskClient(**options) as client:
            client.submit(request)
        download("http://media.invalid/a.bin", tmp_path, "a.bin", policy=FAST)
        asyncio.run(asynchronous())
    assert current_settings().transport is None  # restored
    once = ["GET api.invalid/api/v1/tasks/t-1", "GET api.invalid/api/v1/uploads", "POST oss.invalid/form"]
    assert [s for s in seen if "media" not in s and "synthesis" not in s] == once + once
    assert sorted(s for s in seen if "media" in s) == ["GET media.invalid/a.bin", "GET media.invalid/b.bin"]
    assert sum("video-synthesis" in s for s in seen) == 2
    assert (tmp_path / "a.bin").read_bytes() == b"x" * 100


def test_the_own_bucket_sdk_takes_its_timeouts_from_the_upload_profile(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("alibabacloud_oss_v2", reason="the [oss] extra (alibabacloud-oss-v2) is not installed")
    from qwencloud_skills.httpconfig import HttpSettings, Profile, use_settings
    from qwencloud_skills.ossbucket import OwnBucket

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    def never_answers(_request: Any) -> Reply:
        time.sleep(5)
        return Reply(200)

    sample = write_media(tmp_path / "frame.png", 4096)
    quick = HttpSettings(upload=Profile(connect=0.5, read=0.3, write=0.3, pool=0.5))
    with HostileServer() as oss:
        oss.on("PUT", "/", never_answers)
        bucket = OwnBucket("qwen-test-bucket", "cn-hangzhou", "LTAI5tId", "secret", endpoint=oss.base_url)
        started = time.monotonic()
        with use_settings(quick), pytest.raises(TransportError, match="did not answer in time"):
            bucket.upload(sample, "0" * 64)
    assert time.monotonic() - started < 4  # the SDK's own retries included; 120 s before
