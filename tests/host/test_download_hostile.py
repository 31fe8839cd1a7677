"""download()/adownload() against a server that behaves badly: trickles, cuts, lies, or a disk that fails.

Every test runs a real local HTTP server (tests/hostile.py), counts the
requests and Range headers it received and checks the files on disk.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest
from hostile import HostileServer, Reply, Seen

from host.mediasamples import render_samples
from qwencloud_skills.download import STALE_PART_SECONDS, adownload, download
from qwencloud_skills.errors import DownloadError, QwenSkillsError
from qwencloud_skills.retry import RetryPolicy

FAST = RetryPolicy(max_attempts=3, initial_delay=0.01, max_delay=0.05, jitter=0)
BODY = os.urandom(64 * 1024)
HALF = 32 * 1024
REPO = Path(__file__).resolve().parents[2]
_SITES = itertools.count(1)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions, signals and rlimits")


def header(seen: Seen, name: str) -> Optional[str]:
    return next((value for key, value in seen.headers.items() if key.lower() == name.lower()), None)


def ranges(site: Site) -> List[Optional[str]]:
    return [header(seen, "Range") for seen in site.seen()]


def ranged(data: bytes, etag: Optional[str] = None) -> Callable[[Seen], Reply]:
    """A well-behaved file server: 206 for ``Range: bytes=N-``, 416 past the end, else 200."""

    def script(seen: Seen) -> Reply:
        headers = {"ETag": etag} if etag else {}
        wanted = header(seen, "Range")
        if not wanted:
            return Reply(200, data, headers=headers)
        start = int(wanted.split("=")[1].rstrip("-"))
        if start >= len(data):
            return Reply(416, b"", headers={**headers, "Content-Range": f"bytes */{len(data)}"})
        crange = f"bytes {start}-{len(data) - 1}/{len(data)}"
        return Reply(206, data[start:], headers={**headers, "Content-Range": crange})

    return script


def trickle(data: bytes, size: int, delay: float) -> Iterator[bytes]:
    for index in range(0, len(data), size):
        time.sleep(delay)
        yield data[index:index + size]


def parts(folder: Path) -> List[Path]:
    return sorted(folder.glob(".*.part"))


class Site:
    """One test's corner of the module's shared server: its own path, so its own scripts and requests."""

    def __init__(self, server: HostileServer, path: str) -> None:
        self.server, self.path, self.skipped = server, path, 0

    @property
    def url(self) -> str:
        return self.server.base_url + self.path + "v"

    def on(self, script: Any) -> None:
        self.server.on("GET", self.path, script)

    def seen(self) -> List[Seen]:
        return self.server.seen(None, self.path)[self.skipped:]

    def count(self) -> int:
        return len(self.seen())

    def clear(self) -> None:
        self.skipped += self.count()


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with HostileServer() as hostile:  # one per module: stopping a server takes half a second
        yield hostile


@pytest.fixture
def site(server: HostileServer) -> Site:
    return Site(server, f"/t{next(_SITES)}/")


@pytest.fixture(params=["sync", "async"])
def fetch(request) -> Callable[..., Path]:
    """download() or adownload(), called the same way."""
    if request.param == "sync":
        return download

    def run(*args, **kwargs) -> Path:
        return asyncio.run(adownload(*args, **kwargs))

    return run


@pytest.fixture(scope="module")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return render_samples(tmp_path_factory.mktemp("media"))["moov_last.mp4"]


# -- 1. stall limit -------------------------------------------------------------------------------

def test_a_trickling_body_ends_with_a_resumable_error_not_a_hang(site, fetch, tmp_path: Path) -> None:
    site.on(Reply(200, BODY[:4000], per_byte_delay=0.02))  # 50 bytes/s: 80 s for the file
    started = time.monotonic()
    with pytest.raises(DownloadError) as caught:
        fetch(site.url, tmp_path, "v.bin", policy=FAST, stall_seconds=0.5, min_rate=1000)
    assert time.monotonic() - started < 6
    assert not caught.value.expired
    assert "stalled" in str(caught.value) and "below the minimum of 1000 bytes/s" in str(caught.value)
    assert "3 attempts" in str(caught.value)
    assert site.count() == 3
    assert ranges(site)[1].startswith("bytes=") and ranges(site)[2].startswith("bytes=")  # resumed
    assert list(tmp_path.iterdir()) == []


def test_a_body_that_stops_ends_after_the_stall_limit(site, fetch, tmp_path: Path) -> None:
    site.on(lambda _seen: Reply(200, _stop_after(BODY[:HALF], 10.0), length=len(BODY)))
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"no data arrived for 0\.5 s") as caught:
        fetch(site.url, tmp_path, "v.bin", policy=FAST, stall_seconds=0.5)
    assert time.monotonic() - started < 5
    assert not caught.value.expired
    assert ranges(site) == [None, f"bytes={HALF}-", f"bytes={HALF}-"]


def _stop_after(first: bytes, pause: float) -> Iterator[bytes]:
    yield first
    time.sleep(pause)
    yield b"x"


def test_a_slow_but_steady_download_is_not_a_stall(site, fetch, tmp_path: Path) -> None:
    site.on(lambda _seen: Reply(200, trickle(BODY[:20000], 2000, 0.1), length=20000))
    saved = fetch(site.url, tmp_path, "v.bin", policy=FAST, stall_seconds=0.3, min_rate=1000)
    assert saved.read_bytes() == BODY[:20000]
    assert site.count() == 1


# -- 2. Range resume ---------------------------------------------------------------------------------

def test_a_body_cut_short_is_resumed_with_range(site, fetch, tmp_path: Path) -> None:
    good = ranged(BODY)
    replies = [Reply(200, BODY, cut_after=HALF)]
    site.on(lambda seen: replies.pop(0) if replies else good(seen))
    saved = fetch(site.url, tmp_path, "v.mp4", policy=FAST)
    assert saved.read_bytes() == BODY
    assert ranges(site) == [None, "bytes=32768-"]
    assert parts(tmp_path) == []


def test_if_range_restarts_when_the_file_changed(site, fetch, tmp_path: Path) -> None:
    newer = os.urandom(len(BODY))
    replies = [Reply(200, BODY, cut_after=HALF, headers={"ETag": '"one"'})]
    site.on(lambda seen: replies.pop(0) if replies else Reply(200, newer, headers={"ETag": '"two"'}))
    saved = fetch(site.url, tmp_path, "v.bin", policy=FAST)
    assert saved.read_bytes() == newer
    second = site.seen()[1]
    assert header(second, "Range") == "bytes=32768-" and header(second, "If-Range") == '"one"'


def test_retry_after_is_honoured(site, fetch, tmp_path: Path) -> None:
    slow = RetryPolicy(max_attempts=3, initial_delay=10, max_delay=10, jitter=0)
    site.on([Reply(503, b"busy", headers={"Retry-After": "0"}), Reply(200, BODY)])
    started = time.monotonic()
    assert fetch(site.url, tmp_path, "v.bin", policy=slow).read_bytes() == BODY
    assert time.monotonic() - started < 5


# -- 3. complete, well-formed files only -------------------------------------------------------------

def test_an_mp4_cut_short_without_length_is_resumed_not_saved(site, fetch, tmp_path: Path, mp4: bytes) -> None:
    cut = len(mp4) // 2
    good = ranged(mp4)
    replies = [Reply(200, mp4[:cut], length="omit")]  # ends "cleanly": the connection just closes
    site.on(lambda seen: replies.pop(0) if replies else good(seen))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert saved.read_bytes() == mp4
    assert ranges(site) == [None, f"bytes={cut}-"]


def test_an_mp4_without_length_from_a_server_without_ranges(site, fetch, tmp_path: Path, mp4: bytes) -> None:
    site.on([Reply(200, mp4[:1000], length="omit"), Reply(200, mp4, length="omit")])
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert saved.read_bytes() == mp4 and saved.name == "video.mp4"


def test_an_always_truncated_mp4_is_never_saved(site, fetch, tmp_path: Path, mp4: bytes) -> None:
    site.on(Reply(200, mp4[:-10], length="omit"))
    with pytest.raises(DownloadError, match="truncated MP4") as caught:
        fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert not caught.value.expired and site.count() == 3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("length", [0, "omit"])
def test_an_empty_body_is_an_error_not_a_file(site, fetch, tmp_path: Path, length) -> None:
    site.on(Reply(200, b"", length=length))
    with pytest.raises(DownloadError, match="empty file"):
        fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert site.count() == 3 and list(tmp_path.iterdir()) == []


def test_more_bytes_than_announced_restart(site, fetch, tmp_path: Path) -> None:
    site.on([Reply(206, BODY, headers={"Content-Range": f"bytes 0-{HALF - 1}/{HALF}"}),
                            Reply(200, BODY)])
    assert fetch(site.url, tmp_path, "v.bin", policy=FAST).read_bytes() == BODY


# -- 4. .part files ------------------------------------------------------------------------------------

def test_a_failed_run_keeps_its_part_and_the_next_resumes_it(site, fetch, tmp_path: Path) -> None:
    site.on(Reply(200, BODY, cut_after=HALF))
    with pytest.raises(DownloadError, match="running the download again resumes") as caught:
        fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-1")
    assert not caught.value.expired
    assert [p.name for p in parts(tmp_path)] == [".video.mp4.task-1.part"]
    assert parts(tmp_path)[0].read_bytes() == BODY[:HALF]

    site.clear()
    site.on(ranged(BODY))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-1")
    assert saved.read_bytes() == BODY and ranges(site) == ["bytes=32768-"]
    assert parts(tmp_path) == []


def test_a_part_is_restarted_when_the_server_ignores_range(site, fetch, tmp_path: Path) -> None:
    (tmp_path / ".video.mp4.task-2.part").write_bytes(b"stale bytes from another file")
    site.on(Reply(200, BODY))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-2")
    assert saved.read_bytes() == BODY and ranges(site) == ["bytes=29-"]
    assert parts(tmp_path) == []


def test_a_part_the_server_resumes_elsewhere_is_restarted(site, fetch, tmp_path: Path) -> None:
    (tmp_path / ".video.mp4.task-3.part").write_bytes(BODY[:100])
    lying = Reply(206, BODY[50:], headers={"Content-Range": f"bytes 50-{len(BODY) - 1}/{len(BODY)}"})
    good = ranged(BODY)
    replies = [lying]
    site.on(lambda seen: replies.pop(0) if replies else good(seen))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-3")
    assert saved.read_bytes() == BODY and ranges(site) == ["bytes=100-", None]


def test_a_complete_part_is_placed_on_416(site, fetch, tmp_path: Path) -> None:
    (tmp_path / ".video.mp4.task-4.part").write_bytes(BODY)
    site.on(ranged(BODY))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-4")
    assert saved.read_bytes() == BODY and ranges(site) == [f"bytes={len(BODY)}-"]
    assert parts(tmp_path) == []


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_an_expired_url_removes_the_part(site, fetch, tmp_path: Path, status: int) -> None:
    (tmp_path / ".video.mp4.task-5.part").write_bytes(BODY[:100])
    site.on(Reply(status, b"<Error><Code>AccessDenied</Code></Error>"))
    with pytest.raises(DownloadError, match="generated again") as caught:
        fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-5")
    assert caught.value.expired and site.count() == 1
    assert list(tmp_path.iterdir()) == []


def test_without_part_key_nothing_is_left_behind(site, fetch, tmp_path: Path) -> None:
    site.on(Reply(200, BODY, cut_after=HALF))
    with pytest.raises(DownloadError, match="Run the download again later"):
        fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert list(tmp_path.iterdir()) == []


def test_stale_parts_are_removed_fresh_ones_and_other_files_kept(site, fetch, tmp_path: Path) -> None:
    old = time.time() - STALE_PART_SECONDS - 60
    stale = [tmp_path / ".video.mp4.dead-task.part", tmp_path / ".video_1.mp4.k3j4h5.part"]
    kept = [tmp_path / ".video.mp4.live-task.part", tmp_path / "notes.part", tmp_path / ".config"]
    for path in stale + kept:
        path.write_bytes(b"x")
    for path in stale + kept[1:]:
        os.utime(path, (old, old))
    site.on(Reply(200, BODY))
    fetch(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-6")
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)


KILLED_RUN = textwrap.dedent("""
    import sys
    from qwencloud_skills.download import download
    from qwencloud_skills.retry import RetryPolicy
    download(sys.argv[1], sys.argv[2], "video.mp4", part_key="task-7",
             policy=RetryPolicy(max_attempts=1))
