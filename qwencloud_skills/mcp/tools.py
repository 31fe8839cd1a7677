"""The tool list, generated from the registry: a submit tool per mode, one per workflow, and the host's own.

Nothing here names a mode: every loaded skill's modes (third-party ones too) become
``<domain>_<mode>`` tools whose input schema is the mode's request model, plus ``model`` (the
mode's catalog) and ``output_dir``; every workflow becomes ``workflow_<name>`` with its options
model plus ``confirm``. A plugin whose schema cannot be built loses its tool, with a warning on
stderr; the others are served.
"""

from __future__ import annotations

import copy
import functools
import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional

from .replies import Progress, Reply

MAX_NAME = 64  # what MCP clients accept for a tool name
NOTES_SHOWN = 3  # a mode's first notes go into its tool's description

Handler = Callable[[Dict[str, Any], Progress], Reply]


@dataclass(frozen=True)
class ToolSpec:
    """One tool: what the client lists (name, schema, hints) and the handler that answers a call."""

    name: str
    title: str
    description: str
    input_schema: Dict[str, Any]
    handler: Handler
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = True  # talks to the service (False: only this machine's ledger and files)
    signals: bool = False  # a job boundary: update-check signals go into its text, as the CLI prints them


class ToolSchemaWarning(UserWarning):
    """A plugin's mode or workflow has no usable schema; its tool is left out."""


def build_tools(registry: Any) -> List[ToolSpec]:
    """Every tool, in a stable order: the host's, then each mode's, then each workflow's."""
    names: Dict[str, int] = {}
    tools = list(host_tools(registry))
    for spec in tools:
        names[spec.name] = 1
    for mode in registry.modes.values():
        skill = registry.skills.get(mode.skill)
        if skill is None:
            continue
        made = _guarded(f"mode {mode.name} (plugin {mode.plugin or 'unknown'})",
                        lambda mode=mode, skill=skill: mode_tool(registry, mode, skill, _unique(names, skill.domain,
                                                                                               mode.name)))
        if made is not None:
            tools.append(made)
    flows = registry.workflows_of()
    shared = {flow.name for flow in flows if sum(other.name == flow.name for other in flows) > 1}
    for flow in flows:
        skill = registry.skills[flow.skill]
        parts = ("workflow", skill.domain, flow.name) if flow.name in shared else ("workflow", flow.name)
        made = _guarded(f"workflow {flow.name} (plugin {flow.plugin or 'unknown'})",
                        lambda flow=flow, parts=parts: workflow_tool(flow, _unique(names, *parts)))
        if made is not None:
            tools.append(made)
    return tools


def tool_name(*parts: str) -> str:
    """``a_b_c`` from the parts, each reduced to letters, digits and underscores."""
    joined = "_".join(re.sub(r"[^A-Za-z0-9_]+", "_", part).strip("_") for part in parts if part)
    return joined[:MAX_NAME] or "tool"


def _unique(taken: Dict[str, int], *parts: str) -> str:
    name = tool_name(*parts)
    if name not in taken:
        taken[name] = 1
        return name
    taken[name] += 1
    suffix = f"_{taken[name]}"
    unique = name[:MAX_NAME - len(suffix)] + suffix
    taken[unique] = 1
    return unique


def _guarded(what: str, make: Callable[[], ToolSpec]) -> Optional[ToolSpec]:
    try:
        return make()
    except Exception as exc:  # a plugin's broken model must not take the other tools down
        warnings.warn(f"{what}: no MCP tool ({type(exc).__name__}: {exc})", ToolSchemaWarning, stacklevel=2)
        return None


def model_schema(model_class: Any) -> Dict[str, Any]:
    """A pydantic model's JSON schema (descriptions, enums, ranges), as an object schema."""
    schema = copy.deepcopy(model_class.model_json_schema())
    if schema.get("type") != "object":
        raise ValueError("the model's schema is not an object")
    schema.setdefault("properties", {})
    return schema


def _add(schema: Dict[str, Any], name: str, prop: Mapping[str, Any]) -> None:
    """A control argument, unless the model has a field of that name (the field wins)."""
    schema["properties"].setdefault(name, dict(prop))


OUTPUT_DIR = {"type": "string", "description": "Folder for the results (default: the skill's output folder "
              "under the server's working directory; never inside a skills/ tree)."}


