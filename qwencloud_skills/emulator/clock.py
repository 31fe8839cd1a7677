"""A clock tests can move forward, so TTL and state changes need no real waiting."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone


class Clock:
    """Monotonic and wall time sharing one offset set by ``advance``."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the emulator clock only moves forward")
        with self._lock:
            self._offset += seconds

    def monotonic(self) -> float:
        return time.monotonic() + self._offset

    def wall(self) -> float:
        return time.time() + self._offset


def format_timestamp(wall: float) -> str:
    """The service's "YYYY-MM-DD HH:MM:SS.mmm" form (the emulator uses UTC)."""
    moment = datetime.fromtimestamp(wall, tz=timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def parse_filter_time(text: str) -> float:
    """Parse a list filter bound: "YYYYMMDDHHMMSS" (SDK form) or "YYYY-MM-DD HH:MM:SS[.mmm]"."""
    text = text.strip()
    for pattern in ("%Y%m%d%H%M%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=timezone.utc).timestamp()
    raise ValueError(f"unrecognised time {text!r}")
