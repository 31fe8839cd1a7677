"""Workflows as a library: plan (nothing sent), record, run or resume; the CLI and later tools share it."""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional, Tuple

from .runner import DEFAULT_CONCURRENCY, RunOutcome, WorkflowRunner
from .store import WorkflowStore


def find(name: str, skill: Optional[str] = None) -> Any:
    """The registered workflow called ``name`` (of ``skill`` when given); InvalidRequestError when unknown."""
    from ..plugins import get_registry

    return get_registry().workflow(name, skill)


def plan(workflow: Any, options: Mapping[str, Any], book: Any = None) -> Tuple[Any, Any, Any]:
    """(validated options, plan, preview): the options, the plan and every planned job checked locally."""
    from ..mediaops.steps import HOST_OPERATIONS
    from ..validation import validate_model
    from .preview import preview

    validated = validate_model(workflow.options_class, dict(options), f"workflow {workflow.name}")
    made = workflow.plan_for(validated)
    from ..dryrun import dry_book

    return validated, made, preview(made, workflow, book or dry_book(workflow.skill), HOST_OPERATIONS)


def record(client: Any, workflow: Any, validated: Any, made: Any, shown: Any, output: Optional[str] = None,
           stem: Optional[str] = None) -> str:
    """Record a run (every step pending) before anything starts; returns its id."""
    output_dir = str(client.output_dir(workflow.skill, output))
    return WorkflowStore(client.ledger).create(
        name=workflow.name, skill=workflow.skill, options=validated.model_dump(mode="json", exclude_none=True),
        plan=made, output_dir=output_dir, stem=stem or workflow.name, preview=shown.as_dict())


def execute(client: Any, workflow: Any, workflow_id: str, *, say: Optional[Callable[[str], None]] = None,
            poll_interval: Optional[float] = None, timeout: float = 1800.0,
            concurrency: int = DEFAULT_CONCURRENCY) -> RunOutcome:
    """Run (or resume) a recorded workflow to its final file."""
    runner = WorkflowRunner(client, WorkflowStore(client.ledger), workflow, workflow_id,
                            say=say or (lambda line: None), poll_interval=poll_interval, timeout=timeout,
                            concurrency=concurrency)
    return runner.run()


def run(name: str, options: Mapping[str, Any], *, skill: Optional[str] = None, output: Optional[str] = None,
        stem: Optional[str] = None, client: Any = None, **settings: Any) -> RunOutcome:
    """Plan, record and run ``name`` at once: the caller has agreed to what it bills (see :func:`plan`)."""
    from ..tasks import TaskClient

    workflow = find(name, skill)
    validated, made, shown = plan(workflow, options)
    own = client is None
    client = client or TaskClient(skill=workflow.skill)
    try:
        workflow_id = record(client, workflow, validated, made, shown, output, stem)
        return execute(client, workflow, workflow_id, **settings)
    finally:
        if own:
            client.close()


def resume(workflow_id: str, *, client: Any = None, **settings: Any) -> RunOutcome:
    """Finish a recorded run: finished steps reused, running jobs polled, nothing submitted twice."""
    from ..ledger import Ledger
    from ..tasks import TaskClient

    recorded = WorkflowStore(client.ledger if client is not None else Ledger.default()).get(workflow_id)
    if recorded is None:
        from ..errors import FieldIssue, invalid

        raise invalid([FieldIssue("WORKFLOW_ID", workflow_id, "is not in the ledger", "an id from `workflow list`",
                                  "run `workflow list` to see the recorded runs")])
    workflow = find(recorded["name"], recorded["skill"])
    own = client is None
    client = client or TaskClient(skill=workflow.skill)
    try:
        return execute(client, workflow, workflow_id, **settings)
    finally:
        if own:
            client.close()


def summary(outcome: RunOutcome) -> Dict[str, Any]:
    return {"workflow_id": outcome.workflow_id, "final": str(outcome.final_path),
            "manifest": str(outcome.manifest_path)}
