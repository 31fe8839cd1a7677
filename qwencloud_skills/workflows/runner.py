"""Running a recorded workflow: steps in dependency order, independent ones at once, each recorded first.

The same code starts a run and resumes one. A job step finds its task through the ledger
(the ``origin`` written with the submit's intent), so after a kill at any point a step is
polled, not submitted again; a step whose submit may or may not have reached the service
stops the run with the way to settle it. Local steps are free and deterministic: re-run.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from ..errors import QwenSkillsError, TaskTimeoutError, UnknownSubmitOutcomeError
from ..ledger import FINAL_STATUSES, PLACEHOLDER_PREFIX, SETTLED_PLACEHOLDER_STATUSES, SUBMITTING, UNKNOWN_OUTCOME
from ..mediaops.steps import HOST_OPERATIONS
from .preview import prepare_step, substitute
from .spec import JobStep, LocalStep, Plan, Ref, Step, StepContext, Workflow, depends_on
from .store import DONE, FAILED, RUNNING, WorkflowStore, origin_of

DEFAULT_CONCURRENCY = 3
Say = Callable[[str], None]


class WorkflowStopped(QwenSkillsError):
    """The run was interrupted (Ctrl-C); every submitted job is in the ledger and ``resume`` continues."""

    exit_code = 130


class WorkflowBusyError(QwenSkillsError):
    """Another process is running this workflow right now."""


class StepFailedError(QwenSkillsError):
    """A step failed; the steps that finished are kept and ``resume`` retries from there."""

    def __init__(self, message: str, cause: BaseException):
        super().__init__(message)
        self.cause = cause
        self.exit_code = getattr(cause, "exit_code", 1)


@dataclass
class RunOutcome:
    workflow_id: str
    final_path: Path
    manifest_path: Path
    manifest: Dict[str, Any]


class WorkflowRunner:
    """Runs (or resumes) one recorded workflow with a task client shared by its job steps."""

    def __init__(self, client: Any, store: WorkflowStore, workflow: Workflow, workflow_id: str, *,
                 say: Say = lambda line: None, poll_interval: Optional[float] = None, timeout: float = 600.0,
                 concurrency: int = DEFAULT_CONCURRENCY):
        self.client = client
        self.store = store
        self.workflow = workflow
        self.workflow_id = workflow_id
        self.say = say
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self._stop = threading.Event()
        self._settle_lock = threading.Lock()
        # Submits take a fraction of a second (and the service allows a few per second): sending them one by
        # one costs nothing, and a kill can then leave at most one submit of this run without its answer.
        self._submit_lock = threading.Lock()
        self._outputs: Dict[str, Dict[str, Any]] = {}

    # -- the run ------------------------------------------------------------------------
    def run(self) -> RunOutcome:
        from ..locks import TaskLock

        lock = TaskLock(f"workflow:{self.workflow_id}")
        if not lock.try_acquire():
            raise WorkflowBusyError(f"Workflow {self.workflow_id} is being run by another process right now; "
                                    f"wait for it, or check `workflow show {self.workflow_id}`.")
        try:
            return self._run()
        finally:
            lock.release()

    def _run(self) -> RunOutcome:
        import os

        record = self.store.get(self.workflow_id)
        if record is None:
            raise QwenSkillsError(f"No workflow {self.workflow_id} in the ledger.")
        plan: Plan = record["plan"]
        folder = self._folder(record)
        self.store.update_run(self.workflow_id, status="running", pid=os.getpid(), folder=str(folder), error=None)
        states = {step["step_id"]: step for step in record["steps"]}
        for step in plan.steps:
            kept = states[step.id]
            if kept["status"] == DONE and self._still_there(step, kept.get("outputs") or {}):
                self._outputs[step.id] = kept["outputs"]
        try:
            self._schedule(plan, folder)
        except KeyboardInterrupt:
            self._stop.set()
            self.store.update_run(self.workflow_id, status="stopped", pid=None)
            raise WorkflowStopped(f"Workflow {self.workflow_id} stopped; every submitted job is kept in the "
                                  "ledger.") from None
        except BaseException as exc:
            self.store.update_run(self.workflow_id, status="failed", pid=None, error=str(exc)[:2000])
            raise
        return self._finish(record, plan, folder)

    def _folder(self, record: Dict[str, Any]) -> Path:
        from ..output import prepare_output_dir

        if record.get("folder"):
            return prepare_output_dir(record["folder"])
        base = prepare_output_dir(record["output_dir"])
        return prepare_output_dir(base / f"{record['stem']}-{self.workflow_id}")

    @staticmethod
    def _still_there(step: Step, outputs: Dict[str, Any]) -> bool:
        """A finished step counts only while the files it made exist (a deleted one is made again)."""
        files = [outputs.get("file")] + list(outputs.get("files") or [])
        return all(Path(name).is_file() for name in files if isinstance(name, str))

    def _schedule(self, plan: Plan, folder: Path) -> None:
        remaining = [step for step in plan.steps if step.id not in self._outputs]
        running: Dict[Future, Step] = {}
        failure: Optional[StepFailedError] = None
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="workflow-step") as pool:
            try:
                while remaining or running:
                    if failure is None:
                        for step in [s for s in remaining if all(d in self._outputs for d in depends_on(s))]:
                            if len(running) >= self.concurrency:
                                break
                            remaining.remove(step)
                            running[pool.submit(self._run_step, plan, step, folder)] = step
                    if not running:
                        break
                    finished, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in finished:
                        step = running.pop(future)
                        error = future.exception()
                        if error is not None and failure is None:
                            failure = error if isinstance(error, StepFailedError) else StepFailedError(
                                f"Step {step.id} failed: {error}", error)
                            self.say(f"{step.id}: failed; waiting for the steps already running")
            except BaseException:
                self._stop.set()
                raise
        if failure is not None:
            raise failure

    def _run_step(self, plan: Plan, step: Step, folder: Path) -> None:
        inputs = substitute(dict(step.request if isinstance(step, JobStep) else step.args), self._resolve)
        self.store.update_step(self.workflow_id, step.id, status=RUNNING, inputs=inputs, started_at=time.time(),
                               error=None)
        try:
            if isinstance(step, JobStep):
                outputs = self._job(step, inputs, folder)
            else:
                outputs = self._local(step, inputs, folder)
        except BaseException as exc:
            self.store.update_step(self.workflow_id, step.id, status=FAILED, error=str(exc)[:2000],
                                   finished_at=time.time())
            if isinstance(exc, QwenSkillsError):
                raise StepFailedError(f"Step {step.id} failed: {exc}", exc) from exc
            raise
        self.store.update_step(self.workflow_id, step.id, status=DONE, outputs=outputs, finished_at=time.time())
        self._outputs[step.id] = outputs

    def _resolve(self, ref: Ref) -> Any:
        outputs = self._outputs.get(ref.step, {})
        if ref.key not in outputs:
            raise QwenSkillsError(f"step {ref.step} has no output {ref.key!r} (it has: {', '.join(outputs)})")
        return outputs[ref.key]

    # -- local steps -----------------------------------------------------------------
    def _local(self, step: LocalStep, args: Dict[str, Any], folder: Path) -> Dict[str, Any]:
        operation = self.workflow.operation(step.op) or HOST_OPERATIONS[step.op]
        self.say(f"{step.id}: {step.op}")
        outputs = dict(operation(args, StepContext(folder, step.id, self.workflow_id)))
        if outputs.get("file"):
            self.say(f"{step.id}: wrote {outputs['file']}")
        return outputs

    # -- job steps -------------------------------------------------------------------
    def _job(self, step: JobStep, request: Dict[str, Any], folder: Path) -> Dict[str, Any]:
        origin = origin_of(self.workflow_id, step.id)
        task_id = self._known_task(step, origin)
        if task_id is None:
            prepared = prepare_step(self.client, step, request, self.workflow, origin)
            billing = prepared.mode.billing_summary(prepared.request, prepared.model)
            self.say(f"{step.id}: submitting {prepared.mode.name} | {prepared.model}"
                     + (f" | {billing}" if billing else ""))
            with self._submit_lock:  # one submit in flight at a time: an interrupted one is then unambiguous
                submission = self.client.submit(prepared, output_dir=str(folder))
            task_id = submission.task_id
            self.store.update_step(self.workflow_id, step.id, task_id=task_id)
            self.say(f"{step.id}: task {task_id}")
            status = submission.final or self._wait(step, task_id)
        else:
            self.store.update_step(self.workflow_id, step.id, task_id=task_id)
            self.say(f"{step.id}: continuing task {task_id} (not submitted again)")
            status = self._wait(step, task_id)
        result = self.client.download(status, folder, stem=step.id)
        files = [str(path) for path in result.files]
        self.say(f"{step.id}: saved {files[0] if files else '(no file)'}")
        return {"file": files[0] if files else None, "files": files, "url": status.url, "task_id": task_id}

    def _known_task(self, step: JobStep, origin: str) -> Optional[str]:
        """The task this step already submitted (to poll, not pay again); None when none may exist."""
        rows = self.client.ledger.by_origin(origin) if self.client.ledger is not None else []
        for row in reversed(rows):  # the newest decides
            status, task_id = row["status"], row["task_id"]
            if task_id.startswith(PLACEHOLDER_PREFIX):
                if status in SETTLED_PLACEHOLDER_STATUSES:
                    continue  # resolved (its real task has a row of its own) or certainly not created
                if status == SUBMITTING:  # its process is alive (by_origin settled the dead ones)
                    raise UnknownSubmitOutcomeError(f"Step {step.id}: another process is submitting it right now "
                                                    f"({task_id}); wait for that process.")
                if status == UNKNOWN_OUTCOME:
                    return self._settled(step, row)
                continue
            if status in ("FAILED", "CANCELED", "UNKNOWN"):
                return None  # ended without a result: this step is submitted anew
            return task_id
        return None

    def _settled(self, step: JobStep, row: Dict[str, Any]) -> Optional[str]:
        """An interrupted submit: its task as the service lists it, or None when it created nothing."""
        from ..settle import settle_from_service

        self.say(f"{step.id}: its submit was interrupted; checking the service's task list")
        with self._settle_lock:  # one look at the list at a time: candidates must not be claimed twice
            outcome, task_id = settle_from_service(self.client, row)
        self.say(f"{step.id}: the interrupted submit {outcome}" + (f" task {task_id}" if task_id else ""))
        return task_id or None

    def _wait(self, step: JobStep, task_id: str) -> Any:
        started = time.monotonic()
        clock = self.client.wait_clock(task_id, self.poll_interval, self.timeout)  # the client's own schedule
        last = None
        while True:
            status = self.client.status(task_id, deadline=time.monotonic() + 60.0)
            if status.status in FINAL_STATUSES or not status.running:
                status.raise_for_failure()
                return status
            if status.status != last:
                self.say(f"{step.id}: {status.status}")
                last = status.status
            if time.monotonic() - started > self.timeout:
                raise TaskTimeoutError(task_id, time.monotonic() - started, status.status)
            if self._stop.wait(clock.pause()):
                raise KeyboardInterrupt

    # -- the result ------------------------------------------------------------------
    def _finish(self, record: Dict[str, Any], plan: Plan, folder: Path) -> RunOutcome:
        from ..output import place_file, prepare_output_dir

        final_file = Path(self._outputs[plan.final]["file"])
        if record.get("final_path") and Path(record["final_path"]).is_file() and record.get("manifest_path"):
            final_path = Path(record["final_path"])
        else:
            out_dir = prepare_output_dir(record["output_dir"])
            suffix = self.workflow.final_suffix or final_file.suffix
            handle, temp = tempfile.mkstemp(prefix=".workflow-", suffix=suffix, dir=str(out_dir))
            import os

            os.close(handle)
            shutil.copyfile(final_file, temp)
            final_path = place_file(temp, out_dir, f"{record['stem']}{suffix}")
        manifest = self._manifest(record, plan, final_path)
        manifest_path = self._write_manifest(final_path, manifest)
        self.store.update_run(self.workflow_id, status="done", pid=None, final_path=str(final_path),
                              manifest_path=str(manifest_path))
        return RunOutcome(self.workflow_id, final_path, manifest_path, manifest)

    def _manifest(self, record: Dict[str, Any], plan: Plan, final_path: Path) -> Dict[str, Any]:
        fresh = self.store.get(self.workflow_id) or record
        steps: List[Dict[str, Any]] = []
        for kept, step in zip(fresh["steps"], plan.steps):
            outputs = kept.get("outputs") or {}
            item: Dict[str, Any] = {"id": step.id, "kind": step.kind, "status": kept["status"],
                                    "title": step.title, "after": list(depends_on(step))}
            if isinstance(step, JobStep):
                row = self.client.ledger.get(kept["task_id"]) if kept.get("task_id") and self.client.ledger else None
                item.update(mode=step.mode, model=(row or {}).get("model") or step.model, task_id=kept.get("task_id"),
                            usage=_usage_of(row))
            else:
                item.update(op=step.op)
            item["files"] = [name for name in [outputs.get("file")] + list(outputs.get("files") or [])
                             if isinstance(name, str)]
            item["files"] = list(dict.fromkeys(item["files"]))
            steps.append(item)
        return {"workflow_id": self.workflow_id, "workflow": record["name"], "skill": record["skill"],
                "options": record["options"], "final": str(final_path), "folder": fresh.get("folder"),
                "notes": list(plan.notes), "steps": steps, "billed": (record.get("preview") or {}).get("billed") or {},
                "billed_text": (record.get("preview") or {}).get("billed_text"),
                "created_at": record["created_at"], "finished_at": time.time()}

    def _write_manifest(self, final_path: Path, manifest: Dict[str, Any]) -> Path:
        import json
        import os

        from ..output import place_file

        existing = self.store.get(self.workflow_id) or {}
        if existing.get("manifest_path") and Path(existing["manifest_path"]).is_file():
            return Path(existing["manifest_path"])
        handle, temp = tempfile.mkstemp(prefix=".workflow-", suffix=".json", dir=str(final_path.parent))
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(manifest, stream, indent=2, ensure_ascii=False, default=str)
        return place_file(temp, final_path.parent, f"{final_path.stem}.workflow.json")


def _usage_of(row: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    result = (row or {}).get("result")
    if isinstance(result, dict) and isinstance(result.get("usage"), dict):
        return result["usage"]
    return {}
