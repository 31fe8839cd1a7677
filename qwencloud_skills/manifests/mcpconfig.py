"""Register our MCP server in an agent's MCP configuration file, and take it out again, touching nothing else.

One entry, always named :data:`SERVER_NAME`, in one of three shapes:

* ``mcpServers`` (Claude Code, Cursor, Gemini CLI, Qwen Code):
  ``{"mcpServers": {name: {"command": ..., "args": [...]}}}``
* ``opencode``: ``{"mcp": {name: {"type": "local", "command": [...], "enabled": true}}}``, or under
  ``"mcp": {"servers": {...}}`` (without ``enabled``) when the file already uses OpenCode 2's layout;
* ``codex``: a ``[mcp_servers.<name>]`` table with ``command`` and ``args`` in config.toml.

The entry holds the command that starts the server and nothing else: no
environment, so no key (the server finds the key the way the CLI does).
Files are edited in place (:mod:`.jsonedit`, :mod:`.tomltable`), so the
user's other servers, keys, order, indentation and comments stay; a file that
does not parse is refused with the position of the error and left alone.
Nothing is written here: :func:`register` and :func:`unregister` return the
new bytes for the install plan to apply.
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import ConfigError
from . import jsonedit, tomltable
from .errors import InstallError

SERVER_NAME = "qwencloud-skills"
SCRIPT_NAMES = ("qwencloud-skills", "qwencloud-skills.exe")
MCP_SERVERS = "mcpServers"
OPENCODE = "opencode"
CODEX = "codex"
STYLES = (MCP_SERVERS, OPENCODE, CODEX)
_BOM = "\ufeff"


class McpConfigError(ConfigError):
    """An agent's MCP configuration file cannot be edited safely (does not parse, unexpected shape)."""


@dataclass(frozen=True)
class Change:
    """One edit of one configuration file: the bytes before (None: absent) and after (None: delete it)."""

    path: Path
    before: Optional[bytes]
    after: Optional[bytes]
    verb: str  # "register", "update" or "unregister"
    entry: str  # where and what, for people


def server_command() -> List[str]:
    """The command that starts this install's MCP server: the console script by absolute path, else ``python -m``."""
    script = _console_script()
    return [script, "mcp"] if script else [sys.executable, "-m", "qwencloud_skills", "mcp"]


def _console_script() -> Optional[str]:
    """The qwencloud-skills script of the install this code runs from, by absolute path; None when there is none."""
    argv0 = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(argv0) in SCRIPT_NAMES:
        for candidate in (argv0, argv0 + ".exe"):  # Windows launchers drop ".exe" from argv[0]
            if os.path.isfile(candidate):
                return candidate
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        for name in SCRIPT_NAMES:
            candidate = os.path.join(folder, name) if folder else ""
            if candidate and os.path.isfile(candidate):
                return os.path.abspath(candidate)
    return None


def is_ours(entry: Any) -> bool:
    """Whether a server entry runs qwencloud-skills (its script, or ``python -m qwencloud_skills``)."""
    if not isinstance(entry, dict):
        return False
    command = entry.get("command")
    parts = list(command) if isinstance(command, list) else [command, *(entry.get("args") or [])]
    parts = [part for part in parts if isinstance(part, str)]
    if not parts:
        return False
    return os.path.basename(parts[0].replace("\\", "/")) in SCRIPT_NAMES or "qwencloud_skills" in parts[1:3]


def register(path: Path, style: str, command: Sequence[str], label: str, force: bool = False) -> Optional[Change]:
    """The edit that makes ``path`` start our server with ``command``; None when it already does."""
    if style == CODEX:
        return _register_toml(path, list(command), label, force)
    before, text, bom = _read(path, label)
    document = _parse_json(text, label, style, command) if text.strip() else {}
    key_path, value = _json_target(style, document, list(command))
    current = jsonedit.lookup(document, key_path)
    if current is not jsonedit.MISSING:
        _check_ours(current, label, force)
        if isinstance(current, dict) and is_ours(current):
            value = _merged(current, value)
        if current == value:
            return None
    if text.strip():
        try:
            new = jsonedit.set_member(text, key_path, value)
        except jsonedit.JsonEditError as exc:
            raise McpConfigError(_refusal(label, f"{exc}", style, command)) from None
    else:
        nested: Any = value
        for key in reversed(key_path):
            nested = {key: nested}
        new = json.dumps(nested, indent=2, ensure_ascii=False) + "\n"
    verb = "register" if current is jsonedit.MISSING else "update"
    return Change(path, before, (bom + new).encode("utf-8"), verb, _json_entry(key_path, value))


