"""The video workflows' own local steps: joining continued segments exactly, and assembling a film.

Each is called by the host's runner as ``op(args, ctx)`` with Refs already replaced by files,
writes only new files in ``ctx.folder`` (never overwriting) and returns its outputs, "file" being
the one file it made. Both are deterministic, so a resumed run may simply do them again.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from qwencloud_skills.workflows.spec import StepContext

# How far a continuation's length may be from what was asked (the service rounds to frames and
# audio packets); the clip question is decided by the nearer of the two lengths within it.
LENGTH_SLACK = 0.5
EXACT = 0.1  # the joined result is within this of the length asked
OVERSHOOT = 0.04  # longer than this beyond the length asked: trimmed


def _save_to(ctx: StepContext, stem: str) -> Dict[str, str]:
    """mediaops arguments that write a new file in the workflow's folder under a free name."""
    return {"output": str(ctx.folder) + "/", "name": ctx.new_path(".mp4", stem).name}


def clip_included(seconds: float, asked: float, clip: float) -> bool:
    """Whether a continuation output holds its first_clip: it plays the total asked (clip included), or the
    new footage only (``clip`` seconds less). Anything else is refused rather than guessed."""
    from qwencloud_skills.mediaops.ffmpeg import MediaOpError

    with_clip, without = abs(seconds - asked), abs(seconds - (asked - clip))
    if min(with_clip, without) > LENGTH_SLACK:
        raise MediaOpError(
            f"A continuation plays {seconds:.2f} s: neither the {asked:g} s asked (clip included) nor "
            f"{asked - clip:g} s (new footage only), so the {clip:g} s clip cannot be placed without "
            "duplicating or dropping footage. The segments are kept in the workflow folder.")
    return with_clip <= without


def join_continuations(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    """Join segments where each one after the first continues the one before it.

    args: ``files`` (in order; the first is kept whole), ``overlap`` (seconds of the previous segment
    each continuation was given as its first_clip; 0 when seeded by a frame), ``requested`` (the
    duration each job was asked for, clip included; None for the first), and either ``total`` (the
    exact length of the result) or ``add`` (seconds to add to the first file's length).
    A continuation that plays the total asked holds the clip: its first ``overlap`` seconds are cut;
    one that plays ``overlap`` seconds less is new footage only and is kept whole.
    """
    from qwencloud_skills.mediaops.actions import concat_files, probe_file, trim_file

    files: List[str] = [str(item) for item in args["files"]]
    overlap = float(args.get("overlap") or 0.0)
    requested: Sequence[Optional[float]] = args.get("requested") or [None] * len(files)
    infos = [probe_file(file) for file in files]
    pieces: List[str] = [files[0]]
    cut: List[float] = [0.0]
    for index in range(1, len(files)):
        seconds = infos[index].duration or 0.0
        asked = requested[index]
        drop = overlap if overlap and asked is not None and clip_included(seconds, float(asked), overlap) else 0.0
        cut.append(drop)
        if drop:
            pieces.append(str(trim_file(files[index], start=drop, **_save_to(ctx, f"{ctx.step_id}-part{index + 1}"))))
        else:
            pieces.append(files[index])
    how = "single piece"
    joined = pieces[0]
    if len(pieces) > 1:
        path, how = concat_files(pieces, **_save_to(ctx, f"{ctx.step_id}-joined"))
        joined = str(path)
    target = float(args["total"]) if args.get("total") is not None else (infos[0].duration or 0.0) + float(args["add"])
    final, seconds = _exact(joined, target, ctx)
    return {"file": final, "seconds": seconds, "cut": cut, "how": how}


def _exact(file: str, target: float, ctx: StepContext) -> Any:
    """``file`` cut to ``target`` seconds when it is longer; refused when it is shorter than that."""
    from qwencloud_skills.mediaops.actions import probe_file, trim_file
    from qwencloud_skills.mediaops.ffmpeg import MediaOpError

    seconds = probe_file(file).duration or 0.0
    if seconds > target + OVERSHOOT:
        file = str(trim_file(file, end=target, **_save_to(ctx, f"{ctx.step_id}-exact")))
        seconds = probe_file(file).duration or 0.0
    if abs(seconds - target) > EXACT:
        raise MediaOpError(f"The joined video plays {seconds:.2f} s, not the {target:.2f} s asked: the segments "
                           "came back shorter than requested. They are kept in the workflow folder.")
    return file, seconds


def assemble(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    """Clips in order, each join a cut or a crossfade.

    args: ``files`` (in order), ``joins`` (one per join: "cut" or "fade"), ``crossfade`` (seconds of
    each fade). Clips joined by fades are crossfaded into one piece, then the pieces are joined.
    """
    from qwencloud_skills.mediaops.actions import concat_files

    files: List[str] = [str(item) for item in args["files"]]
    joins: List[str] = list(args.get("joins") or ["cut"] * (len(files) - 1))
    crossfade = float(args.get("crossfade") or 0.0)
    runs: List[List[str]] = [[files[0]]]
    for file, join in zip(files[1:], joins):
        if join == "fade":
            runs[-1].append(file)
        else:
            runs.append([file])
    pieces: List[str] = []
    hows: List[str] = []
    for number, run in enumerate(runs, start=1):
        if len(run) == 1:
            pieces.append(run[0])
            continue
        path, how = concat_files(run, crossfade=crossfade, **_save_to(ctx, f"{ctx.step_id}-faded{number}"))
        pieces.append(str(path))
        hows.append(how)
    if len(pieces) == 1:
        return {"file": pieces[0], "how": ", ".join(hows) or "single clip"}
    path, how = concat_files(pieces, **_save_to(ctx, f"{ctx.step_id}-film"))
    return {"file": str(path), "how": ", ".join(hows + [how])}
