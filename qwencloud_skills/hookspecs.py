"""The plugin contract: every hook a qwencloud-skills plugin may implement.

Plugins are plain modules (or objects) listed under the ``qwencloud_skills``
entry-point group. They decorate functions with :data:`qwencloud_skills.hookimpl`
and are called once, at start-up, to register what they contribute. The host
never names a skill or a mode itself: everything it knows arrives through
these hooks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    import click

    from .emulator.service import Service
    from .registry import Mode, ModelSpec, Skill
    from .workflows.spec import Workflow

PROJECT_NAME = "qwencloud_skills"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_skills(register: Callable[[Skill], None]) -> None:
    """Register skills: named groups of modes sharing an output folder and a manifest.

    Call ``register(Skill(...))`` once per skill. A skill becomes a generated
    command group (``qwencloud-skills <skill> ...``) and an Agent Skills
    directory under ``skills/<domain>/<name>/``.
    """


@hookspec
def register_modes(register: Callable[[Mode], None]) -> None:
    """Register modes: one way of calling the service (an endpoint plus a request shape).

    Call ``register(Mode(...))`` once per mode. The mode names its owning skill,
    which may come from another plugin. A mode carries its endpoint, default
    model, model catalog, request model (the validator), detection rule, file
    fields, payload builder and examples.
    """


@hookspec
def register_models(register: Callable[[str, ModelSpec], None]) -> None:
    """Add models to a mode that may be owned by another plugin.

    Call ``register("mode-name", ModelSpec(...))``. Called after every mode is
    registered, so a plugin can ship a new model (with its own limits) for a
    first-party mode without touching that mode's code. A model id registered
    twice replaces the earlier entry, with a warning.
    """


@hookspec
def register_workflows(register: Callable[[Workflow], None]) -> None:
    """Register workflows: named plans of jobs and local media steps, run as one command.

    Call ``register(Workflow(...))`` (from :mod:`qwencloud_skills.workflows.spec`) once per
    workflow. Its options are a pydantic model (the CLI options, ``--help`` and the manifests
    come from it, as for modes) and its planner turns validated options into a plan without
    touching the network. The host shows the plan with what it bills, runs it, records every
    step in the ledger and resumes it after an interruption.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add extra commands to the ``qwencloud-skills`` command group.

    ``cli`` is the root click group; call ``cli.add_command(...)`` or use
    ``@cli.command()``. Only called when the CLI is being built, so plugins
    doing heavy imports here do not slow the library path.
    """


@hookspec
def register_emulator_services(register: Callable[[Service], None]) -> None:
    """Teach the local emulator a skill's service: what it accepts and what it yields.

    Call ``register(Service(...))`` (from :mod:`qwencloud_skills.emulator.service`) once per
    service. The record names the endpoint paths it answers (with a task id, or at once for
    synchronous APIs), checks a submit body and plans the task (its result files, ``output``
    and ``usage``), and may add command-line flags and model kinds. The emulator's core
    keeps the protocol (keys, task states, uploads, faults, downloads); only the emulator
    calls this hook, so heavy imports belong inside it, not at module level.
    """
