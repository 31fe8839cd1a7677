"""The t2v request model: the validator for t2v requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import ClassVar, FrozenSet, Mapping, Optional, Tuple

from .. import request as f
from ..catalog import VideoModel
from ..models import T2V_MODELS


class T2VRequest(f.VideoRequest):
    """A text-to-video request."""

    mode_name: ClassVar[str] = "t2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = T2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "audio_url"})
    dimension: ClassVar[Optional[str]] = "size"
    prompt_required: ClassVar[bool] = True
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        "audio": (
            "t2v has no switch to silence a video: wan2.6/wan2.5 models always add sound",
            "drop audio; for a silent video use --model wan2.2-t2v-plus",
        ),
    }

    prompt: str = f.prompt_field(required=True)
    audio_url: Optional[str] = f.audio_url_field()
    size: Optional[str] = f.size_field()
    duration: Optional[int] = f.duration_field(
        "Video length in seconds: 2-15 on wan2.6, 5 or 10 on wan2.5, 5 on wan2.2."
    )
    shot_type: Optional[str] = f.shot_type_field()
