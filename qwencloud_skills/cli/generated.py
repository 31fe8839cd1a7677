"""Command trees generated from the registry: one group per skill, one command per mode.

The same tree serves a skill's own console script (e.g. ``qwencloud-<domain>``) and
``qwencloud-skills <domain> ...``, so a third-party skill gets a working CLI
without writing one. Nothing here names a mode.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Tuple

import click

from ..errors import EXIT_OK
from .fieldscommand import FieldsCommand

if TYPE_CHECKING:  # pragma: no cover
    from .jobs import JobOptions

# What the commands run (.jobs, .options, .request_input) is imported by the callbacks that run it:
# building the tree for --help or --poll-once must not pay for the rest.

RUN_OPTIONS: List[Tuple[Tuple[str, ...], dict]] = [
    (("--model",), dict(default=None, help="Model id (default: the mode's default model).")),
    (("--output",), dict(default=None, help="Directory for the results and response.json "
                         "(default: output/<skill>/; never inside a skills/ tree).")),
    (("--name",), dict(default=None, help="File stem of the saved results (default: the skill's noun; a taken "
                       "name gets _1, _2, ...).")),
    (("--print-response",), dict(is_flag=True, help="Print the result JSON (results, files, ...).")),
    (("--preview",), dict(is_flag=True, help="Also write a contact sheet (a PNG grid of frames) next to each "
                          "moving result, to look at before describing it.")),
    (("--submit-only",), dict(is_flag=True, help="Submit, print the task id on stdout, exit.")),
    (("--poll-interval",), dict(default=None, type=click.FloatRange(min=0.1),
                                help="Fixed seconds between polls (at least 0.1). Default: adaptive, from this "
                                     "machine's history of similar jobs (sparse at first, dense near the "
                                     "expected end).")),
    (("--timeout",), dict(default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
                          help="Max seconds to wait (more than 0).")),
    (("--quiet", "-q"), dict(is_flag=True, help="No progress lines (errors still shown).")),
    (("--dry-run",), dict(is_flag=True, help="Validate and print the exact HTTP request; send nothing.")),
    (("--format", "fmt"), dict(type=click.Choice(["json", "curl"]), default="json", show_default=True,
                               help="With --dry-run: the request as JSON, or as a curl command that reads the key "
                                    "from $DASHSCOPE_API_KEY.")),
]


def run_params() -> List[click.Parameter]:
    """The seed's run options as parameters (for commands built as objects)."""
    return [click.Option(list(names), **settings) for names, settings in RUN_OPTIONS]


def run_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The seed's run options as decorators (for commands built with decorators)."""
    for names, settings in reversed(RUN_OPTIONS):
        func = click.option(*names, **settings)(func)
    return func


def _job_options(skill_name: str, cli_name: str, params: dict, domain: str = "") -> JobOptions:
    from .jobs import JobOptions
    from .options import checked_stem as _checked_stem
    from .selfcmd import runnable

    return JobOptions(
        skill=skill_name,
        cli_name=runnable(cli_name, domain),
        output=params.get("output"),
        print_response=params.get("print_response", False),
        submit_only=params.get("submit_only", False),
        poll_once=params.get("poll_once", False),
        poll_interval=params.get("poll_interval"),
        timeout=params.get("timeout", 600.0),
        quiet=params.get("quiet", False),
        dry_run=params.get("dry_run", False),
        name=_checked_stem(params.get("name")),
        preview=params.get("preview", False),
        fmt=params.get("fmt", "json"),
    )


def _check_combination(task_id: Optional[str], request: Optional[str], params: dict) -> None:
    """Refuse flag combinations that would silently do something else than asked."""
    if task_id and request:
        raise click.UsageError("give either --request/--file (submit a new task) or --task-id (an existing one)")
    if task_id and params.get("submit_only"):
        raise click.UsageError("--submit-only submits a new task; with --task-id use --poll-once instead")
    if task_id and (params.get("mode") or params.get("model")):
        raise click.UsageError("--mode and --model describe a new request; an existing --task-id keeps its own")
    if params.get("poll_once") and not task_id:
        raise click.UsageError("--poll-once checks an existing task: add --task-id ID (from --submit-only)")


