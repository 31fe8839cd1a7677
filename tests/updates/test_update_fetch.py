"""Asking the index (stdlib HTTP): every way it can misbehave ends as "not known" or IndexUnavailable."""

from __future__ import annotations

import socket
import threading
from typing import Iterator

import pytest
from hostile import HostileServer, Reply

from qwencloud_skills import __version__
from qwencloud_skills.updates.versions import IndexUnavailable, fetch

AGENT = f"qwencloud-skills/{__version__} update-check"
PAYLOAD = {"info": {"version": "2.0.0"}, "releases": {"2.0.0": []}}


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with HostileServer() as srv:
        yield srv


def get(base: str, timeout: float = 5.0):
    return fetch(base, "Acme_Video", timeout, AGENT)


def test_the_payload_comes_back_and_the_request_is_polite(server: HostileServer) -> None:
    server.on("GET", "/pypi/acme-video/json", Reply.json(PAYLOAD))
    assert get(server.base_url) == PAYLOAD
    (seen,) = server.seen("GET")
    assert seen.headers["User-Agent"] == AGENT and seen.headers["Accept"] == "application/json"


def test_a_redirect_is_followed(server: HostileServer) -> None:
    server.on("GET", "/pypi/", Reply(301, headers={"Location": "/mirror/acme-video/json"}))
    server.on("GET", "/mirror/", Reply.json(PAYLOAD))
    assert get(server.base_url) == PAYLOAD


def test_an_unknown_distribution_is_none(server: HostileServer) -> None:
    server.on("GET", "/pypi/", Reply.json({"message": "Not Found"}, 404))
    assert get(server.base_url) is None


@pytest.mark.parametrize(
    "reply, message",
    [
        (Reply.json({"message": "busy"}, 503), "HTTP 503"),
        (Reply(200, b"<html>captive portal</html>"), "not JSON"),
        (Reply(200, b'{"info": {"version": "2.0"}, "releases": {}}', cut_after=10), "IncompleteRead"),
        (Reply(drop=True), "RemoteDisconnected"),
    ],
    ids=["http-503", "html", "cut-short", "dropped"],
)
def test_a_misbehaving_index_is_unavailable(server: HostileServer, reply: Reply, message: str) -> None:
    server.on("GET", "/pypi/", reply)
    with pytest.raises(IndexUnavailable, match=message):
        get(server.base_url)


def test_a_silent_index_times_out() -> None:
    with socket.socket() as listener:  # accepts (the kernel does) and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with pytest.raises(IndexUnavailable, match="timed out"):
            get(f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=0.2)


@pytest.mark.parametrize("base", ["not a url", "ftp://127.0.0.1:9", "http://127.0.0.1:bad"])
def test_an_unusable_base_url_is_unavailable_not_a_crash(base: str) -> None:
    with pytest.raises(IndexUnavailable):
        get(base)


def test_https_to_a_plain_http_server_is_a_tls_failure_not_a_crash(server: HostileServer) -> None:
    server.on("GET", "/pypi/", Reply.json(PAYLOAD))
    with pytest.raises(IndexUnavailable):
        get(server.base_url.replace("http://", "https://"))


def test_requests_run_in_parallel_threads(server: HostileServer) -> None:
    server.on("GET", "/pypi/", Reply.json(PAYLOAD))
    results = []
    threads = [threading.Thread(target=lambda: results.append(get(server.base_url))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results == [PAYLOAD] * 4
