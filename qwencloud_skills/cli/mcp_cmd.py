"""`qwencloud-skills mcp`: serve every loaded skill as MCP tools over stdio.

The server needs the official ``mcp`` SDK, version 2 (the ``[mcp]`` extra), which needs Python
3.10+. Without it the command says exactly what to install and exits 4 (configuration).
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

import click

from ..errors import ConfigError

INSTALL = "pip install 'qwencloud-skills[mcp]'"
MIN_PYTHON = (3, 10)
SDK_MAJOR = 2


def missing_requirement(version_info: Sequence[int] = tuple(sys.version_info[:2])) -> Optional[str]:
    """Why the server cannot start here (Python too old, SDK absent or of another major version); None if it can."""
    if tuple(version_info[:2]) < MIN_PYTHON:
        shown = ".".join(str(part) for part in version_info[:2])
        return (f"The MCP server needs Python 3.10 or newer (the official mcp SDK does); this is Python {shown}. "
                f"Fix: install qwencloud-skills into a Python 3.10+ environment with {INSTALL}.")
    try:
        from importlib import metadata

        version = metadata.version("mcp")
    except Exception:
        version = None
    try:
        import mcp.server.lowlevel  # noqa: F401 - the import is the check
    except Exception as exc:
        found = f" (mcp {version} is installed but does not import: {type(exc).__name__})" if version else ""
        return f"The MCP server needs the mcp package{found}. Fix: {INSTALL} (Python 3.10+)."
    major = (version or "").split(".")[0]
    if major != str(SDK_MAJOR):
        return (f"The MCP server needs mcp {SDK_MAJOR}.x; mcp {version or 'of an unknown version'} is installed. "
                f"Fix: {INSTALL} (it pins mcp>={SDK_MAJOR},<{SDK_MAJOR + 1}).")
    return None


@click.command("mcp", context_settings={"help_option_names": ["-h", "--help"]})
def mcp() -> None:
    """Serve the installed skills as MCP tools over stdio (for agents: Claude, Cursor, Codex, ...).

    Tools: one submit tool per mode (<domain>_<mode>), task_status, task_result, tasks_list,
    task_cancel, dry_run, models, one tool per workflow (workflow_<name>), workflow_status and
    workflow_resume. The key is read as the CLI reads it. Needs the [mcp] extra (Python 3.10+):
    pip install 'qwencloud-skills[mcp]'. Exit codes: 0 the client closed the connection,
    4 the extra is missing, 130 interrupted.
    """
    problem = missing_requirement()
    if problem is not None:
        raise ConfigError(problem)
    from ..mcp.server import serve

    code = serve()
    if code:
        raise click.exceptions.Exit(code)
