"""What plugins register: skills, modes and models, and the registry holding them.

These are plain data records. The host reads them to build the CLI, validate
requests, choose endpoints and generate manifests, without ever naming a mode.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .workflows.spec import Workflow


class RegistrationWarning(UserWarning):
    """A registration was accepted with a caveat (duplicate model, unknown mode)."""


def __getattr__(name: str) -> Any:
    # UnknownModelWarning lives in validation (which warns it); importable from here too, without
    # this module importing validation until asked (registry must stay below validation and plugins).
    if name == "UnknownModelWarning":
        from .validation import UnknownModelWarning

        return UnknownModelWarning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ResultFinder = Callable[[Mapping[str, Any]], List[str]]


@dataclass(frozen=True)
class Output:
    """What a job yields and how the host speaks of it: declared by the skill, overridable per mode.

    The host names no product: messages, file names, billing wording and the
    shape of results all come from here.
    """

    noun: str = "result"  # in messages: "Result saved: ...", "1 result"
    plural: str = ""  # default: noun + "s"
    extension: str = ".bin"  # saved files are {stem}{extension}, {stem}_1{extension}, ...
    stem: str = ""  # default file stem; default: the noun
    billing: str = ""  # how jobs are billed, said before paying and in manifests ("" says nothing)
    asynchronous: bool = True  # submit, poll, download; False: the answer itself carries the results
    # final answer's "output" -> result URLs in order; None: the host's default finder (tasks.result_urls)
    result_urls: Optional[ResultFinder] = None
    # the first result's URL and file also appear under these keys of the result JSON (compatibility)
    url_key: str = ""
    path_key: str = ""
    moving: bool = False  # results play over time: --preview writes a contact sheet of their frames

    @property
    def nouns(self) -> str:
        return self.plural or f"{self.noun}s"

    @property
    def file_stem(self) -> str:
        return self.stem or self.noun


@dataclass(frozen=True)
class Skill:
    """A group of modes that an agent sees as one skill (one SKILL.md, one CLI)."""

    name: str
    domain: str
    description: str
    output_dir: str = ""
    cli_name: Optional[str] = None
    title: str = ""
    docs: Mapping[str, str] = field(default_factory=dict)
    output: Output = field(default_factory=Output)

    @property
    def default_output_dir(self) -> str:
        return self.output_dir or f"output/{self.name}/"


@dataclass(frozen=True)
class ModelSpec:
    """One model of a mode's catalog. Plugins subclass it to carry their own limits.

    ``describe()`` returns human-readable limits for help text and manifests.
    ``host`` says where the service offers the model: ``"default"`` (the
    region's shared host) or ``"workspace"`` (only on workspace hosts, see
    QWEN_WORKSPACE_ID). ``endpoint`` overrides the mode's endpoint for this model.
    ``concurrency`` and ``submits_per_second`` are the service's documented per-account
    limits (tasks running at once, submits per second); batches pace themselves by them
    (None: not documented, a cautious default applies).
    """

    id: str
    summary: str = ""
    recommended: bool = False
    host: str = "default"
    endpoint: str = ""  # the path this model is called on, when it differs from its mode's endpoint
    concurrency: Optional[int] = None  # tasks of this model one account runs at once
    submits_per_second: Optional[float] = None  # submits of this model one account may make per second

    def describe(self) -> Dict[str, str]:
        return {}


@dataclass(frozen=True)
class DetectionRule:
    """When a raw request belongs to a mode: any of ``keys`` present, or ``predicate`` true.

    Among matching modes of one skill the highest ``priority`` wins. A rule with
    no keys and no predicate is a fallback that always matches.
    """

    keys: Tuple[str, ...] = ()
    priority: int = 0
    predicate: Optional[Callable[[Mapping[str, Any]], bool]] = None

    def matches(self, request: Mapping[str, Any]) -> bool:
        if self.predicate is not None:
            return bool(self.predicate(request))
        if not self.keys:
            return True
        return any(request.get(key) not in (None, "", []) for key in self.keys)

    @property
    def is_fallback(self) -> bool:
        """Matches any request: the mode for requests no other mode of its skill claims."""
        return self.predicate is None and not self.keys

    def describe(self) -> str:
        if self.predicate is not None:
            return "custom rule"
        if not self.keys:
            return "fallback when no other mode matches"
        return "request has " + " or ".join(f"`{key}`" for key in self.keys)


@dataclass(frozen=True)
class Example:
    """A worked request, validated in tests and shown in manifests."""

    title: str
    request: Mapping[str, Any]
    model: Optional[str] = None
    description: str = ""


PayloadBuilder = Callable[["BaseModel", str], Dict[str, Any]]


@dataclass(frozen=True)
class PixelBounds:
    """Each side from ``min_side`` to ``max_side`` pixels; long side at most ``max_aspect`` times the short."""

    min_side: int
    max_side: int
    max_aspect: Optional[float] = None

    def problem(self, width: int, height: int) -> str:
        """Why a width x height picture is refused ('' when it fits)."""
        if min(width, height) < self.min_side or max(width, height) > self.max_side:
            return f"is {width}x{height} pixels"
        if self.max_aspect and max(width, height) > self.max_aspect * min(width, height):
            return f"is {width}x{height} pixels, more elongated than 1:{self.max_aspect:g}"
        return ""

    def describe(self) -> str:
        shape = f", aspect 1:{self.max_aspect:g} to {self.max_aspect:g}:1" if self.max_aspect else ""
        return f"each side {self.min_side}-{self.max_side} px{shape}"


@dataclass
class Mode:
    """One way of calling the service: endpoint, request shape, models and rules."""

    name: str
    skill: str
    summary: str
    endpoint: str
    default_model: str
    # The pydantic model class, or "module:Class" so it is imported only when a request is
    # validated or documented (listing modes then never imports pydantic).
    request_model: Any
    build_payload: PayloadBuilder
    models: List[ModelSpec] = field(default_factory=list)
    detection: DetectionRule = field(default_factory=DetectionRule)
    file_fields: Tuple[str, ...] = ()
    # field -> allowed file suffixes (".png", ...) and field -> size limit in MB, checked before any upload
    file_types: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    file_max_mb: Mapping[str, float] = field(default_factory=dict)
    # field -> (shortest, longest) playing time in seconds for local media (None: no bound)
    file_seconds: Mapping[str, Tuple[Optional[float], Optional[float]]] = field(default_factory=dict)
    # field -> {MIME top-level type ("image", ...): PixelBounds}: picture size and shape of local files and
    # inline data, by the media's type as told from its content
    file_pixels: Mapping[str, Mapping[str, PixelBounds]] = field(default_factory=dict)
    # file fields that take an inline ``data:{mime};base64,...`` value (checked: base64, MIME type, size);
    # a data: URL in any other file field is refused. None: not declared, any file field may take one.
    data_url_fields: Optional[Tuple[str, ...]] = None
    examples: Tuple[Example, ...] = ()
    notes: Tuple[str, ...] = ()
    plugin: str = ""
    # (validated request, model id) -> what the job will be billed for, e.g. "720P, 5 s, with sound";
    # shown after the model on the "Mode: ... | Model: ..." line. None: nothing is said.
    billing: Optional[Callable[[Any, str], str]] = None
    # (validated request, model id) -> the billed amounts per unit, e.g. {"s at 720P": 5} or {"images": 4}, summed by
    # workflow and batch plans before anything is paid. None (or a missing unit): not counted.
    billed: Optional[Callable[[Any, str], Mapping[str, float]]] = None
    # (validated request, model id) -> seconds such a job usually takes from submit to end: the prior that
    # adaptive waiting starts from on a fresh machine (its own history replaces it). None: a neutral default.
    expected_seconds: Optional[Callable[[Any, str], Optional[float]]] = None
    # raw request -> the model it needs when the user names none (None: the default model)
    pick_model: Optional[Callable[[Mapping[str, Any]], Optional[str]]] = None
    # what this mode's jobs yield, when it differs from its skill's (see Registry.output_of)
    output: Optional[Output] = None

    @property
    def request_class(self) -> type:
        """The request model class, imported on first use when registered as "module:Class"."""
        if isinstance(self.request_model, str):
            from .pluginnames import import_string

            self.request_model = import_string(self.request_model)
        return self.request_model

    def model(self, model_id: str) -> Optional[ModelSpec]:
        for spec in self.models:
            if spec.id == model_id:
                return spec
        return None

    @property
    def model_ids(self) -> List[str]:
        return [spec.id for spec in self.models]

    def validate(self, request: Mapping[str, Any], model_id: Optional[str] = None) -> BaseModel:
        """Validate a raw request for ``model_id`` (default model when None); raise InvalidRequestError."""
        from .validation import validate_request

        return validate_request(self, request, model_id)

    def payload(self, request: BaseModel, model_id: Optional[str] = None) -> Dict[str, Any]:
        return self.build_payload(request, model_id or self.default_model)

    def billing_summary(self, request: BaseModel, model_id: str) -> str:
        """The plugin's billing text for this job ('' when it gives none or its callable fails)."""
        if self.billing is None:
            return ""
        try:
            return str(self.billing(request, model_id) or "")
        except Exception:  # a plugin's summary must never stop a job
            return ""

    def expected_time(self, request: BaseModel, model_id: str) -> Optional[float]:
        """The plugin's expected seconds for this job (None when it gives none or its callable fails)."""
        if self.expected_seconds is None:
            return None
        try:
            value = self.expected_seconds(request, model_id)
            return float(value) if value else None
        except Exception:  # a plugin's estimate must never stop a job
            return None

    def billed_amounts(self, request: BaseModel, model_id: str) -> Dict[str, float]:
        """The plugin's billed amounts for this job ({} when it gives none or its callable fails)."""
        if self.billed is None:
            return {}
        try:
            return {str(unit): float(amount) for unit, amount in (self.billed(request, model_id) or {}).items()}
        except Exception:  # a plugin's estimate must never stop a job
            return {}


