"""The video service's knobs and command-line flags, and what its --help says it serves."""

from __future__ import annotations

import argparse
from typing import Any, Dict, List, Mapping, Tuple

from .models import BUILTIN_MODELS, LEGACY, MODES, ModelSpec

# name -> default; EmulatorConfig.options overrides them per emulator.
OPTIONS: Mapping[str, Any] = {
    "fps": 8,  # frames per second of the rendered results
    "strict_sizes": True,  # False: accept any even W*H up to 4096, not only the published presets
    # Length taken for input videos given by URL (uploaded oss:// videos are probed).
    "assumed_input_video_seconds": 5.0,
    # How long fetching one http(s) input shown in a result may take (0: never fetch; the pattern shows).
    "input_fetch_seconds": 5.0,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fps", type=int, default=OPTIONS["fps"], help="frames per second of rendered videos")
    parser.add_argument("--lenient-sizes", action="store_true", help="accept any even W*H, not only presets")
    parser.add_argument(
        "--assumed-input-video-seconds",
        type=float,
        default=OPTIONS["assumed_input_video_seconds"],
        help="length taken for input videos given by URL (uploaded oss:// videos are probed)",
    )
    parser.add_argument(
        "--input-fetch-seconds",
        type=float,
        default=OPTIONS["input_fetch_seconds"],
        help="time allowed to fetch an http(s) first/last frame or clip shown in a result (0: never fetch)",
    )


def read_arguments(args: argparse.Namespace) -> Dict[str, Any]:
    return {
        "fps": args.fps,
        "strict_sizes": not args.lenient_sizes,
        "assumed_input_video_seconds": args.assumed_input_video_seconds,
        "input_fetch_seconds": args.input_fetch_seconds,
    }


def extra_model(kind: str, span: str) -> ModelSpec:
    """``--extra-model ID=KIND[:MIN-MAX]``: served like KIND, with durations MIN..MAX seconds (default 5)."""
    durations: Tuple[int, ...] = (5,)
    if span:
        low, _, high = span.partition("-")
        try:
            durations = tuple(range(int(low), int(high or low) + 1))
        except ValueError:
            raise ValueError("MIN-MAX must be whole seconds") from None
        if not durations or durations[0] < 1:
            raise ValueError("MIN-MAX must be 1 or more, MIN <= MAX")
    return ModelSpec(kind, durations=durations)


def describe() -> str:
    """The built-in model table, one line per mode, for --help."""
    groups: Dict[str, List[str]] = {}
    for model_id, spec in BUILTIN_MODELS.items():
        label = spec.mode if spec.protocol == LEGACY else f"{spec.mode} ({spec.protocol})"
        groups.setdefault(label, []).append(model_id)
    lines = ["video models served (omitted size/resolution: the service's default, 1080P for wan2.5+):"]
    lines += [f"  {label}: {', '.join(ids)}" for label, ids in groups.items()]
    lines.append("wan3.0 models are served on this host too (the real service: workspace hosts only).")
    lines.append(f"--extra-model ID=KIND[:MIN-MAX] for video: KIND one of {', '.join(MODES)}, durations MIN-MAX s.")
    return "\n".join(lines)