def mode_tool(registry: Any, mode: Any, skill: Any, name: str) -> ToolSpec:
    """A mode's submit tool: its request model as the schema, plus ``model`` and ``output_dir``."""
    from . import handlers

    schema = model_schema(mode.request_class)
    model: Dict[str, Any] = {"type": "string", "default": mode.default_model,
                             "description": f"Model id (default {mode.default_model}); the `models` tool lists "
                                            "each model's limits."}
    if mode.model_ids:
        model["enum"] = list(mode.model_ids)
    _add(schema, "model", model)
    _add(schema, "output_dir", OUTPUT_DIR)
    output = registry.output_of(mode)
    lines = [f"{mode.summary} ({skill.title or skill.name}, mode {mode.name})."]
    if output.asynchronous:
        lines.append(f"Validates locally, uploads local files, submits one job and returns at once with its task id "
                     f"and expected time (nothing waits for the {output.noun}): then task_status and task_result.")
    else:
        lines.append(f"Validates locally, uploads local files and answers with the saved {output.nouns} "
                     "(the service answers at once).")
    lines.append("Models: " + ", ".join(f"{spec.id}{' (default)' if spec.id == mode.default_model else ''}"
                                        for spec in mode.models) + ".")
    if output.billing:
        lines.append(output.billing)
    lines.extend(mode.notes[:NOTES_SHOWN])
    lines.append("dry_run shows the exact request and what it bills without sending it.")
    return ToolSpec(name=name, title=f"{skill.title or skill.name}: {mode.summary}", description=" ".join(lines),
                    input_schema=schema, handler=functools.partial(handlers.submit, mode.name), signals=True)


def workflow_tool(flow: Any, name: str) -> ToolSpec:
    """A workflow's tool: its options model as the schema, plus ``confirm`` and ``output_dir``."""
    from . import flows

    schema = model_schema(flow.options_class)
    _add(schema, "confirm", {"type": "boolean", "default": False,
                             "description": "true starts a plan that bills (show the user the plan and its cost "
                                            "first); without it only the plan is returned and nothing is sent."})
    _add(schema, "output_dir", {"type": "string", "description": "Folder of the final file and its manifest "
                                "(default: the skill's output folder); intermediate files go to a subfolder."})
    description = " ".join(part for part in (
        flow.summary, flow.description,
        "Plans and checks every step first. Without confirm: true a plan that bills is only returned, with its "
        "billed totals, and nothing is sent; with it (or for a plan that bills nothing) the workflow starts in the "
        "background and its workflow_id comes back at once: follow it with workflow_status.") if part)
    return ToolSpec(name=name, title=f"Workflow {flow.name}", description=description, input_schema=schema,
                    handler=functools.partial(flows.start, f"{flow.skill}/{flow.name}"), signals=True)


def _object(properties: Dict[str, Any], required: Optional[List[str]] = None) -> Dict[str, Any]:
    schema: Dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


TASK_ID = {"type": "string", "description": "The task id a submit tool returned (or one from tasks_list)."}


