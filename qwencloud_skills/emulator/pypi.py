"""A tiny stand-in for PyPI's JSON API, so an update check can be tested offline."""

from __future__ import annotations

import re
import threading
from typing import Any, Dict, List, Optional, Tuple

_PRE = re.compile(r"(a|b|rc|dev|alpha|beta|pre|preview)", re.IGNORECASE)


def normalize(name: str) -> str:
    """PEP 503 name normalisation."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _key(version: str) -> Tuple[Tuple[int, ...], int]:
    release = []
    for piece in version.split("."):
        digits = re.match(r"\d+", piece)
        release.append(int(digits.group()) if digits else 0)
        if not digits or digits.group() != piece:
            break
    while release and release[-1] == 0:
        release.pop()
    return tuple(release), 0 if _PRE.search(version) else 1


def is_prerelease(version: str) -> bool:
    return bool(_PRE.search(version))


class VersionIndex:
    """Distribution -> versions; ``info.version`` is the newest final release, like PyPI."""

    def __init__(self) -> None:
        self._versions: Dict[str, List[str]] = {}
        self._lock = threading.Lock()

    def add(self, distribution: str, version: str) -> None:
        with self._lock:
            versions = self._versions.setdefault(normalize(distribution), [])
            if version not in versions:
                versions.append(version)

    def payload(self, distribution: str) -> Optional[Dict[str, Any]]:
        with self._lock:
            versions = list(self._versions.get(normalize(distribution), []))
        if not versions:
            return None
        finals = [v for v in versions if not is_prerelease(v)] or versions
        latest = max(finals, key=_key)
        return {
            "info": {"name": distribution, "version": latest, "yanked": False},
            "releases": {v: [] for v in sorted(versions, key=_key)},
            "urls": [],
        }
