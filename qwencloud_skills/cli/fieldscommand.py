"""A command whose option flags come from a pydantic model, built on first use (mode and workflow commands).

Listing commands needs only names and summaries, so the model (and pydantic) is imported only when
the command runs or shows its own help.
"""

from __future__ import annotations

from typing import Any, List

import click


class FieldsCommand(click.Command):
    """``fields_model()`` (a pydantic class) becomes one option per field, ahead of the command's own."""

    def __init__(self, *args: Any, **kwargs: Any):
        self.field_names: List[str] = []
        self._fields_built = False
        super().__init__(*args, **kwargs)

    def fields_model(self) -> type:
        raise NotImplementedError

    @property  # type: ignore[override]
    def params(self) -> List[click.Parameter]:
        if not self._fields_built:
            from .options import field_options

            self._fields_built = True
            fields = field_options(self.fields_model())
            self.field_names = [name for name, _ in fields]
            self._params[:0] = [option for _, option in fields]
        return self._params

    @params.setter
    def params(self, value: List[click.Parameter]) -> None:
        self._params = list(value)
