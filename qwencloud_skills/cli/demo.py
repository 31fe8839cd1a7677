"""`qwencloud-skills demo [--skill NAME]`: a real job against the built-in emulator, leaving real files.

It goes through the normal code path (validation, HTTP submit, polling,
streamed download, ledger) with a prompt-only request, which the registered
detection rules route to the skill's text-only mode.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import click

DEMO_PROMPT = "A paper boat drifting across a calm lake at sunrise, gentle ripples, soft light"
DEMO_KEY = "sk-emulator-demo-key"


@click.command("demo")
@click.option("--output", "output_dir", default=None, help="Where to save (default: output/<skill>/).")
@click.option("--skill", "skill_name", default=None,
              help="Which skill to demo (default: the first one the emulator serves).")
@click.option("--prompt", default=DEMO_PROMPT, show_default=False, help="The prompt to send.")
def demo(output_dir: Optional[str], skill_name: Optional[str], prompt: str) -> None:
    """Start the emulator in-process and run one job of a skill from a text prompt."""
    import tempfile
    from pathlib import Path

    from ..emulator import Emulator, EmulatorConfig
    from ..ledger import Ledger
    from ..plugins import get_registry
    from ..secrets import ApiKey
    from ..tasks import TaskClient

    registry = get_registry()
    if not registry.skills:
        raise click.ClickException("no skill is registered: is a plugin package installed?")
    skill = registry.skill(skill_name) if skill_name else _emulated_skill(registry)
    config = EmulatorConfig(pending_seconds=0.3, generation_seconds=1.5)
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        click.echo(f"Emulator running at {emu.base_url}", err=True)

        def progress(status, elapsed: float) -> None:
            click.echo(f"  [{elapsed:.0f}s] task={status.task_id} status={status.status}", err=True)

        # A throwaway ledger: the demo's task lives only as long as this emulator, so it must not
        # appear in the user's task history.
        with tempfile.TemporaryDirectory(prefix="qwencloud-demo-") as scratch, TaskClient(
            skill=skill.name, api_key=ApiKey(DEMO_KEY, "demo"), base_url=emu.api_base,
            ledger=Ledger(Path(scratch) / "ledger.sqlite3"),
        ) as client:
            prepared = client.prepare({"prompt": prompt})
            click.echo(f"Mode: {prepared.mode.name} | Model: {prepared.model}", err=True)
            result = client.create_and_poll(
                {"prompt": prompt}, output_dir=output_dir, interval=0.5, timeout=120, on_status=progress
            )
    noun = result.output.noun
    for path in result.files:
        click.echo(f"{noun[:1].upper()}{noun[1:]} saved: {path}", err=True)
    click.echo(json.dumps(result.as_dict(), indent=2))


def _emulated_skill(registry: Any) -> Any:
    """The first skill whose text-only (fallback) mode an emulator service answers.

    Services name the paths they answer under /api/v1; a mode names its endpoint below the base URL.
    """
    from ..emulator.services import discover

    served = {path for service in discover() for path in service.paths + service.sync_paths}
    for skill in registry.skills.values():
        fallback = [mode for mode in registry.modes_of(skill.name) if mode.detection.matches({"prompt": "x"})]
        if any("/api/v1" + mode.endpoint.rstrip("/") in served for mode in fallback):
            return skill
    return next(iter(registry.skills.values()))
