"""The seam between the emulator's core and the services that plugins teach it.

The core plays DashScope's machinery: HTTP, keys, the task clock and states, uploads,
faults, signed result URLs and byte ranges. A :class:`Service`, registered by a plugin
through the ``register_emulator_services`` hook, says what one product accepts and
produces: which endpoint paths it answers, how a submit body is checked and turned into a
:class:`TaskPlan`, and how the finished task's ``output``, ``usage`` and result files look.

Like datasette's output renderers, a service is a plain record of callables: a plugin
needs no subclassing, and the core never names a product.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Union

from .wire import ApiError, Headers

if TYPE_CHECKING:  # pragma: no cover
    from .config import EmulatorConfig

__all__ = [
    "ApiError",
    "ResultContext",
    "ResultFile",
    "ResultUnavailable",
    "Service",
    "SubmitContext",
    "TaskPlan",
    "invalid",
]

Produced = Union[bytes, str, "os.PathLike[str]"]


class ResultUnavailable(RuntimeError):
    """A result file cannot be produced (e.g. a missing renderer); the download answers 500 with this message."""


def invalid(message: str) -> ApiError:
    """The service's usual refusal of a submit body: 400 InvalidParameter."""
    return ApiError(400, "InvalidParameter", message)


def _no_output(urls: Sequence[str]) -> Dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ResultContext:
    """What producing a result file may read: the emulator's settings at download time."""

    config: EmulatorConfig
    cache_dir: str  # a directory the producer may keep files in (shared by the emulators of a process)
    options: Mapping[str, Any]  # the service's options, resolved against EmulatorConfig.options

    @property
    def render(self) -> bool:
        """False: produce cheap placeholder bytes instead of real content (EmulatorConfig.render_media)."""
        return self.config.render_media


@dataclass(frozen=True)
class ResultFile:
    """One file a finished task yields, served from a signed URL with byte ranges.

    ``produce`` is called at most once per task and result (in the background as soon as the
    task is seen finished, or at the first download): it returns the bytes, or the path of a
    file it wrote (large media stay on disk). It may raise :class:`ResultUnavailable`.
    """

    content_type: str
    extension: str  # without the dot: "png", "txt"
    produce: Callable[[ResultContext], Produced]

    def __post_init__(self) -> None:
        if not self.extension.isalnum():
            raise ValueError(f"result extension {self.extension!r} must be letters and digits, without a dot")


@dataclass(frozen=True)
class TaskPlan:
    """An accepted submission: what the task will yield, decided when it is submitted.

    ``output`` gets the signed URLs of ``results`` (in order) and returns the fields a
    SUCCEEDED task (or a synchronous answer) adds to its ``output`` block; ``echo`` fields
    appear at every status (e.g. ``orig_prompt``). ``failure`` makes an accepted task end
    FAILED with (code, message), as the real service does for some inputs. ``details`` is
    the service's own record of the plan; attributes a task does not have are read from it,
    so tests can write ``emu.tasks[task_id].width``.
    """

    model: str
    results: Tuple[ResultFile, ...] = ()
    output: Callable[[Sequence[str]], Dict[str, Any]] = _no_output
    echo: Mapping[str, Any] = field(default_factory=dict)
    usage: Optional[Mapping[str, Any]] = None
    failure: Optional[Tuple[str, str]] = None
    details: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "results", tuple(self.results))


@dataclass(frozen=True)
class SubmitContext:
    """One submit request as a service's ``plan`` sees it."""

    path: str  # the endpoint path it was POSTed to, without the query string or a trailing slash
    payload: Any  # the parsed JSON body (anything: checking its shape is the service's job)
    headers: Headers
    config: EmulatorConfig
    options: Mapping[str, Any]  # the service's options, resolved against EmulatorConfig.options
    oss_resolve: bool  # X-DashScope-OssResourceResolve: enable (oss:// inputs may be read)
    object_bytes: Callable[[str], Optional[bytes]]  # an object uploaded to the emulator, by key
    state: Dict[str, Any]  # this service's scratch space on this emulator (caches, counters)


@dataclass(frozen=True)
class Service:
    """What the emulator answers for one product, registered by the skill's plugin.

    ``paths`` are endpoint paths (e.g. ``/api/v1/services/aigc/<name>/<task>``) answered with
    a task id; they need ``X-DashScope-Async: enable``, like the real asynchronous APIs.
    ``sync_paths`` are answered at once with the finished ``output`` (no async header): the
    results are still served from signed URLs, but no task appears in the task routes. A
    path in both is answered either way, as the header asks. ``plan`` checks a body and
    returns a :class:`TaskPlan`, or raises :class:`ApiError` (see :func:`invalid`).

    ``options`` are the service's knobs with their defaults, overridable per emulator in
    ``EmulatorConfig.options``; ``add_arguments``/``read_arguments`` expose them as command-line
    flags (parsed namespace -> option values). ``model_kinds`` and ``extra_model`` serve
    ``--extra-model ID=KIND[:SPEC]``: (kind, spec) -> the model spec the service expects in
    ``EmulatorConfig.extra_models`` (ValueError for a bad spec). ``describe`` returns the
    ``--help`` lines about what the service serves.
    """

    name: str
    plan: Callable[[SubmitContext], TaskPlan]
    paths: Tuple[str, ...] = ()
    sync_paths: Tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    model_kinds: Tuple[str, ...] = ()
    extra_model: Optional[Callable[[str, str], Any]] = None
    describe: Optional[Callable[[], str]] = None
    add_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None
    read_arguments: Optional[Callable[[argparse.Namespace], Mapping[str, Any]]] = None
    model_limits: Mapping[str, Any] = field(default_factory=dict)
    mean_seconds: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a service needs a name")
        for attribute in ("paths", "sync_paths"):
            paths = tuple(normalize_path(path) for path in getattr(self, attribute))
            object.__setattr__(self, attribute, paths)
        if not self.paths and not self.sync_paths:
            raise ValueError(f"service {self.name!r} answers no path: give paths or sync_paths")
        object.__setattr__(self, "model_kinds", tuple(self.model_kinds))

    def resolve_options(self, config: EmulatorConfig) -> Dict[str, Any]:
        """The declared options, each overridden by EmulatorConfig.options when set there."""
        resolved = dict(self.options)
        resolved.update({name: value for name, value in config.options.items() if name in self.options})
        return resolved


def normalize_path(path: str) -> str:
    """Paths compare without a trailing slash (the service accepts both)."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"service path {path!r} must start with '/'")
    return path.rstrip("/") or "/"
