"""Real media files for container checks, rendered once per session with the bundled ffmpeg."""

from __future__ import annotations

import struct
import subprocess
import wave
from pathlib import Path
from typing import Dict

import pytest


def ffmpeg() -> str:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    return imageio_ffmpeg.get_ffmpeg_exe()


def render_samples(directory: Path) -> Dict[str, bytes]:
    """A faststart MP4, an MP4 with moov at the end, a MOV, a PNG, a JPEG and a WAV, as bytes by name."""
    exe = ffmpeg()
    base = [exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi"]
    video = ["-i", "testsrc2=size=64x48:rate=10:duration=1", "-c:v", "libx264", "-preset", "ultrafast",
             "-pix_fmt", "yuv420p"]
    jobs = {
        "faststart.mp4": base + video + ["-movflags", "+faststart", str(directory / "faststart.mp4")],
        "moov_last.mp4": base + video + [str(directory / "moov_last.mp4")],
        "clip.mov": base + video + [str(directory / "clip.mov")],
        "frame.png": base + ["-i", "testsrc2=size=32x24", "-frames:v", "1", str(directory / "frame.png")],
        "frame.jpg": base + ["-i", "testsrc2=size=32x24", "-frames:v", "1", str(directory / "frame.jpg")],
    }
    for command in jobs.values():
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    with wave.open(str(directory / "tone.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * 4000)
    return {name: (directory / name).read_bytes() for name in [*jobs, "tone.wav"]}


def box(kind: bytes, payload: bytes = b"") -> bytes:
    """One ISO BMFF box with a 32-bit size."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


FTYP = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2")
