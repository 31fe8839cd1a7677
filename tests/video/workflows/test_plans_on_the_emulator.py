"""The video workflows run by the host's engine against the emulator, checked on the MP4s they make.

The emulator draws a job's inputs into its output (first frame, last frame, a continued clip at
the start), so these tests see content, not only lengths: a transition ends on its last picture,
an extension keeps the input once and adds only new footage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qwencloud_skills.mediaops import actions
from qwencloud_skills.workflows import api

from .helpers import colour_at, make_clip, make_picture, make_tone, seconds_of

pytestmark = pytest.mark.slow
FAST = {"poll_interval": 0.05, "timeout": 60}
SKILL = "qwencloud-video-generation"


def run(name: str, out: Path, **options):
    return api.run(name, options, skill=SKILL, output=str(out), **FAST)


def submits(emulator) -> int:
    return len([r for r in emulator.requests if r.method == "POST" and r.path.endswith("video-synthesis")])


@pytest.mark.parametrize(("total", "continuation"), [(20, "clip"), (32, "clip"), (20, "frame")])
def test_long_videos_play_exactly_their_length_with_sound(emulator_env, tmp_path, total, continuation):
    outcome = run("long-video", tmp_path / "out", prompt="A red fox trots through fresh snow", duration=total,
                  continuation=continuation)
    info = actions.probe_file(str(outcome.final_path))
    assert abs(info.duration - total) <= 0.1 and info.has_audio
    jobs = [step for step in outcome.manifest["steps"] if step["kind"] == "job"]
    assert submits(emulator_env) == len(jobs) >= 2 and all(step["task_id"] for step in jobs)
    assert outcome.manifest["billed"] and outcome.final_path.parent == tmp_path / "out"


def test_an_eight_second_transition_ends_on_its_last_picture(emulator_env, tmp_path):
    first = make_picture(tmp_path / "a.png", "blue", size="1280x720")
    last = make_picture(tmp_path / "b.png", "red", size="1280x720")
    outcome = run("transition", tmp_path / "out", first_frame=str(first), last_frame=str(last), duration=8)
    assert abs(seconds_of(outcome.final_path) - 8) <= 0.1
    assert colour_at(outcome.final_path, 0.0, tmp_path) == "blue"
    assert colour_at(outcome.final_path, 7.99, tmp_path) == "red"


def test_an_extension_keeps_the_input_once_and_adds_only_new_footage(emulator_env, tmp_path):
    source = make_clip(tmp_path / "input.mp4", 4, colour="blue", size="640x360")
    outcome = run("extend", tmp_path / "out", video=str(source), seconds=5)
    final = outcome.final_path
    assert abs(seconds_of(final) - 9) <= 0.1  # nothing dropped: 4 s in, 5 s added
    assert colour_at(final, 0.5, tmp_path) == "blue" and colour_at(final, 3.8, tmp_path) == "blue"
    # The service's output began with the input's last seconds (the clip it continued): had they been kept,
    # blue would go on past 4 s.
    assert colour_at(final, 4.3, tmp_path) != "blue" and colour_at(final, 5.5, tmp_path) != "blue"


def test_a_soundtrack_sends_nothing_and_bills_nothing(emulator_env, tmp_path):
    clip = make_clip(tmp_path / "silent.mp4", 3, audio=False)
    tone = make_tone(tmp_path / "music.wav", 5)
    outcome = run("soundtrack", tmp_path / "out", video=str(clip), audio=str(tone))
    info = actions.probe_file(str(outcome.final_path))
    assert info.has_audio and abs(info.duration - 3) <= 0.1
    assert submits(emulator_env) == 0 and outcome.manifest["billed"] == {}


def test_a_voiced_kf2v_job_has_the_given_sound(emulator_env, tmp_path):
    tone = make_tone(tmp_path / "voice.wav", 4)
    picture = make_picture(tmp_path / "key.png", "green")
    request = json.dumps({"first_frame_url": str(picture), "last_frame_url": str(picture)})
    outcome = run("voiced", tmp_path / "out", request=request, audio=str(tone))
    info = actions.probe_file(str(outcome.final_path))
    assert info.has_audio and abs(info.duration - 5) <= 0.1 and submits(emulator_env) == 1


def test_a_storyboard_of_three_scenes_with_a_keyframe_drawn_by_the_image_skill(emulator_env, tmp_path):
    make_tone(tmp_path / "music.wav", 4)
    make_picture(tmp_path / "key.png", "green")
    board = tmp_path / "film.json"
    board.write_text(json.dumps({"scenes": [
        {"prompt": "A lighthouse at dusk", "duration": 3, "transition": "fade"},
        {"prompt": "The lamp turns on", "image": "key.png", "duration": 3, "transition": "morph"},
        {"prompt": "Ships pass in the night", "duration": 2, "image_prompt": "A harbour at night"}],
        "music": "music.wav"}))
    outcome = run("storyboard", tmp_path / "out", file=str(board))
    info = actions.probe_file(str(outcome.final_path))
    assert abs(info.duration - (3 + 3 - 0.5 + 5 + 2)) <= 0.2 and info.has_audio
    kinds = {step["id"]: step.get("mode") for step in outcome.manifest["steps"] if step["kind"] == "job"}
    assert sorted(kinds.values()) == ["i2v", "i2v", "kf2v", "t2i", "t2v"]
    starts = {step["id"]: step for step in outcome.manifest["steps"]}
    assert all(not set(starts[name]["after"]) & {"scene-1", "scene-2", "scene-3"}
               for name in ("scene-1", "scene-2", "scene-3"))  # independent: they ran at once
