"""What a plugin declares to add a workflow: the record, its steps and references between them.

A planner turns validated options into a :class:`Plan` without touching the network or
the disk, so ``--dry-run`` can show every step and what it bills. Values that only exist
once an earlier step has run (its saved file, a frame cut from it) are :class:`Ref`
placeholders, resolved by the runner just before the step starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

WORKFLOW_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
STEP_ID_CHARS = WORKFLOW_NAME_CHARS | frozenset("_")


@dataclass(frozen=True)
class Ref:
    """An output of an earlier step: ``key`` of its outputs ("file" is its saved file).

    ``suffix`` tells validators what the value will look like before it exists (".png", ".wav"),
    so a plan can be checked in full by ``--dry-run``.
    """

    step: str
    key: str = "file"
    suffix: str = ""

    def as_json(self) -> Dict[str, str]:
        return {"$ref": self.step, "key": self.key, "suffix": self.suffix}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Ref:
        return cls(str(data["$ref"]), str(data.get("key") or "file"), str(data.get("suffix") or ""))

    @staticmethod
    def is_json(value: Any) -> bool:
        return isinstance(value, Mapping) and "$ref" in value


@dataclass(frozen=True)
class JobStep:
    """One generation job: a mode's request (which may hold Refs), sent to the service and billed."""

    id: str
    mode: str
    request: Mapping[str, Any]
    model: Optional[str] = None
    skill: Optional[str] = None  # the mode's skill; None: the workflow's own skill
    title: str = ""
    after: Tuple[str, ...] = ()  # steps to wait for besides those referenced

    kind = "job"


@dataclass(frozen=True)
class LocalStep:
    """A free local step: an operation (the host's media operations, or the workflow's own) on files."""

    id: str
    op: str
    args: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""
    after: Tuple[str, ...] = ()

    kind = "local"


Step = Union[JobStep, LocalStep]


@dataclass(frozen=True)
class Plan:
    """The steps in a valid running order; ``final`` names the step whose file is the result."""

    steps: Tuple[Step, ...]
    final: str
    notes: Tuple[str, ...] = ()  # said with the plan (e.g. "segments chained by their last 2 s")

    def step(self, step_id: str) -> Step:
        for item in self.steps:
            if item.id == step_id:
                return item
        raise KeyError(step_id)


@dataclass(frozen=True)
class WorkflowExample:
    """Options shown in the manifests; planned at build time with stand-ins for the files they name.

    ``files``: file name -> what to stand in for it while the example is checked: "image", "audio S", "clip S"
    or "audio S" (S seconds of real media), or "text:..." (that text, e.g. a storyboard file).
    """

    title: str
    options: Mapping[str, Any]
    description: str = ""
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StepContext:
    """What a local operation may use: the folder of intermediate files and how to name a new one."""

    folder: Any  # pathlib.Path of the workflow's intermediate files
    step_id: str
    workflow_id: str

    def new_path(self, suffix: str, stem: Optional[str] = None) -> Any:
        """A path in the folder that no file has yet (never overwrite): <stem><suffix>, <stem>_1<suffix>..."""
        from ..output import candidate_names

        for name in candidate_names(f"{stem or self.step_id}{suffix}"):
            path = self.folder / name
            if not path.exists():
                return path
        raise RuntimeError("no free file name")  # pragma: no cover - candidate_names is unbounded


# args (Refs resolved) -> outputs; "file" is the one file it made. Raises InvalidRequestError or
# MediaError (qwencloud_skills.mediaops) on bad input; must not overwrite anything.
Operation = Callable[[Dict[str, Any], StepContext], Dict[str, Any]]
# validated options -> the plan; no network, no disk writes.
Planner = Callable[[Any], Plan]


@dataclass
class Workflow:
    """A named plan maker of one skill: ``<skill cli> workflow run NAME`` with options from a pydantic model."""

    name: str
    skill: str
    summary: str
    options_model: Any  # pydantic model class, or "module:Class" imported on first use
    planner: Any  # Planner, or "module:function"
    description: str = ""
    operations: Mapping[str, Any] = field(default_factory=dict)  # op name -> Operation or "module:function"
    examples: Tuple[WorkflowExample, ...] = ()
    final_suffix: str = ""  # the result file's suffix; "" : the skill's Output.extension
    plugin: str = ""

    @property
    def options_class(self) -> type:
        if isinstance(self.options_model, str):
            from ..pluginnames import import_string

            self.options_model = import_string(self.options_model)
        return self.options_model

    def plan_for(self, options: Any) -> Plan:
        if isinstance(self.planner, str):
            from ..pluginnames import import_string

            self.planner = import_string(self.planner)
        return self.planner(options)

    def operation(self, name: str) -> Optional[Operation]:
        found = self.operations.get(name)
        if isinstance(found, str):
            from ..pluginnames import import_string

            found = import_string(found)
        return found


def step_refs(value: Any) -> List[Ref]:
    """Every Ref inside a request or args value (in dicts and lists, any depth)."""
    found: List[Ref] = []
    if isinstance(value, Ref):
        found.append(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(step_refs(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            found.extend(step_refs(item))
    return found


def depends_on(step: Step) -> Tuple[str, ...]:
    values: Sequence[Any] = (step.request,) if isinstance(step, JobStep) else (step.args,)
    names = [ref.step for ref in step_refs(values)] + list(step.after)
    return tuple(dict.fromkeys(names))
