"""transition and extend plans: the right mode and model for the length, requests the modes accept, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.workflows.spec import Ref

from .helpers import IMG, IMG2, billed, jobs, make_clip, make_tone, plan, validated


def reject(name, **options):
    with pytest.raises(InvalidRequestError) as caught:
        plan(name, **options)
    assert caught.value.exit_code == 3 and caught.value.issues[0].fix
    return caught.value


# -- transition ------------------------------------------------------------------------------------------


def test_five_seconds_is_one_kf2v_job():
    made = plan("transition", first_frame=IMG, last_frame=IMG2, duration=5, prompt="The sun rises")
    (job,) = jobs(made)
    assert (job.mode, job.model, made.final) == ("kf2v", "wan2.2-kf2v-flash", "transition")
    assert job.request == {"prompt": "The sun rises", "first_frame_url": IMG, "last_frame_url": IMG2,
                           "resolution": "720P"}
    assert billed(made) == {"s of 720P video": 5}
    assert any("silent" in note for note in made.notes)


@pytest.mark.parametrize("seconds", [2, 8, 15])
def test_other_lengths_are_one_wan27_job_with_both_frames(seconds):
    made = plan("transition", first_frame=IMG, last_frame=IMG2, duration=seconds)
    (job,) = jobs(made)
    assert (job.mode, job.model) == ("i2v", "wan2.7-i2v")
    assert job.request == {"first_frame_url": IMG, "last_frame_url": IMG2, "duration": seconds, "resolution": "720P"}
    sent = validated(job)
    assert {item["type"] for _, item in sent.media_items()} == {"first_frame", "last_frame"}
    assert billed(made) == {"s of 720P video": seconds}


def test_wan27_can_make_five_seconds_too_when_named():
    (job,) = jobs(plan("transition", first_frame=IMG, last_frame=IMG2, duration=5, model="wan2.7-i2v"))
    assert (job.mode, job.request["duration"]) == ("i2v", 5)


@pytest.mark.slow
def test_audio_is_laid_under_the_transition(tmp_path: Path):
    tone = make_tone(tmp_path / "chime.wav", 2)
    made = plan("transition", first_frame=IMG, last_frame=IMG2, audio=str(tone))
    sound = made.step("sound")
    assert made.final == "sound" and sound.op == "add-audio"
    assert sound.args == {"video": Ref("transition", suffix=".mp4"), "audio": str(tone)}


@pytest.mark.parametrize(("options", "field", "words"), [
    ({"duration": 20}, "--duration", "2-15 s"),
    ({"duration": 1}, "--duration", "2-15 s"),
    ({"duration": 8, "model": "wan2.2-kf2v-flash"}, "--duration", "5-second videos only"),
    ({"duration": 8, "model": "wan2.6-i2v-flash"}, "--model", "no first and last frame"),
    ({"duration": 8, "resolution": "480P"}, "--resolution", "720P, 1080P"),
    ({"duration": 5, "audio": "/no/such/track.mp3"}, "--audio", "no such file"),
])
def test_transition_option_problems(options, field, words):
    error = reject("transition", first_frame=IMG, last_frame=IMG2, **options)
    assert error.issues[0].field == field and words in str(error)


# -- extend ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> str:
    return str(make_clip(tmp_path_factory.mktemp("extend") / "input.mp4", 4))


@pytest.mark.slow
def test_extend_continues_the_inputs_last_seconds_once(clip):
    made = plan("extend", video=clip, seconds=5, prompt="It keeps rolling")
    assert [step.id for step in made.steps] == ["tail-1", "extend-1", "join"]
    tail = made.step("tail-1")
    assert (tail.op, tail.args) == ("trim", {"file": clip, "last": 2})
    (job,) = jobs(made)
    assert (job.mode, job.model) == ("i2v", "wan2.7-i2v")
    assert job.request == {"prompt": "It keeps rolling", "first_clip_url": Ref("tail-1", suffix=".mp4"),
                           "duration": 7, "resolution": "720P"}
    join = made.step("join")
    assert join.args == {"files": [clip, Ref("extend-1", suffix=".mp4")], "overlap": 2, "requested": [None, 7],
                         "add": 5}
    assert billed(made) == {"s of 720P video": 7}
    assert any("clip included" in note for note in made.notes)


@pytest.mark.slow
def test_extend_chains_continuations_beyond_one_job(clip):
    made = plan("extend", video=clip, seconds=25, clip_seconds=3)
    durations = [job.request["duration"] for job in jobs(made)]
    assert durations == [11, 12, 11]  # 8 + 9 + 8 new seconds, each job counting its 3 s clip
    assert made.step("tail-2").args == {"file": Ref("extend-1", suffix=".mp4"), "last": 3}
    assert made.step("extend-2").request["first_clip_url"] == Ref("tail-2", suffix=".mp4")
    assert billed(made) == {"s of 720P video": sum(durations)}


@pytest.mark.slow
@pytest.mark.parametrize(("options", "field", "words"), [
    ({"seconds": 0}, "--seconds", "1 to 120"),
    ({"seconds": 5, "clip_seconds": 5}, "--clip-seconds", "the input plays 4.00 s"),
    ({"seconds": 5, "clip_seconds": 1}, "--clip-seconds", "2 to 4"),
    ({"seconds": 5, "model": "wan2.6-i2v"}, "--model", "first_clip"),
    ({"seconds": 5, "resolution": "480P"}, "--resolution", "720P, 1080P"),
])
def test_extend_option_problems(clip, options, field, words):
    error = reject("extend", video=clip, **options)
    assert error.issues[0].field == field and words in str(error)


def test_extend_needs_an_existing_video(tmp_path):
    error = reject("extend", video=str(tmp_path / "missing.mp4"), seconds=5)
    assert error.issues[0].field == "--video" and "no such file" in str(error)


@pytest.mark.slow
def test_extend_refuses_a_video_shorter_than_a_clip(tmp_path):
    short = make_clip(tmp_path / "short.mp4", 1)
    error = reject("extend", video=str(short), seconds=5)
    assert error.issues[0].field == "--video" and "shorter than the 2 s clip" in str(error)


def test_transition_names_a_missing_local_picture(tmp_path):
    error = reject("transition", first_frame=str(tmp_path / "a.png"), last_frame=IMG2, duration=8)
    assert error.issues[0].field == "--first-frame" and "no such file" in str(error)
