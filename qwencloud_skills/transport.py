"""One HTTP client for the DashScope native API, sync and async, with safe retries.

It adds the DashScope headers (Bearer key, JSON, ``X-DashScope-Async`` on
submits, ``X-DashScope-OssResourceResolve`` when the body holds an ``oss://``
URL, a User-Agent naming this package), applies the retry policy of
:mod:`.retry`, and turns every service error into one :class:`ServiceError`
with the key masked. Answers are read as a stream, capped in size and bounded
by a wall-clock deadline (a body that trickles in cannot stretch a wait), and
every string in them is masked before anyone sees it. Task ids are checked
before they become part of a path. Its httpx clients come from :mod:`.httpconfig`
(proxy, TLS, timeouts, pool limits; the key only to this host). What a call sends
and how its answer is read are decided once (:class:`_Call`, :class:`_Classifier`,
:class:`_AnswerReader`); the sync and async clients only move bytes.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

import httpx

from .errors import ServiceError, TransportError, UnknownSubmitOutcomeError
from .httpconfig import async_client, sync_client, timeout_for
from .retry import RETRY_STATUSES, RetryableError, RetryPolicy, parse_retry_after, tenacity_kwargs
from .secrets import ApiKey, redact, redact_data, redact_excerpt
from .servicetext import clean
from .wire import (  # noqa: F401 - importable from here as before
    MAX_ANSWER_BYTES,
    TASK_ID_PATTERN,
    check_task_id,
    has_oss_url,
    redacted_headers,
    task_path,
    user_agent,
)
from .wire import build_headers as wire_headers

USER_AGENT = user_agent(f"httpx/{httpx.__version__}")

# Failures where the request certainly never reached the service.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# One attempt (send + whole answer) never takes longer than this, however slowly the answer trickles.
ATTEMPT_SECONDS = 60.0
# Safe requests also retry a plain 500: one transient error must not end a wait.
SAFE_RETRY_STATUSES = RETRY_STATUSES | {500}


def unknown_outcome_message(why: str) -> str:
    """What to say when a submit may have created (and billed) a task we cannot name."""
    return (
        f"The submit may or may not have been accepted: {why}. It was NOT retried, because a "
        "second submit could create (and bill) a second task. Check the service's task list "
        "(qwencloud-skills tasks remote, or GET /api/v1/tasks) for a task submitted just now "
        "before submitting again."
    )


class DeadlineExceeded(TransportError):
    """The caller's wall-clock deadline passed while a request was in flight."""


class AnswerTooLarge(ServiceError):
    """The service's answer was larger than any real answer can be."""


HINTS = {
    401: "the API key was rejected: check it is a valid standard key (qwencloud-skills doctor shows set/not set)",
    403: "access denied: check the key's permissions, the region (QWEN_REGION) and that the model is enabled",
    429: "rate limited: wait a minute and try again, or lower concurrency",
}


def build_headers(api_key: ApiKey, *, submit: bool = False, body: Any = None,
                  asynchronous: bool = True) -> Dict[str, str]:
    """The call's headers (see :func:`.wire.build_headers`), naming httpx as the sender."""
    return wire_headers(api_key, submit=submit, body=body, asynchronous=asynchronous, agent=USER_AGENT)


def service_error(response: httpx.Response, api_key: Optional[ApiKey]) -> ServiceError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = body.get("code")
    # Clean (escapes can split a key), then mask, then cut: a cut first could leave a key fragment.
    message = body.get("message") or redact_excerpt(clean(response.text), [api_key], 300) or response.reason_phrase
    request_id = body.get("request_id") or response.headers.get("x-request-id")
    hint = HINTS.get(response.status_code)
    if message and "synchronous calls" in str(message):
        hint = "the submit lacked the X-DashScope-Async: enable header"
    return ServiceError(
        response.status_code,
        redact(clean(code), [api_key]) if code else None,
        redact(clean(message), [api_key]),
        redact(clean(request_id), [api_key]) if request_id else None,
        hint,
    )


