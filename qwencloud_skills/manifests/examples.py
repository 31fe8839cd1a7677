"""Every example a plugin ships is validated and turned into a payload at build time.

A failing example fails the build, so the manifests never teach a request the
CLI would refuse. The command shown adds ``--mode`` only when detection alone
would not pick the example's mode.
"""

from __future__ import annotations

import json
import shlex
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from ..errors import QwenSkillsError
from ..registry import Example, Mode, Registry, UnknownModelWarning
from .errors import BuildError


@dataclass(frozen=True)
class CheckedExample:
    mode: Mode
    example: Example
    payload: Dict[str, Any]
    needs_mode_flag: bool

    @property
    def request_json(self) -> str:
        return json.dumps(dict(self.example.request), ensure_ascii=False, separators=(",", ":"))

    def arguments(self) -> List[str]:
        """CLI arguments after the command: request, mode and model when needed, --print-response."""
        args = ["--request", shlex.quote(self.request_json)]
        if self.needs_mode_flag:
            args += ["--mode", self.mode.name]
        if self.example.model:
            args += ["--model", shlex.quote(self.example.model)]
        return args + ["--print-response"]


def check_example(registry: Registry, mode: Mode, example: Example) -> CheckedExample:
    """Validate ``example`` against ``mode`` (as the CLI would) and build its payload; BuildError if it fails."""
    where = f"plugin {mode.plugin or '?'}, mode {mode.name}, example {example.title!r}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnknownModelWarning)
            validated = mode.validate(dict(example.request), example.model)
            payload = mode.payload(validated, example.model)
    except UnknownModelWarning as exc:
        raise BuildError(f"{where}: {exc}") from None
    except QwenSkillsError as exc:
        raise BuildError(f"{where} is refused by its own mode:\n{exc}") from None
    except Exception as exc:  # a plugin's payload builder may fail in any way
        raise BuildError(f"{where}: building the payload failed: {type(exc).__name__}: {exc}") from None
    return CheckedExample(mode, example, payload, _detected(registry, mode, example.request) is not mode)


def _detected(registry: Registry, mode: Mode, request: Any) -> Optional[Mode]:
    try:
        return registry.detect_mode(request, skill=mode.skill)
    except QwenSkillsError:
        return None


def check_all(registry: Registry, modes: List[Mode]) -> List[CheckedExample]:
    return [check_example(registry, mode, example) for mode in modes for example in mode.examples]
