"""What the emulator knows about an input medium (pixel size, length) without downloading anything.

Sources, in order: facts a test declared for a URL (``EmulatorConfig.input_media``), then a
probe of an object uploaded to the emulator's own temporary storage (``oss://`` URLs). Anything
else is unknown, and callers fall back to documented defaults.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional

OSS = "oss://"


@dataclass(frozen=True)
class MediaFacts:
    width: Optional[int] = None
    height: Optional[int] = None
    duration: Optional[float] = None


Lookup = Callable[[str], Optional[MediaFacts]]


def no_facts(url: str) -> Optional[MediaFacts]:
    return None


def _from_mapping(value: Any) -> Optional[MediaFacts]:
    if isinstance(value, MediaFacts):
        return value
    if isinstance(value, Mapping):
        return MediaFacts(value.get("width"), value.get("height"), value.get("duration"))
    return None


class FactFinder:
    """Per-emulator cache of probes of uploaded objects (an object never changes once stored)."""

    def __init__(self, object_bytes: Callable[[str], Optional[bytes]]) -> None:
        self._object_bytes = object_bytes
        self._cache: Dict[str, Optional[MediaFacts]] = {}
        self._lock = threading.Lock()

    def lookup(self, declared: Mapping[str, Any], probe: bool) -> Lookup:
        """A lookup for one request, reading the config's declared facts at that moment."""

        def find(url: str) -> Optional[MediaFacts]:
            if url in declared:
                return _from_mapping(declared[url])
            if probe and url.startswith(OSS):
                return self._probe_object(url[len(OSS) :])
            return None

        return find

    def _probe_object(self, key: str) -> Optional[MediaFacts]:
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        data = self._object_bytes(key)
        facts = _probe_bytes(data, os.path.splitext(key)[1]) if data else None
        with self._lock:
            self._cache[key] = facts
        return facts


def _probe_bytes(data: bytes, suffix: str) -> Optional[MediaFacts]:
    """ffmpeg's view of the bytes, or None when ffmpeg is missing or cannot read them."""
    from .media import MediaUnavailable
    from .probe import probe

    fd, path = tempfile.mkstemp(prefix="emulator-input-", suffix=suffix[:16])
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        found = probe(path)
    except (MediaUnavailable, ValueError, OSError):
        return None
    except Exception:  # noqa: BLE001 - e.g. a probe timeout: treat as unknown
        return None
    finally:
        os.unlink(path)
    return MediaFacts(found["width"], found["height"], found["duration"])