def _decode(response: httpx.Response, api_key: ApiKey) -> Dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        excerpt = redact_excerpt(clean(response.text), [api_key], 200)  # mask, then cut
        raise ServiceError(response.status_code, "InvalidResponse", f"not JSON: {excerpt!r}") from None
    if not isinstance(data, dict):
        raise ServiceError(response.status_code, "InvalidResponse", "expected a JSON object")
    return data


# Told of every 429 answer before the retry policy acts on it: (was it a submit?, Retry-After seconds or None).
ThrottleObserver = Callable[[bool, Optional[float]], None]


class _Classifier:
    """What one attempt's outcome means: return data, retry, or fail."""

    def __init__(self, api_key: ApiKey, submit: bool, method: str, url: str,
                 on_throttled: Optional[ThrottleObserver] = None):
        self.api_key = api_key
        self.submit = submit
        self.what = f"{method} {url}"
        self.on_throttled = on_throttled

    def on_response(self, response: httpx.Response) -> Dict[str, Any]:
        status = response.status_code
        if status < 400:
            try:
                return redact_data(_decode(response, self.api_key), [self.api_key])
            except ServiceError as exc:
                if self.submit:  # the service may have created the task and not told us which
                    raise UnknownSubmitOutcomeError(self._unknown(f"its answer could not be read ({exc})")) from None
                raise
        error = service_error(response, self.api_key)
        if status == 429 and self.on_throttled is not None:
            self.on_throttled(self.submit, parse_retry_after(response.headers.get("Retry-After")))
        if status == 429 or (status in SAFE_RETRY_STATUSES and not self.submit):
            raise RetryableError(error, parse_retry_after(response.headers.get("Retry-After")))
        if self.submit and status >= 500:
            from . import servicetext

            said = servicetext.render(error.service_message) if error.service_message else ""
            heading = f"the service answered HTTP {status}" + (f" {error.code}" if error.code else "")
            raise UnknownSubmitOutcomeError(self._unknown(heading) + (f"\n{said}" if said else ""))
        raise error

    def on_exception(self, exc: BaseException) -> None:
        message = redact(f"{type(exc).__name__}: {exc}", [self.api_key])
        if isinstance(exc, AnswerTooLarge):
            if self.submit:
                raise UnknownSubmitOutcomeError(self._unknown(f"its answer could not be read ({exc})"))
            raise exc
        if isinstance(exc, NOT_SENT) or not self.submit:
            raise RetryableError(TransportError(f"{self.what} failed: {message}"))
        raise UnknownSubmitOutcomeError(self._unknown(f"the connection failed after sending ({message})"))

    def _unknown(self, why: str) -> str:
        return unknown_outcome_message(why)

    @staticmethod
    def final(exc: BaseException) -> BaseException:
        return exc.cause if isinstance(exc, RetryableError) else exc


class _AnswerReader:
    """One attempt's answer, read chunk by chunk: capped in size, bounded in time (no I/O here).

    The sync and async clients only move bytes; every decision is made here, once.
    """

    def __init__(self, deadline: Optional[float], what: str):
        self.caller_deadline = deadline
        now = time.monotonic()
        self.deadline = now + ATTEMPT_SECONDS if deadline is None else min(deadline, now + ATTEMPT_SECONDS)
        self.what = what
        self.chunks: List[bytes] = []
        self.size = 0

    def timeout(self, base: httpx.Timeout) -> httpx.Timeout:
        """httpx's per-read timeouts, none longer than what is left of the deadline."""
        left = max(0.01, self.deadline - time.monotonic())
        return httpx.Timeout(
            connect=min(base.connect or left, left), read=min(base.read or left, left),
            write=min(base.write or left, left), pool=min(base.pool or left, left),
        )

    def check_time(self) -> None:
        if time.monotonic() < self.deadline:
            return
        if self.caller_deadline is not None and self.caller_deadline <= self.deadline:
            raise DeadlineExceeded(f"{self.what}: the deadline passed before the answer was complete")
        raise httpx.ReadTimeout(f"the answer took longer than {ATTEMPT_SECONDS:.0f} s to arrive")

    def start(self, response: httpx.Response) -> None:
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_ANSWER_BYTES:
            self._too_large(int(length), response)
        self.check_time()

    def feed(self, chunk: bytes, response: httpx.Response) -> None:
        self.chunks.append(chunk)
        self.size += len(chunk)
        if self.size > MAX_ANSWER_BYTES:
            self._too_large(None, response)
        self.check_time()

    def answer(self, response: httpx.Response) -> httpx.Response:
        """The complete answer as an ordinary (already decoded) response."""
        headers = [(k, v) for k, v in response.headers.multi_items()
                   if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=b"".join(self.chunks),
                              request=response.request)

    def _too_large(self, declared: Optional[int], response: httpx.Response) -> None:
        size = f"{declared} bytes" if declared is not None else f"over {MAX_ANSWER_BYTES} bytes"
        raise AnswerTooLarge(response.status_code, "InvalidResponse",
                             f"the answer is {size}, more than any real answer ({MAX_ANSWER_BYTES} bytes); "
                             "it was not read")


