"""`media ...`: local media operations offered by every skill's CLI and by qwencloud-skills.

Each command prints the saved file's path as the last line of stdout. Outputs go to the current
directory (or --output: a folder, or a file path); a taken name gets _1, _2, ... (never overwritten).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional, Tuple

import click

OUTPUT_HELP = ("Folder or file path for the result (default: the current directory, named after the input); "
               "an existing name gets _1, _2, ... and is never overwritten.")
EXIT_HELP = ("Exit codes: 0 done (the path of the written file is the last line of stdout), 1 ffmpeg failed, "
             "3 invalid input, 4 no ffmpeg.")


def _stem(path: str) -> str:
    return Path(path).stem or "media"


def _save(output: Optional[str], default_name: str, write) -> Path:
    from .outputs import placed

    result: List[Path] = []
    with placed(output, default_name, result) as temp:
        write(temp)
    click.echo(str(result[0]))
    return result[0]


@click.group("media", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
             epilog=EXIT_HELP)
def media() -> None:
    """Local media operations with ffmpeg (system, else bundled): probe, join, trim, frames, sound, sheets.

    Nothing is sent anywhere and nothing is billed.
    """


@media.command("probe")
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def probe_cmd(file: str, fmt: str) -> None:
    """Duration, frame size, frame rate, codecs and whether FILE has sound."""
    from .inputs import media_file

    info = media_file("FILE", file)
    data = info.as_dict()
    data["has_video"] = info.has_video
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key}: {'-' if value is None else value}")


@media.command("concat", epilog=EXIT_HELP)
@click.argument("files", nargs=-1, required=True)
@click.option("--crossfade", type=float, default=None, help="Seconds of cross-fade between clips (re-encodes).")
@click.option("--output", default=None, help=OUTPUT_HELP)
def concat_cmd(files: Tuple[str, ...], crossfade: Optional[float], output: Optional[str]) -> None:
    """Join clips in order: stream copy when they all match (codec, size, rate, sound), else re-encode (H.264/AAC).

    Clips without sound get silence when others have it, so the result keeps its sound.
    """
    from .inputs import bad, media_file, seconds
    from .join import concat

    if len(files) < 2:
        raise bad("FILES", list(files), "needs at least two clips", "two or more clip paths", "e.g. media concat "
                  "a.mp4 b.mp4")
    infos = [media_file(f"FILES[{i + 1}]", name, need_video=True) for i, name in enumerate(files)]
    if crossfade is not None:
        seconds("--crossfade", crossfade, allow_zero=False)
        shortest = min(info.duration or 0.0 for info in infos)
        if crossfade >= shortest:
            raise bad("--crossfade", crossfade, f"is not shorter than the shortest clip ({shortest:.2f} s)",
                      f"more than 0 and less than {shortest:.2f} seconds", "pass a shorter --crossfade")
    how: List[str] = []
    _save(output, f"{_stem(files[0])}_joined.mp4", lambda temp: how.append(concat(infos, temp, crossfade)[0]))
    click.echo(f"joined {len(infos)} clips by {how[0]}", err=True)


@media.command("trim", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--start", type=float, default=None, help="Start time in seconds (default 0).")
@click.option("--end", type=float, default=None, help="End time in seconds (default: the end).")
@click.option("--last", type=float, default=None, help="Keep only the last S seconds (not with --start/--end).")
@click.option("--output", default=None, help=OUTPUT_HELP)
def trim_cmd(file: str, start: Optional[float], end: Optional[float], last: Optional[float],
             output: Optional[str]) -> None:
    """Cut FILE to --start..--end, or to its --last S seconds (re-encoded: exact to the frame)."""
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
    _save(output, f"{_stem(file)}_trim.mp4", lambda temp: trim(info, begin, finish, temp))


@media.command("frame", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--first", "which", flag_value="first", help="The first frame.")
@click.option("--last", "which", flag_value="last", help="The real last frame (the final decoded one).")
@click.option("--at", type=float, default=None, help="The frame shown at S seconds.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def frame_cmd(file: str, which: Optional[str], at: Optional[float], output: Optional[str]) -> None:
    """Write one frame of FILE as a PNG: --first, --last or --at S."""
    from .cut import frame_at, last_frame
    from .inputs import bad, media_file, seconds

    if (which is None) == (at is None):
        raise bad("--first/--last/--at", which or at, "choose exactly one", "--first, --last or --at S",
                  "e.g. media frame clip.mp4 --last")
    info = media_file("FILE", file, need_video=True)
    if at is not None:
        seconds("--at", at, info.duration)
        name = f"{_stem(file)}_at{at:g}s.png"
        shown = min(at, max(0.0, (info.duration or 0.0) - 1.0 / (info.fps or 30.0)))  # --at END: the final frame
        _save(output, name, lambda temp: frame_at(info, shown, temp))
    elif which == "first":
        _save(output, f"{_stem(file)}_first.png", lambda temp: frame_at(info, 0.0, temp))
    else:
        _save(output, f"{_stem(file)}_last.png", lambda temp: last_frame(info, temp))


@media.command("add-audio", epilog=EXIT_HELP)
@click.argument("video")
@click.argument("audio")
@click.option("--mix", is_flag=True, help="Mix with the clip's own sound (default: replace it).")
@click.option("--volume", type=float, default=1.0, show_default=True, help="Gain of the added sound (0-10).")
@click.option("--fade", type=float, default=0.0, show_default=True, help="Seconds of fade-in and fade-out.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def add_audio_cmd(video: str, audio: str, mix: bool, volume: float, fade: float, output: Optional[str]) -> None:
    """Put AUDIO under VIDEO: looped when shorter, cut when longer; the pictures are copied unchanged."""
    from .inputs import bad, media_file, seconds
    from .sound import add_audio

    if not 0 <= volume <= 10:
        raise bad("--volume", volume, "is out of range", "0 to 10 (1 keeps the level)", "e.g. --volume 0.5")
    picture = media_file("VIDEO", video, need_video=True)
    sound = media_file("AUDIO", audio, need_audio=True)
    half = (picture.duration or 0.0) / 2
    seconds("--fade", fade, half, fix=f"pass a --fade of at most half the clip ({half:.2f} s)")
    _save(output, f"{_stem(video)}_sound.mp4", lambda temp: add_audio(picture, sound, temp, mix, volume, fade))


@media.command("mix", epilog=EXIT_HELP)
@click.argument("tracks", nargs=-1, required=True)
@click.option("--output", default=None, help=OUTPUT_HELP + " Suffix .m4a (default), .wav, .mp3 or .aac.")
def mix_cmd(tracks: Tuple[str, ...], output: Optional[str]) -> None:
    """Mix audio TRACKS into one, as long as the longest."""
    from .inputs import bad, media_file
    from .sound import AUDIO_CODECS, mix

    if len(tracks) < 2:
        raise bad("TRACKS", list(tracks), "needs at least two tracks", "two or more audio files",
                  "e.g. media mix voice.wav music.mp3")
    suffix = Path(output).suffix.lower() if output and not output.endswith("/") and not Path(output).is_dir() else ""
    if suffix and suffix not in AUDIO_CODECS:
        raise bad("--output", output, f"has the suffix {suffix}", ", ".join(sorted(AUDIO_CODECS)),
                  "e.g. --output mix.m4a")
    infos = [media_file(f"TRACKS[{i + 1}]", name, need_audio=True) for i, name in enumerate(tracks)]
    _save(output, f"{_stem(tracks[0])}_mix.m4a", lambda temp: mix(infos, temp))


@media.command("contact-sheet", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--columns", type=click.IntRange(1, 20), default=4, show_default=True)
@click.option("--frames", type=click.IntRange(1, 200), default=12, show_default=True,
              help="Frames, evenly spaced over the clip.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def contact_sheet_cmd(file: str, columns: int, frames: int, output: Optional[str]) -> None:
    """One PNG grid of frames with their times drawn: look at it to check a clip without playing it."""
    from .inputs import media_file
    from .sheet import contact_sheet

    info = media_file("FILE", file, need_video=True)
    labelled: List[bool] = []
    _save(output, f"{_stem(file)}_sheet.png", lambda temp: labelled.append(contact_sheet(info, temp, columns, frames)))
    if not labelled[0]:
        click.echo("note: this ffmpeg has no drawtext filter; the sheet has no times drawn", err=True)