def _run_job(job: Callable[[], int]) -> None:
    """Run a job, then emit the update-check signals whatever the outcome (agents read them)."""
    from ..updates import emit_signals, start_check

    start_check()  # in the background, so a slow index never delays the job
    try:
        code = job()
    finally:
        emit_signals()
    if code != EXIT_OK:
        raise click.exceptions.Exit(code)


def _models_epilog(mode: Any) -> str:
    """The models and their limits, one per line (``\b`` stops click from re-wrapping a paragraph)."""
    blocks = []
    for spec in mode.models:
        marker = " [default]" if spec.id == mode.default_model else ""
        lines = ["\b", f"{spec.id}{marker}: {spec.summary}".rstrip(": ")]
        lines += [f"  {key}: {value}" for key, value in spec.describe().items()]
        blocks.append("\n".join(lines))
    notes = ["\b", "Notes:"] + [f"  - {note}" for note in mode.notes] if mode.notes else []
    return "\n\n".join(["Models and their limits:", *blocks] + (["\n".join(notes)] if notes else []))


class ModeCommand(FieldsCommand):
    """A mode's command whose field options are built from its request model on first use.

    Listing modes (the skill's --help) needs only names and summaries, so the
    request model (and pydantic) is imported only when this command runs or
    shows its own help.
    """

    def __init__(self, *args: Any, mode: Any, **kwargs: Any):
        self.mode = mode
        super().__init__(*args, **kwargs)

    def fields_model(self) -> type:
        return self.mode.request_class

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        given = list(args)  # click's parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            explained = self._explain(exc.option_name, given)
            if explained is None:
                raise
            raise explained from None

    def _explain(self, flag: str, args: List[str]) -> Optional[Exception]:
        """An option this mode lacks but a request field elsewhere has (--size on a resolution mode,
        --img-url on a text mode...): let the validator say what to use instead."""
        from ..errors import InvalidRequestError, invalid

        name, _, inline = flag.partition("=")
        if name.lstrip("-").replace("_", "-") in ROOT_ONLY_OPTIONS:
            return None  # a skill-level flag (e.g. --task-id): click's message says enough
        if "_" in name and name.replace("_", "-") in {opt for p in self.params for opt in p.opts}:
            return click.UsageError(f"{name}: options are spelled with dashes here: {name.replace('_', '-')}")
        field = name.lstrip("-").replace("-", "_")
        value: Any = inline or None
        for index, arg in enumerate(args):
            if value is None and arg.startswith(name + "="):
                value = arg.partition("=")[2]
            elif value is None and arg == name and index + 1 < len(args) and not args[index + 1].startswith("-"):
                value = args[index + 1]
        try:
            self.mode.validate({field: value if value is not None else True})
        except InvalidRequestError as error:
            issues = [issue for issue in error.issues if issue.field == field]
            # Explain only what the validator knows better (a field of another mode, a misplaced one);
            # for anything else click's own "no such option" with its suggestions is the better message.
            if issues and not all((issue.fix or "").startswith("remove it") for issue in issues):
                return invalid(issues, header=f"{name} is not an option of {self.mode.name}")
        return None


