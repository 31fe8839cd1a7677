"""`workflow run NAME | list | show ID | resume ID`: the registered workflows as commands.

``run`` has one subcommand per workflow of the skill, its options generated from the
workflow's pydantic options model (like mode commands). A run is planned and checked first;
``--dry-run`` prints the plan and what it bills; a billed plan runs only with ``--yes`` or a
"yes" typed at a terminal. The final file's path is the last line of stdout.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any, Dict, List, Optional

import click

from ..cli.fieldscommand import FieldsCommand
from ..errors import EXIT_INVALID, EXIT_OK

RUN_HELP_EPILOG = ("Exit codes: 0 done (the final file's path is the last line of stdout), 1 a step failed "
                   "(finished steps are kept: `workflow resume ID`), 2 a job still running at --timeout, 3 invalid "
                   "options or no --yes, 4 configuration, 5 a submit's outcome is unknown, 130 interrupted.")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 120}


def _say(line: str) -> None:
    click.echo(line, err=True)


def _runnable(cli_name: str) -> str:
    from ..cli.selfcmd import runnable

    return runnable(cli_name)


class WorkflowCommand(FieldsCommand):
    """One workflow's command; its option flags are built from the options model on first use."""

    def __init__(self, *args: Any, workflow: Any, **kwargs: Any):
        self.workflow = workflow
        super().__init__(*args, **kwargs)

    def fields_model(self) -> type:
        return self.workflow.options_class


def _run_params() -> List[click.Parameter]:
    return [
        click.Option(["--dry-run"], is_flag=True, help="Print the plan and what it bills; send nothing."),
        click.Option(["--yes", "-y"], is_flag=True, help="Run a billed plan without asking."),
        click.Option(["--output"], default=None, help="Folder of the final file and its manifest (default: the "
                     "skill's output folder); intermediate files go to a subfolder."),
        click.Option(["--name"], default=None, help="File stem of the final file (default: the workflow's name)."),
        click.Option(["--concurrency"], type=click.IntRange(1, 16), default=3, show_default=True,
                     help="Steps run at once (independent steps only)."),
        click.Option(["--poll-interval"], type=click.FloatRange(min=0.1), default=None,
                     help="Fixed seconds between status checks of a running job (default: adaptive)."),
        click.Option(["--timeout"], type=click.FloatRange(min=0, min_open=True), default=1800.0, show_default=True,
                     help="Max seconds to wait for one job."),
        click.Option(["--format", "fmt"], type=click.Choice(["text", "json"]), default="text", show_default=True,
                     help="How --dry-run and the summary are printed."),
        click.Option(["--quiet", "-q"], is_flag=True, help="No progress lines (errors still shown)."),
    ]


def workflow_command(workflow: Any, cli_name: str) -> click.Command:
    def callback(**params: Any) -> None:
        from ..cli.options import collect_fields

        options = collect_fields(params, command.field_names)
        _finish(run_workflow(workflow, options, params, cli_name))

    command = WorkflowCommand(
        name=workflow.name, workflow=workflow, callback=callback, params=_run_params(),
        help=f"{workflow.summary}\n\n{workflow.description}".strip(), short_help=workflow.summary,
        epilog=RUN_HELP_EPILOG, context_settings=CONTEXT,
    )
    return command


def _finish(code: int) -> None:
    from ..updates import emit_signals, start_check

    start_check()
    emit_signals()
    if code != EXIT_OK:
        raise click.exceptions.Exit(code)


