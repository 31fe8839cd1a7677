"""Real short media files made with the bundled ffmpeg, and helpers to inspect results."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

pytestmark = pytest.mark.slow


def ffmpeg_exe() -> str:
    return pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True, timeout=60)


def make_clip(path: Path, seconds: float, size: str = "160x120", rate: int = 24, audio: bool = True,
              freq: int = 440) -> Path:
    """An H.264 clip whose every frame differs (testsrc2 draws a frame counter), with AAC sound or none."""
    args: List[str] = ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={rate}:d={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=f={freq}:d={seconds}", "-c:a", "aac", "-shortest"]
    ffmpeg(*args, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "12", str(path))
    return path


def make_tone(path: Path, seconds: float, freq: int = 300) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=f={freq}:d={seconds}", str(path))
    return path


def rgb(path: Path) -> bytes:
    """An image file's pixels as raw RGB bytes (decoded by ffmpeg)."""
    result = subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-f", "rawvideo",
                             "-pix_fmt", "rgb24", "-"], capture_output=True, check=True, timeout=60)
    return result.stdout


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("clips")
    yield {
        "a": make_clip(folder / "a.mp4", 2),
        "b": make_clip(folder / "b.mp4", 1, freq=660),
        "silent": make_clip(folder / "silent.mp4", 1, audio=False),
        "big": make_clip(folder / "big.mp4", 1, size="320x240", rate=30),
        "tone": make_tone(folder / "tone.wav", 0.7),
        "long_tone": make_tone(folder / "long.wav", 5, freq=500),
        "text": _text(folder / "notes.mp4"),
    }


def _text(path: Path) -> Path:
    path.write_text("not a media file\n", encoding="utf-8")
    return path


@pytest.fixture
def media_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run ``media ARGS`` in-process in a fresh folder; return (outcome, written path)."""
    from clirunner import invoke

    from qwencloud_skills.mediaops.cli import media

    monkeypatch.chdir(tmp_path)

    def call(*args: str):
        outcome = invoke(media, [str(a) for a in args])
        assert outcome.exit_code == 0, (outcome.output, outcome.exception)
        lines = outcome.stdout.strip().splitlines()
        return outcome, Path(lines[-1]) if lines else None

    return call
