"""Real, minimal media files for tests: local media is checked by content, so random bytes no longer pass.

PNG through zlib and struct, WAV through ``wave``, MP4 as a valid ISO BMFF file (ftyp + moov/mvhd +
mdat) whose header states its duration, MP3 as an ID3 tag plus MPEG audio frames. ``size`` pads a
file to (at least) that many bytes while keeping it valid: a private PNG chunk, mdat payload, audio
frames or samples. Padding is random, so two files made alike still differ (uploads are keyed by hash).
"""

from __future__ import annotations

import io
import os
import struct
import wave
import zlib
from pathlib import Path
from typing import Callable, Dict, Optional


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(size: Optional[int] = None, width: int = 256, height: int = 256) -> bytes:
    """A valid RGB PNG; ``size`` adds a private ancillary chunk of random bytes (readers skip it)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x40\x80\xc0" * width for _ in range(height))
    body = _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(rows))
    end = _png_chunk(b"IEND", b"")
    signature = b"\x89PNG\r\n\x1a\n"
    missing = max(16, (size or 0) - len(signature) - len(body) - len(end) - 12)
    body += _png_chunk(b"ruSt", os.urandom(missing))
    return signature + body + end


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(size: Optional[int] = None, seconds: float = 2.0) -> bytes:
    """A valid ISO BMFF (MP4) file: ftyp, a moov whose mvhd says ``seconds``, and an mdat payload."""
    timescale = 1000
    mvhd = struct.pack(">B3xIIII", 0, 0, 0, timescale, int(seconds * timescale))
    mvhd += struct.pack(">I", 0x00010000) + struct.pack(">H", 0x0100) + b"\x00" * 10  # rate, volume
    mvhd += struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)  # unity matrix
    mvhd += b"\x00" * 24 + struct.pack(">I", 2)  # pre-defined, next track id
    head = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41") + _box(b"moov", _box(b"mvhd", mvhd))
    payload = max(16, (size or 0) - len(head) - 8)
    return head + _box(b"mdat", os.urandom(payload))


def wav_bytes(size: Optional[int] = None, seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A valid mono 16-bit WAV of quiet noise, ``seconds`` long (longer when ``size`` asks for more bytes)."""
    frames = max(int(seconds * rate), ((size or 0) - 44) // 2)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(bytes(byte & 0x0F for byte in os.urandom(frames * 2)))
    return buffer.getvalue()


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes


def mp3_bytes(size: Optional[int] = None) -> bytes:
    """An ID3v2 tag (with a random private frame: files differ) followed by silent MPEG audio frames."""
    private = b"PRIV" + struct.pack(">I", 16) + b"\x00\x00" + b"test\x00" + os.urandom(11)
    tag = b"ID3\x04\x00\x00\x00\x00\x00" + bytes([len(private)]) + private
    frames = max(4, ((size or 0) - len(tag)) // len(MP3_FRAME) + 1)
    return tag + MP3_FRAME * frames


WRITERS: Dict[str, Callable[[Optional[int]], bytes]] = {
    ".png": png_bytes, ".mp4": mp4_bytes, ".mov": mp4_bytes, ".wav": wav_bytes, ".mp3": mp3_bytes,
}


def media_bytes(name: str, size: Optional[int] = None) -> bytes:
    """Valid content for a file called ``name`` (by its suffix), of about ``size`` bytes."""
    suffix = Path(name).suffix.lower()
    if suffix not in WRITERS:
        raise ValueError(f"no test media writer for {suffix!r} files")
    return WRITERS[suffix](size)


def write_media(path: Path, size: Optional[int] = None) -> Path:
    path.write_bytes(media_bytes(path.name, size))
    return path
