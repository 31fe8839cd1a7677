"""The video service record: its endpoints, its submit checks and what a finished task yields."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Dict, Optional, Sequence

from qwencloud_skills.emulator.service import ResultContext, ResultFile, Service, SubmitContext, TaskPlan

from .facts import FactFinder
from .inputs import ShownInputs, capture
from .limits import MEAN_SECONDS, MODEL_LIMITS
from .media import MediaRenderer, MediaSpec
from .models import LEGACY, MODES
from .options import OPTIONS, add_arguments, describe, extra_model, read_arguments
from .submit import Plan, plan_submission
from .usage import usage_of

ENDPOINTS = ("video-generation", "image2video")
SUBMIT_PATHS = tuple(f"/api/v1/services/aigc/{endpoint}/video-synthesis" for endpoint in ENDPOINTS)
RENDERER = MediaRenderer()  # thread-safe; its files are keyed by what they show, so emulators share them


def plan(context: SubmitContext) -> TaskPlan:
    """Check one submit body (raising the service's 400s) and plan its single MP4."""
    endpoint = context.path.rstrip("/").split("/")[-2]
    finder = context.state.setdefault("facts", FactFinder(context.object_bytes))  # probes cached per emulator
    video = plan_submission(
        endpoint,
        context.payload,
        extra_models=context.config.extra_models,
        strict_sizes=bool(context.options["strict_sizes"]),
        facts=finder.lookup(context.config.input_media, probe=context.oss_resolve),
        assumed_video_seconds=float(context.options["assumed_input_video_seconds"]),
    )
    inputs, params = context.payload["input"], context.payload.get("parameters") or {}
    prompt = inputs.get("prompt")
    echo = {"orig_prompt": prompt} if isinstance(prompt, str) and prompt else {}
    extends = bool(echo) and params.get("prompt_extend", True) is not False and video.protocol == LEGACY

    def output(urls: Sequence[str]) -> Dict[str, Any]:
        fields: Dict[str, Any] = {}
        if extends:  # wan2.7 / wan3.0 answer orig_prompt only
            fields["actual_prompt"] = f"{prompt} (emulated prompt extension)"
        fields["video_url"] = urls[0]
        return fields

    shown = capture(video.mode, video.protocol, inputs, context.oss_resolve, context.object_bytes)
    result = ResultFile("video/mp4", "mp4", lambda result_context: render(video, result_context, shown))
    return TaskPlan(
        model=video.model,
        results=(result,),
        output=output,
        echo=echo,
        usage=usage_of(video),
        failure=video.failure,
        details=video,
    )


def render(video: Plan, context: ResultContext, shown: Optional[ShownInputs] = None) -> str:
    """The path of the task's MP4 (a placeholder when rendering is off), showing the inputs that can be read."""
    fps = max(1, int(context.options["fps"]))
    spec = MediaSpec(video.width, video.height, video.duration, video.audio, fps)
    if context.render and shown is not None and shown.urls:
        spec = replace(spec, sources=shown.sources(float(context.options["input_fetch_seconds"])))
    return RENDERER.ensure(spec, context.cache_dir, context.render)


SERVICE = Service(
    name="video",
    plan=plan,
    paths=SUBMIT_PATHS,
    options=OPTIONS,
    model_kinds=MODES,
    extra_model=extra_model,
    describe=describe,
    add_arguments=add_arguments,
    read_arguments=read_arguments,
    model_limits=MODEL_LIMITS,
    mean_seconds=MEAN_SECONDS,
)
