"""Errors of the manifest tools, with the CLI exit codes they map to."""

from __future__ import annotations

from ..errors import EXIT_FAILED, EXIT_INVALID, QwenSkillsError


class BuildError(QwenSkillsError):
    """A manifest could not be generated (a plugin's example fails, a doc name is unusable)."""

    exit_code = EXIT_FAILED


class InstallError(QwenSkillsError):
    """An install or uninstall was refused (foreign files in the way, a damaged registry block)."""

    exit_code = EXIT_INVALID
