"""The r2v request model: the validator for r2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Optional, Tuple

from pydantic import Field

from qwencloud_skills.errors import FieldIssue

from .. import mediaitems, rules
from .. import request as f
from ..catalog import VideoModel
from ..models import R2V_MODELS

MAX_REFERENCES = 5
MAX_VIDEO_REFERENCES = 3
PICK = "wan2.7-r2v"


class R2VRequest(f.VideoRequest):
    """A role-play request: references named character1, ... (wan2.6) or Image 1 / Video 1 (wan2.7, wan3.0)."""

    mode_name: ClassVar[str] = "r2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = R2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "reference_urls", "media"})
    dimension: ClassVar[Optional[str]] = "size"
    prompt_required: ClassVar[bool] = True
    # wan2.6-r2v documents no prompt_extend (rewriting is on anyway): multi-shot only fails when it is false.
    multi_shot_sends_extend: ClassVar[bool] = False
    media_fields: ClassVar[Mapping[str, str]] = {"first_frame_url": "first_frame"}

    # Required on every model but wan3.0 (checked with the model's rules, so the error can say which).
    prompt: Optional[str] = f.prompt_field(
        what="the script, naming the references character1, ... (wan2.6) or Image 1, Video 1 (wan2.7, wan3.0)")
    reference_urls: Optional[List[str]] = f.media_field(
        "1-5 references (images or clips, at most 3 clips on wan2.6), in order; each a"
    )
    reference_voices: Optional[List[Optional[str]]] = Field(
        None, description="wan2.7: a wav/mp3 voice (1-10 s) per reference, in the same order (null for none).")
    reference_audio_urls: Optional[List[str]] = f.media_field("wan3.0: up to 5 wav/mp3 audio references; each a")
    first_frame_url: Optional[str] = f.media_field("wan2.7: the opening frame (then no ratio):", inline=True)
    media: Optional[List[Dict[str, Any]]] = f.media_list_field(
        "reference_image, reference_video, first_frame; wan3.0 also reference_audio, file, link")
    size: Optional[str] = f.size_field()
    resolution: Optional[str] = f.resolution_field()
    ratio: Optional[str] = f.ratio_field()
    duration: Optional[int] = f.duration_field("Video length in seconds: 2-10 (wan2.7 without clips: 2-15).")
    shot_type: Optional[str] = f.shot_type_field("'multi' (recommended) for several shots, or 'single'.")
    audio: Optional[bool] = f.audio_field()

    def folded_fields(self) -> Tuple[str, ...]:
        return super().folded_fields() + ("reference_urls", "reference_voices", "reference_audio_urls")

    def extra_media_items(self) -> List[Tuple[str, Dict[str, Any]]]:
        items: List[Tuple[str, Dict[str, Any]]] = []
        voices = self.reference_voices or []
        for index, url in enumerate(self.reference_urls or []):
            item: Dict[str, Any] = {"type": "reference_video" if rules.is_video(url) else "reference_image",
                                    "url": url}
            if index < len(voices) and voices[index]:
                item["reference_voice"] = voices[index]
            items.append((f"reference_urls[{index}]", item))
        for index, url in enumerate(self.reference_audio_urls or []):
            items.append((f"reference_audio_urls[{index}]", {"type": "reference_audio", "url": url}))
        return items

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        issues += mediaitems.shape_problems(self.media)
        if self.reference_voices is not None and len(self.reference_voices) > len(self.reference_urls or []):
            issues.append(FieldIssue("reference_voices", self.reference_voices, "more voices than references",
                                     "one voice (or null) per reference_urls item", "drop the extra voices"))
        if self.media_protocol():
            if spec is not None and not self.needs_prompt() and not self.prompt and not self.media_items():
                issues.append(FieldIssue("prompt", None, f"{model_id} needs a prompt, media or both", "either",
                                         "add a prompt, or reference_urls / media"))
            return issues
        given = [name for name in ("media", "first_frame_url", "reference_voices", "reference_audio_urls", "ratio")
                 if getattr(self, name) is not None]
        if given and spec is not None:
            issues.append(FieldIssue(given[0], getattr(self, given[0]), f"{model_id} does not take {given[0]}",
                                     "reference_urls, size, duration, shot_type, audio",
                                     f"use --model {PICK} (or leave --model out), or drop {given[0]}"))
        references = self.reference_urls or []
        count = len(references)
        if not 1 <= count <= MAX_REFERENCES:
            issues.append(FieldIssue("reference_urls", self.reference_urls, f"{count} references given",
                                     f"1 to {MAX_REFERENCES}",
                                     "add a reference" if count == 0 else f"keep at most {MAX_REFERENCES}"))
        videos = [url for url in references if rules.is_video(url)]
        if len(videos) > MAX_VIDEO_REFERENCES:
            issues.append(FieldIssue("reference_urls", videos, f"{len(videos)} of the references are videos",
                                     f"at most {MAX_VIDEO_REFERENCES} videos ({', '.join(rules.VIDEO_EXTENSIONS)})",
                                     "replace some clips with still images of the same characters"))
        return issues

    def billing_note(self, model_id: str) -> str:
        return f"{model_id} picked for media" if self.media is not None and model_id == PICK else ""

