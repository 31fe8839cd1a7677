"""Checking the files and times given to media commands: clear errors (exit 3) before ffmpeg runs."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import FieldIssue, invalid
from .probe import MediaInfo, probe

TIME_SLACK = 0.05  # seconds: banner durations are rounded to 1/100 s


def bad(field: str, value: object, problem: str, allowed: str, fix: str) -> Exception:
    return invalid([FieldIssue(field, value, problem, allowed, fix)], header="Invalid input")


def media_file(field: str, value: str, need_video: bool = False, need_audio: bool = False) -> MediaInfo:
    """``value`` exists, is a media file by its content, and has the streams the command needs."""
    from .. import mediatype

    path = Path(value).expanduser()
    if not path.is_file():
        raise bad(field, value, "no such file" if not path.exists() else "is not a regular file",
                  "an existing media file", "check the path (relative paths start at the current directory)")
    try:
        kind = mediatype.sniff_file(path)
    except OSError as exc:
        raise bad(field, value, f"cannot be read ({exc.strerror or exc})", "a readable media file",
                  "check the file's permissions") from None
    if not kind.is_media:
        raise bad(field, value, f"is {kind.name}, not a media file", "a media file (MP4, MOV, WebM, WAV, MP3, "
                  "M4A, ...)", "pass the media file itself")
    info = probe(path)
    if not info.has_video and not info.has_audio:
        raise bad(field, value, f"cannot be read as media (damaged or unsupported {kind.name})",
                  "a complete, playable media file", "check that the file was fully written or downloaded")
    if need_video and not info.has_video:
        raise bad(field, value, "has no picture stream", "a video file (MP4, MOV, WebM, ...)",
                  "pass a video file here")
    if need_audio and not info.has_audio:
        raise bad(field, value, "has no audio stream", "an audio file or a video with sound (WAV, MP3, M4A, ...)",
                  "pass a file with sound")
    if (need_video or need_audio) and not info.duration:
        raise bad(field, value, "has no known duration", "a playable media file", "re-export the file")
    return info


def seconds(field: str, value: Optional[float], duration: Optional[float] = None, allow_zero: bool = True,
            fix: str = "") -> Optional[float]:
    """A time in seconds: not negative and, when ``duration`` is known, not beyond it."""
    if value is None:
        return None
    if value < 0 or (value == 0 and not allow_zero):
        allowed = "0 or more seconds" if allow_zero else "more than 0 seconds"
        raise bad(field, value, "is negative" if value < 0 else "is zero", allowed, fix or "pass a positive time")
    if duration is not None and value > duration + TIME_SLACK:
        raise bad(field, value, f"is beyond the end ({duration:.2f} s)", f"0 to {duration:.2f} seconds",
                  fix or f"pass a time of at most {duration:.2f}")
    return value
