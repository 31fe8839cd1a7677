"""Helpers for the video tests: a registry built once from the first-party modules, and error lookups."""

from __future__ import annotations

from typing import Any, Mapping

from rulekit import RuleKit, issue  # noqa: F401 - the tests import issue from here

SKILL = "qwencloud-video-generation"
FIRST_PARTY = ("skill", "t2v", "i2v", "kf2v", "r2v", "vace", "videoedit")

IMG = "https://example.com/still.png"
IMG2 = "https://example.com/still2.png"
CLIP = "https://example.com/clip.mp4"

# The smallest valid request of each mode; tests add or change one field at a time.
BASE: Mapping[str, Mapping[str, Any]] = {
    "t2v": {"prompt": "A lighthouse in a storm"},
    "i2v": {"prompt": "The waves roll in", "img_url": IMG},
    "kf2v": {"first_frame_url": IMG, "last_frame_url": IMG2},
    "r2v": {"prompt": "character1 waves", "reference_urls": [IMG]},
    "vace": {"function": "video_extension", "prompt": "The dog keeps skating", "first_clip_url": CLIP},
    "videoedit": {"prompt": "Make it snow", "video_url": CLIP},
}


KIT = RuleKit(SKILL, {f"qwencloud_video.{name}": f"video_{name}" for name in FIRST_PARTY}, BASE)
registry, mode, request, accept, body, reject = KIT.registry, KIT.mode, KIT.request, KIT.accept, KIT.body, KIT.reject
