"""What a call to the service carries, decided without any HTTP library: headers, checked task ids, limits.

Shared by the httpx clients (:mod:`.transport`) and the standard-library status check
(:mod:`.quickpoll`), so both send the same headers and refuse the same task ids.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

from . import __version__
from .errors import FieldIssue, invalid
from .secrets import ApiKey

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict

_PYTHON = "{}.{}.{}".format(*sys.version_info[:3])  # not platform.python_version(): that import is slow
# A service answer is a small JSON document; anything bigger is refused before it fills memory.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
TASK_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


def user_agent(http_library: str) -> str:
    """This package, the Python and the HTTP library that sends (the service's logs tell clients apart)."""
    return f"qwencloud-skills/{__version__} (python/{_PYTHON}; {http_library})"


def check_task_id(task_id: Any, field: str = "task_id") -> str:
    """A task id that can safely become part of a URL path (no slashes, dots-only or odd bytes)."""
    if not isinstance(task_id, str) or not TASK_ID_PATTERN.fullmatch(task_id):
        raise invalid([FieldIssue(
            field, task_id if isinstance(task_id, str) else repr(task_id), "is not a task id",
            "letters, digits and - _ . : (at most 128 characters, starting with a letter or digit)",
            "copy the task id exactly as the submit printed it (tasks list shows recorded ones)",
        )])
    return task_id


def task_path(task_id: str) -> str:
    """The status path of a task, under the base URL."""
    return f"/tasks/{check_task_id(task_id)}"


def has_oss_url(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("oss://")
    if isinstance(value, Mapping):
        return any(has_oss_url(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_oss_url(item) for item in value)
    return False


def build_headers(api_key: ApiKey, *, submit: bool = False, body: Any = None,
                  asynchronous: bool = True, agent: str = "") -> Dict[str, str]:
    """The call's headers; a submit of an asynchronous mode asks for a task (X-DashScope-Async)."""
    headers = {
        "Authorization": f"Bearer {api_key.reveal()}",
        "Accept": "application/json",
        "User-Agent": agent or user_agent("unknown"),
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    if submit and asynchronous:
        headers["X-DashScope-Async"] = "enable"
    if body is not None and has_oss_url(body):
        headers["X-DashScope-OssResourceResolve"] = "enable"
    return headers


def redacted_headers(headers: Mapping[str, str]) -> Dict[str, str]:
    """Headers safe to print (for --dry-run)."""
    shown = dict(headers)
    if "Authorization" in shown:
        shown["Authorization"] = "Bearer ********"
    return shown
