"""The t2v request model: the validator for t2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import ClassVar, FrozenSet, List, Optional, Tuple

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from ..catalog import VideoModel
from ..models import T2V_MODELS


class T2VRequest(f.VideoRequest):
    """A text-to-video request: size on wan2.2-2.6, resolution + ratio on wan2.7 and wan3.0."""

    mode_name: ClassVar[str] = "t2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = T2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "audio_url"})
    dimension: ClassVar[Optional[str]] = "size"
    prompt_required: ClassVar[bool] = True

    prompt: str = f.prompt_field(required=True)
    audio_url: Optional[str] = f.audio_url_field()
    size: Optional[str] = f.size_field()
    resolution: Optional[str] = f.resolution_field()
    ratio: Optional[str] = f.ratio_field()
    duration: Optional[int] = f.duration_field(
        "Video length in seconds: 2-15 on wan2.6/2.7, 5 or 10 on wan2.5, 5 on wan2.2, 2-30 or -1 on wan3.0."
    )
    shot_type: Optional[str] = f.shot_type_field()
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if self.audio is not None and spec is not None and not spec.can_force_silent and spec.has_audio:
            # Replace the generic message: in t2v only wan3.0 has the switch.
            issues = [issue for issue in issues if issue.field != "audio"]
            issues.append(FieldIssue("audio", self.audio, f"t2v has no switch to silence {model_id}: it always "
                                     "adds sound", "omit it", "drop audio; for a silent video use --model "
                                     "wan2.2-t2v-plus"))
        return issues

    def billing_note(self, model_id: str) -> str:
        return f"{model_id} picked for ratio" if self.ratio is not None and model_id == "wan2.7-t2v" else ""

