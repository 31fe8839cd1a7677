"""A plan checked in full before anything is paid: its shape, every job's request, what each step bills.

Refs are replaced by placeholder ``oss://`` URLs for the check, so a planned request that the
mode would refuse fails here, with the mode's own message, and not halfway through a paid run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..errors import FieldIssue, invalid
from .spec import STEP_ID_CHARS, JobStep, LocalStep, Plan, Ref, Workflow, depends_on

PLACEHOLDER_BUCKET = "oss://workflow-step-output/"


def substitute(value: Any, resolve: Callable[[Ref], Any]) -> Any:
    """``value`` with every Ref replaced by ``resolve(ref)`` (in dicts and lists, any depth)."""
    if isinstance(value, Ref):
        return resolve(value)
    if isinstance(value, dict):
        return {key: substitute(item, resolve) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [substitute(item, resolve) for item in value]
    return value


def placeholder(ref: Ref) -> str:
    return f"{PLACEHOLDER_BUCKET}{ref.step}-{ref.key}{ref.suffix}"


@dataclass
class StepPreview:
    id: str
    kind: str
    title: str
    after: Tuple[str, ...]
    mode: str = ""
    skill: str = ""
    model: str = ""
    billing: str = ""
    billed: Dict[str, float] = field(default_factory=dict)
    op: str = ""

    def as_dict(self) -> Dict[str, Any]:
        data: Dict[str, Any] = {"id": self.id, "kind": self.kind, "title": self.title, "after": list(self.after)}
        if self.kind == "job":
            data.update(skill=self.skill, mode=self.mode, model=self.model, billing=self.billing, billed=self.billed)
        else:
            data.update(op=self.op)
        return data


@dataclass
class PlanPreview:
    workflow: str
    skill: str
    steps: List[StepPreview]
    notes: Tuple[str, ...] = ()

    @property
    def jobs(self) -> List[StepPreview]:
        return [step for step in self.steps if step.kind == "job"]

    @property
    def totals(self) -> Dict[str, float]:
        sums: Dict[str, float] = {}
        for step in self.jobs:
            for unit, amount in step.billed.items():
                sums[unit] = sums.get(unit, 0.0) + amount
        return sums

    @property
    def unknown_billing(self) -> List[str]:
        """Jobs that said nothing about what they bill (their amounts are not in the totals)."""
        return [step.id for step in self.jobs if not step.billed]

    def billed_text(self) -> str:
        parts = [f"{amount:g} {unit}" for unit, amount in self.totals.items()]
        if not self.jobs:
            return "nothing (local steps only)"
        text = " + ".join(parts) if parts else "not stated by the plugin"
        if parts and self.unknown_billing:
            text += f" (plus {', '.join(self.unknown_billing)}: not stated)"
        return f"{text}, in {len(self.jobs)} job{'s' if len(self.jobs) != 1 else ''}"

    def as_dict(self) -> Dict[str, Any]:
        return {"workflow": self.workflow, "skill": self.skill, "steps": [s.as_dict() for s in self.steps],
                "jobs": len(self.jobs), "billed": self.totals, "billed_text": self.billed_text(),
                "notes": list(self.notes)}

    def lines(self) -> List[str]:
        out = [f"Workflow {self.workflow}: {len(self.steps)} steps ({len(self.jobs)} billed jobs)"]
        width = max(len(step.id) for step in self.steps)
        for number, step in enumerate(self.steps, 1):
            after = f"  (after {', '.join(step.after)})" if step.after else ""
            if step.kind == "job":
                what = f"{step.mode} | {step.model}" + (f" | {step.billing}" if step.billing else "")
            else:
                what = f"local: {step.op}, not billed"
            title = f" {step.title}:" if step.title else ""
            out.append(f"  {number:>2}. {step.id:<{width}} {title} {what}{after}".replace("  :", ":"))
        out.extend(f"  note: {note}" for note in self.notes)
        out.append(f"Billed in all: {self.billed_text()}")
        return out


def check_shape(plan: Plan, workflow: Workflow, operations: Dict[str, Any]) -> None:
    """Ids unique and well formed, every reference to an earlier step, the final step known, ops known."""
    seen: List[str] = []
    problems: List[FieldIssue] = []
    for step in plan.steps:
        if not step.id or not set(step.id) <= STEP_ID_CHARS or step.id in seen:
            problems.append(FieldIssue("step", step.id, "duplicate or malformed step id",
                                       "unique ids of lower-case letters, digits, - and _", "fix the planner"))
        for name in depends_on(step):
            if name not in seen:
                problems.append(FieldIssue(f"{step.id}", name, "depends on a step that does not come before it",
                                           ", ".join(seen) or "no earlier step", "fix the planner's order"))
        if isinstance(step, LocalStep) and workflow.operation(step.op) is None and step.op not in operations:
            problems.append(FieldIssue(f"{step.id}.op", step.op, "unknown operation",
                                       ", ".join(sorted(set(operations) | set(workflow.operations))),
                                       "fix the planner"))
        seen.append(step.id)
    if plan.final not in seen:
        problems.append(FieldIssue("final", plan.final, "is not a step of the plan", ", ".join(seen),
                                   "fix the planner"))
    if problems:
        raise invalid(problems, header=f"Workflow {workflow.name} made an unusable plan (a plugin bug)")


def preview(plan: Plan, workflow: Workflow, book: Any, operations: Dict[str, Any]) -> PlanPreview:
    """Check the plan and every job request (no network); what each step is and bills."""
    check_shape(plan, workflow, operations)
    steps: List[StepPreview] = []
    for step in plan.steps:
        after = depends_on(step)
        if isinstance(step, JobStep):
            request = substitute(dict(step.request), placeholder)
            prepared = prepare_step(book, step, request, workflow)
            steps.append(StepPreview(
                step.id, "job", step.title, after, mode=prepared.mode.name, skill=prepared.mode.skill,
                model=prepared.model, billing=prepared.mode.billing_summary(prepared.request, prepared.model),
                billed=prepared.mode.billed_amounts(prepared.request, prepared.model),
            ))
        else:
            steps.append(StepPreview(step.id, "local", step.title, after, op=step.op))
    return PlanPreview(workflow.name, workflow.skill, steps, plan.notes)


def prepare_step(book: Any, step: JobStep, request: Dict[str, Any], workflow: Workflow,
                 origin: Optional[str] = None) -> Any:
    """The step's request validated by its mode (errors name the step)."""
    from ..errors import InvalidRequestError

    try:
        prepared = book.prepare(request, step.mode, step.model, skill=step.skill or workflow.skill)
    except InvalidRequestError as error:
        error.message = f"Workflow step {step.id} ({step.mode}):\n{error.message}"
        error.args = (error.message,)
        raise
    if origin:
        prepared.origin = origin
    return prepared
