"""qwencloud-skills: the core host for DashScope (Wan) skills and their plugins.

The public API is importable from here: the task clients, the records a plugin
registers, ``hookimpl``, the errors to catch and ``__version__``. Each name is
imported on first use (PEP 562), so ``import qwencloud_skills`` stays cheap:
heavy modules (httpx, pydantic, pluggy, plugin code) load only when needed.
"""

from __future__ import annotations

__version__ = "0.1.0"
DISTRIBUTION = "qwencloud-skills"

# public name -> the module (relative to this package) that defines it
_HOMES: Dict[str, str] = {
    # library use
    "TaskClient": "tasks",
    "AsyncTaskClient": "tasks",
    "Result": "tasks",
    "TaskStatus": "tasks",
    # writing a plugin
    "hookimpl": "hookspecs",
    "Skill": "registry",
    "Mode": "registry",
    "ModelSpec": "registry",
    "Output": "registry",
    "DetectionRule": "registry",
    "Example": "registry",
    "PixelBounds": "registry",
    "FieldIssue": "errors",
    "FieldProblem": "errors",
    # errors and warnings to catch
    "QwenSkillsError": "errors",
    "ConfigError": "errors",
    "MissingApiKeyError": "errors",
    "InvalidApiKeyError": "errors",
    "InvalidRequestError": "errors",
    "ServiceError": "errors",
    "TransportError": "errors",
    "UnknownSubmitOutcomeError": "errors",
    "TaskFailedError": "errors",
    "TaskTimeoutError": "errors",
    "DownloadError": "errors",
    "OutputLocationError": "errors",
    "UnknownModelWarning": "validation",
}

__all__ = [
    "DISTRIBUTION", "__version__",
    "TaskClient", "AsyncTaskClient", "Result", "TaskStatus",
    "hookimpl", "Skill", "Mode", "ModelSpec", "Output", "DetectionRule", "Example", "PixelBounds",
    "FieldIssue", "FieldProblem",
    "QwenSkillsError", "ConfigError", "MissingApiKeyError", "InvalidApiKeyError", "InvalidRequestError",
    "ServiceError", "TransportError", "UnknownSubmitOutcomeError", "TaskFailedError", "TaskTimeoutError",
    "DownloadError", "OutputLocationError", "UnknownModelWarning",
]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors; at run time see __getattr__
    from typing import Any, Dict, List

    from .errors import (
        ConfigError,
        DownloadError,
        FieldIssue,
        FieldProblem,
        InvalidApiKeyError,
        InvalidRequestError,
        MissingApiKeyError,
        OutputLocationError,
        QwenSkillsError,
        ServiceError,
        TaskFailedError,
        TaskTimeoutError,
        TransportError,
        UnknownSubmitOutcomeError,
    )
    from .hookspecs import hookimpl
    from .registry import DetectionRule, Example, Mode, ModelSpec, Output, PixelBounds, Skill
    from .tasks import AsyncTaskClient, Result, TaskClient, TaskStatus
    from .validation import UnknownModelWarning


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(__all__))
