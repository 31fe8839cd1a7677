"""The plans run against the emulator with a minimal stand-in runner (steps in order, Refs resolved, host media
steps through mediaops.actions): the emulator accepts every job and the results have the promised length.

A stand-in until the host's workflow engine has end-to-end tests of its own; it follows the engine's contract
(outputs "file"/"files"/"url"/"task_id" of jobs, op(args, ctx) for local steps)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict

import pytest

from qwencloud_skills.mediaops import actions
from qwencloud_skills.workflows.spec import JobStep, Ref

from .helpers import context, make_clip, make_picture, make_tone, plan, seconds_of, workflow

pytestmark = pytest.mark.slow


def resolve(value: Any, outputs: Dict[str, Dict[str, Any]]) -> Any:
    if isinstance(value, Ref):
        return outputs[value.step][value.key]
    if isinstance(value, dict):
        return {key: resolve(item, outputs) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve(item, outputs) for item in value]
    return value


def host_op(name: str, args: Dict[str, Any], ctx: Any) -> Dict[str, Any]:
    where = {"output": str(ctx.folder) + "/"}
    if name == "trim":
        return {"file": str(actions.trim_file(**args, **where, name=ctx.new_path(".mp4").name))}
    if name == "frame":
        return {"file": str(actions.frame_file(**args, **where, name=ctx.new_path(".png").name))}
    if name == "add-audio":
        return {"file": str(actions.add_audio_file(**args, **where, name=ctx.new_path(".mp4").name))}
    raise AssertionError(f"no host op {name}")


def run(name: str, folder: Path, **options: Any) -> Dict[str, Any]:
    from qwencloud_skills.tasks import TaskClient

    flow = workflow(name)
    made = plan(name, **options)
    outputs: Dict[str, Dict[str, Any]] = {}
    with TaskClient() as client:
        for step in made.steps:
            ctx = context(folder, step.id)
            if isinstance(step, JobStep):
                client.skill = step.skill or flow.skill
                result = client.create_and_poll(resolve(dict(step.request), outputs), mode=step.mode,
                                                model=step.model, output_dir=str(folder), interval=0.05, timeout=60)
                files = [str(path) for path in result.files]
                outputs[step.id] = {"file": files[0], "files": files}
            else:
                own = flow.operation(step.op)
                args = resolve(dict(step.args), outputs)
                outputs[step.id] = own(args, ctx) if own else host_op(step.op, args, ctx)
    return outputs[made.final]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "run"
    path.mkdir()
    return path


@pytest.mark.parametrize(("total", "continuation"), [(20, "clip"), (32, "clip"), (20, "frame")])
def test_long_videos_play_their_length_with_sound(emulator_env, folder, total, continuation):
    result = run("long-video", folder, prompt="A red fox trots through fresh snow", duration=total,
                 continuation=continuation)
    info = actions.probe_file(result["file"])
    assert abs(info.duration - total) <= 0.1 and info.has_audio


def test_an_eight_second_transition(emulator_env, folder, tmp_path):
    first, last = make_picture(tmp_path / "a.png", "blue"), make_picture(tmp_path / "b.png", "red")
    result = run("transition", folder, first_frame=str(first), last_frame=str(last), duration=8)
    assert abs(seconds_of(result["file"]) - 8) <= 0.1


def test_an_extension_adds_exactly_the_seconds_asked(emulator_env, folder, tmp_path):
    source = make_clip(tmp_path / "input.mp4", 4, size="640x360")
    result = run("extend", folder, video=str(source), seconds=5)
    assert abs(seconds_of(result["file"]) - 9) <= 0.1


def test_a_voiced_kf2v_job_and_a_storyboard_of_three_scenes(emulator_env, folder, tmp_path):
    tone = make_tone(tmp_path / "music.wav", 4)
    picture = make_picture(tmp_path / "key.png", "green")
    voiced = run("voiced", folder, request=json.dumps({"first_frame_url": str(picture),
                                                       "last_frame_url": str(picture)}), audio=str(tone))
    assert actions.probe_file(voiced["file"]).has_audio
    board = tmp_path / "film.json"
    board.write_text(json.dumps({"scenes": [
        {"prompt": "A lighthouse at dusk", "duration": 3, "transition": "fade"},
        {"prompt": "The lamp turns on", "image": "key.png", "duration": 3, "transition": "morph"},
        {"prompt": "Ships pass in the night", "duration": 2, "image_prompt": "A harbour at night"}],
        "music": "music.wav"}))
    film = run("storyboard", folder, file=str(board))
    info = actions.probe_file(film["file"])
    assert abs(info.duration - (3 + 3 - 0.5 + 5 + 2)) <= 0.2 and info.has_audio
