"""Local files uploaded once for the whole batch, however many lines use them.

The uploads module already remembers each upload in the ledger (by content hash, per
destination) and reuses it while it is fresh. Lines sharing a file therefore only need to take
turns: one lock per content hash, so the first line uploads and the others, waiting on it, find
its record and send nothing. Lines run ahead of the submits (a few at a time), so submits never
wait for a file to go up when it could have gone earlier.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any, Dict, Iterable, Tuple

from .lines import CheckedLine

AT_ONCE = 3  # lines uploading at the same time


class SharedUploads:
    """Each line's request with its local files replaced by remote URLs, every file sent at most once."""

    def __init__(self, client: Any, at_once: int = AT_ONCE):
        self.client = client
        self._locks: Dict[str, asyncio.Lock] = {}
        self._gate = asyncio.Semaphore(at_once)

    async def ready(self, checked: CheckedLine) -> Any:
        """``checked``'s Prepared, ready to send (no local paths left)."""
        if not checked.files:
            return checked.prepared
        from ..uploads import aupload_local_files

        async with self._gate, AsyncExitStack() as stack:
            for digest in sorted(set(checked.files.values())):  # one order for every line: no deadlock
                await stack.enter_async_context(self._locks.setdefault(digest, asyncio.Lock()))
            return await aupload_local_files(self.client, checked.prepared)


def count_uploads(book: Any, lines: Iterable[CheckedLine]) -> Tuple[int, int]:
    """(distinct local files, how many of them would be uploaded now): for --dry-run, no network."""
    from ..uploads import plan_uploads

    files: Dict[Tuple[str, str, str], bool] = {}
    for checked in lines:
        if not checked.files:
            continue
        _, shown = plan_uploads(book, checked.prepared)
        for item in shown:
            digest = checked.files.get(item["path"], item["path"])
            key = (digest, checked.prepared.model, book.host_of(checked.prepared))
            files[key] = files.get(key, False) or not item["reuses"]
    return len(files), sum(1 for sending in files.values() if sending)
