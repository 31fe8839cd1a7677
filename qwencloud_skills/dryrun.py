"""The exact request a submit would send, without sending it: for --dry-run, curl and tools.

Validation, the output-folder check and the upload plan are those of a real run; the key is never
shown (headers say ``Bearer ********``, or ``<not set>``; curl reads ``$DASHSCOPE_API_KEY``).
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

KEY_VARIABLE = "DASHSCOPE_API_KEY"


@dataclass
class RequestPreview:
    """One HTTP call as it would leave (key redacted), with what a real run would upload first."""

    method: str
    url: str
    headers: Dict[str, str]
    body: Optional[Dict[str, Any]] = None
    uploads: List[Dict[str, Any]] = field(default_factory=list)
    mode_line: str = ""
    billed: Dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> Dict[str, Any]:
        shown: Dict[str, Any] = {"method": self.method, "url": self.url, "headers": self.headers}
        if self.body is not None:
            shown["body"] = self.body
            shown["uploads"] = self.uploads
        return shown

    def curl(self, base: Optional[str] = None, base_variable: str = "BASE") -> str:
        """The call as a curl command; the key comes from the environment, never from this text.

        With ``base``, a URL under it is written as ``"$BASE/..."`` (the variable set once elsewhere).
        """
        url = shlex.quote(self.url)
        if base and self.url.startswith(base.rstrip("/") + "/"):
            url = f'"${base_variable}{self.url[len(base.rstrip("/")):]}"'
        parts = ["curl", "-sS", "-X", self.method, url]
        for name, value in self.headers.items():
            if name.lower() == "authorization":
                parts += ["-H", f'"Authorization: Bearer ${KEY_VARIABLE}"']
            elif name.lower() != "user-agent":
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.body is not None:
            parts += ["-d", shlex.quote(json.dumps(self.body, ensure_ascii=False, separators=(",", ":")))]
        return " \\\n  ".join(_lines(parts))


def _lines(parts: List[str]) -> List[str]:
    """curl's words grouped one option per line: `-H 'X: y'` stays together."""
    lines: List[str] = [" ".join(parts[:5])]
    index = 5
    while index < len(parts):
        lines.append(f"{parts[index]} {parts[index + 1]}")
        index += 2
    return lines


def dry_book(skill: Optional[str]) -> Any:
    """A client-side view for dry runs: works without a key, sends nothing, writes no ledger."""
    from .credentials import find_api_key
    from .environment import Environment
    from .secrets import ApiKey
    from .tasks import TaskBook

    env = Environment()
    key = find_api_key(env)
    book = TaskBook(skill=skill, api_key=key or ApiKey("sk-not-set", "placeholder"), env=env)
    book.key_is_set = key is not None  # type: ignore[attr-defined]
    return book


def _headers(book: Any, **kwargs: Any) -> Dict[str, str]:
    from .transport import build_headers, redacted_headers

    headers = redacted_headers(build_headers(book.api_key, **kwargs))
    if not getattr(book, "key_is_set", True):
        headers["Authorization"] = "Bearer <not set>"
    return headers


def preview_submit(book: Any, request: Mapping[str, Any], mode: Optional[str] = None, model: Optional[str] = None,
                   output: Optional[str] = None) -> RequestPreview:
    """The submit of ``request``: validated, its local files planned (reused or to upload), nothing sent."""
    from .uploads import plan_uploads

    prepared, uploads = plan_uploads(book, book.prepare(request, mode, model))
    book.output_dir(prepared.mode.skill, output, create=False)
    asynchronous = book.registry.output_of(prepared.mode).asynchronous
    headers = _headers(book, submit=True, body=prepared.payload, asynchronous=asynchronous)
    if any("oss://" in item["destination"] for item in uploads if not item["reuses"]):
        headers["X-DashScope-OssResourceResolve"] = "enable"
    line = f"Mode: {prepared.mode.name} | Model: {prepared.model}"
    summary = prepared.mode.billing_summary(prepared.request, prepared.model)
    return RequestPreview("POST", book.host_of(prepared) + prepared.endpoint, headers, prepared.payload, uploads,
                          f"{line} | {summary}" if summary else line,
                          prepared.mode.billed_amounts(prepared.request, prepared.model))


def preview_poll(book: Any, task_id: str) -> RequestPreview:
    """The status request of ``task_id`` (where the ledger says it lives)."""
    row = book.ledger.get(task_id) if book.ledger is not None else None
    base_url = (row or {}).get("base_url") or book.base_url
    return RequestPreview("GET", f"{base_url}/tasks/{task_id}", _headers(book))
