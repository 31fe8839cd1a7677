"""Local media too short or too long for its field is refused before any upload or charge."""

from __future__ import annotations

import struct
import subprocess
import wave
from pathlib import Path

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.mediaprobe import duration_of
from qwencloud_skills.plugins import get_registry
from qwencloud_skills.tasks import TaskBook


def make_wav(path: Path, seconds: float, rate: int = 8000) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(struct.pack("<h", 0) * int(seconds * rate))
    return path


def make_mp4(path: Path, seconds: float) -> Path:
    ffmpeg = pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()
    subprocess.run(
        [ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"color=c=blue:s=64x64:d={seconds}:r=8",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=60,
    )
    return path


def test_durations_are_read_from_headers(tmp_path: Path) -> None:
    assert duration_of(make_wav(tmp_path / "a.wav", 4.0)) == pytest.approx(4.0)
    assert duration_of(make_mp4(tmp_path / "v.mp4", 2.0)) == pytest.approx(2.0, abs=0.2)
    (tmp_path / "x.mp3").write_bytes(b"\xff\xfb" + b"\0" * 100)
    assert duration_of(tmp_path / "x.mp3") is None  # unknown formats are not guessed
    (tmp_path / "broken.mp4").write_bytes(b"garbage")
    assert duration_of(tmp_path / "broken.mp4") is None


def book(canary_key: str) -> TaskBook:
    from qwencloud_skills.secrets import ApiKey

    return TaskBook(skill="qwencloud-video-generation", api_key=ApiKey(canary_key), base_url="http://127.0.0.1:9",
                    ledger=False)


@pytest.mark.parametrize("seconds, ok", [(1.0, False), (5.0, True), (31.0, False)])
def test_own_soundtrack_must_play_3_to_30_seconds(tmp_path: Path, canary_key: str, seconds: float, ok: bool) -> None:
    track = make_wav(tmp_path / "track.wav", seconds)
    request = {"prompt": "a musician", "audio_url": str(track)}
    if ok:
        book(canary_key).prepare(request)
        return
    with pytest.raises(InvalidRequestError) as info:
        book(canary_key).prepare(request)
    issue = info.value.issues[0]
    assert (issue.field, issue.allowed) == ("audio_url", "3-30 s on wan2.6-t2v") and f"{seconds:.2f} s" in issue.problem


def test_a_clip_to_extend_must_be_3_seconds_at_most(tmp_path: Path, canary_key: str) -> None:
    clip = make_mp4(tmp_path / "clip.mp4", 5.0)
    request = {"function": "video_extension", "prompt": "go on", "first_clip_url": str(clip)}
    with pytest.raises(InvalidRequestError) as info:
        book(canary_key).prepare(request)
    assert info.value.issues[0].allowed == "at most 3 s" and "trim" in info.value.issues[0].fix
    assert get_registry().modes["vace"].file_seconds["first_clip_url"] == (None, 3.0)
    short = make_mp4(tmp_path / "short.mp4", 2.0)
    book(canary_key).prepare({**request, "first_clip_url": str(short)})


@pytest.mark.parametrize("data", [
    b"\x00\x00\x00\x08mvhd",
    b"\x00\x00\x00\x10moov" * 50,
    b"\x00\x00\x00\x01moov",
    b"\x00\x00\x00\x00moov\x00\x00\x00\x08mvhd",
    b"\x00\x00\x00\x0cmvhd\x01",
])
def test_malformed_mp4_headers_are_unknown_not_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.mp4"
    path.write_bytes(data)
    assert duration_of(path) is None
