"""One status check of a running task over the standard library's ``http.client``: the hot path of a poll.

An agent checks its task every few seconds, each time in a new process; importing httpx,
click and the plugins for one GET cost more than the GET. This module sends that GET itself
and handles only the plain case: a task this machine may poll (running, or unknown to the
ledger), no proxy in the environment, and an answer of 200 with a running status. Anything
else (an ended task, a proxy, an error, a redirect, an odd answer) returns None before the
ledger is touched, and the caller takes the full path, which polls again with every retry and
error rule: a status GET is safe to repeat. Headers, task-id checks, key masking and the
ledger record are the shared ones (:mod:`.wire`, :mod:`.secrets`, :mod:`.pollrecord`).
"""

from __future__ import annotations

import json
import os
import sys
import time

from .wire import MAX_ANSWER_BYTES, TASK_ID_PATTERN

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Optional, Tuple

# Short, because a slow answer falls back to the full path, which waits with its own timeouts and retries.
CONNECT_SECONDS = 5.0
ANSWER_SECONDS = 10.0
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
# Recorded by the ledger when it tracks a task it did not submit; such a task may be polled.
POLLABLE = ("PENDING", "RUNNING", "SUSPENDED", "ADOPTED")


def _proxied() -> bool:
    """A proxy is configured: httpx would use it, so only the full path may send."""
    return any(value for name, value in os.environ.items() if name.lower() in PROXY_VARIABLES)


def _tls_context() -> Any:
    """The verifying context httpx makes by default (certifi's bundle); None when the environment names
    other CAs (SSL_CERT_FILE/SSL_CERT_DIR), which only the full path honours."""
    if os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR"):
        return None
    import ssl

    import certifi  # httpx's own dependency: the same bundle the full path trusts

    return ssl.create_default_context(cafile=certifi.where())


def _get(url: str, headers: dict) -> Optional[bytes]:
    """The body of a 200 answer to GET ``url``, read within the time and size limits; None otherwise."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme == "http":
        connection: Any = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CONNECT_SECONDS)
    elif parts.scheme == "https":
        context = _tls_context()
        if context is None:
            return None
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=CONNECT_SECONDS,
                                                 context=context)
    else:
        return None
    deadline = time.monotonic() + ANSWER_SECONDS
    try:
        connection.request("GET", parts.path, headers=headers)
        response = connection.getresponse()
        if response.status != 200:
            return None
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                return None
            chunk = response.read1(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                return None
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        connection.close()


def _running_status(task_id: str, body: bytes, api_key: Any) -> Any:
    """The answer as a TaskStatus when it plainly says the task is running; None for anything else."""
    import warnings

    from .errors import ServiceError
    from .secrets import redact_data
    from .taskstatus import RUNNING_STATUSES, TaskStatus

    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    with warnings.catch_warnings(record=True) as said:  # an unknown status is the full path's to explain
        warnings.simplefilter("always")
        try:
            status = TaskStatus.parse(task_id, redact_data(data, [api_key]))
        except ServiceError:
            return None
    if said or status.status not in RUNNING_STATUSES:
        return None
    return status


def _target(task_id: str, skill: Optional[str], ledger: Any, env: Any) -> Optional[Tuple[str, Optional[str]]]:
    """Where the task lives and whose it is, when this machine may poll it here; None otherwise."""
    from .errors import ConfigError
    from .settings import resolve_base_url

    row = ledger.get(task_id)
    if row is not None:
        if row.get("status") not in POLLABLE or not row.get("asynchronous", 1):
            return None
        skill = row.get("skill") or skill
        if row.get("base_url"):
            return row["base_url"], skill
    if skill is None:
        return None
    try:
        return resolve_base_url(env).base_url, skill
    except ConfigError:
        return None


def open_ledger(env: Any) -> Any:
    """This machine's ledger, or None when it cannot be opened (the full path then explains why).

    Opened on first use, so the check's one connection (its session) also runs the migrations.
    """
    import sqlite3

    from .errors import ConfigError
    from .ledger import Ledger

    try:
        return Ledger.default(env, eager=False)
    except (ConfigError, OSError, sqlite3.Error):
        return None


def may_poll_quickly(task_id: str) -> bool:
    """What can be told before anything is opened: a plain task id, no proxy, no test transport."""
    from .ledger import PLACEHOLDER_PREFIX

    if not TASK_ID_PATTERN.fullmatch(task_id) or task_id.startswith(PLACEHOLDER_PREFIX) or _proxied():
        return False
    http_settings = sys.modules.get(__package__ + ".httpconfig")  # only a loaded one can be set
    return http_settings is None or http_settings.current_settings().transport is None


def poll_running(task_id: str, skill: Optional[str], ledger: Any, env: Any) -> Any:
    """The TaskStatus of one GET that found the task running, recorded in ``ledger`` as the task clients
    record it; None when this path does not apply (nothing is recorded then)."""
    import sqlite3

    from .credentials import require_api_key
    from .errors import ConfigError
    from .pollrecord import record_status
    from .wire import build_headers, task_path, user_agent

    if not may_poll_quickly(task_id):
        return None
    try:
        api_key = require_api_key(env)
        target = _target(task_id, skill, ledger, env)
    except (ConfigError, OSError, sqlite3.Error):
        return None
    if target is None:
        return None
    base_url, skill = target
    headers = build_headers(api_key, agent=user_agent("http.client"))
    body = _get(base_url.rstrip("/") + task_path(task_id), headers)
    status = _running_status(task_id, body, api_key) if body is not None else None
    if status is None:
        return None
    try:
        record_status(ledger, status, skill=skill, base_url=base_url)
    except (OSError, sqlite3.Error):
        return None
    return status
