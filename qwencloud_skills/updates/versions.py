"""Ask the package index for a distribution's newest release and compare versions.

The index speaks PyPI's JSON API (``GET {base}/pypi/<dist>/json``); the base is
https://pypi.org unless QWEN_SKILLS_UPDATE_URL names another (the emulator, a
mirror). Versions are compared with ``packaging`` so pre-, post-, dev- and
local versions order the way pip orders them.

The request uses the standard library (urllib), not httpx: it runs in a
background thread of every job whose check is due, and urllib builds a TLS
context only for an https index, lazily, where httpx builds one per client.
``packaging`` is imported only when versions are actually compared.
"""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from packaging.version import Version

DEFAULT_INDEX = "https://pypi.org"
URL_ENV = "QWEN_SKILLS_UPDATE_URL"
MAX_PAYLOAD = 32 * 1024 * 1024  # a JSON page bigger than this is not an index answer
_SEPARATORS = re.compile(r"[-_.]+")
_PLAIN_RELEASE = re.compile(r"[0-9]+(\.[0-9]+)*")  # a final release, nothing to parse


def canonical_name(name: str) -> str:
    """PEP 503 normalisation (what ``packaging.utils.canonicalize_name`` does), without importing packaging."""
    return _SEPARATORS.sub("-", name).lower()


def parse(version: Any) -> Optional[Version]:
    """A Version, or None for anything pip would not accept."""
    if not isinstance(version, str):
        return None
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version)
    except InvalidVersion:
        return None


def _yanked(files: Any) -> bool:
    # A release is yanked when every file of it is; a release listed without files is kept.
    return isinstance(files, list) and bool(files) and all(
        isinstance(f, dict) and f.get("yanked") is True for f in files
    )


def candidates(payload: Any) -> Iterable[str]:
    """Release strings the JSON payload offers, yanked ones left out."""
    if not isinstance(payload, dict):
        return []
    found = []
    releases = payload.get("releases")
    if isinstance(releases, dict):
        found.extend(
            v for v, files in releases.items() if isinstance(v, str) and isinstance(files, list) and not _yanked(files)
        )
    info = payload.get("info")
    listed = isinstance(info, dict) and isinstance(info.get("version"), str) and info.get("yanked") is not True
    if listed and not (isinstance(releases, dict) and _yanked(releases.get(info["version"]))):
        found.append(info["version"])
    return found


def newest(payload: Any, include_prereleases: bool = False) -> Optional[Version]:
    """The newest release a user should be offered; pre-releases only if asked for."""
    best: Optional[Version] = None
    for text in candidates(payload):
        version = parse(text)
        if version is None or version.local is not None:
            continue
        if version.is_prerelease and not include_prereleases:
            continue
        if best is None or version > best:
            best = version
    return best


def choose(installed: str, latest_final: Optional[str], latest_any: Optional[str]) -> Optional[str]:
    """The release to offer someone on ``installed``, or None when they are current.

    Pre-releases (``latest_any``) are offered only to someone already running
    one; a local version (``1.0.0+build``) counts as the release it was built
    from, or later. Invalid versions on either side offer nothing.
    """
    if installed == latest_final and _PLAIN_RELEASE.fullmatch(installed):
        return None  # the everyday "up to date" answer, without importing packaging
    current = parse(installed)
    if current is None:
        return None
    candidate = latest_any if current.is_prerelease else latest_final
    return candidate if is_newer(installed, candidate) else None


def offer(installed: str, payload: Any) -> Optional[str]:
    """``choose`` straight from an index payload."""
    final, any_ = newest(payload), newest(payload, include_prereleases=True)
    return choose(installed, str(final) if final else None, str(any_) if any_ else None)


def is_newer(installed: str, latest: Optional[str]) -> bool:
    """True when ``latest`` is a valid version above ``installed`` (both parsed by packaging)."""
    current, candidate = parse(installed), parse(latest)
    return current is not None and candidate is not None and candidate > current


def index_url(base: Optional[str], distribution: str) -> str:
    base = (base or DEFAULT_INDEX).strip().rstrip("/") or DEFAULT_INDEX
    return f"{base}/pypi/{canonical_name(distribution)}/json"


class IndexUnavailable(Exception):
    """The index could not answer (network, 5xx, garbage): try again later."""


def _tls_context() -> Any:
    """Verification as httpx does it (SSL_CERT_FILE, SSL_CERT_DIR, else certifi's bundle), so both agree."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    try:
        import certifi
    except ImportError:  # pragma: no cover - httpx depends on certifi
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())


def opener() -> Any:
    """urllib with the environment's proxies and redirects; the TLS context is built on the first https URL."""
    import urllib.request

    class LazyTLS(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            if self._context is None:  # type: ignore[has-type]
                self._context = _tls_context()
            return super().https_open(req)

    return urllib.request.build_opener(LazyTLS())


def fetch(base: Optional[str], distribution: str, timeout: float, user_agent: str,
          via: Optional[Any] = None) -> Optional[Any]:
    """The JSON payload for ``distribution``; None when the index does not know it (404).

    ``timeout`` bounds each network wait; ``via`` is an ``opener()`` to share
    between requests (one TLS context); any failure raises IndexUnavailable.
    """
    import http.client
    import urllib.error
    import urllib.request

    try:
        request = urllib.request.Request(
            index_url(base, distribution), headers={"Accept": "application/json", "User-Agent": user_agent}
        )
        with (via or opener()).open(request, timeout=timeout) as response:
            declared = getattr(response, "length", None)  # None: chunked or until close
            if declared is not None and declared > MAX_PAYLOAD:
                raise IndexUnavailable("answer too large")
            body = response.read() if declared is not None else response.read(MAX_PAYLOAD + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 404:
            return None
        raise IndexUnavailable(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        detail = f"{type(reason).__name__}: {reason}" if isinstance(reason, BaseException) else str(reason)
        raise IndexUnavailable(detail) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:  # timeouts, resets, truncated bodies
        raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from None
    if len(body) > MAX_PAYLOAD:
        raise IndexUnavailable("answer too large")
    try:
        return json.loads(body)
    except ValueError:
        raise IndexUnavailable("not JSON") from None
