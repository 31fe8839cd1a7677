"""`media ...`: local media operations offered by every skill's CLI and by qwencloud-skills.

Each command prints the saved file's path as the last line of stdout. Outputs go to the current
directory (or --output: a folder, or a file path); a taken name gets _1, _2, ... (never overwritten).
"""

from __future__ import annotations

import json
from typing import Optional, Tuple

import click

OUTPUT_HELP = ("Folder or file path for the result (default: the current directory, named after the input); "
               "an existing name gets _1, _2, ... and is never overwritten.")
EXIT_HELP = ("Exit codes: 0 done (the path of the written file is the last line of stdout), 1 ffmpeg failed, "
             "3 invalid input, 4 no ffmpeg.")


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
    from .actions import probe_file

    info = probe_file(file)
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
    from .actions import concat_files

    path, how = concat_files(files, crossfade, output)
    click.echo(str(path))
    click.echo(f"joined {len(files)} clips by {how}", err=True)


@media.command("trim", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--start", type=float, default=None, help="Start time in seconds (default 0).")
@click.option("--end", type=float, default=None, help="End time in seconds (default: the end).")
@click.option("--last", type=float, default=None, help="Keep only the last S seconds (not with --start/--end).")
@click.option("--output", default=None, help=OUTPUT_HELP)
def trim_cmd(file: str, start: Optional[float], end: Optional[float], last: Optional[float],
             output: Optional[str]) -> None:
    """Cut FILE to --start..--end, or to its --last S seconds (re-encoded: exact to the frame)."""
    from .actions import trim_file

    click.echo(str(trim_file(file, start, end, last, output)))


@media.command("frame", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--first", "which", flag_value="first", help="The first frame.")
@click.option("--last", "which", flag_value="last", help="The real last frame (the final decoded one).")
@click.option("--at", type=float, default=None, help="The frame shown at S seconds.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def frame_cmd(file: str, which: Optional[str], at: Optional[float], output: Optional[str]) -> None:
    """Write one frame of FILE as a PNG: --first, --last or --at S."""
    from .actions import frame_file

    click.echo(str(frame_file(file, which, at, output)))


@media.command("add-audio", epilog=EXIT_HELP)
@click.argument("video")
@click.argument("audio")
@click.option("--mix", is_flag=True, help="Mix with the clip's own sound (default: replace it).")
@click.option("--volume", type=float, default=1.0, show_default=True, help="Gain of the added sound (0-10).")
@click.option("--fade", type=float, default=0.0, show_default=True, help="Seconds of fade-in and fade-out.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def add_audio_cmd(video: str, audio: str, mix: bool, volume: float, fade: float, output: Optional[str]) -> None:
    """Put AUDIO under VIDEO: looped when shorter, cut when longer; the pictures are copied unchanged."""
    from .actions import add_audio_file

    click.echo(str(add_audio_file(video, audio, mix, volume, fade, output)))


@media.command("mix", epilog=EXIT_HELP)
@click.argument("tracks", nargs=-1, required=True)
@click.option("--output", default=None, help=OUTPUT_HELP + " Suffix .m4a (default), .wav, .mp3 or .aac.")
def mix_cmd(tracks: Tuple[str, ...], output: Optional[str]) -> None:
    """Mix audio TRACKS into one, as long as the longest."""
    from .actions import mix_files

    click.echo(str(mix_files(tracks, output)))


@media.command("contact-sheet", epilog=EXIT_HELP)
@click.argument("file")
@click.option("--columns", type=click.IntRange(1, 20), default=4, show_default=True)
@click.option("--frames", type=click.IntRange(1, 200), default=12, show_default=True,
              help="Frames, evenly spaced over the clip.")
@click.option("--output", default=None, help=OUTPUT_HELP)
def contact_sheet_cmd(file: str, columns: int, frames: int, output: Optional[str]) -> None:
    """One PNG grid of frames with their times drawn: look at it to check a clip without playing it."""
    from .actions import contact_sheet_file

    path, labelled = contact_sheet_file(file, columns, frames, output)
    click.echo(str(path))
    if not labelled:
        click.echo("note: this ffmpeg has no drawtext filter; the sheet has no times drawn", err=True)
