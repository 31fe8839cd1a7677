"""Invoke click commands in-process with click 8.2 semantics on every supported click.

click 8.2+ (Python 3.10+) keeps ``stderr`` apart while ``output`` holds both
streams; click 8.1 (what Python 3.9 gets) mixes them unless told not to, and
then ``output`` holds stdout only. Tests rely on the 8.2 behaviour.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Optional, Sequence

from click.testing import CliRunner

_SEPARATE = "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    output: str
    exception: Optional[BaseException]


def invoke(command: Any, args: Sequence[str], **kwargs: Any) -> Outcome:
    runner = CliRunner(mix_stderr=False) if _SEPARATE else CliRunner()
    result = runner.invoke(command, list(args), **kwargs)
    output = result.stdout + result.stderr if _SEPARATE else result.output
    return Outcome(result.exit_code, result.stdout, result.stderr, output, result.exception)
