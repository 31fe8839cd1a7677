"""How long a local media file plays, read from its header with the standard library.

Enough to refuse a clip or a soundtrack the service would reject, before any
upload or charge: WAV through ``wave``, MP4/MOV/M4A through the ``mvhd`` box,
told apart by content (:mod:`.mediatype`), so a WAV named ``.mp3`` is measured too.
Other formats (MP3, WebM...) answer None: unknown, so not checked.
"""

from __future__ import annotations

import struct
import wave
from pathlib import Path
from typing import BinaryIO, Optional

CONTAINERS = (b"moov", b"trak", b"mdia")  # boxes to descend into on the way to mvhd


def duration_of(path: Path) -> Optional[float]:
    """Seconds of playing time, chosen by what the file is (not its name); None when unknown."""
    from . import mediatype

    try:
        kind = mediatype.sniff_file(path)
        if kind is mediatype.WAV:
            with wave.open(str(path), "rb") as audio:
                rate = audio.getframerate()
                return audio.getnframes() / rate if rate else None
        if kind in (mediatype.MP4, mediatype.M4A):
            with path.open("rb") as handle:
                return _mvhd_duration(handle, path.stat().st_size)
    except (OSError, EOFError, wave.Error, struct.error, IndexError, ValueError):
        return None
    return None


def _mvhd_duration(handle: BinaryIO, end: int, depth: int = 0) -> Optional[float]:
    """Walk the boxes from the current offset to ``end``; return the movie duration in seconds."""
    if depth > len(CONTAINERS):  # mvhd sits right under moov: deeper nesting is a malformed file
        return None
    while handle.tell() + 8 <= end:
        start = handle.tell()
        size, kind = struct.unpack(">I4s", handle.read(8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", handle.read(8))[0]
            header = 16
        elif size == 0:
            size = end - start
        if size < header:
            return None
        if kind == b"mvhd":
            version = handle.read(1)
            if not version:
                return None
            version = version[0]
            handle.read(3)  # flags
            if version == 1:
                _, _, timescale, duration = struct.unpack(">QQIQ", handle.read(28))
            else:
                _, _, timescale, duration = struct.unpack(">IIII", handle.read(16))
            return duration / timescale if timescale else None
        if kind in CONTAINERS:
            found = _mvhd_duration(handle, min(start + size, end), depth + 1)
            if found is not None:
                return found
        handle.seek(start + size)
    return None