def unregister(path: Path, style: str, label: str) -> Optional[Change]:
    """The edit that removes our entry from ``path`` (and the file, when nothing else is left and it is not a
    symlink); None if absent."""
    if not path.is_file():
        return None
    if style == CODEX:
        return _unregister_toml(path, label)
    before, text, bom = _read(path, label)
    if not text.strip():
        return None
    document = _parse_json(text, label, style, None)
    for key_path in _json_candidates(style):
        current = jsonedit.lookup(document, key_path)
        if current is jsonedit.MISSING or not is_ours(current):
            continue
        new = jsonedit.delete_member(text, key_path)
        after = None if jsonedit.parse(new) == {} and not path.is_symlink() else (bom + new).encode("utf-8")
        return Change(path, before, after, "unregister", _json_entry(key_path, current))
    return None


def foreign_entry(path: Path, style: str, label: str) -> Optional[str]:
    """A sentence about an entry named like ours that runs something else (left alone), or None."""
    try:
        if style == CODEX:
            current = _toml_entry(path, label)[1] if path.is_file() else None
        else:
            _, text, _ = _read(path, label)
            document = _parse_json(text, label, style, None) if text.strip() else {}
            found = [jsonedit.lookup(document, key_path) for key_path in _json_candidates(style)]
            current = next((item for item in found if item is not jsonedit.MISSING), None)
    except (McpConfigError, OSError):
        return None
    if current is None or is_ours(current):
        return None
    return f'{label} has an MCP server named "{SERVER_NAME}" that does not run qwencloud-skills; left in place'


def snippet(style: str, command: Sequence[str]) -> str:
    """Our entry as a person would paste it into the file by hand."""
    if style == CODEX:
        return "".join(tomltable.render_table(("mcp_servers", SERVER_NAME), _toml_values(command), "\n")).strip()
    key_path, value = _json_target(style, {}, list(command))
    nested: Any = value
    for key in reversed(key_path):
        nested = {key: nested}
    return json.dumps(nested, ensure_ascii=False)


def _read(path: Path, label: str) -> Tuple[Optional[bytes], str, str]:
    """(bytes, text without BOM, BOM) of ``path``; (None, "", "") when it does not exist."""
    if not path.exists():
        return None, "", ""
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise McpConfigError(f"{label} is not UTF-8 text; nothing was changed. Fix the file and run again.") from None
    except OSError as exc:
        raise McpConfigError(f"{label} cannot be read ({exc.strerror or exc}); nothing was changed.") from None
    bom = _BOM if text.startswith(_BOM) else ""
    return data, text[len(bom):], bom


def _refusal(label: str, problem: str, style: str, command: Optional[Sequence[str]]) -> str:
    by_hand = f" (or add the server by hand: {snippet(style, command)})" if command else ""
    return f"{label} cannot be edited: {problem}. Nothing was changed: fix the file{by_hand} and run again."


def _parse_json(text: str, label: str, style: str, command: Optional[Sequence[str]]) -> Any:
    try:
        document = jsonedit.parse(text)
    except jsonedit.JsonEditError as exc:
        comments = "; comments and trailing commas are not JSON" if "//" in text or "/*" in text else ""
        raise McpConfigError(_refusal(label, f"it is not valid JSON ({exc}{comments})", style, command)) from None
    if not isinstance(document, dict):
        raise McpConfigError(_refusal(label, "its top level is not a JSON object", style, command))
    for key_path in _json_candidates(style):
        for depth in range(1, len(key_path)):
            container = jsonedit.lookup(document, key_path[:depth])
            if container is not jsonedit.MISSING and not isinstance(container, dict):
                where = ".".join(key_path[:depth])
                raise McpConfigError(_refusal(label, f'"{where}" is not a JSON object', style, command))
    return document


def _json_candidates(style: str) -> List[List[str]]:
    if style == OPENCODE:
        return [["mcp", SERVER_NAME], ["mcp", "servers", SERVER_NAME]]
    return [[MCP_SERVERS, SERVER_NAME]]


def _opencode_v2(document: Any) -> bool:
    """Whether the file keeps servers under ``mcp.servers`` (OpenCode 2's own layout) rather than under ``mcp``."""
    mcp = document.get("mcp") if isinstance(document, dict) else None
    servers = mcp.get("servers") if isinstance(mcp, dict) else None
    return isinstance(servers, dict) and not {"type", "command", "url"} & set(servers)


def _json_target(style: str, document: Any, command: List[str]) -> Tuple[List[str], Dict[str, Any]]:
    """Where our entry goes in this file, and what it holds."""
    if style == MCP_SERVERS:
        return [MCP_SERVERS, SERVER_NAME], {"command": command[0], "args": command[1:]}
    if style == OPENCODE:
        if _opencode_v2(document) and jsonedit.lookup(document, ["mcp", SERVER_NAME]) is jsonedit.MISSING:
            return ["mcp", "servers", SERVER_NAME], {"type": "local", "command": command}
        return ["mcp", SERVER_NAME], {"type": "local", "command": command, "enabled": True}
    raise ValueError(f"unknown MCP configuration style {style!r}")


