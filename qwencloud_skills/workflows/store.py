"""Workflow runs and their steps in the task ledger's file: recorded before anything starts.

A run's plan is stored whole (as JSON) when it is created, with one row per step; each step's
resolved inputs are written before it starts and its outputs when it ends, so ``resume``
needs neither the planner nor the original options.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any, Dict, List, Mapping, Optional

from ..ledger import Ledger, _process_alive
from .spec import JobStep, LocalStep, Plan, Ref, Step

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
RUN_STATUSES = ("running", "done", "failed", "stopped")


def origin_of(workflow_id: str, step_id: str) -> str:
    """The tag a step's job carries in the tasks table (written with its intent)."""
    return f"workflow:{workflow_id}/{step_id}"


def _encode(value: Any) -> Any:
    if isinstance(value, Ref):
        return value.as_json()
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Any:
    if Ref.is_json(value):
        return Ref.from_json(value)
    if isinstance(value, Mapping):
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def plan_to_json(plan: Plan) -> Dict[str, Any]:
    steps = []
    for step in plan.steps:
        item: Dict[str, Any] = {"id": step.id, "kind": step.kind, "title": step.title, "after": list(step.after)}
        if isinstance(step, JobStep):
            item.update(mode=step.mode, model=step.model, skill=step.skill, request=_encode(step.request))
        else:
            item.update(op=step.op, args=_encode(step.args))
        steps.append(item)
    return {"steps": steps, "final": plan.final, "notes": list(plan.notes)}


def plan_from_json(data: Mapping[str, Any]) -> Plan:
    steps: List[Step] = []
    for item in data["steps"]:
        after = tuple(item.get("after") or ())
        if item["kind"] == "job":
            steps.append(JobStep(item["id"], item["mode"], _decode(item["request"]), item.get("model"),
                                 item.get("skill"), item.get("title", ""), after))
        else:
            steps.append(LocalStep(item["id"], item["op"], _decode(item.get("args") or {}), item.get("title", ""),
                                   after))
    return Plan(tuple(steps), data["final"], tuple(data.get("notes") or ()))


def _loads(text: Optional[str]) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class WorkflowStore:
    """The workflow tables of one ledger."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    def create(self, *, name: str, skill: str, options: Mapping[str, Any], plan: Plan, output_dir: str,
               stem: str, preview: Optional[Mapping[str, Any]] = None) -> str:
        """Record a new run with every step pending; returns its id."""
        workflow_id = f"wf-{uuid.uuid4().hex[:12]}"
        now = time.time()
        with self.ledger.connection() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO workflows (id, name, skill, options, plan, preview, status, created_at, updated_at,"
                " output_dir, stem, pid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (workflow_id, name, skill, json.dumps(_encode(dict(options)), ensure_ascii=False, default=str),
                 json.dumps(plan_to_json(plan), ensure_ascii=False),
                 json.dumps(dict(preview), ensure_ascii=False, default=str) if preview else None, "running", now,
                 now, output_dir, stem, os.getpid()),
            )
            for position, step in enumerate(plan.steps):
                db.execute("INSERT INTO workflow_steps (workflow_id, step_id, position, kind, status)"
                           " VALUES (?,?,?,?,?)", (workflow_id, step.id, position, step.kind, PENDING))
            db.execute("COMMIT")
        return workflow_id

    def update_run(self, workflow_id: str, **fields: Any) -> None:
        allowed = {"status", "folder", "final_path", "manifest_path", "error", "pid"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown workflow fields: {sorted(unknown)}")
        fields["updated_at"] = time.time()
        assignments = ", ".join(f"{key} = ?" for key in fields)
        with self.ledger.connection() as db:
            db.execute(f"UPDATE workflows SET {assignments} WHERE id = ?", (*fields.values(), workflow_id))

    def update_step(self, workflow_id: str, step_id: str, **fields: Any) -> None:
        allowed = {"status", "inputs", "outputs", "task_id", "started_at", "finished_at", "error"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown step fields: {sorted(unknown)}")
        for key in ("inputs", "outputs"):
            if key in fields and fields[key] is not None:
                fields[key] = json.dumps(_encode(fields[key]), ensure_ascii=False, default=str)
        assignments = ", ".join(f"{key} = ?" for key in fields)
        with self.ledger.connection() as db:
            db.execute(f"UPDATE workflow_steps SET {assignments} WHERE workflow_id = ? AND step_id = ?",
                       (*fields.values(), workflow_id, step_id))

    def get(self, workflow_id: str) -> Optional[Dict[str, Any]]:
        """The run with its decoded plan and its steps (in plan order); None when unknown."""
        with self.ledger.connection() as db:
            row = db.execute("SELECT * FROM workflows WHERE id = ?", (workflow_id,)).fetchone()
            if row is None:
                return None
            steps = db.execute("SELECT * FROM workflow_steps WHERE workflow_id = ? ORDER BY position",
                               (workflow_id,)).fetchall()
        run = self._run(dict(row))
        run["steps"] = [self._step(dict(step)) for step in steps]
        return run

    def list(self, limit: int = 50, skill: Optional[str] = None) -> List[Dict[str, Any]]:
        query, args = "SELECT * FROM workflows", []  # type: str, List[Any]
        if skill:
            query += " WHERE skill = ?"
            args.append(skill)
        query += " ORDER BY created_at DESC LIMIT ?"
        args.append(limit)
        with self.ledger.connection() as db:
            rows = [dict(row) for row in db.execute(query, args).fetchall()]
            counts = {}
            for row in rows:
                counts[row["id"]] = {item["status"]: item["n"] for item in db.execute(
                    "SELECT status, COUNT(*) AS n FROM workflow_steps WHERE workflow_id = ? GROUP BY status",
                    (row["id"],))}
        runs = []
        for row in rows:
            run = self._run(row)
            run.pop("plan", None)
            run["step_counts"] = counts.get(row["id"], {})
            runs.append(run)
        return runs

    @staticmethod
    def _run(row: Dict[str, Any]) -> Dict[str, Any]:
        row["options"] = _decode(_loads(row.get("options")) or {})
        row["preview"] = _loads(row.get("preview")) or {}
        plan = _loads(row.get("plan"))
        row["plan"] = plan_from_json(plan) if plan else None
        if row.get("status") == "running" and row.get("pid") and not _process_alive(int(row["pid"])):
            row["status"] = "stopped"  # its process is gone: resumable
        return row

    @staticmethod
    def _step(row: Dict[str, Any]) -> Dict[str, Any]:
        row["inputs"] = _decode(_loads(row.get("inputs")))
        row["outputs"] = _loads(row.get("outputs"))
        return row
