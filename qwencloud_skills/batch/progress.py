"""How a batch shows its progress: a live bar on a terminal, plain lines in a pipe or a log.

On a terminal one line is redrawn in place (done / running / queued / failed, ETA) and events
(a line failed, the service throttled) are printed above it. Elsewhere every event is a line of
its own, and the counts are repeated every few seconds, so a log shows where a long batch is.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import Optional, TextIO

BAR_WIDTH = 24
REDRAW_EVERY = 0.1  # seconds between live redraws at most
PLAIN_EVERY = 10.0  # seconds between plain count lines at most


def eta_text(seconds: Optional[float]) -> str:
    if seconds is None:
        return "ETA --"
    seconds = max(0, int(round(seconds)))
    if seconds >= 3600:
        return f"ETA {seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"ETA {seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"ETA {seconds}s"


class BatchProgress:
    """Counts and events of one batch run, written to ``stream`` (stderr by default)."""

    def __init__(self, total: int, *, quiet: bool = False, stream: Optional[TextIO] = None,
                 live: Optional[bool] = None, plain_every: float = PLAIN_EVERY):
        self.total = total
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.live = (self.stream.isatty() if live is None else live) and not quiet
        self.plain_every = plain_every
        self._open_line = False
        self._drawn = 0.0
        self._said = 0.0
        self._last: Optional[tuple] = None
        self._first_done: Optional[int] = None
        self._started = time.monotonic()

    def say(self, text: str) -> None:
        """One event, on a line of its own (above the bar on a terminal)."""
        if self.quiet:
            return
        self._clear()
        self.stream.write(text + "\n")
        self.stream.flush()
        if self.live and self._last is not None:
            self._draw(*self._last, force=True)

    def eta(self, done: int, remaining: int) -> Optional[float]:
        """Seconds left at the pace lines have finished in this run (None before the first one)."""
        if self._first_done is None:
            self._first_done = done
            self._started = time.monotonic()
        finished = done - self._first_done
        if remaining <= 0:
            return 0.0
        if finished <= 0:
            return None
        return remaining * (time.monotonic() - self._started) / finished

    def update(self, done: int, running: int, queued: int, failed: int, force: bool = False) -> None:
        """The current counts (``failed`` includes invalid and unknown-outcome lines)."""
        counts = (done, running, queued, failed)
        eta = self.eta(done, running + queued)
        if self.quiet:
            return
        if self.live:
            self._draw(*counts, eta=eta, force=force)
            return
        now = time.monotonic()
        if force or (counts != self._last and now - self._said >= self.plain_every):
            self._said = now
            self.stream.write(f"progress: {self._counts(*counts)}, {eta_text(eta)}\n")
            self.stream.flush()
        self._last = counts

    def _counts(self, done: int, running: int, queued: int, failed: int) -> str:
        return f"{done}/{self.total} done, {running} running, {queued} queued, {failed} failed"

    def _draw(self, done: int, running: int, queued: int, failed: int, eta: Optional[float] = None,
              force: bool = False) -> None:
        self._last = (done, running, queued, failed)
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_EVERY:
            return
        self._drawn = now
        filled = int(BAR_WIDTH * done / self.total) if self.total else BAR_WIDTH
        failed_part = min(BAR_WIDTH - filled, int(BAR_WIDTH * failed / self.total)) if self.total else 0
        bar = "#" * filled + "x" * failed_part + "-" * (BAR_WIDTH - filled - failed_part)
        shown = eta_text(eta if eta is not None else self.eta(done, running + queued))
        text = f"[{bar}] {self._counts(done, running, queued, failed)} | {shown}"
        self.stream.write("\r\x1b[2K" + text[:max(20, self._columns() - 1)])  # a wrapped line cannot be redrawn
        self.stream.flush()
        self._open_line = True

    def _columns(self) -> int:
        """The terminal's width (of this stream: stdout may be a pipe while stderr is the terminal)."""
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 0
        return columns or shutil.get_terminal_size((120, 24)).columns  # 0: a terminal that does not say

    def _clear(self) -> None:
        if self._open_line:
            self.stream.write("\r\x1b[2K")
            self._open_line = False

    def close(self) -> None:
        """End the live line (the last counts stay on screen)."""
        if self.quiet:
            return
        if self.live and self._last is not None:
            self._draw(*self._last, force=True)
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
        self.stream.flush()
