"""long-video: a video longer than one job makes, as segments that continue each other, joined exactly.

Segment 1 is a text-to-video job; each later segment is an image-to-video job seeded by the one
before it: by its last seconds as ``first_clip`` (wan2.7-i2v, "clip") or by its real last frame
("frame"). The join knows the overlap, so the result plays exactly the length asked.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, Step

from . import common
from .split import largest_sum, smallest_sum, split

MAX_SECONDS = 120
MAX_SEGMENTS = 24
CONTINUATIONS = ("clip", "frame")
DEFAULT_CLIP_SECONDS = 2
# (t2v model, i2v model) by continuation; None: the mode's default model
DEFAULT_MODELS = {"clip": ("wan2.7-t2v", "wan2.7-i2v"), "frame": (None, None)}


class LongVideoOptions(BaseModel):
    """Options of ``workflow run long-video``."""

    model_config = ConfigDict(extra="forbid")

    prompt: Optional[str] = Field(None, description="The whole video: scene, subject and style (kept in every "
                                  "segment). Needed unless --prompts describes every segment.")
    duration: int = Field(..., description=f"Total length in seconds, e.g. 20, 30 or 60 (2-{MAX_SECONDS}); the "
                          "result plays exactly this long.")
    prompts: Optional[List[str]] = Field(None, description="What happens in each segment, in order (repeat the "
                                         "option); their number is the number of segments.")
    model: Optional[str] = Field(None, description="Text-to-video model of segment 1 (default: wan2.7-t2v for clip "
                                 "continuation, the t2v default for frame).")
    continue_model: Optional[str] = Field(None, description="Image-to-video model of the later segments (default: "
                                          "wan2.7-i2v for clip, the i2v default for frame).")
    resolution: Optional[str] = Field(None, description="Quality tier of every segment: 720P (default) or 1080P, "
                                      "as both models offer.")
    continuation: Optional[str] = Field(None, description="How a segment continues the one before: 'clip' (default: "
                                        "its last seconds as first_clip, wan2.7-i2v) or 'frame' (its last frame).",
                                        json_schema_extra={"enum": list(CONTINUATIONS)})
    clip_seconds: Optional[int] = Field(None, description="clip: seconds of the previous segment each continuation "
                                        f"is given (2-10, default {DEFAULT_CLIP_SECONDS}); billed again in each "
                                        "continuation, whose duration counts them.")


def plan(options: LongVideoOptions) -> Plan:
    """The segment jobs, the trims or frames that seed them, and the exact join."""
    total = options.duration
    if not 2 <= total <= MAX_SECONDS:
        raise common.bad("--duration", total, "is out of range", f"2 to {MAX_SECONDS} seconds",
                         f"pass --duration between 2 and {MAX_SECONDS}")
    how = _continuation(options)
    first, later = _models(options, how)
    tier = common.resolution(options.resolution, [first, later])
    clip = _clip_seconds(options, how, first, later)
    prompts = _prompts(options)
    choices = _choices(first, later, clip)
    contents = _contents(total, choices, prompts)
    steps = _steps(contents, prompts, options.prompt, first, later, tier, how, clip)
    final = steps[-1].id
    if len(contents) > 1:
        requested: List[Optional[int]] = [None] + [seconds + clip for seconds in contents[1:]]
        files = [Ref(f"segment-{number}", suffix=".mp4") for number in range(1, len(contents) + 1)]
        steps.append(LocalStep("join", "join-continuations", {"files": files, "overlap": clip, "requested": requested,
                                                              "total": total},
                               title=f"join the segments to exactly {total} s"))
        final = "join"
    elif contents[0] != total:
        steps.append(LocalStep("exact", "trim", {"file": Ref(final, suffix=".mp4"), "end": total},
                               title=f"cut to exactly {total} s"))
        final = "exact"
    return Plan(tuple(steps), final, _notes(total, contents, first, later, how, clip))


def _continuation(options: LongVideoOptions) -> str:
    how = options.continuation or "clip"
    if how not in CONTINUATIONS:
        raise common.bad("--continuation", how, "is not a way to continue", ", ".join(CONTINUATIONS),
                         "use --continuation clip (or frame)")
    if how == "frame" and options.clip_seconds is not None:
        raise common.bad("--clip-seconds", options.clip_seconds, "only applies to --continuation clip",
                         "omit it with --continuation frame", "drop --clip-seconds, or use --continuation clip")
    return how


def _models(options: LongVideoOptions, how: str) -> Any:
    first_default, later_default = DEFAULT_MODELS[how]
    first = common.model("t2v", options.model, "--model", first_default)
    if how == "clip":
        later = common.model("i2v", options.continue_model, "--continue-model", later_default, fits=common.takes_clip,
                             why="cannot continue a clip (no first_clip)",
                             fix="use --continue-model wan2.7-i2v, or --continuation frame for this model")
    else:
        later = common.model("i2v", options.continue_model, "--continue-model", later_default,
                             fits=lambda spec: not spec.media or spec.media_rule("first_frame") is not None,
                             why="takes no first frame")
    return first, later


def _clip_seconds(options: LongVideoOptions, how: str, first: Any, later: Any) -> int:
    if how != "clip":
        return 0
    clip = options.clip_seconds if options.clip_seconds is not None else DEFAULT_CLIP_SECONDS
    rule = later.media_rule("first_clip")
    low, high = rule.seconds if rule is not None and rule.seconds else (2, 10)
    longest = max(common.durations(later))
    high = min(high, longest - 1)
    if not low <= clip <= high:
        raise common.bad("--clip-seconds", clip, f"is not a clip length {later.id} can continue",
                         f"{low:g} to {high:g} seconds", f"use --clip-seconds {DEFAULT_CLIP_SECONDS}")
    if clip > max(common.durations(first)):
        raise common.bad("--clip-seconds", clip, f"is longer than any segment {first.id} makes",
                         common.seconds_text(first), f"use --clip-seconds {DEFAULT_CLIP_SECONDS}")
    return clip


def _prompts(options: LongVideoOptions) -> Optional[List[str]]:
    if options.prompts is not None:
        for index, text in enumerate(options.prompts):
            if not text or not text.strip():
                raise common.bad(f"--prompts[{index + 1}]", text, "is empty", "text describing the segment",
                                 "describe what happens in that segment, or drop the empty --prompts")
        if not options.prompts:
            raise common.bad("--prompts", [], "is empty", "one text per segment", "drop --prompts or give some")
    elif not options.prompt or not options.prompt.strip():
        raise common.bad("--prompt", options.prompt, "is missing", "text describing the video",
                         "add --prompt TEXT (or one --prompts TEXT per segment)")
    return list(options.prompts) if options.prompts else None


def _choices(first: Any, later: Any, clip: int) -> Any:
    """Allowed new seconds of each part when there are ``count`` parts.

    A part that seeds the next must last at least the clip cut from it (a continuation may come back
    without its clip, so its new footage alone must be long enough); a continuation's job is longer
    than its clip (its duration counts the clip).
    """
    one = common.durations(first)
    more = common.durations(later)

    def choices(count: int) -> Sequence[Sequence[int]]:
        if count == 1:
            return [one]
        opening = [seconds for seconds in one if seconds >= clip]
        middle = [seconds - clip for seconds in more if seconds - clip >= max(clip, 1)]
        last = [seconds - clip for seconds in more if seconds - clip >= 1]
        return [opening] + [middle] * (count - 2) + [last]

    return choices


def _contents(total: int, choices: Any, prompts: Optional[List[str]]) -> List[int]:
    fewest = split(total, choices, MAX_SEGMENTS)
    if fewest is None:
        raise common.bad("--duration", total, f"needs more than {MAX_SEGMENTS} segments with these models",
                         f"at most {largest_sum(choices, MAX_SEGMENTS)} seconds", "pass a shorter --duration, or "
                         "a smaller --clip-seconds")
    if prompts is None:
        return fewest
    count = len(prompts)
    if count < len(fewest):
        raise common.bad("--prompts", prompts, f"{count} prompt(s) make {count} segment(s), at most "
                         f"{largest_sum(choices, count)} s", f"at least {len(fewest)} prompts for {total} s",
                         f"give {len(fewest)} or more --prompts, or a shorter --duration")
    if count > MAX_SEGMENTS or smallest_sum(choices, count) > total:
        raise common.bad("--prompts", prompts, f"{count} segments are too many for {total} s",
                         f"{len(fewest)} to {_most_parts(total, choices)} prompts for {total} s",
                         "give fewer --prompts, or a longer --duration")
    found = split(total, choices, MAX_SEGMENTS, parts=count)
    assert found is not None  # between the fewest and the most parts, some split reaches the total
    return found


def _most_parts(total: int, choices: Any) -> int:
    count = 1
    while count < MAX_SEGMENTS and smallest_sum(choices, count + 1) <= total:
        count += 1
    return count


def _steps(contents: List[int], prompts: Optional[List[str]], prompt: Optional[str], first: Any, later: Any,
           tier: str, how: str, clip: int) -> List[Step]:
    steps: List[Step] = []
    count = len(contents)
    for number, seconds in enumerate(contents, start=1):
        text = common.joined_prompt(prompt, prompts[number - 1] if prompts else None)
        step_id = f"segment-{number}"
        if number == 1:
            request: Dict[str, Any] = {"prompt": text, "duration": seconds, **common.picture_fields(first, tier)}
            steps.append(JobStep(step_id, "t2v", request, model=first.id,
                                 title=f"segment 1 of {count}: {seconds} s text to video"))
        else:
            job = seconds + clip
            request = {"duration": job, **common.picture_fields(later, tier)}
            if text:
                request = {"prompt": text, **request}
            if how == "clip":
                request["first_clip_url"] = Ref(f"tail-{number - 1}", suffix=".mp4")
                title = f"segment {number} of {count}: {job} s continuing the last {clip} s ({seconds} s new)"
            else:
                request[common.frame_field(later)] = Ref(f"frame-{number - 1}", suffix=".png")
                title = f"segment {number} of {count}: {job} s from the last frame"
            steps.append(JobStep(step_id, "i2v", request, model=later.id, title=title))
        if number < count and how == "clip":
            steps.append(LocalStep(f"tail-{number}", "trim", {"file": Ref(step_id, suffix=".mp4"), "last": clip},
                                   title=f"the last {clip} s of segment {number}"))
        elif number < count:
            steps.append(LocalStep(f"frame-{number}", "frame", {"file": Ref(step_id, suffix=".mp4"), "which": "last"},
                                   title=f"the last frame of segment {number}"))
    return steps


def _notes(total: int, contents: List[int], first: Any, later: Any, how: str, clip: int) -> tuple:
    count = len(contents)
    made = sum(contents)
    if count == 1:
        notes = [f"{total} s fits one job: {contents[0]} s text to video on {first.id}."]
    else:
        more = "1 continuation" if count == 2 else f"{count - 1} continuations"
        notes = [f"{total} s as {count} segments: {contents[0]} s text to video on {first.id}, then {more} on "
                 f"{later.id} adding {', '.join(str(s) for s in contents[1:])} s of new footage."]
    if count > 1 and how == "clip":
        notes.append(f"Each continuation is given the last {clip} s of the segment before it as first_clip; its "
                     f"duration is the total, clip included (billed), e.g. {contents[1] + clip} s for {contents[1]} s "
                     f"of new footage. The join keeps each clip once: a continuation that comes back with it has "
                     f"its first {clip} s cut, one without it is kept whole.")
    elif count > 1:
        notes.append("Each continuation starts from the real last frame of the segment before it.")
    if made > total:
        notes.append(f"The segments make {made} s; the result is cut to exactly {total} s.")
    silent = not first.has_audio or (count > 1 and not later.has_audio)
    if not silent and count > 1:
        notes.append("Sound is kept through the joins.")
    elif silent:
        notes.append(f"{first.id if not first.has_audio else later.id} makes silent video: parts of the result "
                     "have no sound (add some with the soundtrack workflow).")
    return tuple(notes)
