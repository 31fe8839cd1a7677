"""The update-check state, persisted as one JSON file in the host state dir.

It lives in ``state_dir()/update-check.json`` (never inside a skill folder),
is written atomically (temp file + ``os.replace``) and a missing or corrupt
file simply reads as "unconfigured, nothing cached".
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, NamedTuple, Optional

from .switch import DISABLE_ENV, disabled  # noqa: F401 - importable from here as before

FILE_NAME = "update-check.json"
TEMP_PREFIX, TEMP_SUFFIX = ".update-check-", ".tmp"
STALE_TEMP = 3600.0  # a temp file this old was left by a process that ended mid-write
UNCONFIGURED = "unconfigured"
ENABLED = "enabled"
NEVER = "never"
MODES = (UNCONFIGURED, ENABLED, NEVER)

_LOCKS: Dict[str, Any] = {}  # the background check and emit_signals both write; made on the first write


def _lock() -> Any:
    import threading  # here: a job that only reads the state never needs it

    return _LOCKS.setdefault("state", threading.Lock())  # setdefault: one lock even when threads race


def now() -> float:
    """The clock every update-check decision uses; tests monkeypatch it."""
    return time.time()


class CachedRelease(NamedTuple):
    """What the index said about one distribution, and when."""

    checked_at: float
    latest: Optional[str] = None  # newest final release; None: the index does not know it
    latest_pre: Optional[str] = None  # newest release counting pre-releases (for pre-release users)


class UpdateState:
    """The whole file, read and written at once.

    A plain class, not a dataclass: every job reads it, and the ``dataclasses`` module (with
    ``inspect``) would cost a quick status check more than its GET.
    """

    __slots__ = ("mode", "dismissed_until", "last_attempt", "last_failure", "releases", "announced")

    def __init__(self, mode: str = UNCONFIGURED, dismissed_until: Optional[float] = None,
                 last_attempt: Optional[float] = None, last_failure: Optional[float] = None,
                 releases: Optional[Dict[str, CachedRelease]] = None,
                 announced: Optional[Dict[str, Dict[str, Any]]] = None) -> None:
        self.mode = mode
        self.dismissed_until = dismissed_until
        self.last_attempt = last_attempt
        self.last_failure = last_failure
        self.releases: Dict[str, CachedRelease] = releases if releases is not None else {}  # canonical name -> answer
        self.announced: Dict[str, Dict[str, Any]] = announced if announced is not None else {}  # name -> {version, at}

    def as_dict(self) -> Dict[str, Any]:
        return {
            "mode": self.mode,
            "dismissed_until": self.dismissed_until,
            "last_attempt": self.last_attempt,
            "last_failure": self.last_failure,
            "releases": {name: dict(release._asdict()) for name, release in self.releases.items()},
            "announced": {name: dict(entry) for name, entry in self.announced.items()},
            "format": 1,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UpdateState):
            return NotImplemented
        return self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"UpdateState({self.as_dict()!r})"

    @classmethod
    def from_dict(cls, data: Any) -> UpdateState:
        """Tolerant parse: anything malformed falls back to the defaults."""
        if not isinstance(data, dict):
            return cls()
        state = cls()
        if data.get("mode") in MODES:
            state.mode = data["mode"]
        state.dismissed_until = _number(data.get("dismissed_until"))
        state.last_attempt = _number(data.get("last_attempt"))
        state.last_failure = _number(data.get("last_failure"))
        releases = data.get("releases")
        if isinstance(releases, dict):
            for name, entry in releases.items():
                if not isinstance(entry, dict) or _number(entry.get("checked_at")) is None:
                    continue
                state.releases[str(name)] = CachedRelease(
                    float(entry["checked_at"]), _text(entry.get("latest")), _text(entry.get("latest_pre"))
                )
        announced = data.get("announced")
        if isinstance(announced, dict):
            for name, entry in announced.items():
                if not isinstance(entry, dict) or _number(entry.get("at")) is None:
                    continue
                if isinstance(entry.get("version"), str):
                    state.announced[str(name)] = {"version": entry["version"], "at": float(entry["at"])}
        return state


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def state_path() -> Path:
    from ..settings import state_dir

    return state_dir() / FILE_NAME


def load(path: Optional[Path] = None) -> UpdateState:
    path = path or state_path()
    try:
        text = path.read_text(encoding="utf-8")
        return UpdateState.from_dict(json.loads(text))
    except (OSError, ValueError, UnicodeDecodeError):
        return UpdateState()


def save(state: UpdateState, path: Optional[Path] = None) -> None:
    """Write the whole file atomically: readers see the old or the new state, never half."""
    import tempfile  # here, not at the top: a job with checks off never writes

    path = path or state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.as_dict(), handle, indent=2, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def sweep(path: Optional[Path] = None, now: Optional[float] = None) -> None:
    """Remove temp files a process left behind when it ended during a write (the check thread is a daemon)."""
    folder = (path or state_path()).parent
    moment = time.time() if now is None else now
    try:
        leftovers = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for leftover in leftovers:
        try:
            if moment - leftover.stat().st_mtime > STALE_TEMP:
                leftover.unlink()
        except OSError:
            pass


def update(change: Callable[[UpdateState], None], path: Optional[Path] = None) -> UpdateState:
    """Read, apply ``change``, write back; serialised within the process."""
    path = path or state_path()
    with _lock():
        state = load(path)
        change(state)
        save(state, path)
        return state
