"""A model no plugin describes: the host warns, and only rules true for every model of the mode apply."""

from __future__ import annotations

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.registry import ModelSpec, UnknownModelWarning

from .util import CLIP, IMG, issue, mode, request

UNKNOWN = "wan9.9-future"

ACCEPTED = [
    ("t2v", {"duration": 40, "size": "2560*1440", "prompt": "x" * 1500}),
    ("t2v", {"audio_url": "https://example.com/a.mp3", "shot_type": "multi", "prompt_extend": True}),
    ("i2v", {"resolution": "2160P", "duration": 30, "audio": False}),
    ("r2v", {"duration": 20, "size": "3000*2000", "audio": False}),
    ("vace", {"duration": 12, "size": "1920*1080"}),
    ("kf2v", {"resolution": "1440P", "prompt": "x" * 1500}),
]


@pytest.mark.parametrize(("mode_name", "changes"), ACCEPTED)
def test_unknown_model_is_not_blocked_by_per_model_limits(mode_name, changes):
    with pytest.warns(UnknownModelWarning, match=UNKNOWN):
        validated = mode(mode_name).validate(request(mode_name, **changes), UNKNOWN)
    assert mode(mode_name).payload(validated, UNKNOWN)["model"] == UNKNOWN


GENERAL_RULES = [
    ("t2v", {"duration": 0}, "duration"),
    ("t2v", {"prompt": "x" * 1501}, "prompt"),
    ("t2v", {"size": "big"}, "size"),
    ("t2v", {"shot_type": "multi", "prompt_extend": False}, "shot_type"),
    ("t2v", {"seed": -1}, "seed"),
    ("t2v", {"audio_url": "a.ogg"}, "audio_url"),
    ("t2v", {"resolution": "720p"}, "resolution"),  # t2v takes resolution too now (wan2.7/wan3.0)
    ("i2v", {"resolution": "720p"}, "resolution"),
    ("kf2v", {"duration": 10}, "duration"),
    ("r2v", {"reference_urls": [IMG] * 6}, "reference_urls"),
    ("vace", {"function": "video_edit", "first_clip_url": None, "video_url": CLIP}, "mask_image_url"),
    ("vace", {"mask_frame_id": 0}, "mask_frame_id"),
]


@pytest.mark.parametrize(("mode_name", "changes", "field"), GENERAL_RULES)
def test_general_rules_still_apply_to_unknown_models(mode_name, changes, field):
    with pytest.warns(UnknownModelWarning), pytest.raises(InvalidRequestError) as caught:
        mode(mode_name).validate(request(mode_name, **changes), UNKNOWN)
    issue(caught.value, field)


def test_a_plain_model_spec_gets_the_general_rules_too():
    chosen = mode("t2v")
    chosen.models.append(ModelSpec(id="plain-model"))
    try:
        validated = chosen.validate(request("t2v", duration=40), "plain-model")
    finally:
        chosen.models.pop()
    assert validated.duration == 40
