"""Turn a raw request into a mode's validated request model, or a clear local error.

Pydantic does the checking; this module only chooses the model context and
rewrites pydantic's errors into messages that name the field, the value,
what is allowed and how to fix it (with did-you-mean for unknown fields).
"""

from __future__ import annotations

import difflib
import warnings
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple

from .errors import FieldIssue, FieldProblem, invalid
from .registry import UnknownModelWarning

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .registry import Mode

# Keys a raw request may carry that are not request fields.
CONTROL_KEYS = ("model",)

# pydantic's type errors, said for people: (what is allowed, how to fix it).
_WHOLE = ("a whole number", "write it as a number without quotes, e.g. 5")
_NUMBER = ("a number", "write it as a number without quotes, e.g. 1.5")
_BOOL = ("true or false", "write true or false without quotes")
TYPE_HINTS = {
    "int_type": _WHOLE, "int_parsing": _WHOLE, "int_from_float": _WHOLE,
    "float_type": _NUMBER, "float_parsing": _NUMBER,
    "bool_type": _BOOL, "bool_parsing": _BOOL,
    "string_type": ("text", "put the value in double quotes"),
    "list_type": ("a JSON list", 'wrap the values in [...], e.g. ["a.png", "b.png"]'),
    "dict_type": ("a JSON object", 'wrap the keys in {...}, e.g. {"key": 1}'),
}


def _type_hint(kind: str) -> Optional[Tuple[str, str]]:
    """(allowed, fix) for a pydantic type error such as int_parsing (not for length or pattern errors)."""
    return TYPE_HINTS.get(kind)


def resolve_model_id(mode: Mode, request: Mapping[str, Any], model_id: Optional[str]) -> str:
    return model_id or request.get("model") or mode.default_model


def validate_request(mode: Mode, request: Mapping[str, Any], model_id: Optional[str] = None) -> BaseModel:
    from pydantic import ValidationError

    if not isinstance(request, Mapping):
        raise invalid([FieldIssue("request", request, "must be a JSON object", "{...}", "pass a JSON object")])
    model_id = resolve_model_id(mode, request, model_id)
    if not isinstance(model_id, str) or not model_id.strip():
        raise invalid([FieldIssue("model", model_id, "must be a model id (text)", ", ".join(mode.model_ids),
                                  f'e.g. "model": "{mode.default_model}", or leave it out for the default')])
    spec = mode.model(model_id)
    if spec is None:
        _check_unknown_model(mode, model_id)
    data = {key: value for key, value in request.items() if key not in CONTROL_KEYS}
    context = {"model": spec, "model_id": model_id, "mode": mode.name}
    try:
        return mode.request_class.model_validate(data, context=context)
    except ValidationError as exc:
        raise invalid(
            _issues_from(exc, mode, data),
            header=f"Invalid {mode.name} request for model {model_id}",
        ) from None


def _sibling_modes(mode: Mode) -> List[Mode]:
    """The other modes of the same skill (their catalogs and fields explain many mistakes)."""
    try:
        from .plugins import get_registry

        return [other for other in get_registry().modes_of(mode.skill) if other.name != mode.name]
    except Exception:  # validation must work for a mode outside the loaded registry too
        return []


def _check_unknown_model(mode: Mode, model_id: str) -> None:
    """A model of another mode is a mistake (exit 3); a model nobody knows is only a warning."""
    owners = [other.name for other in _sibling_modes(mode) if other.model(model_id) is not None]
    if owners:
        raise invalid([FieldIssue(
            "model", model_id, f"belongs to mode {owners[0]}, but this request is {mode.name}",
            ", ".join(mode.model_ids),
            f"use a {mode.name} model, or send a {owners[0]} request (its fields, or --mode {owners[0]})",
        )], header=f"Invalid {mode.name} request")
    known = mode.model_ids + [m for other in _sibling_modes(mode) for m in other.model_ids]
    close = difflib.get_close_matches(model_id, known, n=1, cutoff=0.75)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    warnings.warn(
        f"model {model_id!r} is not in the {mode.name} catalog (known: {', '.join(mode.model_ids)}){hint}. "
        "Sending it anyway (new models appear often); only the mode's general rules are checked.",
        UnknownModelWarning,
        stacklevel=4,
    )


def _unknown_field_fix(mode: Mode, field: str, fields: List[str]) -> str:
    """Did-you-mean within the mode, else the other mode the field belongs to (a misdetected request)."""
    siblings = {}
    for other in _sibling_modes(mode):
        try:
            siblings[other.name] = (other, _field_names(other.request_class))
        except Exception:  # a broken third-party mode must not break this mode's messages
            continue
    owners = [name for name, (_, names) in siblings.items() if field in names]
    if owners:
        other = siblings[owners[0]][0]
        return (f"{field!r} is a field of mode {other.name} (chosen when the {other.detection.describe()}); "
                f"give that mode's fields, or pass --mode {other.name}")
    guess = difflib.get_close_matches(field, fields, n=1, cutoff=0.6)
    if guess:
        return f"did you mean {guess[0]!r}?"
    for name, (_, names) in siblings.items():
        guess = difflib.get_close_matches(field, names, n=1, cutoff=0.6)
        if guess:
            return f"did you mean {guess[0]!r} (a field of mode {name})?"
    return "remove it (fields the catalog does not know yet go in extra_input / extra_parameters)"


def _issues_from(exc: Any, mode: Mode, data: Mapping[str, Any]) -> List[FieldIssue]:
    fields = _field_names(mode.request_class)
    issues: List[FieldIssue] = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error.get("loc", ())]
        name = ".".join(loc) or "request"
        value = error.get("input")
        kind = error.get("type", "")
        ctx: Dict[str, Any] = error.get("ctx") or {}
        if kind == "extra_forbidden":
            issues.append(FieldIssue(name, value, f"unknown field for {mode.name}", ", ".join(sorted(fields)),
                                     _unknown_field_fix(mode, loc[-1] if loc else name, fields)))
            continue
        if kind == "missing":
            issues.append(FieldIssue(name, None, "required field is missing", None, f"add {name!r}"))
            continue
        original = ctx.get("error")
        if isinstance(original, FieldProblem):
            issues.extend(original.issues)
            continue
        message = str(error.get("msg", "invalid value"))
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if not loc and isinstance(value, Mapping):
            value = None
        hint = _type_hint(kind)
        issues.append(FieldIssue(name, value, message, *(hint or (None, None))))
    return issues


def _field_names(request_model: type) -> List[str]:
    names = []
    for name, info in request_model.model_fields.items():
        names.append(info.alias or name)
    return names
