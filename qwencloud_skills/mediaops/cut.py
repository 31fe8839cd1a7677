"""Cutting a clip to exact times and taking single frames (the real last one, too)."""

from __future__ import annotations

from pathlib import Path

from . import encode
from .ffmpeg import MediaOpError, run, tail
from .probe import MediaInfo

LAST_FRAME_WINDOW = 2.0  # seconds before the end that are decoded to find the final frame


def trim(info: MediaInfo, start: float, end: float, out: Path) -> None:
    """Re-encode ``start``..``end`` (exact to the frame; stream copy could only cut at keyframes)."""
    audio = ["-map", "0:a?", *encode.AUDIO_ENCODE] if info.has_audio else []
    run(["-y", "-ss", f"{start:.3f}", "-i", info.path, "-t", f"{end - start:.3f}", "-map", "0:v:0",
         *audio, *encode.VIDEO_ENCODE, "-avoid_negative_ts", "make_zero", *encode.MP4_FLAGS, str(out)], "trimming")


def frame_at(info: MediaInfo, at: float, out: Path) -> None:
    """The frame shown at ``at`` seconds, as a PNG."""
    log = run(["-y", "-ss", f"{at:.3f}", "-i", info.path, "-map", "0:v:0", "-frames:v", "1", "-update", "1",
               str(out)], f"taking the frame at {at:g} s")
    if not out.stat().st_size:  # ffmpeg exits 0 when a damaged file has no picture there
        raise MediaOpError(f"No frame could be decoded at {at:g} s (is the file damaged?).\n{tail(log)}")


def last_frame(info: MediaInfo, out: Path) -> None:
    """The final decoded frame: seek shortly before the end and keep overwriting one image to the last frame.

    The overwritten image is an uncompressed BMP (cheap to write dozens of times); only the last one
    becomes the PNG.
    """
    window = min(LAST_FRAME_WINDOW, info.duration or LAST_FRAME_WINDOW)
    scratch = out.with_name(f".{out.stem}-last.bmp")
    try:
        run(["-y", "-sseof", f"-{window:.3f}", "-i", info.path, "-map", "0:v:0", "-update", "1", str(scratch)],
            "taking the last frame")
        if not scratch.is_file() or not scratch.stat().st_size:  # under one frame per window: decode it all
            run(["-y", "-i", info.path, "-map", "0:v:0", "-update", "1", str(scratch)], "taking the last frame")
        run(["-y", "-i", str(scratch), "-frames:v", "1", str(out)], "saving the last frame")
    finally:
        if scratch.exists():
            scratch.unlink()