""")


@posix_only
def test_a_run_killed_mid_download_is_resumed_by_the_next(site, tmp_path: Path) -> None:
    import signal

    slow = Reply(200, trickle(BODY, 1024, 0.05), length=len(BODY))  # about 3 s for the whole file
    good = ranged(BODY)
    site.on(lambda seen: good(seen) if header(seen, "Range") else slow)
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, site.url, str(tmp_path)],
                             cwd=str(REPO))
    part = tmp_path / ".video.mp4.task-7.part"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (part.exists() and part.stat().st_size >= 8 * 1024):
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    kept = part.stat().st_size
    assert 8 * 1024 <= kept < len(BODY) and part.read_bytes() == BODY[:kept]

    saved = download(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-7")
    assert saved.read_bytes() == BODY
    assert ranges(site) == [None, f"bytes={kept}-"]
    assert parts(tmp_path) == [] and [p.name for p in tmp_path.iterdir()] == ["video.mp4"]


# -- 5. write failures ------------------------------------------------------------------------------

@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores directory permissions")
def test_a_read_only_folder_is_a_clear_error(site, fetch, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    site.on(Reply(200, BODY))
    try:
        with pytest.raises(DownloadError, match="Cannot create the temporary file") as caught:
            fetch(site.url, folder, "video.mp4", policy=FAST)
    finally:
        folder.chmod(0o755)
    assert "Permission denied" in str(caught.value) and str(folder) in str(caught.value)
    assert not caught.value.expired and site.count() == 0


def test_a_file_name_the_filesystem_refuses_is_a_clear_error(site, fetch, tmp_path: Path) -> None:
    site.on(Reply(200, BODY))
    with pytest.raises(DownloadError, match="Cannot create the temporary file") as caught:
        fetch(site.url, tmp_path, "v" * 300 + ".mp4", policy=FAST)
    assert str(tmp_path) in str(caught.value) and not caught.value.expired


def test_a_final_name_the_filesystem_refuses_is_a_clear_error(site, fetch, tmp_path: Path) -> None:
    site.on(Reply(200, BODY))  # the .part name is shortened, the final name cannot be
    with pytest.raises(DownloadError, match="Cannot save the finished file") as caught:
        fetch(site.url, tmp_path, "v" * 260 + ".mp4", policy=FAST, part_key="task-9")
    assert "File name too long" in str(caught.value) and not caught.value.expired
    assert site.count() == 1 and [p.read_bytes() for p in parts(tmp_path)] == [BODY]


def test_an_output_path_under_a_file_is_a_clear_error(site, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(QwenSkillsError, match="is a file, not a folder"):
        download(site.url, blocker / "out", "video.mp4", policy=FAST)
    assert site.count() == 0


FULL_DISK_RUN = textwrap.dedent("""
    import sys
    from qwencloud_skills.download import download
    from qwencloud_skills.errors import DownloadError
    from qwencloud_skills.retry import RetryPolicy
    try:
        download(sys.argv[1], sys.argv[2], "video.mp4", part_key="task-8", policy=RetryPolicy(max_attempts=1))
    except DownloadError as exc:
        print("expired=%s %s" % (exc.expired, exc))
