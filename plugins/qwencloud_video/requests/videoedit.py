"""The videoedit request model (wan2.7-videoedit): one clip edited by instruction, with optional images."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Optional, Tuple

from qwencloud_skills.errors import FieldIssue

from .. import mediaitems, rules
from .. import request as f
from ..catalog import VideoModel
from ..models import VIDEOEDIT_MODELS


class VideoEditRequest(f.VideoRequest):
    """An instruction edit: exactly one input video (2-10 s) and up to 4 reference images, sent as input.media."""

    mode_name: ClassVar[str] = "videoedit"
    catalog: ClassVar[Tuple[VideoModel, ...]] = VIDEOEDIT_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "media"})
    dimension: ClassVar[Optional[str]] = "resolution"
    media_fields: ClassVar[Mapping[str, str]] = {"video_url": "video"}
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        "size": ("videoedit takes resolution (720P/1080P), not size", "use resolution '720P'"),
        "shot_type": ("videoedit has no shot_type", "describe the edit in the prompt"),
        "audio": ("videoedit sets sound with audio_setting", "use audio_setting 'origin' to keep the clip's sound"),
    }

    prompt: Optional[str] = f.prompt_field(what="the edit, e.g. 'make it a watercolour painting' (optional)")
    video_url: Optional[str] = f.media_field("The clip to edit (mp4/mov, 2-10 s):")
    reference_images: Optional[List[str]] = f.media_field("Up to 4 reference images, in order; each a", inline=True)
    media: Optional[List[Dict[str, Any]]] = f.media_list_field("video (exactly one), reference_image (up to 4)")
    resolution: Optional[str] = f.resolution_field()
    ratio: Optional[str] = f.ratio_field()
    duration: Optional[int] = f.duration_field("0 keeps the clip's whole length (sent by default); 2-10 cuts it.")
    audio_setting: Optional[str] = f.choice_field(
        "'auto' (the service may redo the sound when the prompt asks) or 'origin' (keep the clip's sound).",
        ("auto", "origin"))

    def folded_fields(self) -> Tuple[str, ...]:
        return super().folded_fields() + ("reference_images",)

    def extra_media_items(self) -> List[Tuple[str, Dict[str, Any]]]:
        return [(f"reference_images[{index}]", {"type": "reference_image", "url": url})
                for index, url in enumerate(self.reference_images or [])]

    def media_protocol(self) -> bool:
        return True

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        issues += mediaitems.shape_problems(self.media)
        videos = [label for label, item in self.media_items() if item["type"] == "video"]
        if len(videos) != 1:
            issues.append(FieldIssue("video_url", videos or None,
                                     "videoedit needs exactly one input video" if not videos
                                     else f"{len(videos)} input videos given", "one video (mp4/mov, 2-10 s)",
                                     "give video_url (or one media item of type video)" if not videos
                                     else "keep one video"))
        if self.audio_setting is not None and spec is not None and spec.audio_settings:
            issues += rules.one_of("audio_setting", self.audio_setting, spec.audio_settings)
        return issues
