"""The media operations with their input checks, as functions: the `media` commands and workflow steps share them.

Each checks its inputs (clear errors, exit 3, before ffmpeg runs), writes under the output rules
(``output``: a folder or a file path; ``name``: the file name to use in a folder) and returns the
path of the file it saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from .probe import MediaInfo


def _stem(path: str) -> str:
    return Path(path).stem or "media"


def _save(output: Optional[str], name: str, write) -> Path:
    from .outputs import placed

    result: List[Path] = []
    with placed(output, name, result) as temp:
        write(temp)
    return result[0]


def probe_file(file: str) -> MediaInfo:
    from .inputs import media_file

    return media_file("FILE", file)


def concat_files(files: Sequence[str], crossfade: Optional[float] = None, output: Optional[str] = None,
                 name: Optional[str] = None) -> Tuple[Path, str]:
    """Join clips in order; returns the saved path and how it was joined ("stream copy", "re-encode"...)."""
    from .inputs import bad, media_file, seconds
    from .join import concat

    if len(files) < 2:
        raise bad("FILES", list(files), "needs at least two clips", "two or more clip paths",
                  "e.g. media concat a.mp4 b.mp4")
    infos = [media_file(f"FILES[{i + 1}]", file, need_video=True) for i, file in enumerate(files)]
    if crossfade is not None:
        seconds("--crossfade", crossfade, allow_zero=False)
        shortest = min(info.duration or 0.0 for info in infos)
        if crossfade >= shortest:
            raise bad("--crossfade", crossfade, f"is not shorter than the shortest clip ({shortest:.2f} s)",
                      f"more than 0 and less than {shortest:.2f} seconds", "pass a shorter --crossfade")
    how: List[str] = []
    path = _save(output, name or f"{_stem(files[0])}_joined.mp4",
                 lambda temp: how.append(concat(infos, temp, crossfade)[0]))
    return path, how[0]


def trim_file(file: str, start: Optional[float] = None, end: Optional[float] = None, last: Optional[float] = None,
              output: Optional[str] = None, name: Optional[str] = None) -> Path:
    """Cut to start..end, or to the last ``last`` seconds (re-encoded: exact to the frame)."""
    from .cut import trim
    from .inputs import bad, media_file, seconds

    if last is not None and (start is not None or end is not None):
        raise bad("--last", last, "cannot be combined with --start or --end", "either --last S, or --start/--end",
                  "drop --start/--end, or drop --last")
    if last is None and start is None and end is None:
        raise bad("--start/--end/--last", None, "no cut given", "--start S and/or --end S, or --last S",
                  "e.g. --start 1 --end 3, or --last 2")
    info = media_file("FILE", file, need_video=True)
    duration = info.duration or 0.0
    if last is not None:
        seconds("--last", last, duration, allow_zero=False)
        begin, finish = max(0.0, duration - last), duration
    else:
        begin = seconds("--start", start, duration) or 0.0
        finish = seconds("--end", end, duration)
        finish = duration if finish is None else min(finish, duration)
        if finish <= begin:
            raise bad("--end", end, f"is not after --start ({begin:g} s)", f"more than {begin:g} seconds",
                      "pass an --end after --start")
    return _save(output, name or f"{_stem(file)}_trim.mp4", lambda temp: trim(info, begin, finish, temp))


def frame_file(file: str, which: Optional[str] = None, at: Optional[float] = None, output: Optional[str] = None,
               name: Optional[str] = None) -> Path:
    """One frame as a PNG: ``which`` "first" or "last" (the real final frame), or the frame shown ``at`` S."""
    from .cut import frame_at, last_frame
    from .inputs import bad, media_file, seconds

    if (which is None) == (at is None) or which not in (None, "first", "last"):
        raise bad("--first/--last/--at", which or at, "choose exactly one", "--first, --last or --at S",
                  "e.g. media frame clip.mp4 --last")
    info = media_file("FILE", file, need_video=True)
    if at is not None:
        seconds("--at", at, info.duration)
        shown = min(at, max(0.0, (info.duration or 0.0) - 1.0 / (info.fps or 30.0)))  # --at END: the final frame
        return _save(output, name or f"{_stem(file)}_at{at:g}s.png", lambda temp: frame_at(info, shown, temp))
    if which == "first":
        return _save(output, name or f"{_stem(file)}_first.png", lambda temp: frame_at(info, 0.0, temp))
    return _save(output, name or f"{_stem(file)}_last.png", lambda temp: last_frame(info, temp))


def add_audio_file(video: str, audio: str, mix: bool = False, volume: float = 1.0, fade: float = 0.0,
                   output: Optional[str] = None, name: Optional[str] = None) -> Path:
    """``audio`` under ``video`` (looped when shorter, cut when longer), replacing or mixed with its sound."""
    from .inputs import bad, media_file, seconds
    from .sound import add_audio

    if not 0 <= volume <= 10:
        raise bad("--volume", volume, "is out of range", "0 to 10 (1 keeps the level)", "e.g. --volume 0.5")
    picture = media_file("VIDEO", video, need_video=True)
    sound = media_file("AUDIO", audio, need_audio=True)
    half = (picture.duration or 0.0) / 2
    seconds("--fade", fade, half, fix=f"pass a --fade of at most half the clip ({half:.2f} s)")
    return _save(output, name or f"{_stem(video)}_sound.mp4",
                 lambda temp: add_audio(picture, sound, temp, mix, volume, fade))


def mix_files(tracks: Sequence[str], output: Optional[str] = None, name: Optional[str] = None) -> Path:
    """Audio tracks played together, as long as the longest."""
    from .inputs import bad, media_file
    from .sound import AUDIO_CODECS, mix

    if len(tracks) < 2:
        raise bad("TRACKS", list(tracks), "needs at least two tracks", "two or more audio files",
                  "e.g. media mix voice.wav music.mp3")
    target = name or (output if output and not output.endswith("/") and not Path(output).is_dir() else "")
    suffix = Path(target).suffix.lower() if target else ""
    if suffix and suffix not in AUDIO_CODECS:
        raise bad("--output", output or name, f"has the suffix {suffix}", ", ".join(sorted(AUDIO_CODECS)),
                  "e.g. --output mix.m4a")
    infos = [media_file(f"TRACKS[{i + 1}]", track, need_audio=True) for i, track in enumerate(tracks)]
    return _save(output, name or f"{_stem(tracks[0])}_mix.m4a", lambda temp: mix(infos, temp))


def contact_sheet_file(file: str, columns: int = 4, frames: int = 12, output: Optional[str] = None,
                       name: Optional[str] = None) -> Tuple[Path, bool]:
    """A PNG grid of frames; returns the path and whether times are drawn on it (ffmpeg has drawtext)."""
    from .inputs import media_file
    from .sheet import contact_sheet

    info = media_file("FILE", file, need_video=True)
    labelled: List[bool] = []
    path = _save(output, name or f"{_stem(file)}_sheet.png",
                 lambda temp: labelled.append(contact_sheet(info, temp, columns, frames)))
    return path, labelled[0]
