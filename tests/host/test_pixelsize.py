"""Picture sizes read from file headers: real encoder output, hand-built edge cases, and broken files."""

from __future__ import annotations

import io
import struct
import subprocess
from pathlib import Path

import pytest
from mediafiles import png_bytes

from qwencloud_skills.pixelsize import pixel_size
from qwencloud_skills.registry import PixelBounds


def size_of(data: bytes):
    return pixel_size(io.BytesIO(data))


@pytest.mark.parametrize("suffix, extra", [
    ("png", []), ("jpg", []), ("bmp", []), ("gif", []), ("webp", []), ("webp", ["-lossless", "1"]),
    ("mp4", ["-c:v", "mpeg4"]), ("mov", ["-c:v", "mpeg4"]),
])
def test_sizes_of_encoder_output(tmp_path: Path, suffix: str, extra: list) -> None:
    ffmpeg = pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()
    path = tmp_path / f"picture.{suffix}"
    frames = ["-t", "0.5"] if suffix in ("mp4", "mov") else ["-frames:v", "1"]
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=320x176", *frames,
                    *extra, str(path)], check=True, timeout=60)
    with path.open("rb") as handle:
        assert pixel_size(handle) == (320, 176)


def test_a_video_with_its_audio_track_first_reports_the_picture(tmp_path: Path) -> None:
    ffmpeg = pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()
    path = tmp_path / "talk.mp4"
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", "sine=d=0.5", "-f", "lavfi", "-i",
                    "color=c=blue:s=272x480:d=0.5", "-map", "0:a", "-map", "1:v", "-c:v", "mpeg4", str(path)],
                   check=True, timeout=60)
    with path.open("rb") as handle:
        assert pixel_size(handle) == (272, 480)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def test_jpeg_frame_after_exif_and_fill_bytes() -> None:
    exif = _segment(0xE1, b"Exif\x00\x00" + b"\x00" * 3000)  # a large APP1 before the frame header
    frame = _segment(0xC2, struct.pack(">BHHB", 8, 1080, 1920, 3) + b"\x00" * 9)  # progressive
    data = b"\xff\xd8" + exif + b"\xff\xff" + _segment(0xDB, b"\x00" * 65) + frame + b"\xff\xd9"
    assert size_of(data) == (1920, 1080)


def test_bmp_top_down_rows_count_as_positive_height() -> None:
    header = b"BM" + struct.pack("<IHHI", 0, 0, 0, 54) + struct.pack("<IiiHHIIiiII", 40, 300, -250, 1, 24, 0, 0,
                                                                        0, 0, 0, 0)
    assert size_of(header + b"\x00" * 64) == (300, 250)


@pytest.mark.parametrize("data", [
    b"",
    b"plain text, not a picture",
    png_bytes(width=256, height=256)[:20],  # cut inside IHDR
    b"\xff\xd8\xff",  # a JPEG start and nothing else
    b"\xff\xd8" + _segment(0xE0, b"JFIF") + b"\x00\x00\x00",  # no marker where one must be
    b"\xff\xd8" + b"\xff\xe0\x00\x01",  # a segment length below 2
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x01moov",  # a box without its size
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x10moov" * 50,
])
def test_broken_or_unknown_headers_are_unknown(data: bytes) -> None:
    assert size_of(data) is None


def test_png_sizes_and_zero_sides() -> None:
    assert size_of(png_bytes(width=4000, height=300)) == (4000, 300)
    broken = bytearray(png_bytes(width=10, height=10))
    broken[16:24] = struct.pack(">II", 0, 10)
    assert size_of(bytes(broken)) is None


def test_pixel_bounds_say_what_is_wrong() -> None:
    bounds = PixelBounds(240, 8000, 8.0)
    assert bounds.problem(1280, 720) == ""
    assert bounds.problem(200, 720) == "is 200x720 pixels"
    assert bounds.problem(8001, 2000) == "is 8001x2000 pixels"
    assert "more elongated than 1:8" in bounds.problem(2700, 300)
    assert PixelBounds(240, 8000).problem(2700, 300) == ""
    assert bounds.describe() == "each side 240-8000 px, aspect 1:8 to 8:1"
