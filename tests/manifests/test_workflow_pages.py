"""workflows.md, merge-media.md and the SKILL.md workflow lines come from the registry, and are checked."""

from __future__ import annotations

import click
import pytest
from workflowplugin import PLUGIN_SOURCE

from qwencloud_skills.manifests.build import build_all
from qwencloud_skills.manifests.errors import BuildError
from qwencloud_skills.mediaops.cli import media
from qwencloud_skills.plugins import get_registry

from .util import IMAGE_SKILL, SKILL


def _files(name: str) -> dict:
    return next(item for item in build_all(get_registry()) if item.skill.name == name).files


def test_a_third_party_workflow_gets_its_page_its_options_and_a_checked_example(install_plugin) -> None:
    install_plugin("acme_pair_flow", PLUGIN_SOURCE, dist="acme-pair-flow")
    files = _files(SKILL)
    page = files["references/workflows.md"]
    assert "## pair" in page and "Two clips side by side in time." in page
    assert "| `--prompt` | string | yes | What both clips show. |" in page
    assert "workflow run pair --prompt 'a lighthouse' --dry-run" in page
    assert "2 billed jobs" in page
    row = next(line for line in files["SKILL.md"].splitlines() if line.startswith("| pair |"))
    assert "--prompt 'a lighthouse'" in row
    assert "[workflows.md](references/workflows.md)" in files["SKILL.md"]


def test_a_workflow_example_its_own_modes_refuse_fails_the_build(install_plugin) -> None:
    broken = PLUGIN_SOURCE.replace('{"prompt": "a lighthouse"}', '{"prompt": "a lighthouse", "seconds": 1}')
    install_plugin("acme_pair_flow", broken, dist="acme-pair-flow")
    with pytest.raises(BuildError, match=r"workflow pair, example 'Two shots' is refused(.|\n)*seconds"):
        build_all(get_registry())


def test_a_planned_job_its_mode_refuses_fails_the_build(install_plugin) -> None:
    broken = PLUGIN_SOURCE.replace('"size": "1280*720"', '"size": "999*999"')
    install_plugin("acme_pair_flow", broken, dist="acme-pair-flow")
    with pytest.raises(BuildError, match=r"workflow pair(.|\n)*999\*999"):
        build_all(get_registry())


def test_merge_media_documents_every_media_command_and_no_hand_written_ffmpeg() -> None:
    page = _files(SKILL)["references/merge-media.md"]
    for name in media.list_commands(click.Context(media)):
        assert f"## media {name}" in page
    assert "--crossfade" in page and "--last" in page
    assert "ffmpeg -i" not in page and "ffmpeg -f concat" not in page and "moviepy" not in page
    assert "references/merge-media.md" not in _files(IMAGE_SKILL)  # stills: nothing to join or trim


def test_a_skill_without_workflows_gets_no_workflows_page() -> None:
    files = _files(IMAGE_SKILL)
    assert "references/workflows.md" not in files and "workflow run" not in files["SKILL.md"]
