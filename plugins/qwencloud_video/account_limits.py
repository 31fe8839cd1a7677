"""The service's documented per-account limits of each model: submits per second, tasks running at once.

Batches pace themselves by these (the host reads ``ModelSpec.submits_per_second`` and
``ModelSpec.concurrency``). The figures are the published quota table (reference section 6);
a model it does not list (the wan3.0 family) keeps None, and the host's cautious default applies.
The emulator keeps its own copy of the table (``emulator/limits.py``), written from the same
source, so a client that misreads it is caught by the tests rather than agreeing with itself.
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Tuple, TypeVar

# model -> (submits per second, tasks running at once)
COMMON = (5.0, 5)
SLOW = (2.0, 2)
ACCOUNT_LIMITS: Dict[str, Tuple[float, int]] = {
    "wan2.7-t2v": COMMON, "wan2.7-i2v": COMMON, "wan2.7-r2v": COMMON, "wan2.7-videoedit": COMMON,
    "wan2.6-t2v": COMMON, "wan2.6-i2v": COMMON, "wan2.6-i2v-flash": COMMON, "wan2.6-r2v": COMMON,
    "wan2.6-r2v-flash": COMMON,
    "wan2.5-t2v-preview": COMMON, "wan2.5-i2v-preview": COMMON,
    "wan2.2-t2v-plus": SLOW, "wan2.2-i2v-plus": SLOW, "wan2.2-i2v-flash": SLOW, "wan2.2-kf2v-flash": SLOW,
    "wanx2.1-t2v-plus": SLOW, "wanx2.1-t2v-turbo": SLOW, "wanx2.1-i2v-plus": SLOW, "wanx2.1-kf2v-plus": SLOW,
    "wanx2.1-vace-plus": SLOW, "wan2.1-vace-plus": SLOW,
}

Spec = TypeVar("Spec")


def with_account_limits(models: Tuple[Spec, ...]) -> Tuple[Spec, ...]:
    """The catalog entries with their documented limits filled in (entries that state their own keep them)."""
    filled = []
    for spec in models:
        limits = ACCOUNT_LIMITS.get(getattr(spec, "id", ""))
        if limits is not None and getattr(spec, "concurrency", None) is None:
            spec = dataclasses.replace(spec, submits_per_second=limits[0], concurrency=limits[1])  # type: ignore
        filled.append(spec)
    return tuple(filled)
