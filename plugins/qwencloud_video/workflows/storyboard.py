"""storyboard: a whole film from a file of scenes, with cuts, crossfades or morphs between them and music.

Every scene is its own job (text to video, or image to video from a keyframe given or drawn by
the image skill), so the scenes run at once; a morph is a keyframe job from one scene's last
frame to the next one's first, made once both scenes exist.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, Step

from . import common, storyfile
from .storyfile import DEFAULT_CROSSFADE, MAX_SCENES, TRANSITIONS, Scene, Storyboard

DEFAULT_SECONDS = 5
KF2V_SECONDS = 5
IMAGE_SIZES = ("1920*1080", "1664*928", "1280*720")  # 16:9-ish keyframes, the first the image model takes


class StoryboardOptions(BaseModel):
    """Options of ``workflow run storyboard``."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(..., description="The storyboard: a .json file (or .yaml with PyYAML installed) with "
                      "'scenes' [{prompt, duration, image or image_prompt, transition: cut|fade|morph}] and optional "
                      "music, model, resolution, crossfade.")


def plan(options: StoryboardOptions) -> Plan:
    """The scene jobs (independent), the morphs between them, the assembly and the music."""
    board = storyfile.read(options.file)
    count = len(board.scenes)
    if not 1 <= count <= MAX_SCENES:
        raise common.bad("scenes", count, f"{count} scenes", f"1 to {MAX_SCENES}",
                         "add a scene" if not count else "split the film into several storyboards")
    _check_transitions(board)
    steps: List[Step] = []
    lengths: List[int] = []
    for number, scene in enumerate(board.scenes, start=1):
        scene_steps, seconds = _scene(board, scene, number)
        steps += scene_steps
        lengths.append(seconds)
    clips, joins, morph_steps = _sequence(board)
    steps += morph_steps
    morphs = sum(1 for step in morph_steps if step.kind == "job")
    final = clips[0].step
    crossfade = _crossfade(board, joins, lengths)
    if len(clips) > 1:
        steps.append(LocalStep("assemble", "assemble", {"files": clips, "joins": joins, "crossfade": crossfade},
                               title=f"join {len(clips)} clips ({', '.join(sorted(set(joins)))})"))
        final = "assemble"
    if board.music:
        common.check_media("music", board.music, audio=True)
        common.check_sound_options(board.music_volume, None, None)
        args: Dict[str, Any] = {"video": Ref(final, suffix=".mp4"), "audio": board.music, "mix": True}
        if board.music_volume is not None:
            args["volume"] = board.music_volume
        steps.append(LocalStep("music", "add-audio", args, title="lay the music under the film"))
        final = "music"
    return Plan(tuple(steps), final, _notes(board, lengths, joins, morphs, crossfade))


def _check_transitions(board: Storyboard) -> None:
    for number, scene in enumerate(board.scenes, start=1):
        if scene.transition is not None and scene.transition not in TRANSITIONS:
            raise common.bad(f"scenes[{number - 1}].transition", scene.transition, "is not a transition",
                             ", ".join(TRANSITIONS), "use cut, fade or morph")
        if scene.image and scene.image_prompt:
            raise common.bad(f"scenes[{number - 1}].image_prompt", scene.image_prompt, "image is given too",
                             "image or image_prompt", "keep one of the two")
    last = board.scenes[-1].transition if board.scenes else None
    if last not in (None, "cut"):
        raise common.bad(f"scenes[{len(board.scenes) - 1}].transition", last, "no scene follows the last one",
                         "cut (or leave it out) on the last scene", "remove the last scene's transition")


def _scene_model(board: Storyboard, scene: Scene, number: int, mode: str) -> Any:
    where = f"scenes[{number - 1}].model"
    ids = [spec.id for spec in common.catalog(mode)]
    if scene.model:
        return common.model(mode, scene.model, where)
    if board.model and board.model in ids:
        return common.model(mode, board.model, "model")
    if board.model and not any(board.model == spec.id for other in ("t2v", "i2v") for spec in common.catalog(other)):
        raise common.bad("model", board.model, "is not a t2v or i2v model", ", ".join(ids),
                         "name a text-to-video or image-to-video model")
    return common.model(mode, None, where)


def _scene(board: Storyboard, scene: Scene, number: int) -> Tuple[List[Step], int]:
    where = f"scenes[{number - 1}]"
    keyframe = scene.image is not None or scene.image_prompt is not None
    mode = "i2v" if keyframe else "t2v"
    spec = _scene_model(board, scene, number, mode)
    seconds = scene.duration if scene.duration is not None else DEFAULT_SECONDS
    allowed = common.durations(spec)
    if seconds not in allowed:
        raise common.bad(f"{where}.duration", seconds, f"{spec.id} cannot make a {seconds}-second scene",
                         common.seconds_text(spec), f"use {min(allowed, key=lambda value: abs(value - seconds))}, "
                         "or split the scene in two")
    tier = common.resolution(board.resolution, [spec], field="resolution")
    steps: List[Step] = []
    request: Dict[str, Any] = {"prompt": scene.prompt, "duration": seconds, **common.picture_fields(spec, tier)}
    if scene.image_prompt:
        image_step = _keyframe(board, scene.image_prompt, number)
        steps.append(image_step)
        request[common.frame_field(spec)] = Ref(image_step.id, suffix=".png")
    elif scene.image:
        common.check_local(f"{where}.image", scene.image)
        request[common.frame_field(spec)] = scene.image
    what = "from its keyframe" if keyframe else "text to video"
    steps.append(JobStep(f"scene-{number}", mode, request, model=spec.id,
                         title=f"scene {number}: {seconds} s {what}"))
    return steps, seconds


