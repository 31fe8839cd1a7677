"""Command groups generated from the registry: one group per skill, one command per mode."""

from __future__ import annotations

import click


def skill_group(skill_name: str) -> click.Group:
    from ..plugins import get_registry

    registry = get_registry()
    skill = registry.skill(skill_name)

    @click.group(name=skill.domain, help=skill.title or skill.description.split("\n")[0])
    def group() -> None:
        pass

    return group
