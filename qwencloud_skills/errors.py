"""Every error the host raises, each with the process exit code the CLIs use.

Exit codes are part of the documented interface (README, SKILL.md):
0 success, 1 task failed or service error, 2 still running (poll-once),
3 invalid input or usage, 4 configuration problem (missing key, bad region),
5 submit outcome unknown (check the task list before submitting again),
130 interrupted. 137 is never ours: the shell reports it when the process was
killed (SIGKILL: out of memory, or an agent harness's time limit).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterable, Optional, Sequence


EXIT_OK = 0
EXIT_FAILED = 1
EXIT_RUNNING = 2
EXIT_INVALID = 3
EXIT_CONFIG = 4
EXIT_UNKNOWN_OUTCOME = 5
EXIT_INTERRUPTED = 130
EXIT_KILLED = 137  # not an exit we choose: 128 + SIGKILL, as the shell reports a killed run


class QwenSkillsError(Exception):
    """Base class: a message meant for a person, plus an exit code."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(QwenSkillsError):
    """The environment is not set up (no key, unknown region, unusable base URL)."""

    exit_code = EXIT_CONFIG


class MissingApiKeyError(ConfigError):
    """No API key in the environment or any .env file that was searched."""


class InvalidApiKeyError(ConfigError):
    """A key is configured but holds characters no real key has (spaces, quotes, control characters)."""


class InvalidRequestError(QwenSkillsError):
    """A request was rejected locally, before any network call."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, issues: Sequence[FieldIssue] = ()):
        super().__init__(message)
        self.issues = list(issues)


class FieldIssue:
    """One problem with one field: what was given, what is allowed, how to fix it."""

    __slots__ = ("field", "value", "problem", "allowed", "fix")

    def __init__(
        self,
        field: str,
        value: Any,
        problem: str,
        allowed: Optional[str] = None,
        fix: Optional[str] = None,
    ):
        self.field = field
        self.value = value
        self.problem = problem
        self.allowed = allowed
        self.fix = fix

    def __str__(self) -> str:
        given = f"{self.field}={_short(self.value)}" if self.value is not None else self.field
        parts = [f"{given}: {self.problem}"]
        if self.allowed:
            parts.append(f"allowed: {self.allowed}")
        if self.fix:
            parts.append(f"fix: {self.fix}")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {
            "field": self.field,
            "value": self.value,
            "problem": self.problem,
            "allowed": self.allowed,
            "fix": self.fix,
        }


def invalid(issues: Iterable[FieldIssue], header: str = "Invalid request") -> InvalidRequestError:
    issues = list(issues)
    lines = [f"{header}:"] + [f"  - {issue}" for issue in issues]
    return InvalidRequestError("\n".join(lines), issues)


class ServiceError(QwenSkillsError):
    """The service answered with an error: HTTP status plus DashScope's code/message/request_id.

    The service's words are data: code and request id are cleaned to one short line on our
    line, the message is shown only as ``  service: ...`` lines (see :mod:`.servicetext`), so
    none of it can start a line an agent would act on. The attributes hold the cleaned text.
    """

    def __init__(
        self,
        status: Optional[int],
        code: Optional[str],
        message: str,
        request_id: Optional[str] = None,
        hint: Optional[str] = None,
    ):
        from . import servicetext

        self.status = status
        self.code = servicetext.inline(code)
        self.service_message = "\n".join(servicetext.lines(message))
        self.request_id = servicetext.inline(request_id)
        self.hint = hint
        text = f"HTTP {status}" if status else "Service error"
        if self.code:
            text += f" {self.code}"
        if self.request_id:
            text += f" (request_id={self.request_id})"
        shown = servicetext.render(self.service_message)
        text += f"\n{shown}" if shown else ": no message given"
        if hint:
            text += f"\nHint: {hint}"
        super().__init__(text)


class TransportError(QwenSkillsError):
    """The service could not be reached (after retries, where retrying was safe)."""


class UnknownSubmitOutcomeError(QwenSkillsError):
    """A submit may or may not have been accepted; submitting again could pay twice."""

    exit_code = EXIT_UNKNOWN_OUTCOME


class TaskFailedError(QwenSkillsError):
    """The task ended FAILED, CANCELED or UNKNOWN.

    Id, status and code are cleaned to one short line each; the service's message is shown
    only as ``  service: ...`` lines, like :class:`ServiceError`'s.
    """

    def __init__(self, task_id: str, status: str, code: Optional[str], message: Optional[str],
                 explanation: Optional[str] = None):
        from . import servicetext

        self.explanation = explanation  # ours, not the service's: printed as our own words
        self.task_id = servicetext.inline(task_id) or "(no id)"
        self.status = servicetext.inline(status) or "UNKNOWN"
        self.code = servicetext.inline(code)
        self.service_message = "\n".join(servicetext.lines(message)) or None
        text = f"Task {self.task_id} ended {self.status}"
        if self.code:
            text += f", code {self.code}"
        shown = servicetext.render(self.service_message) if self.service_message else ""
        if explanation:
            text += f": {explanation}"
        if shown:
            text += f"\n{shown}"
        elif not self.code and not explanation:
            text += ": no reason given"
        super().__init__(text)


class TaskTimeoutError(QwenSkillsError):
    """Waiting gave up; the task may still be running on the service."""

    exit_code = EXIT_RUNNING

    def __init__(self, task_id: str, waited: float, status: str):
        self.task_id = task_id
        self.status = status
        super().__init__(
            f"Stopped waiting after {waited:.1f} s for task {task_id} (last status {status}). "
            "The task may still be running; it stays valid for 24 hours."
        )


class DownloadError(QwenSkillsError):
    """The result could not be saved (expired URL, short read, disk problem)."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired  # the URL is gone for good: only a new generation helps


class OutputLocationError(QwenSkillsError):
    """The output location is refused (inside a skills/ tree) or unusable."""

    exit_code = EXIT_INVALID


def _short(value: Any, limit: int = 160) -> str:
    """The value as JSON (true, "text", [1, 2]) as users wrote it, elided in the middle so both
    ends (e.g. a file name) stay visible."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + "..." + text[-half:]


class FieldProblem(ValueError):
    """Raised inside a request model's validators to report precise field issues.

    Pydantic wraps it; the host unwraps it, so plugins can say which field,
    what is allowed and how to fix it instead of a bare message.
    """

    def __init__(self, *issues: FieldIssue):
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = list(issues)
