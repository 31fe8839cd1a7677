"""Plugin loading through entry points: first-party, third-party, restricted, broken."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

from qwencloud_skills.plugins import IgnoredHookWarning, PluginLoadWarning, get_host
from qwencloud_skills.registry import RegistrationWarning

THIRD_PARTY_SKILL = '''
from pydantic import BaseModel, ConfigDict, Field
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, ModelSpec, Mode, Skill


class EchoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="What to echo")


def build(request, model_id):
    return {"model": model_id, "input": {"text": request.text}, "parameters": {}}


@hookimpl
def register_skills(register):
    register(Skill(name="acme-echo", domain="echo", description="Echo. TRIGGER when: x. DO NOT TRIGGER when: y."))


@hookimpl
def register_modes(register):
    register(Mode(
        name="echo", skill="acme-echo", summary="Echo text", endpoint="/services/acme/echo",
        default_model="echo-1", request_model=EchoRequest, build_payload=build,
        models=[ModelSpec("echo-1", "the only echo model")],
        detection=DetectionRule(keys=("text",), priority=10),
        examples=(Example("hello", {"text": "hi"}),),
    ))
'''

BROKEN_IMPORT = '''
raise ImportError("this plugin needs a library that is not installed")
'''

BROKEN_HOOK = '''
from qwencloud_skills import hookimpl

@hookimpl
def register_modes(register):
    raise RuntimeError("boom while registering")
'''


def test_first_party_plugins_load_through_entry_points() -> None:
    host = get_host()
    first_party = [p for p in host.plugins.values() if p.distribution == "qwencloud-skills"]
    assert first_party, "first-party plugins must be declared as entry points"
    assert all(p.version for p in first_party)


def test_third_party_plugin_adds_skill_and_mode_without_host_edits(install_plugin) -> None:
    install_plugin("acme_echo_plugin", THIRD_PARTY_SKILL, dist="acme-echo", version="2.3.4")
    host = get_host()
    info = host.plugins["acme_echo_plugin"]
    assert (info.distribution, info.version) == ("acme-echo", "2.3.4")
    assert info.registers == ["skill:acme-echo", "mode:echo"]
    registry = host.registry
    mode = registry.detect_mode({"text": "hello"}, skill="acme-echo")
    assert mode.name == "echo" and mode.plugin == "acme_echo_plugin"
    validated = mode.validate({"text": "hello"})
    assert mode.payload(validated) == {"model": "echo-1", "input": {"text": "hello"}, "parameters": {}}


def test_broken_plugins_are_skipped_with_a_warning_naming_them(install_plugin) -> None:
    install_plugin("acme_echo_plugin", THIRD_PARTY_SKILL, dist="acme-echo")
    install_plugin("broken_import_plugin", BROKEN_IMPORT, dist="broken-dist", version="0.0.1")
    install_plugin("broken_hook_plugin", BROKEN_HOOK, dist="broken-hooks", version="9.9")
    with pytest.warns(PluginLoadWarning) as caught:
        host = get_host()
    messages = [str(w.message) for w in caught]
    assert any("broken_import_plugin" in m and "broken-dist 0.0.1" in m and "ImportError" in m for m in messages)
    assert any("broken_hook_plugin" in m and "broken-hooks 9.9" in m and "boom" in m for m in messages)
    assert "echo" in host.registry.modes  # the healthy third-party plugin still works
    assert any(p.distribution == "qwencloud-skills" for p in host.plugins.values())


def test_restricting_plugins_by_name(install_plugin, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin("acme_echo_plugin", THIRD_PARTY_SKILL, dist="acme-echo")
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "acme_echo_plugin")
    host = get_host(reload=True)
    assert list(host.plugins) == ["acme_echo_plugin"]
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "qwencloud-skills")
    host = get_host(reload=True)
    assert "acme_echo_plugin" not in host.plugins
    assert host.plugins and all(p.distribution == "qwencloud-skills" for p in host.plugins.values())


def test_plugins_command_lists_distribution_version_and_registrations(install_plugin) -> None:
    install_plugin("acme_echo_plugin", THIRD_PARTY_SKILL, dist="acme-echo", version="2.3.4")
    install_plugin("broken_import_plugin", BROKEN_IMPORT, dist="broken-dist")
    out = subprocess.run(
        [sys.executable, "-m", "qwencloud_skills", "plugins", "--format", "json"],
        capture_output=True, text=True, check=True,
    )
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    assert rows["acme_echo_plugin"]["distribution"] == "acme-echo"
    assert rows["acme_echo_plugin"]["version"] == "2.3.4"
    assert rows["acme_echo_plugin"]["registers"] == ["skill:acme-echo", "mode:echo"]
    assert "broken_import_plugin" not in rows
    assert "broken_import_plugin" in out.stderr and "broken-dist" in out.stderr
    text = subprocess.run(
        [sys.executable, "-m", "qwencloud_skills", "plugins"], capture_output=True, text=True, check=True
    ).stdout
    assert "acme_echo_plugin  (acme-echo 2.3.4" in text and "mode:echo" in text


def test_model_added_to_a_mode_of_another_plugin(install_plugin) -> None:
    install_plugin("acme_echo_plugin", THIRD_PARTY_SKILL, dist="acme-echo")
    install_plugin(
        "acme_models_plugin",
        '''
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import ModelSpec

@hookimpl
def register_models(register):
    register("echo", ModelSpec("echo-2", "a newer echo"))
''',
        dist="acme-models",
    )
    mode = get_host().registry.modes["echo"]
    assert mode.model_ids == ["echo-1", "echo-2"]


HALF_BROKEN = '''
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import Skill

@hookimpl
def register_skills(register):
    register(Skill(name="half-skill", domain="half", description="x"))

@hookimpl
def register_modes(register):
    raise RuntimeError("modes broke")
'''


def test_a_plugin_failing_part_way_leaves_nothing_behind(install_plugin) -> None:
    install_plugin("half_plugin", HALF_BROKEN, dist="half-dist")
    with pytest.warns(PluginLoadWarning, match="half_plugin.*modes broke"):
        host = get_host()
    assert "half-skill" not in host.registry.skills
    assert "half_plugin" not in host.plugins


def test_a_model_for_a_missing_mode_is_refused_with_a_warning(install_plugin) -> None:
    install_plugin(
        "orphan_models",
        """
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import ModelSpec

