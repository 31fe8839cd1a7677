"""Helpers for the video tests: a registry built once from the first-party modules, and error lookups."""

from __future__ import annotations

import functools
import json
import warnings
from typing import Any, List, Mapping, Optional

import pytest

from qwencloud_skills.errors import FieldIssue, InvalidRequestError
from qwencloud_skills.plugins import PluginHost
from qwencloud_skills.registry import Mode, Registry, UnknownModelWarning

SKILL = "qwencloud-video-generation"
FIRST_PARTY = ("skill", "t2v", "i2v", "kf2v", "r2v", "vace", "videoedit")

IMG = "https://example.com/still.png"
IMG2 = "https://example.com/still2.png"
CLIP = "https://example.com/clip.mp4"

# The smallest valid request of each mode; tests add or change one field at a time.
BASE: Mapping[str, Mapping[str, Any]] = {
    "t2v": {"prompt": "A lighthouse in a storm"},
    "i2v": {"prompt": "The waves roll in", "img_url": IMG},
    "kf2v": {"first_frame_url": IMG, "last_frame_url": IMG2},
    "r2v": {"prompt": "character1 waves", "reference_urls": [IMG]},
    "vace": {"function": "video_extension", "prompt": "The dog keeps skating", "first_clip_url": CLIP},
    "videoedit": {"prompt": "Make it snow", "video_url": CLIP},
}


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    """The first-party plugins registered directly (no entry-point scan), shared by the rule tests."""
    import importlib

    host = PluginHost()
    for name in FIRST_PARTY:
        host.add(importlib.import_module(f"qwencloud_video.{name}"), f"video_{name}")
    return host.build_registry()


def mode(name: str) -> Mode:
    return registry().mode(name, skill=SKILL)


def request(mode_name: str, **changes: Any) -> dict:
    """BASE[mode_name] with ``changes`` applied; a change to None removes the field."""
    data = dict(BASE[mode_name])
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def accept(mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownModelWarning)
        return mode(mode_name).validate(data, model)


def reject(mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> InvalidRequestError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownModelWarning)
        with pytest.raises(InvalidRequestError) as caught:
            mode(mode_name).validate(data, model)
    return caught.value


def issue(error: InvalidRequestError, field: str, value: Any = ...) -> FieldIssue:
    """The issue about ``field``; checks it carries ``value`` and that the message names both."""
    found: List[FieldIssue] = [item for item in error.issues if item.field == field]
    assert found, f"no issue about {field!r} in:\n{error}"
    chosen = found[0]
    assert field in str(error)
    if value is not ...:
        matching = [item for item in found if item.value == value]
        assert matching, f"issue about {field!r} does not carry value {value!r}:\n{error}"
        chosen = matching[0]
        if value is not None:
            assert json.dumps(value, ensure_ascii=False)[:40] in str(error)  # values are shown as JSON
    return chosen
