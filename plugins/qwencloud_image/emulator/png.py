"""Real PNG results made with the standard library: a colour gradient of the requested size.

Rows are written with PNG's "Sub" filter: since the colours change only across a row (plus
one channel down the image), every filtered row is the same template but one byte, so even
a 4096*4096 picture is built and compressed in a fraction of a second. Files are kept in
memory per (size, variant): results of one size differ only in their hue.
"""

from __future__ import annotations

import struct
import threading
import zlib
from typing import Dict, Tuple

SIGNATURE = b"\x89PNG\r\n\x1a\n"
VARIANTS = 4  # results of one task get different hues, cycling through these
_cache: Dict[Tuple[int, int, int], bytes] = {}
_lock = threading.Lock()
CACHE_LIMIT = 64


def png(width: int, height: int, variant: int = 0) -> bytes:
    """A valid 8-bit RGB PNG of ``width`` x ``height`` pixels (cached)."""
    key = (width, height, variant % VARIANTS)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    made = render(*key)
    with _lock:
        if len(_cache) >= CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = made
    return made


def render(width: int, height: int, variant: int = 0) -> bytes:
    if width < 1 or height < 1:
        raise ValueError(f"an image needs a positive size, not {width}x{height}")
    # Red rises left to right, blue falls; green rises top to bottom; the variant rotates the channels.
    red = bytes(x * 255 // max(1, width - 1) for x in range(width))
    blue = red[::-1]
    channels = [red, None, blue]
    shift = variant % 3
    channels = channels[shift:] + channels[:shift]
    green_at = channels.index(None)
    template = bytearray(1 + 3 * width)
    template[0] = 1  # filter type Sub: each byte is stored minus the same channel of the pixel to its left
    for offset, values in enumerate(channels):
        if values is None:
            continue
        template[1 + offset::3] = bytes((values[x] - (values[x - 1] if x else 0)) & 0xFF for x in range(width))
    compressor = zlib.compressobj(6)
    parts = []
    for y in range(height):
        green = y * 170 // max(1, height - 1) + 28 * (variant % VARIANTS)  # at most 254
        template[1 + green_at] = green  # the first pixel's; the others differ from it by 0
        parts.append(compressor.compress(bytes(template)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