def _retrying_kwargs(policy: RetryPolicy, deadline: Optional[float]) -> Dict[str, Any]:
    """The policy's retry loop, stopping (and sleeping) no later than the caller's deadline."""
    from tenacity import stop_any

    kwargs = tenacity_kwargs(policy)
    if deadline is None:
        return kwargs
    wait = kwargs["wait"]
    kwargs["stop"] = stop_any(kwargs["stop"], lambda state: time.monotonic() >= deadline)
    kwargs["wait"] = lambda state: max(0.0, min(wait(state), deadline - time.monotonic()))
    return kwargs


class _Call:
    """One call as every attempt sends it (same bytes each time) and how its outcomes are read (no I/O)."""

    def __init__(self, client: _ServiceBase, method: str, path: str, body: Optional[Mapping[str, Any]],
                 params: Optional[Mapping[str, Any]], submit: bool, deadline: Optional[float],
                 asynchronous: bool) -> None:
        self.url = client.base_url + path
        self.what = f"{method} {path}"
        self.deadline = deadline
        self.base_timeout = client.timeout
        self.retrying = _retrying_kwargs(client.policy, deadline)
        self.classify = _Classifier(client.api_key, submit, method, self.url, client.on_throttled)
        self.method = method
        self.headers = build_headers(client.api_key, submit=submit, body=body, asynchronous=asynchronous)
        self.content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        self.params = params

    def attempt(self) -> Tuple[_AnswerReader, Dict[str, Any]]:
        """A fresh reader for one attempt and the arguments of its ``stream()``."""
        reader = _AnswerReader(self.deadline, self.what)
        return reader, {"method": self.method, "url": self.url, "headers": self.headers, "content": self.content,
                        "params": self.params, "timeout": reader.timeout(self.base_timeout)}


# What each service operation sends: the arguments of ``request()``; the twins only run them.
def _submit_call(endpoint: str, payload: Mapping[str, Any], asynchronous: bool) -> Dict[str, Any]:
    return {"method": "POST", "path": endpoint, "body": payload, "submit": True, "asynchronous": asynchronous}


def _get_task_call(task_id: str, deadline: Optional[float]) -> Dict[str, Any]:
    return {"method": "GET", "path": task_path(task_id), "deadline": deadline}


def _cancel_call(task_id: str) -> Dict[str, Any]:
    return {"method": "POST", "path": f"/tasks/{check_task_id(task_id)}/cancel"}


def _list_call(params: Mapping[str, Any]) -> Dict[str, Any]:
    return {"method": "GET", "path": "/tasks", "params": {k: v for k, v in params.items() if v is not None}}


class _ServiceBase:
    """What the sync and async clients share: key, host, retry policy and timeouts.

    ``on_throttled`` (None: nobody) hears of each 429 answer; the retry policy still decides what
    happens next. A caller pacing its own requests (a batch) slows down on it.
    """

    def __init__(self, api_key: ApiKey, base_url: str, policy: Optional[RetryPolicy], timeout: Any) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.timeout = timeout_for("api", timeout)
        self.on_throttled: Optional[ThrottleObserver] = None


