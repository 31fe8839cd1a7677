"""Real jobs (the console script as a subprocess) with update checks on: a hanging index never holds them.

How long they take is measured in benchmarks/update_check.py; these tests check
what happens: the exit code and output, the state left behind, and the retry.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from hostile import HostileServer, Reply

from qwencloud_skills import __version__
from qwencloud_skills.emulator import Fault
from qwencloud_skills.updates import check
from qwencloud_skills.updates import state as store

pytestmark = pytest.mark.slow
SCRIPT = str(Path(sys.executable).parent / "qwencloud-video")
JOB = ("--request", '{"prompt": "a cat"}', "--poll-interval", "0.1")


@pytest.fixture
def hanging_index() -> Iterator[HostileServer]:
    """An index that reads each request and never answers (until the test ends)."""
    release = threading.Event()

    def hang(_request: object) -> Reply:
        release.wait(60)
        return Reply(drop=True)

    with HostileServer() as server:
        server.on("GET", "/pypi/", hang)
        yield server
        release.set()


@pytest.fixture
def enabled(emulator_env, monkeypatch: pytest.MonkeyPatch, isolated_env: Path) -> Path:
    """Checks on and due (enabled, nothing cached); returns the state file."""
    monkeypatch.delenv("QWEN_SKILLS_NO_UPDATE_CHECK", raising=False)
    store.update(lambda s: setattr(s, "mode", store.ENABLED))
    return isolated_env / store.FILE_NAME


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def assert_clean(result: subprocess.CompletedProcess) -> None:
    for marker in ("Traceback", "Exception ignored", "[UPDATE_AVAILABLE]", "[ACTION_REQUIRED]"):
        assert marker not in result.stderr, result.stderr


def test_a_hanging_index_neither_holds_nor_breaks_a_job(enabled: Path, hanging_index: HostileServer,
                                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", hanging_index.base_url)
    result = run(*JOB, "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "out" / "video.mp4")
    assert_clean(result)
    assert wait_for(lambda: hanging_index.count("GET", "/pypi/") == 1)  # the check did ask, during the job
    after = store.load(enabled)
    # The process ended before its check's own timeout: the attempt is recorded, no failure, no answer.
    assert after.mode == store.ENABLED and after.last_attempt is not None
    assert after.last_failure is None and after.releases == {}
    task_id = json.loads((tmp_path / "out" / "response.json").read_text(encoding="utf-8"))["output"]["task_id"]

    again = run("--task-id", task_id, "--poll-once", "--output", "out", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert_clean(again)
    assert store.load(enabled).last_attempt == after.last_attempt  # within the guard: no new attempt

    def rewind(current: store.UpdateState) -> None:
        current.last_attempt = current.last_attempt - check.UNREPORTED_GUARD - 1

    store.update(rewind, enabled)
    later = run("--task-id", task_id, "--poll-once", "--output", "out", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    assert store.load(enabled).last_attempt > after.last_attempt  # past the guard: tried again
    assert wait_for(lambda: hanging_index.count("GET", "/pypi/") == 2)
    json.loads(enabled.read_text(encoding="utf-8"))  # still one whole JSON document
    assert [p.name for p in enabled.parent.iterdir() if p.name.startswith(store.TEMP_PREFIX)] == []


def test_polling_a_running_task_once_with_a_hanging_index(enabled: Path, emulator_env, hanging_index: HostileServer,
                                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", hanging_index.base_url)
    emulator_env.inject(Fault("submit", "never_finish"))
    submitted = run("--request", '{"prompt": "a cat"}', "--submit-only", cwd=tmp_path)
    assert submitted.returncode == 0, submitted.stderr
    task_id = submitted.stdout.strip()
    store.update(lambda s: setattr(s, "last_attempt", None), enabled)  # forget the submit's own attempt
    result = run("--task-id", task_id, "--poll-once", cwd=tmp_path)
    assert result.returncode == 2, result.stderr  # still running
    assert task_id in result.stdout
    assert_clean(result)
    after = store.load(enabled)
    assert after.last_attempt is not None and after.last_failure is None


def test_a_newer_release_found_during_the_job_is_printed_at_its_end(enabled: Path, emulator_env,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    emulator_env.add_version("qwencloud-skills", "99.0.0")
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", emulator_env.base_url)
    result = run(*JOB, "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("[UPDATE_AVAILABLE]")]
    assert line.startswith(f"[UPDATE_AVAILABLE] qwencloud-skills 99.0.0 is available (installed: {__version__}). "
                           "Upgrade: \"")
    assert line.endswith("\" -m pip install -U qwencloud-skills")
    assert result.stderr.rstrip().endswith(line)  # the last thing the job says
    cached = store.load(enabled)
    assert cached.releases["qwencloud-skills"].latest == "99.0.0"
    assert cached.announced["qwencloud-skills"]["version"] == "99.0.0"
    quiet = run(*JOB, "--output", "out2", cwd=tmp_path)  # told once a day, and not asked again either
    assert quiet.returncode == 0 and "[UPDATE_AVAILABLE]" not in quiet.stderr
    assert len([r for r in emulator_env.requests if r.path.startswith("/pypi/")]) == 1
