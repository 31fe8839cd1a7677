"""Large deterministic downloads generated on the fly, for download benchmarks and resume tests."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from typing import Dict, Iterator, Optional

BLOCK_SIZE = 64 * 1024
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _block(name: str) -> bytes:
    seed = hashlib.sha256(name.encode("utf-8")).digest()
    out = bytearray()
    counter = 0
    while len(out) < BLOCK_SIZE:
        out += hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:BLOCK_SIZE])


@dataclass(frozen=True)
class Blob:
    """Byte i of the blob is block[i % BLOCK_SIZE]; nothing larger is held in memory."""

    name: str
    size: int
    block: bytes

    def chunks(self, start: int = 0, end: Optional[int] = None, chunk_size: int = BLOCK_SIZE) -> Iterator[bytes]:
        """Bytes start..end (inclusive), in chunks of at most ``chunk_size``."""
        stop = self.size if end is None else end + 1
        position = start
        while position < stop:
            offset = position % BLOCK_SIZE
            take = min(chunk_size, BLOCK_SIZE - offset, stop - position)
            yield self.block[offset : offset + take]
            position += take

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    @property
    def etag(self) -> str:
        return '"' + hashlib.md5(f"{self.name}:{self.size}".encode()).hexdigest() + '"'


class BlobStore:
    def __init__(self) -> None:
        self._blobs: Dict[str, Blob] = {}
        self._lock = threading.Lock()

    def add(self, name: str, size: int) -> Blob:
        if not NAME_PATTERN.match(name):
            raise ValueError(f"blob name {name!r} must be letters, digits, '.', '_' or '-'")
        if size < 0:
            raise ValueError("blob size must not be negative")
        blob = Blob(name, int(size), _block(name))
        with self._lock:
            self._blobs[name] = blob
        return blob

    def get(self, name: str) -> Optional[Blob]:
        with self._lock:
            return self._blobs.get(name)
