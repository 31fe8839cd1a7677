"""extend: continue a video by some seconds, with wan2.7-i2v clip continuation, without duplicating footage.

What the service returns: a wan2.7-i2v job given ``first_clip`` (2-10 s) makes ``duration`` seconds
IN ALL, the clip included: the output replays the clip and then continues it, and all of
``duration`` is billed (a 2 s clip with duration 7 adds 5 s and bills 7 s). The input itself is not
returned. So the result is the input followed by each continuation's new footage only: the join
probes every output and cuts its first clip-length seconds when it plays the whole duration (it
holds the clip), or keeps it whole when it plays the clip-length less (new footage only).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, Step

from . import common
from .split import largest_sum, split

DEFAULT_CLIP_SECONDS = 2
MAX_SECONDS = 120
MAX_CONTINUATIONS = 24


class ExtendOptions(BaseModel):
    """Options of ``workflow run extend``."""

    model_config = ConfigDict(extra="forbid")

    video: str = Field(..., description="The video to continue (a local mp4/mov file).")
    seconds: int = Field(..., description=f"How many seconds of new footage to add (1-{MAX_SECONDS}); the result "
                         "plays the input's length plus this.")
    prompt: Optional[str] = Field(None, description="What happens next (optional).")
    clip_seconds: Optional[int] = Field(None, description="Seconds from the end each continuation is given "
                                        f"(2-10, default {DEFAULT_CLIP_SECONDS}, at most the input's length); "
                                        "billed again in each continuation, whose duration counts them.")
    resolution: Optional[str] = Field(None, description="Quality tier of the new footage: 720P (default) or 1080P.")
    model: Optional[str] = Field(None, description="A model that continues a clip (first_clip): wan2.7-i2v.")


def plan(options: ExtendOptions) -> Plan:
    """Trim the input's last seconds, continue them (chained when one job is not enough), join exactly."""
    spec = common.model("i2v", options.model, "--model", "wan2.7-i2v", fits=common.takes_clip,
                        why="cannot continue a clip (no first_clip)")
    tier = common.resolution(options.resolution, [spec])
    if not 1 <= options.seconds <= MAX_SECONDS:
        raise common.bad("--seconds", options.seconds, "is out of range", f"1 to {MAX_SECONDS} seconds",
                         f"pass --seconds between 1 and {MAX_SECONDS}")
    info = common.check_media("--video", options.video, video=True)
    clip = _clip_seconds(options, spec, info)
    choices = _choices(spec, clip)
    contents = split(options.seconds, choices, MAX_CONTINUATIONS)
    if contents is None:
        raise common.bad("--seconds", options.seconds, f"needs more than {MAX_CONTINUATIONS} continuations",
                         f"at most {largest_sum(choices, MAX_CONTINUATIONS)} seconds",
                         "pass fewer --seconds, or a smaller --clip-seconds")
    steps: List[Step] = []
    previous = options.video
    count = len(contents)
    for number, seconds in enumerate(contents, start=1):
        steps.append(LocalStep(f"tail-{number}", "trim", {"file": previous, "last": clip},
                               title=f"the last {clip} s of {'the input' if number == 1 else f'part {number - 1}'}"))
        request = {"first_clip_url": Ref(f"tail-{number}", suffix=".mp4"), "duration": seconds + clip,
                   **common.picture_fields(spec, tier)}
        if options.prompt:
            request = {"prompt": options.prompt, **request}
        steps.append(JobStep(f"extend-{number}", "i2v", request, model=spec.id,
                             title=f"continuation {number} of {count}: {seconds + clip} s, {seconds} s new"))
        previous = Ref(f"extend-{number}", suffix=".mp4")
    files = [options.video] + [Ref(f"extend-{number}", suffix=".mp4") for number in range(1, count + 1)]
    requested: List[Optional[int]] = [None] + [seconds + clip for seconds in contents]
    steps.append(LocalStep("join", "join-continuations", {"files": files, "overlap": clip, "requested": requested,
                                                          "add": options.seconds},
                           title=f"the input plus {options.seconds} s of new footage"))
    return Plan(tuple(steps), "join", _notes(options.seconds, contents, clip, info.duration or 0.0, spec.id))


def _clip_seconds(options: ExtendOptions, spec: Any, info: Any) -> int:
    from ..media import MEDIA_VIDEO

    length = info.duration or 0.0
    problem = MEDIA_VIDEO.problem(info.width or 0, info.height or 0)
    if problem:
        raise common.bad("--video", options.video, f"{problem}: {spec.id} cannot continue it",
                         MEDIA_VIDEO.describe(), "scale the video first (e.g. to 1280x720)")
    rule = spec.media_rule("first_clip")
    low, high = rule.seconds if rule is not None and rule.seconds else (2, 10)
    high = min(high, max(common.durations(spec)) - 1)
    clip = options.clip_seconds if options.clip_seconds is not None else DEFAULT_CLIP_SECONDS
    if length < low:
        raise common.bad("--video", options.video, f"plays {length:.2f} s, shorter than the {low:g} s clip "
                         f"{spec.id} needs", f"a video of at least {low:g} s", "pass a longer video")
    if not low <= clip <= min(high, length):
        top = min(high, int(length))
        raise common.bad("--clip-seconds", clip, "is not a clip length that can be continued",
                         f"{low:g} to {top:g} seconds (the input plays {length:.2f} s)",
                         f"use --clip-seconds {min(DEFAULT_CLIP_SECONDS, top):g}")
    return clip


def _choices(spec: Any, clip: int) -> Any:
    """New seconds of each continuation: the job's duration less the clip; one that seeds the next must
    leave at least a clip's worth of new footage (it may come back without its clip)."""
    lengths = common.durations(spec)

    def choices(count: int) -> Sequence[Sequence[int]]:
        middle = [seconds - clip for seconds in lengths if seconds - clip >= max(clip, 1)]
        last = [seconds - clip for seconds in lengths if seconds - clip >= 1]
        return [middle] * (count - 1) + [last]

    return choices


def _notes(seconds: int, contents: List[int], clip: int, length: float, model: str) -> tuple:
    jobs = ", ".join(f"{part + clip} s" for part in contents)
    several = "1 continuation" if len(contents) == 1 else f"{len(contents)} continuations"
    notes = [
        f"{several} on {model} ({jobs}), each given the last {clip} s before it as "
        "first_clip. Its duration is the total, clip included, and is billed in full.",
        "The output replays the clip before the new footage; the join keeps each clip once (cut from an output "
        "that holds it, kept whole when an output is new footage only), so nothing is duplicated or dropped.",
        f"Result: the input ({length:.2f} s) followed by {seconds} s of new footage, {length + seconds:.2f} s in all.",
    ]
    if sum(contents) > seconds:
        notes.append(f"The continuations make {sum(contents)} s of new footage; the result is cut to exactly "
                     f"{length + seconds:.2f} s.")
    return tuple(notes)
