"""Joining clips: stream copy when they match, re-encode otherwise, optional crossfades."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import List, Optional, Tuple

from . import encode
from .ffmpeg import run
from .probe import MediaInfo

CLEAN_TIMESTAMPS = ["-fflags", "+genpts", "-avoid_negative_ts", "make_zero"]


def can_copy(infos: List[MediaInfo]) -> bool:
    """Stream copy is only safe when every input has the same codecs, size, rate and sound layout."""
    return len({info.join_key() for info in infos}) == 1


def concat(infos: List[MediaInfo], out: Path, crossfade: Optional[float] = None) -> Tuple[str, str]:
    """Write the join of ``infos`` to ``out``; return how it was made ("stream copy"/...) and ffmpeg's log."""
    if crossfade:
        return "re-encode (crossfade)", _crossfade(infos, out, crossfade)
    if can_copy(infos):
        return "stream copy", _copy(infos, out)
    return "re-encode", _reencode(infos, out)


def _copy(infos: List[MediaInfo], out: Path) -> str:
    fd, listing = tempfile.mkstemp(prefix=".concat-", suffix=".txt", dir=str(out.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for info in infos:
                quoted = str(Path(info.path).resolve()).replace("'", "'\\''")
                handle.write(f"file '{quoted}'\n")
        return run(["-y", *CLEAN_TIMESTAMPS[:2], "-f", "concat", "-safe", "0", "-i", listing, "-map", "0:v?",
             "-map", "0:a?", "-c", "copy", *CLEAN_TIMESTAMPS[2:], str(out)], "joining")
    finally:
        os.unlink(listing)


def _normalised(infos: List[MediaInfo]) -> tuple:
    first = infos[0]
    width, height = first.width or 1280, first.height or 720
    width, height = width - width % 2, height - height % 2
    fps = first.fps or encode.DEFAULT_FPS
    sound = any(info.has_audio for info in infos)
    parts = [encode.video_chain(i, width, height, fps, f"v{i}") for i in range(len(infos))]
    if sound:
        parts += [encode.audio_chain(i, info, f"a{i}") for i, info in enumerate(infos)]
    return parts, sound


def _reencode(infos: List[MediaInfo], out: Path) -> str:
    parts, sound = _normalised(infos)
    pairs = "".join(f"[v{i}][a{i}]" if sound else f"[v{i}]" for i in range(len(infos)))
    parts.append(f"{pairs}concat=n={len(infos)}:v=1:a={1 if sound else 0}[v]" + ("[a]" if sound else ""))
    return _encode(infos, parts, sound, out, "joining (re-encode)")


def _crossfade(infos: List[MediaInfo], out: Path, seconds: float) -> str:
    parts, sound = _normalised(infos)
    video, audio, elapsed = "v0", "a0", 0.0
    for i in range(1, len(infos)):
        elapsed += infos[i - 1].duration or 0.0
        offset = elapsed - i * seconds
        label = "v" if i == len(infos) - 1 else f"x{i}"
        parts.append(f"[{video}][v{i}]xfade=transition=fade:duration={seconds:g}:offset={offset:.3f}[{label}]")
        video = label
        if sound:
            alabel = "a" if i == len(infos) - 1 else f"y{i}"
            parts.append(f"[{audio}][a{i}]acrossfade=d={seconds:g}[{alabel}]")
            audio = alabel
    return _encode(infos, parts, sound, out, "joining with crossfades")


def _encode(infos: List[MediaInfo], parts: List[str], sound: bool, out: Path, what: str) -> str:
    maps = ["-map", "[v]"] + (["-map", "[a]"] if sound else [])
    return run(["-y", *encode.inputs(infos), "-filter_complex", ";".join(parts), *maps, *encode.VIDEO_ENCODE,
         *(encode.AUDIO_ENCODE if sound else []), *CLEAN_TIMESTAMPS[2:], *encode.MP4_FLAGS, str(out)], what)
