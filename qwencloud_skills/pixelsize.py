"""The pixel size of a local image or MP4/MOV video, read from its header with the standard library.

Enough to refuse a picture the service would reject for its size or shape
before it is uploaded and billed: PNG, JPEG, GIF, BMP and WEBP headers, and the
``tkhd`` box of an MP4/MOV video track. The format is told by content
(:mod:`.mediatype`); anything else, or a header that does not parse, is None:
unknown, so not checked.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Optional, Tuple

Size = Tuple[int, int]
MP4_CONTAINERS = (b"moov", b"trak")  # tkhd sits in moov/trak
JPEG_FRAME_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn: baseline, progressive, ...
JPEG_STANDALONE = frozenset(range(0xD0, 0xDA)) | {0x01}  # RSTn, SOI, EOI, TEM: no length field
MAX_JPEG_SEGMENTS = 4096


def pixel_size(handle: BinaryIO) -> Optional[Size]:
    """(width, height) of the image or video read from ``handle`` (at its start); None when unknown."""
    from . import mediatype

    head = handle.read(mediatype.HEAD_BYTES)
    kind = mediatype.sniff(head)
    try:
        if kind is mediatype.PNG:
            return _positive(struct.unpack(">II", head[16:24]))
        if kind is mediatype.GIF:
            return _positive(struct.unpack("<HH", head[6:10]))
        if kind is mediatype.BMP:
            return _bmp(head)
        if kind is mediatype.WEBP:
            return _webp(head)
        if kind is mediatype.JPEG:
            handle.seek(2)
            return _jpeg(handle)
        if kind is mediatype.MP4:
            handle.seek(0, 2)
            end = handle.tell()
            handle.seek(0)
            return _mp4(handle, end)
    except (struct.error, OSError, ValueError, IndexError):
        return None
    return None


def _positive(size: Tuple[int, int]) -> Optional[Size]:
    width, height = size
    return (width, height) if width > 0 and height > 0 else None


def _bmp(head: bytes) -> Optional[Size]:
    if struct.unpack("<I", head[14:18])[0] == 12:  # OS/2 header: 16-bit sides
        return _positive(struct.unpack("<HH", head[18:22]))
    width, height = struct.unpack("<ii", head[18:26])
    return _positive((abs(width), abs(height)))  # a negative height means top-down rows


def _webp(head: bytes) -> Optional[Size]:
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return _positive((width, height))
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return _positive(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return _positive((width & 0x3FFF, height & 0x3FFF))
    return None


def _jpeg(handle: BinaryIO) -> Optional[Size]:
    """Walk the marker segments after SOI to the first frame header (EXIF thumbnails come before it)."""
    for _ in range(MAX_JPEG_SEGMENTS):
        byte = handle.read(1)
        while byte == b"\xff":  # fill bytes before a marker
            byte = handle.read(1)
        if not byte:
            return None
        marker = byte[0]
        if marker in JPEG_STANDALONE:
            continue
        length = struct.unpack(">H", handle.read(2))[0]
        if length < 2:
            return None
        if marker in JPEG_FRAME_MARKERS:
            _, height, width = struct.unpack(">BHH", handle.read(5))
            return _positive((width, height))
        handle.seek(length - 2, 1)
        if handle.read(1) != b"\xff":
            return None
    return None


def _mp4(handle: BinaryIO, end: int, depth: int = 0) -> Optional[Size]:
    """The first track header with a picture (audio tracks state 0 x 0)."""
    if depth > len(MP4_CONTAINERS):
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
        if kind == b"tkhd":
            version = handle.read(1)[0]
            handle.seek(start + header + (88 if version == 1 else 76))  # width, height: the last 8 bytes
            width, height = struct.unpack(">II", handle.read(8))
            found = _positive((width >> 16, height >> 16))  # 16.16 fixed point
            if found:
                return found
        elif kind in MP4_CONTAINERS:
            found = _mp4(handle, min(start + size, end), depth + 1)
            if found:
                return found
        handle.seek(start + size)
    return None
