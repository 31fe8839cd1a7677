"""Plugins change the manifests without a template edit; the committed tree ignores third-party plugins."""

from __future__ import annotations

import pytest

from qwencloud_skills.manifests.build import build_all, differences, first_party_registry
from qwencloud_skills.manifests.validate import validate_tree
from qwencloud_skills.plugins import get_registry

from .plugins import AUDIO_SKILL, LONGER_T2V_MODEL, STABILIZE_MODE
from .util import COMMITTED, IMAGE_SKILL, SKILL, skills_cli


def _video(built):
    return next(item for item in built if item.skill.name == SKILL)


def test_a_third_party_mode_appears_in_skill_md_and_references(install_plugin, tmp_path):
    install_plugin("acme_stabilize", STABILIZE_MODE, dist="acme-stabilize")
    files = _video(build_all(get_registry())).files

    row = next(line for line in files["SKILL.md"].splitlines() if line.startswith("| **acme-stabilize**"))
    assert "Steady a shaky hand-held clip." in row and "`shaky_video_url`" in row and "`acme-steady-1`" in row
    # Detection order: priority 45 sits between vace (50) and r2v (40).
    order = [line.split("**")[1] for line in files["SKILL.md"].splitlines() if line.startswith("| **")]
    assert order[:3] == ["vace", "acme-stabilize", "r2v"]
    assert "- **acme-stabilize**: Keeps the input's length and sound" in files["SKILL.md"]

    fields = files["references/request-fields.md"]
    assert "## acme-stabilize" in fields
    assert "| `shaky_video_url` | string | yes | The shaky clip to steady: URL or local path. |" in fields
    assert "| `smoothing` | number | no |" in fields
    assert "POST /services/aigc/video-generation/video-stabilize" in fields

    models = files["references/models.md"]
    assert "| `acme-steady-1` (default, recommended) | the steadier | clips up to 60 s | 0.0-1.0 |" in models

    examples = files["references/examples.md"]
    assert "### Steady a walk" in examples and '{"shaky_video_url":"clip.mp4","smoothing":0.9}' in examples
    assert "python3 <skill-dir>/scripts/video.py acme-stabilize" in files["references/cli.md"]

    out = tmp_path / "skills"
    result = skills_cli("build", "--all-plugins", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "acme-stabilize" in (out / "video" / SKILL / "SKILL.md").read_text(encoding="utf-8")
    assert all(not problems for problems in validate_tree(out).values())


def test_a_model_added_by_register_models_appears_in_the_model_tables(install_plugin):
    install_plugin("acme_long", LONGER_T2V_MODEL, dist="acme-long")
    models = _video(build_all(get_registry())).files["references/models.md"]
    t2v = models.split("## t2v", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in t2v.splitlines() if "`acme-wan-long-t2v`" in line)
    assert "Text to video up to 30 s" in row and "2-30 s (default 5)" in row
    assert "`wan2.6-t2v` (default, recommended)" in t2v


def test_a_third_party_skill_gets_its_own_folder_and_a_run_py_launcher(install_plugin, tmp_path):
    install_plugin("acme_audio", AUDIO_SKILL, dist="acme-audio")
    built = build_all(get_registry())
    assert [item.relpath for item in built] == ["audio/acme-audio-tools", f"image/{IMAGE_SKILL}", f"video/{SKILL}"]
    audio = built[0].files
    assert "scripts/run.py" in audio and "scripts/video.py" not in audio
    assert "COMMAND = ['qwencloud-skills', 'audio']" in audio["scripts/run.py"]
    assert "python3 <skill-dir>/scripts/run.py" in audio["SKILL.md"]
    assert "`qwencloud-skills audio` takes the same arguments" in audio["SKILL.md"]
    assert "output/acme-audio-tools/" in audio["SKILL.md"]
    out = tmp_path / "skills"
    assert skills_cli("build", "--all-plugins", "--out", str(out)).exit_code == 0
    assert all(not problems for problems in validate_tree(out).values())
    skills_ref = pytest.importorskip("skills_ref", reason="the skills-ref validator needs Python 3.11+")
    assert skills_ref.validate(out / "audio" / "acme-audio-tools") == []


def test_the_committed_tree_ignores_third_party_plugins(install_plugin, tmp_path):
    install_plugin("acme_stabilize", STABILIZE_MODE, dist="acme-stabilize")
    install_plugin("acme_audio", AUDIO_SKILL, dist="acme-audio")
    assert "acme-stabilize" in get_registry().modes
    assert differences(build_all(first_party_registry()), COMMITTED) == []
    out = tmp_path / "skills"
    assert skills_cli("build", "--out", str(out)).exit_code == 0
    assert sorted(path.name for path in out.iterdir()) == ["image", "video"]
    assert skills_cli("build", "--check", "--out", str(COMMITTED)).exit_code == 0
