"""`qwencloud-skills plugins`: what is loaded, from which distribution, registering what."""

from __future__ import annotations

import json

import click


@click.command("plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def plugins(fmt: str) -> None:
    """List every loaded plugin with its distribution, version and registrations."""
    from ..plugins import get_host

    host = get_host()
    rows = [info.as_dict() for info in host.plugins.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No plugins loaded.")
        return
    for row in rows:
        click.echo(f"{row['name']}  ({row['distribution']} {row['version']}, module {row['module']})")
        for item in row["registers"] or ["(nothing registered)"]:
            click.echo(f"    {item}")
