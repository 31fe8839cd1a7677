"""`qwencloud-skills demo`: a real job against the built-in emulator, leaving a playable MP4.

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
    """Start the emulator in-process and generate one video from a text prompt."""
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
    click.echo(f"Video saved: {result.local_path}", err=True)
    click.echo(json.dumps(result.as_dict(), indent=2))


def _emulated_skill(registry: Any) -> Any:
    """The first skill the built-in emulator can serve (it knows one of its modes' default models)."""
    from ..emulator.models import find_model

    for skill in registry.skills.values():
        if any(find_model(mode.default_model) is not None for mode in registry.modes_of(skill.name)):
            return skill
    return next(iter(registry.skills.values()))
