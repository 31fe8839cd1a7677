"""Command line: run the emulator in the foreground, for manual runs and for the host CLI."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Dict, List, Optional, Tuple

from .config import EmulatorConfig
from .models import BUILTIN_MODELS, LEGACY, MODES, ModelSpec
from .server import Emulator


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    config: Optional[EmulatorConfig] = None,
    stop_event: Optional[threading.Event] = None,
) -> int:
    """Start, print the base URL as the first stdout line, serve until SIGINT/SIGTERM.

    ``stop_event`` lets an embedding program (or a thread, where signals cannot
    be caught) end the loop.
    """
    stop = stop_event if stop_event is not None else threading.Event()
    emulator = Emulator(config, host=host, port=port).start()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())
    try:
        print(emulator.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def models_epilog() -> str:
    """The built-in model table, one line per mode, for --help."""
    groups: Dict[str, List[str]] = {}
    for model_id, spec in BUILTIN_MODELS.items():
        label = spec.mode if spec.protocol == LEGACY else f"{spec.mode} ({spec.protocol})"
        groups.setdefault(label, []).append(model_id)
    lines = ["models served (omitted size/resolution: the service's default, 1080P for wan2.5+):"]
    lines += [f"  {label}: {', '.join(ids)}" for label, ids in groups.items()]
    lines.append("wan3.0 models are served on this host too (the real service: workspace hosts only).")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m qwencloud_skills.emulator",
        description="Local emulator of the DashScope video-generation API (prints its base URL, then serves).",
        epilog=models_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--pending-seconds", type=float, default=defaults.pending_seconds)
    parser.add_argument("--generation-seconds", type=float, default=defaults.generation_seconds)
    parser.add_argument("--url-ttl-seconds", type=float, default=defaults.url_ttl_seconds)
    parser.add_argument("--task-ttl-seconds", type=float, default=defaults.task_ttl_seconds)
    parser.add_argument("--max-file-size-mb", type=int, default=defaults.max_file_size_mb)
    parser.add_argument("--fps", type=int, default=defaults.fps)
    parser.add_argument("--media-cache-dir", default=None)
    parser.add_argument("--no-render", action="store_true", help="serve placeholder bytes instead of real MP4s")
    parser.add_argument("--lenient-sizes", action="store_true", help="accept any even W*H, not only presets")
    parser.add_argument(
        "--assumed-input-video-seconds",
        type=float,
        default=defaults.assumed_input_video_seconds,
        help="length taken for input videos given by URL (uploaded oss:// videos are probed)",
    )
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        default=None,
        help="accepted key (repeatable; default: any sk-...)",
    )
    parser.add_argument(
        "--extra-model",
        action="append",
        dest="extra_models",
        default=None,
        metavar="ID=KIND[:MIN-MAX]",
        help="accept another model id, served like KIND (t2v, i2v, kf2v, r2v, vace) with durations MIN-MAX s "
        "(repeatable; for plugin authors trying a model the emulator does not know)",
    )
    return parser


def parse_extra_model(text: str) -> Tuple[str, ModelSpec]:
    """``wan-sketch=t2v:2-10`` -> ("wan-sketch", ModelSpec("t2v", durations=2..10))."""
    model_id, _, rest = text.partition("=")
    kind, _, span = rest.partition(":")
    if not model_id or kind not in MODES:
        raise argparse.ArgumentTypeError(f"--extra-model {text!r}: expected ID=KIND[:MIN-MAX], KIND one of {MODES}")
    durations: Tuple[int, ...] = (5,)
    if span:
        low, _, high = span.partition("-")
        try:
            durations = tuple(range(int(low), int(high or low) + 1))
        except ValueError:
            raise argparse.ArgumentTypeError(f"--extra-model {text!r}: MIN-MAX must be whole seconds") from None
        if not durations or durations[0] < 1:
            raise argparse.ArgumentTypeError(f"--extra-model {text!r}: MIN-MAX must be 1 or more, MIN <= MAX")
    return model_id, ModelSpec(kind, durations=durations)


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        accepted_keys=set(args.api_keys) if args.api_keys else None,
        pending_seconds=args.pending_seconds,
        generation_seconds=args.generation_seconds,
        url_ttl_seconds=args.url_ttl_seconds,
        task_ttl_seconds=args.task_ttl_seconds,
        max_file_size_mb=args.max_file_size_mb,
        media_cache_dir=args.media_cache_dir,
        fps=args.fps,
        render_media=not args.no_render,
        strict_sizes=not args.lenient_sizes,
        assumed_input_video_seconds=args.assumed_input_video_seconds,
        extra_models=dict(parse_extra_model(item) for item in args.extra_models or ()),
    )


def main(argv: Optional[List[str]] = None, prog: Optional[str] = None) -> int:
    parser = build_parser()
    if prog:
        parser.prog = prog
    args = parser.parse_args(argv)
    try:
        config = config_from_args(args)
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    return serve(args.host, args.port, config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