def mode_command(skill: Any, mode: Any, cli_name: str) -> click.Command:
    def callback(**params: Any) -> None:
        from .jobs import submit_and_follow
        from .options import collect_fields
        from .request_input import load_request

        base = load_request(params.pop("request"), params.pop("request_file"))
        base.update(collect_fields(params, command.field_names))
        opts = _job_options(skill.name, cli_name, params)
        _run_job(lambda: submit_and_follow(opts, base, mode.name, params.get("model")))

    command = ModeCommand(
        name=mode.name,
        mode=mode,
        callback=callback,
        help=f"{mode.summary}\n\nEndpoint: POST {mode.endpoint}",
        epilog=_models_epilog(mode),
        short_help=mode.summary,
        context_settings={"max_content_width": 120},
        params=[
            click.Option(["--request", "request"], default=None,
                         help="Base request as JSON; options given here override its fields."),
            click.Option(["--file", "request_file"], default=None, help="Base request from a JSON file."),
            *run_params(),
        ],
    )
    return command


# Options of the skill's top-level command only (working on an existing task, choosing the mode).
ROOT_ONLY_OPTIONS = ("task-id", "poll-once", "mode")

# Host commands every skill's CLI also offers, so an agent that can only reach the skill's
# script (scripts/<domain>.py) can still check its set-up and answer update-check signals.
SHARED_HOST_COMMANDS = {
    "doctor": ("qwencloud_skills.cli.doctor", "doctor"),
    "update-check": ("qwencloud_skills.cli.update_check", "update_check"),
    "media": ("qwencloud_skills.mediaops.cli", "media"),
}


