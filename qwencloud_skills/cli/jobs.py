"""What the generated commands do: submit, poll, resume and save, with seed-compatible output.

stdout carries only machine output (a task id, the response JSON, a status
JSON, a saved path); everything for people goes to stderr.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Optional

import click

from ..errors import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUNNING,
    EXIT_UNKNOWN_OUTCOME,
    DownloadError,
    QwenSkillsError,
    ServiceError,
    TaskFailedError,
    TaskTimeoutError,
    TransportError,
    UnknownSubmitOutcomeError,
)
from ..settings import PRICING_URL
from .progress import Progress, report_running, resume_command, stopped_waiting


@dataclass
class JobOptions:
    """The seed's flags, shared by the skill root command and every mode command."""

    skill: str
    cli_name: str
    output: Optional[str] = None
    print_response: bool = False
    submit_only: bool = False
    poll_once: bool = False
    poll_interval: Optional[float] = None  # None: adaptive (qwencloud_skills.waiting)
    timeout: float = 600.0
    quiet: bool = False
    dry_run: bool = False
    name: Optional[str] = None  # file stem of the saved results (default: the skill's noun)
    preview: bool = False  # a contact sheet next to each moving result
    fmt: str = "json"  # how --dry-run prints the request: json or curl


def say(message: str) -> None:
    click.echo(message, err=True)


def mode_line(prepared: Any) -> str:
    """"Mode: NAME | Model: ID", plus what the job is billed for when the mode's plugin says."""
    line = f"Mode: {prepared.mode.name} | Model: {prepared.model}"
    summary = prepared.mode.billing_summary(prepared.request, prepared.model)
    return f"{line} | {summary}" if summary else line


def _client(opts: JobOptions) -> Any:
    from ..tasks import TaskClient

    client = TaskClient(skill=opts.skill)
    client.notice = say
    return client


def _settle_hint(opts: JobOptions, placeholder: Optional[str], workspace: bool = False) -> str:
    """How to find out whether an unknown-outcome submit created a task, as commands that run as shown."""
    ref = placeholder or "PLACEHOLDER"
    remote = "tasks remote --workspace" if workspace else "tasks remote"
    return (f"Do not submit again yet. Check `{opts.cli_name} {remote}` for a task created just now; then "
            f"`{opts.cli_name} tasks resolve {ref} TASK_ID` and `{opts.cli_name} tasks resume TASK_ID` "
            f"(or `{opts.cli_name} tasks resolve {ref}` if none was created).")


def _resume_hint(opts: JobOptions, task_id: str) -> str:
    return resume_command(opts.cli_name, task_id, opts.output)


def dry_run(opts: JobOptions, request: Mapping[str, Any], mode: Optional[str], model: Optional[str]) -> int:
    """Validate and print the exact HTTP request (JSON, or a curl command with --format curl); send nothing.

    Local files that were uploaded recently (and are still fresh) show their
    reusable URL; others show the path a real run would upload, and where to.
    The output folder is checked as a real run would.
    """
    from ..dryrun import dry_book, preview_submit

    shown = preview_submit(dry_book(opts.skill), request, mode, model, opts.output)
    say(f"{shown.mode_line} (dry run: nothing is sent)")
    pending = [item for item in shown.uploads if not item["reuses"]]
    if opts.fmt == "curl":
        if pending:
            say("Local files must be uploaded first (the request names them by path): see "
                "references/execution-guide.md, or run without --format curl.")
        click.echo(shown.curl())
        return EXIT_OK
    click.echo(json.dumps(shown.as_dict(), indent=2, ensure_ascii=False))
    if pending:
        say(f"Local files would be uploaded first, to {pending[0]['destination']}.")
    return EXIT_OK


