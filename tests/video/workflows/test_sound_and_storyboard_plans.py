"""soundtrack, voiced and storyboard plans: local-only sound, one silent job plus its audio, whole films."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.workflows.spec import Ref

from .helpers import IMG, IMG2, billed, jobs, make_clip, make_picture, make_tone, plan

pytestmark = pytest.mark.slow


def reject(name, **options):
    with pytest.raises(InvalidRequestError) as caught:
        plan(name, **options)
    assert caught.value.exit_code == 3 and caught.value.issues[0].fix
    return caught.value


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("media")
    return {"clip": str(make_clip(folder / "clip.mp4", 4)), "tone": str(make_tone(folder / "tone.wav", 3)),
            "picture": str(make_picture(folder / "key.png")), "folder": folder}


# -- soundtrack ------------------------------------------------------------------------------------------


def test_soundtrack_is_one_local_step_and_bills_nothing(media):
    made = plan("soundtrack", video=media["clip"], audio=media["tone"], mix=True, volume=0.5, fade=1.0)
    (step,) = made.steps
    assert (step.op, made.final) == ("add-audio", step.id)
    assert step.args == {"video": media["clip"], "audio": media["tone"], "mix": True, "volume": 0.5, "fade": 1.0}
    assert jobs(made) == [] and billed(made) == {}


@pytest.mark.parametrize(("options", "field", "words"), [
    ({"volume": 11}, "--volume", "0 to 10"),
    ({"fade": 3}, "--fade", "half the video"),
    ({"fade": -1}, "--fade", "negative"),
])
def test_soundtrack_option_problems(media, options, field, words):
    error = reject("soundtrack", video=media["clip"], audio=media["tone"], **options)
    assert error.issues[0].field == field and words in str(error)


def test_soundtrack_checks_the_files_now(media):
    assert reject("soundtrack", video=media["tone"], audio=media["tone"]).issues[0].field == "--video"
    assert reject("soundtrack", video=media["clip"], audio=media["picture"]).issues[0].field == "--audio"


# -- voiced ----------------------------------------------------------------------------------------------


def test_voiced_runs_the_silent_job_then_lays_the_audio_under_it(media):
    request = {"first_frame_url": IMG, "last_frame_url": IMG2, "prompt": "A slow turn"}
    made = plan("voiced", request=json.dumps(request), audio=media["tone"])
    job, sound = made.steps
    assert (job.mode, job.model, dict(job.request)) == ("kf2v", "wan2.2-kf2v-flash", request)
    assert sound.args == {"video": Ref("job", suffix=".mp4"), "audio": media["tone"]}
    assert made.final == "sound" and billed(made) == {"s of 720P video": 5}


def test_voiced_reads_a_request_file_and_takes_the_mode_and_model_from_it(media, tmp_path):
    path = tmp_path / "vace.json"
    path.write_text(json.dumps({"function": "video_extension", "prompt": "It keeps skating",
                                "first_clip_url": "https://example.com/c.mp4", "model": "wan2.1-vace-plus"}))
    made = plan("voiced", request=str(path), audio=media["tone"], mode="vace", mix=True)
    job = jobs(made)[0]
    assert (job.mode, job.model) == ("vace", "wan2.1-vace-plus") and "model" not in job.request
    assert made.step("sound").args["mix"] is True


def test_voiced_says_when_the_model_makes_its_own_sound(media):
    made = plan("voiced", request='{"prompt": "A lighthouse", "duration": 5}', audio=media["tone"], mode="t2v")
    assert any("replaces it" in note for note in made.notes)


@pytest.mark.parametrize(("value", "words"), [("{not json", "not valid JSON"), ("[1, 2]", "neither"),
                                              ("/no/such/request.json", "neither")])
def test_voiced_request_problems(media, value, words):
    error = reject("voiced", request=value, audio=media["tone"])
    assert error.issues[0].field == "--request" and words in str(error)


# -- storyboard ------------------------------------------------------------------------------------------


def board(folder: Path, data: dict, name: str = "film.json") -> str:
    path = folder / name
    path.write_text(json.dumps(data) if name.endswith(".json") else data["yaml"])
    return str(path)


def test_three_scenes_are_independent_jobs_joined_with_their_transitions(media, tmp_path):
    (tmp_path / "key.png").write_bytes(Path(media["picture"]).read_bytes())
    path = board(tmp_path, {"scenes": [
        {"prompt": "A lighthouse at dusk", "duration": 4, "transition": "fade"},
        {"prompt": "The lamp turns on", "image": "key.png", "transition": "morph"},
        {"prompt": "Ships pass", "image_prompt": "A harbour at night, ships with lanterns"},
    ], "music": media["tone"], "crossfade": 0.75})
    made = plan("storyboard", file=path)
    scenes = [made.step(f"scene-{n}") for n in (1, 2, 3)]
    assert [(step.mode, step.model) for step in scenes] == [("t2v", "wan2.6-t2v"), ("i2v", "wan2.6-i2v-flash"),
                                                            ("i2v", "wan2.6-i2v-flash")]
    assert scenes[1].request["img_url"] == str(tmp_path / "key.png")  # relative to the storyboard file
    assert scenes[2].request["img_url"] == Ref("image-3", suffix=".png")
    image = made.step("image-3")
    assert (image.mode, image.skill, image.request["n"]) == ("t2i", "qwencloud-image-generation", 1)
    # the scenes depend on nothing but their own keyframe: they run at once
    assert all(not step.after for step in scenes)
    morph = made.step("morph-2")
    assert (morph.mode, morph.model) == ("kf2v", "wan2.2-kf2v-flash")
    assert morph.request["first_frame_url"] == Ref("last-2", suffix=".png")
    assert morph.request["last_frame_url"] == Ref("first-3", suffix=".png")
    assert made.step("last-2").args == {"file": Ref("scene-2", suffix=".mp4"), "which": "last"}
    assert made.step("first-3").args == {"file": Ref("scene-3", suffix=".mp4"), "which": "first"}
    assemble = made.step("assemble")
    assert assemble.args["files"] == [Ref("scene-1", suffix=".mp4"), Ref("scene-2", suffix=".mp4"),
                                      Ref("morph-2", suffix=".mp4"), Ref("scene-3", suffix=".mp4")]
    assert assemble.args["joins"] == ["fade", "cut", "cut"] and assemble.args["crossfade"] == 0.75
    music = made.step("music")
    assert made.final == "music" and music.args == {"video": Ref("assemble", suffix=".mp4"),
                                                    "audio": media["tone"], "mix": True}
    assert billed(made) == {"s of 720P video": 4 + 5 + 5 + 5}


def test_storyboard_model_and_resolution_apply_to_every_scene(tmp_path):
    path = board(tmp_path, {"model": "wan2.7-i2v", "resolution": "1080P", "scenes": [
        {"prompt": "A", "duration": 8}, {"prompt": "B", "image": IMG, "duration": 12}]})
    made = plan("storyboard", file=path)
    first, second = made.step("scene-1"), made.step("scene-2")
    assert (first.model, first.request["size"]) == ("wan2.6-t2v", "1920*1080")  # the i2v model is not for text
    assert (second.model, second.request["first_frame_url"], second.request["resolution"]) == (
        "wan2.7-i2v", IMG, "1080P")
    assert made.step("assemble").args["joins"] == ["cut"]


def test_a_single_scene_is_the_film(tmp_path):
    made = plan("storyboard", file=board(tmp_path, {"scenes": [{"prompt": "A"}]}))
    assert [step.id for step in made.steps] == ["scene-1"] and made.final == "scene-1"


def test_yaml_storyboards_are_read_when_pyyaml_is_installed(tmp_path):
    pytest.importorskip("yaml")
    path = board(tmp_path, {"yaml": "scenes:\n  - prompt: A\n    transition: fade\n  - prompt: B\n"}, "film.yaml")
    made = plan("storyboard", file=path)
    assert made.step("assemble").args["joins"] == ["fade"]


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"scenes": []}, "scenes", "1 to 30"),
    ({"scenes": [{"prompt": "A", "duration": 20}]}, "scenes[0].duration", "2-15 s"),
    ({"scenes": [{"prompt": "A", "transition": "wipe"}, {"prompt": "B"}]}, "scenes[0].transition", "cut, fade"),
    ({"scenes": [{"prompt": "A"}, {"prompt": "B", "transition": "fade"}]}, "scenes[1].transition", "last scene"),
    ({"scenes": [{"prompt": "A", "image": IMG, "image_prompt": "x"}]}, "scenes[0].image_prompt", "image or"),
    ({"scenes": [{"prompt": "A", "transition": "fade", "duration": 2}, {"prompt": "B"}], "crossfade": 3},
     "crossfade", "less than 2"),
    ({"scenes": [{"prompt": "A"}], "model": "nope"}, "model", "t2v or i2v"),
    ({"scenes": [{"prompt": "A", "model": "wan2.7-i2v"}]}, "scenes[0].model", "t2v model"),
    ({"scenes": [{"prompt": "A"}], "resolution": "480P"}, "resolution", "720P, 1080P"),
    ({"scenes": [{"prompt": "A"}], "music": "/no/such/music.mp3"}, "music", "no such file"),
    ({"scenes": [{"prompt": "A", "colour": "red"}]}, "scenes[0].colour", "not a storyboard field"),
    ({"scenes": [{"duration": 5}]}, "scenes[0].prompt", "missing"),
    ({"scenes": [{"prompt": "A", "image_prompt": "x"}], "image_model": "nope"}, "image_model", "text-to-image"),
])
def test_storyboard_problems_name_the_field(tmp_path, data, field, words):
    error = reject("storyboard", file=board(tmp_path, data))
    assert error.issues[0].field == field and words in str(error)


def test_storyboard_file_problems(tmp_path):
    assert "no such file" in str(reject("storyboard", file=str(tmp_path / "none.json")))
    (tmp_path / "bad.json").write_text("{scenes")
    assert "not valid JSON" in str(reject("storyboard", file=str(tmp_path / "bad.json")))
    (tmp_path / "film.txt").write_text("{}")
    assert ".json, .yaml or .yml" in str(reject("storyboard", file=str(tmp_path / "film.txt")))


def test_a_missing_scene_image_is_named(tmp_path):
    error = reject("storyboard", file=board(tmp_path, {"scenes": [{"prompt": "A", "image": "gone.png"}]}))
    assert error.issues[0].field == "scenes[0].image" and str(tmp_path / "gone.png") in str(error)


def test_yaml_without_pyyaml_says_to_install_it_or_use_json(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "yaml", None)  # as on a machine without PyYAML: the import fails
    error = reject("storyboard", file=board(tmp_path, {"yaml": "scenes: []\n"}, "film.yml"))
    assert "pip install pyyaml" in str(error) and "JSON" in str(error)


def test_keyframes_get_a_wide_size_the_image_model_takes(tmp_path):
    made = plan("storyboard", file=board(tmp_path, {"scenes": [{"prompt": "A", "image_prompt": "a harbour"}]}))
    assert made.step("image-1").request["size"] == "1920*1080"
    qwen = plan("storyboard", file=board(tmp_path, {"image_model": "qwen-image", "scenes": [
        {"prompt": "A", "image_prompt": "a harbour"}]}, "qwen.json"))
    assert qwen.step("image-1").request["size"] == "1664*928"
