"""A task the service may have accepted is never lost: the CLI against hostile servers and signals.

Each test runs the installed `qwencloud-video` as a subprocess, counts what the
server received and reads the ledger afterwards.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import List

import pytest
from hostile import HostileServer, Reply, Seen
from qwencloud_video.emulator.probe import probe

from qwencloud_skills.emulator import Fault
from qwencloud_skills.ledger import Ledger

from .conftest import BIN, all_output

SUBMIT_PATH = "/api/v1/services/aigc/video-generation/video-synthesis"
REQUEST = '{"prompt": "a cat", "size": "832*480", "duration": 5}'
RUN = ("--request", REQUEST, "--model", "wan2.2-t2v-plus", "--poll-interval", "0.1")

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


@pytest.fixture
def hostile() -> HostileServer:
    with HostileServer() as server:
        yield server


def run(cwd: Path, base_url: str, key: str, *args: str, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "QWEN_BASE_URL": base_url, "DASHSCOPE_API_KEY": key}
    return subprocess.run([str(BIN / "qwencloud-video"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def popen(cwd: Path, base_url: str, key: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "QWEN_BASE_URL": base_url, "DASHSCOPE_API_KEY": key}
    return subprocess.Popen([str(BIN / "qwencloud-video"), *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def ledger_rows() -> List[dict]:
    return Ledger.default().list(limit=100)


def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.02)


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in all_output(result), all_output(result)


UNREADABLE_ANSWERS = {
    "html": Reply(200, b"<html><body>Service Unavailable</body></html>", headers={"Content-Type": "text/html"}),
    "not-json": Reply(200, b"{\"output\": {\"task_id\": ", headers={"Content-Type": "application/json"}),
    "json-list": Reply.json([{"output": {"task_id": "t-1"}}]),
    "no-task-id": Reply.json({"output": {"task_status": "PENDING"}, "request_id": "r-1"}),
    "path-task-id": Reply.json({"output": {"task_id": "../../services/x", "task_status": "PENDING"}}),
    "empty": Reply(200, b""),
}


@pytest.mark.parametrize("kind", sorted(UNREADABLE_ANSWERS))
def test_an_unreadable_200_submit_answer_is_an_unknown_outcome(hostile, tmp_path: Path, canary_key: str,
                                                               kind: str) -> None:
    hostile.on("POST", SUBMIT_PATH, UNREADABLE_ANSWERS[kind])
    result = run(tmp_path, hostile.base_url, canary_key, *RUN, "--output", "shots")
    assert result.returncode == 5, all_output(result)
    assert_no_traceback(result)
    assert hostile.count("POST") == 1  # never retried
    assert "tasks remote" in result.stderr and "tasks resolve unknown-" in result.stderr
    rows = ledger_rows()
    assert [row["status"] for row in rows] == ["SUBMIT_UNKNOWN"]
    assert rows[0]["output_dir"] == str(tmp_path / "shots")
    assert rows[0]["request_hash"] and rows[0]["endpoint"].endswith("video-synthesis")
    assert canary_key not in all_output(result)


def _held_submit(hostile: HostileServer, seconds: float = 30.0) -> threading.Event:
    """The submit is read, then answered only after ``seconds`` (or never, for the test's purposes)."""
    arrived = threading.Event()

    def slow(_req: Seen) -> Reply:
        arrived.set()
        time.sleep(seconds)
        return Reply.json({"output": {"task_id": "late-task", "task_status": "PENDING"}})

    hostile.on("POST", SUBMIT_PATH, slow)
    return arrived


@posix_only
def test_sigkill_while_the_submit_is_in_flight_leaves_an_unknown_outcome(hostile, tmp_path: Path,
                                                                         canary_key: str) -> None:
    arrived = _held_submit(hostile)
    process = popen(tmp_path, hostile.base_url, canary_key, *RUN, "--output", "kept")
    assert arrived.wait(30), process.communicate(timeout=5)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    listed = run(tmp_path, hostile.base_url, canary_key, "tasks", "list", "--status", "SUBMIT_UNKNOWN",
                 "--format", "json")
    rows = json.loads(listed.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert row["task_id"].startswith("unknown-") and row["output_dir"] == str(tmp_path / "kept")
    assert "interrupted" in row["error"] and row["base_url"] == hostile.api_base
    text = run(tmp_path, hostile.base_url, canary_key, "tasks", "list")
    assert "SUBMIT_UNKNOWN" in text.stdout and "tasks resolve" in text.stdout


@posix_only
@pytest.mark.parametrize("signals", [(signal.SIGTERM,), (signal.SIGINT,), (signal.SIGINT, signal.SIGINT)],
                         ids=["sigterm", "ctrl-c", "ctrl-c-twice"])
def test_signals_while_the_submit_is_in_flight_are_recorded_and_reported(hostile, tmp_path: Path, canary_key: str,
                                                                         signals) -> None:
    arrived = _held_submit(hostile)
    process = popen(tmp_path, hostile.base_url, canary_key, *RUN, "--output", "kept")
    assert arrived.wait(30)
    for sig in signals:
        process.send_signal(sig)
        time.sleep(0.01)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "nothing was sent" not in err
    assert "may have accepted" in err and "tasks resolve unknown-" in err
    rows = ledger_rows()
    assert [row["status"] for row in rows] == ["SUBMIT_UNKNOWN"]
    assert rows[0]["output_dir"] == str(tmp_path / "kept")
    assert hostile.count("POST") == 1


@posix_only
def test_sigterm_while_polling_keeps_the_task_and_prints_the_resume_command(cli) -> None:
    cli.emulator.config.generation_seconds = 30
    process = cli.popen(*RUN)
    wait_for(lambda: any(r.route == "task" for r in cli.emulator.requests))
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "keeps running" in err and "--task-id" in err and "Traceback" not in err
    assert [row["status"] for row in ledger_rows()] in (["PENDING"], ["RUNNING"])


def test_a_placeholder_keeps_the_requested_output_through_resolve_and_resume(cli) -> None:
    cli.emulator.inject(Fault(route="submit", kind="status", status=500, after_accept=True))
    first = cli(*RUN, "--output", "wanted/here")
    assert first.returncode == 5, all_output(first)
    placeholder = ledger_rows()[0]["task_id"]
    remote = json.loads(cli("tasks", "remote").stdout)
    real_id = remote["data"][0]["task_id"]
    resolved = cli("tasks", "resolve", placeholder, real_id)
    assert resolved.returncode == 0, all_output(resolved)
    resumed = cli("tasks", "resume", real_id, "--poll-interval", "0.1")
    assert resumed.returncode == 0, all_output(resumed)
    saved = Path(resumed.stdout.strip())
    assert saved.parent == cli.cwd / "wanted" / "here"
    assert probe(saved)["width"] == 832
    assert not (cli.cwd / "output").exists()


def _fake_service(hostile: HostileServer, polls: List[Reply], video: bytes) -> None:
    hostile.on("POST", SUBMIT_PATH, Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"},
                                                "request_id": "r"}))
    hostile.on("GET", "/api/v1/tasks/t-123", polls)
    hostile.on("GET", "/media/v.mp4", Reply(200, video, headers={"Content-Type": "video/mp4"}))


