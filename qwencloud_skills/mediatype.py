"""What a file really is, told from its first bytes (magic numbers), never from its name.

A ``.png`` that holds text, or a link to some other file, must be refused
before it is uploaded and billed; the name only says what the user hoped.
Standard library only: a few signatures cover the formats media fields take.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple, Union

HEAD_BYTES = 4096  # enough for every signature below and for the text check


@dataclass(frozen=True)
class MediaKind:
    """A recognised format: how to say it, the file suffixes it goes by, its MIME type."""

    name: str
    suffixes: Tuple[str, ...]
    mime: str

    @property
    def is_media(self) -> bool:
        return self.mime.split("/")[0] in ("image", "video", "audio")


PNG = MediaKind("a PNG image", (".png",), "image/png")
JPEG = MediaKind("a JPEG image", (".jpg", ".jpeg"), "image/jpeg")
BMP = MediaKind("a BMP image", (".bmp",), "image/bmp")
WEBP = MediaKind("a WEBP image", (".webp",), "image/webp")
GIF = MediaKind("a GIF image", (".gif",), "image/gif")
TIFF = MediaKind("a TIFF image", (".tif", ".tiff"), "image/tiff")
MP4 = MediaKind("an MP4/MOV video", (".mp4", ".mov", ".m4v"), "video/mp4")
HEIF = MediaKind("a HEIF/HEIC image", (".heic", ".heif"), "image/heif")
AVIF = MediaKind("an AVIF image", (".avif",), "image/avif")
M4A = MediaKind("an M4A audio file", (".m4a",), "audio/mp4")
AVI = MediaKind("an AVI video", (".avi",), "video/x-msvideo")
MATROSKA = MediaKind("a Matroska/WebM video", (".mkv", ".webm"), "video/webm")
WAV = MediaKind("a WAV audio file", (".wav",), "audio/wav")
MP3 = MediaKind("an MP3 audio file", (".mp3",), "audio/mpeg")
FLAC = MediaKind("a FLAC audio file", (".flac",), "audio/flac")
OGG = MediaKind("an Ogg audio/video file", (".ogg", ".oga", ".ogv", ".opus"), "audio/ogg")
PDF = MediaKind("a PDF document", (".pdf",), "application/pdf")
ZIP = MediaKind("a ZIP archive (or an Office document)", (".zip", ".docx", ".xlsx", ".pptx"), "application/zip")
GZIP = MediaKind("a gzip archive", (".gz",), "application/gzip")
EXECUTABLE = MediaKind("a program (executable)", (), "application/octet-stream")
TEXT = MediaKind("text", (".txt", ".json", ".md", ".csv", ".srt"), "text/plain")
UNKNOWN = MediaKind("binary data of an unknown type", (), "application/octet-stream")

MEDIA = (PNG, JPEG, BMP, WEBP, GIF, TIFF, MP4, HEIF, AVIF, M4A, AVI, MATROSKA, WAV, MP3, FLAC, OGG)
BY_SUFFIX: Dict[str, MediaKind] = {suffix: kind for kind in MEDIA for suffix in kind.suffixes}
# MIME types written in data: URLs, including the common aliases of a few of them.
BY_MIME: Dict[str, MediaKind] = {
    **{kind.mime: kind for kind in MEDIA},
    "video/quicktime": MP4, "audio/x-wav": WAV, "audio/wave": WAV, "audio/mp3": MP3, "video/x-matroska": MATROSKA,
}

_BMP_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)
_BRANDS = {
    b"M4A ": M4A, b"M4B ": M4A, b"avif": AVIF, b"avis": AVIF,
    **{brand: HEIF for brand in (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")},
}


def sniff(head: bytes) -> MediaKind:
    """The kind of data starting with ``head``: a known format, text, or unknown binary."""
    kind = _signature(head)
    if kind is not None:
        return kind
    return TEXT if _looks_like_text(head) else UNKNOWN


def sniff_file(path: Union[str, Path]) -> MediaKind:
    """The kind of the file at ``path`` (raises OSError when it cannot be read)."""
    with open(path, "rb") as handle:
        return sniff(handle.read(HEAD_BYTES))


def known_suffix(suffix: str) -> bool:
    """Whether the content of files with this suffix can be told apart here."""
    return suffix.lower() in BY_SUFFIX


def kind_for_suffix(suffix: str) -> Optional[MediaKind]:
    return BY_SUFFIX.get(suffix.lower())


def _signature(head: bytes) -> Optional[MediaKind]:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"BM") and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return BMP
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {b"WEBP": WEBP, b"WAVE": WAV, b"AVI ": AVI}.get(head[8:12])
    if head[4:8] == b"ftyp":  # ISO base media: the major brand says which kind
        return _BRANDS.get(head[8:12], MP4)
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip") and int.from_bytes(head[:4], "big") >= 8:
        return MP4  # an old QuickTime file without ftyp
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MATROSKA
    if head.startswith(b"ID3") or _mp3_frame(head):
        return MP3
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(b"\x1f\x8b"):
        return GZIP
    if head.startswith((b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        return EXECUTABLE
    return None


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a real layer, a valid bitrate and sample rate."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0x3
    return layer != 0 and bitrate not in (0, 0xF) and rate != 0x3


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for trim in range(4):  # the sample may end inside a multi-byte character
        try:
            text = head[: len(head) - trim].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\t\n\r\f\v" for ch in text)
    return False
