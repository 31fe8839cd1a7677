"""Running a click command: our errors become exit codes and clear messages, warnings one line.

Shared by the root CLI (:mod:`.app`) and every skill's own console script
(:mod:`.generated`); it imports neither, so both can import it.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any, Callable, List, Optional

import click

from ..errors import EXIT_INTERRUPTED, EXIT_INVALID, QwenSkillsError


def show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None, line: Any = None) -> None:
    click.echo(f"Warning: {message}", err=True)


def install_warning_display() -> None:
    warnings.showwarning = show_warning  # type: ignore[assignment]
    warnings.simplefilter("default")


def run(command: Callable[..., Any], args: Optional[List[str]] = None, prog_name: Optional[str] = None) -> None:
    """Run a click command with our error-to-exit-code mapping; SIGTERM is handled like Ctrl-C."""
    from ..interrupts import terminate_like_interrupt

    install_warning_display()
    terminate_like_interrupt()
    try:
        # With standalone_mode off, click returns an Exit's code instead of exiting.
        outcome = command.main(args=args, prog_name=prog_name, standalone_mode=False)
    except QwenSkillsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_INVALID if exc.exit_code == 2 else exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(outcome if isinstance(outcome, int) else 0)
