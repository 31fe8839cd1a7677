"""Workflow tools: plan (nothing sent), start in a background thread of the server, follow, resume.

A plan that bills runs only when the call says ``confirm: true``: agents must show the user
the plan and its cost first. The run itself is the CLI's (:mod:`qwencloud_skills.workflows.api`):
every step recorded in the ledger before it starts, so a run the server did not finish (it was
stopped, or a step failed) continues with ``workflow_resume`` or ``workflow resume ID`` without
paying twice.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional

from .replies import Progress, Reply

EVENTS_KEPT = 30  # the last progress lines of a run, shown by workflow_status


@dataclass
class RunState:
    """What this server process knows of a run it started: its thread, recent lines, how it ended."""

    thread: Optional[threading.Thread] = None
    events: Deque[str] = field(default_factory=lambda: deque(maxlen=EVENTS_KEPT))
    final: Optional[str] = None
    error: Optional[str] = None

    @property
    def active(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


class BackgroundRuns:
    """The workflow runs of this server process, each in its own thread (one at a time per run)."""

    def __init__(self) -> None:
        self._runs: Dict[str, RunState] = {}
        self._lock = threading.Lock()

    def get(self, workflow_id: str) -> Optional[RunState]:
        with self._lock:
            return self._runs.get(workflow_id)

    def active(self) -> List[str]:
        """The runs still going (when the server stops, they stop with it: resumable)."""
        with self._lock:
            return [workflow_id for workflow_id, state in self._runs.items() if state.active]

    def start(self, workflow_id: str, client: Any, workflow: Any) -> RunState:
        """Run (or resume) a recorded workflow in a daemon thread; the client is closed when it ends."""
        with self._lock:
            state = self._runs.get(workflow_id)
            if state is not None and state.active:
                return state
            state = RunState()
            self._runs[workflow_id] = state
            state.thread = threading.Thread(target=self._run, args=(state, workflow_id, client, workflow),
                                            name=f"workflow-{workflow_id}", daemon=True)
            state.thread.start()
        return state

    @staticmethod
    def _run(state: RunState, workflow_id: str, client: Any, workflow: Any) -> None:
        from ..workflows import api
        from . import handlers
        from .replies import failure

        def say(line: str) -> None:
            state.events.append(line)
            handlers.log(f"{workflow_id}: {line}")

        try:
            with client:
                outcome = api.execute(client, workflow, workflow_id, say=say)
            state.final = str(outcome.final_path)
            say(f"done: {outcome.final_path}")
        except BaseException as exc:  # noqa: B036 - a thread's end must be recorded whatever stopped it
            state.error = failure(exc).text
            say(f"stopped: {state.error.splitlines()[0] if state.error else type(exc).__name__}")


RUNS = BackgroundRuns()


def start(key: str, args: Dict[str, Any], progress: Progress) -> Reply:
    """Plan; without ``confirm: true`` a billed plan is only shown; else record it and start it at once."""
    from ..plugins import get_registry
    from ..workflows import api
    from .handlers import _client, _text_arg

    workflow = get_registry().workflows[key]
    fields = set(getattr(workflow.options_class, "model_fields", {}) or {})
    options = {name: value for name, value in args.items() if name not in ("confirm", "output_dir") or name in fields}
    confirm = args.get("confirm") is True and "confirm" not in fields
    output_dir = _text_arg(args, "output_dir") if "output_dir" not in fields else None
    validated, made, shown = api.plan(workflow, options)
    data: Dict[str, Any] = {"workflow": workflow.name, "skill": workflow.skill, "plan": shown.as_dict(),
                            "billed": shown.totals, "billed_text": shown.billed_text(), "started": False}
    lines = shown.lines()
    if shown.jobs and not confirm:
        data["sent"] = False
        lines.append("Not started: nothing was sent. Show the user this plan and what it bills; to run it, call "
                     "this tool again with the same options and confirm: true.")
        return Reply(data, "\n".join(lines))
    client = _client(workflow.skill)
    try:
        workflow_id = api.record(client, workflow, validated, made, shown, output_dir)
    except BaseException:
        client.close()
        raise
    RUNS.start(workflow_id, client, workflow)
    data.update(started=True, workflow_id=workflow_id)
    lines.append(f"Workflow {workflow_id} started in the background. Follow it with workflow_status (workflow_id "
                 f"{workflow_id}); its final file is named there when it is done.")
    return Reply(data, "\n".join(lines))


def _recorded(workflow_id: str) -> Dict[str, Any]:
    from ..errors import FieldIssue, invalid
    from ..ledger import Ledger
    from ..workflows.store import WorkflowStore

    run = WorkflowStore(Ledger.default()).get(workflow_id)
    if run is None:
        raise invalid([FieldIssue("workflow_id", workflow_id, "is not in the ledger", "an id a workflow tool returned",
                                  "`qwencloud-skills workflow list` shows the recorded runs")])
    return run


def status(args: Dict[str, Any], progress: Progress) -> Reply:
    """The run as recorded (steps, tasks, files, final file), plus what this process saw of it."""
    from ..servicetext import inline
    from .handlers import _text_arg

    workflow_id = _text_arg(args, "workflow_id", required=True)
    run = _recorded(workflow_id)
    here = RUNS.get(workflow_id)
    steps: List[Dict[str, Any]] = []
    for step in run["steps"]:
        outputs = step.get("outputs") or {}
        steps.append({"id": step["step_id"], "kind": step["kind"], "status": step["status"],
                      "task_id": step.get("task_id"), "file": outputs.get("file"),
                      "error": inline((step.get("error") or "").split("\n")[0], 500)})
    state = run["status"]
    if here is not None and not here.active and state == "running":
        state = "failed" if here.error else state
    data: Dict[str, Any] = {
        "workflow_id": workflow_id, "workflow": run["name"], "skill": run["skill"], "status": state,
        "steps": steps, "final": run.get("final_path"), "manifest": run.get("manifest_path"),
        "billed": (run.get("preview") or {}).get("billed") or {}, "error": run.get("error"),
        "running_here": bool(here and here.active), "events": list(here.events) if here else [],
    }
    done = sum(step["status"] == "done" for step in steps)
    lines = [f"Workflow {workflow_id} ({run['name']}): {state}, {done}/{len(steps)} steps done."]
    for step in steps:
        extra = f" task {step['task_id']}" if step["task_id"] else ""
        extra += f" {step['file']}" if step["file"] else ""
        extra += f" error: {step['error']}" if step["error"] else ""
        lines.append(f"  {step['id']}: {step['status']}{extra}")
    if run.get("final_path"):
        lines.append(f"Final file: {run['final_path']}")
    elif state in ("stopped", "failed") and not (here and here.active):
        lines.append(f"Continue it with workflow_resume (workflow_id {workflow_id}); nothing is paid twice.")
    return Reply(data, "\n".join(lines))


def resume(args: Dict[str, Any], progress: Progress) -> Reply:
    from ..plugins import get_registry
    from .handlers import _client, _text_arg

    workflow_id = _text_arg(args, "workflow_id", required=True)
    run = _recorded(workflow_id)
    if run["status"] == "done" and run.get("final_path"):
        return Reply({"workflow_id": workflow_id, "status": "done", "final": run["final_path"], "started": False},
                     f"Workflow {workflow_id} is done already: {run['final_path']}")
    here = RUNS.get(workflow_id)
    if here is not None and here.active:
        return Reply({"workflow_id": workflow_id, "status": "running", "started": False},
                     f"Workflow {workflow_id} is running in this server already; follow it with workflow_status.")
    workflow = get_registry().workflow(run["name"], run["skill"])
    RUNS.start(workflow_id, _client(workflow.skill), workflow)
    return Reply({"workflow_id": workflow_id, "status": "running", "started": True},
                 f"Workflow {workflow_id} resumed in the background; follow it with workflow_status.")
