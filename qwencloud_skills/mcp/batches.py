"""`batch_submit` and `batch_status`: many requests as one background batch of this server process.

Without ``confirm: true`` the requests are only checked and priced (nothing sent); with it the batch
runs on its own asyncio loop in a daemon thread (the same library as ``batch FILE``), under a batch id
that makes a second call with the same requests continue it instead of paying again.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any, Dict, List, Optional

from .replies import Reply

_RUNS: Dict[str, Dict[str, Any]] = {}
_LOCK = threading.Lock()


def _items(args: Dict[str, Any]) -> List[Any]:
    from ..errors import FieldIssue, invalid

    requests = args.get("requests")
    if not isinstance(requests, list) or not requests:
        raise invalid([FieldIssue("requests", requests, "must be a non-empty list", "a list of request objects "
                                  "(or {id, request, mode, model} objects)", "pass at least one request")])
    return requests


def submit(args: Dict[str, Any], progress: Any) -> Reply:
    from ..batch.api import check
    from ..batch.lines import parse_items
    from ..dryrun import dry_book
    from .handlers import _skill_name, _text_arg

    skill = _skill_name(_text_arg(args, "skill"))
    mode, model = _text_arg(args, "mode"), _text_arg(args, "model")
    requests = _items(args)
    lines, problems = parse_items(requests)
    checked = check(dry_book(skill), lines, problems, mode=mode, model=model,
                    skip_invalid=args.get("skip_invalid") is True)
    billed: Dict[str, float] = {}
    for item in checked.valid:
        for unit, amount in item.prepared.mode.billed_amounts(item.prepared.request, item.prepared.model).items():
            billed[unit] = billed.get(unit, 0.0) + amount
    billed_text = " + ".join(f"{amount:g} {unit}" for unit, amount in billed.items()) or "not stated"
    data: Dict[str, Any] = {"lines": checked.total, "valid": len(checked.valid),
                            "invalid": [problem.summary() for problem in checked.problems],
                            "billed": billed, "billed_text": billed_text, "started": False}
    if args.get("confirm") is not True:
        data["sent"] = False
        return Reply(data, f"{len(checked.valid)} requests checked; they bill {billed_text}. Not started: nothing "
                           "was sent. Show the user the total; to run them, call batch_submit again with "
                           "confirm: true.")
    batch_id = _text_arg(args, "batch_id") or f"mcp-{uuid.uuid4().hex[:12]}"
    _start(batch_id, skill, requests, mode, model, _text_arg(args, "output_dir"), args.get("skip_invalid") is True)
    data.update(started=True, batch_id=batch_id)
    return Reply(data, f"Batch {batch_id} started ({len(checked.valid)} requests, billing {billed_text}). Follow it "
                       f"with batch_status (batch_id {batch_id}); calling batch_submit again with this batch_id and "
                       "the same requests continues it without paying twice.")


def _start(batch_id: str, skill: Optional[str], requests: List[Any], mode: Optional[str], model: Optional[str],
           output_dir: Optional[str], skip_invalid: bool) -> None:
    with _LOCK:
        state = _RUNS.get(batch_id)
        if state is not None and state["thread"].is_alive():
            return
        state = {"results": None, "error": None}
        state["thread"] = threading.Thread(target=_run, args=(state, batch_id, skill, requests, mode, model,
                                                               output_dir, skip_invalid), daemon=True,
                                           name=f"batch-{batch_id}")
        _RUNS[batch_id] = state
        state["thread"].start()


def _run(state: Dict[str, Any], batch_id: str, skill: Optional[str], requests: List[Any], mode: Optional[str],
         model: Optional[str], output_dir: Optional[str], skip_invalid: bool) -> None:
    import asyncio

    from ..batch.api import run_many
    from ..tasks import AsyncTaskClient
    from .replies import failure

    async def go() -> Any:
        async with AsyncTaskClient(skill=skill) as client:
            return await run_many(client, requests, mode=mode, model=model, output_dir=output_dir, key=batch_id,
                                  skip_invalid=skip_invalid)

    try:
        state["results"] = asyncio.run(go())
    except BaseException as exc:  # noqa: B036 - a thread's end must be recorded whatever stopped it
        state["error"] = failure(exc).text


def status(args: Dict[str, Any], progress: Any) -> Reply:
    from ..errors import FieldIssue, invalid
    from .handlers import _text_arg

    batch_id = _text_arg(args, "batch_id", required=True)
    with _LOCK:
        state = _RUNS.get(batch_id or "")
    if state is None:
        raise invalid([FieldIssue("batch_id", batch_id, "is not a batch this server started", "an id from "
                                  "batch_submit", "start it with batch_submit (the same id continues it)")])
    if state["thread"].is_alive():
        return Reply({"batch_id": batch_id, "running": True}, f"Batch {batch_id} is still running.")
    if state["error"]:
        return Reply({"batch_id": batch_id, "running": False, "error": state["error"]},
                     f"Batch {batch_id} stopped: {state['error']}", error=True)
    lines = [{"line": item.line, "id": item.id, "status": item.status, "task_id": item.task_id,
              "files": [str(path) for path in item.files], "error": item.error} for item in state["results"]]
    done = sum(1 for item in state["results"] if item.ok)
    return Reply({"batch_id": batch_id, "running": False, "lines": lines},
                 f"Batch {batch_id}: {done} of {len(lines)} done.")
