"""Renders real, playable H.264 MP4s with ffmpeg, once per (size, duration, audio, fps, inputs) and cache dir.

A plain result is a test pattern. Input media the task names are shown the way the service
uses them: a first-frame image over the first frames, a last-frame image over the last ones,
and a first clip as the opening seconds (the rest is pattern), so tests can check content.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field, replace
from typing import Dict, List, Mapping, Optional, Tuple

from qwencloud_skills.emulator.results import default_cache_dir
from qwencloud_skills.emulator.service import ResultUnavailable

RENDER_VERSION = 1
INPUTS_VERSION = 1  # part of the key of renders showing inputs: bump when their look changes
RENDER_TIMEOUT_SECONDS = 300
HOLD_SECONDS = 0.5  # how long a first or last frame image stays on screen

FIRST_CLIP, FIRST_FRAME, LAST_FRAME = "first_clip", "first_frame", "last_frame"
ROLES = (FIRST_CLIP, FIRST_FRAME, LAST_FRAME)  # bottom to top: frame images cover the clip


class MediaUnavailable(ResultUnavailable):
    """ffmpeg (imageio-ffmpeg) is missing or failed, so no video can be served."""


@dataclass(frozen=True)
class Source:
    """An input medium the video shows (``role`` one of ROLES); equal when the content is."""

    role: str
    digest: str  # sha256 of ``data``
    data: bytes = field(compare=False, repr=False)

    @classmethod
    def of(cls, role: str, data: bytes) -> Source:
        if role not in ROLES:
            raise ValueError(f"unknown input role {role!r}; one of {', '.join(ROLES)}")
        return cls(role, hashlib.sha256(data).hexdigest(), data)


@dataclass(frozen=True)
class MediaSpec:
    width: int
    height: int
    duration: float  # seconds; whole numbers except for edits keeping an input's length
    audio: bool
    fps: int = 8
    sources: Tuple[Source, ...] = ()

    @property
    def inputs_key(self) -> str:
        """Hash of what the inputs contribute (their roles and content); empty without inputs."""
        if not self.sources:
            return ""
        parts = sorted(f"{source.role}={source.digest}" for source in self.sources)
        text = f"v{INPUTS_VERSION};hold={HOLD_SECONDS:g};" + ";".join(parts)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def filename(self) -> str:
        track = "a" if self.audio else "s"
        shown = f"-in{self.inputs_key}" if self.sources else ""
        base = f"wan-v{RENDER_VERSION}-{self.width}x{self.height}-{self.duration:g}s-{self.fps}fps-{track}"
        return base + shown + ".mp4"

    @property
    def frames(self) -> int:
        return max(1, int(round(self.duration * self.fps)))

    @property
    def hold_frames(self) -> int:
        """Frames a first or last frame image covers (never more than half the video)."""
        return max(1, min(int(round(HOLD_SECONDS * self.fps)), self.frames // 2))


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # optional extra
        raise MediaUnavailable(
            "imageio-ffmpeg is not installed (pip install 'qwencloud-skills[emulator]'), "
            "or set EmulatorConfig.render_media=False"
        ) from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def render_command(exe: str, spec: MediaSpec, target: str, inputs: Optional[Mapping[str, str]] = None) -> List[str]:
    """Test pattern video (and a sine tone when audible), cheap to encode.

    ``inputs`` maps roles (FIRST_CLIP, FIRST_FRAME, LAST_FRAME) to readable files shown over the pattern.
    """
    seconds = f"{spec.duration:g}"
    shown = [(role, inputs[role]) for role in ROLES if role in (inputs or {})]
    command = [exe, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    command += ["-f", "lavfi", "-i", f"testsrc2=size={spec.width}x{spec.height}:rate={spec.fps}:duration={seconds}"]
    if spec.audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=22050:duration={seconds}"]
    for _, path in shown:
        command += ["-i", path]
    if shown:
        first = 2 if spec.audio else 1
        command += ["-filter_complex", overlay_graph(spec, [role for role, _ in shown], first), "-map", "[v]"]
    else:
        command += ["-map", "0:v"]
    if spec.audio:
        command += ["-map", "1:a", "-c:a", "aac", "-b:a", "48k", "-ac", "1"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-r", str(spec.fps)]
    command += ["-t", seconds, "-movflags", "+faststart", "-f", "mp4", target]
    return command


def overlay_graph(spec: MediaSpec, roles: List[str], first_input: int) -> str:
    """Filter graph laying the inputs (ffmpeg inputs ``first_input``... in ``roles`` order) over the pattern."""
    fit = (
        f"format=rgb24,scale={spec.width}:{spec.height}:force_original_aspect_ratio=decrease,"
        f"pad={spec.width}:{spec.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p"
    )
    hold = spec.hold_frames
    chains, layers = [], []
    below = "0:v"
    for offset, role in enumerate(roles):
        index, label = first_input + offset, f"in{offset}"
        if role == FIRST_CLIP:  # its own frames at the output's rate, then the pattern shows through
            chains.append(f"[{index}:v]setpts=PTS-STARTPTS,fps={spec.fps},{fit}[{label}]")
            how = "eof_action=pass"
        else:  # one still, repeated while enabled
            chains.append(f"[{index}:v]trim=end_frame=1,setpts=PTS-STARTPTS,{fit}[{label}]")
            how = f"enable='lt(n,{hold})'" if role == FIRST_FRAME else f"enable='gte(n,{spec.frames - hold})'"
        above = "v" if offset == len(roles) - 1 else f"layer{offset}"
        layers.append(f"[{below}][{label}]overlay={how}[{above}]")
        below = above
    return ";".join(chains + layers)


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
        """Path of the finished file, rendering it first if needed (placeholders ignore the inputs)."""
        directory = cache_dir or default_cache_dir()
        os.makedirs(directory, exist_ok=True)
        if not render:
            spec = replace(spec, sources=())
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

    @classmethod
    def _render(cls, spec: MediaSpec, target: str) -> None:
        exe = ffmpeg_exe()
        if spec.sources:
            with tempfile.TemporaryDirectory(prefix="emulator-inputs-") as folder:
                inputs = readable_inputs(exe, spec.sources, folder)
                try:
                    if inputs:
                        cls._run(render_command(exe, spec, target, inputs))
                        return
                except MediaUnavailable:
                    pass  # inputs ffmpeg reads but cannot lay out: show the pattern, as without them
        cls._run(render_command(exe, spec, target))

    @staticmethod
    def _run(command: List[str]) -> None:
        try:
            result = subprocess.run(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=RENDER_TIMEOUT_SECONDS
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MediaUnavailable(f"ffmpeg could not run: {exc}") from exc
        if result.returncode != 0:
            detail = result.stderr.decode("utf-8", errors="replace").strip()[-500:]
            raise MediaUnavailable(f"ffmpeg failed ({result.returncode}): {detail}")


def readable_inputs(exe: str, sources: Tuple[Source, ...], folder: str) -> Dict[str, str]:
    """role -> file for each source written to ``folder`` that ffmpeg sees a picture in (others are left out)."""
    from .probe import probe

    found: Dict[str, str] = {}
    for source in sources:
        path = os.path.join(folder, source.role)
        with open(path, "wb") as handle:
            handle.write(source.data)
        try:
            probe(path, exe)
        except (ValueError, OSError, subprocess.SubprocessError):
            continue
        found[source.role] = path
    return found
