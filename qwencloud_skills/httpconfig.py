"""The one HTTP client configuration: every API call, upload and download gets its client here.

Proxies and extra CA certificates come from the standard environment variables, as httpx
reads them (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``; ``SSL_CERT_FILE``,
``SSL_CERT_DIR``), so one setting covers every request. TLS verification is always on: there
is no switch to turn it off. Each purpose has its own timeouts, pool limits and redirect rule:

- ``api``: calls to the service; never follows a redirect, so the key cannot be forwarded;
- ``upload``: form posts to temporary storage's upload host;
- ``download``: pre-signed result URLs; follows redirects (CDNs use them).

The API key is only ever sent to the origin a client was made for (``key_origin``); a client
refuses, before anything leaves, a request that would carry an ``Authorization`` header anywhere
else, redirect hops included. Media clients have no key origin at all. Tests can route every
client through one transport with :func:`use_transport`.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, Tuple, Union

from .errors import TransportError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

PURPOSES = ("api", "upload", "download")
Timeout = Union[float, "httpx.Timeout", None]


@dataclass(frozen=True)
class Profile:
    """How one kind of traffic is sent: timeouts (seconds), pool limits and the redirect rule."""

    connect: float
    read: float
    write: float
    pool: float
    max_connections: int = 50
    max_keepalive: int = 20
    follow_redirects: bool = False


@dataclass(frozen=True)
class HttpSettings:
    """Every knob of the HTTP clients, in one record; :func:`use_settings` swaps it (tests, embedders)."""

    api: Profile = Profile(connect=10.0, read=30.0, write=30.0, pool=30.0)
    # A media file of a few hundred MB on a slow uplink: minutes of writing, then a short answer.
    upload: Profile = Profile(connect=10.0, read=300.0, write=300.0, pool=300.0, max_connections=100)
    # Downloads bound a stall themselves (download.py): read never exceeds their stall limit.
    download: Profile = Profile(connect=60.0, read=60.0, write=60.0, pool=60.0, max_connections=100,
                                follow_redirects=True)
    trust_env: bool = True  # proxies and SSL_CERT_FILE/SSL_CERT_DIR from the environment
    # An httpx transport every client uses instead of the network (both sync and async, such as
    # httpx.MockTransport): a test seam, never set in production.
    transport: Any = field(default=None, compare=False)

    def profile(self, purpose: str) -> Profile:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown HTTP purpose {purpose!r}; one of {', '.join(PURPOSES)}")
        return getattr(self, purpose)


_current = HttpSettings()


def current_settings() -> HttpSettings:
    return _current


@contextmanager
def use_settings(settings: HttpSettings) -> Iterator[HttpSettings]:
    """Clients made inside the block use ``settings``; the earlier ones are restored afterwards."""
    global _current
    earlier, _current = _current, settings
    try:
        yield settings
    finally:
        _current = earlier


@contextmanager
def use_transport(transport: Any) -> Iterator[HttpSettings]:
    """Route every client made inside the block through ``transport`` (tests: an ``httpx.MockTransport``)."""
    with use_settings(replace(_current, transport=transport)) as settings:
        yield settings


def timeout_for(purpose: str, override: Timeout = None) -> httpx.Timeout:
    """The purpose's timeouts, or ``override`` (seconds for all four, or a ready ``httpx.Timeout``)."""
    import httpx

    if isinstance(override, httpx.Timeout):
        return override
    if override is not None:
        return httpx.Timeout(override)
    p = _current.profile(purpose)
    return httpx.Timeout(connect=p.connect, read=p.read, write=p.write, pool=p.pool)


def client_options(purpose: str, *, timeout: Timeout = None,
                   max_connections: Optional[int] = None) -> Dict[str, Any]:
    """The keyword arguments of ``httpx.Client``/``AsyncClient`` for ``purpose`` (no I/O, no client)."""
    import httpx

    profile = _current.profile(purpose)
    limits = httpx.Limits(max_connections=max_connections or profile.max_connections,
                          max_keepalive_connections=profile.max_keepalive)
    options: Dict[str, Any] = {
        "timeout": timeout_for(purpose, timeout),
        "limits": limits,
        "follow_redirects": profile.follow_redirects,
        "trust_env": _current.trust_env,
        "verify": _verifying_context(_current.trust_env),
    }
    if _current.transport is not None:
        options["transport"] = _current.transport
    return options


_CONTEXTS: Dict[Tuple[bool, Optional[str], Optional[str]], Any] = {}


def _verifying_context(trust_env: bool) -> Any:
    """httpx's verifying TLS context (certifi, or SSL_CERT_FILE/SSL_CERT_DIR), made once per process and
    setting: loading the CA bundle takes ~80 ms of CPU, which every new client (a batch downloads
    dozens) would otherwise spend again."""
    import os

    import httpx

    key = (trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    if key not in _CONTEXTS:
        _CONTEXTS[key] = httpx.create_ssl_context(verify=True, trust_env=trust_env)
    return _CONTEXTS[key]


def _origin(url: Any) -> Tuple[str, str, Optional[int]]:
    import httpx

    parsed = httpx.URL(str(url))
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host, port


class KeyGuard:
    """Refuses a request carrying ``Authorization`` to any origin but the one the key belongs to."""

    def __init__(self, key_origin: Optional[str]) -> None:
        self.allowed = _origin(key_origin) if key_origin else None

    def check(self, request: httpx.Request) -> None:
        if "authorization" not in request.headers:
            return
        if self.allowed is not None and _origin(request.url) == self.allowed:
            return
        raise TransportError(
            f"refused to send the API key to {request.url.scheme}://{request.url.host}: the key goes only to "
            "the service's own host, never to upload or download hosts (nothing was sent)"
        )

    async def acheck(self, request: httpx.Request) -> None:
        self.check(request)


def sync_client(purpose: str, *, timeout: Timeout = None, key_origin: Optional[str] = None,
                max_connections: Optional[int] = None) -> httpx.Client:
    """An ``httpx.Client`` for ``purpose``; only requests to ``key_origin`` may carry the key."""
    import httpx

    guard = KeyGuard(key_origin if purpose == "api" else None)
    return httpx.Client(**client_options(purpose, timeout=timeout, max_connections=max_connections),
                        event_hooks={"request": [guard.check]})


def async_client(purpose: str, *, timeout: Timeout = None, key_origin: Optional[str] = None,
                 max_connections: Optional[int] = None) -> httpx.AsyncClient:
    """The asyncio twin of :func:`sync_client`."""
    import httpx

    guard = KeyGuard(key_origin if purpose == "api" else None)
    return httpx.AsyncClient(**client_options(purpose, timeout=timeout, max_connections=max_connections),
                             event_hooks={"request": [guard.acheck]})
