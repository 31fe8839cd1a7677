"""A request model's fields as documentation rows: name, type, required, description.

The field descriptions of the plugins' pydantic models are the documentation,
so references/request-fields.md is read straight from them.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, List, Optional

_NAMES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", type(None): "null"}


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    description: str


def type_name(annotation: Any) -> str:
    """A short, language-neutral name for a field annotation."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union:
        names = [type_name(arg) for arg in args if arg is not type(None)]
        return " or ".join(dict.fromkeys(names)) or "null"
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(arg) for arg in args)
    if origin in (list, tuple, set, frozenset):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return "object"
    if annotation in _NAMES:
        return _NAMES[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _choices(info: Any) -> Optional[List[str]]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    enum = extra.get("enum")
    return [str(item) for item in enum] if enum else None


def field_rows(request_model: type) -> List[FieldRow]:
    """Rows for every field of a pydantic request model: required first, then the model's own, then inherited."""
    fields = list(getattr(request_model, "model_fields", {}).items())
    own = set(vars(request_model).get("__annotations__", {}))
    fields.sort(key=lambda item: (not item[1].is_required(), item[0] not in own))
    rows = []
    for name, info in fields:
        kind = type_name(info.annotation)
        choices = _choices(info)
        if choices:
            kind += " (" + ", ".join(choices) + ")"
        rows.append(FieldRow(info.alias or name, kind, info.is_required(), info.description or ""))
    return rows
