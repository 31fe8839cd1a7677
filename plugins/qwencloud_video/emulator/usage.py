"""The ``usage`` block of a finished video task: what the service bills, per request shape."""

from __future__ import annotations

from typing import Any, Dict

from .models import LEGACY, WAN30, tier_of
from .submit import Plan


def usage_of(plan: Plan) -> Dict[str, Any]:
    if plan.protocol != LEGACY:
        return _media_usage(plan)
    tier = tier_of(plan.size)
    short_side = int(tier[:-1]) if tier else min(plan.width, plan.height)
    return {
        "video_count": 1,
        "video_duration": plan.duration,
        "video_ratio": plan.size,
        "duration": plan.duration,
        "output_video_duration": plan.duration,
        "SR": short_side,
    }


def _media_usage(plan: Plan) -> Dict[str, Any]:
    """wan2.7 / wan3.0 billing: duration = input-video seconds + output seconds."""
    output_seconds = plan.duration
    total = round(plan.input_video_seconds + output_seconds, 2)
    usage: Dict[str, Any] = {
        "video_count": 1,
        "duration": total if plan.input_video_seconds or isinstance(output_seconds, float) else output_seconds,
        "input_video_duration": plan.input_video_seconds,
        "output_video_duration": output_seconds,
        "SR": int(plan.tier[:-1]) if plan.tier else min(plan.width, plan.height),
        "ratio": plan.ratio,
        "size": plan.size,
    }
    if plan.protocol == WAN30:
        usage["fps"] = 30
        usage["audio"] = plan.audio
    return usage