class Registry:
    """Everything the loaded plugins registered, in registration order."""

    def __init__(self) -> None:
        self.skills: Dict[str, Skill] = {}
        self.modes: Dict[str, Mode] = {}
        self.workflows: Dict[str, Workflow] = {}
        self.plugin_contributions: Dict[str, List[str]] = {}

    # -- registration callbacks ------------------------------------------------
    def add_skill(self, skill: Skill, plugin: str = "") -> None:
        """Register a skill; another skill's domain (its CLI group, its output folder) is refused."""
        for other in self.skills.values():
            if other.domain == skill.domain and other.name != skill.name:
                owner = next((name for name, items in self.plugin_contributions.items()
                              if f"skill:{other.name}" in items), "")
                raise ValueError(f"skill {skill.name!r} uses domain {skill.domain!r}, which skill {other.name!r} "
                                 f"(plugin {owner!r}) already has: each skill needs its own domain")
        if skill.name in self.skills:
            warnings.warn(
                f"skill {skill.name!r} registered again by plugin {plugin!r}; the later one wins",
                RegistrationWarning,
                stacklevel=2,
            )
        self.skills[skill.name] = skill
        self.plugin_contributions.setdefault(plugin, []).append(f"skill:{skill.name}")

    def add_mode(self, mode: Mode, plugin: str = "") -> None:
        if mode.name in self.modes:
            raise ValueError(
                f"mode {mode.name!r} is already registered by plugin {self.modes[mode.name].plugin!r}"
            )
        # A copy: later register_models calls must not leak into the plugin's own object.
        mode = dataclasses.replace(mode, plugin=plugin, models=list(mode.models))
        self.modes[mode.name] = mode
        self.plugin_contributions.setdefault(plugin, []).append(f"mode:{mode.name}")

    def add_model(self, mode_name: str, spec: ModelSpec, plugin: str = "") -> None:
        mode = self.modes.get(mode_name)
        if mode is None:
            raise ValueError(
                f"cannot add model {spec.id!r}: no mode {mode_name!r} is registered "
                f"(registered modes: {', '.join(self.modes) or 'none'})"
            )
        existing = mode.model(spec.id)
        if existing is not None:
            warnings.warn(
                f"model {spec.id!r} of mode {mode_name!r} replaced by plugin {plugin!r}",
                RegistrationWarning,
                stacklevel=2,
            )
            mode.models[mode.models.index(existing)] = spec
        else:
            mode.models.append(spec)
        self.plugin_contributions.setdefault(plugin, []).append(f"model:{mode_name}/{spec.id}")

    def add_workflow(self, workflow: Workflow, plugin: str = "") -> None:
        """Register a workflow; its name is unique within its skill."""
        from .workflows.spec import WORKFLOW_NAME_CHARS

        if not workflow.name or not set(workflow.name) <= WORKFLOW_NAME_CHARS:
            raise ValueError(f"workflow name {workflow.name!r}: use lower-case letters, digits and dashes")
        key = f"{workflow.skill}/{workflow.name}"
        if key in self.workflows:
            raise ValueError(f"workflow {workflow.name!r} of skill {workflow.skill!r} is already registered "
                             f"by plugin {self.workflows[key].plugin!r}")
        self.workflows[key] = dataclasses.replace(workflow, plugin=plugin)
        self.plugin_contributions.setdefault(plugin, []).append(f"workflow:{key}")

    def workflows_of(self, skill: Optional[str] = None) -> List[Workflow]:
        """The workflows of a loaded skill (all of them when ``skill`` is None), in registration order."""
        return [flow for flow in self.workflows.values()
                if (skill is None or flow.skill == skill) and flow.skill in self.skills]

    def workflow(self, name: str, skill: Optional[str] = None) -> Workflow:
        from .errors import FieldIssue, invalid

        candidates = self.workflows_of(skill)
        found = [flow for flow in candidates if flow.name == name]
        if len(found) == 1:
            return found[0]
        allowed = ", ".join(sorted(flow.name for flow in candidates)) or "none registered"
        problem = "is a workflow of several skills: run it from its skill's command" if found else "unknown workflow"
        raise invalid([FieldIssue("workflow", name, problem, allowed, "pick one of the allowed workflows")])

    def remove_plugin(self, plugin: str) -> None:
        """Undo everything ``plugin`` registered (it failed part-way: keep no half-registration)."""
        for item in self.plugin_contributions.pop(plugin, []):
            kind, _, name = item.partition(":")
            if kind == "skill":
                self.skills.pop(name, None)
            elif kind == "mode":
                self.modes.pop(name, None)
            elif kind == "workflow":
                self.workflows.pop(name, None)
            elif kind == "model":
                mode_name, _, model_id = name.partition("/")
                mode = self.modes.get(mode_name)
                if mode is not None:
                    mode.models = [spec for spec in mode.models if spec.id != model_id]

    # -- queries -----------------------------------------------------------------
    def skill(self, name: str) -> Skill:
        try:
            return self.skills[name]
        except KeyError:
            import os

            from .errors import ConfigError

            restricted = os.environ.get("QWEN_SKILLS_PLUGINS")
            why = f" QWEN_SKILLS_PLUGINS={restricted!r} may exclude its plugins;" if restricted else ""
            raise ConfigError(
                f"The skill {name!r} is not loaded (loaded: {', '.join(self.skills) or 'none'}).{why} "
                "Fix: install the package that provides it, or widen QWEN_SKILLS_PLUGINS "
                "(`qwencloud-skills plugins` lists what is loaded)."
            ) from None

    def modes_of(self, skill: str) -> List[Mode]:
        return [mode for mode in self.modes.values() if mode.skill == skill]

    def output_of(self, mode: Optional[Mode] = None, skill: Optional[str] = None) -> Output:
        """What a mode's jobs yield: its own declaration, else its skill's, else the neutral default."""
        if mode is not None and mode.output is not None:
            return mode.output
        owner = self.skills.get(mode.skill if mode is not None else skill or "")
        return owner.output if owner is not None else Output()

    def mode(self, name: str, skill: Optional[str] = None) -> Mode:
        from .errors import FieldIssue, invalid

        candidates = self._candidates(skill)
        for mode in candidates:
            if mode.name == name:
                return mode
        allowed = ", ".join(m.name for m in candidates) or "none registered"
        raise invalid([FieldIssue("mode", name, "unknown mode", allowed, "pick one of the allowed modes")])

    def detect_mode(self, request: Mapping[str, Any], skill: Optional[str] = None) -> Mode:
        """Pick the mode a raw request belongs to, from the plugins' detection rules."""
        from .errors import FieldIssue, invalid

        candidates = self._candidates(skill)
        matching = [m for m in candidates if m.detection.matches(request)]
        if skill is None:  # a mode that claims the request beats every skill's fallback
            matching = [m for m in matching if not m.detection.is_fallback] or matching
        skills = sorted({m.skill for m in matching})
        if skill is None and len(skills) > 1:  # never let one skill's fallback take another skill's request
            raise invalid([FieldIssue(
                "skill", None, f"the request fits modes of several skills ({', '.join(skills)})",
                ", ".join(skills), "name the skill: run its own command, or TaskClient(skill=...)",
            )])
        if not matching:
            raise invalid(
                [
                    FieldIssue(
                        "mode",
                        None,
                        "no mode matches this request",
                        ", ".join(m.name for m in candidates),
                        "pass --mode explicitly",
                    )
                ]
            )
        best = max(m.detection.priority for m in matching)
        winners = [m for m in matching if m.detection.priority == best]
        if len(winners) > 1:
            raise invalid(
                [
                    FieldIssue(
                        "mode",
                        None,
                        "the request matches several modes equally",
                        ", ".join(m.name for m in winners),
                        "pass --mode explicitly",
                    )
                ]
            )
        return winners[0]

    def _candidates(self, skill: Optional[str]) -> List[Mode]:
        """The modes to choose from; a skill that is not loaded, or has no modes, is a set-up problem."""
        if not skill:
            return list(self.modes.values())
        self.skill(skill)  # ConfigError naming QWEN_SKILLS_PLUGINS when the skill itself is missing
        modes = self.modes_of(skill)
        if not modes:
            import os

            from .errors import ConfigError

            restricted = os.environ.get("QWEN_SKILLS_PLUGINS")
            why = f" QWEN_SKILLS_PLUGINS={restricted!r} may exclude its mode plugins." if restricted else ""
            raise ConfigError(f"The skill {skill!r} is loaded but has no modes.{why} "
                              "Fix: widen QWEN_SKILLS_PLUGINS (`qwencloud-skills plugins` lists what is loaded).")
        return modes

    def detection_table(self, skill: Optional[str] = None) -> List[Tuple[str, str, int]]:
        candidates = self.modes_of(skill) if skill else list(self.modes.values())
        rows = [(m.name, m.detection.describe(), m.detection.priority) for m in candidates]
        return sorted(rows, key=lambda row: -row[2])


def iter_request_files(mode: Mode, request: Mapping[str, Any]) -> Sequence[Tuple[str, Optional[int], str]]:
    """Every (field, list index or None, value) in a mode's file fields."""
    found: List[Tuple[str, Optional[int], str]] = []
    for name in mode.file_fields:
        value = request.get(name)
        if isinstance(value, str):
            found.append((name, None, value))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    found.append((name, index, item))
    return found
