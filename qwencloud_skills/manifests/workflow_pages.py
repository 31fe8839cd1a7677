"""references/workflows.md and references/merge-media.md, generated from the registered workflows and the
host's media commands, so the pages teach the commands the CLI runs instead of hand-written ffmpeg.

Every workflow example is planned and each of its jobs validated by its mode at build time (Refs
stand in for files that do not exist yet): a plan the CLI would refuse fails the build.
"""

from __future__ import annotations

import inspect
import json
import shlex
from dataclasses import dataclass
from typing import Any, List, Mapping, Tuple

from ..errors import QwenSkillsError
from .context import SkillContext
from .errors import BuildError
from .fields import field_rows
from .markdown import bash, code, join_blocks, table


@dataclass(frozen=True)
class CheckedWorkflowExample:
    workflow: Any
    title: str
    description: str
    options: Mapping[str, Any]
    jobs: int

    def arguments(self) -> List[str]:
        return option_arguments(self.options)


def option_arguments(options: Mapping[str, Any]) -> List[str]:
    """Options as the generated command takes them: --field-name VALUE, repeated for lists, JSON for objects."""
    args: List[str] = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            args.append(flag if value else f"--no-{key.replace('_', '-')}")
        elif isinstance(value, (list, tuple)):
            for item in value:
                args += [flag, shlex.quote(str(item))]
        elif isinstance(value, Mapping):
            args += [flag, shlex.quote(json.dumps(value, ensure_ascii=False, separators=(",", ":")))]
        else:
            args += [flag, shlex.quote(str(value))]
    return args


def check_workflow_example(registry: Any, workflow: Any, example: Any) -> CheckedWorkflowExample:
    """Plan ``example`` and validate each planned job with its mode; BuildError when anything refuses it."""
    from ..mediaops.steps import HOST_OPERATIONS
    from ..validation import validate_model
    from ..workflows.preview import check_shape, placeholder, substitute
    from ..workflows.spec import JobStep

    where = f"plugin {workflow.plugin or '?'}, workflow {workflow.name}, example {example.title!r}"
    from ..mediaops.standins import standing_in

    try:
        with standing_in(getattr(example, "files", {}) or {}):
            options = validate_model(workflow.options_class, dict(example.options), f"workflow {workflow.name}")
            plan = workflow.plan_for(options)
            check_shape(plan, workflow, HOST_OPERATIONS)
            jobs = [step for step in plan.steps if isinstance(step, JobStep)]
            for step in jobs:
                mode = registry.mode(step.mode, step.skill or workflow.skill)
                mode.validate(substitute(dict(step.request), placeholder), step.model)
    except BuildError:
        raise
    except QwenSkillsError as exc:
        raise BuildError(f"{where} is refused:\n{exc}") from None
    except Exception as exc:  # a plugin's planner may fail in any way
        raise BuildError(f"{where}: planning failed: {type(exc).__name__}: {exc}") from None
    return CheckedWorkflowExample(workflow, example.title, example.description, example.options, len(jobs))


def check_workflows(registry: Any, workflows: Tuple[Any, ...]) -> List[CheckedWorkflowExample]:
    return [check_workflow_example(registry, flow, example) for flow in workflows for example in flow.examples]


def workflows_page(ctx: SkillContext, checked: List[CheckedWorkflowExample]) -> str:
    run = ctx.runner
    blocks = [
        f"# Workflows of {ctx.title}",
        "Finished pieces that take more than one job (or a job plus local editing), each as one command: "
        f"`{run} workflow run NAME [OPTIONS]`. The plan is checked in full before anything is paid: "
        "`--dry-run` prints every step with its mode, model and what it bills, and the total. A billed plan "
        "runs only with `--yes` (without it, a non-interactive run prints the plan and exits 3). Independent "
        "steps run at the same time; every step is recorded in the local ledger before it starts.",
        "The final file's path is the last line of stdout; a manifest (`NAME.workflow.json`: steps, task ids, "
        "billed amounts, files) lies next to it and intermediate files are kept in a subfolder.",
        "## Stopped or failed runs",
        table(("Command", "Does"), [
            (code(f"{run} workflow list"), "recorded runs, newest first (`--format json`)"),
            (code(f"{run} workflow show ID"), "one run: steps, their tasks and files"),
            (code(f"{run} workflow resume ID"), "finish a run after a failure, Ctrl-C or a kill: finished steps "
                                               "are reused, running jobs polled, nothing submitted twice"),
        ]),
        "A job whose submit was cut off is looked up in the service's task list on resume; when that cannot "
        "tell (two candidates), the run stops with exit 5 and the `tasks resolve` command to settle it.",
    ]
    for workflow in ctx.workflows:
        rows = [(code("--" + row.name.replace("_", "-")), row.type, "yes" if row.required else "no", row.description)
                for row in field_rows(workflow.options_class)]
        blocks += [f"## {workflow.name}", workflow.summary, workflow.description,
                   table(("Option", "Type", "Required", "Description"), rows)]
        for item in (c for c in checked if c.workflow is workflow):
            billed = f" {item.jobs} billed job{'s' if item.jobs != 1 else ''}." if item.jobs else " Nothing billed."
            blocks += [f"### {item.title}", (item.description + billed).strip(),
                       bash(" ".join([run, "workflow", "run", workflow.name] + item.arguments() + ["--dry-run"]))]
    blocks.append("Run an example for real by replacing `--dry-run` with `--yes` once the user agreed to the "
                  "billed total.")
    blocks.append(ctx.extra_for("workflows"))
    return join_blocks(*blocks)


def merge_media_page(ctx: SkillContext) -> str:
    """The `media` commands with every option, read from the click commands themselves."""
    import click

    from ..mediaops.cli import media

    run = ctx.runner
    blocks = [
        f"# Local media operations in {ctx.title}",
        f"`{run} media ...` edits files on this machine with ffmpeg (the system's, else the one bundled with "
        "the package; `doctor` says which). Nothing is sent and nothing is billed. Every command checks its "
        "inputs first (exit 3 naming the problem), never overwrites a file (a taken name gets `_1`, `_2`, ...) "
        "and prints the written file's path as the last line of stdout. Use these instead of hand-written "
        "ffmpeg commands.",
    ]
    context = click.Context(media)
    for name in media.list_commands(context):
        command = media.get_command(context, name)
        if command is None:
            continue
        arguments = " ".join(param.human_readable_name.upper() + ("..." if getattr(param, "nargs", 1) == -1 else "")
                             for param in command.params if isinstance(param, click.Argument))
        rows = []
        for param in command.params:
            record = param.get_help_record(click.Context(command))
            if record and isinstance(param, click.Option):
                rows.append((code(record[0]), record[1].replace("  [", " [")))
        usage = bash(f"{run} media {name} {arguments}".strip())
        blocks += [f"## media {name}", inspect.cleandoc(command.help or ""), usage]
        if rows:
            blocks.append(table(("Option", "Meaning"), rows))
    blocks.append(ctx.extra_for("merge-media"))
    return join_blocks(*blocks)
