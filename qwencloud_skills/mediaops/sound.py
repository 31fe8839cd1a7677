"""Putting sound under a clip (replace or mix, looped or cut to length) and mixing tracks."""

from __future__ import annotations

from pathlib import Path
from typing import List

from . import encode
from .ffmpeg import run
from .probe import MediaInfo

AUDIO_CODECS = {".m4a": ["-c:a", "aac", "-b:a", "192k"], ".aac": ["-c:a", "aac", "-b:a", "192k"],
                ".wav": ["-c:a", "pcm_s16le"], ".mp3": ["-c:a", "libmp3lame", "-q:a", "2"]}


def add_audio(video: MediaInfo, audio: MediaInfo, out: Path, mix: bool = False, volume: float = 1.0,
              fade: float = 0.0) -> None:
    """``audio`` (looped when shorter, cut when longer) as the sound of ``video``; pictures are copied."""
    length = f"{video.duration:.3f}"
    added = f"[1:a]{encode.AUDIO_FORMAT},volume={volume:g},atrim=0:{length},asetpts=PTS-STARTPTS"
    if fade:
        added += f",afade=t=in:st=0:d={fade:g},afade=t=out:st={video.duration - fade:.3f}:d={fade:g}"
    parts = [added + ("[new]" if mix and video.has_audio else "[a]")]
    if mix and video.has_audio:
        parts.append(f"[0:a]{encode.AUDIO_FORMAT},apad,atrim=0:{length}[old]")
        parts.append("[old][new]amix=inputs=2:duration=first:normalize=0[a]")
    run(["-y", "-i", video.path, "-stream_loop", "-1", "-i", audio.path, "-filter_complex", ";".join(parts),
         "-map", "0:v:0", "-map", "[a]", "-c:v", "copy", *encode.AUDIO_ENCODE, "-t", length, *encode.MP4_FLAGS,
         str(out)], "adding the sound")


def mix(tracks: List[MediaInfo], out: Path) -> None:
    """All tracks played together, as long as the longest (levels scaled so the sum does not clip)."""
    parts = [f"[{i}:a]{encode.AUDIO_FORMAT}[a{i}]" for i in range(len(tracks))]
    labels = "".join(f"[a{i}]" for i in range(len(tracks)))
    parts.append(f"{labels}amix=inputs={len(tracks)}:duration=longest[a]")
    codec = AUDIO_CODECS.get(out.suffix.lower(), AUDIO_CODECS[".m4a"])
    run(["-y", *encode.inputs(tracks), "-filter_complex", ";".join(parts), "-map", "[a]", "-vn", *codec,
         str(out)], "mixing")
