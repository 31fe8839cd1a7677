"""Renders real, playable H.264 MP4s with ffmpeg, once per (size, duration, audio, fps) and cache dir."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from typing import Dict, List, Optional

from qwencloud_skills.emulator.results import default_cache_dir
from qwencloud_skills.emulator.service import ResultUnavailable

RENDER_VERSION = 1
RENDER_TIMEOUT_SECONDS = 300


class MediaUnavailable(ResultUnavailable):
    """ffmpeg (imageio-ffmpeg) is missing or failed, so no video can be served."""


@dataclass(frozen=True)
class MediaSpec:
    width: int
    height: int
    duration: float  # seconds; whole numbers except for edits keeping an input's length
    audio: bool
    fps: int = 8

    @property
    def filename(self) -> str:
        track = "a" if self.audio else "s"
        return f"wan-v{RENDER_VERSION}-{self.width}x{self.height}-{self.duration:g}s-{self.fps}fps-{track}.mp4"


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # optional extra
        raise MediaUnavailable(
            "imageio-ffmpeg is not installed (pip install 'qwencloud-skills[emulator]'), "
            "or set EmulatorConfig.render_media=False"
        ) from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def render_command(exe: str, spec: MediaSpec, target: str) -> List[str]:
    """Test pattern video (and a sine tone when audible), cheap to encode."""
    seconds = f"{spec.duration:g}"
    command = [exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc2=size={spec.width}x{spec.height}:rate={spec.fps}:duration={seconds}"]
    if spec.audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={seconds}"]
    command += ["-map", "0:v"]
    if spec.audio:
        command += ["-map", "1:a", "-c:a", "aac", "-b:a", "48k", "-ac", "1"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-r", str(spec.fps)]
    command += ["-t", seconds, "-movflags", "+faststart", "-f", "mp4", target]
    return command


def placeholder_bytes(spec: MediaSpec) -> bytes:
    """Deterministic stand-in when rendering is off: an ftyp box plus a readable note."""
    note = f"emulated video {spec.width}x{spec.height} {spec.duration}s audio={spec.audio}\n".encode()
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    return ftyp + note * 16


class MediaRenderer:
    """Thread-safe: concurrent requests for one file wait for a single render."""

    def __init__(self) -> None:
        self._locks: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock_for(self, path: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(path, threading.Lock())

    def ensure(self, spec: MediaSpec, cache_dir: Optional[str], render: bool = True) -> str:
        """Path of the finished file, rendering it first if needed."""
        directory = cache_dir or default_cache_dir()
        os.makedirs(directory, exist_ok=True)
        name = spec.filename if render else "placeholder-" + spec.filename
        path = os.path.join(directory, name)
        with self._lock_for(path):
            if os.path.isfile(path):
                return path
            fd, partial = tempfile.mkstemp(prefix=".partial-", suffix=".mp4", dir=directory)
            os.close(fd)
            try:
                if render:
                    self._render(spec, partial)
                else:
                    with open(partial, "wb") as handle:
                        handle.write(placeholder_bytes(spec))
                os.replace(partial, path)
            finally:
                if os.path.exists(partial):
                    os.unlink(partial)
        return path

    @staticmethod
    def _render(spec: MediaSpec, target: str) -> None:
        command = render_command(ffmpeg_exe(), spec, target)
        try:
            result = subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=RENDER_TIMEOUT_SECONDS
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MediaUnavailable(f"ffmpeg could not run: {exc}") from exc
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", errors="replace").strip()[-500:]
            raise MediaUnavailable(f"ffmpeg failed ({result.returncode}): {detail}")