@hookimpl
def register_models(register):
    register("no-such-mode", ModelSpec("m-1"))
""",
        dist="orphans",
    )
    with pytest.warns(PluginLoadWarning, match="no mode 'no-such-mode'"):
        host = get_host()
    assert "orphan_models" not in host.plugins


def test_listing_modes_imports_no_request_models() -> None:
    """Request models are registered as "module:Class" strings so --help never pays for pydantic."""
    import subprocess
    import sys

    code = (
        "import sys; from qwencloud_skills.plugins import get_registry; r = get_registry(); "
        "assert len(r.modes) >= 5; "
        "assert not [m for m in sys.modules if m.startswith('qwencloud_video.requests.')], sorted(sys.modules); "
        "assert 'pydantic' not in sys.modules; "
        "r.modes['t2v'].validate({'prompt': 'x'}); assert 'qwencloud_video.requests.t2v' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- hooks that would never be called, and hook order ----------------------------------------------

MISSPELLED_HOOK = '''
from qwencloud_skills import Skill, hookimpl

@hookimpl
def register_skills(register):
    register(Skill(name="typo-skill", domain="typo", description="x"))

@hookimpl
def register_mode(register):
    raise AssertionError("a hook nobody defines is never called")
'''


def test_a_misspelled_hook_is_named_in_a_warning_and_the_rest_of_the_plugin_loads(install_plugin) -> None:
    install_plugin("typo_plugin", MISSPELLED_HOOK, dist="typo-dist", version="1.2")
    with pytest.warns(IgnoredHookWarning) as caught:
        host = get_host()
    messages = [str(w.message) for w in caught if issubclass(w.category, IgnoredHookWarning)]
    assert len(messages) == 1
    assert "'typo_plugin'" in messages[0] and "typo-dist 1.2" in messages[0]
    assert "'register_mode'" in messages[0] and "did you mean 'register_modes'?" in messages[0]
    assert issubclass(IgnoredHookWarning, RegistrationWarning)
    assert "typo-skill" in host.registry.skills  # its correctly named hook still ran
    why = messages[0].split("will never be called: ")[1]
    assert host.plugins["typo_plugin"].ignored_hooks == [f"register_mode: {why}"]


def test_plugins_command_lists_ignored_hooks(install_plugin) -> None:
    install_plugin("typo_plugin", MISSPELLED_HOOK, dist="typo-dist")
    out = subprocess.run([sys.executable, "-m", "qwencloud_skills", "plugins", "--format", "json"],
                         capture_output=True, text=True, check=True)
    rows = {row["name"]: row for row in json.loads(out.stdout)}
    assert rows["typo_plugin"]["ignored_hooks"][0].startswith("register_mode: not a qwencloud-skills hook")
    assert all(row["ignored_hooks"] == [] for name, row in rows.items() if name != "typo_plugin")
    assert "typo_plugin" in out.stderr and "'register_mode'" in out.stderr and "Traceback" not in out.stderr


def test_an_optional_hook_is_not_reported(install_plugin) -> None:
    install_plugin("optional_plugin", '''
from qwencloud_skills import hookimpl

@hookimpl(optionalhook=True)
def register_something_newer(register):
    pass
''', dist="optional-dist")
    with warnings.catch_warnings():
        warnings.simplefilter("error", IgnoredHookWarning)
        host = get_host()
    assert host.plugins["optional_plugin"].ignored_hooks == []


@pytest.mark.parametrize("option", ["wrapper=True", "hookwrapper=True"])
def test_a_wrapper_hook_is_not_run_and_says_so(install_plugin, option: str) -> None:
    install_plugin("wrapping_plugin", f'''
from qwencloud_skills import hookimpl

@hookimpl({option})
def register_modes(register):
    raise AssertionError("wrappers are not run")
    yield
''', dist="wrapping-dist")
    with pytest.warns(IgnoredHookWarning, match="'wrapping_plugin'.*'register_modes'.*wrapper"):
        host = get_host()
    assert "wrapping_plugin" in host.plugins and host.plugins["wrapping_plugin"].ignored_hooks


ORDERED = '''
from qwencloud_skills import Skill, hookimpl

@hookimpl{options}
def register_skills(register):
    register(Skill(name="acme-{who}", domain="x-{who}", description="{who}"))
    register(Skill(name="acme-shared", domain="shared", description="{who}"))
'''


@pytest.mark.parametrize(
    "a_options, b_options, first, shared",
    [
        ("", "", "a", "b"),  # load order (by distribution name); the later registration of a skill wins
        ("", "(tryfirst=True)", "b", "a"),
        ("(trylast=True)", "", "b", "a"),
        ("(tryfirst=True)", "(tryfirst=True)", "a", "b"),  # same group: load order again
    ],
)
def test_tryfirst_and_trylast_decide_the_registration_order(install_plugin, a_options: str, b_options: str,
                                                           first: str, shared: str) -> None:
    install_plugin("order_a", ORDERED.format(options=a_options, who="a"), dist="order-a")
    install_plugin("order_b", ORDERED.format(options=b_options, who="b"), dist="order-b")
    with pytest.warns(RegistrationWarning, match="acme-shared"):
        registry = get_host().registry
    mine = [name for name in registry.skills if name in ("acme-a", "acme-b")]
    assert mine[0] == f"acme-{first}"
    assert registry.skills["acme-shared"].description == shared


def test_tryfirst_registers_before_the_first_party_plugins(install_plugin) -> None:
    install_plugin("early_plugin", ORDERED.format(options="(tryfirst=True)", who="early"), dist="zz-early")
    registry = get_host().registry
    assert list(registry.skills)[:2] == ["acme-early", "acme-shared"]
    assert len(registry.skills) > 2  # the first-party skills follow
