"""The kf2v request model: the validator for kf2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import Any, ClassVar, FrozenSet, List, Mapping, Optional, Tuple

from pydantic import Field

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from ..catalog import VideoModel
from ..models import KF2V_MODELS

KF2V_SECONDS = 5

class KF2VRequest(f.VideoRequest):
    """A first+last frame request. The service makes exactly 5 seconds, so duration 5 is always sent."""

    mode_name: ClassVar[str] = "kf2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = KF2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"prompt", "negative_prompt", "first_frame_url", "last_frame_url", "template"}
    )
    fixed_parameters: ClassVar[Mapping[str, Any]] = {"duration": KF2V_SECONDS}
    fixed_duration: ClassVar[Optional[int]] = KF2V_SECONDS
    dimension: ClassVar[Optional[str]] = "resolution"
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = f.silent_mode_refusals("kf2v")

    prompt: Optional[str] = f.prompt_field(what="the transition (optional, recommended)")
    first_frame_url: str = f.media_field("The opening frame:", required=True, inline=True)
    last_frame_url: Optional[str] = f.media_field("The closing frame (not needed with template):", inline=True)
    template: Optional[str] = Field(
        None, description="Name of a service-side effect template; with one, last_frame_url may be left out."
    )
    resolution: Optional[str] = f.resolution_field()
    duration: Optional[int] = f.duration_field("Always 5: kf2v makes 5-second videos only (sent for you).")

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if not self.last_frame_url and not self.template:
            issues.append(FieldIssue("last_frame_url", None, "kf2v needs the closing frame",
                                     "URL, oss:// or local path", "add last_frame_url (or use a template)"))
        return issues
