"""HTTP byte ranges (single range only), enough for resumable and partial downloads."""

from __future__ import annotations

from typing import Optional, Tuple


class RangeNotSatisfiable(ValueError):
    """The range lies outside the resource: answer 416."""


def parse_range(header: Optional[str], size: int) -> Optional[Tuple[int, int]]:
    """Inclusive (start, end), or None to serve the whole resource.

    Malformed or multi-range headers are ignored (a full 200 is a valid answer).
    """
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                raise RangeNotSatisfiable(header)
            return max(0, size - suffix), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size:
        raise RangeNotSatisfiable(header)
    if start < 0 or end < start:
        return None
    return start, min(end, size - 1)
