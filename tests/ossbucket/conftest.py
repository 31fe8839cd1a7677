"""A fake OSS endpoint on 127.0.0.1 and canary credentials for the own-bucket tests.

The fake accepts the SDK's path-style PUT /<bucket>/<key> (the SDK picks path
style by itself for an IP endpoint), insists on an OSS4 Authorization header
without checking the signature, and serves GET of presigned URLs. Tests can make
it answer with an OSS XML error, a wrong CRC-64, or nothing at all.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from mediafiles import write_media

CANARY_ID = "LTAI5tCanaryId7f3e9a1b"
CANARY_SECRET = "canarySecret/+9x2Q7wZk4"
BUCKET = "qwen-test-bucket"
OSS_VARS = (
    "QWEN_TMP_OSS_BUCKET", "QWEN_TMP_OSS_REGION", "QWEN_TMP_OSS_ENDPOINT", "QWEN_TMP_OSS_PREFIX",
    "QWEN_TMP_OSS_URL_EXPIRES", "QWEN_TMP_OSS_AK_ID", "QWEN_TMP_OSS_AK_SECRET",
    "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET",
)
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@dataclass
class FakeOss:
    """State shared with the handler: stored objects, seen requests, and the next failure."""

    url: str = ""
    objects: Dict[str, bytes] = field(default_factory=dict)
    requests: List[Tuple[str, str, Dict[str, str]]] = field(default_factory=list)
    fail: Optional[Tuple[int, str, str]] = None
    crc: Optional[str] = None

    def puts(self) -> List[Tuple[str, str, Dict[str, str]]]:
        return [r for r in self.requests if r[0] == "PUT"]


def _error_xml(code: str, message: str) -> bytes:
    # Real OSS errors name the access key id in a field of their own; the fake does too.
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
        f"<Code>{code}</Code><Message>{message}</Message><RequestId>5C3D9175B6FC201293AD4890</RequestId>"
        f"<HostId>{BUCKET}.oss-cn-hangzhou.aliyuncs.com</HostId><OSSAccessKeyId>{CANARY_ID}</OSSAccessKeyId>"
        "<EC>0002-00000040</EC></Error>"
    ).encode()


def _handler(state: FakeOss) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", headers: Optional[Dict[str, str]] = None) -> None:
            self.send_response(status)
            self.send_header("x-oss-request-id", "5C3D9175B6FC201293AD4890")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status: int, code: str, message: str) -> None:
            self._answer(status, _error_xml(code, message), {"Content-Type": "application/xml"})

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length", "0")))

        def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append(("PUT", self.path, dict(self.headers)))
            body = self._body()
            if not self.headers.get("Authorization", "").startswith("OSS4-HMAC-SHA256 Credential="):
                return self._error(403, "AccessDenied", "Anonymous access is forbidden for this operation.")
            if state.fail:
                return self._error(*state.fail)
            path = unquote(urlsplit(self.path).path)
            state.objects[path] = body
            headers = {"ETag": '"D41D8CD98F00B204E9800998ECF8427E"'}
            if state.crc is not None:
                headers["x-oss-hash-crc64ecma"] = state.crc
            self._answer(200, b"", headers)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            state.requests.append(("GET", self.path, dict(self.headers)))
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if not {"x-oss-signature", "x-oss-credential", "x-oss-expires"} <= set(query):
                return self._error(403, "AccessDenied", "You have no right to access this object.")
            body = state.objects.get(unquote(parts.path))
            if body is None:
                return self._error(404, "NoSuchKey", "The specified key does not exist.")
            self._answer(200, body, {"Content-Type": "application/octet-stream"})

    return Handler


@pytest.fixture(autouse=True)
def clean_oss_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No OSS settings or proxies from the developer's shell leak into a test."""
    for name in OSS_VARS + PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def fake_oss() -> Iterator[FakeOss]:
    pytest.importorskip("alibabacloud_oss_v2", reason="the [oss] extra (alibabacloud-oss-v2) is not installed")
    state = FakeOss()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def oss_environ(fake_oss: FakeOss) -> Dict[str, str]:
    """A complete own-bucket setup pointing at the fake, with canary credentials."""
    return {
        "QWEN_TMP_OSS_BUCKET": BUCKET,
        "QWEN_TMP_OSS_REGION": "cn-hangzhou",
        "QWEN_TMP_OSS_ENDPOINT": fake_oss.url,
        "QWEN_TMP_OSS_AK_ID": CANARY_ID,
        "QWEN_TMP_OSS_AK_SECRET": CANARY_SECRET,
    }


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    path = tmp_path / "input image.png"
    write_media(path, 16384)  # a real PNG: local media is checked by content
    return path
