"""A console script's first step: the calls an agent repeats most are answered before click, httpx or plugins load.

`--help` comes from the help texts remembered by :mod:`.quickhelp`, and `--task-id ID
--poll-once`, run every few seconds while a job is going, is answered by :mod:`..quickpoll`
when the task is plainly still running. Everything else, and every case they decline, runs the
generated click command as before, with the same arguments.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Callable, List, Optional, TextIO, Tuple


def poll_request(argv: List[str]) -> Optional[Tuple[str, bool]]:
    """(task id, quiet) when ``argv`` is exactly `--task-id ID --poll-once [--quiet] [--print-response]` in any
    order; else None. (--print-response changes only what a finished task prints, and that is the full path's.)"""
    task_id: Optional[str] = None
    once = quiet = full_answer = False
    words = iter(argv)
    for word in words:
        if word == "--poll-once" and not once:
            once = True
        elif word == "--quiet" and not quiet:
            quiet = True
        elif word == "--print-response" and not full_answer:
            full_answer = True
        elif word == "--task-id" and task_id is None:
            task_id = next(words, "")
        elif word.startswith("--task-id=") and task_id is None:
            task_id = word[len("--task-id="):]
        else:
            return None
    if not once or not task_id or task_id.startswith("-"):
        return None
    return task_id, quiet


def _line(stream: TextIO) -> Callable[[str], None]:
    def write(text: str) -> None:
        stream.write(text + "\n")
        stream.flush()

    return write


def quick_poll(skill_name: Optional[str], cli_name: str, argv: List[str]) -> Optional[int]:
    """The exit code of a one-off status check answered here; None when the full command must run."""
    asked = poll_request(argv)
    if asked is None:
        return None
    task_id, quiet = asked
    from ..environment import Environment
    from ..quickpoll import may_poll_quickly, open_ledger, poll_running
    from .progress import Progress, report_running, resume_command, stopped_waiting

    if not may_poll_quickly(task_id):
        return None
    from ..updates import emit_signals, start_check

    # No SIGTERM handler here (the full path makes SIGTERM act like Ctrl-C so a job winds down): a check
    # writes nothing that a kill could leave half done (one SQLite commit), so the default action is right.
    env = Environment()  # one lookup of the environment and .env files for the whole check
    start_check(env=env)  # as every job does; once per process, so the full path does not start a second one
    say = _line(sys.stderr)
    answered = True
    try:
        ledger = open_ledger(env)
        if ledger is None:
            answered = False
            return None
        with ledger.session(observations_only=True):
            status = poll_running(task_id, skill_name, ledger, env)
            if status is None:
                answered = False  # the full path runs next and emits the signals itself
                return None
            return report_running(status, ledger, quiet, Progress(quiet), _line(sys.stdout), say)
    except KeyboardInterrupt:
        from ..errors import EXIT_INTERRUPTED

        say(stopped_waiting(task_id))
        say(f"Resume with: {resume_command(cli_name, task_id)}")
        return EXIT_INTERRUPTED
    finally:
        if answered:
            emit_signals(env=env)


def _serve_cached_help(prog: str, argv: List[str]) -> None:
    """A remembered help text, printed, and exit 0; nothing (not even the import) for other calls."""
    if argv and argv[-1] in ("--help", "-h"):  # quickhelp.HELP_FLAGS, without importing it
        from .quickhelp import serve_cached

        serve_cached(prog, argv)


def skill_main(skill_name: str, cli_name: str, args: Optional[List[str]] = None, domain: Optional[str] = None) -> None:
    """Entry point for a skill's own console script."""
    argv = list(sys.argv[1:] if args is None else args)
    _serve_cached_help(cli_name, argv)
    code = quick_poll(skill_name, cli_name, argv)
    if code is not None:
        sys.exit(code)
    from .generated import skill_main as run_command

    run_command(skill_name, cli_name, args, domain)  # the original args: click expands globs on Windows for None


def root_main(args: Optional[List[str]] = None) -> None:
    """Entry point of `qwencloud-skills` (and `python -m qwencloud_skills`)."""
    argv = list(sys.argv[1:] if args is None else args)
    _serve_cached_help("qwencloud-skills", argv)
    from .app import main

    main(args)
