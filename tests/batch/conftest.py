"""Batch tests: the real emulator over HTTP (quick placeholder results), the installed CLI, batch files."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List

import pytest
from cli.conftest import Runner

FAST = ("--poll-interval", "0.1", "--submit-rate", "50")


@pytest.fixture
def emulator() -> Any:
    """Placeholder results (no rendering) and short jobs: a 30-line batch takes a few seconds."""
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    config = EmulatorConfig(pending_seconds=0.0, generation_seconds=0.2, render_media=False)
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        yield emu


@pytest.fixture
def cli(emulator: Any, tmp_path: Path, canary_key: str) -> Runner:
    work = tmp_path / "work"
    work.mkdir()
    return Runner(emulator, work, canary_key)


def write_batch(path: Path, lines: Iterable[Any]) -> Path:
    """One line per item: a dict becomes JSON, a string is written as it is (to write broken lines)."""
    path.write_text("\n".join(item if isinstance(item, str) else json.dumps(item) for item in lines) + "\n",
                    encoding="utf-8")
    return path


def lines_of(count: int, prefix: str = "clip") -> List[Dict[str, Any]]:
    return [{"id": f"{prefix}-{n:02d}", "request": {"prompt": f"a lighthouse, take {n}", "duration": 5}}
            for n in range(1, count + 1)]


def submits(emulator: Any) -> List[Any]:
    return [request for request in emulator.requests if request.route == "submit"]


def requests_on(emulator: Any, route: str) -> List[Any]:
    return [request for request in emulator.requests if request.route == route]


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached")


def manifest_of(result: Any) -> List[Dict[str, Any]]:
    """The manifest a CLI run names on the last line of its stdout."""
    path = Path(result.stdout.strip().splitlines()[-1])
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