class SkillGroup(click.Group):
    """A skill's command group: seed-compatible flags at the top, one subcommand per mode.

    Mode commands are built from the registry only when they are needed (help,
    a mode command), so ``--task-id ... --poll-once`` never imports plugin code.
    """

    def __init__(self, *args: Any, skill_name: str = "", cli_name: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.skill_name = skill_name
        self.cli_name = cli_name
        self._modes_loaded = False

    def load_modes(self) -> None:
        if self._modes_loaded:
            return
        self._modes_loaded = True
        from ..plugins import get_registry

        registry = get_registry()
        skill = registry.skill(self.skill_name)
        modes = sorted(registry.modes_of(skill.name), key=lambda m: m.detection.priority)
        for item in modes:
            command = mode_command(skill, item, self.cli_name)
            command.is_mode = True  # type: ignore[attr-defined]
            self.add_command(command)
        self.add_command(models_command(skill))
        if skill.title:
            self.help = f"{skill.title}.\n\n{self.help}"

    def list_commands(self, ctx: click.Context) -> List[str]:
        self.load_modes()
        for name in SHARED_HOST_COMMANDS:
            self.get_command(ctx, name)
        return list(self.commands)

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name not in self.commands and name in SHARED_HOST_COMMANDS:
            import importlib

            module, attr = SHARED_HOST_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attr), name=name)
        if name not in self.commands:
            self.load_modes()
        return self.commands.get(name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.load_modes()
        super().format_help(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self.list_commands(ctx)  # loads the shared host commands too
        modes = [(n, c) for n, c in self.commands.items() if getattr(c, "is_mode", False)]
        others = [(n, c) for n, c in self.commands.items() if not getattr(c, "is_mode", False)]
        for title, rows in (("Modes", modes), ("Commands", others)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl([(n, c.get_short_help_str(80)) for n, c in rows])


def skill_group(skill_name: str, cli_name: Optional[str] = None, domain: Optional[str] = None) -> click.Group:
    """The command tree of one skill; plugins load only when a mode or help is needed."""
    cli_name = cli_name or f"qwencloud-skills {domain or skill_name}"

    @click.group(
        name=domain or skill_name,
        cls=SkillGroup,
        skill_name=skill_name,
        cli_name=cli_name,
        invoke_without_command=True,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
        help=(
            f"Seed-compatible use: {cli_name} --request '{{...}}' [--mode MODE] --print-response "
            f"(the mode is detected from the request when --mode is not given). Or run one mode's "
            f"command with typed options: {cli_name} MODE --help.\n\n"
            "Exit codes: 0 done (results saved), 1 task failed or service error, 2 still running "
            "(--poll-once, or timed out), 3 invalid input or usage, 4 configuration (key, region), "
            "5 submit outcome unknown, 130 interrupted."
        ),
    )
    @click.option("--request", "request_json", default=None, help="Request body as JSON.")
    @click.option("--file", "request_file", default=None, help="Load the request from a JSON file.")
    @click.option("--mode", default=None, help="Override the auto-detected mode (see the Modes list).")
    @click.option("--task-id", default=None, help="Operate on an existing task (skip submission).")
    @click.option("--poll-once", is_flag=True, help="With --task-id: one status check; exit 2 if still running.")
    @run_options
    @click.pass_context
    def group(ctx: click.Context, request_json: Optional[str], request_file: Optional[str], mode: Optional[str],
              task_id: Optional[str], **params: Any) -> None:
        if ctx.invoked_subcommand is not None:
            return
        from .jobs import resume, submit_and_follow
        from .request_input import load_request

        _check_combination(task_id, request_json or request_file, {**params, "mode": mode})
        opts = _job_options(skill_name, cli_name, params, domain or "")
        if task_id:
            _run_job(lambda: resume(opts, task_id))
            return
        if request_json is None and request_file is None:
            click.echo(ctx.get_help(), err=True)
            raise click.UsageError("give --request JSON, --file PATH, --task-id ID, or a mode command")
        request = load_request(request_json, request_file)
        _run_job(lambda: submit_and_follow(opts, request, mode, params.get("model")))

    from ..batch.cli import batch_group
    from ..workflows.cli import workflow_group
    from .tasks_cmd import tasks_group

    group.add_command(tasks_group(skill_name, cli_name))
    group.add_command(workflow_group(skill_name, cli_name))
    group.add_command(batch_group(skill_name, cli_name))
    return group


def models_command(skill: Any) -> click.Command:
    @click.command("models")
    @click.argument("mode_name", metavar="[MODE]", required=False)
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    def models(mode_name: Optional[str], fmt: str) -> None:
        """List every mode (or just MODE) with its endpoint, default model and model limits."""
        from ..plugins import get_registry

        modes = get_registry().modes_of(skill.name)
        if mode_name is not None:
            chosen = [mode for mode in modes if mode.name == mode_name]
            if not chosen:
                from ..errors import FieldIssue, invalid

                raise invalid([FieldIssue("MODE", mode_name, f"is not a mode of {skill.name}",
                                          ", ".join(mode.name for mode in modes) or "none registered",
                                          "give one of the allowed modes, or none to list them all")])
            modes = chosen
        rows = []
        for mode in modes:
            rows.append({
                "mode": mode.name,
                "summary": mode.summary,
                "endpoint": mode.endpoint,
                "default_model": mode.default_model,
                "detection": mode.detection.describe(),
                "plugin": mode.plugin,
                "models": [{"id": s.id, "summary": s.summary, "host": s.host, "limits": s.describe()}
                           for s in mode.models],
            })
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for row in rows:
            click.echo(f"{row['mode']}: {row['summary']}")
            click.echo(f"  endpoint {row['endpoint']}; detection: {row['detection']}")
            for model in row["models"]:
                marker = " [default]" if model["id"] == row["default_model"] else ""
                if model["host"] != "default":
                    marker += f" [{model['host']} host only]"
                limits = "; ".join(f"{k}: {v}" for k, v in model["limits"].items())
                click.echo(f"  - {model['id']}{marker}  {limits}")

    return models


def skill_main(skill_name: str, cli_name: str, args: Optional[List[str]] = None, domain: Optional[str] = None) -> None:
    """Entry point for a skill's own console script."""
    import sys

    from . import quickhelp
    from .runner import run

    argv = sys.argv[1:] if args is None else list(args)
    quickhelp.serve_cached(cli_name, argv)  # for callers other than entry.py
    group = skill_group(skill_name, cli_name, domain)
    run(quickhelp.help_first(group, cli_name, argv), args, prog_name=cli_name)  # help: built once, remembered
