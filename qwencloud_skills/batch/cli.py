"""``batch FILE`` and ``batch resume FILE``: every skill's CLI runs a JSON Lines file of requests.

Every line is checked before anything is sent; an invalid one stops the batch (exit 3, all of
them listed) unless ``--skip-invalid``. The run is then recorded: running the same command
again, or ``batch resume FILE`` (the options it was started with), continues it. People read
stderr (a live bar on a terminal); stdout gets the manifest's path, or JSON with ``--format json``.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any, Dict, List

import click

from ..errors import EXIT_CONFIG, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_OK, QwenSkillsError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 120}
EXIT_HELP = ("Exit codes: 0 every line done, 1 some failed (the manifest says which and why), 2 some still running "
             "when this run stopped following them (--timeout), 3 invalid lines (nothing sent) or usage, "
             "4 configuration, 5 submit outcomes left unknown (a rerun settles them from the service's task list), "
             "130 interrupted (every submitted task is kept; `batch resume FILE` continues).")
RECORDED_OPTIONS = ("output", "mode", "model", "concurrency", "queue_ahead", "submit_rate", "skip_invalid",
                    "retry_failed", "poll_interval", "timeout")


def _say(line: str) -> None:
    click.echo(line, err=True)


def _run_params() -> List[click.Parameter]:
    return [
        click.Option(["--output"], default=None, help="Folder of the results and batch-results.jsonl (default: "
                     "the skill's output folder / the file's name)."),
        click.Option(["--mode"], default=None, help="Mode of lines that name none (default: detected per line)."),
        click.Option(["--model"], default=None, help="Model of lines that name none (default: the mode's)."),
        click.Option(["--concurrency"], type=click.IntRange(1, 100), default=None,
                     help="Tasks of one model running at once (default: the model's documented per-account limit)."),
        click.Option(["--queue-ahead"], type=click.IntRange(0, 100), default=None,
                     help="Tasks more per model submitted to wait in the service's queue, so a freed slot is taken at "
                          "once (default: half the documented limit when the batch uses all of it; 0: none)."),
        click.Option(["--submit-rate"], type=click.FloatRange(min=0.05), default=None,
                     help="Submits per second at most (default: just under the model's documented limit; "
                          "throttling lowers it by itself)."),
        click.Option(["--skip-invalid"], is_flag=True, help="Run the valid lines even if some are invalid."),
        click.Option(["--retry-failed"], is_flag=True, help="Submit again the lines whose task ended FAILED "
                     "(failed tasks are not billed); without it a rerun reports them as they are."),
        click.Option(["--dry-run"], is_flag=True, help="Check every line and print the plan with what it bills; "
                     "send nothing."),
        click.Option(["--poll-interval"], type=click.FloatRange(min=0.1), default=None,
                     help="Fixed seconds between status checks of each task (default: adaptive)."),
        click.Option(["--timeout"], type=click.FloatRange(min=0, min_open=True), default=1800.0, show_default=True,
                     help="Seconds a task may take from its submit before this run stops following it."),
        click.Option(["--format", "fmt"], type=click.Choice(["text", "json"]), default="text", show_default=True,
                     help="--dry-run's plan and the final summary on stdout as text or JSON."),
        click.Option(["--quiet", "-q"], is_flag=True, help="No progress (errors and the summary still shown)."),
    ]


class BatchGroup(click.Group):
    """``batch FILE ...`` is ``batch run FILE ...``; ``batch resume FILE`` is the other command."""

    def parse_args(self, ctx: click.Context, args: List[str]) -> List[str]:
        if args and args[0] not in self.commands and args[0] not in CONTEXT["help_option_names"]:
            args = ["run", *args]
        return super().parse_args(ctx, args)


def batch_group(skill: str, cli_name: str) -> click.Group:
    """The ``batch`` commands of one skill."""
    from ..cli.selfcmd import runnable

    group = BatchGroup("batch", context_settings=CONTEXT, epilog=EXIT_HELP, help=(
        "Run every line of a JSON Lines file: `batch FILE [OPTIONS]` (`batch run --help` lists the options). "
        "Each line is a request, or {\"id\": ..., \"request\": {...}, \"mode\": ..., \"model\": ...}; the id names "
        "the saved files (default: the line number). Running the same command again, or `batch resume FILE`, "
        "continues: nothing is submitted twice and nothing saved is downloaded again."))

    def run(file: str, **params: Any) -> None:
        _finish(run_batch(skill, runnable(cli_name), file, params))

    group.add_command(click.Command(
        "run", callback=run, params=[click.Argument(["file"]), *_run_params()], context_settings=CONTEXT,
        epilog=EXIT_HELP, help="Check every line of FILE, then submit, follow and save them all within the service's "
                               "limits; results go to --output as <id><ext>, with batch-results.jsonl."))

    def resume(file: str, **params: Any) -> None:
        from .plan import file_key
        from .store import recorded

        found = recorded(file_key(file))
        if found is None:
            from ..errors import FieldIssue, invalid

            raise invalid([FieldIssue("FILE", file, "has no recorded batch run on this machine",
                                      "a file `batch FILE` was run with",
                                      f"start it: {runnable(cli_name)} batch {file}")])
        options = {**found.get("options", {}), **{k: v for k, v in params.items() if v not in (None, False)}}
        _finish(run_batch(skill, runnable(cli_name), file, options))

    group.add_command(click.Command(
        "resume", callback=resume, context_settings=CONTEXT, epilog=EXIT_HELP,
        help="Continue a batch with the options it was started with (flags given here replace them).",
        params=[click.Argument(["file"]),
                click.Option(["--timeout"], type=click.FloatRange(min=0, min_open=True), default=None),
                click.Option(["--format", "fmt"], type=click.Choice(["text", "json"]), default=None),
                click.Option(["--quiet", "-q"], is_flag=True)]))
    return group


def _finish(code: int) -> None:
    from ..updates import emit_signals, start_check

    start_check()
    emit_signals()
    if code != EXIT_OK:
        raise click.exceptions.Exit(code)


def _book(skill: str) -> Any:
    """A client-side view for checking and planning: needs no key, sends nothing."""
    from ..credentials import find_api_key
    from ..environment import Environment
    from ..secrets import ApiKey
    from ..tasks import TaskBook

    env = Environment()
    key = find_api_key(env)
    return TaskBook(skill=skill, api_key=key or ApiKey("sk-not-set", "placeholder"), env=env)


def run_batch(skill: str, cli_name: str, file: str, params: Dict[str, Any]) -> int:
    """Check, plan, then (unless --dry-run) run the batch FILE; returns the exit code."""
    from . import api
    from .lines import problems_text, read_file
    from .plan import file_key, make_plan
    from .shared_uploads import count_uploads
    from .store import recorded

    path = str(Path(file).expanduser().resolve())
    lines, problems = read_file(file)
    book = _book(skill)
    checked = api.check(book, lines, problems, mode=params.get("mode"), model=params.get("model"),
                        folder=Path(path).parent, skip_invalid=True)
    if checked.problems:
        _say(problems_text(checked.problems, checked.total, skipped=bool(params.get("skip_invalid"))))
        if not params.get("skip_invalid"):
            if all(problem.config for problem in checked.problems):
                return EXIT_CONFIG
            _say("Fix these lines (or add --skip-invalid to run the others).")
            return EXIT_INVALID
    dry = bool(params.get("dry_run"))
    if not dry:
        from ..credentials import require_api_key

        require_api_key(book.env)  # exit 4 before anything is recorded or claimed
    key = file_key(path)
    earlier = recorded(key) or {}
    output = params.get("output") or earlier.get("output_dir") or str(Path(book.output_dir(skill, create=False))
                                                                       / Path(path).stem)
    folder = book.output_dir(skill, output, create=not dry)
    plan = make_plan(book, checked, key, Path(path).name, folder, concurrency=params.get("concurrency"),
                     queue_ahead=params.get("queue_ahead"), submit_rate=params.get("submit_rate"),
                     retry_failed=bool(params.get("retry_failed")))
    if dry:
        if params.get("fmt") == "json":
            shown = plan.as_dict(book.ledger)
            uploads = count_uploads(book, [state.checked for state in plan.to_submit])
            shown["uploads"] = {"files": uploads[0], "to_upload": uploads[1]}
            click.echo(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
        else:
            for line in plan.lines(book.ledger, count_uploads(book, [s.checked for s in plan.to_submit])):
                click.echo(line)
        _say("Dry run: nothing was sent.")
        return EXIT_OK
    return _run(skill, cli_name, path, plan, params, earlier)


def _run(skill: str, cli_name: str, path: str, plan: Any, params: Dict[str, Any], earlier: Dict[str, Any]) -> int:
    from ..locks import TaskLock
    from .manifest import ResultsManifest, manifest_path
    from .progress import BatchProgress
    from .store import record

    resume = f"{cli_name} batch resume {shlex.quote(path)}"
    lock = TaskLock(f"batch:{plan.key}")
    if not lock.try_acquire():
        raise QwenSkillsError(f"Batch {path} is being run by another process right now; wait for it to end "
                              f"(or stop it), then run again: {resume}")
    try:
        where = manifest_path(plan.output_dir, earlier.get("manifest"))
        record(plan.key, file=path, skill=skill, output_dir=str(plan.output_dir), manifest=str(where),
               options={name: params.get(name) for name in RECORDED_OPTIONS})
        manifest = ResultsManifest(where)
        progress = BatchProgress(plan.total, quiet=bool(params.get("quiet")))
        if not params.get("quiet"):
            for lane in plan.lanes.values():
                _say(f"Pace: {lane.describe()}")
            _say(f"Billed in all: {plan.billed_text()}. If it stops: {resume}")
        try:
            outcome = _loop(skill, plan, manifest, progress, params)
        except KeyboardInterrupt:
            manifest.flush()
            progress.close()
            _say(f"Interrupted. Every submitted task is in the ledger and keeps running on the service.\n"
                 f"Continue with: {resume}")
            click.echo(str(where))
            return EXIT_INTERRUPTED
        return _report(outcome, params, resume, where)
    finally:
        lock.release()


def _loop(skill: str, plan: Any, manifest: Any, progress: Any, params: Dict[str, Any]) -> Any:
    """The batch on one asyncio loop; Ctrl-C (or SIGTERM) stops it after the submit in flight."""
    import asyncio

    from . import api

    async def main() -> Any:
        from ..tasks import AsyncTaskClient

        loop = asyncio.get_running_loop()
        handled: List[int] = []

        def hook(runner: Any) -> None:
            import signal

            def on_signal() -> None:
                if runner._stopping:  # a second one: stop at once
                    raise KeyboardInterrupt
                runner.stop()

            for sig in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)):
                if sig is None:
                    continue
                try:
                    loop.add_signal_handler(sig, on_signal)
                    handled.append(sig)
                except (NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
                    pass

        async with AsyncTaskClient(skill=skill) as client:
            client.notice = progress.say
            try:
                return await api.execute(client, plan, manifest=manifest, progress=progress,
                                         poll_interval=params.get("poll_interval"),
                                         timeout=params.get("timeout") or 1800.0, runner_hook=hook)
            finally:
                for sig in handled:
                    loop.remove_signal_handler(sig)

    return asyncio.run(main())


def _report(outcome: Any, params: Dict[str, Any], resume: str, where: Path) -> int:
    from . import manifest as m

    counts = {status: outcome.count(status) for status in (m.DONE, m.FAILED, m.INVALID, m.UNKNOWN, m.STOPPED,
                                                           m.RUNNING, m.QUEUED)}
    shown = ", ".join(f"{number} {status}" for status, number in counts.items() if number)
    throttled = f"; {outcome.throttled_submits} throttled submits absorbed" if outcome.throttled_submits else ""
    _say(f"Batch: {shown or 'nothing to do'} ({outcome.submits} submitted in this run{throttled}).")
    for result in [r for r in outcome.results if r.status in (m.FAILED, m.UNKNOWN, m.STOPPED)][:10]:
        first = (result.error or "").splitlines()[0] if result.error else "no reason given"
        _say(f"  line {result.line} ({result.id}): {result.status}: {first}")
    if outcome.interrupted:
        _say(f"Stopped. Every submitted task is in the ledger and keeps running on the service.\n"
             f"Continue with: {resume}")
    elif counts[m.UNKNOWN]:
        _say(f"Submit outcomes unknown: not submitted again (that could pay twice). Run again to settle them from the "
             f"service's task list: {resume}")
    elif counts[m.STOPPED] or counts[m.RUNNING] or counts[m.QUEUED]:
        _say(f"Some tasks are still running on the service; continue with: {resume}")
    elif counts[m.FAILED]:
        _say("The manifest lists why each failed line failed; add --retry-failed to submit those again.")
    _say(f"Manifest: {where}")
    if params.get("fmt") == "json":
        click.echo(json.dumps({"exit_code": outcome.exit_code, "counts": counts, "manifest": str(where),
                               "throttled_submits": outcome.throttled_submits,
                               "results": [result.as_dict() for result in outcome.results]},
                              indent=2, ensure_ascii=False))
    else:
        click.echo(str(where))
    return outcome.exit_code
