"""Is a downloaded file a complete container of its kind? Used when the server gave no length.

A body without Content-Length ends when the connection closes, so a cut
connection looks like a normal end. The container tells the two apart: an
ISO BMFF file (MP4, MOV) is a chain of sized boxes that must end exactly at
EOF, PNG ends with IEND, JPEG with EOI, WAV declares its size. The kind comes
from the file name's extension; other kinds only need to be non-empty.
Only headers are read (a few bytes per top-level box), never the whole file.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO, Callable, Dict, Optional, Union

BMFF_EXTENSIONS = (".mp4", ".m4v", ".m4a", ".mov", ".3gp", ".3g2")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# Boxes a file may start with (ISO/IEC 14496-12, QuickTime): anything else is not such a file at all.
BMFF_FIRST_BOXES = frozenset({"ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "pnot", "pdin", "sidx", "uuid"})
RIFF_UNKNOWN_SIZES = (0, 0xFFFFFFFF)  # written by streaming encoders that did not know the length


def check_file(path: Union[str, Path], name: Optional[str] = None) -> Optional[str]:
    """Why ``path`` is not a complete, well-formed file, or None when it is.

    The kind is taken from the extension of ``name`` (the file's final name,
    when ``path`` is a temporary one) or else of ``path``.
    """
    path = Path(path)
    size = os.path.getsize(path)
    if size == 0:
        return "the file is empty"
    extension = os.path.splitext(name or path.name)[1].lower()
    checker = _CHECKERS.get(extension)
    if checker is None:
        return None
    with open(path, "rb") as handle:
        return checker(handle, size)


def _check_bmff(handle: BinaryIO, size: int) -> Optional[str]:
    """Walk the top-level boxes: each size consistent, the last ending exactly at EOF, moov and mdat present."""
    seen = set()
    offset = 0
    while offset < size:
        handle.seek(offset)
        header = handle.read(8)
        if len(header) < 8:
            return f"truncated MP4: {size - offset} stray bytes after the last box at offset {offset}"
        box_size, raw_type = struct.unpack(">I4s", header)
        box_type = raw_type.decode("latin-1")
        if not all(32 <= byte < 127 for byte in raw_type) or (offset == 0 and box_type not in BMFF_FIRST_BOXES):
            return f"not an MP4/MOV file: no valid box at offset {offset}"
        header_size = 8
        if box_size == 1:
            large = handle.read(8)
            if len(large) < 8:
                return f"truncated MP4: the '{box_type}' box header at offset {offset} is cut short"
            box_size = struct.unpack(">Q", large)[0]
            header_size = 16
        elif box_size == 0:
            box_size = size - offset  # the box runs to the end of the file
        if box_size < header_size:
            return f"malformed MP4: the '{box_type}' box at offset {offset} declares {box_size} bytes"
        if offset + box_size > size:
            return (f"truncated MP4: the '{box_type}' box at offset {offset} needs {box_size} bytes, "
                    f"only {size - offset} are there")
        seen.add(box_type)
        offset += box_size
    missing = [box for box in ("moov", "mdat") if box not in seen]
    if missing:
        return f"incomplete MP4: no '{missing[0]}' box"
    return None


def _check_png(handle: BinaryIO, size: int) -> Optional[str]:
    if handle.read(8) != PNG_SIGNATURE:
        return "not a PNG file: the signature is missing"
    if size < len(PNG_SIGNATURE) + len(PNG_IEND):
        return "truncated PNG: no IEND chunk"
    handle.seek(size - len(PNG_IEND))
    if handle.read(len(PNG_IEND)) != PNG_IEND:
        return "truncated PNG: it does not end with an IEND chunk"
    return None


def _check_jpeg(handle: BinaryIO, size: int) -> Optional[str]:
    if handle.read(2) != b"\xff\xd8":
        return "not a JPEG file: the start-of-image marker is missing"
    if size < 4:
        return "truncated JPEG: no end-of-image marker"
    handle.seek(size - 2)
    if handle.read(2) != b"\xff\xd9":
        return "truncated JPEG: it does not end with an end-of-image marker"
    return None


def _riff_checker(form: bytes, label: str) -> Callable[[BinaryIO, int], Optional[str]]:
    def check(handle: BinaryIO, size: int) -> Optional[str]:
        header = handle.read(12)
        if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != form:
            return f"not a {label} file: the RIFF/{form.decode()} header is missing"
        declared = struct.unpack("<I", header[4:8])[0]
        if declared in RIFF_UNKNOWN_SIZES:
            return None
        expected = declared + 8
        if size < expected:
            return f"truncated {label}: the header declares {expected} bytes, only {size} are there"
        if size > expected + (declared & 1):  # one pad byte is allowed after an odd-sized chunk
            return f"malformed {label}: {size - expected} bytes after the declared end"
        return None

    return check


_CHECKERS: Dict[str, Callable[[BinaryIO, int], Optional[str]]] = {
    **{extension: _check_bmff for extension in BMFF_EXTENSIONS},
    ".png": _check_png,
    ".jpg": _check_jpeg,
    ".jpeg": _check_jpeg,
    ".wav": _riff_checker(b"WAVE", "WAV"),
    ".webp": _riff_checker(b"WEBP", "WebP"),
}
