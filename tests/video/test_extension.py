"""Third-party plugins extend the video skill through entry points, with no edit to first-party code."""

from __future__ import annotations

import warnings

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.plugins import get_registry
from qwencloud_skills.registry import UnknownModelWarning

from .util import SKILL, issue

NEW_MODE_PLUGIN = '''
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qwencloud_skills import hookimpl
from qwencloud_skills.errors import FieldIssue, FieldProblem
from qwencloud_skills.registry import DetectionRule, Example, Mode, ModelSpec


class UpscaleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    video_url: str = Field(description="Video to upscale: URL or local path")
    upscale_factor: int = Field(description="2, 3 or 4")
    denoise: Optional[bool] = Field(None, description="Remove grain first")

    @field_validator("upscale_factor")
    @classmethod
    def _factor(cls, value):
        if value not in (2, 3, 4):
            raise FieldProblem(FieldIssue("upscale_factor", value, "unsupported factor", "2, 3, 4", "use 2"))
        return value


def build(request, model_id):
    parameters = {"factor": request.upscale_factor}
    if request.denoise is not None:
        parameters["denoise"] = request.denoise
    return {"model": model_id, "input": {"video_url": request.video_url}, "parameters": parameters}


@hookimpl
def register_modes(register):
    register(Mode(
        name="acme-upscale",
        skill="qwencloud-video-generation",
        summary="Upscale a finished video",
        endpoint="/services/aigc/video-generation/video-upscale",
        default_model="acme-upscaler-1",
        request_model=UpscaleRequest,
        build_payload=build,
        models=[ModelSpec("acme-upscaler-1", "the only upscaler")],
        detection=DetectionRule(keys=("upscale_factor",), priority=60),
        file_fields=("video_url",),
        examples=(
            Example("double", {"video_url": "https://example.com/a.mp4", "upscale_factor": 2}),
            Example("clean and triple", {"video_url": "clip.mp4", "upscale_factor": 3, "denoise": True}),
        ),
    ))
'''

NEW_MODEL_PLUGIN = '''
from qwencloud_skills import hookimpl
from qwencloud_video.catalog import AUDIO_AUTO, VideoModel, sizes_for, span


@hookimpl
def register_models(register):
    register("t2v", VideoModel(
        id="acme-t2v-long",
        summary="Longer text-to-video",
        durations=span(2, 20),
        default_duration=5,
        sizes=sizes_for("720P", "1080P"),
        default_size="1920*1080",
        resolutions=("720P", "1080P"),
        audio=AUDIO_AUTO,
        multi_shot=True,
        prompt_max=1500,
    ))
'''


@pytest.fixture
def strict_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_a_plugin_adds_a_new_mode_to_the_video_skill(install_plugin, strict_warnings):
    install_plugin("acme_upscale", NEW_MODE_PLUGIN, dist="acme-upscale")
    registry = get_registry()
    added = registry.mode("acme-upscale", SKILL)
    assert added.plugin == "acme_upscale"
    assert [mode.name for mode in registry.modes_of(SKILL)][:5] == ["i2v", "kf2v", "r2v", "t2v", "vace"]

    request = {"video_url": "https://example.com/a.mp4", "upscale_factor": 4, "denoise": False}
    assert registry.detect_mode(request, skill=SKILL) is added
    body = added.payload(added.validate(request))
    assert body == {
        "model": "acme-upscaler-1",
        "input": {"video_url": "https://example.com/a.mp4"},
        "parameters": {"factor": 4, "denoise": False},
    }
    assert added.endpoint == "/services/aigc/video-generation/video-upscale"
    for example in added.examples:
        added.validate(example.request)

    with pytest.raises(InvalidRequestError) as caught:
        added.validate({"video_url": "a.mp4", "upscale_factor": 5})
    issue(caught.value, "upscale_factor", 5)

    # The first-party modes are untouched.
    assert registry.detect_mode({"prompt": "A cat"}, skill=SKILL).name == "t2v"
    assert registry.detect_mode({"function": "video_edit"}, skill=SKILL).name == "vace"


def test_a_plugin_adds_a_model_whose_limits_validation_uses(install_plugin, strict_warnings):
    install_plugin("acme_wan27", NEW_MODEL_PLUGIN, dist="acme-wan27")
    registry = get_registry()
    t2v = registry.mode("t2v", SKILL)
    assert "acme-t2v-long" in t2v.model_ids
    assert "model:t2v/acme-t2v-long" in registry.plugin_contributions["acme_wan27"]

    long_video = {"prompt": "A very long sunset", "duration": 20}
    validated = t2v.validate(long_video, "acme-t2v-long")  # no UnknownModelWarning: strict_warnings would raise
    # The model's own default size is stated (money defaults), next to the duration given.
    assert t2v.payload(validated, "acme-t2v-long")["parameters"] == {"duration": 20, "size": "1920*1080"}

    with pytest.raises(InvalidRequestError) as caught:
        t2v.validate(long_video, "wan2.6-t2v")
    assert issue(caught.value, "duration", 20).allowed == "2-15 s"

    with pytest.raises(InvalidRequestError) as caught:
        t2v.validate({"prompt": "Too long", "duration": 21}, "acme-t2v-long")
    assert issue(caught.value, "duration", 21).allowed == "2-20 s"


def test_without_the_model_plugin_the_model_is_unknown_and_not_blocked():
    t2v = get_registry().mode("t2v", SKILL)
    assert "acme-t2v-long" not in t2v.model_ids
    with pytest.warns(UnknownModelWarning):
        t2v.validate({"prompt": "Long", "duration": 20}, "acme-t2v-long")
