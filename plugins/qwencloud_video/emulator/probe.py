"""Reads a media file's dimensions, duration and tracks from ffmpeg's banner (no ffprobe needed)."""

from __future__ import annotations

import re
import subprocess
from typing import Any, Dict, Optional

from .media import ffmpeg_exe

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+)(.*)")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")
_DIMENSIONS = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_PIX_FMT = re.compile(r",\s*(yuv\w+|rgb\w+|gray\w*|nv\d+)\b")
_FPS = re.compile(r"([\d.]+) fps")


def probe(path: str, exe: Optional[str] = None) -> Dict[str, Any]:
    """dict(width, height, duration, has_audio, video_codec, audio_codec, pix_fmt, fps).

    Raises ValueError when ffmpeg finds no video stream in the file.
    """
    command = [exe or ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)
    return parse_banner(result.stderr.decode("utf-8", errors="replace"))


def parse_banner(text: str) -> Dict[str, Any]:
    video = _VIDEO.search(text)
    if video is None:
        raise ValueError("no video stream found: " + text.strip()[-300:])
    details = video.group(2)
    dimensions = _DIMENSIONS.search(details)
    if dimensions is None:
        raise ValueError("no frame size in: " + video.group(0))
    duration_match = _DURATION.search(text)
    duration = None
    if duration_match:
        hours, minutes, seconds = duration_match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    audio = _AUDIO.search(text)
    pix_fmt = _PIX_FMT.search(details)
    fps = _FPS.search(details)
    return {
        "width": int(dimensions.group(1)),
        "height": int(dimensions.group(2)),
        "duration": duration,
        "has_audio": audio is not None,
        "video_codec": video.group(1),
        "audio_codec": audio.group(1) if audio else None,
        "pix_fmt": pix_fmt.group(1) if pix_fmt else None,
        "fps": float(fps.group(1)) if fps else None,
    }
