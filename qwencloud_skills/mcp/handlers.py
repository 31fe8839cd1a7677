"""What the job tools do, through the host library: submit, status, result, list, cancel, dry run, models.

Each handler is a plain function ``(arguments, progress) -> Reply`` run in a worker thread; it
raises our errors as they are (:func:`.replies.failure` turns them into error results). The key
is read as the CLI reads it (:mod:`qwencloud_skills.credentials`), per call, and never shown.
No handler blocks on a whole generation: a submit returns at once, ``task_status`` waits at most
:data:`MAX_WAIT` seconds.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .replies import Progress, Reply

CONTROL_ARGS = ("model", "output_dir")
POLL_BUDGET = 15.0  # one status poll may take this long, however slowly the service answers
MAX_WAIT = 20.0  # task_status waits at most this long (clients time out calls after ~30-60 s)
PROGRESS_EVERY = 2.0  # while task_status waits between polls, a progress note this often


def log(line: str) -> None:
    """A line for the server's log (stderr; stdout is the protocol)."""
    from ..servicetext import clean

    try:
        sys.stderr.write(clean(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _registry() -> Any:
    from ..plugins import get_registry

    return get_registry()


def _text_arg(args: Mapping[str, Any], name: str, required: bool = False) -> Optional[str]:
    from ..errors import FieldIssue, invalid

    value = args.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid([FieldIssue(name, value, "must be a non-empty string", "text", f"pass {name} as a string")])
    return value.strip()


def split_request(mode: Any, args: Mapping[str, Any]) -> Tuple[Dict[str, Any], Optional[str], Optional[str]]:
    """(request, model, output_dir) from a submit tool's arguments; a request field keeps its name's value."""
    fields = set(getattr(mode.request_class, "model_fields", {}) or {})
    request = {key: value for key, value in args.items() if key not in CONTROL_ARGS or key in fields}
    model = _text_arg(args, "model") if "model" not in fields else None
    output_dir = _text_arg(args, "output_dir") if "output_dir" not in fields else None
    return request, model, output_dir


def _client(skill: Optional[str]) -> Any:
    from ..tasks import TaskClient

    client = TaskClient(skill=skill)
    client.notice = log
    return client


def _for_task(task_id: str) -> Any:
    from ..tasks import TaskClient

    client = TaskClient.for_task(task_id)
    client.notice = log
    return client


def _submitted_age(client: Any, task_id: str) -> Optional[float]:
    row = (client.ledger.get(task_id) if client.ledger is not None else None) or {}
    submitted = row.get("submitted_at")
    return max(0.0, time.time() - float(submitted)) if submitted else None


def _unknown_model_note(mode: Any, model: Optional[str]) -> List[str]:
    if model and mode.model_ids and model not in mode.model_ids:
        return [f"Note: model {model} is not in the catalog of mode {mode.name} ({', '.join(mode.model_ids)}); "
                "only the mode's general rules were checked."]
    return []


def submit(mode_name: str, args: Dict[str, Any], progress: Progress) -> Reply:
    """Validate, upload, submit one job; answer at once (a synchronous mode: with its saved files)."""
    from ..settings import PRICING_URL

    mode = _registry().modes[mode_name]
    request, model, output_dir = split_request(mode, args)
    with _client(mode.skill) as client:
        prepared = client.prepare(request, mode_name, model)
        output = client.registry.output_of(prepared.mode)
        directory = str(client.output_dir(prepared.mode.skill, output_dir))  # made and proven writable first
        submission = client.submit(prepared, output_dir=directory)
        summary = prepared.mode.billing_summary(prepared.request, prepared.model)
        data: Dict[str, Any] = {
            "task_id": submission.task_id, "status": submission.status, "mode": prepared.mode.name,
            "model": prepared.model, "skill": prepared.mode.skill, "billing": summary,
            "billed": prepared.mode.billed_amounts(prepared.request, prepared.model), "output_dir": directory,
            "pricing": PRICING_URL,
        }
        line = f"Mode: {prepared.mode.name} | Model: {prepared.model}" + (f" | {summary}" if summary else "")
        billing = f" {output.billing} Rates: {PRICING_URL}" if output.billing else ""
        notes = _unknown_model_note(prepared.mode, model)
        if submission.final is not None:
            result = _save_answer(client, submission, directory)
            data.update(finished=True, **_saved(result))
            text = (f"{line}\nAnswered at once (job {submission.task_id}, recorded in the ledger).{billing}\n"
                    + _saved_text(result))
            return Reply(data, "\n".join([text, *notes]))
        schedule = client.schedule(submission.task_id)
        expected = schedule.expectation.typical
        data.update(finished=False, expected_seconds=round(expected, 1),
                    check_again_in_seconds=round(schedule.next_delay(0.0), 1))
        text = (f"{line}\nTask {submission.task_id} submitted and recorded in the ledger.{billing}\n"
                f"Similar jobs take about {expected:.0f} s. Follow it with task_status (task_id "
                f"{submission.task_id}, wait_seconds up to {MAX_WAIT:g}), then task_result saves the {output.nouns}.")
        return Reply(data, "\n".join([text, *notes]))


def _save_answer(client: Any, submission: Any, directory: str) -> Any:
    """A synchronous job's files; when saving fails the job is paid and recorded: say how to save it later."""
    from ..errors import DownloadError, TaskFailedError

    try:
        return client.download(submission.final, directory)
    except TaskFailedError:
        raise
    except (DownloadError, OSError) as exc:
        why = exc.message if isinstance(exc, DownloadError) else f"{exc.strerror or exc}"
        raise DownloadError(f"Job {submission.task_id} was answered and is recorded, but its results could not be "
                            f"saved: {why}\nSave them with task_result (task_id {submission.task_id}).") from None


def _status_data(client: Any, status: Any, age: Optional[float]) -> Dict[str, Any]:
    from ..errors import TaskFailedError
    from ..servicetext import inline

    schedule = client.schedule(status.task_id)
    data: Dict[str, Any] = {
        "task_id": status.task_id, "status": status.status, "running": status.running,
        "finished": not status.running, "elapsed_seconds": round(age, 1) if age is not None else None,
        "expected_seconds": round(schedule.expectation.typical, 1),
        "code": inline(status.code), "message": inline(status.message, 500),
    }
    if status.running:
        left = schedule.expected_remaining(age or 0.0)
        data["expected_remaining_seconds"] = round(left, 1) if left is not None else None
        data["check_again_in_seconds"] = round(schedule.next_delay(age or 0.0), 1)
        return data
    try:
        status.raise_for_failure()
    except TaskFailedError as exc:
        data["error"] = exc.message
    data["results"] = status.urls
    return data


def _status_text(data: Mapping[str, Any]) -> str:
    ran = f" after {data['elapsed_seconds']:.0f} s" if data.get("elapsed_seconds") is not None else ""
    if data["running"]:
        left = data.get("expected_remaining_seconds")
        more = f"; similar jobs are done in about {left:.0f} s more" if left else "; it is taking longer than usual"
        return (f"Task {data['task_id']} is {data['status']}{ran}{more}. Check again in about "
                f"{data['check_again_in_seconds']:.0f} s (task_status, wait_seconds up to {MAX_WAIT:g}).")
    if data.get("error"):
        return f"{data['error']}\nNothing to save; a new submit is needed."
    return f"Task {data['task_id']} {data['status']}{ran}. task_result saves its results."


def task_status(args: Dict[str, Any], progress: Progress) -> Reply:
    """Poll; while running and ``wait_seconds`` allow, poll again on the adaptive schedule, reporting progress."""
    task_id = _text_arg(args, "task_id", required=True)
    wait = _seconds(args.get("wait_seconds"))
    with _for_task(task_id) as client:
        deadline = time.monotonic() + min(wait, MAX_WAIT)
        while True:
            status = client.status(task_id, deadline=time.monotonic() + POLL_BUDGET)
            age = _submitted_age(client, task_id)
            if not status.running or time.monotonic() >= deadline:
                break
            _pause(progress, status.status, client.schedule(task_id), age or 0.0, deadline)
        data = _status_data(client, status, age)
    return Reply(data, _status_text(data))


def _pause(progress: Progress, word: str, schedule: Any, age: float, deadline: float) -> None:
    """Until the schedule's next poll (or the deadline): a progress note now and every PROGRESS_EVERY seconds."""
    start = time.monotonic()
    until = min(start + schedule.next_delay(age), deadline)
    typical = schedule.expectation.typical
    while True:
        done = age + time.monotonic() - start
        progress(done, typical if done < typical else None,
                 f"{word} for {done:.0f} s; similar jobs take about {typical:.0f} s")
        rest = until - time.monotonic()
        if rest <= 0:
            return
        time.sleep(min(PROGRESS_EVERY, rest))
        if time.monotonic() >= until:
            return


def _seconds(value: Any) -> float:
    from ..errors import FieldIssue, invalid

    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_WAIT:
        raise invalid([FieldIssue("wait_seconds", value, "is not a number of seconds in range",
                                  f"0 to {MAX_WAIT:g}", "pass e.g. 10, or 0 to check once")])
    return float(value)


def _saved(result: Any) -> Dict[str, Any]:
    shown = result.as_dict()
    return {key: shown.get(key) for key in ("status", "results", "files", "failed", "already_saved", "usage",
                                            "response_path")}


def _saved_text(result: Any) -> str:
    from ..servicetext import inline

    output = result.output
    files = [str(path) for path in result.files]
    head = "Already saved by an earlier run" if result.already_saved else (
        f"{output.noun[:1].upper()}{output.noun[1:]} saved" if len(files) == 1 else f"{len(files)} {output.nouns} "
                                                                                    "saved")
    lines = [f"{head}: " + ", ".join(files)]
    for item in result.status.failures:
        why = ": ".join(inline(part) or "" for part in (item.code, item.message) if part) or "no reason given"
        lines.append(f"Warning: {output.noun} {item.index + 1} of {len(result.status.results)} was not made ({why}).")
    return "\n".join(lines)


def task_result(args: Dict[str, Any], progress: Progress) -> Reply:
    """The saved results (downloaded now if needed); a task still running is said to be so, not an error."""
    task_id = _text_arg(args, "task_id", required=True)
    output_dir = _text_arg(args, "output_dir")
    with _for_task(task_id) as client:
        earlier = client.saved_result(task_id, output_dir)
        if earlier is not None:
            return Reply({"task_id": task_id, "finished": True, **_saved(earlier)}, _saved_text(earlier))
        status = client.status(task_id, deadline=time.monotonic() + POLL_BUDGET)
        if status.running:
            data = _status_data(client, status, _submitted_age(client, task_id))
            return Reply(data, f"Not finished yet: {_status_text(data)}")
        if output_dir is None and client.ledger is not None:
            output_dir = (client.ledger.get(task_id) or {}).get("output_dir") or None
        result = client.download(status, output_dir)
        return Reply({"task_id": task_id, "finished": True, **_saved(result)}, _saved_text(result))


def tasks_list(args: Dict[str, Any], progress: Progress) -> Reply:
    from ..ledger import Ledger

    limit = args.get("limit", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 500:
        from ..errors import FieldIssue, invalid

        raise invalid([FieldIssue("limit", limit, "is not a whole number in range", "1 to 500", "pass e.g. 20")])
    skill = _skill_name(_text_arg(args, "skill"))
    rows = Ledger.default().list(skill=skill, status=_text_arg(args, "status"), limit=limit)
    tasks = [_task_row(row) for row in rows]
    lines = [f"{row['task_id']}  {row['status']}  {row['mode'] or '-'}  {row['model'] or '-'}"
             + (f"  {row['files'][0]}" if row["files"] else "") for row in tasks]
    return Reply({"tasks": tasks}, "\n".join(lines) if lines else "No tasks recorded.")


def _task_row(row: Mapping[str, Any]) -> Dict[str, Any]:
    from ..servicetext import inline

    return {
        "task_id": row.get("task_id"), "status": row.get("status"), "skill": row.get("skill"),
        "mode": row.get("mode"), "model": row.get("model"), "submitted_at": row.get("submitted_at"),
        "checked_at": row.get("checked_at"), "output_dir": row.get("output_dir"), "origin": row.get("origin"),
        "files": [item["local_path"] for item in row.get("results") or [] if item.get("local_path")],
        "results": [item["url"] for item in row.get("results") or [] if item.get("url")],
        "error": inline(row.get("error"), 500),
    }


def task_cancel(args: Dict[str, Any], progress: Progress) -> Reply:
    task_id = _text_arg(args, "task_id", required=True)
    with _for_task(task_id) as client:
        client.cancel(task_id)
    return Reply({"task_id": task_id, "status": "CANCELED"}, f"Task {task_id} canceled.")


def _skill_name(given: Optional[str]) -> Optional[str]:
    """A skill's name from its domain or name; None stays None."""
    if given is None:
        return None
    registry = _registry()
    for skill in registry.skills.values():
        if given in (skill.domain, skill.name):
            return skill.name
    from ..errors import FieldIssue, invalid

    known = ", ".join(sorted(skill.domain for skill in registry.skills.values())) or "none loaded"
    raise invalid([FieldIssue("skill", given, "is not a loaded skill", known, "pass one of the allowed domains")])


def dry_run(args: Dict[str, Any], progress: Progress) -> Reply:
    """The exact submit, validated, key redacted, as JSON and curl; nothing sent, no ledger row."""
    from ..dryrun import dry_book, preview_submit
    from ..errors import FieldIssue, invalid

    request = args.get("request")
    if not isinstance(request, Mapping):
        raise invalid([FieldIssue("request", request, "must be a JSON object", "{...}",
                                  'pass the request as an object, e.g. {"prompt": "..."}')])
    mode = _text_arg(args, "mode")
    skill = _skill_name(_text_arg(args, "skill"))
    if mode is not None and skill is None and mode in _registry().modes:
        skill = _registry().modes[mode].skill
    shown = preview_submit(dry_book(skill), dict(request), mode, _text_arg(args, "model"),
                           _text_arg(args, "output_dir"))
    pending = [item for item in shown.uploads if not item.get("reuses")]
    data = {"mode_line": shown.mode_line, "request": shown.as_dict(), "curl": shown.curl(), "billed": shown.billed,
            "sent": False}
    text = [f"{shown.mode_line} (dry run: nothing was sent)", shown.curl()]
    if pending:
        text.append(f"Local files would be uploaded first, to {pending[0]['destination']}.")
    return Reply(data, "\n".join(text))


def catalog(modes: List[Any]) -> List[Dict[str, Any]]:
    """Each mode with its endpoint, default model and models' limits (as `<skill cli> models --format json`)."""
    return [{
        "mode": mode.name, "summary": mode.summary, "endpoint": mode.endpoint, "default_model": mode.default_model,
        "detection": mode.detection.describe(), "plugin": mode.plugin,
        "models": [{"id": s.id, "summary": s.summary, "host": s.host, "limits": s.describe()} for s in mode.models],
    } for mode in modes]


def models(args: Dict[str, Any], progress: Progress) -> Reply:
    registry = _registry()
    skill = _skill_name(_text_arg(args, "skill"))
    chosen = [mode for mode in registry.modes.values() if skill is None or mode.skill == skill]
    name = _text_arg(args, "mode")
    if name is not None:
        registry.mode(name, skill)  # an unknown mode: the registry's own message, with the allowed ones
        chosen = [mode for mode in chosen if mode.name == name]
    rows = catalog(chosen)
    lines = []
    for row in rows:
        ids = [m["id"] + (" (default)" if m["id"] == row["default_model"] else "") for m in row["models"]]
        lines.append(f"{row['mode']}: {row['summary']} Models: {', '.join(ids)}")
    return Reply({"modes": rows}, "\n".join(lines) or "No modes loaded.")
