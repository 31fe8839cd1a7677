"""What a media file holds (duration, frame size, rate, codecs, sound), read from ffmpeg's banner.

The host's own small parser (plugins keep theirs): ``ffmpeg -i FILE`` prints the streams
even without an output, so no ffprobe binary is needed.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Optional

_DURATION = re.compile(r"Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+)(.*)")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)(.*)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_PIX_FMT = re.compile(r",\s*(yuv\w+|rgb\w+|gray\w*|nv\d+|pal8|bgr\w+)\b")
_FPS = re.compile(r"([\d.]+) fps")
_RATE = re.compile(r"(\d+) Hz")
_LAYOUT = re.compile(r"Hz,\s*([\w.()]+)")


@dataclass(frozen=True)
class MediaInfo:
    """One file's streams as ffmpeg reports them; None where it has no such stream or value."""

    path: str
    duration: Optional[float]
    width: Optional[int]
    height: Optional[int]
    fps: Optional[float]
    video_codec: Optional[str]
    pix_fmt: Optional[str]
    has_audio: bool
    audio_codec: Optional[str]
    sample_rate: Optional[int]
    channels: Optional[str]

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def moving(self) -> bool:
        """A picture that plays (a still image decodes as a zero-length or one-frame stream)."""
        return self.has_video and bool(self.duration) and (self.duration or 0) >= 0.5

    def as_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def join_key(self) -> tuple:
        """What must match for a join by stream copy."""
        return (self.video_codec, self.width, self.height, self.fps, self.pix_fmt,
                self.audio_codec, self.sample_rate, self.channels)


def parse_banner(text: str, path: str = "") -> MediaInfo:
    """The first video and audio stream of ``ffmpeg -i`` output (images count as one-frame video)."""
    duration = None
    match = _DURATION.search(text)
    if match:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    video = _VIDEO.search(text)
    audio = _AUDIO.search(text)
    size = _SIZE.search(video.group(2)) if video else None
    pix = _PIX_FMT.search(video.group(2)) if video else None
    fps = _FPS.search(video.group(2)) if video else None
    rate = _RATE.search(audio.group(2)) if audio else None
    layout = _LAYOUT.search(audio.group(2)) if audio else None
    return MediaInfo(
        path=path, duration=duration,
        width=int(size.group(1)) if size else None, height=int(size.group(2)) if size else None,
        fps=float(fps.group(1)) if fps else None,
        video_codec=video.group(1) if video else None, pix_fmt=pix.group(1) if pix else None,
        has_audio=audio is not None, audio_codec=audio.group(1) if audio else None,
        sample_rate=int(rate.group(1)) if rate else None, channels=layout.group(1) if layout else None,
    )


def probe(path: Path) -> MediaInfo:
    """Run ``ffmpeg -i`` on ``path`` (it exits 1 without an output: expected) and parse the banner."""
    from .ffmpeg import run

    text = run(["-i", str(path)], f"reading {path}", timeout=60, check=False)
    return parse_banner(text, str(path))
