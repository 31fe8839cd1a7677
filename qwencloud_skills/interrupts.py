"""Signals during money-critical steps: SIGTERM acts like Ctrl-C, and ledger writes are not cut short.

Harnesses, CI and ``timeout`` stop a run with SIGTERM; it raises
KeyboardInterrupt like Ctrl-C so the same handlers record and report the
task. Inside :func:`deferred_interrupts` a Ctrl-C or SIGTERM is held until the
block ends, so a second Ctrl-C cannot interrupt the ledger write that keeps a
paid task findable. Outside the main thread (where signals cannot be
handled) both are no-ops.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator, List

HELD_SIGNALS = tuple(sig for sig in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if sig)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def terminate_like_interrupt() -> None:
    """Make SIGTERM raise KeyboardInterrupt in this process (CLI entry points call it once)."""
    sigterm = getattr(signal, "SIGTERM", None)
    if sigterm is None or not _in_main_thread():
        return
    try:
        if signal.getsignal(sigterm) in (signal.SIG_DFL, None):
            signal.signal(sigterm, _raise_interrupt)
    except (ValueError, OSError):  # embedded interpreters may refuse
        pass


class Held:
    """The signals that arrived while a block ran with interrupts deferred."""

    def __init__(self) -> None:
        self.signals: List[int] = []

    @property
    def interrupted(self) -> bool:
        return bool(self.signals)


@contextmanager
def deferred_interrupts(reraise: bool = True) -> Iterator[Held]:
    """Hold Ctrl-C/SIGTERM while the block runs; afterwards raise KeyboardInterrupt if one came.

    With ``reraise=False`` the caller decides: the yielded :class:`Held`
    says whether an interrupt came.
    """
    held = Held()
    if not _in_main_thread():
        yield held
        return
    previous = {}
    for sig in HELD_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, lambda signum, frame: held.signals.append(signum))
        except (ValueError, OSError):
            pass
    try:
        yield held
    finally:
        for sig, handler in previous.items():
            try:
                signal.signal(sig, handler)
            except (ValueError, OSError):
                pass
    if held.interrupted and reraise:
        raise KeyboardInterrupt(f"signal {held.signals[0]} (held during a ledger write)")
