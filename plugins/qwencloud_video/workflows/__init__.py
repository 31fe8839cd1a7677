"""Plugin: the video skill's workflows, finished videos beyond one job (``qwencloud-video workflow run NAME``).

Registration names options, planners and operations as "module:name" strings, so listing the
workflows imports neither pydantic nor any planner.
"""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.workflows.spec import Workflow, WorkflowExample

from .common import SKILL

HERE = __name__
JOIN = {"join-continuations": f"{HERE}.ops:join_continuations"}
STORYBOARD_EXAMPLE = ('{"scenes": [{"prompt": "A lighthouse at dusk", "transition": "fade"}, '
                      '{"prompt": "The lamp turns on", "image": "lamp.png", "transition": "morph"}, '
                      '{"prompt": "Ships pass in the night"}], "music": "theme.mp3"}')

EXTEND_DESCRIPTION = (
    "Continues a video with wan2.7-i2v clip continuation. What the service returns: a job given first_clip "
    "(2-10 s) makes `duration` seconds in all, the clip included (the output replays the clip, then continues "
    "it), and the whole duration is billed; the input itself is not returned. The result is the input followed "
    "by the new footage only: the join probes each output and cuts its first clip-length seconds when it plays "
    "the whole duration, or keeps it whole when it is the new footage only, so nothing is duplicated or dropped. "
    "Several continuations are chained when one job cannot add enough."
)

WORKFLOWS = (
    Workflow(
        name="long-video",
        skill=SKILL,
        summary="Longer than one job allows (20, 30, 60 s): segments that continue each other.",
        description=(
            "Segment 1 is text to video; each later segment continues the one before: by its last seconds as "
            "first_clip on wan2.7-i2v (--continuation clip, the default; duration counts the clip, which is "
            "billed again) or by its real last frame on an image-to-video model (--continuation frame). The "
            "length is split into as few segments as the models allow, as evenly as possible; the join keeps "
            "each overlap once, keeps the sound and cuts the result to exactly --duration seconds."
        ),
        options_model=f"{HERE}.longvideo:LongVideoOptions",
        planner=f"{HERE}.longvideo:plan",
        operations=JOIN,
        examples=(
            WorkflowExample("A 20-second scene", {"prompt": "A fox in snow", "duration": 20},
                            "Two segments (10 s, then 12 s continuing its last 2 s), 20 s with sound."),
            WorkflowExample("A minute in five acts", {
                "prompt": "A paper boat on a rain-soaked street, cinematic", "duration": 60,
                "prompts": ["It sets off down the gutter", "It rides a small waterfall", "It drifts into a pond",
                            "Ducks gather around it", "The sun comes out"]},
                "One segment per --prompts entry."),
        ),
    ),
    Workflow(
        name="transition",
        skill=SKILL,
        summary="From one picture to another in 2-15 s, optionally with sound.",
        description=(
            "5 s uses the keyframe mode (wan2.2-kf2v-flash, silent); other lengths (2-15 s) use one wan2.7-i2v job "
            "given both pictures as first_frame and last_frame, so the video ends on the last picture. --audio "
            "lays a sound file under the result."
        ),
        options_model=f"{HERE}.transition:TransitionOptions",
        planner=f"{HERE}.transition:plan",
        examples=(
            WorkflowExample("An 8-second transition", {"first_frame": "dawn.png", "last_frame": "noon.png",
                                                      "duration": 8},
                            "One wan2.7-i2v job with both frames.",
                            files={"dawn.png": "image", "noon.png": "image"}),
            WorkflowExample("A voiced keyframe video", {"first_frame": "a.png", "last_frame": "b.png",
                                                       "audio": "chime.mp3"},
                            "5 s on kf2v (silent), then the chime laid under it.",
                            files={"a.png": "image", "b.png": "image", "chime.mp3": "audio 3"}),
        ),
    ),
    Workflow(
        name="extend",
        skill=SKILL,
        summary="A clip continued by S seconds, joined without repeated footage.",
        description=EXTEND_DESCRIPTION,
        options_model=f"{HERE}.extend:ExtendOptions",
        planner=f"{HERE}.extend:plan",
        operations=JOIN,
        examples=(
            WorkflowExample("Five more seconds", {"video": "clip.mp4", "seconds": 5,
                                                 "prompt": "She lands"},
                            "One 7 s continuation of the clip's last 2 s; the result is the clip plus 5 s.",
                            files={"clip.mp4": "clip 4"}),
        ),
    ),
    Workflow(
        name="soundtrack",
        skill=SKILL,
        summary="A sound file under a clip (local, not billed).",
        description="Replaces the video's sound (or mixes with it: --mix), looping or cutting the audio to the "
                    "video's length, with optional --volume and --fade.",
        options_model=f"{HERE}.soundtrack:SoundtrackOptions",
        planner=f"{HERE}.soundtrack:plan",
        examples=(
            WorkflowExample("Music under a clip", {"video": "clip.mp4", "audio": "music.mp3", "fade": 1.0},
                            "The music replaces the clip's sound, fading in and out.",
                            files={"clip.mp4": "clip 4", "music.mp3": "audio 6"}),
        ),
    ),
    Workflow(
        name="voiced",
        skill=SKILL,
        summary="A silent mode's job (kf2v, vace) with your audio under it.",
        description="Runs the request as its mode command would (the mode told from the request, or --mode), then "
                    "lays the audio under the video it made.",
        options_model=f"{HERE}.voiced:VoicedOptions",
        planner=f"{HERE}.voiced:plan",
        examples=(
            WorkflowExample("A keyframe video with a voice-over", {
                "request": '{"first_frame_url":"a.png","last_frame_url":"b.png"}', "audio": "voice.wav"},
                "kf2v makes 5 silent seconds; the voice-over is laid under them.",
                files={"a.png": "image", "b.png": "image", "voice.wav": "audio 4"}),
        ),
    ),
    Workflow(
        name="storyboard",
        skill=SKILL,
        summary="A film from a JSON/YAML list of scenes: cuts, fades, morphs, music.",
        description=(
            "Each scene {prompt, duration, image or image_prompt, transition} is its own job, so the scenes run "
            "at once: text to video, or image to video from a keyframe given (image) or drawn first by the image "
            "skill (image_prompt). transition into the next scene: cut, fade (crossfade seconds: 'crossfade') or "
            "morph (a 5 s kf2v job from this scene's last frame to the next one's first). Optional 'music' is mixed "
            "under the whole film; 'model' and 'resolution' apply to every scene. YAML needs PyYAML."
        ),
        options_model=f"{HERE}.storyboard:StoryboardOptions",
        planner=f"{HERE}.storyboard:plan",
        operations={"assemble": f"{HERE}.ops:assemble"},
        examples=(
            WorkflowExample("Three scenes and music", {"file": "film.json"}, f"film.json: {STORYBOARD_EXAMPLE}",
                            files={"film.json": "text:" + STORYBOARD_EXAMPLE, "lamp.png": "image",
                                   "theme.mp3": "audio 8"}),
        ),
    ),
)


@hookimpl
def register_workflows(register: Callable[[Workflow], None]) -> None:
    for workflow in WORKFLOWS:
        register(workflow)
