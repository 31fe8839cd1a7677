"""The skill record: name, output folder, CLI name, and a description agents can route on."""

from __future__ import annotations

from qwencloud_skills.plugins import get_registry

from .util import SKILL


def test_skill_is_registered_through_its_entry_point():
    skill = get_registry().skill(SKILL)
    assert skill.domain == "video"
    assert skill.output_dir == "output/qwencloud-video-generation/"
    assert skill.cli_name == "qwencloud-video"
    assert skill.title and skill.output.noun == "video" and skill.output.extension == ".mp4"


def test_description_fits_and_has_both_trigger_parts():
    description = get_registry().skill(SKILL).description
    assert len(description) <= 1024
    assert "TRIGGER when:" in description
    assert "DO NOT TRIGGER when:" in description
    assert description.index("TRIGGER when:") < description.index("DO NOT TRIGGER when:")


def test_every_mode_belongs_to_the_skill_with_its_plugin_recorded():
    registry = get_registry()
    modes = {mode.name: mode.plugin for mode in registry.modes_of(SKILL)}
    assert modes == {
        "t2v": "video_t2v",
        "i2v": "video_i2v",
        "kf2v": "video_kf2v",
        "r2v": "video_r2v",
        "vace": "video_vace",
        "videoedit": "video_videoedit",
    }
