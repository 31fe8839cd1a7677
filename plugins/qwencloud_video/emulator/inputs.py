"""Which input media a task's video shows, and reading them the way the service would.

Uploads (``oss://``) are read from the emulator's storage when the task is submitted (the
only moment the service record sees it); ``data:`` URIs are decoded and http(s) URLs fetched
when the result is produced. An input that cannot be read is left out: the video then shows
the plain pattern there, and the task never fails for it.
"""

from __future__ import annotations

import base64
import binascii
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional, Tuple
from urllib.parse import unquote_to_bytes

from .facts import OSS
from .media import FIRST_CLIP, FIRST_FRAME, LAST_FRAME, Source
from .models import LEGACY

MAX_INPUT_BYTES = 100 * 1024 * 1024  # the largest input the docs allow (a first clip)
CHUNK = 64 * 1024

# Legacy fields per mode: (field, role). VACE shows them only for video_extension.
LEGACY_FIELDS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "i2v": (("img_url", FIRST_FRAME),),
    "kf2v": (("first_frame_url", FIRST_FRAME), ("last_frame_url", LAST_FRAME)),
    "vace": (("first_clip_url", FIRST_CLIP), ("first_frame_url", FIRST_FRAME), ("last_frame_url", LAST_FRAME)),
}
MEDIA_ROLES = (FIRST_CLIP, FIRST_FRAME, LAST_FRAME)  # input.media item types that are shown as given


def shown_urls(mode: str, protocol: str, inputs: Any) -> Dict[str, str]:
    """role -> URL of the inputs the output shows, for an accepted submit's ``input`` block."""
    if not isinstance(inputs, dict):
        return {}
    found: Dict[str, str] = {}
    if protocol == LEGACY:
        if mode == "vace" and inputs.get("function") != "video_extension":
            return {}
        for name, role in LEGACY_FIELDS.get(mode, ()):
            value = inputs.get(name)
            if isinstance(value, str) and value.strip():
                found[role] = value.strip()
        return found
    for item in inputs.get("media") or ():
        if isinstance(item, dict) and item.get("type") in MEDIA_ROLES and isinstance(item.get("url"), str):
            found.setdefault(item["type"], item["url"].strip())
    return found


@dataclass(frozen=True)
class ShownInputs:
    """The inputs one task shows: their URLs by role and the uploads' bytes as submitted."""

    urls: Mapping[str, str]
    uploads: Mapping[str, Optional[bytes]]

    def sources(self, fetch_seconds: float) -> Tuple[Source, ...]:
        """The readable inputs as render sources; http(s) fetches give up after ``fetch_seconds`` (0: never)."""
        found = []
        for role, url in self.urls.items():
            data = read_input(url, self.uploads, fetch_seconds)
            if data:
                found.append(Source.of(role, data))
        return tuple(found)


def capture(
    mode: str, protocol: str, inputs: Any, oss_resolve: bool, object_bytes: Callable[[str], Optional[bytes]]
) -> ShownInputs:
    """At submit: which inputs are shown, with the bytes of those uploaded (readable only with the resolve header)."""
    urls = shown_urls(mode, protocol, inputs)
    uploads: Dict[str, Optional[bytes]] = {}
    if oss_resolve:
        for url in urls.values():
            if url.startswith(OSS):
                uploads[url] = object_bytes(url[len(OSS):])
    return ShownInputs(urls, uploads)


def read_input(url: str, uploads: Mapping[str, Optional[bytes]], fetch_seconds: float) -> Optional[bytes]:
    """The bytes behind one input URL, or None when they cannot be had."""
    if url.startswith(OSS):
        return uploads.get(url)
    if url.startswith("data:"):
        return decode_data_url(url)
    if url.startswith(("http://", "https://")) and fetch_seconds > 0:
        return fetch(url, fetch_seconds)
    return None


def decode_data_url(url: str) -> Optional[bytes]:
    """``data:[mime][;base64],payload`` -> bytes (None when malformed)."""
    header, comma, payload = url[len("data:"):].partition(",")
    if not comma:
        return None
    if header.split(";")[-1].strip().lower() == "base64":
        try:
            return base64.b64decode("".join(payload.split()), validate=False)
        except (binascii.Error, ValueError):
            return None
    return unquote_to_bytes(payload)


def fetch(url: str, seconds: float) -> Optional[bytes]:
    """GET ``url`` within ``seconds`` in all (redirects followed, proxies ignored); None on any failure."""
    import httpx

    deadline = time.monotonic() + seconds
    chunks, size = [], 0
    try:
        with httpx.Client(timeout=seconds, follow_redirects=True, trust_env=False) as client:
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    return None
                for chunk in response.iter_bytes(CHUNK):
                    size += len(chunk)
                    if size > MAX_INPUT_BYTES or time.monotonic() > deadline:
                        return None
                    chunks.append(chunk)
    except (httpx.HTTPError, OSError, ValueError):
        return None
    return b"".join(chunks)
