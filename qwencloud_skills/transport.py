"""One HTTP client for the DashScope native API, sync and async, with safe retries.

It adds the DashScope headers (Bearer key, JSON, ``X-DashScope-Async`` on
submits, ``X-DashScope-OssResourceResolve`` when the body holds an ``oss://``
URL, a User-Agent naming this package), applies the retry policy of
:mod:`.retry`, and turns every service error into one :class:`ServiceError`
with the key masked. Media URLs are fetched with a separate client that never
carries the key.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Dict, Mapping, Optional

import httpx

from . import __version__
from .errors import ServiceError, TransportError, UnknownSubmitOutcomeError
from .retry import RETRY_STATUSES, RetryableError, RetryPolicy, parse_retry_after, tenacity_kwargs
from .secrets import ApiKey, redact, redact_excerpt
from .servicetext import clean

_PYTHON = "{}.{}.{}".format(*sys.version_info[:3])  # not platform.python_version(): that import is slow
USER_AGENT = f"qwencloud-skills/{__version__} (python/{_PYTHON}; httpx/{httpx.__version__})"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

# Failures where the request certainly never reached the service.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

HINTS = {
    401: "the API key was rejected: check it is a valid standard key (qwencloud-skills doctor shows set/not set)",
    403: "access denied: check the key's permissions, the region (QWEN_REGION) and that the model is enabled",
    429: "rate limited: wait a minute and try again, or lower concurrency",
}


def has_oss_url(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("oss://")
    if isinstance(value, Mapping):
        return any(has_oss_url(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_oss_url(item) for item in value)
    return False


def build_headers(api_key: ApiKey, *, submit: bool = False, body: Any = None) -> Dict[str, str]:
    headers = {
        "Authorization": f"Bearer {api_key.reveal()}",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    if body is not None:
        headers["Content-Type"] = "application/json"
    if submit:
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


class _Classifier:
    """What one attempt's outcome means: return data, retry, or fail."""

    def __init__(self, api_key: ApiKey, submit: bool, method: str, url: str):
        self.api_key = api_key
        self.submit = submit
        self.what = f"{method} {url}"

    def on_response(self, response: httpx.Response) -> Dict[str, Any]:
        status = response.status_code
        if status < 400:
            return _decode(response, self.api_key)
        error = service_error(response, self.api_key)
        if status == 429 or (status in RETRY_STATUSES and not self.submit):
            raise RetryableError(error, parse_retry_after(response.headers.get("Retry-After")))
        if self.submit and status >= 500:
            raise UnknownSubmitOutcomeError(self._unknown(f"the service answered {error}"))
        raise error

    def on_exception(self, exc: httpx.HTTPError) -> None:
        message = redact(f"{type(exc).__name__}: {exc}", [self.api_key])
        if isinstance(exc, NOT_SENT) or not self.submit:
            raise RetryableError(TransportError(f"{self.what} failed: {message}"))
        raise UnknownSubmitOutcomeError(self._unknown(f"the connection failed after sending ({message})"))

    def _unknown(self, why: str) -> str:
        return (
            f"The submit may or may not have been accepted: {why}. It was NOT retried, because a "
            "second submit could create (and bill) a second task. Check the service's task list "
            "(qwencloud-skills tasks remote, or GET /api/v1/tasks) for a task submitted just now "
            "before submitting again."
        )

    @staticmethod
    def final(exc: BaseException) -> BaseException:
        return exc.cause if isinstance(exc, RetryableError) else exc


class ServiceClient:
    """Synchronous client; one ``httpx.Client`` reused for every call."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        policy: Optional[RetryPolicy] = None,
        timeout: Any = DEFAULT_TIMEOUT,
    ):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)

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
    ) -> Dict[str, Any]:
        from tenacity import Retrying

        url = self.base_url + path
        headers = build_headers(self.api_key, submit=submit, body=body)
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        classify = _Classifier(self.api_key, submit, method, url)

        def attempt() -> Dict[str, Any]:
            try:
                response = self._http.request(method, url, headers=headers, content=content, params=params)
            except httpx.HTTPError as exc:
                classify.on_exception(exc)
                raise  # pragma: no cover - on_exception always raises
            return classify.on_response(response)

        try:
            for state in Retrying(**tenacity_kwargs(self.policy)):
                with state:
                    return attempt()
        except RetryableError as exc:
            raise classify.final(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- the service's operations --------------------------------------------
    def submit(self, endpoint: str, payload: Mapping[str, Any]) -> Dict[str, Any]:
        return self.request("POST", endpoint, body=payload, submit=True)

    def get_task(self, task_id: str) -> Dict[str, Any]:
        return self.request("GET", f"/tasks/{task_id}")

    def cancel_task(self, task_id: str) -> Dict[str, Any]:
        return self.request("POST", f"/tasks/{task_id}/cancel")

    def list_tasks(self, **params: Any) -> Dict[str, Any]:
        return self.request("GET", "/tasks", params={k: v for k, v in params.items() if v is not None})


class AsyncServiceClient:
    """The same operations for asyncio: hundreds of tasks in one process."""

    def __init__(
        self,
        api_key: ApiKey,
        base_url: str,
        *,
        policy: Optional[RetryPolicy] = None,
        timeout: Any = DEFAULT_TIMEOUT,
        max_connections: int = 50,
    ):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        limits = httpx.Limits(max_connections=max_connections)
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False, limits=limits)

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
    ) -> Dict[str, Any]:
        from tenacity import AsyncRetrying

        url = self.base_url + path
        headers = build_headers(self.api_key, submit=submit, body=body)
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        classify = _Classifier(self.api_key, submit, method, url)
        try:
            async for state in AsyncRetrying(**tenacity_kwargs(self.policy)):
                with state:
                    try:
                        response = await self._http.request(
                            method, url, headers=headers, content=content, params=params
                        )
                    except httpx.HTTPError as exc:
                        classify.on_exception(exc)
                        raise  # pragma: no cover
                    return classify.on_response(response)
        except RetryableError as exc:
            raise classify.final(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def submit(self, endpoint: str, payload: Mapping[str, Any]) -> Dict[str, Any]:
        return await self.request("POST", endpoint, body=payload, submit=True)

    async def get_task(self, task_id: str) -> Dict[str, Any]:
        return await self.request("GET", f"/tasks/{task_id}")

    async def cancel_task(self, task_id: str) -> Dict[str, Any]:
        return await self.request("POST", f"/tasks/{task_id}/cancel")

    async def list_tasks(self, **params: Any) -> Dict[str, Any]:
        return await self.request("GET", "/tasks", params={k: v for k, v in params.items() if v is not None})
