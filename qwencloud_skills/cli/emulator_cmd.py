"""`qwencloud-skills emulator`: run the local DashScope emulator until stopped."""

from __future__ import annotations

import click


@click.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=0, show_default=True, type=int, help="Port; 0 picks a free one.")
@click.option("--generation-seconds", default=3.0, show_default=True, type=float,
              help="How long each task stays RUNNING.")
@click.option("--key", "keys", multiple=True, help="Accept only these API keys (default: any sk-... key).")
def emulator(host: str, port: int, generation_seconds: float, keys: tuple) -> None:
    """Serve the DashScope emulator; prints its base URL first, then serves until Ctrl-C.

    Point the project at it with QWEN_BASE_URL=<printed URL> and any sk-... key.
    """
    from ..emulator import EmulatorConfig
    from ..emulator.cli import serve

    config = EmulatorConfig(generation_seconds=generation_seconds, accepted_keys=set(keys) or None)
    serve(host=host, port=port, config=config)
