"""transition: a video from one picture to another, of any length one job makes, optionally with sound.

5 s is the keyframe mode's one length (wan2.2-kf2v-flash, silent); other lengths are one wan2.7-i2v
job given both frames as first_frame and last_frame media. With --audio the track is laid under it.
"""

from __future__ import annotations

from typing import Any, List, Optional

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, Step

from . import common

KF2V_SECONDS = 5
TWO_FRAME_MODEL = "wan2.7-i2v"


class TransitionOptions(BaseModel):
    """Options of ``workflow run transition``."""

    model_config = ConfigDict(extra="forbid")

    first_frame: str = Field(..., description="The opening picture: local path (uploaded for you) or URL.")
    last_frame: str = Field(..., description="The closing picture the video ends on: local path or URL.")
    duration: Optional[int] = Field(None, description="Length in seconds: 5 (default) uses kf2v, 2-15 uses "
                                    "wan2.7-i2v with both frames.")
    prompt: Optional[str] = Field(None, description="The motion between the two pictures (optional, recommended).")
    audio: Optional[str] = Field(None, description="A sound file laid under the result (replacing its sound): "
                                 "wav/mp3/m4a, looped or cut to the video's length.")
    resolution: Optional[str] = Field(None, description="Quality tier: 720P (default) or 1080P (kf2v also 480P).")
    model: Optional[str] = Field(None, description="wan2.2-kf2v-flash (5 s only, silent) or wan2.7-i2v (2-15 s, with "
                                 "sound); default: kf2v for 5 s, wan2.7-i2v otherwise.")


def _takes_two_frames(spec: Any) -> bool:
    return spec.media_rule("first_frame") is not None and spec.media_rule("last_frame") is not None


def _job(options: TransitionOptions) -> JobStep:
    seconds = options.duration if options.duration is not None else KF2V_SECONDS
    kf2v_ids = [spec.id for spec in common.catalog("kf2v")]
    use_kf2v = options.model in kf2v_ids if options.model else seconds == KF2V_SECONDS
    if use_kf2v:
        spec = common.model("kf2v", options.model, "--model")
        if seconds != KF2V_SECONDS:
            raise common.bad("--duration", seconds, f"{spec.id} makes {KF2V_SECONDS}-second videos only",
                             str(KF2V_SECONDS), f"use --duration {KF2V_SECONDS}, or drop --model for 2-15 s "
                             f"on {TWO_FRAME_MODEL}")
        request = {"first_frame_url": options.first_frame, "last_frame_url": options.last_frame,
                   "resolution": common.resolution(options.resolution, [spec])}
        title = f"{KF2V_SECONDS} s transition (keyframes)"
        mode = "kf2v"
    else:
        spec = common.model("i2v", options.model, "--model", TWO_FRAME_MODEL, fits=_takes_two_frames,
                            why="takes no first and last frame together")
        allowed = common.durations(spec)
        if seconds not in allowed:
            raise common.bad("--duration", seconds, f"{spec.id} cannot make a {seconds}-second transition",
                             common.seconds_text(spec), f"use --duration {min(max(seconds, allowed[0]), allowed[-1])} "
                             "(for a longer film, join transitions with the storyboard workflow)")
        request = {"first_frame_url": options.first_frame, "last_frame_url": options.last_frame,
                   "duration": seconds, **common.picture_fields(spec, common.resolution(options.resolution, [spec]))}
        title = f"{seconds} s transition (first and last frame)"
        mode = "i2v"
    if options.prompt:
        request = {"prompt": options.prompt, **request}
    return JobStep("transition", mode, request, model=spec.id, title=title)


def plan(options: TransitionOptions) -> Plan:
    """One job from the first to the last picture; with --audio, the track laid under it."""
    common.check_local("--first-frame", options.first_frame)
    common.check_local("--last-frame", options.last_frame)
    job = _job(options)
    steps: List[Step] = [job]
    final = job.id
    notes = [f"One {job.mode} job on {job.model}; the video ends on the last picture."]
    if options.audio:
        common.check_media("--audio", options.audio, audio=True)
        steps.append(LocalStep("sound", "add-audio", {"video": Ref(job.id, suffix=".mp4"), "audio": options.audio},
                               title="lay the audio under the transition"))
        final = "sound"
        notes.append("The audio replaces the video's own sound, looped or cut to its length.")
    elif job.mode == "kf2v":
        notes.append("kf2v videos are silent; pass --audio FILE for sound.")
    return Plan(tuple(steps), final, tuple(notes))
