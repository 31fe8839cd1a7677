"""Signals during money-critical steps: SIGTERM acts like Ctrl-C, and ledger writes are not cut short.

Harnesses, CI and ``timeout`` stop a run with SIGTERM; it raises
KeyboardInterrupt like Ctrl-C so the same handlers record and report the
task. The first interrupt ends a CLI run; further ones while it winds down
(recording, printing the resume command) are ignored, so a second Ctrl-C
cannot cut the report short. Inside :func:`deferred_interrupts` a Ctrl-C or
SIGTERM is held until the block ends, so no interrupt can cut the ledger
write that keeps a paid task findable. Outside the main thread (where signals
cannot be handled) all of this is a no-op.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Any, Iterator, List

HELD_SIGNALS = tuple(sig for sig in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if sig)


_winding_down_on_interrupt = False  # set by terminate_like_interrupt(): a CLI run, not a library user


def _wind_down() -> None:
    """The run is ending because of an interrupt: ignore further ones, up to and through the exit
    (an ignored signal stays ignored while the interpreter shuts down; a handled one would not)."""
    if not _winding_down_on_interrupt or not _in_main_thread():
        return
    for sig in HELD_SIGNALS:
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (ValueError, OSError):
            pass


def _first_interrupt_ends(signum: int, frame: Any) -> None:
    _wind_down()
    raise KeyboardInterrupt(f"signal {signum}")


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def terminate_like_interrupt() -> None:
    """CLI entry points call this once: SIGTERM raises KeyboardInterrupt like Ctrl-C, and only the
    first of either does (the run is ending; the rest would only cut its report short)."""
    global _winding_down_on_interrupt

    if not _in_main_thread():
        return
    _winding_down_on_interrupt = True
    handler = _first_interrupt_ends
    defaults = {getattr(signal, "SIGINT", None): signal.default_int_handler,
                getattr(signal, "SIGTERM", None): signal.SIG_DFL}
    for sig, default in defaults.items():
        if sig is None:
            continue
        try:
            if signal.getsignal(sig) in (default, None):
                signal.signal(sig, handler)
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
        if held.interrupted:
            _wind_down()
    if held.interrupted and reraise:
        raise KeyboardInterrupt(f"signal {held.signals[0]} (held during a ledger write)")