def _succeeded(hostile: HostileServer) -> Reply:
    return Reply.json({"output": {"task_id": "t-123", "task_status": "SUCCEEDED",
                                  "video_url": hostile.base_url + "/media/v.mp4"}})


def test_an_unknown_task_status_means_still_running_with_one_warning(hostile, emulator, tmp_path: Path,
                                                                     canary_key: str) -> None:
    video = _real_video(emulator)
    queued = Reply.json({"output": {"task_id": "t-123", "task_status": "QUEUED"}})
    _fake_service(hostile, [queued, queued, queued, _succeeded(hostile)], video)
    result = run(tmp_path, hostile.base_url, canary_key, *RUN)
    assert result.returncode == 0, all_output(result)
    assert result.stderr.count("QUEUED, which this version does not know") == 1
    assert Path(result.stdout.strip()).read_bytes() == video


def test_one_transient_5xx_or_dropped_poll_does_not_end_the_wait(hostile, emulator, tmp_path: Path,
                                                                 canary_key: str) -> None:
    video = _real_video(emulator)
    running = Reply.json({"output": {"task_id": "t-123", "task_status": "RUNNING"}})
    _fake_service(hostile, [running, Reply.json({"code": "InternalError", "message": "oops"}, status=500),
                            Reply(drop=True), running, _succeeded(hostile)], video)
    result = run(tmp_path, hostile.base_url, canary_key, *RUN)
    assert result.returncode == 0, all_output(result)
    assert hostile.count("GET", "/api/v1/tasks/t-123") == 5


