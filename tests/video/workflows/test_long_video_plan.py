"""long-video plans: fewest even segments, continuations the real modes accept, billed seconds, clear errors."""

from __future__ import annotations

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.workflows.spec import Ref

from .helpers import billed, jobs, locals_, plan


def durations(made):
    return [step.request["duration"] for step in jobs(made)]


@pytest.mark.parametrize(("total", "jobs_asked", "new"), [
    (20, [10, 12], [10, 10]),
    (30, [10, 12, 12], [10, 10, 10]),
    (32, [11, 13, 12], [11, 11, 10]),
    (60, [12, 14, 14, 14, 14], [12, 12, 12, 12, 12]),
])
def test_clip_continuation_splits_into_the_fewest_even_segments(total, jobs_asked, new):
    made = plan("long-video", prompt="A fox in the snow", duration=total)
    assert durations(made) == jobs_asked
    assert [jobs_asked[0]] + [seconds - 2 for seconds in jobs_asked[1:]] == new
    assert sum(new) == total
    assert billed(made) == {"s of 720P video": sum(jobs_asked)}  # the clip is billed again in each continuation
    first, *later = jobs(made)
    assert (first.mode, first.model) == ("t2v", "wan2.7-t2v")
    assert all((step.mode, step.model) == ("i2v", "wan2.7-i2v") for step in later)


def test_each_continuation_is_given_the_last_clip_seconds_of_the_segment_before():
    made = plan("long-video", prompt="A fox", duration=30, clip_seconds=3)
    tails = {step.id: step for step in locals_(made) if step.op == "trim"}
    assert sorted(tails) == ["tail-1", "tail-2"]
    for number in (1, 2):
        assert tails[f"tail-{number}"].args == {"file": Ref(f"segment-{number}", suffix=".mp4"), "last": 3}
        continuation = made.step(f"segment-{number + 1}")
        assert continuation.request["first_clip_url"] == Ref(f"tail-{number}", suffix=".mp4")
    assert durations(made) == [10, 13, 13]  # 10 + 10 + 10 new seconds, each continuation counting its 3 s clip


def test_the_join_knows_the_overlap_and_the_exact_length():
    made = plan("long-video", prompt="A fox", duration=20)
    join = made.step("join")
    assert made.final == "join" and join.op == "join-continuations"
    assert join.args == {"files": [Ref("segment-1", suffix=".mp4"), Ref("segment-2", suffix=".mp4")], "overlap": 2,
                         "requested": [None, 12], "total": 20}
    assert any("first_clip" in note for note in made.notes)
    assert any("Sound is kept" in note for note in made.notes)


def test_frame_continuation_seeds_each_segment_with_the_real_last_frame():
    made = plan("long-video", prompt="A fox", duration=20, continuation="frame")
    assert durations(made) == [10, 10]
    frame = made.step("frame-1")
    assert frame.op == "frame" and frame.args == {"file": Ref("segment-1", suffix=".mp4"), "which": "last"}
    second = made.step("segment-2")
    assert (second.mode, second.model) == ("i2v", "wan2.6-i2v-flash")
    assert second.request["img_url"] == Ref("frame-1", suffix=".png")
    assert made.step("segment-1").request["size"] == "1280*720"  # wan2.6-t2v takes size, not resolution
    assert made.step("join").args["overlap"] == 0
    assert billed(made) == {"s of 720P video": 20}


def test_frame_continuation_on_a_media_protocol_model_sends_first_frame_url():
    made = plan("long-video", prompt="A fox", duration=20, continuation="frame", continue_model="wan2.7-i2v")
    assert made.step("segment-2").request["first_frame_url"] == Ref("frame-1", suffix=".png")


def test_per_segment_prompts_set_the_number_of_segments():
    made = plan("long-video", prompt="A paper boat, cinematic", duration=30,
                prompts=["sets off", "rides a waterfall", "drifts into a pond", "ducks gather"])
    assert [step.request["prompt"] for step in jobs(made)] == [
        "A paper boat, cinematic sets off", "A paper boat, cinematic rides a waterfall",
        "A paper boat, cinematic drifts into a pond", "A paper boat, cinematic ducks gather"]
    assert sum([durations(made)[0]] + [seconds - 2 for seconds in durations(made)[1:]]) == 30


def test_prompts_alone_are_enough():
    made = plan("long-video", duration=20, prompts=["a fox wakes", "the fox runs"])
    assert [step.request["prompt"] for step in jobs(made)] == ["a fox wakes", "the fox runs"]


def test_a_length_one_job_makes_needs_no_join_and_allowed_lengths_that_overshoot_are_cut():
    single = plan("long-video", prompt="A fox", duration=12)
    assert [step.id for step in single.steps] == ["segment-1"] and single.final == "segment-1"
    coarse = plan("long-video", prompt="A fox", duration=7, continuation="frame", model="wan2.5-t2v-preview")
    assert durations(coarse) == [10]
    assert coarse.step(coarse.final).op == "trim" and coarse.step(coarse.final).args["end"] == 7
    assert any("exactly 7 s" in note for note in coarse.notes)


def test_1080p_is_stated_on_every_segment():
    made = plan("long-video", prompt="A fox", duration=20, resolution="1080P")
    assert {step.request["resolution"] for step in jobs(made)} == {"1080P"}
    assert billed(made) == {"s of 1080P video": 22}


def reject(**options):
    with pytest.raises(InvalidRequestError) as caught:
        plan("long-video", **options)
    return caught.value


@pytest.mark.parametrize(("options", "field", "words"), [
    ({"prompt": "x", "duration": 500}, "--duration", "2 to 120"),
    ({"prompt": "x", "duration": 1}, "--duration", "2 to 120"),
    ({"duration": 20}, "--prompt", "--prompts"),
    ({"prompt": "x", "duration": 20, "continuation": "zoom"}, "--continuation", "clip, frame"),
    ({"prompt": "x", "duration": 20, "continue_model": "wan2.6-i2v-flash"}, "--continue-model", "wan2.7-i2v"),
    ({"prompt": "x", "duration": 20, "continue_model": "nope"}, "--continue-model", "wan2.7-i2v"),
    ({"prompt": "x", "duration": 20, "model": "wan2.7-i2v"}, "--model", "wan2.6-t2v"),
    ({"prompt": "x", "duration": 20, "clip_seconds": 1}, "--clip-seconds", "2 to 10"),
    ({"prompt": "x", "duration": 20, "clip_seconds": 11}, "--clip-seconds", "2 to 10"),
    ({"prompt": "x", "duration": 20, "continuation": "frame", "clip_seconds": 3}, "--clip-seconds", "clip"),
    ({"prompt": "x", "duration": 20, "resolution": "480P"}, "--resolution", "720P, 1080P"),
    ({"prompt": "x", "duration": 40, "prompts": ["a", "b"]}, "--prompts", "at least 3"),
    ({"prompt": "x", "duration": 10, "prompts": ["a"] * 12}, "--prompts", "too many"),
    ({"prompt": "x", "duration": 20, "prompts": ["a", " "]}, "--prompts[2]", "empty"),
])
def test_option_problems_are_clear_errors_before_anything_is_sent(options, field, words):
    error = reject(**options)
    assert [issue.field for issue in error.issues] == [field]
    assert words in str(error)
    assert error.issues[0].fix and error.exit_code == 3
