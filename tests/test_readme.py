"""The README's promises, checked: the plugin example works, the commands match .ci/run."""

from __future__ import annotations

import re
from pathlib import Path

from qwencloud_skills.plugins import get_registry

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str, language: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def test_plugin_example_in_ten_lines_registers_a_working_mode(install_plugin) -> None:
    source = _block_after("## Writing a plugin in ten lines", "python")
    code_lines = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(code_lines) <= 16  # ten-ish lines of real code
    install_plugin("acme_mode", source, dist="acme-mode")
    registry = get_registry()
    mode = registry.detect_mode({"prompt": "x", "sketch_url": "https://e/s.png"}, skill="qwencloud-video-generation")
    assert mode.name == "sketch2v" and mode.plugin == "acme_mode"
    validated = mode.validate({"prompt": "a cat", "sketch_url": "https://e/s.png"})
    assert mode.payload(validated)["input"] == {"prompt": "a cat", "sketch_url": "https://e/s.png"}


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = _block_after("Run the tests", "bash").strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command.replace("python3 ", "$PYTHON ", 1) in ci


def test_readme_main_job_command_runs_the_demo() -> None:
    main_job = _block_after("## The two commands", "bash").strip()
    assert main_job.endswith("qwencloud-skills demo --skill qwencloud-video-generation") and "[emulator]" in main_job
