"""Several skills on one host: no skill's fallback takes another's request, and clashing names fail loudly."""

from __future__ import annotations

import warnings

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.plugins import PluginLoadWarning, get_registry
from qwencloud_skills.registry import DetectionRule, Mode, ModelSpec, Registry, Skill
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import TaskBook


def book(skill=None) -> TaskBook:
    return TaskBook(skill=skill, api_key=ApiKey("sk-canary-7f3e9a1b2c4d5e6f"), base_url="http://127.0.0.1:9",
                    ledger=False)


def test_without_a_skill_a_request_both_skills_could_take_is_refused() -> None:
    assert {"qwencloud-video-generation", "qwencloud-image-generation"} <= set(get_registry().skills)
    with pytest.raises(InvalidRequestError) as info:
        book().prepare({"prompt": "a lighthouse"})
    issue = info.value.issues[0]
    assert issue.field == "skill" and "qwencloud-image-generation" in issue.problem
    assert "qwencloud-video-generation" in issue.problem and "TaskClient(skill=" in issue.fix
    assert book("qwencloud-video-generation").prepare({"prompt": "a lighthouse"}).mode.name == "t2v"
    assert book("qwencloud-image-generation").prepare({"prompt": "a lighthouse"}).mode.name == "t2i"


def test_a_request_only_one_skill_takes_needs_no_skill() -> None:
    prepared = book().prepare({"prompt": "go", "first_clip_url": "https://e.invalid/a.mp4"})
    assert (prepared.mode.skill, prepared.mode.name) == ("qwencloud-video-generation", "i2v")


def _mode(name: str, skill: str) -> Mode:
    return Mode(name=name, skill=skill, summary="s", endpoint="/e", default_model="m",
                request_model=object, build_payload=lambda r, m: {}, models=[ModelSpec("m")],
                detection=DetectionRule())


def test_a_second_skill_on_the_same_domain_is_a_load_error() -> None:
    registry = Registry()
    registry.add_skill(Skill(name="a-video", domain="video", description="d"), plugin="first")
    with pytest.raises(ValueError, match="domain 'video'.*'a-video'.*plugin 'first'"):
        registry.add_skill(Skill(name="b-video", domain="video", description="d"), plugin="second")


def test_the_same_mode_name_in_two_skills_is_a_load_error() -> None:
    registry = Registry()
    registry.add_mode(_mode("edit", "one"), plugin="first")
    with pytest.raises(ValueError, match="mode 'edit' is already registered by plugin 'first'"):
        registry.add_mode(_mode("edit", "two"), plugin="second")


CLASHING = '''
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import Skill

@hookimpl
def register_skills(register):
    register(Skill(name="acme-video", domain="video", description="Clash. TRIGGER when: x. DO NOT TRIGGER when: y."))
'''


def test_an_installed_plugin_that_clashes_is_skipped_with_a_warning_naming_it(install_plugin) -> None:
    from qwencloud_skills.plugins import PluginHost

    install_plugin("acme_clash", CLASHING, dist="acme-clash")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        host = PluginHost()
        host.load_entry_points()
        registry = host.build_registry()
    assert "acme-video" not in registry.skills and "qwencloud-video-generation" in registry.skills
    texts = [str(w.message) for w in caught if issubclass(w.category, PluginLoadWarning)]
    assert any("acme_clash" in text and "domain 'video'" in text for text in texts), texts
