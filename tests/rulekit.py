"""Request-rule helpers every skill's tests share: a registry built once from the skill's own plugin
modules (no entry-point scan), requests changed one field at a time, and lookups of the issues raised."""

from __future__ import annotations

import functools
import importlib
import json
import warnings
from typing import Any, List, Mapping, Optional

import pytest

from qwencloud_skills.errors import FieldIssue, InvalidRequestError
from qwencloud_skills.plugins import PluginHost
from qwencloud_skills.registry import Mode, Registry, UnknownModelWarning


class RuleKit:
    """``modules``: plugin module path -> plugin name; ``base``: the smallest valid request of each mode."""

    def __init__(self, skill: str, modules: Mapping[str, str], base: Mapping[str, Mapping[str, Any]]):
        self.skill = skill
        self.modules = dict(modules)
        self.base = base

    @functools.lru_cache(maxsize=1)  # noqa: B019 - one kit per skill, alive for the whole session
    def registry(self) -> Registry:
        host = PluginHost()
        for module, name in self.modules.items():
            host.add(importlib.import_module(module), name)
        return host.build_registry()

    def mode(self, name: str) -> Mode:
        return self.registry().mode(name, skill=self.skill)

    def request(self, mode_name: str, **changes: Any) -> dict:
        """The mode's base request with ``changes`` applied; a change to None removes the field."""
        data = dict(self.base[mode_name])
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def accept(self, mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnknownModelWarning)
            return self.mode(mode_name).validate(data, model)

    def body(self, mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> dict:
        """The wire body the mode builds for an accepted request."""
        return self.mode(mode_name).payload(self.accept(mode_name, data, model), model)

    def reject(self, mode_name: str, data: Mapping[str, Any], model: Optional[str] = None) -> InvalidRequestError:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownModelWarning)
            with pytest.raises(InvalidRequestError) as caught:
                self.mode(mode_name).validate(data, model)
        return caught.value


def issue(error: InvalidRequestError, field: str, value: Any = ...) -> FieldIssue:
    """The issue about ``field``: it carries ``value``, a problem and a fix, and the message names them."""
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
