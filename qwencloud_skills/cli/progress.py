"""Progress for people and agents: a live line on a TTY, plain stable lines in pipes."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, Optional, TextIO


class Progress:
    """Reports each poll on stderr as ``[Ns] task=ID status=...`` (or a live line on a TTY)."""

    def __init__(self, quiet: bool = False, stream: Optional[TextIO] = None, live: Optional[bool] = None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._open_line = False

    def __call__(self, status: Any, elapsed: float) -> None:
        if self.quiet:
            return
        text = f"[{elapsed:.0f}s] task={status.task_id} status={status.status}"
        if len(status.urls) == 1:
            text += " result=ready"
        elif status.urls:
            text += f" results={len(status.urls)} ready"
        if self.live and status.running:
            self.stream.write("\r\x1b[2K  " + text + "  (Ctrl-C stops waiting; the task keeps running)")
            self._open_line = True
        else:
            self.close()
            self.stream.write("  " + text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False


def resume_command(cli_name: str, task_id: str, output: Optional[str] = None) -> str:
    """The command that picks a task up again (with the output folder it was given)."""
    return f"{cli_name} --task-id {task_id}" + (f" --output {output}" if output else "")


def stopped_waiting(task_id: str) -> str:
    return f"Stopped. Task {task_id} keeps running on the service (valid 24 h)."


def report_running(status: Any, ledger: Any, quiet: bool, progress: Progress,
                   out: Callable[[str], None], say: Callable[[str], None]) -> int:
    """A one-off check found the task running: the poll line, its answer on stdout and when to look again.

    The answer is ASCII-escaped JSON, so the service's text cannot steer a terminal.
    """
    import json

    from ..errors import EXIT_RUNNING
    from ..waiting import check_again_hint

    progress(status, 0)
    out(json.dumps(status.raw))
    if not quiet:
        say(check_again_hint(ledger, status.task_id))
    return EXIT_RUNNING
