"""Installing into agents: the right folders and notes file, idempotent, asks first, undone exactly."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from qwencloud_skills.manifests import block
from qwencloud_skills.manifests.agents import AGENTS
from qwencloud_skills.manifests.install import RECORD

from .plugins import AUDIO_SKILL, STABILIZE_MODE
from .util import IMAGE_SKILL, SKILL, skills_cli, snapshot

BEFORE = "# Team notes\n\nAlways run the linters.\n"
LOCK = {"version": 1, "skills": {"other-skill": {"source": "someone/skills", "sourceType": "github",
                                                  "computedHash": "ab" * 32}}}

LOCATIONS = {
    "claude": (".claude/skills", "CLAUDE.md"),
    "cursor": (".cursor/skills", "AGENTS.md"),
    "codex": (".agents/skills", "AGENTS.md"),
    "gemini": (".gemini/skills", "GEMINI.md"),
    "opencode": (".opencode/skills", "AGENTS.md"),
    "qwen": (".qwen/skills", "QWEN.md"),
    "generic": (".agents/skills", "AGENTS.md"),
}


def install(project: Path, agent: str, *extra: str):
    return skills_cli("install", "--agent", agent, "--project", str(project), *extra)


def uninstall(project: Path, agent: str, *extra: str):
    return skills_cli("uninstall", "--agent", agent, "--project", str(project), *extra)


def npx_lock_text(data: dict) -> str:
    """skills-lock.json exactly as the npx skills CLI writes it."""
    return json.dumps(data, indent=2) + "\n"


def npx_folder_hash(folder: Path) -> str:
    """The npx skills CLI's computedHash, written out independently: sha256 over path + bytes, in path order."""
    digest = hashlib.sha256()
    names = sorted((p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()),
                   key=lambda name: (name.lower(), name))
    for name in names:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def test_agents_table_matches_the_documented_locations():
    assert {name: (agent.skills, agent.notes) for name, agent in AGENTS.items()} == LOCATIONS


@pytest.mark.parametrize("agent", sorted(LOCATIONS))
@pytest.mark.parametrize("existing_notes", [False, True], ids=["no-notes", "with-notes"])
def test_install_twice_is_idempotent_and_uninstall_restores_the_project(tmp_path, agent, existing_notes):
    skills_dir, notes_name = LOCATIONS[agent]
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").write_text("mine\n", encoding="utf-8")
    notes = project / notes_name
    if existing_notes:
        notes.write_text(BEFORE, encoding="utf-8")
    original = snapshot(project)

    first = install(project, agent, "--yes")
    assert first.exit_code == 0, first.output
    installed = project / skills_dir / SKILL
    assert (installed / "SKILL.md").is_file() and (installed / "scripts" / "video.py").is_file()
    assert os.access(installed / "scripts" / "video.py", os.X_OK)
    after_first = snapshot(project)
    text = notes.read_text(encoding="utf-8")
    assert text.count(block.START) == 1 and text.count(block.END) == 1
    assert f"`{skills_dir}/{SKILL}/SKILL.md`" in text
    if existing_notes:
        assert text.startswith(BEFORE)
    else:
        assert text.startswith(block.START)

    second = install(project, agent, "--yes")
    assert second.exit_code == 0, second.output
    assert "Already installed and up to date" in second.output
    assert snapshot(project) == after_first

    removed = uninstall(project, agent, "--yes")
    assert removed.exit_code == 0, removed.output
    assert snapshot(project) == original


def test_without_yes_nothing_changes_and_the_plan_is_shown(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "CLAUDE.md").write_text(BEFORE, encoding="utf-8")
    original = snapshot(project)
    result = install(project, "claude")
    assert result.exit_code == 3
    assert f"write   .claude/skills/{SKILL}/SKILL.md" in result.output
    assert "update  CLAUDE.md (registry block)" in result.output
    assert "run again with --yes" in result.output
    assert snapshot(project) == original

    assert install(project, "claude", "--yes").exit_code == 0
    installed = snapshot(project)
    result = uninstall(project, "claude")
    assert result.exit_code == 3 and "remove  .claude/skills/" in result.output
    assert snapshot(project) == installed


