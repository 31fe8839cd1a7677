"""Throwaway third-party plugins for the manifest tests, installed with the ``install_plugin`` fixture."""

from __future__ import annotations

# A new mode for the first-party video skill, with a detection key, notes and two examples.
STABILIZE_MODE = '''
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode, ModelSpec


class StabilizeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shaky_video_url: str = Field(description="The shaky clip to steady: URL or local path.")
    smoothing: Optional[float] = Field(None, description="0.0-1.0, how hard to smooth the camera path.")


class Stabilizer(ModelSpec):
    def describe(self):
        return {"input": "clips up to 60 s", "smoothing": "0.0-1.0"}


def build(request, model_id):
    parameters = {} if request.smoothing is None else {"smoothing": request.smoothing}
    return {"model": model_id, "input": {"video_url": request.shaky_video_url}, "parameters": parameters}


@hookimpl
def register_modes(register):
    register(Mode(
        name="acme-stabilize",
        skill="qwencloud-video-generation",
        summary="Steady a shaky hand-held clip.",
        endpoint="/services/aigc/video-generation/video-stabilize",
        default_model="acme-steady-1",
        request_model=StabilizeRequest,
        build_payload=build,
        models=[Stabilizer("acme-steady-1", "the steadier", recommended=True)],
        detection=DetectionRule(keys=("shaky_video_url",), priority=45),
        file_fields=("shaky_video_url",),
        examples=(
            Example("Steady a walk", {"shaky_video_url": "https://example.com/walk.mp4"},
                    description="Default smoothing."),
            Example("Very smooth", {"shaky_video_url": "clip.mp4", "smoothing": 0.9}, model="acme-steady-1"),
        ),
        notes=("Keeps the input's length and sound; acme-stabilize never changes the content.",),
    ))
'''

# A model added to the first-party t2v mode.
LONGER_T2V_MODEL = '''
from qwencloud_skills import hookimpl
from qwencloud_video.catalog import AUDIO_AUTO, VideoModel, sizes_for, span


@hookimpl
def register_models(register):
    register("t2v", VideoModel(
        id="acme-wan-long-t2v",
        summary="Text to video up to 30 s",
        durations=span(2, 30),
        default_duration=5,
        sizes=sizes_for("720P"),
        default_size="1280*720",
        resolutions=("720P",),
        audio=AUDIO_AUTO,
        prompt_max=1500,
    ))
'''

# A whole second skill from another package, without a console script of its own.
AUDIO_SKILL = '''
from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills import hookimpl
from qwencloud_skills.registry import Example, Mode, ModelSpec, Skill

SKILL = "acme-audio-tools"


class CleanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    audio_url: str = Field(description="Recording to clean up: URL or local path.")


@hookimpl
def register_skills(register):
    register(Skill(
        name=SKILL,
        domain="audio",
        title="Acme audio tools",
        description=("Clean up voice recordings with Acme's service. TRIGGER when: the user wants noise removed "
                     "from a recording. DO NOT TRIGGER when: the user wants music or speech generated."),
    ))


@hookimpl
def register_modes(register):
    register(Mode(
        name="clean",
        skill=SKILL,
        summary="Remove background noise from a recording.",
        endpoint="/services/audio/clean",
        default_model="acme-clean-1",
        request_model=CleanRequest,
        build_payload=lambda r, m: {"model": m, "input": {"audio_url": r.audio_url}, "parameters": {}},
        models=[ModelSpec("acme-clean-1", "the cleaner")],
        file_fields=("audio_url",),
        examples=(Example("Clean a memo", {"audio_url": "memo.wav"}),),
    ))
'''

# A mode whose own example breaks its rules: the build must refuse it.
BROKEN_EXAMPLE = '''
from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode, ModelSpec


class Req(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sketch_url: str = Field(description="Line drawing")


@hookimpl
def register_modes(register):
    register(Mode(
        name="acme-sketch", skill="qwencloud-video-generation", summary="Animate a sketch",
        endpoint="/x", default_model="acme-sketch-1", request_model=Req,
        build_payload=lambda r, m: {"model": m, "input": {}, "parameters": {}},
        models=[ModelSpec("acme-sketch-1")], detection=DetectionRule(keys=("sketch_url",), priority=5),
        examples=(Example("wrong field", {"sketch": "a.png"}),),
    ))
'''

# A whole second skill whose jobs answer at once with pictures: its own Output, docs that extend and replace.
IMAGE_SKILL = '''
from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills import hookimpl
from qwencloud_skills.registry import Example, Mode, ModelSpec, Output, Skill

SKILL = "acme-image-studio"

DOCS = {
    "models": "## Picking a painter\\n\\nAcme-paint-1 suits posters; ask the user about the style first.",
    "examples": "<!-- replace -->\\n# Acme painting recipes\\n\\nHand-written recipes instead of the host's list.",
    "styles": "# Styles the painter knows\\n\\nWatercolour, ink and poster styles.",
}


class PaintRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(description="What to paint.")
    sketch_url: str = Field("", description="Optional line drawing: URL or local path.")


@hookimpl
def register_skills(register):
    register(Skill(
        name=SKILL,
        domain="studio",
        title="Acme image studio",
        description=("Paint pictures with Acme's service. TRIGGER when: the user wants a picture painted. "
                     "DO NOT TRIGGER when: the user wants sound."),
        cli_name="acme-image",
        docs=DOCS,
        output=Output(noun="image", extension=".png", stem="picture", asynchronous=False,
                      billing="Each painted image is billed once."),
    ))


@hookimpl
def register_modes(register):
    register(Mode(
        name="paint",
        skill=SKILL,
        summary="Paint a picture from a description.",
        endpoint="/services/aigc/image/paint",
        default_model="acme-paint-1",
        request_model=PaintRequest,
        build_payload=lambda r, m: {"model": m, "input": {"prompt": r.prompt}, "parameters": {}},
        models=[ModelSpec("acme-paint-1", "the painter")],
        file_fields=("sketch_url",),
        examples=(Example("A poster", {"prompt": "A lighthouse at dawn, poster style"}),),
    ))
'''

# An asynchronous mode for the image skill above: the skill then has polling pages and options.
UPSCALE_MODE = '''
from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode, ModelSpec, Output


class UpscaleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image_url: str = Field(description="The picture to enlarge: URL or local path.")


@hookimpl
def register_modes(register):
    register(Mode(
        name="upscale",
        skill="acme-image-studio",
        summary="Enlarge a picture four times, in the background.",
        endpoint="/services/aigc/image/upscale",
        default_model="acme-upscale-1",
        request_model=UpscaleRequest,
        build_payload=lambda r, m: {"model": m, "input": {"image_url": r.image_url}, "parameters": {}},
        models=[ModelSpec("acme-upscale-1", "the enlarger")],
        detection=DetectionRule(keys=("image_url",), priority=10),
        file_fields=("image_url",),
        examples=(Example("Enlarge", {"image_url": "https://example.com/small.png"}),),
        output=Output(noun="image", extension=".png", stem="picture", asynchronous=True,
                      billing="Upscaling is billed per output megapixel."),
    ))
'''
