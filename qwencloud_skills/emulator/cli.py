"""Command line: run the emulator in the foreground, for manual runs and for the host CLI."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .config import GENERATION_MODELS, EmulatorConfig
from .server import Emulator
from .service import Service
from .services import discover


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


def services_epilog(services: Sequence[Service]) -> str:
    """What the registered services serve, as each describes itself, for --help."""
    parts = [service.describe().rstrip() for service in services if service.describe is not None]
    if not services:
        parts.append("no service is registered: install a skill's plugin (or add one with Emulator.add_service).")
    return "\n\n".join(part for part in parts if part)


def build_parser(services: Optional[Sequence[Service]] = None) -> argparse.ArgumentParser:
    """The emulator's flags plus those of the services (default: the registered ones)."""
    services = discover() if services is None else list(services)
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(
        prog="python -m qwencloud_skills.emulator",
        description="Local emulator of the DashScope API and the services plugins register "
        "(prints its base URL, then serves).",
        epilog=services_epilog(services),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(_services=services)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--pending-seconds", type=float, default=defaults.pending_seconds)
    parser.add_argument("--generation-seconds", type=float, default=defaults.generation_seconds)
    parser.add_argument("--url-ttl-seconds", type=float, default=defaults.url_ttl_seconds)
    parser.add_argument("--task-ttl-seconds", type=float, default=defaults.task_ttl_seconds)
    parser.add_argument("--max-file-size-mb", type=int, default=defaults.max_file_size_mb)
    parser.add_argument("--media-cache-dir", default=None, help="where result files are kept (default: a temp dir)")
    parser.add_argument("--no-render", action="store_true", help="serve placeholder bytes instead of real results")
    parser.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        default=None,
        help="accepted key (repeatable; default: any sk-...)",
    )
    kinds = ", ".join(kind for service in services for kind in service.model_kinds) or "none"
    parser.add_argument(
        "--extra-model",
        action="append",
        dest="extra_models",
        default=None,
        metavar="ID=KIND[:SPEC]",
        help=f"accept another model id, served like KIND ({kinds}) with the service's SPEC "
        "(repeatable; for plugin authors trying a model the emulator does not know)",
    )
    add_quota_arguments(parser)
    for service in services:
        if service.add_arguments is not None:
            service.add_arguments(parser)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _count(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {low}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {low}, got {text!r}")
        return value

    return parse


def add_quota_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags for the per-account limits and the drawn generation times."""
    group = parser.add_argument_group("service limits and timing")
    group.add_argument("--enforce-quotas", action="store_true",
                       help="apply the per-account limits: submits per second (429 Throttling.RateQuota with "
                       "Retry-After), tasks running at once (the rest wait PENDING), queue length, 20 task "
                       "queries per second")
    group.add_argument("--submit-rate-limit", type=_positive_float, default=None, metavar="PER_SECOND",
                       help="submits per second per account and model (default: the model's)")
    group.add_argument("--concurrency-limit", type=_count(1), default=None, metavar="N",
                       help="tasks running at once per account and model (default: the model's)")
    group.add_argument("--queue-limit", type=_count(0), default=None, metavar="N",
                       help="tasks waiting PENDING per account and model (default: the model's)")
    group.add_argument("--query-rate-limit", type=_positive_float, default=None, metavar="PER_SECOND",
                       help="task query / list / cancel requests per second per account (default: 20)")
    group.add_argument("--generation-model", choices=GENERATION_MODELS, default=None,
                       help="draw each task's generation time from its model, duration and size "
                       "(default: the fixed --generation-seconds)")
    group.add_argument("--time-scale", type=_positive_float, default=1.0, metavar="FACTOR",
                       help="multiply drawn generation times (0.01: a hundred times faster)")
    group.add_argument("--seed", type=int, default=None, help="seed the drawn times, for reproducible runs")


def parse_extra_model(text: str, services: Sequence[Service]) -> Tuple[str, Any]:
    """``ID=KIND[:SPEC]`` -> (ID, the model spec of the service serving KIND)."""
    model_id, _, rest = text.partition("=")
    kind, _, spec = rest.partition(":")
    owner = next((s for s in services if kind in s.model_kinds and s.extra_model is not None), None)
    if not model_id or owner is None or owner.extra_model is None:
        kinds = tuple(k for s in services for k in s.model_kinds)
        raise argparse.ArgumentTypeError(f"--extra-model {text!r}: expected ID=KIND[:SPEC], KIND one of {kinds}")
    try:
        return model_id, owner.extra_model(kind, spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--extra-model {text!r}: {exc}") from None


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    """The configuration the parsed flags ask for (the services read their own flags)."""
    found = getattr(args, "_services", None)
    services: Sequence[Service] = discover() if found is None else found
    options: Dict[str, Any] = {}
    for service in services:
        if service.read_arguments is not None:
            options.update(service.read_arguments(args))
    return EmulatorConfig(
        accepted_keys=set(args.api_keys) if args.api_keys else None,
        pending_seconds=args.pending_seconds,
        generation_seconds=args.generation_seconds,
        url_ttl_seconds=args.url_ttl_seconds,
        task_ttl_seconds=args.task_ttl_seconds,
        max_file_size_mb=args.max_file_size_mb,
        media_cache_dir=args.media_cache_dir,
        render_media=not args.no_render,
        extra_models=dict(parse_extra_model(item, services) for item in args.extra_models or ()),
        options=options,
        enforce_quotas=args.enforce_quotas,
        submit_rate_limit=args.submit_rate_limit,
        concurrency_limit=args.concurrency_limit,
        queue_limit=args.queue_limit,
        query_rate_limit=args.query_rate_limit,
        generation_model=args.generation_model,
        time_scale=args.time_scale,
        seed=args.seed,
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
