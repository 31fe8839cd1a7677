"""Helpers for the image tests: a registry built once from the first-party image modules, and error lookups."""

from __future__ import annotations

import functools
import json
import warnings
from typing import Any, List, Mapping, Optional

import pytest

from qwencloud_skills.errors import FieldIssue, InvalidRequestError
from qwencloud_skills.plugins import PluginHost
from qwencloud_skills.registry import Mode, Registry, UnknownModelWarning

SKILL = "qwencloud-image-generation"
FIRST_PARTY = {"skill": "image", "t2i": "image_t2i", "imageedit": "image_edit", "i2i": "image_i2i"}
MODES = ("t2i", "image-edit", "i2i")

IMG = "https://example.com/photo.png"
IMG2 = "https://example.com/style.png"

# The smallest valid request of each mode (with the model that selects it); tests change one field at a time.
BASE: Mapping[str, Mapping[str, Any]] = {
    "t2i": {"prompt": "A lighthouse in a storm"},
    "image-edit": {"prompt": "Make it a watercolor", "reference_images": [IMG]},
    "i2i": {"prompt": "Make it a watercolor", "reference_images": [IMG]},
}
DEFAULT_MODEL = {"t2i": "wan2.6-t2i", "image-edit": "wan2.7-image", "i2i": "wan2.5-i2i-preview"}


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    """The first-party image plugins registered directly (no entry-point scan), shared by the rule tests."""
    import importlib

    host = PluginHost()
    for module, name in FIRST_PARTY.items():
        host.add(importlib.import_module(f"qwencloud_image.{module}"), name)
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


def body(mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> dict:
    """The wire body the mode builds for an accepted request."""
    chosen = mode(mode_name)
    return chosen.payload(accept(mode_name, data, model), model)


def reject(mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> InvalidRequestError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownModelWarning)
        with pytest.raises(InvalidRequestError) as caught:
            mode(mode_name).validate(data, model)
    return caught.value


def issue(error: InvalidRequestError, field: str, value: Any = ...) -> FieldIssue:
    """The issue about ``field``: it carries ``value``, an allowed text and a fix, and the message names them."""
    found: List[FieldIssue] = [item for item in error.issues if item.field == field]
    assert found, f"no issue about {field!r} in:\n{error}"
    chosen = found[0]
    if value is not ...:
        matching = [item for item in found if item.value == value]
        assert matching, f"issue about {field!r} does not carry value {value!r}:\n{error}"
        chosen = matching[0]
        if value is not None:
            assert json.dumps(value, ensure_ascii=False)[:40] in str(error)  # values are shown as JSON
    assert chosen.problem and chosen.fix, str(error)
    assert field in str(error) and f"fix: {chosen.fix}" in str(error)
    return chosen
