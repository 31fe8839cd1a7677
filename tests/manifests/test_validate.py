"""Our validator and frontmatter reader agree with the spec, and catch what agents would trip over."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qwencloud_skills.manifests import block, frontmatter
from qwencloud_skills.manifests.validate import validate_skill, validate_tree

from .util import SKILL, SKILL_DIR, skills_cli

GOOD = "Does a thing. TRIGGER when: the user wants the thing. DO NOT TRIGGER when: the user wants another thing."


def make(tmp_path: Path, name: str = "demo-skill", body: str = "# Demo\n", folder: str = "", **fields) -> Path:
    skill = tmp_path / (folder or name)
    skill.mkdir(parents=True, exist_ok=True)
    values = {"name": name, "description": GOOD}
    values.update(fields)
    (skill / "SKILL.md").write_text(frontmatter.render(list(values.items())) + "\n" + body, encoding="utf-8")
    return skill


def test_frontmatter_round_trip_with_colons_quotes_and_unicode():
    fields = [("name", "x-y"), ("description", 'Say "hi": TRIGGER when: ünïcode — ok'),
              ("metadata", {"a": "b c", "d": "e"})]
    text = frontmatter.render(fields) + "body\n"
    parsed, body = frontmatter.parse(text)
    assert parsed == {"name": "x-y", "description": 'Say "hi": TRIGGER when: ünïcode — ok',
                      "metadata": {"a": "b c", "d": "e"}}
    assert body == "body\n"


@pytest.mark.parametrize("text, message", [
    ("no frontmatter", "must start"),
    ("---\nname: x\n", "not closed"),
    ("---\nname x\n---\n", "expected 'key: value'"),
    ("---\n  nested: x\n---\n", "outside a mapping"),
    ("---\nname: a\nname: b\n---\n", "appears twice"),
    ("---\ndescription: >\n  folded\n---\n", "not supported"),
])
def test_frontmatter_errors_are_explained(text, message):
    with pytest.raises(frontmatter.FrontmatterError, match=message):
        frontmatter.parse(text)


def test_a_valid_skill_passes(tmp_path):
    assert validate_skill(make(tmp_path)) == []


@pytest.mark.parametrize("changes, expected", [
    ({"name": "Demo_Skill", "folder": "Demo_Skill"}, "lowercase letters and digits"),
    ({"name": "other-name", "folder": "demo-skill"}, "must equal the folder name"),
    ({"name": "a" * 65}, "longer than 64"),
    ({"description": "x" * 1025 + " TRIGGER when: a. DO NOT TRIGGER when: b."}, "at most 1024"),
    ({"description": "Does a thing. DO NOT TRIGGER when: never."}, "when to use the skill"),
    ({"description": "Does a thing. TRIGGER when: always."}, "when not to use the skill"),
    ({"description": "DO NOT TRIGGER when: b. TRIGGER when: a."}, "must come before"),
    ({"version": "1"}, "not part of the Agent Skills spec"),
    ({"metadata": {"script": "scripts/missing.py"}}, "which is missing"),
    ({"body": "See [the guide](references/guide.md)."}, "points to a missing file"),
    ({"body": "See [up](../../secret.md)."}, "leaves the skill folder"),
])
def test_problems_are_reported(tmp_path, changes, expected):
    skill = make(tmp_path, **changes)
    problems = validate_skill(skill)
    assert any(expected in problem for problem in problems), problems


def test_links_in_code_blocks_and_external_links_are_not_checked(tmp_path):
    body = "```\n[not a link](nowhere.md)\n```\n[site](https://example.com) [top](#demo) [ok](references/a.md#x)\n"
    skill = make(tmp_path, body=body)
    (skill / "references").mkdir()
    (skill / "references" / "a.md").write_text("[back](../SKILL.md)\n", encoding="utf-8")
    assert validate_skill(skill) == []


def test_missing_skill_md_and_empty_trees(tmp_path):
    assert validate_skill(tmp_path) == ["missing required file SKILL.md"]
    assert list(validate_tree(tmp_path).values()) == [[f"no SKILL.md found under {tmp_path}"]]


def test_validate_command_exit_codes(tmp_path):
    copy = tmp_path / "skills" / "video" / SKILL
    shutil.copytree(SKILL_DIR, copy)
    result = skills_cli("validate", str(tmp_path / "skills"))
    assert result.exit_code == 0 and f"{copy}: ok" in result.output
    manifest = copy / "SKILL.md"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("DO NOT TRIGGER", "NEVER"), encoding="utf-8")
    result = skills_cli("validate", str(copy))
    assert result.exit_code == 1 and "INVALID" in result.output and "when not to use" in result.output


def test_block_put_and_remove_are_inverse():
    entries = [block.Entry("b-skill", "p/b/SKILL.md", GOOD), block.Entry("a-skill", "p/a/SKILL.md", GOOD)]
    for original in ("", "text", "text\n", "text\n\n", "a\r\nb\r\n"):
        added = block.put(original, entries, created=not original)
        assert added.startswith(original)
        assert added.index("a-skill") < added.index("b-skill")
        assert block.put(added, entries) == added
        assert block.remove(added) == original
    assert "Use it when: the user wants the thing." in block.render(entries, created=False)
    assert "another thing" not in block.render(entries, created=False)


def test_damaged_markers_are_refused():
    from qwencloud_skills.manifests.errors import InstallError

    with pytest.raises(InstallError, match="without"):
        block.put(f"x\n{block.START}\nno end\n", [])
    with pytest.raises(InstallError, match="without"):
        block.put(f"x\n{block.END}\n", [])
