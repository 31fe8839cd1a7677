"""Update-check fixtures: the emulator's PyPI stand-in, a settable clock, checks switched on."""

from __future__ import annotations

from typing import Iterator, List

import pytest

from qwencloud_skills.updates import check
from qwencloud_skills.updates import state as store
from qwencloud_skills.updates.check import Installed

START = 1_700_000_000.0
HOST = Installed("qwencloud-skills", "1.0.0")


class Clock:
    """Wall-clock stand-in: tests move it forward instead of sleeping."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(store, "now", fake)
    return fake


@pytest.fixture
def index() -> Iterator[object]:
    """The emulator, used only for GET /pypi/<dist>/json (add_version, faults, request log)."""
    from qwencloud_skills.emulator import Emulator

    with Emulator(host="127.0.0.1", port=0) as emu:
        yield emu


@pytest.fixture
def dists(monkeypatch: pytest.MonkeyPatch) -> List[Installed]:
    """What counts as installed; tests edit the list (no plugin loading involved)."""
    installed = [HOST]
    monkeypatch.setattr(check, "installed_distributions", lambda: list(installed))
    return installed


@pytest.fixture
def updates_on(monkeypatch: pytest.MonkeyPatch, index, clock: Clock, dists: List[Installed]) -> Iterator[object]:
    """Checks allowed, pointed at the emulator, with a fresh per-process background slot."""
    monkeypatch.delenv("QWEN_SKILLS_NO_UPDATE_CHECK", raising=False)
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", index.base_url)
    check.reset()
    yield index
    check.reset()


def index_requests(emu) -> List[str]:
    return [r.path for r in emu.requests if r.path.startswith("/pypi/")]


def set_mode(mode: str) -> None:
    def change(current: store.UpdateState) -> None:
        current.mode = mode

    store.update(change)


def finish_background() -> None:
    """Wait for this process's background check, then forget it (the next 'run' may start one)."""
    thread = check._thread
    if thread is not None:
        thread.join(10)
    check.reset()
