"""When to ask the package index, asking it off the main thread, and caching the answers.

A check runs at most once per 24 hours per distribution. A failed check backs
off for an hour; a check that never reported (the process ended first, or the
index hangs) blocks new attempts for a few minutes, so nothing is hammered.
The background thread writes its answers itself, so a check that finishes after
the signals were printed still serves the next run. It is a daemon thread that
nothing joins at exit: a process whose index hangs ends as soon as its job does
(the attempt then stays unreported and is retried after the guard).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ..environment import Environment
from . import state as store
from .versions import URL_ENV, IndexUnavailable, canonical_name, fetch, newest, opener

CHECK_INTERVAL = 24 * 3600.0
FAILURE_BACKOFF = 3600.0
UNREPORTED_GUARD = 300.0
BACKGROUND_TIMEOUT = 3.0
EXPLICIT_TIMEOUT = 10.0
DISABLE_ENV = store.DISABLE_ENV


@dataclass(frozen=True)
class Installed:
    """One installed qwencloud-skills distribution (the host or a plugin's)."""

    name: str
    version: str

    @property
    def key(self) -> str:
        return canonical_name(self.name)


@dataclass
class Outcome:
    """What one check learned: answers per distribution, or why it stopped."""

    releases: Dict[str, store.CachedRelease]
    error: Optional[str] = None


def disabled(env: Optional[Environment] = None) -> bool:
    return store.disabled(env)


def index_base(env: Optional[Environment] = None) -> Optional[str]:
    """QWEN_SKILLS_UPDATE_URL, or None for https://pypi.org."""
    return (env or Environment()).get(URL_ENV)


def installed_distributions() -> List[Installed]:
    """The host plus every installed plugin distribution, once each (read from metadata, no plugin imports)."""
    from .. import DISTRIBUTION, __version__

    found: Dict[str, Installed] = {canonical_name(DISTRIBUTION): Installed(DISTRIBUTION, __version__)}
    try:
        from .installed import plugin_distributions

        plugins = plugin_distributions()
    except Exception:  # broken metadata must not break the check of the host itself
        plugins = []
    for name, version in plugins:
        if name and version:
            found.setdefault(canonical_name(name), Installed(name, version))
    return list(found.values())


def due(current: store.UpdateState, dists: List[Installed], now: float) -> List[Installed]:
    """Distributions whose cached answer is missing or older than 24 hours."""
    stale = []
    for dist in dists:
        cached = current.releases.get(dist.key)
        if cached is None or not (0 <= now - cached.checked_at < CHECK_INTERVAL):
            stale.append(dist)
    return stale


def backing_off(current: store.UpdateState, now: float) -> bool:
    def within(moment: Optional[float], window: float) -> bool:
        return moment is not None and 0 <= now - moment < window

    return within(current.last_failure, FAILURE_BACKOFF) or within(current.last_attempt, UNREPORTED_GUARD)


def ask_index(dists: List[Installed], base: Optional[str], timeout: float, now: float) -> Outcome:
    """Fetch each distribution's newest releases; stop at the first failure (it would repeat)."""
    from .. import __version__

    outcome = Outcome({})
    agent = f"qwencloud-skills/{__version__} update-check"
    try:
        via = opener()
        for dist in dists:
            payload = fetch(base, dist.name, timeout, agent, via)
            final, any_ = newest(payload), newest(payload, include_prereleases=True)
            outcome.releases[dist.key] = store.CachedRelease(
                now, str(final) if final else None, str(any_) if any_ else None
            )
    except IndexUnavailable as exc:
        outcome.error = str(exc)
    except Exception as exc:  # bad URL, TLS setup, ...: the same "try later"
        outcome.error = f"{type(exc).__name__}: {exc}"
    return outcome


def record(outcome: Outcome, now: float, path: Path) -> None:
    """Cache the answers; a failure starts the back-off, a success ends it."""

    def change(current: store.UpdateState) -> None:
        current.releases.update(outcome.releases)
        current.last_attempt = None
        current.last_failure = now if outcome.error else None

    store.update(change, path)


_lock = threading.Lock()
_thread: Optional[threading.Thread] = None
_started = 0.0  # time.monotonic() when _thread started


def start_background(
    dists: List[Installed], now: float, path: Path, base: Optional[str], timeout: float = BACKGROUND_TIMEOUT
) -> Optional[threading.Thread]:
    """Start (once per process) a daemon thread checking what is due; None when nothing is."""
    global _thread, _started
    with _lock:
        if _thread is not None:
            return _thread
        current = store.load(path)
        stale = due(current, dists, now)
        if not stale or backing_off(current, now):
            return None

        def mark(state_: store.UpdateState) -> None:
            state_.last_attempt = now

        store.update(mark, path)

        def work() -> None:
            try:
                store.sweep(path)
                record(ask_index(stale, base, timeout, now), now, path)
            except Exception:
                pass  # silent by contract: the next run tries again

        _thread = threading.Thread(target=work, name="qwencloud-update-check", daemon=True)
        _started = time.monotonic()
        _thread.start()
        return _thread


def wait(budget: float) -> bool:
    """Wait for this process's background check until ``budget`` seconds after it started; True if it is done.

    A check started when the job began has had the whole job already, so the
    end of a job usually waits not at all; a check started at the end waits
    at most ``budget``.
    """
    thread = _thread
    if thread is None:
        return True
    thread.join(max(0.0, _started + budget - time.monotonic()))
    return not thread.is_alive()


def check_now(
    dists: List[Installed], now: float, path: Path, base: Optional[str], timeout: float = EXPLICIT_TIMEOUT
) -> Tuple[Outcome, store.UpdateState]:
    """The explicit check: every distribution, right away, ignoring cache and back-off."""
    outcome = ask_index(dists, base, timeout, now)
    record(outcome, now, path)
    return outcome, store.load(path)


def reset() -> None:
    """Forget this process's background check (tests)."""
    global _thread
    with _lock:
        _thread = None
