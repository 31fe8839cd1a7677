"""The public API is importable from ``qwencloud_skills`` itself, and importing the package stays cheap."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

import qwencloud_skills

PROBE = """
import json, sys
{statement}
print(json.dumps(sorted(sys.modules)))
"""

HEAVY = ("httpx", "pydantic", "pluggy", "click")


def _modules_after(statement: str) -> set:
    result = subprocess.run([sys.executable, "-c", PROBE.format(statement=statement)], capture_output=True,
                            text=True, check=True, timeout=60)
    return set(json.loads(result.stdout))


def test_importing_the_package_imports_nothing_else_of_ours_nor_anything_heavy() -> None:
    loaded = _modules_after("import qwencloud_skills; assert qwencloud_skills.__version__")
    assert [m for m in loaded if m.startswith("qwencloud_skills.")] == []
    assert [m for m in HEAVY if m in loaded] == []


def test_a_plugin_record_loads_only_the_registry() -> None:
    loaded = _modules_after("from qwencloud_skills import Mode, Skill")
    assert {m for m in loaded if m.startswith("qwencloud_skills.")} == {"qwencloud_skills.registry"}
    assert [m for m in HEAVY if m in loaded] == []


@pytest.mark.parametrize("name", [n for n in qwencloud_skills.__all__ if n not in ("DISTRIBUTION", "__version__")])
def test_every_public_name_is_the_object_its_home_module_defines(name: str) -> None:
    home = importlib.import_module(f"qwencloud_skills.{qwencloud_skills._HOMES[name]}")
    assert getattr(qwencloud_skills, name) is getattr(home, name)


def test_the_public_api_covers_clients_plugin_records_hooks_and_errors() -> None:
    expected = {
        "TaskClient", "AsyncTaskClient", "Skill", "Mode", "ModelSpec", "Output", "DetectionRule", "Example",
        "PixelBounds", "hookimpl", "QwenSkillsError", "InvalidRequestError", "ConfigError", "ServiceError",
        "TaskFailedError", "__version__",
    }
    assert expected <= set(qwencloud_skills.__all__)
    assert len(set(qwencloud_skills.__all__)) == len(qwencloud_skills.__all__)
    assert set(qwencloud_skills.__all__) == {"DISTRIBUTION", "__version__", *qwencloud_skills._HOMES}
    errors = importlib.import_module("qwencloud_skills.errors")
    catchable = {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, errors.QwenSkillsError)}
    assert catchable <= set(qwencloud_skills.__all__)  # every error a user may catch
    assert set(qwencloud_skills.__all__) <= set(dir(qwencloud_skills))


def test_star_import_and_unknown_names() -> None:
    namespace: dict = {}
    exec("from qwencloud_skills import *", namespace)
    assert namespace["TaskClient"] is qwencloud_skills.TaskClient
    with pytest.raises(AttributeError, match="no attribute 'NoSuchThing'"):
        qwencloud_skills.NoSuchThing  # noqa: B018
    with pytest.raises(ImportError):
        exec("from qwencloud_skills import NoSuchThing", {})
