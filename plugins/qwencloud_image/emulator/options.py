"""The image service's knobs and command-line flags, and what its --help says it serves."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any, Dict, Mapping, Tuple

from .models import (
    BUILTIN_MODELS,
    IMAGE2IMAGE,
    IMAGE_GENERATION,
    KINDS,
    MULTIMODAL,
    TEXT2IMAGE,
    ImageModelSpec,
    served_on,
)

FAILED_RESULTS = "image_failed_results"

# name -> default; EmulatorConfig.options overrides them per emulator.
OPTIONS: Mapping[str, Any] = {
    # 0-based indexes of the results of every image request that fail with DataInspectionFailed (the others
    # are made); when all of a request's results fail, the task fails (a synchronous call answers 400).
    FAILED_RESULTS: (),
}


def failed_indexes(value: Any) -> Tuple[int, ...]:
    """The option's value as indexes: an int, a list of ints, or "0,2"."""
    if isinstance(value, bool):
        return ()
    if isinstance(value, int):
        return (value,)
    if isinstance(value, str):
        value = [part for part in value.replace(" ", "").split(",") if part]
    try:
        return tuple(int(item) for item in value or ())
    except (TypeError, ValueError):
        raise ValueError(f"{FAILED_RESULTS} must be result indexes such as [0] or '0,2', got {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--image-failed-results", default="", metavar="I[,J...]",
                        help="0-based indexes of the image results that fail with DataInspectionFailed")


def read_arguments(args: argparse.Namespace) -> Dict[str, Any]:
    try:
        return {FAILED_RESULTS: failed_indexes(args.image_failed_results)}
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def extra_model(kind: str, spec: str) -> ImageModelSpec:
    """``--extra-model ID=KIND``: a new image model served like KIND's built-in model."""
    if spec:
        raise ValueError(f"image kinds take no SPEC (got {spec!r}): the model is served like {KINDS[kind]}")
    return BUILTIN_MODELS[KINDS[kind]]


def describe() -> str:
    lines = ["image models served (n and size left out: the documented defaults, e.g. 4 images on wan2.6-t2i):"]
    for endpoint in (MULTIMODAL, IMAGE_GENERATION, TEXT2IMAGE, IMAGE2IMAGE):
        style = "synchronous" if endpoint == MULTIMODAL else "tasks"
        lines += textwrap.wrap(f"{endpoint} ({style}): {', '.join(served_on(endpoint))}", 116,
                               initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False)
    kinds = ", ".join(f"{kind} (like {model})" for kind, model in KINDS.items())
    lines += textwrap.wrap(f"--extra-model ID=KIND for images: KIND one of {kinds}.", 118, subsequent_indent="  ",
                           break_on_hyphens=False)
    return "\n".join(lines)
