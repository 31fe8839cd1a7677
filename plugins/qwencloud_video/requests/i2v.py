"""The i2v request model: the validator for i2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import ClassVar, FrozenSet, List, Mapping, Optional, Tuple

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from ..catalog import VideoModel
from ..models import I2V_MODELS


class I2VRequest(f.VideoRequest):
    """An image-to-video request: one first-frame image plus a prompt."""

    mode_name: ClassVar[str] = "i2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = I2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"prompt", "negative_prompt", "img_url", "reference_image", "audio_url"}
    )
    renames: ClassVar[Mapping[str, str]] = {"reference_image": "img_url"}
    dimension: ClassVar[Optional[str]] = "resolution"
    prompt_required: ClassVar[bool] = True

    prompt: str = f.prompt_field(required=True, what="the motion and the scene")
    img_url: Optional[str] = f.media_field("The image to animate (first frame):", inline=True)
    reference_image: Optional[str] = f.media_field("Same as img_url (an alias; give one of the two):", inline=True)
    audio_url: Optional[str] = f.audio_url_field()
    resolution: Optional[str] = f.resolution_field()
    duration: Optional[int] = f.duration_field("Video length in seconds: 2-15 on wan2.6, 5 or 10 on wan2.5.")
    shot_type: Optional[str] = f.shot_type_field()
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if self.img_url and self.reference_image:
            issues.append(FieldIssue("reference_image", self.reference_image, "img_url is given too",
                                     "one of img_url, reference_image", "keep only img_url"))
        elif not (self.img_url or self.reference_image):
            issues.append(FieldIssue("img_url", None, "i2v needs the image to animate", "URL, oss:// or local path",
                                     "add img_url (or reference_image)"))
        return issues