def dry_run_poll(opts: JobOptions, task_id: str) -> int:
    """--task-id with --dry-run: show the status request a real run would make."""
    from ..dryrun import dry_book, preview_poll
    from ..ledger import PLACEHOLDER_PREFIX

    if task_id.startswith(PLACEHOLDER_PREFIX):
        from ..errors import FieldIssue, invalid

        raise invalid([FieldIssue("task_id", task_id, "is a ledger placeholder, not a service task",
                                  "a task id from the service", f"{opts.cli_name} tasks resolve {task_id} TASK_ID")])
    shown = preview_poll(dry_book(opts.skill), task_id)
    say("Dry run: nothing is sent.")
    click.echo(shown.curl() if opts.fmt == "curl" else json.dumps(shown.as_dict(), indent=2))
    return EXIT_OK


def submit_and_follow(opts: JobOptions, request: Mapping[str, Any], mode: Optional[str], model: Optional[str]) -> int:
    from ..tasks import SubmitInterrupted, SubmittedThenInterrupted

    if opts.dry_run:
        return dry_run(opts, request, mode, model)
    with _client(opts) as client:
        prepared = client.prepare(request, mode, model)
        output = client.registry.output_of(prepared.mode)
        if opts.submit_only and not output.asynchronous:
            from ..errors import FieldIssue, invalid

            raise invalid([FieldIssue("--submit-only", True, f"mode {prepared.mode.name} answers at once "
                                      "(synchronous): there is no task to poll later", "omit it",
                                      "run without --submit-only; the results are saved when the answer arrives")])
        if not opts.quiet:
            say(mode_line(prepared))
        # Created and proven writable before paying, for --submit-only too: a later resume saves here.
        directory = str(client.output_dir(prepared.mode.skill, opts.output))
        try:
            submission = client.submit(prepared, output_dir=directory)
        except SubmitInterrupted as stop:
            say(f"Interrupted while submitting: the service may have accepted the task (recorded in the ledger "
                f"as {stop.placeholder}, SUBMIT_UNKNOWN).")
            say(_settle_hint(opts, stop.placeholder, client.host_of(prepared) != client.base_url))
            return EXIT_INTERRUPTED
        except SubmittedThenInterrupted as stop:
            task_id = stop.submission.task_id
            say(f"Interrupted. Task {task_id} was submitted and is recorded in the ledger; it keeps running.")
            say(f"Resume with: {_resume_hint(opts, task_id)}")
            return EXIT_INTERRUPTED
        except UnknownSubmitOutcomeError as exc:
            say(f"Error: {exc}")
            say(_settle_hint(opts, getattr(exc, "placeholder", None), client.host_of(prepared) != client.base_url))
            return EXIT_UNKNOWN_OUTCOME
        except KeyboardInterrupt:
            say("Interrupted before the submit: nothing was sent to the service and no task was created.")
            return EXIT_INTERRUPTED
        if submission.final is not None:
            say(f"Answered at once (synchronous job {submission.task_id}, recorded in the ledger).")
        else:
            say(f"Task submitted: {submission.task_id}")
        if not opts.quiet and output.billing:
            say(f"{output.billing} Rates: {PRICING_URL}")
        if opts.submit_only:
            click.echo(submission.task_id)
            if not opts.quiet:
                say(f"Check it with: {_resume_hint(opts, submission.task_id)} --poll-once")
            return EXIT_OK
        return follow(client, opts, submission.task_id)


