"""What a video job will be billed for, said before it is sent: tier, seconds, sound, input seconds."""

from __future__ import annotations

from typing import Any, List

from .catalog import tier_of_size


def billing_summary(request: Any, model_id: str) -> str:
    """E.g. "720P, 5 s, with sound"; the same facts the payload states, so the line never disagrees with it."""
    from .payload import build_payload

    spec = request.spec
    parameters = build_payload(request, model_id)["parameters"]
    parts: List[str] = []
    note = request.billing_note(model_id)
    if note:
        parts.append(note)
    if "resolution" in parameters:
        parts.append(str(parameters["resolution"]))
    elif "size" in parameters:
        tier = tier_of_size(str(parameters["size"]))
        parts.append(f"{parameters['size']} ({tier})" if tier else str(parameters["size"]))
    seconds = parameters.get("duration")
    if seconds == -1:
        parts.append("length picked by the model: billed length unknown until done")
    elif seconds == 0:
        parts.append("as long as the input video")
    elif seconds is not None:
        total = spec is not None and spec.duration_includes_clip and request.field_value("first_clip_url")
        parts.append(f"{seconds} s" + (" in all, clip included" if total else ""))
    if spec is not None:
        silent = not spec.has_audio or parameters.get("audio") is False
        parts.append("silent" if silent else "with sound")
        if spec.bills_input_video and request.has_video_input():
            parts.append("input video seconds billed too")
    return ", ".join(parts)