def host_tools(registry: Any) -> List[ToolSpec]:
    """The tools every installation has, whatever skills are loaded."""
    from . import batches, flows, handlers
    from .handlers import MAX_WAIT

    domains = sorted({skill.domain for skill in registry.skills.values()})
    modes = list(registry.modes)
    skill_arg = {"type": "string", "description": "A skill's domain (or name); default: every skill."}
    if domains:
        skill_arg["enum"] = domains + sorted(registry.skills)
    mode_arg = {"type": "string", "description": "A mode name (see `models`)."}
    if modes:
        mode_arg["enum"] = modes
    return [
        ToolSpec(
            "task_status", "Task status",
            "One task's status, how long it has run and how long similar jobs still take. With wait_seconds (at "
            f"most {MAX_WAIT:g}) it waits for the end that long, polling on the adaptive schedule and reporting "
            "progress; call it again while the task runs, then task_result.",
            _object({"task_id": TASK_ID, "wait_seconds": {
                "type": "number", "minimum": 0, "maximum": MAX_WAIT, "default": 0,
                "description": f"Seconds to wait for the task to end (0-{MAX_WAIT:g}); 0 checks once."}}, ["task_id"]),
            handlers.task_status, read_only=True, idempotent=True),
        ToolSpec(
            "task_result", "Task result",
            "Saves a finished task's results (downloads them unless an earlier call saved them) and returns the "
            "local paths and result URLs; a task still running says so (nothing is saved yet).",
            _object({"task_id": TASK_ID, "output_dir": {
                "type": "string", "description": "Folder to save into (default: the one chosen at submit)."}},
                ["task_id"]),
            handlers.task_result, idempotent=True, signals=True),
        ToolSpec(
            "tasks_list", "Recorded tasks",
            "The tasks in this machine's ledger (every submit by the CLI, the library or this server), newest first.",
            _object({"skill": skill_arg, "status": {"type": "string", "description": "Only this status, e.g. RUNNING,"
                                                                                    " SUCCEEDED, SUBMIT_UNKNOWN."},
                     "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 20}}),
            handlers.tasks_list, read_only=True, idempotent=True, open_world=False),
        ToolSpec(
            "task_cancel", "Cancel a task",
            "Cancels a task that is still PENDING (the service cannot cancel a running one).",
            _object({"task_id": TASK_ID}, ["task_id"]),
            handlers.task_cancel, destructive=True, idempotent=True),
        ToolSpec(
            "dry_run", "Dry run",
            "The exact submit a request would send (validated, key redacted, also as a curl command reading "
            "$DASHSCOPE_API_KEY) and the amounts it would bill. Nothing is sent. The mode is detected from the "
            "request when not given.",
            _object({"request": {"type": "object", "description": "The request, as a submit tool takes it "
                                                                   "(without model and output_dir)."},
                     "mode": mode_arg, "skill": skill_arg,
                     "model": {"type": "string", "description": "Model id (default: the mode's)."},
                     "output_dir": OUTPUT_DIR}, ["request"]),
            handlers.dry_run, read_only=True, idempotent=True, open_world=False, signals=True),
        ToolSpec(
            "models", "Models",
            "Every mode (or one skill's, or one mode) with its endpoint, default model and each model's limits.",
            _object({"skill": skill_arg, "mode": mode_arg}),
            handlers.models, read_only=True, idempotent=True, open_world=False),
        ToolSpec(
            "workflow_status", "Workflow status",
            "A workflow run's steps (status, task, file), and its final file when done.",
            _object({"workflow_id": {"type": "string", "description": "The id a workflow tool returned."}},
                    ["workflow_id"]),
            flows.status, read_only=True, idempotent=True, open_world=False),
        ToolSpec(
            "workflow_resume", "Resume a workflow",
            "Continues a stopped or failed workflow run in the background: finished steps are reused, running jobs "
            "polled, nothing is submitted twice.",
            _object({"workflow_id": {"type": "string", "description": "The id a workflow tool returned."}},
                    ["workflow_id"]),
            flows.resume, signals=True),
        ToolSpec(
            "batch_submit", "Submit a batch",
            "Many requests of one skill as one batch: every request is checked first (all invalid ones named; "
            "nothing sent). Without confirm: true it only returns the billed total; with it the batch runs in the "
            "background (paced under the account's limits, each task in the ledger) and its id comes back at once. "
            "The same batch_id with the same requests continues a batch without paying twice.",
            _object({"requests": {"type": "array", "description": "Request objects, or {id, request, mode, model} "
                                                                  "objects (the id names the saved files).",
                                  "items": {"type": "object"}},
                     "skill": skill_arg, "mode": mode_arg,
                     "model": {"type": "string", "description": "Model id for every request (default: the mode's)."},
                     "output_dir": OUTPUT_DIR,
                     "confirm": {"type": "boolean", "description": "true to run (after the user agreed to the total)."},
                     "skip_invalid": {"type": "boolean", "description": "Run the valid requests, skip the others."},
                     "batch_id": {"type": "string", "description": "Continue this batch (from an earlier call)."}},
                    ["requests"]),
            batches.submit, signals=True),
        ToolSpec(
            "batch_status", "Batch status",
            "A batch this server started: running, or each request's status, task and files.",
            _object({"batch_id": {"type": "string", "description": "The id batch_submit returned."}}, ["batch_id"]),
            batches.status, read_only=True, idempotent=True, open_world=False),
    ]
