"""Ask the package index for a distribution's newest release and compare versions.

The index speaks PyPI's JSON API (``GET {base}/pypi/<dist>/json``); the base is
https://pypi.org unless QWEN_SKILLS_UPDATE_URL names another (the emulator, a
mirror). Versions are compared with ``packaging`` so pre-, post-, dev- and
local versions order the way pip orders them.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

DEFAULT_INDEX = "https://pypi.org"
URL_ENV = "QWEN_SKILLS_UPDATE_URL"


def parse(version: Any) -> Optional[Version]:
    """A Version, or None for anything pip would not accept."""
    if not isinstance(version, str):
        return None
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
    return f"{base}/pypi/{canonicalize_name(distribution)}/json"


class IndexUnavailable(Exception):
    """The index could not answer (network, 5xx, garbage): try again later."""


def fetch(client: Any, base: Optional[str], distribution: str) -> Optional[Any]:
    """The JSON payload for ``distribution``; None when the index does not know it (404).

    ``client`` is an ``httpx.Client``; any other failure raises IndexUnavailable.
    """
    import httpx

    try:
        response = client.get(index_url(base, distribution), headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise IndexUnavailable(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError as exc:
        raise IndexUnavailable("not JSON") from exc
