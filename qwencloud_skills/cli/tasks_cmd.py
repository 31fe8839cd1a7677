"""`tasks list|show|resume|cancel|remote`: the ledger, for one skill or for all of them."""

from __future__ import annotations

import json
import time
from typing import Any, Optional

import click


def _when(timestamp: Optional[float]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp)) if timestamp else "-"


def tasks_group(skill: Optional[str], cli_name: str) -> click.Group:
    def here() -> str:
        """``cli_name`` as a command that runs as shown, for the hints below (worked out only when one prints)."""
        from .selfcmd import runnable

        return runnable(cli_name)

    scope = f"skill {skill}" if skill else "every skill"

    @click.group("tasks", help=f"Tasks recorded in the local ledger ({scope}).")
    def tasks() -> None:
        pass

    @tasks.command("list")
    @click.option("--status", default=None, help="Only tasks with this status (e.g. RUNNING, SUBMIT_UNKNOWN).")
    @click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
    @click.option("--refresh", is_flag=True,
                  help="First ask the service for the status of every listed task that has not ended.")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def list_tasks(status: Optional[str], limit: int, refresh: bool, fmt: str) -> None:
        """Most recent tasks first. A task that has not ended shows when its status was last checked:
        a status seen long ago may be stale (--refresh asks the service again)."""
        from ..ledger import Ledger

        ledger = Ledger.default()
        rows = ledger.list(skill=skill, status=status, limit=limit)
        if refresh:
            _refresh(ledger, rows)
            rows = ledger.list(skill=skill, status=status, limit=limit)
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            return
        if not rows:
            click.echo("No tasks recorded.", err=True)
            return
        for row in rows:
            click.echo(
                f"{row['task_id']}  {row['status']:<14} {row['mode'] or '-':<6} {row['model'] or '-':<20} "
                f"{_when(row['submitted_at'])}  {_detail(row)}".rstrip()
            )

    @tasks.command("show")
    @click.argument("task_id")
    def show(task_id: str) -> None:
        """Everything recorded about one task (JSON)."""
        from ..errors import FieldIssue, invalid
        from ..ledger import Ledger

        row = Ledger.default().get(task_id)
        if row is None:
            raise invalid([FieldIssue("task_id", task_id, "not in the local ledger", None,
                                      f"{here()} tasks list shows recorded tasks")])
        click.echo(json.dumps(row, indent=2, ensure_ascii=False, default=str))

    @tasks.command("resume")
    @click.argument("task_id")
    @click.option("--output", default=None, help="Directory (default: the one recorded at submit).")
    @click.option("--poll-interval", default=None, type=click.FloatRange(min=0.1),
                  help="Fixed seconds between polls (default: adaptive).")
    @click.option("--timeout", default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True))
    @click.option("--print-response", is_flag=True)
    @click.option("--quiet", "-q", is_flag=True)
    def resume_cmd(task_id: str, output: Optional[str], poll_interval: Optional[float], timeout: float,
                   print_response: bool, quiet: bool) -> None:
        """Finish polling and downloading a task from any earlier run."""
        from .jobs import JobOptions, resume

        owner = _owner(task_id) or skill or ""
        opts = JobOptions(skill=owner, cli_name=here(), output=output, print_response=print_response,
                          poll_interval=poll_interval, timeout=timeout, quiet=quiet)
        code = resume(opts, task_id)
        if code:
            raise click.exceptions.Exit(code)

    @tasks.command("cancel")
    @click.argument("task_id")
    def cancel(task_id: str) -> None:
        """Cancel a task that is still PENDING (running tasks cannot be canceled)."""
        from ..tasks import TaskClient

        with TaskClient.for_task(task_id, skill=skill) as client:
            client.cancel(task_id)
        click.echo(f"Task {task_id} canceled.", err=True)

    @tasks.command("resolve")
    @click.argument("placeholder")
    @click.argument("task_id", required=False)
    def resolve(placeholder: str, task_id: Optional[str]) -> None:
        """Settle an unknown-outcome submit: name the task it created (from `tasks remote`), or none.

        With TASK_ID the real task takes over what was recorded (mode, model, request, output
        folder); resume it next. Without TASK_ID the placeholder is marked NOT_CREATED.
        """
        from ..errors import FieldIssue, invalid
        from ..ledger import Ledger

        try:
            Ledger.default().resolve(placeholder, task_id)
        except ValueError as exc:
            raise invalid([FieldIssue("placeholder", placeholder, str(exc), "an unknown-... id",
                                      f"{here()} tasks list --status SUBMIT_UNKNOWN shows them")]) from None
        if task_id:
            click.echo(f"{placeholder} resolved to task {task_id}; resume it with: {here()} tasks resume {task_id}",
                       err=True)
        else:
            click.echo(f"{placeholder} marked NOT_CREATED.", err=True)

    @tasks.command("remote")
    @click.option("--status", default=None)
    @click.option("--model", "model_name", default=None)
    @click.option("--page-size", default=20, type=int, show_default=True)
    @click.option("--page", "page_no", default=1, type=int, show_default=True)
    @click.option("--workspace", is_flag=True,
                  help="List the workspace host's tasks (QWEN_WORKSPACE_ID) instead of the default host's.")
    def remote(status: Optional[str], model_name: Optional[str], page_size: int, page_no: int,
               workspace: bool) -> None:
        """Tasks as the service lists them (to check an unknown-outcome submit)."""
        from ..tasks import TaskClient

        base_url = None
        if workspace:
            from ..settings import require_workspace_url

            base_url = require_workspace_url(None).base_url
        with TaskClient(skill=skill, ledger=False, base_url=base_url) as client:
            answer = client.list(status=status, model_name=model_name, page_size=page_size, page_no=page_no)
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))

    return tasks


def _detail(row: Any) -> str:
    """The saved files of a finished task; for one still open, when its status was last seen."""
    from ..ledger import FINAL_STATUSES, SETTLED_PLACEHOLDER_STATUSES, UNKNOWN_OUTCOME

    saved = [item["local_path"] for item in row.get("results") or [] if item.get("local_path")]
    if saved:
        return saved[0] if len(saved) == 1 else f"{saved[0]} (+{len(saved) - 1} more)"
    status = row.get("status")
    if status == UNKNOWN_OUTCOME:
        return "outcome unknown: check `tasks remote`, then `tasks resolve`"
    if status in FINAL_STATUSES or status in SETTLED_PLACEHOLDER_STATUSES:
        return ""
    checked = row.get("checked_at")
    return f"last checked {_when(checked)}" if checked else "never checked since submit"


def _refresh(ledger: Any, rows: Any) -> None:
    """One status poll for every listed task that has not ended (placeholders have nothing to poll)."""
    from ..errors import QwenSkillsError
    from ..ledger import FINAL_STATUSES, PLACEHOLDER_PREFIX
    from ..tasks import TaskClient

    for row in rows:
        task_id = row["task_id"]
        if row["status"] in FINAL_STATUSES or task_id.startswith(PLACEHOLDER_PREFIX):
            continue
        try:
            with TaskClient.for_task(task_id, ledger=ledger, skill=row.get("skill")) as client:
                client.status(task_id)
        except QwenSkillsError as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            click.echo(f"Warning: could not refresh {task_id}: {first}", err=True)


def _owner(task_id: str) -> Any:
    from ..ledger import Ledger

    row = Ledger.default().get(task_id)
    return row.get("skill") if row else None


all_tasks = tasks_group(None, "qwencloud-skills")
