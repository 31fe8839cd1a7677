"""The image service record: its endpoints, its submit checks, and the answer shapes of each endpoint."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Sequence

from qwencloud_skills.emulator.service import ResultFile, Service, SubmitContext, TaskPlan

from .models import IMAGE2IMAGE, IMAGE_GENERATION, KINDS, MESSAGE_ENDPOINTS, MULTIMODAL, QWEN, TEXT2IMAGE
from .options import FAILED_RESULTS, OPTIONS, add_arguments, describe, extra_model, failed_indexes, read_arguments
from .png import png
from .submit import ImagePlan, plan_submission

PREFIX = "/api/v1/services/aigc"
TASK_PATHS = (f"{PREFIX}/{IMAGE_GENERATION}/generation", f"{PREFIX}/{TEXT2IMAGE}/image-synthesis",
              f"{PREFIX}/{IMAGE2IMAGE}/image-synthesis")
SYNC_PATHS = (f"{PREFIX}/{MULTIMODAL}/generation",)
FAILED_CODE = "DataInspectionFailed"
FAILED_MESSAGE = "Output data may contain inappropriate content."


def plan(context: SubmitContext) -> TaskPlan:
    """Check one submit body (raising the service's 400s) and plan its PNGs."""
    endpoint = context.path.rstrip("/").split("/")[-2]
    image = plan_submission(
        endpoint,
        context.payload,
        extra_models=context.config.extra_models,
        input_media=context.config.input_media,
        object_bytes=context.object_bytes,
        oss_resolve=context.oss_resolve,
        failed_results=failed_indexes(context.options[FAILED_RESULTS]),
    )
    made = [index for index in range(image.count) if index not in image.failed]
    results = tuple(
        ResultFile("image/png", "png", lambda result_context, variant=index: png(image.width, image.height, variant))
        for index in made
    )
    failure = None
    if not made:
        failure = (FAILED_CODE, f"{FAILED_MESSAGE} (emulated: all {image.count} results failed)")
    shape = choices_output if endpoint in MESSAGE_ENDPOINTS else results_output
    return TaskPlan(
        model=image.model,
        results=results,
        output=lambda urls: shape(image, urls),
        usage=usage_of(image, endpoint),
        failure=failure,
        details=image,
    )


def _urls(image: ImagePlan, urls: Sequence[str]) -> Iterator[Any]:
    """Each result in order: its URL, or None when it failed."""
    remaining = iter(urls)
    for index in range(image.count):
        yield None if index in image.failed else next(remaining)


def results_output(image: ImagePlan, urls: Sequence[str]) -> Dict[str, Any]:
    """text2image / image2image: ``results[]`` with url and prompts, or code/message for a failed item."""
    items: List[Dict[str, Any]] = []
    for index, url in enumerate(_urls(image, urls)):
        if url is None:
            items.append({"code": FAILED_CODE, "message": f"{FAILED_MESSAGE} (emulated: {FAILED_RESULTS} has {index})"})
            continue
        item = {"url": url, "orig_prompt": image.prompt}
        if image.prompt_extend:
            item["actual_prompt"] = f"{image.prompt} (emulated prompt extension)"
        items.append(item)
    metrics = {"TOTAL": image.count, "SUCCEEDED": image.made, "FAILED": len(image.failed)}
    return {"results": items, "task_metrics": metrics}


def choices_output(image: ImagePlan, urls: Sequence[str]) -> Dict[str, Any]:
    """Messages endpoints: one choice whose content lists the images (interleaved with text when asked).

    The docs give this shape no per-item failure, so a failed image is left out.
    """
    content: List[Dict[str, Any]] = []
    for index, url in enumerate(_urls(image, urls)):
        if url is None:
            continue
        if image.interleave:
            content.append({"type": "text", "text": f"Step {index + 1}: {image.prompt}"})
        content.append({"type": "image", "image": url})
    message = {"role": "assistant", "content": content}
    return {"choices": [{"finish_reason": "stop", "message": message}], "finished": True}


def usage_of(image: ImagePlan, endpoint: str) -> Mapping[str, Any]:
    """Billed images only; messages answers add the size (wan: "W*H", qwen: width and height)."""
    usage: Dict[str, Any] = {"image_count": image.made}
    if endpoint in MESSAGE_ENDPOINTS:
        if image.usage_style == QWEN:
            usage.update(width=image.width, height=image.height)
        else:
            usage["size"] = image.size
    return usage


SERVICE = Service(
    name="image",
    plan=plan,
    paths=TASK_PATHS,
    sync_paths=SYNC_PATHS,
    options=OPTIONS,
    model_kinds=tuple(KINDS),
    extra_model=extra_model,
    describe=describe,
    add_arguments=add_arguments,
    read_arguments=read_arguments,
)