def _keyframe(board: Storyboard, prompt: str, number: int) -> JobStep:
    """A text-to-image job of the image skill drawing scene ``number``'s first frame."""
    from qwencloud_skills.plugins import get_registry

    image_mode = get_registry().mode("t2i", skill=common.IMAGE_SKILL)
    model_id = board.image_model or image_mode.default_model
    if image_mode.model(model_id) is None:
        allowed = ", ".join(image_mode.model_ids)
        raise common.bad("image_model", model_id, "is not a text-to-image model", allowed, f"use one of: {allowed}")
    request: Dict[str, Any] = {"prompt": prompt, "n": 1}
    size = board.image_size or _image_size(image_mode, model_id, prompt)
    if size:
        request["size"] = size
    return JobStep(f"image-{number}", "t2i", request, model=model_id, skill=common.IMAGE_SKILL,
                   title=f"keyframe of scene {number}")


def _image_size(image_mode: Any, model_id: str, prompt: str) -> Optional[str]:
    """The first wide size the image model accepts (checked by its own validator), else its default."""
    from qwencloud_skills.errors import InvalidRequestError

    for size in IMAGE_SIZES:
        try:
            image_mode.validate({"prompt": prompt, "n": 1, "size": size}, model_id)
        except InvalidRequestError:
            continue
        return size
    return None


def _sequence(board: Storyboard) -> Tuple[List[Ref], List[str], List[Step]]:
    """The clips in film order (morphs between their scenes), the join between each two, and the morphs' steps."""
    clips: List[Ref] = []
    joins: List[str] = []
    steps: List[Step] = []
    count = len(board.scenes)
    for number, scene in enumerate(board.scenes, start=1):
        clips.append(Ref(f"scene-{number}", suffix=".mp4"))
        if number == count:
            break
        transition = scene.transition or "cut"
        if transition == "morph":
            steps += _morph(board, scene, number)
            clips.append(Ref(f"morph-{number}", suffix=".mp4"))
            joins += ["cut", "cut"]
        else:
            joins.append(transition)
    return clips, joins, steps


def _morph(board: Storyboard, scene: Scene, number: int) -> List[Step]:
    spec = common.model("kf2v", None, "transition")
    tier = common.resolution(board.resolution, [spec], field="resolution")
    request: Dict[str, Any] = {"first_frame_url": Ref(f"last-{number}", suffix=".png"),
                               "last_frame_url": Ref(f"first-{number + 1}", suffix=".png"), "resolution": tier}
    if scene.morph_prompt:
        request = {"prompt": scene.morph_prompt, **request}
    return [
        LocalStep(f"last-{number}", "frame", {"file": Ref(f"scene-{number}", suffix=".mp4"), "which": "last"},
                  title=f"the last frame of scene {number}"),
        LocalStep(f"first-{number + 1}", "frame", {"file": Ref(f"scene-{number + 1}", suffix=".mp4"),
                                                   "which": "first"}, title=f"the first frame of scene {number + 1}"),
        JobStep(f"morph-{number}", "kf2v", request, model=spec.id,
                title=f"{KF2V_SECONDS} s morph from scene {number} to scene {number + 1}"),
    ]


def _crossfade(board: Storyboard, joins: List[str], lengths: List[int]) -> float:
    seconds = board.crossfade if board.crossfade is not None else DEFAULT_CROSSFADE
    if "fade" not in joins:
        return seconds
    shortest = min(lengths)
    if not 0 < seconds < shortest:
        raise common.bad("crossfade", seconds, "is not shorter than the shortest scene" if seconds > 0
                         else "must be more than 0", f"more than 0 and less than {shortest} seconds",
                         f"use a crossfade of e.g. {DEFAULT_CROSSFADE}")
    return seconds


def _notes(board: Storyboard, lengths: List[int], joins: List[str], morphs: int, crossfade: float) -> tuple:
    fades = joins.count("fade")
    film = sum(lengths) + morphs * KF2V_SECONDS - fades * crossfade
    notes = [f"{len(lengths)} scene(s) of {', '.join(f'{s} s' for s in lengths)}, made at once (independent jobs)."]
    if morphs:
        notes.append(f"{morphs} morph(s): a silent {KF2V_SECONDS} s keyframe job from a scene's last frame to the "
                     "next one's first, made once both exist.")
    if fades:
        notes.append(f"{fades} crossfade(s) of {crossfade:g} s (each overlaps the two scenes).")
    if board.music:
        notes.append("The music is mixed under the whole film, looped or cut to its length.")
    notes.append(f"The film plays about {film:g} s.")
    return tuple(notes)
