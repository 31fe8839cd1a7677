"""Finding ffmpeg (system first, bundled second) and running it: failures become our errors."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from typing import List, Sequence, Tuple

from ..errors import ConfigError, QwenSkillsError

DEFAULT_TIMEOUT = 600.0
TAIL_LINES = 8


class MediaOpError(QwenSkillsError):
    """ffmpeg ran and failed (exit 1): its last stderr lines, cleaned, are shown."""


@cache
def locate() -> Tuple[str, str]:
    """(path, "system" or "bundled"): the ffmpeg on PATH wins, else imageio-ffmpeg's binary."""
    found = shutil.which("ffmpeg")
    if found:
        return found, "system"
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe(), "bundled"
    except Exception as exc:  # ImportError, or the wheel has no binary for this platform
        raise ConfigError(
            f"No ffmpeg found: none on PATH and the bundled one is unavailable ({type(exc).__name__}). "
            "Fix: pip install imageio-ffmpeg, or install ffmpeg on PATH."
        ) from None


def describe() -> str:
    """One line for doctor: which ffmpeg the media commands use."""
    try:
        path, source = locate()
    except ConfigError:
        return "not found (media commands need ffmpeg: pip install imageio-ffmpeg)"
    return f"{path} ({source})"


def tail(stderr: str, count: int = TAIL_LINES) -> str:
    """The last lines of ffmpeg's stderr, cleaned of control characters, for an error message."""
    from .. import servicetext

    lines = [servicetext.inline(line) or "" for line in stderr.strip().splitlines()[-count:]]
    return "\n".join(f"  ffmpeg: {line}" for line in lines if line)


def run(args: Sequence[str], what: str, timeout: float = DEFAULT_TIMEOUT, check: bool = True) -> str:
    """Run ``ffmpeg ARGS`` (no stdin, no banner); return stderr; raise MediaOpError when it fails."""
    command: List[str] = [locate()[0], "-hide_banner", "-nostdin", *args]
    try:
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MediaOpError(f"{what}: ffmpeg did not finish within {timeout:.0f} s and was stopped.") from None
    except OSError as exc:
        raise MediaOpError(f"{what}: ffmpeg could not be started ({exc.strerror or exc}).") from None
    stderr = result.stderr.decode("utf-8", errors="replace")
    if check and result.returncode != 0:
        raise MediaOpError(f"{what}: ffmpeg failed (exit {result.returncode}).\n{tail(stderr)}")
    return stderr


@cache
def has_filter(name: str) -> bool:
    """Whether this ffmpeg build has the filter ``name`` (drawtext needs libfreetype)."""
    try:
        result = subprocess.run([locate()[0], "-hide_banner", "-filters"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    lines = result.stdout.decode("utf-8", errors="replace").splitlines()
    return any(line.split()[1:2] == [name] for line in lines)
