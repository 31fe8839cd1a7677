"""What every video mode says it bills (summed by workflow plans), and one-job limits pointing at workflows."""

from __future__ import annotations

import pytest

from ..util import CLIP, IMG, accept, issue, mode, reject, request
from .helpers import make_clip


def billed(mode_name, data, model=None):
    found = mode(mode_name)
    return found.billed_amounts(accept(mode_name, data, model), model or found.default_model)


@pytest.mark.parametrize(("mode_name", "data", "model", "amounts"), [
    ("t2v", {"prompt": "x"}, None, {"s of 720P video": 5}),
    ("t2v", {"prompt": "x", "size": "1920*1080", "duration": 12}, None, {"s of 1080P video": 12}),
    ("t2v", {"prompt": "x"}, "wan2.2-t2v-plus", {"s of 1080P video": 5}),
    ("t2v", {"prompt": "x", "duration": 8}, "wan2.7-t2v", {"s of 720P video": 8}),
    ("i2v", {"prompt": "x", "img_url": IMG, "resolution": "1080P", "duration": 15}, None, {"s of 1080P video": 15}),
    ("i2v", {"first_clip_url": CLIP, "duration": 10}, "wan2.7-i2v", {"s of 720P video": 10}),  # clip included
    ("kf2v", {"first_frame_url": IMG, "last_frame_url": IMG}, None, {"s of 720P video": 5}),
    ("vace", dict(request("vace")), None, {"s of 720P video": 5}),
    ("r2v", {"prompt": "character1 waves", "reference_urls": [IMG], "duration": 7}, None, {"s of 720P video": 7}),
])
def test_every_mode_states_its_billed_seconds_by_tier(mode_name, data, model, amounts):
    assert billed(mode_name, data, model) == amounts


def test_a_length_the_model_picks_is_not_counted():
    assert billed("t2v", {"prompt": "x", "duration": -1}, "wan3.0-video") == {}


def test_input_video_seconds_are_added_where_they_are_billed_and_known(tmp_path):
    clip = str(make_clip(tmp_path / "ref.mp4", 3))
    assert billed("r2v", {"prompt": "character1 waves", "reference_urls": [clip, IMG], "duration": 5}) == {
        "s of 720P video": pytest.approx(8, abs=0.1)}
    # videoedit keeping the input's length bills it twice (input + output); a link's length is unknown
    assert billed("videoedit", {"video_url": clip}) == {"s of 720P video": pytest.approx(6, abs=0.2)}
    assert billed("videoedit", {"video_url": CLIP}) == {}
    assert billed("videoedit", {"video_url": CLIP, "duration": 4}) == {"s of 720P video": 4}
    # wan2.7-i2v's clip is part of the total, not billed on top
    assert billed("i2v", {"first_clip_url": clip, "duration": 8}, "wan2.7-i2v") == {"s of 720P video": 8}


def test_t2v_beyond_one_job_points_at_long_video():
    found = issue(reject("t2v", request("t2v", duration=20), "wan2.6-t2v"), "duration", 20)
    assert found.problem == "wan2.6-t2v makes at most 15 s"
    assert found.fix.endswith("for longer videos: qwencloud-video workflow run long-video --duration 20")
    coarse = issue(reject("t2v", request("t2v", duration=30), "wan2.5-t2v-preview"), "duration", 30)
    assert "at most 10 s" in coarse.problem and "long-video --duration 30" in coarse.fix


def test_i2v_beyond_one_job_points_at_extend():
    found = issue(reject("i2v", request("i2v", duration=20)), "duration", 20)
    assert found.fix == ("use 15; for longer videos: make 15 s, then qwencloud-video workflow run extend "
                         "--video RESULT.mp4 --seconds 5")


def test_kf2v_other_lengths_point_at_transition():
    found = issue(reject("kf2v", request("kf2v", duration=8)), "duration", 8)
    assert found.fix.endswith("for other lengths: qwencloud-video workflow run transition --duration 8")


def test_lengths_within_the_range_keep_the_nearest_value_fix():
    found = issue(reject("t2v", request("t2v", duration=7), "wan2.5-t2v-preview"), "duration", 7)
    assert found.fix == "use 5" and "workflow" not in found.fix
