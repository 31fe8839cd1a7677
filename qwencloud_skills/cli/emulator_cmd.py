"""`qwencloud-skills emulator`: run the local DashScope emulator until stopped.

The options are the emulator's own (timings, URL expiry, accepted keys, extra
models for plugin authors...); `qwencloud-skills emulator --help` lists them.
"""

from __future__ import annotations

from typing import Tuple

import click


@click.command(
    "emulator",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
def emulator(options: Tuple[str, ...]) -> None:
    """Serve the DashScope emulator: prints its base URL first, then serves until Ctrl-C.

    Point the project at it with QWEN_BASE_URL=<printed URL> and any sk-... key.
    Options: --host, --port, --pending-seconds, --generation-seconds, --url-ttl-seconds,
    --extra-model ID=KIND[:MIN-MAX], --api-key KEY, ... (see `qwencloud-skills emulator --help`).
    """
    from ..emulator.cli import main

    try:
        code = main(list(options), prog="qwencloud-skills emulator")
    except SystemExit as exc:  # argparse: 0 after --help, 2 for a usage error (our code for that is 3)
        code = 3 if exc.code == 2 else int(exc.code or 0)
    if code:
        raise click.exceptions.Exit(code)