""")


@posix_only
def test_a_write_that_fails_midway_is_a_clear_resumable_error(site, tmp_path: Path) -> None:
    import resource
    import signal

    limit = 16 * 1024

    def small_files() -> None:  # EFBIG past 16 KiB, for root too
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    site.on(ranged(BODY))
    result = subprocess.run([sys.executable, "-c", FULL_DISK_RUN, site.url, str(tmp_path)],
                            cwd=str(REPO), capture_output=True, text=True, timeout=60, preexec_fn=small_files)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith("expired=False Cannot write the temporary file for video.mp4 in "), result.stdout
    assert "File too large" in result.stdout and str(tmp_path) in result.stdout
    part = tmp_path / ".video.mp4.task-8.part"
    kept = part.stat().st_size
    assert 0 < kept <= limit and part.read_bytes() == BODY[:kept]

    saved = download(site.url, tmp_path, "video.mp4", policy=FAST, part_key="task-8")
    assert saved.read_bytes() == BODY and ranges(site)[-1] == f"bytes={kept}-"
    assert parts(tmp_path) == []


# -- 6. the same contract for both drivers -------------------------------------------------------------

def test_no_api_key_and_no_compression_on_result_urls(site, fetch, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-canary-7f3e9a1b2c4d5e6f")
    site.on(Reply(200, BODY))
    fetch(site.url, tmp_path, "v.bin", policy=FAST)
    seen: Dict[str, str] = {k.lower(): v for k, v in site.seen()[0].headers.items()}
    assert "authorization" not in seen and "sk-canary" not in repr(seen)
    assert seen.get("accept-encoding") == "identity"


def test_nothing_is_overwritten(site, fetch, tmp_path: Path) -> None:
    (tmp_path / "video.mp4").write_bytes(b"earlier result")
    site.on(Reply(200, BODY))
    saved = fetch(site.url, tmp_path, "video.mp4", policy=FAST)
    assert saved.name == "video_1.mp4" and (tmp_path / "video.mp4").read_bytes() == b"earlier result"