def _real_video(emulator) -> bytes:
    from qwencloud_video.emulator.media import MediaRenderer, MediaSpec

    return Path(MediaRenderer().ensure(MediaSpec(320, 240, 1, False), None)).read_bytes()


def test_a_poll_answer_that_trickles_cannot_stretch_the_timeout(hostile, tmp_path: Path, canary_key: str) -> None:
    hostile.on("POST", SUBMIT_PATH, Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"}}))
    body = json.dumps({"output": {"task_id": "t-123", "task_status": "RUNNING"}, "pad": "x" * 100}).encode()
    hostile.on("GET", "/api/v1/tasks/t-123", Reply(200, body, per_byte_delay=0.2))
    started = time.monotonic()
    result = run(tmp_path, hostile.base_url, canary_key, *RUN, "--timeout", "3")
    took = time.monotonic() - started
    assert result.returncode == 2, all_output(result)
    assert "Stopped waiting" in result.stderr and "--task-id t-123" in result.stderr
    assert took < 12, f"--timeout 3 took {took:.1f} s (the answer alone needs {len(body) * 0.2:.0f} s)"
    assert Ledger.default().get("t-123")["status"] == "PENDING"


def test_a_huge_status_answer_is_refused_and_not_stored(hostile, tmp_path: Path, canary_key: str) -> None:
    def endless(_req: Seen):
        yield b'{"output": {"task_id": "t-123", "task_status": "SUCCEEDED", "pad": "'
        for _ in range(200):
            yield b"x" * (1 << 20)
        yield b'"}}'

    hostile.on("POST", SUBMIT_PATH, Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"}}))
    hostile.on("GET", "/api/v1/tasks/t-123", lambda req: Reply(200, endless(req), length="omit"))
    result = run(tmp_path, hostile.base_url, canary_key, *RUN, "--timeout", "30")
    assert result.returncode == 1, all_output(result)
    assert "more than any real answer" in result.stderr and "Resume with" in result.stderr
    row = Ledger.default().get("t-123")
    assert row["status"] == "PENDING" and not row["result"]
    assert not list(tmp_path.rglob("response*.json"))


def test_a_task_id_is_checked_before_it_becomes_a_path(cli) -> None:
    result = cli("--task-id", "../../services/aigc/video-generation/video-synthesis", "--poll-once")
    assert result.returncode == 3, all_output(result)
    assert "task_id" in result.stderr and "is not a task id" in result.stderr
    assert cli.emulator.requests == []


def test_a_poll_answer_about_another_task_is_an_error_and_records_nothing(hostile, tmp_path: Path,
                                                                          canary_key: str) -> None:
    hostile.on("POST", SUBMIT_PATH, Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"}}))
    hostile.on("GET", "/api/v1/tasks/t-123", Reply.json({"output": {"task_id": "t-999", "task_status": "SUCCEEDED",
                                                                    "video_url": "http://127.0.0.1:1/x.mp4"}}))
    result = run(tmp_path, hostile.base_url, canary_key, *RUN)
    assert result.returncode == 1, all_output(result)
    assert "another task" in result.stderr
    assert Ledger.default().get("t-999") is None
    assert Ledger.default().get("t-123")["status"] == "PENDING"


@pytest.mark.parametrize("extra", [(), ("--submit-only",)], ids=["run", "submit-only"])
def test_an_unusable_output_folder_is_refused_before_paying(cli, extra) -> None:
    (cli.cwd / "taken").write_text("a file, not a folder")
    for output in ("taken", "taken/inside"):
        result = cli(*RUN, "--output", output, *extra)
        assert result.returncode == 3, all_output(result)
        assert "is a file, not a folder" in result.stderr
    assert not any(r.route == "submit" for r in cli.emulator.requests)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
def test_an_unwritable_output_folder_is_refused_before_paying(cli) -> None:
    result = cli(*RUN, "--output", "/proc/self", "--submit-only")
    assert result.returncode == 3, all_output(result)
    assert "Cannot write into output directory" in result.stderr or "Cannot create" in result.stderr
    assert cli.emulator.requests == []


@posix_only
def test_a_write_failure_after_paying_says_how_to_resume(cli) -> None:
    import resource

    cli.emulator.config.result_size_bytes = 6 * 1024 * 1024
    limit = 3 * 1024 * 1024

    def small_files() -> None:  # EFBIG instead of SIGXFSZ, like a disk that fills up mid-download
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = cli.env
    failed = subprocess.run([str(BIN / "qwencloud-video"), *RUN], cwd=cli.cwd, env=env, capture_output=True,
                            text=True, timeout=60, preexec_fn=small_files)
    assert failed.returncode == 1, all_output(failed)
    assert_no_traceback(failed)
    assert "Resume with:" in failed.stderr and "--task-id" in failed.stderr
    task_id = failed.stderr.split("--task-id ")[1].split()[0]
    assert Ledger.default().get(task_id)["status"] == "SUCCEEDED"
    resumed = cli("--task-id", task_id)
    assert resumed.returncode == 0, all_output(resumed)
    assert Path(resumed.stdout.strip()).stat().st_size == 6 * 1024 * 1024


def test_two_processes_resuming_one_task_download_it_once(cli) -> None:
    submitted = cli(*RUN, "--submit-only")
    task_id = submitted.stdout.strip()
    cli.emulator.config.result_size_bytes = 8 * 1024 * 1024
    cli.emulator.inject(Fault(route="download", kind="delay", delay=1.5, count=None))  # the two runs overlap
    first, second = cli.popen("tasks", "resume", task_id, "--poll-interval", "0.1"), \
        cli.popen("tasks", "resume", task_id, "--poll-interval", "0.1")
    outs = [process.communicate(timeout=60) for process in (first, second)]
    assert first.returncode == second.returncode == 0, outs
    downloads = [r for r in cli.emulator.requests if r.route == "download"]
    assert len(downloads) == 1, [r.path for r in downloads]
    saved = {out.strip() for out, _ in outs}
    assert len(saved) == 1  # both report the same file
    assert sum("Already saved" in err for _, err in outs) == 1
    folder = Path(saved.pop()).parent
    assert sorted(p.name for p in folder.iterdir()) == ["response.json", "video.mp4"]


def test_tasks_list_tells_when_a_status_was_last_checked_and_refreshes(cli) -> None:
    submitted = cli(*RUN, "--submit-only")
    task_id = submitted.stdout.strip()
    before = cli("tasks", "list")
    assert task_id in before.stdout and "never checked since submit" in before.stdout
    time.sleep(0.5)  # the emulator finishes the task meanwhile
    refreshed = cli("tasks", "list", "--refresh")
    assert refreshed.returncode == 0, all_output(refreshed)
    line = next(line for line in refreshed.stdout.splitlines() if task_id in line)
    assert "SUCCEEDED" in line
    rows = json.loads(cli("tasks", "list", "--format", "json").stdout)
    assert rows[0]["checked_at"] and rows[0]["status"] == "SUCCEEDED"


def test_the_intent_is_in_the_ledger_before_the_request_leaves(hostile, tmp_path: Path, canary_key: str) -> None:
    """Library users get the same rows: the intent while the POST is in flight, then the task's row."""
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskClient

    ledger = Ledger(tmp_path / "l.sqlite3")
    seen_by_server: List[tuple] = []

    def answer(_req: Seen) -> Reply:
        seen_by_server.extend((row["status"], row["output_dir"], row["pid"]) for row in ledger.list())
        return Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"}, "request_id": "r-9"})

    hostile.on("POST", SUBMIT_PATH, answer)
    with TaskClient(skill="qwencloud-video-generation", api_key=ApiKey(canary_key), base_url=hostile.api_base,
                    ledger=ledger) as client:
        submission = client.submit({"prompt": "a cat", "size": "832*480"}, model="wan2.2-t2v-plus",
                                   output_dir=str(tmp_path))
    assert seen_by_server == [("SUBMITTING", str(tmp_path), os.getpid())]
    rows = ledger.list()
    assert [(row["task_id"], row["status"], row["request_id"]) for row in rows] == [
        (submission.task_id, "PENDING", "r-9")]
    assert rows[0]["output_dir"] == str(tmp_path) and rows[0]["pid"] is None


def test_a_refused_submit_leaves_no_intent_behind(hostile, tmp_path: Path, canary_key: str) -> None:
    hostile.on("POST", SUBMIT_PATH, Reply.json({"code": "InvalidParameter", "message": "bad size"}, status=400))
    result = run(tmp_path, hostile.base_url, canary_key, *RUN)
    assert result.returncode == 1, all_output(result)
    assert ledger_rows() == []


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("subprocess signal tests are POSIX-only")


@posix_only
def test_a_download_killed_midway_is_resumed_by_the_next_run_and_leaves_no_part_file(
        hostile, emulator, tmp_path: Path, canary_key: str) -> None:
    video = _real_video(emulator)  # a real MP4, served slowly so the first run can be killed midway
    hostile.on("POST", SUBMIT_PATH, Reply.json({"output": {"task_id": "t-123", "task_status": "PENDING"}}))
    hostile.on("GET", "/api/v1/tasks/t-123", _succeeded(hostile))

    def ranged(req: Seen) -> Reply:
        wanted = req.headers.get("Range")
        start = int(wanted.split("=")[1].rstrip("-")) if wanted else 0

        def slowly():
            for offset in range(start, len(video), 1024):
                time.sleep(0.05 if not wanted else 0)
                yield video[offset:offset + 1024]

        headers = {"Content-Type": "video/mp4", "Accept-Ranges": "bytes"}
        if wanted:
            headers["Content-Range"] = f"bytes {start}-{len(video) - 1}/{len(video)}"
        return Reply(206 if wanted else 200, slowly(), headers=headers, length=len(video) - start)

    hostile.on("GET", "/media/v.mp4", ranged)
    process = popen(tmp_path, hostile.base_url, canary_key, *RUN, "--output", "out")
    folder = tmp_path / "out"
    wait_for(lambda: any(p.stat().st_size > 4096 for p in folder.glob(".*.part")) if folder.is_dir() else False)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    resumed = run(tmp_path, hostile.base_url, canary_key, "--task-id", "t-123")
    assert resumed.returncode == 0, all_output(resumed)
    assert Path(resumed.stdout.strip()).read_bytes() == video
    ranges = [r.headers.get("Range") for r in hostile.seen("GET", "/media/v.mp4")]
    assert ranges[0] is None and ranges[-1] and ranges[-1] != "bytes=0-"
    assert not list(folder.glob(".*.part"))
