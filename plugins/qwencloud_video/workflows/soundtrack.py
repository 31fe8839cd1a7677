"""soundtrack: a sound file under a video, locally (nothing is sent, nothing is billed)."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import LocalStep, Plan

from . import common


class SoundtrackOptions(BaseModel):
    """Options of ``workflow run soundtrack``."""

    model_config = ConfigDict(extra="forbid")

    video: str = Field(..., description="The video (a local file).")
    audio: str = Field(..., description="The sound to lay under it (wav/mp3/m4a or a video with sound), looped or "
                       "cut to the video's length.")
    mix: Optional[bool] = Field(None, description="Mix with the video's own sound instead of replacing it.")
    volume: Optional[float] = Field(None, description="Level of the added sound, 0-10 (1 keeps it, the default).")
    fade: Optional[float] = Field(None, description="Seconds of fade-in and fade-out of the added sound (default 0).")


def plan(options: SoundtrackOptions) -> Plan:
    """One add-audio step on the user's files, checked now."""
    video = common.check_media("--video", options.video, video=True)
    common.check_media("--audio", options.audio, audio=True)
    common.check_sound_options(options.volume, options.fade, video.duration)
    args = {"video": options.video, "audio": options.audio,
            **common.sound_args(options.mix, options.volume, options.fade)}
    how = "mixed with" if options.mix else "replacing"
    step = LocalStep("sound", "add-audio", args, title=f"the audio {how} the video's sound")
    return Plan((step,), "sound", (f"Local only: the audio is {how} the video's own sound; nothing is sent.",))
