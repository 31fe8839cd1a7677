"""The r2v request model: the validator for r2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import ClassVar, FrozenSet, List, Optional, Tuple

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from .. import rules
from ..catalog import VideoModel
from ..models import R2V_MODELS

MAX_REFERENCES = 5
MAX_VIDEO_REFERENCES = 3

class R2VRequest(f.VideoRequest):
    """A role-play request: up to 5 references, named character1, character2, ... in the prompt."""

    mode_name: ClassVar[str] = "r2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = R2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "reference_urls"})
    dimension: ClassVar[Optional[str]] = "size"
    prompt_required: ClassVar[bool] = True
    # wan2.6-r2v documents no prompt_extend (rewriting is on anyway): multi-shot only fails when it is false.
    multi_shot_sends_extend: ClassVar[bool] = False

    prompt: str = f.prompt_field(required=True, what="the script, naming the references character1, character2, ...")
    reference_urls: List[str] = f.media_field(
        "1-5 character references (images or clips, at most 3 clips), in character order; each a", required=True
    )
    size: Optional[str] = f.size_field()
    duration: Optional[int] = f.duration_field("Video length in seconds: 2-10.")
    shot_type: Optional[str] = f.shot_type_field("'multi' (recommended) for several shots, or 'single'.")
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        count = len(self.reference_urls)
        if not 1 <= count <= MAX_REFERENCES:
            issues.append(FieldIssue("reference_urls", self.reference_urls, f"{count} references given",
                                     f"1 to {MAX_REFERENCES}",
                                     "add a reference" if count == 0 else f"keep at most {MAX_REFERENCES}"))
        videos = [url for url in self.reference_urls if rules.is_video(url)]
        if len(videos) > MAX_VIDEO_REFERENCES:
            issues.append(FieldIssue("reference_urls", videos, f"{len(videos)} of the references are videos",
                                     f"at most {MAX_VIDEO_REFERENCES} videos ({', '.join(rules.VIDEO_EXTENSIONS)})",
                                     "replace some clips with still images of the same characters"))
        return issues