class ServiceClient(_ServiceBase):
    """Synchronous client; one ``httpx.Client`` (from :mod:`.httpconfig`) reused for every call."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        policy: Optional[RetryPolicy] = None,
        timeout: Any = None,
    ):
        super().__init__(api_key, base_url, policy, timeout)
        self._http = sync_client("api", timeout=self.timeout, key_origin=self.base_url)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Optional[Mapping[str, Any]] = None,
        params: Optional[Mapping[str, Any]] = None,
        submit: bool = False,
        deadline: Optional[float] = None,
        asynchronous: bool = True,
    ) -> Dict[str, Any]:
        """One call with retries; ``deadline`` (time.monotonic()) bounds it all, answers included."""
        from tenacity import Retrying

        call = _Call(self, method, path, body, params, submit, deadline, asynchronous)
        try:
            for state in Retrying(**call.retrying):
                with state:
                    return self._attempt(call)
        except RetryableError as exc:
            raise call.classify.final(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, call: _Call) -> Dict[str, Any]:
        reader, stream = call.attempt()
        try:
            with self._http.stream(**stream) as response:
                reader.start(response)
                for chunk in response.iter_bytes():
                    reader.feed(chunk, response)
        except (httpx.HTTPError, AnswerTooLarge) as exc:
            call.classify.on_exception(exc)
            raise  # pragma: no cover - on_exception always raises
        return call.classify.on_response(reader.answer(response))

    # -- the service's operations --------------------------------------------
    def submit(self, endpoint: str, payload: Mapping[str, Any], asynchronous: bool = True) -> Dict[str, Any]:
        return self.request(**_submit_call(endpoint, payload, asynchronous))

    def get_task(self, task_id: str, deadline: Optional[float] = None) -> Dict[str, Any]:
        return self.request(**_get_task_call(task_id, deadline))

    def cancel_task(self, task_id: str) -> Dict[str, Any]:
        return self.request(**_cancel_call(task_id))

    def list_tasks(self, **params: Any) -> Dict[str, Any]:
        return self.request(**_list_call(params))


class AsyncServiceClient(_ServiceBase):
    """The same operations for asyncio: hundreds of tasks in one process."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        policy: Optional[RetryPolicy] = None,
        timeout: Any = None,
        max_connections: Optional[int] = None,
    ):
        super().__init__(api_key, base_url, policy, timeout)
        self._http = async_client("api", timeout=self.timeout, key_origin=self.base_url,
                                  max_connections=max_connections)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncServiceClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        body: Optional[Mapping[str, Any]] = None,
        params: Optional[Mapping[str, Any]] = None,
        submit: bool = False,
        deadline: Optional[float] = None,
        asynchronous: bool = True,
    ) -> Dict[str, Any]:
        """The asyncio twin of :meth:`ServiceClient.request`."""
        from tenacity import AsyncRetrying

        call = _Call(self, method, path, body, params, submit, deadline, asynchronous)
        try:
            async for state in AsyncRetrying(**call.retrying):
                with state:
                    return await self._attempt(call)
        except RetryableError as exc:
            raise call.classify.final(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, call: _Call) -> Dict[str, Any]:
        reader, stream = call.attempt()
        try:
            async with self._http.stream(**stream) as response:
                reader.start(response)
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk, response)
        except (httpx.HTTPError, AnswerTooLarge) as exc:
            call.classify.on_exception(exc)
            raise  # pragma: no cover - on_exception always raises
        return call.classify.on_response(reader.answer(response))

    async def submit(self, endpoint: str, payload: Mapping[str, Any], asynchronous: bool = True) -> Dict[str, Any]:
        return await self.request(**_submit_call(endpoint, payload, asynchronous))

    async def get_task(self, task_id: str, deadline: Optional[float] = None) -> Dict[str, Any]:
        return await self.request(**_get_task_call(task_id, deadline))

    async def cancel_task(self, task_id: str) -> Dict[str, Any]:
        return await self.request(**_cancel_call(task_id))

    async def list_tasks(self, **params: Any) -> Dict[str, Any]:
        return await self.request(**_list_call(params))
