"""mediacheck: a download without a length is accepted only when its container is whole."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Dict

import pytest

from host.mediasamples import FTYP, box, render_samples
from qwencloud_skills.mediacheck import check_file


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, bytes]:
    return render_samples(tmp_path_factory.mktemp("media"))


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", ["faststart.mp4", "moov_last.mp4", "clip.mov", "frame.png", "frame.jpg",
                                  "tone.wav"])
def test_real_files_pass_and_every_truncation_fails(samples, tmp_path: Path, name: str) -> None:
    data = samples[name]
    assert check_file(write(tmp_path, name, data)) is None
    for cut in sorted({1, 7, 8, 9, 16, len(data) // 3, len(data) // 2, len(data) - 2, len(data) - 1}):
        problem = check_file(write(tmp_path, name, data[:cut]))
        assert problem, f"{name} cut at {cut} of {len(data)} bytes was accepted"


def test_the_kind_comes_from_the_final_name_not_the_temp_name(samples, tmp_path: Path) -> None:
    temp = write(tmp_path, ".video.mp4.task-1.part", samples["faststart.mp4"][:-100])
    assert check_file(temp) is None  # ".part": only non-empty is required
    assert "truncated MP4" in check_file(temp, "video.mp4")


def test_bytes_after_the_last_box_fail(samples, tmp_path: Path) -> None:
    problem = check_file(write(tmp_path, "v.mp4", samples["faststart.mp4"] + b"\x00\x00\x00"))
    assert "stray bytes" in problem


def test_a_web_page_named_mp4_is_not_an_mp4(tmp_path: Path) -> None:
    problem = check_file(write(tmp_path, "v.mp4", b"<html><body>Access denied</body></html>"))
    assert "not an MP4" in problem


def test_largesize_and_to_the_end_boxes(tmp_path: Path) -> None:
    moov = box(b"moov", box(b"mvhd", bytes(100)))
    payload = bytes(1000)
    large_mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + len(payload)) + payload
    assert check_file(write(tmp_path, "large.mp4", FTYP + moov + large_mdat)) is None
    assert "truncated MP4" in check_file(write(tmp_path, "large.mp4", FTYP + moov + large_mdat[:-1]))
    assert "cut short" in check_file(write(tmp_path, "large.mp4", FTYP + moov + large_mdat[:12]))
    to_end = struct.pack(">I4s", 0, b"mdat") + payload
    assert check_file(write(tmp_path, "end.mp4", FTYP + moov + to_end)) is None


def test_missing_boxes_and_bad_sizes(tmp_path: Path) -> None:
    moov = box(b"moov", bytes(20))
    mdat = box(b"mdat", bytes(50))
    assert "no 'moov'" in check_file(write(tmp_path, "a.mp4", FTYP + mdat))
    assert "no 'mdat'" in check_file(write(tmp_path, "b.mp4", FTYP + moov))
    tiny = struct.pack(">I4s", 4, b"free")
    assert "declares 4 bytes" in check_file(write(tmp_path, "c.mp4", FTYP + tiny + moov + mdat))
    huge = struct.pack(">I4sQ", 1, b"mdat", 4)
    assert "declares 4 bytes" in check_file(write(tmp_path, "d.mp4", FTYP + moov + huge))


def test_the_emulator_placeholder_is_not_a_complete_mp4(tmp_path: Path) -> None:
    from qwencloud_video.emulator.media import MediaSpec, placeholder_bytes

    data = placeholder_bytes(MediaSpec(width=832, height=480, duration=5, fps=16, audio=False))
    assert check_file(write(tmp_path, "video.mp4", data))


def test_wav_sizes(samples, tmp_path: Path) -> None:
    data = samples["tone.wav"]
    assert "bytes after the declared end" in check_file(write(tmp_path, "t.wav", data + b"junk"))
    streaming = data[:4] + struct.pack("<I", 0xFFFFFFFF) + data[8:]
    assert check_file(write(tmp_path, "t.wav", streaming)) is None
    assert "RIFF/WAVE header" in check_file(write(tmp_path, "t.wav", b"ID3" + data))


def test_other_kinds_need_only_bytes(tmp_path: Path) -> None:
    assert check_file(write(tmp_path, "result.bin", b"x")) is None
    assert check_file(write(tmp_path, "result.bin", b"")) == "the file is empty"
    assert check_file(write(tmp_path, "video.mp4", b"")) == "the file is empty"
