"""`skills install --mcp`: our MCP server lands in each agent's MCP configuration, and nothing else changes.

Each test writes the user's own configuration first (other servers, other
keys, their indentation and comments), installs, compares, and uninstalls
back to the original bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from qwencloud_skills.manifests import jsonedit, mcpconfig, tomltable
from qwencloud_skills.manifests.agents import AGENTS, location
from qwencloud_skills.manifests.install import plan_install

from .util import IMAGE_SKILL, skills_cli, snapshot

NAME = mcpconfig.SERVER_NAME
SKILL = IMAGE_SKILL  # one quick-to-build skill keeps these runs short; the MCP entry does not depend on it
ONE = ("--skill", SKILL)
COMMAND = mcpconfig.server_command()

# agent -> (project config file, user config file relative to home)
FILES = {
    "claude": (".mcp.json", ".claude.json"),
    "cursor": (".cursor/mcp.json", ".cursor/mcp.json"),
    "codex": (".codex/config.toml", ".codex/config.toml"),
    "gemini": (".gemini/settings.json", ".gemini/settings.json"),
    "opencode": ("opencode.json", ".config/opencode/opencode.json"),
    "qwen": (".qwen/settings.json", ".qwen/settings.json"),
}
MCP_SERVERS_AGENTS = ["claude", "cursor", "gemini", "qwen"]

USER_JSON = """{
    "theme": "Dracula",
    "mcpServers": {
        "github": {
            "command": "npx",
            "args": ["-y", "@modelcontextprotocol/server-github"],
            "env": {"GITHUB_TOKEN": "$GITHUB_TOKEN"}
        }
    },
    "ratio": 1.50,
    "tags": ["a", "\\u00e9"]
}
"""
USER_OPENCODE = """{
  "$schema": "https://opencode.ai/config.json",
  "model": "qwen/qwen3-coder",
  "mcp": {
    "everything": {"type": "local", "command": ["npx", "-y", "@modelcontextprotocol/server-everything"]}
  }
}
"""
USER_TOML = '''# my Codex settings
model = "o3"
instructions = """
[not_a_table]
"""

[mcp_servers.docs]
command = "npx"
args = [
  "-y", # the package
  "docs-mcp",
]

[mcp_servers.docs.env]
LEVEL = "debug"

# profiles follow
[profiles.fast]
model = "o4-mini"
'''


def install(project: Path, agent: str, *extra: str):
    return skills_cli("install", "--agent", agent, "--project", str(project), *ONE, *extra)


def uninstall(project: Path, agent: str, *extra: str):
    return skills_cli("uninstall", "--agent", agent, "--project", str(project), *extra)


def expected_entry(agent: str) -> Any:
    if agent == "opencode":
        return {"type": "local", "command": COMMAND, "enabled": True}
    return {"command": COMMAND[0], "args": COMMAND[1:]}


def entry_of(path: Path, agent: str) -> Any:
    if agent == "codex":
        return tomltable.full_parse(path.read_text(encoding="utf-8")).get("mcp_servers", {}).get(NAME)
    document = json.loads(path.read_text(encoding="utf-8"))
    return (document.get("mcp") if agent == "opencode" else document.get("mcpServers", {})).get(NAME)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "README.md").write_text("mine\n", encoding="utf-8")
    return folder


def test_the_registered_command_is_this_install_and_starts_its_cli():
    script = Path(sysconfig.get_path("scripts")) / "qwencloud-skills"
    assert COMMAND == [str(script), "mcp"]  # noqa: SIM300
    assert os.path.isabs(COMMAND[0]) and os.access(COMMAND[0], os.X_OK)
    result = subprocess.run([COMMAND[0], "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "qwencloud-skills" in result.stdout


def test_the_command_comes_from_the_running_script_or_falls_back_to_python_m(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "qwencloud-skills"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(script), "skills", "install"])
    assert mcpconfig.server_command() == [str(script), "mcp"]
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(sys, "argv", ["/somewhere/else/pytest"])
    monkeypatch.setattr(sys, "executable", str(empty / "python3"))
    monkeypatch.setattr(sysconfig, "get_path", lambda name: str(empty))
    assert mcpconfig.server_command() == [str(empty / "python3"), "-m", "qwencloud_skills", "mcp"]


@pytest.mark.parametrize("agent", MCP_SERVERS_AGENTS)
def test_register_keeps_the_users_servers_and_keys_and_uninstall_restores_the_bytes(project, agent):
    config = project / FILES[agent][0]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(USER_JSON, encoding="utf-8")
    original = snapshot(project)

    result = install(project, agent, "--mcp", "--yes")
    assert result.exit_code == 0, result.output
    assert f'Registered the MCP server "{NAME}" in {FILES[agent][0]}' in result.output
    document = json.loads(config.read_text(encoding="utf-8"))
    assert document["mcpServers"][NAME] == expected_entry(agent)
    before = json.loads(USER_JSON)
    assert list(document) == list(before) and list(document["mcpServers"]) == ["github", NAME]
    assert {key: value for key, value in document.items() if key != "mcpServers"} == \
        {key: value for key, value in before.items() if key != "mcpServers"}
    assert document["mcpServers"]["github"] == before["mcpServers"]["github"]
    text = config.read_text(encoding="utf-8")
    # Everything but our member is the user's text, byte for byte: same indentation, same number spelling.
    assert jsonedit.delete_member(text, ["mcpServers", NAME]) == USER_JSON
    assert f'        "{NAME}": {{\n            "command": ' in text and '"ratio": 1.50' in text

    after_first = snapshot(project)
    again = install(project, agent, "--mcp", "--yes")
    assert again.exit_code == 0 and "Already installed and up to date" in again.output
    assert snapshot(project) == after_first

    removed = uninstall(project, agent, "--yes")
    assert removed.exit_code == 0, removed.output
    assert snapshot(project) == original


def test_opencode_gets_a_local_command_array_next_to_the_users_servers(project):
    config = project / "opencode.json"
    config.write_text(USER_OPENCODE, encoding="utf-8")
    original = snapshot(project)
    assert install(project, "opencode", "--mcp", "--yes").exit_code == 0
    document = json.loads(config.read_text(encoding="utf-8"))
    assert document["mcp"][NAME] == {"type": "local", "command": COMMAND, "enabled": True}
    assert document["mcp"]["everything"] == json.loads(USER_OPENCODE)["mcp"]["everything"]
    assert list(document) == ["$schema", "model", "mcp"]
    assert (project / ".opencode" / "skills" / SKILL / "SKILL.md").is_file()
    assert uninstall(project, "opencode", "--yes").exit_code == 0
    assert snapshot(project) == original


def test_opencode_2_layout_gets_the_entry_under_mcp_servers(project):
    config = project / "opencode.json"
    config.write_text('{\n  "mcp": {\n    "servers": {\n      "docs": {"type": "remote", "url": "https://x/mcp"}\n'
                      "    }\n  }\n}\n", encoding="utf-8")
    original = config.read_bytes()
    assert install(project, "opencode", "--mcp", "--yes").exit_code == 0
    document = json.loads(config.read_text(encoding="utf-8"))
    assert document["mcp"]["servers"][NAME] == {"type": "local", "command": COMMAND}
    assert list(document["mcp"]) == ["servers"]
    assert uninstall(project, "opencode", "--yes").exit_code == 0
    assert config.read_bytes() == original


def test_codex_table_is_appended_and_removed_leaving_comments_and_other_tables(project):
    config = project / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text(USER_TOML, encoding="utf-8")
    original = snapshot(project)

    result = install(project, "codex", "--mcp", "--yes")
    assert result.exit_code == 0, result.output
    assert "only once the project is trusted" in result.output
    text = config.read_text(encoding="utf-8")
    assert text.startswith(USER_TOML)
    assert text[len(USER_TOML):] == f'\n[mcp_servers.{NAME}]\ncommand = {json.dumps(COMMAND[0])}\nargs = ["mcp"]\n'
    document = tomltable.full_parse(text)
    assert document["mcp_servers"][NAME] == {"command": COMMAND[0], "args": ["mcp"]}
    assert document["mcp_servers"]["docs"] == {"command": "npx", "args": ["-y", "docs-mcp"], "env": {"LEVEL": "debug"}}

    after_first = snapshot(project)
    assert "Already installed and up to date" in install(project, "codex", "--mcp", "--yes").output
    assert snapshot(project) == after_first
    assert uninstall(project, "codex", "--yes").exit_code == 0
    assert snapshot(project) == original


def test_codex_without_a_toml_parser_uses_the_line_scan(project, monkeypatch):
    """Python 3.9/3.10 without tomli: the minimal reader alone finds, writes and removes the table."""
    monkeypatch.setitem(sys.modules, "tomllib", None)
    monkeypatch.setitem(sys.modules, "tomli", None)
    assert tomltable.full_parse("a = 1") is None
    config = project / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text(USER_TOML, encoding="utf-8")
    assert install(project, "codex", "--mcp", "--yes").exit_code == 0
    assert f"[mcp_servers.{NAME}]" in config.read_text(encoding="utf-8")
    assert "Already installed and up to date" in install(project, "codex", "--mcp", "--yes").output
    assert uninstall(project, "codex", "--yes").exit_code == 0
    assert config.read_text(encoding="utf-8") == USER_TOML
    config.write_text(USER_TOML + 'broken = "no end\n', encoding="utf-8")
    result = install(project, "codex", "--mcp", "--yes")
    assert result.exit_code == 4 and "not valid TOML (line 20: a string is not closed" in result.output


@pytest.mark.parametrize("agent", sorted(FILES))
def test_a_fresh_project_gets_exactly_our_entry_and_uninstall_leaves_nothing(project, agent):
    original = snapshot(project)
    result = install(project, agent, "--mcp", "--yes")
    assert result.exit_code == 0, result.output
    config = project / FILES[agent][0]
    assert entry_of(config, agent) == (expected_entry(agent) if agent != "codex" else
                                       {"command": COMMAND[0], "args": ["mcp"]})
    if agent != "codex":
        key = "mcp" if agent == "opencode" else "mcpServers"
        assert json.loads(config.read_text(encoding="utf-8")) == {key: {NAME: expected_entry(agent)}}
        assert config.read_text(encoding="utf-8").endswith("}\n")
    assert uninstall(project, agent, "--yes").exit_code == 0
    assert snapshot(project) == original


@pytest.mark.parametrize("agent", MCP_SERVERS_AGENTS + ["opencode"])
def test_invalid_json_is_refused_with_its_position_and_nothing_changes(project, agent):
    config = project / FILES[agent][0]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('{\n  "theme": "x",\n  // my comment\n  "mcpServers": {}\n}\n', encoding="utf-8")
    original = snapshot(project)
    result = install(project, agent, "--mcp", "--yes")
    assert result.exit_code == 4, result.output
    assert f"{FILES[agent][0]} cannot be edited: it is not valid JSON" in result.output
    assert "line 3, column 3" in result.output and "comments and trailing commas are not JSON" in result.output
    assert COMMAND[0] in result.output  # the entry to add by hand
    assert "Traceback" not in result.output
    assert snapshot(project) == original  # not even the skill folders were written
    assert uninstall(project, agent, "--mcp", "--yes").exit_code == 4
    assert snapshot(project) == original


def test_a_non_object_mcp_servers_or_top_level_is_refused(project):
    config = project / ".mcp.json"
    for text, problem in (('{"mcpServers": []}\n', '"mcpServers" is not a JSON object'),
                          ("[1, 2]\n", "its top level is not a JSON object")):
        config.write_text(text, encoding="utf-8")
        result = install(project, "claude", "--mcp", "--yes")
        assert result.exit_code == 4 and problem in result.output, result.output
        assert config.read_text(encoding="utf-8") == text


def test_invalid_toml_is_refused_with_its_position(project):
    config = project / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text('model = "o3"\n[mcp_servers.docs\ncommand = "x"\n', encoding="utf-8")
    original = snapshot(project)
    result = install(project, "codex", "--mcp", "--yes")
    assert result.exit_code == 4 and ".codex/config.toml cannot be edited: it is not valid TOML" in result.output
    assert "line 2" in result.output
    assert snapshot(project) == original


def test_an_inline_mcp_servers_table_is_refused_rather_than_broken(project):
    config = project / ".codex" / "config.toml"
    config.parent.mkdir()
    config.write_text('mcp_servers = { docs = { command = "npx" } }\n', encoding="utf-8")
    result = install(project, "codex", "--mcp", "--yes")
    assert result.exit_code == 4 and "does not edit" in result.output and f"[mcp_servers.{NAME}]" in result.output
    assert config.read_text(encoding="utf-8") == 'mcp_servers = { docs = { command = "npx" } }\n'


def test_no_key_ever_lands_in_a_config(project, monkeypatch, canary_key):
    monkeypatch.setenv("DASHSCOPE_API_KEY", canary_key)
    monkeypatch.setenv("QWEN_API_KEY", canary_key)
    (project / ".env").write_text(f"DASHSCOPE_API_KEY={canary_key}\n", encoding="utf-8")
    for agent in sorted(FILES):
        for args in (("--mcp", "--dry-run"), ("--mcp", "--yes")):
            result = install(project, agent, *args)
            assert result.exit_code == 0 and canary_key not in result.output, result.output
    written = {path: data for path, data in snapshot(project).items() if path != ".env"}
    assert all(FILES[agent][0] in written for agent in FILES)
    assert not [path for path, data in written.items() if canary_key.encode() in data]
    for agent in sorted(FILES):
        assert "env" not in (entry_of(project / FILES[agent][0], agent) or {})


def test_the_users_additions_to_our_entry_stay_and_an_old_command_is_updated(project):
    config = project / ".gemini" / "settings.json"
    config.parent.mkdir()
    old = {"mcpServers": {NAME: {"command": "/old/venv/bin/qwencloud-skills", "args": ["mcp"], "trust": True,
                                 "timeout": 30000}}}
    config.write_text(json.dumps(old, indent=2) + "\n", encoding="utf-8")
    result = install(project, "gemini", "--mcp", "--dry-run")
    assert result.exit_code == 0 and "Dry run: nothing changed." in result.output
    assert f'update  .gemini/settings.json (MCP server: mcpServers."{NAME}" = ' in result.output
    assert json.loads(config.read_text(encoding="utf-8")) == old
    assert install(project, "gemini", "--mcp", "--yes").exit_code == 0
    entry = json.loads(config.read_text(encoding="utf-8"))["mcpServers"][NAME]
    assert entry == {"command": COMMAND[0], "args": ["mcp"], "trust": True, "timeout": 30000}

    opencode = project / "opencode.json"
    opencode.write_text(json.dumps({"mcp": {NAME: {"type": "local", "command": COMMAND, "enabled": False}}}),
                        encoding="utf-8")
    before = opencode.read_bytes()
    result = install(project, "opencode", "--mcp", "--yes")
    assert result.exit_code == 0 and "opencode.json" not in result.output
    assert opencode.read_bytes() == before  # switched off by the user: stays off


def test_a_foreign_server_of_the_same_name_is_neither_replaced_nor_removed(project):
    config = project / ".cursor" / "mcp.json"
    config.parent.mkdir()
    foreign = '{"mcpServers": {"qwencloud-skills": {"command": "node", "args": ["their-server.js"]}}}\n'
    config.write_text(foreign, encoding="utf-8")
    result = install(project, "cursor", "--mcp", "--yes")
    assert result.exit_code == 3 and "does not run qwencloud-skills" in result.output and "--force" in result.output
    assert config.read_text(encoding="utf-8") == foreign
    result = uninstall(project, "cursor", "--mcp", "--yes")
    assert result.exit_code == 0 and "left in place" in result.output
    assert config.read_text(encoding="utf-8") == foreign
    assert install(project, "cursor", "--mcp", "--yes", "--force").exit_code == 0
    assert entry_of(config, "cursor") == expected_entry("cursor")


def test_uninstall_mcp_alone_keeps_the_skills_and_one_skill_keeps_the_entry(project):
    assert install(project, "claude", "--mcp", "--yes").exit_code == 0
    skill_md = project / ".claude" / "skills" / SKILL / "SKILL.md"
    result = uninstall(project, "claude", "--skill", SKILL, "--yes")
    assert result.exit_code == 0 and not skill_md.exists()
    assert entry_of(project / ".mcp.json", "claude") == expected_entry("claude")

    assert install(project, "claude", "--yes").exit_code == 0  # without --mcp: the entry is left as it is
    assert entry_of(project / ".mcp.json", "claude") == expected_entry("claude")
    result = uninstall(project, "claude", "--mcp", "--yes")
    assert result.exit_code == 0 and 'delete  .mcp.json (it held only MCP server "qwencloud-skills")' in result.output
    assert not (project / ".mcp.json").exists() and skill_md.is_file()
    assert "No MCP server entry" in uninstall(project, "claude", "--mcp", "--yes").output


def test_an_agent_without_an_mcp_config_says_how_to_register_by_hand(project):
    original = snapshot(project)
    result = install(project, "generic", "--mcp", "--yes")
    assert result.exit_code == 3 and "register the server in the agent by hand" in result.output
    assert json.dumps(COMMAND) in result.output
    assert snapshot(project) == original
    assert uninstall(project, "generic", "--mcp", "--yes").exit_code == 3


@pytest.mark.parametrize("agent", ["claude", "codex", "opencode"])
def test_user_scope_edits_the_home_config_and_restores_it(tmp_path, monkeypatch, agent):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    config = home / FILES[agent][1]
    if agent == "claude":  # Claude Code's own file: many keys of its own, kept as they are
        config.write_text('{\n  "numStartups": 42,\n  "projects": {\n    "/src/app": {"allowedTools": []}\n  },\n'
                          '  "mcpServers": {}\n}\n', encoding="utf-8")
    original = snapshot(home)
    result = skills_cli("install", "--agent", agent, "--user", *ONE, "--mcp", "--yes")
    assert result.exit_code == 0, result.output
    assert entry_of(config, agent) == (expected_entry(agent) if agent != "codex" else
                                       {"command": COMMAND[0], "args": ["mcp"]})
    if agent == "claude":
        document = json.loads(config.read_text(encoding="utf-8"))
        assert document["numStartups"] == 42 and document["projects"] == {"/src/app": {"allowedTools": []}}
    assert skills_cli("uninstall", "--agent", agent, "--user", "--yes").exit_code == 0
    after = snapshot(home)
    if agent == "claude":  # an mcpServers object left empty goes with our entry
        kept = {"numStartups": 42, "projects": {"/src/app": {"allowedTools": []}}}
        assert json.loads(after.pop(".claude.json")) == kept
        original.pop(".claude.json")
    assert after == original


def test_a_file_edited_while_the_plan_waited_is_not_overwritten(project):
    config = project / ".mcp.json"
    config.write_text('{"mcpServers": {}}\n', encoding="utf-8")
    plan = plan_install(location("claude", project=project), [], {}, mcp_command=COMMAND)
    config.write_text('{"mcpServers": {"mine": {"command": "x"}}}\n', encoding="utf-8")
    with pytest.raises(mcpconfig.McpConfigError, match="changed while the plan was shown"):
        plan.apply()
    assert config.read_text(encoding="utf-8") == '{"mcpServers": {"mine": {"command": "x"}}}\n'


@pytest.mark.parametrize("text", [
    '{\r\n\t"mcpServers": {\r\n\t\t"a": {"command": "x"}\r\n\t},\r\n\t"z": null\r\n}\r\n',
    '{"a":1,"mcpServers":{"b":{"command":"y"}}}',
    '\ufeff{\n  "a": 1\n}\n',
    "",
])
def test_layouts_round_trip_byte_for_byte(tmp_path, text):
    config = tmp_path / "settings.json"
    config.write_bytes(text.encode("utf-8"))
    change = mcpconfig.register(config, mcpconfig.MCP_SERVERS, COMMAND, "settings.json")
    assert change is not None and change.before == text.encode("utf-8")
    written = change.after.decode("utf-8")
    assert json.loads(written.lstrip("\ufeff"))["mcpServers"][NAME] == expected_entry("claude")
    if "\r\n" in text:
        assert "\n" not in written.replace("\r\n", "") and f'\t\t"{NAME}": {{\r\n\t\t\t"command"' in written
    if text and "\n" not in text:
        assert "\n" not in written  # a one-line file stays on one line
    config.write_bytes(change.after)
    assert mcpconfig.register(config, mcpconfig.MCP_SERVERS, COMMAND, "settings.json") is None
    undo = mcpconfig.unregister(config, mcpconfig.MCP_SERVERS, "settings.json")
    assert undo is not None
    if text.strip():
        assert undo.after == text.encode("utf-8")
    else:
        assert undo.after is None  # the file held nothing else: it goes


def test_every_agent_with_an_mcp_config_is_covered():
    assert {name for name, agent in AGENTS.items() if agent.mcp} == set(FILES)
    for name, (project_file, user_file) in FILES.items():
        assert AGENTS[name].mcp.project[0] == project_file and AGENTS[name].mcp.user[0] == user_file


def test_a_plain_uninstall_is_not_stopped_by_a_config_it_cannot_read(project):
    assert install(project, "gemini", "--yes").exit_code == 0
    config = project / ".gemini" / "settings.json"
    config.write_text('{\n  // the user\'s comment\n  "theme": "x"\n}\n', encoding="utf-8")
    result = uninstall(project, "gemini", "--yes")
    assert result.exit_code == 0, result.output
    assert "not checked for our MCP server entry" in result.output and "line 2, column 3" in result.output
    assert not (project / ".gemini" / "skills").exists()
    assert config.read_text(encoding="utf-8") == '{\n  // the user\'s comment\n  "theme": "x"\n}\n'


def test_a_symlinked_config_is_written_through_and_stays_a_symlink(project, tmp_path):
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "mcp.json"
    target.write_text('{"mcpServers": {}}\n', encoding="utf-8")
    link = project / ".mcp.json"
    link.symlink_to(target)
    assert install(project, "claude", "--mcp", "--yes").exit_code == 0
    assert link.is_symlink() and entry_of(target, "claude") == expected_entry("claude")
    assert uninstall(project, "claude", "--yes").exit_code == 0
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8")) == {}


@pytest.mark.parametrize("text, left", [
    (f'a = 1\r\n\r\n[mcp_servers.{NAME}]\r\ncommand = "x"\r\n\r\n[mcp_servers.{NAME}.env]\r\nX = "1"\r\n\r\n'
     '[other]\r\nb = 2\r\n', 'a = 1\r\n\r\n[other]\r\nb = 2\r\n'),
    (f'a = 1\n\n[mcp_servers.{NAME}]\ncommand = "x"\n\n# about other\n\n[other]\nb = 2\n',
     'a = 1\n\n# about other\n\n[other]\nb = 2\n'),
    (f'[mcp_servers.{NAME}]\ncommand = "x"\n[other]\nb = 2\n', '[other]\nb = 2\n'),
    (f'a = 1\n\n[mcp_servers.{NAME}]\ncommand = "x"\n', 'a = 1\n'),
])
def test_removing_our_tables_keeps_the_comments_and_spacing_of_the_others(text, left):
    assert tomltable.remove_tables(text, ("mcp_servers", NAME)) == left