def follow(client: Any, opts: JobOptions, task_id: str) -> int:
    """Poll (once or until done), then download; maps outcomes to exit codes.

    Whatever stops us early, the task keeps running on the service and stays in
    the ledger, so every exit that is not final says how to resume.
    """
    progress = Progress(opts.quiet)

    def stop(message: str, code: int, resumable: bool = True) -> int:
        progress.close()
        say(message)
        if resumable:
            say(f"Resume with: {_resume_hint(opts, task_id)}")
        return code

    try:
        if opts.poll_once and client.is_synchronous(task_id):
            say(f"Job {task_id} was answered at once (synchronous): there is nothing to poll; saving its results.")
        if opts.poll_once:
            status = client.status(task_id)
            if status.running:
                return report_running(status, client.ledger, opts.quiet, progress, click.echo, say)
            progress(status, 0)
            status.raise_for_failure()
        else:
            status = client.wait(task_id, interval=opts.poll_interval, timeout=opts.timeout, on_status=progress)
        progress.close()
        result = client.download(status, opts.output, opts.name)
    except KeyboardInterrupt:
        return stop(stopped_waiting(task_id), EXIT_INTERRUPTED)
    except TaskTimeoutError as exc:
        return stop(str(exc), EXIT_RUNNING)
    except TaskFailedError as exc:
        return stop(f"Error: {exc}", EXIT_FAILED, resumable=False)
    except DownloadError as exc:
        return stop(f"Error: {exc}", EXIT_FAILED, resumable=not exc.expired)
    except (ServiceError, TransportError) as exc:
        return stop(f"Error: {exc}", EXIT_FAILED)
    except OSError as exc:  # the disk failed us after paying: the task is safe on the service and in the ledger
        where = f" ({exc.filename})" if exc.filename else ""
        return stop(f"Error: could not save the result{where}: {exc.strerror or exc}. Free space or fix the "
                    "folder's permissions; the task is paid for and stays resumable.", EXIT_FAILED)
    except QwenSkillsError as exc:  # e.g. the output folder became unusable: say how to go on
        return stop(f"Error: {exc}", exc.exit_code if exc.exit_code != EXIT_RUNNING else EXIT_FAILED)
    return report_saved(opts, result)


def report_saved(opts: JobOptions, result: Any) -> int:
    """Every saved file on stderr for people (stdout: the paths, or the result JSON), and every failed result."""
    from ..servicetext import inline

    noun, nouns = result.output.noun, result.output.nouns
    files = [str(path) for path in result.files]
    if result.already_saved:
        say("Already saved by an earlier run: " + ", ".join(files))
    elif len(files) == 1:
        say(f"{noun[:1].upper()}{noun[1:]} saved: {files[0]}")
    else:
        say(f"{len(files)} {nouns} saved:")
        for path in files:
            say(f"  {path}")
    for item in result.status.failures:
        why = ": ".join(inline(part) for part in (item.code, item.message) if part) or "no reason given"
        say(f"Warning: {noun} {item.index + 1} of {len(result.status.results)} was not made ({why}); "
            "the others are saved.")
    shown = result.as_dict()
    if opts.preview:
        shown["previews"] = [str(path) for path in write_previews(result.files)]
    if opts.print_response:
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(files))
    return EXIT_OK


def write_previews(files: Any) -> list:
    """A contact sheet beside each saved file that moves; a failure is a warning (the job is paid and saved)."""
    from ..errors import QwenSkillsError
    from ..mediaops.outputs import placed
    from ..mediaops.probe import probe
    from ..mediaops.sheet import contact_sheet

    sheets: list = []
    for path in files:
        try:
            info = probe(path)
            if not info.moving:
                continue  # a still picture is its own preview
            with placed(str(path.parent) + "/", f"{path.stem}_sheet.png", sheets) as temp:
                contact_sheet(info, temp, 4, 12)
            say(f"Preview (contact sheet): {sheets[-1]}")
        except (QwenSkillsError, OSError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            say(f"Warning: no preview for {path}: {first}")
    return sheets


def resume(opts: JobOptions, task_id: str) -> int:
    from ..tasks import TaskClient

    if opts.dry_run:
        return dry_run_poll(opts, task_id)
    with TaskClient.for_task(task_id, skill=opts.skill or None) as client:
        client.notice = say
        earlier = client.saved_result(task_id, opts.output)
        if earlier is not None:  # nothing to poll or pay for: the results are on disk
            return report_saved(opts, earlier)
        if opts.output is None and client.ledger is not None:
            row = client.ledger.get(task_id) or {}
            opts.output = row.get("output_dir") or None
        return follow(client, opts, task_id)
