"""The i2v request model: the validator for i2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Optional, Tuple

from qwencloud_skills.errors import FieldIssue

from .. import mediaitems
from .. import request as f
from ..catalog import VideoModel
from ..models import I2V_MODELS

# Fields only models of the media protocol (wan2.7-i2v, wan3.0) take, and the model picked for them.
MEDIA_ONLY = ("media", "first_frame_url", "last_frame_url", "driving_audio_url", "first_clip_url")
PICKED_FOR = ("media", "first_clip_url", "driving_audio_url")
PICK = "wan2.7-i2v"


class I2VRequest(f.VideoRequest):
    """An image-to-video request: img_url on wan2.5/2.6; first frame, last frame, clip or audio on wan2.7."""

    mode_name: ClassVar[str] = "i2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = I2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"prompt", "negative_prompt", "img_url", "reference_image", "audio_url", "media"}
    )
    renames: ClassVar[Mapping[str, str]] = {"reference_image": "img_url"}
    dimension: ClassVar[Optional[str]] = "resolution"
    prompt_required: ClassVar[bool] = True
    media_fields: ClassVar[Mapping[str, str]] = {
        "img_url": "first_frame", "reference_image": "first_frame", "first_frame_url": "first_frame",
        "first_clip_url": "first_clip", "last_frame_url": "last_frame", "driving_audio_url": "driving_audio",
    }

    prompt: Optional[str] = f.prompt_field(what="the motion and the scene (optional on wan2.7/wan3.0)")
    img_url: Optional[str] = f.media_field("The image to animate (first frame):", inline=True)
    reference_image: Optional[str] = f.media_field("Same as img_url (an alias; give one of the two):", inline=True)
    first_frame_url: Optional[str] = f.media_field("wan2.7/wan3.0: the first frame:", inline=True)
    last_frame_url: Optional[str] = f.media_field("wan2.7/wan3.0: the last frame:", inline=True)
    first_clip_url: Optional[str] = f.media_field("wan2.7: a 2-10 s mp4/mov clip to continue (duration counts it):")
    driving_audio_url: Optional[str] = f.media_field("wan2.7: wav/mp3 (2-30 s) the video follows:")
    media: Optional[List[Dict[str, Any]]] = f.media_list_field(
        "first_frame, last_frame, driving_audio, first_clip")
    audio_url: Optional[str] = f.audio_url_field()
    resolution: Optional[str] = f.resolution_field()
    ratio: Optional[str] = f.ratio_field()
    duration: Optional[int] = f.duration_field(
        "Video length in seconds: 2-15 on wan2.6/2.7 (with a clip: the total), 5 or 10 on wan2.5, 2-30 on wan3.0.")
    shot_type: Optional[str] = f.shot_type_field()
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        issues += mediaitems.shape_problems(self.media)
        if self.img_url and self.reference_image:
            issues.append(FieldIssue("reference_image", self.reference_image, "img_url is given too",
                                     "one of img_url, reference_image", "keep only img_url"))
        if not self.media_protocol():
            issues += self._legacy_problems(spec, model_id)
        elif spec is not None:
            issues += self._clip_problems(spec)
        return issues

    def _legacy_problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        given = [name for name in MEDIA_ONLY if getattr(self, name) is not None]
        if given and spec is not None:
            return [FieldIssue(given[0], getattr(self, given[0]), f"{model_id} takes img_url, not {given[0]}",
                               "img_url (or reference_image)",
                               f"use --model {PICK} (or leave --model out), or send img_url")]
        if not (self.img_url or self.reference_image or given):
            return [FieldIssue("img_url", None, "i2v needs the image to animate", "URL, oss:// or local path",
                               "add img_url (or reference_image)")]
        return []

    def _clip_problems(self, spec: VideoModel) -> List[FieldIssue]:
        """With a clip, duration is the whole video: it must be longer than a local clip plays."""
        if not spec.duration_includes_clip or not self.first_clip_url:
            return []
        seconds = mediaitems.local_seconds(self.first_clip_url)
        total = self.duration if self.duration is not None else self.default_duration(spec)
        if seconds is None or total > seconds:
            return []
        longer = min((d for d in spec.durations if d > seconds), default=None)
        fix = f"set duration to {longer} or more" if longer else "use a shorter clip"
        return [FieldIssue("duration", total, f"the clip already plays {seconds:.1f} s and duration is the total "
                           "length, clip included", f"more than {seconds:.1f} s", fix)]

    def billing_note(self, model_id: str) -> str:
        used = [name for name in PICKED_FOR if getattr(self, name) is not None]
        return f"{model_id} picked for {used[0]}" if used and model_id == PICK else ""