class RunGroup(click.Group):
    """``workflow run``: one subcommand per registered workflow, built only when asked for."""

    def __init__(self, *args: Any, skill: Optional[str] = None, cli_name: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.skill = skill
        self.cli_name = cli_name
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        from ..plugins import get_registry

        for workflow in get_registry().workflows_of(self.skill):
            self.add_command(workflow_command(workflow, self.cli_name))

    def list_commands(self, ctx: click.Context) -> List[str]:
        self._load()
        return list(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        self._load()
        return self.commands.get(name)


def _confirm(shown: Any, params: Dict[str, Any], cli_name: str) -> Optional[int]:
    """None to go on; an exit code when the plan must not run yet."""
    if params.get("yes") or not shown.jobs:
        return None
    if sys.stdin.isatty() and sys.stderr.isatty():
        if click.confirm(f"Run it? It bills {shown.billed_text()}.", default=False, err=True):
            return None
        _say("Not run.")
        return EXIT_INVALID
    _say(f"Not run: this plan bills {shown.billed_text()}. Add --yes to run it (nothing was sent).")
    return EXIT_INVALID


def run_workflow(workflow: Any, options: Dict[str, Any], params: Dict[str, Any], cli_name: str) -> int:
    """Plan, show, confirm, record and run; the final path is printed last on stdout."""
    from ..cli.options import checked_stem
    from . import api

    validated, plan, shown = api.plan(workflow, options)
    stem = checked_stem(params.get("name")) or workflow.name
    if params.get("fmt") == "json" and params.get("dry_run"):
        click.echo(json.dumps(shown.as_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    for line in shown.lines():
        click.echo(line, err=not params.get("dry_run"))
    if params.get("dry_run"):
        click.echo("Dry run: nothing was sent.", err=True)
        return EXIT_OK
    refused = _confirm(shown, params, cli_name)
    if refused is not None:
        return refused
    from ..tasks import TaskClient

    client = TaskClient(skill=workflow.skill)
    workflow_id = api.record(client, workflow, validated, plan, shown, params.get("output"), stem)
    _say(f"Workflow {workflow_id} recorded; if it stops: {_runnable(cli_name)} workflow resume {workflow_id}")
    return _execute(client, workflow, workflow_id, params, cli_name)


def _execute(client: Any, workflow: Any, workflow_id: str, params: Dict[str, Any], cli_name: str) -> int:
    from ..errors import QwenSkillsError
    from . import api
    from .runner import StepFailedError, WorkflowStopped

    resume = f"{_runnable(cli_name)} workflow resume {workflow_id}"
    try:
        with client:
            outcome = api.execute(
                client, workflow, workflow_id, say=None if params.get("quiet") else _say,
                poll_interval=params.get("poll_interval"), timeout=params.get("timeout") or 1800.0,
                concurrency=params.get("concurrency") or 3)
    except WorkflowStopped as exc:
        _say(f"{exc}\nResume: {resume}")
        return exc.exit_code
    except StepFailedError as exc:
        _say(f"Error: {exc}\nFinished steps are kept; after fixing the cause: {resume}")
        return exc.exit_code
    except QwenSkillsError as exc:
        _say(f"Error: {exc}\nResume: {resume}")
        return exc.exit_code
    if params.get("fmt") == "json":
        click.echo(json.dumps(outcome.manifest, indent=2, ensure_ascii=False, default=str))
    _say(f"Manifest: {outcome.manifest_path}")
    click.echo(str(outcome.final_path))
    return EXIT_OK


def _when(timestamp: Optional[float]) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp)) if timestamp else "-"


def workflow_group(skill: Optional[str], cli_name: str) -> click.Group:
    """The ``workflow`` commands of one skill (``skill`` None: every skill's, for qwencloud-skills)."""
    scope = f"skill {skill}" if skill else "every skill"

    @click.group("workflow", context_settings=CONTEXT,
                 help=f"Finished pieces beyond one job ({scope}): plans of jobs and local media steps, shown "
                      "with what they bill, recorded step by step and resumable.")
    def group() -> None:
        pass

    group.add_command(RunGroup("run", skill=skill, cli_name=cli_name, context_settings=CONTEXT,
                               help="Run a workflow: `run NAME --help` shows its options. --dry-run shows the "
                                    "plan and what it bills."))

    @group.command("list")
    @click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def list_runs(limit: int, fmt: str) -> None:
        """Recorded workflow runs, newest first."""
        from ..ledger import Ledger
        from .store import WorkflowStore

        runs = WorkflowStore(Ledger.default()).list(limit=limit, skill=skill)
        if fmt == "json":
            click.echo(json.dumps(runs, indent=2, ensure_ascii=False, default=str))
            return
        if not runs:
            click.echo("No workflows recorded.", err=True)
            return
        for run in runs:
            counts = run["step_counts"]
            done = counts.get("done", 0)
            total = sum(counts.values())
            click.echo(f"{run['id']}  {run['status']:<8} {run['name']:<14} {done}/{total} steps  "
                       f"{_when(run['created_at'])}  {run.get('final_path') or ''}".rstrip())

    @group.command("show")
    @click.argument("workflow_id")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def show(workflow_id: str, fmt: str) -> None:
        """One run: its steps, their tasks and files."""
        run = _recorded(workflow_id)
        if fmt == "json":
            shown = dict(run)
            shown["plan"] = None
            click.echo(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
            return
        click.echo(f"{run['id']}  {run['name']}  {run['status']}")
        for step in run["steps"]:
            outputs = step.get("outputs") or {}
            task = f" task {step['task_id']}" if step.get("task_id") else ""
            click.echo(f"  {step['step_id']:<14} {step['kind']:<5} {step['status']:<8}{task} "
                       f"{outputs.get('file') or ''}".rstrip())
            if step.get("error"):
                click.echo(f"    error: {step['error'].splitlines()[0]}")
        if run.get("final_path"):
            click.echo(f"final: {run['final_path']}")
            click.echo(f"manifest: {run.get('manifest_path')}")

    @group.command("resume", epilog=RUN_HELP_EPILOG)
    @click.argument("workflow_id")
    @click.option("--concurrency", type=click.IntRange(1, 16), default=3, show_default=True)
    @click.option("--poll-interval", type=click.FloatRange(min=0.1), default=None,
                  help="Fixed seconds between polls (default: adaptive).")
    @click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=1800.0, show_default=True)
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option("--quiet", "-q", is_flag=True)
    def resume(workflow_id: str, **params: Any) -> None:
        """Finish a stopped or failed run: finished steps are reused, running jobs polled, nothing paid twice."""
        from ..plugins import get_registry
        from ..tasks import TaskClient

        run = _recorded(workflow_id)
        if run["status"] == "done" and run.get("final_path"):
            _say(f"Workflow {workflow_id} is done already.")
            click.echo(run["final_path"])
            return
        workflow = get_registry().workflow(run["name"], run["skill"])
        _finish(_execute(TaskClient(skill=run["skill"]), workflow, workflow_id, params, cli_name))

    return group


def _recorded(workflow_id: str) -> Dict[str, Any]:
    from ..errors import FieldIssue, invalid
    from ..ledger import Ledger
    from .store import WorkflowStore

    run = WorkflowStore(Ledger.default()).get(workflow_id)
    if run is None:
        raise invalid([FieldIssue("WORKFLOW_ID", workflow_id, "is not in the ledger", "an id from `workflow list`",
                                  "run `workflow list` to see the recorded runs")])
    return run


all_workflows = workflow_group(None, "qwencloud-skills")