def test_user_text_around_the_block_stays_byte_identical(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    stale = block.render([block.Entry("old-skill", "x/SKILL.md", "Old. TRIGGER when: never.")], created=False)
    before, after = "Intro line\r\nsecond line\r\n\r\n", "\r\n## My own section\r\nkeep this\r\n"
    notes = project / "AGENTS.md"
    notes.write_bytes((before + stale + after).encode("utf-8"))
    assert install(project, "codex", "--yes").exit_code == 0
    data = notes.read_bytes().decode("utf-8")
    assert data.startswith(before) and data.endswith(after)
    assert "old-skill" not in data and SKILL in data
    assert "\r\n" in data[len(before):-len(after)] and "\n" not in data.replace("\r\n", "")
    assert install(project, "codex", "--yes").exit_code == 0
    assert notes.read_bytes().decode("utf-8") == data
    assert uninstall(project, "codex", "--yes").exit_code == 0
    # The block was the user's (not appended by us): it goes, the text around it stays.
    assert notes.read_bytes().decode("utf-8") == before + after[len("\r\n"):]


def test_appending_to_a_file_without_final_newline_is_undone_exactly(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    notes = project / "AGENTS.md"
    notes.write_bytes(b"no final newline")
    assert install(project, "generic", "--yes").exit_code == 0
    assert notes.read_bytes().startswith(b"no final newline\n" + block.START.encode())
    assert uninstall(project, "generic", "--yes").exit_code == 0
    assert notes.read_bytes() == b"no final newline"


def test_uninstall_removes_only_what_install_wrote(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    assert install(project, "claude", "--yes").exit_code == 0
    folder = project / ".claude" / "skills" / SKILL
    (folder / "my-notes.md").write_text("mine", encoding="utf-8")
    (folder / "references" / "models.md").write_text("edited by hand", encoding="utf-8")
    (project / ".claude" / "settings.json").write_text("{}", encoding="utf-8")
    notes = project / "CLAUDE.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "Text the user added after the block.\n", encoding="utf-8")

    result = uninstall(project, "claude", "--yes")
    assert result.exit_code == 0, result.output
    assert "models.md was changed after install; left in place" in result.output
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "my-notes.md", "references", "references/models.md"]
    assert (project / ".claude" / "settings.json").read_text(encoding="utf-8") == "{}"
    assert notes.read_text(encoding="utf-8") == "Text the user added after the block.\n"


def test_a_folder_install_did_not_write_is_not_taken_over(tmp_path):
    project = tmp_path / "project"
    foreign = project / ".agents" / "skills" / SKILL
    foreign.mkdir(parents=True)
    (foreign / "SKILL.md").write_text("someone else's skill", encoding="utf-8")
    (foreign / "extra.txt").write_text("theirs", encoding="utf-8")
    result = install(project, "codex", "--yes")
    assert result.exit_code == 3 and "--force" in result.output
    assert (foreign / "SKILL.md").read_text(encoding="utf-8") == "someone else's skill"
    assert uninstall(project, "codex", "--yes", "--skill", SKILL).exit_code == 3  # not ours
    assert "No skills installed by qwencloud-skills" in uninstall(project, "codex", "--yes").output
    assert (foreign / "extra.txt").is_file()
    assert install(project, "codex", "--yes", "--force").exit_code == 0
    assert (foreign / RECORD).is_file()
    assert uninstall(project, "codex", "--yes").exit_code == 0
    assert sorted(p.name for p in foreign.iterdir()) == ["extra.txt"]


def test_skills_lock_json_round_trip(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    lock = project / "skills-lock.json"
    lock.write_text(npx_lock_text(LOCK), encoding="utf-8")
    original = lock.read_bytes()

    assert install(project, "claude", "--yes").exit_code == 0
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert list(data["skills"]) == ["other-skill", IMAGE_SKILL, SKILL]
    entry = data["skills"][SKILL]
    assert entry == {"source": "qwencloud-skills", "sourceType": "pypi",
                     "computedHash": npx_folder_hash(project / ".claude" / "skills" / SKILL)}
    assert data["skills"]["other-skill"] == LOCK["skills"]["other-skill"]
    assert lock.read_text(encoding="utf-8") == npx_lock_text(data)
    record = json.loads((project / ".claude" / "skills" / SKILL / RECORD).read_text(encoding="utf-8"))
    assert record["source"] == "qwencloud-skills" and "SKILL.md" in record["files"]

    installed = lock.read_bytes()
    assert install(project, "claude", "--yes").exit_code == 0
    assert lock.read_bytes() == installed

    assert uninstall(project, "claude", "--yes").exit_code == 0
    assert lock.read_bytes() == original


def test_lock_entry_stays_while_another_agent_still_has_the_skill(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    lock = project / "skills-lock.json"
    lock.write_text(npx_lock_text(LOCK), encoding="utf-8")
    original = lock.read_bytes()
    assert install(project, "claude", "--yes").exit_code == 0
    assert install(project, "codex", "--yes").exit_code == 0
    assert uninstall(project, "claude", "--yes").exit_code == 0
    assert SKILL in json.loads(lock.read_text(encoding="utf-8"))["skills"]  # codex's install still uses it
    assert uninstall(project, "codex", "--yes").exit_code == 0
    assert lock.read_bytes() == original


def test_no_lock_file_is_created_when_the_project_has_none(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    assert install(project, "claude", "--yes").exit_code == 0
    assert not (project / "skills-lock.json").exists()


def test_skills_of_several_packages_install_side_by_side_with_one_block(tmp_path, install_plugin):
    install_plugin("acme_audio", AUDIO_SKILL, dist="acme-audio")
    install_plugin("acme_stabilize", STABILIZE_MODE, dist="acme-stabilize")
    project = tmp_path / "project"
    project.mkdir()
    (project / "skills-lock.json").write_text(npx_lock_text(LOCK), encoding="utf-8")
    assert install(project, "codex", "--yes").exit_code == 0
    root = project / ".agents" / "skills"
    assert sorted(p.name for p in root.iterdir()) == ["acme-audio-tools", IMAGE_SKILL, SKILL]
    assert (root / "acme-audio-tools" / "scripts" / "run.py").is_file()
    assert "acme-stabilize" in (root / SKILL / "SKILL.md").read_text(encoding="utf-8")
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert text.count(block.START) == 1 and "**acme-audio-tools**" in text and f"**{SKILL}**" in text
    lock = json.loads((project / "skills-lock.json").read_text(encoding="utf-8"))
    assert lock["skills"]["acme-audio-tools"]["source"] == "acme-audio"
    assert lock["skills"][SKILL]["source"] == "qwencloud-skills"
    # Neither folder holds state: only manifests, the launcher and the install record.
    for folder in root.iterdir():
        names = {p.relative_to(folder).parts[0] for p in folder.rglob("*")}
        assert names <= {"SKILL.md", "references", "scripts", RECORD}

    assert uninstall(project, "codex", "--yes", "--skill", "acme-audio-tools").exit_code == 0
    assert sorted(p.name for p in root.iterdir()) == [IMAGE_SKILL, SKILL]
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert "acme-audio-tools" not in text and f"**{SKILL}**" in text
    lock = json.loads((project / "skills-lock.json").read_text(encoding="utf-8"))
    assert sorted(lock["skills"]) == ["other-skill", IMAGE_SKILL, SKILL]


def test_install_one_named_skill_and_refuse_unknown_names(tmp_path, install_plugin):
    install_plugin("acme_audio", AUDIO_SKILL, dist="acme-audio")
    project = tmp_path / "project"
    project.mkdir()
    assert install(project, "cursor", "--yes", "--skill", "acme-audio-tools").exit_code == 0
    assert sorted(p.name for p in (project / ".cursor" / "skills").iterdir()) == ["acme-audio-tools"]
    result = install(project, "cursor", "--yes", "--skill", "no-such-skill")
    assert result.exit_code != 0 and "no-such-skill" in result.output
    result = uninstall(project, "cursor", "--yes", "--skill", SKILL)
    assert result.exit_code == 3 and "acme-audio-tools" in result.output


def test_no_block_skips_the_notes_file(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    assert install(project, "claude", "--yes", "--no-block").exit_code == 0
    assert not (project / "CLAUDE.md").exists()
    assert uninstall(project, "claude", "--yes").exit_code == 0
    assert list(project.iterdir()) == []


@pytest.mark.parametrize("agent, skills_dir, notes", [
    ("claude", ".claude/skills", ".claude/CLAUDE.md"),
    ("codex", ".agents/skills", ".codex/AGENTS.md"),
    ("cursor", ".cursor/skills", None),
    ("gemini", ".gemini/skills", ".gemini/GEMINI.md"),
    ("opencode", ".config/opencode/skills", ".config/opencode/AGENTS.md"),
    ("qwen", ".qwen/skills", ".qwen/QWEN.md"),
    ("generic", ".agents/skills", None),
])
def test_user_scope_installs_under_home(tmp_path, monkeypatch, agent, skills_dir, notes):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    result = skills_cli("install", "--agent", agent, "--user", "--yes")
    assert result.exit_code == 0, result.output
    assert (home / skills_dir / SKILL / "SKILL.md").is_file()
    if notes:
        assert f"`~/{skills_dir}/{SKILL}/SKILL.md`" in (home / notes).read_text(encoding="utf-8")
    assert skills_cli("uninstall", "--agent", agent, "--user", "--yes").exit_code == 0
    assert list(home.iterdir()) == []


def test_project_and_user_exclude_each_other(tmp_path):
    result = skills_cli("install", "--agent", "claude", "--user", "--project", str(tmp_path), "--yes")
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_a_notes_file_shared_by_two_agents_lists_both_and_keeps_the_other_on_uninstall(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    assert install(project, "cursor", "--yes", "--skill", IMAGE_SKILL).exit_code == 0
    assert install(project, "opencode", "--yes", "--skill", IMAGE_SKILL).exit_code == 0
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert text.count(block.START) == 1
    assert f"`.cursor/skills/{IMAGE_SKILL}/SKILL.md`" in text and f"`.opencode/skills/{IMAGE_SKILL}/SKILL.md`" in text
    assert uninstall(project, "opencode", "--yes").exit_code == 0
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert f"`.cursor/skills/{IMAGE_SKILL}/SKILL.md`" in text and ".opencode/" not in text
    assert uninstall(project, "cursor", "--yes").exit_code == 0
    assert list(project.iterdir()) == []
