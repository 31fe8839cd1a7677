"""What every tool answers: structured JSON plus a short text, with no key and no raw service text.

A tool that fails answers like one that succeeds (an error result, ``isError``), never with a
traceback: our errors already say field, value, what is allowed and the fix. Everything leaving
the server passes :func:`scrub` last, so a key (ours or one the service echoed) is masked and
text written by the service carries no escape or control characters.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

# (progress so far, total or None, message or None): reported to the client while a tool waits
Progress = Callable[[float, Optional[float], Optional[str]], None]


@dataclass
class Reply:
    """One tool result before it becomes MCP types: ``data`` is the structured content."""

    data: Dict[str, Any]
    text: str
    error: bool = False
    notes: List[str] = field(default_factory=list)  # extra lines after the text (update-check signals)

    def full_text(self) -> str:
        return "\n".join([self.text, *self.notes]) if self.notes else self.text


def scrub(value: Any) -> Any:
    """``value`` with every string cleaned (control characters out, keys masked), at any depth."""
    from ..servicetext import clean

    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {str(key): scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return clean(str(value))


def finished(reply: Reply) -> Reply:
    """The reply as it leaves: JSON-safe, cleaned, keys masked."""
    data = json.loads(json.dumps(reply.data, ensure_ascii=False, default=str))
    return Reply(scrub(data), scrub(reply.full_text()), reply.error)


def failure(exc: BaseException) -> Reply:
    """An error result for anything a handler raised: our errors as they read, others in one line."""
    from ..errors import InvalidRequestError, QwenSkillsError, UnknownSubmitOutcomeError

    if isinstance(exc, InvalidRequestError):
        data: Dict[str, Any] = {"error": _error(exc), "issues": [_issue(item) for item in exc.issues],
                                "sent": False}
        return Reply(data, f"{exc.message}\nNothing was sent.", error=True)
    if isinstance(exc, UnknownSubmitOutcomeError):
        placeholder = getattr(exc, "placeholder", None)
        hint = ("Do not submit again yet: the service may have created the task. Check `qwencloud-skills tasks "
                "remote` for a task created just now, then `qwencloud-skills tasks resolve "
                f"{placeholder or 'PLACEHOLDER'} TASK_ID` (or without TASK_ID if none was created).")
        return Reply({"error": _error(exc), "placeholder": placeholder}, f"{exc.message}\n{hint}", error=True)
    if isinstance(exc, QwenSkillsError):
        return Reply({"error": _error(exc)}, exc.message, error=True)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        message = f"A file operation failed{where}: {exc.strerror or exc}."
        return Reply({"error": {"type": type(exc).__name__, "exit_code": 1, "message": message}}, message, error=True)
    message = f"Internal error ({type(exc).__name__}): {exc}"
    return Reply({"error": {"type": type(exc).__name__, "exit_code": 1, "message": message}}, message, error=True)


def _error(exc: Any) -> Dict[str, Any]:
    return {"type": type(exc).__name__, "exit_code": getattr(exc, "exit_code", 1), "message": exc.message}


def _issue(item: Any) -> Dict[str, Any]:
    shown = item.as_dict()
    try:
        json.dumps(shown["value"])
    except (TypeError, ValueError):
        shown["value"] = repr(shown["value"])
    return shown
