"""The generated skill: committed and fresh, valid for skills-ref and for us, small, and built from the registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qwencloud_skills.manifests import frontmatter
from qwencloud_skills.manifests.build import build_all, differences, first_party_registry, read_tree, tree_bytes
from qwencloud_skills.manifests.errors import BuildError
from qwencloud_skills.manifests.examples import check_example
from qwencloud_skills.manifests.validate import validate_skill, validate_tree

from .plugins import BROKEN_EXAMPLE
from .util import COMMITTED, IMAGE_SKILL, IMAGE_SKILL_DIR, ROOT, SKILL, SKILL_DIR, skills_cli, video_of

MAX_SKILL_MD = 10 * 1024
EXPECTED_FILES = {
    "SKILL.md",
    "references/cli.md",
    "references/examples.md",
    "references/execution-guide.md",
    "references/local-files.md",
    "references/merge-media.md",
    "references/models.md",
    "references/polling.md",
    "references/prompt-guide.md",
    "references/request-fields.md",
    "references/workflows.md",
    "scripts/video.py",
}


@pytest.fixture(scope="module")
def built():
    return build_all(first_party_registry())


def test_committed_tree_is_exactly_what_build_produces(built, tmp_path):
    problems = differences(built, COMMITTED)
    assert not problems, (
        "the committed skills/ tree is stale; regenerate it with `qwencloud-skills skills build` "
        "and commit the result:\n  " + "\n  ".join(problems)
    )
    out = tmp_path / "skills"
    assert skills_cli("build", "--out", str(out)).exit_code == 0
    assert read_tree(out) == read_tree(COMMITTED)
    assert (out / "video" / SKILL / "scripts" / "video.py").stat().st_mode & 0o111


def test_build_is_deterministic(built):
    assert tree_bytes(build_all(first_party_registry())) == tree_bytes(built)


def test_generated_skill_has_the_expected_files(built):
    assert [item.relpath for item in built] == [f"image/{IMAGE_SKILL}", f"video/{SKILL}"]
    assert set(video_of(built).files) == EXPECTED_FILES


def test_skills_ref_reference_validator_accepts_every_generated_skill():
    skills_ref = pytest.importorskip("skills_ref", reason="the skills-ref validator needs Python 3.11+")
    read_properties, validate = skills_ref.read_properties, skills_ref.validate

    for folder in validate_tree(COMMITTED):
        assert validate(folder) == [], folder
        properties = read_properties(folder)
        assert properties.name == folder.name
        assert "TRIGGER when:" in properties.description and "DO NOT TRIGGER when:" in properties.description
        assert "pip install qwencloud-skills" in properties.compatibility


def test_our_validator_accepts_the_committed_tree():
    assert validate_tree(COMMITTED) == {IMAGE_SKILL_DIR: [], SKILL_DIR: []}
    result = skills_cli("validate", str(COMMITTED))
    assert result.exit_code == 0, result.output


def test_skill_md_stays_small():
    size = len((SKILL_DIR / "SKILL.md").read_bytes())
    assert size < MAX_SKILL_MD, f"SKILL.md is {size} bytes; move detail into references/"


def test_frontmatter_round_trips_through_our_parser_and_skills_ref():
    pytest.importorskip("skills_ref", reason="the skills-ref validator needs Python 3.11+")
    from skills_ref.parser import parse_frontmatter

    text = (SKILL_DIR / "SKILL.md").read_text(encoding="utf-8")
    ours, _ = frontmatter.parse(text)
    reference, _ = parse_frontmatter(text)
    assert ours == reference
    assert ours["metadata"]["script"] == "scripts/video.py"


def test_skill_md_is_generated_from_the_registry(built):
    text = video_of(built).files["SKILL.md"]
    registry = first_party_registry()
    modes = registry.modes_of(SKILL)
    rows = [line for line in text.splitlines() if line.startswith("| **")]
    # One row per mode, most specific detection first, each with its default model.
    assert [row.split("**")[1] for row in rows] == [m.name for m in sorted(modes, key=lambda m: -m.detection.priority)]
    for mode in modes:
        row = next(row for row in rows if row.startswith(f"| **{mode.name}**"))
        assert f"`{mode.default_model}`" in row and mode.detection.describe() in row
        for note in mode.notes:
            assert note in text
    for needle in ("kf2v**: Always 5 seconds and silent", "Takes size (width*height), not resolution",
                   "Takes resolution, not size"):
        assert needle in text


def test_skill_md_teaches_the_host_rules(built):
    text = video_of(built).files["SKILL.md"]
    for needle in (
        "qwencloud-video", "python3 <skill-dir>/scripts/video.py", "--poll-once", "--submit-only",
        "| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 4 |", "| 5 |", "| 130 |",
        "output/qwencloud-video-generation/", "video_1.mp4", "`skills/`",
        "DASHSCOPE_API_KEY=sk-your-key-here", "`set` / `not set`", "Never ask the user for the key",
        "https://docs.qwencloud.com/developer-guides/getting-started/pricing", "Never state, estimate or invent",
        "[ACTION_REQUIRED]", "update-check --enable", "--dismiss", "--never", "[UPDATE_AVAILABLE]",
        "tasks list", "tasks resume ID", "pip install qwencloud-skills",
    ):
        assert needle in text, needle
    assert not re.search(r"\$\s?\d|\d+\.\d+\s*(USD|yuan|CNY)", text), "no price figure may appear"


def test_references_come_from_the_request_models_catalogs_and_docs(built):
    files = video_of(built).files
    registry = first_party_registry()
    for mode in registry.modes_of(SKILL):
        for name in mode.request_class.model_fields:
            assert f"| `{name}` |" in files["references/request-fields.md"], (mode.name, name)
        for spec in mode.models:
            assert f"`{spec.id}`" in files["references/models.md"]
            for value in spec.describe().values():
                assert value in files["references/models.md"]
    skill = registry.skill(SKILL)
    assert files["references/workflows.md"].endswith(skill.docs["workflows"].strip() + "\n")  # after the host's part
    assert "## long-video" in files["references/workflows.md"]
    assert skill.docs["polling"].strip() in files["references/polling.md"]
    assert "[workflows.md](references/workflows.md)" in files["SKILL.md"]


def test_every_example_is_validated_and_shown(built):
    registry = first_party_registry()
    examples = video_of(built).files["references/examples.md"]
    count = 0
    for mode in registry.modes_of(SKILL):
        for example in mode.examples:
            checked = check_example(registry, mode, example)
            assert checked.payload["model"] == (example.model or mode.default_model)
            assert not checked.needs_mode_flag, "first-party examples are detected as their own mode"
            assert f"### {example.title}" in examples
            assert checked.request_json in examples
            count += 1
    assert count == examples.count("```bash")


def test_a_failing_example_fails_the_build_naming_its_plugin(install_plugin, tmp_path):
    from qwencloud_skills.plugins import get_registry

    install_plugin("acme_sketch", BROKEN_EXAMPLE, dist="acme-sketch")
    with pytest.raises(BuildError) as caught:
        build_all(get_registry())
    message = str(caught.value)
    assert "acme_sketch" in message and "acme-sketch" in message and "wrong field" in message
    result = skills_cli("build", "--all-plugins", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "wrong field" in result.output
    assert not (tmp_path / "out").exists()


def test_host_templates_name_no_mode_and_no_model():
    registry = first_party_registry()
    names = {mode.name for mode in registry.modes.values()}
    names |= {spec.id for mode in registry.modes.values() for spec in mode.models}
    for source in sorted((ROOT / "qwencloud_skills" / "manifests").glob("*.py")):
        text = source.read_text(encoding="utf-8")
        for name in names:
            assert not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), f"{source.name} names {name}"


def test_validator_checks_links_between_pages(built, tmp_path):
    out = tmp_path / "skills"
    skills_cli("build", "--out", str(out))
    folder = out / "video" / SKILL
    assert validate_skill(folder) == []
    (folder / "references" / "models.md").unlink()
    problems = validate_skill(folder)
    assert any("models.md" in problem and "missing file" in problem for problem in problems)
    result = skills_cli("build", "--check", "--out", str(out))
    assert result.exit_code == 1 and "missing: video/" in result.output and "skills build" in result.output


def test_build_removes_stale_files_and_skills_it_generated_but_keeps_others(tmp_path):
    out = tmp_path / "skills"
    skills_cli("build", "--out", str(out))
    folder = out / "video" / SKILL
    (folder / "references" / "old-page.md").write_text("stale", encoding="utf-8")
    gone = out / "audio" / "gone-skill"
    gone.mkdir(parents=True)
    (gone / "SKILL.md").write_text((folder / "SKILL.md").read_text(encoding="utf-8"), encoding="utf-8")
    mine = out / "notes.txt"
    mine.write_text("keep me", encoding="utf-8")
    assert skills_cli("build", "--out", str(out)).exit_code == 0
    assert not (folder / "references" / "old-page.md").exists()
    assert not (out / "audio").exists()
    assert mine.read_text(encoding="utf-8") == "keep me"


def test_generated_paths_are_posix_and_utf8(built):
    for path, text in (item for skill in built for item in skill.files.items()):
        assert "\\" not in path and not Path(path).is_absolute()
        text.encode("utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n")