def _merged(current: Dict[str, Any], ours: Dict[str, Any]) -> Dict[str, Any]:
    """Our keys over the entry the user may have extended (timeouts, trust); whether it is enabled stays theirs."""
    merged = dict(current)
    for key, value in ours.items():
        if key == "enabled" and key in current:
            continue
        merged[key] = value
    return merged


def _check_ours(current: Any, label: str, force: bool) -> None:
    if force or is_ours(current):
        return
    raise InstallError(
        f'{label} already has an MCP server named "{SERVER_NAME}" that does not run qwencloud-skills. '
        "Rename or remove it, or pass --force to replace it."
    )


def _json_entry(key_path: Sequence[str], value: Any) -> str:
    return f"{'.'.join(json.dumps(key) if '-' in key else key for key in key_path)} = {json.dumps(value)}"


def _toml_values(command: Sequence[str]) -> Dict[str, Any]:
    return {"command": command[0], "args": list(command[1:])}


def _toml_entry(path: Path, label: str) -> Tuple[str, Optional[Dict[str, Any]], bool]:
    """(text, our table's command/args or None, whether it is a [table] we can edit) of a config.toml."""
    _, text, _ = _read(path, label)
    key = ("mcp_servers", SERVER_NAME)
    try:
        found = tomltable.scan(text)
        document = tomltable.full_parse(text)
    except tomltable.TomlEditError as exc:
        raise McpConfigError(_refusal(label, f"it is not valid TOML ({exc})", CODEX, None)) from None
    has_table = any(header.path == key and not header.array for header in found.headers)
    # defined outside its own [table] (dotted keys, an inline table), or mcp_servers itself an inline table
    elsewhere = [line for line in found.keys
                 if (line.full[:2] == key and line.table[:2] != key) or line.full == ("mcp_servers",)]
    if document is not None:
        servers = document.get("mcp_servers", {})
        entry = servers.get(SERVER_NAME) if isinstance(servers, dict) else None
        entry = entry if isinstance(entry, dict) else None
    else:
        entry = {line.key[0]: tomltable.simple_value(line.value) for line in found.keys
                 if line.table == key and len(line.key) == 1} if has_table else None
    return text, entry, not elsewhere and (has_table or entry is None)


def _register_toml(path: Path, command: List[str], label: str, force: bool) -> Optional[Change]:
    before = path.read_bytes() if path.exists() else None
    values = _toml_values(command)
    key = ("mcp_servers", SERVER_NAME)
    text, current, editable = _toml_entry(path, label) if before is not None else ("", None, True)
    by_hand = "".join(tomltable.render_table(key, values, "\n")).strip()
    if not editable:
        raise McpConfigError(
            f"{label} defines mcp_servers in a form this installer does not edit (an inline table or dotted keys). "
            f"Nothing was changed: add or change this table by hand:\n{by_hand}"
        )
    if current is not None:
        _check_ours(current, label, force)
        if {name: current.get(name) for name in values} == values:
            return None
    new = tomltable.put_table(text, key, values)
    try:
        document = tomltable.full_parse(new)
    except tomltable.TomlEditError as exc:
        raise McpConfigError(_refusal(label, f"adding the table would break it ({exc})", CODEX, command)) from None
    if document is not None and {name: document["mcp_servers"][SERVER_NAME].get(name) for name in values} != values:
        raise McpConfigError(_refusal(label, "the table could not be written safely", CODEX, command))
    entry = f"[mcp_servers.{SERVER_NAME}] " + ", ".join(f"{name} = {json.dumps(item)}" for name, item in values.items())
    return Change(path, before, new.encode("utf-8"), "register" if current is None else "update", entry)


def _unregister_toml(path: Path, label: str) -> Optional[Change]:
    before = path.read_bytes()
    text, current, editable = _toml_entry(path, label)
    if current is None or not is_ours(current):
        return None
    if not editable:
        raise McpConfigError(
            f"{label} defines mcp_servers.{SERVER_NAME} in a form this installer does not edit (an inline table or "
            "dotted keys). Nothing was changed: remove it by hand."
        )
    new = tomltable.remove_tables(text, ("mcp_servers", SERVER_NAME))
    document = tomltable.full_parse(new)
    if document is not None and SERVER_NAME in (document.get("mcp_servers") or {}):
        raise McpConfigError(f"{label}: the table mcp_servers.{SERVER_NAME} could not be removed safely; "
                             "nothing was changed: remove it by hand.")
    after = None if not new.strip() and not path.is_symlink() else new.encode("utf-8")
    return Change(path, before, after, "unregister", f"[mcp_servers.{SERVER_NAME}]")
