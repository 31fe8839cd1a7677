"""The media operations as workflow steps: the checked operations, writing into a run's folder.

A workflow names them in its LocalSteps ("frame", "trim", "concat", "add-audio", "mix", "probe");
its own operations (``Workflow.operations``) are looked up first.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict

from ..workflows.spec import StepContext


def _into(ctx: StepContext, suffix: str) -> Dict[str, str]:
    """Where an operation writes: the run's folder, under a name no file has."""
    return {"output": str(ctx.folder) + os.sep, "name": ctx.new_path(suffix).name}


def frame(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import frame_file

    return {"file": str(frame_file(args["file"], args.get("which"), args.get("at"), **_into(ctx, ".png")))}


def trim(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import trim_file

    path = trim_file(args["file"], args.get("start"), args.get("end"), args.get("last"), **_into(ctx, ".mp4"))
    return {"file": str(path)}


def concat(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import concat_files

    path, how = concat_files(list(args["files"]), args.get("crossfade"), **_into(ctx, ".mp4"))
    return {"file": str(path), "how": how}


def add_audio(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import add_audio_file

    path = add_audio_file(args["video"], args["audio"], bool(args.get("mix", False)),
                          float(args.get("volume", 1.0)), float(args.get("fade", 0.0)), **_into(ctx, ".mp4"))
    return {"file": str(path)}


def mix(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import mix_files

    return {"file": str(mix_files(list(args["tracks"]), **_into(ctx, ".m4a")))}


def probe(args: Dict[str, Any], ctx: StepContext) -> Dict[str, Any]:
    from .actions import probe_file

    info = probe_file(args["file"])
    return {"file": args["file"], "seconds": info.duration, "has_audio": info.has_audio, "width": info.width,
            "height": info.height}


HOST_OPERATIONS: Dict[str, Callable[[Dict[str, Any], StepContext], Dict[str, Any]]] = {
    "frame": frame,
    "trim": trim,
    "concat": concat,
    "add-audio": add_audio,
    "mix": mix,
    "probe": probe,
}
