"""Turn a raw request into a mode's validated request model, or a clear local error.

Pydantic does the checking; this module only chooses the model context and
rewrites pydantic's errors into messages that name the field, the value,
what is allowed and how to fix it (with did-you-mean for unknown fields).

It imports only ``errors``: the registry calls it (``Mode.validate``) and the
plugin host tells it where the loaded modes are (:func:`set_mode_source`), so
``errors <- validation <- registry <- plugins`` has no cycle.
"""

from __future__ import annotations

import collections.abc
import math
import re
import typing
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from .errors import FieldIssue, FieldProblem, invalid

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import BaseModel

    from .registry import Mode

# Keys a raw request may carry that are not request fields.
CONTROL_KEYS = ("model",)
# Objects and lists inside one another: requests need a few levels; thousands crash parsers.
MAX_DEPTH = 32
MAX_INTEGER = 2**53  # beyond it JSON numbers lose precision in most parsers
_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, always a lone half of a pair: not encodable text


class UnknownModelWarning(UserWarning):
    """A model id that no plugin describes; only the mode's general rules apply."""


# skill name -> its loaded modes; set by the plugin host (validation must not import it: a cycle)
ModeSource = Callable[[str], Sequence["Mode"]]
_mode_source: Optional[ModeSource] = None


def set_mode_source(source: Optional[ModeSource]) -> None:
    """Tell validation where a skill's other modes are (they explain a mistaken field or model)."""
    global _mode_source
    _mode_source = source

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
    """The model named (argument, then the request's "model"), else the one the mode picks for it."""
    picked = mode.pick_model(request) if mode.pick_model is not None and isinstance(request, Mapping) else None
    return model_id or request.get("model") or picked or mode.default_model


def validate_request(mode: Mode, request: Mapping[str, Any], model_id: Optional[str] = None) -> BaseModel:
    from pydantic import ValidationError

    if not isinstance(request, Mapping):
        raise invalid([FieldIssue("request", request, "must be a JSON object", "{...}", "pass a JSON object")])
    model_id = resolve_model_id(mode, request, model_id)
    if not isinstance(model_id, str) or not model_id.strip():
        raise invalid([FieldIssue("model", model_id, "must be a model id (text)", ", ".join(mode.model_ids),
                                  f'e.g. "model": "{mode.default_model}", or leave it out for the default')])
    raw_issues = raw_value_problems({**request, "model": model_id})
    if raw_issues:
        raise invalid(raw_issues, header=f"Invalid {mode.name} request")
    data = {key: value for key, value in request.items() if key not in CONTROL_KEYS}
    number_issues = bool_number_problems(mode.request_class, data)
    if number_issues:
        raise invalid(number_issues, header=f"Invalid {mode.name} request for model {model_id}")
    spec = mode.model(model_id)
    if spec is None:
        _check_unknown_model(mode, model_id)
    context = {"model": spec, "model_id": model_id, "mode": mode.name}
    try:
        return mode.request_class.model_validate(data, context=context)
    except ValidationError as exc:
        raise invalid(
            _issues_from(exc, mode, data),
            header=f"Invalid {mode.name} request for model {model_id}",
        ) from None


def validate_model(model_class: type, data: Mapping[str, Any], owner: str) -> BaseModel:
    """Validate ``data`` against any pydantic model (a workflow's options, say) with the same clear
    messages as requests: raw-value checks, true/false for numbers, did-you-mean for unknown fields."""
    import difflib

    from pydantic import ValidationError

    raw_issues = raw_value_problems(data)
    if raw_issues:
        raise invalid(raw_issues, header=f"Invalid {owner} options")
    number_issues = bool_number_problems(model_class, data)
    if number_issues:
        raise invalid(number_issues, header=f"Invalid {owner} options")
    fields = _field_names(model_class)

    def unknown_fix(field: str) -> str:
        guess = difflib.get_close_matches(field, fields, n=1, cutoff=0.6)
        return f"did you mean {guess[0]!r}?" if guess else "remove it"

    try:
        return model_class.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid(issues_from_errors(exc, fields, owner, unknown_fix), header=f"Invalid {owner} options") from None


def _path(parent: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def raw_value_problems(request: Mapping[str, Any], max_depth: int = MAX_DEPTH) -> List[FieldIssue]:
    """What no field of any mode can take, found anywhere in a raw request (keys too), without recursion:
    NUL characters, text that is not valid Unicode, NaN, infinite or huge numbers, absurd nesting."""
    issues: List[FieldIssue] = []
    stack: List[Tuple[str, Any, int]] = [("", request, 0)]
    while stack:
        where, value, depth = stack.pop()
        if isinstance(value, (Mapping, list, tuple)):
            if depth >= max_depth:
                issues.append(FieldIssue(where or "request", None, f"nested more than {max_depth} levels deep",
                                         f"at most {max_depth} levels of objects and lists",
                                         "flatten it; requests are a few levels deep at most"))
                continue
            items = value.items() if isinstance(value, Mapping) else enumerate(value)
            for key, item in items:
                path = _path(where, key)
                if isinstance(key, str) and _text_problem(key):
                    issues.append(_text_issue(path, key, "field name"))
                stack.append((path, item, depth + 1))
        elif isinstance(value, str) and _text_problem(value):
            issues.append(_text_issue(where, value, "value"))
        elif isinstance(value, float) and not math.isfinite(value):
            issues.append(FieldIssue(where, str(value), "not a finite number", "a number such as 1.5",
                                     "give a real number (NaN and Infinity are not accepted)"))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            issues.append(FieldIssue(where, value, "too large a number to send", f"at most {MAX_INTEGER} either way",
                                     "give a smaller number"))
    return sorted(issues, key=lambda issue: issue.field)


def _text_problem(text: str) -> Optional[str]:
    if "\x00" in text:
        return "nul"
    if not text.isascii() and _SURROGATE.search(text):
        return "surrogate"
    return None


def _text_issue(where: str, text: str, what: str) -> FieldIssue:
    if _text_problem(text) == "nul":
        return FieldIssue(where, text, f"the {what} contains a NUL character (\\u0000)", "text without NUL characters",
                          "remove the NUL characters (they come from binary data or a broken copy and paste)")
    return FieldIssue(where, ascii(text), f"the {what} is not valid Unicode text (a lone surrogate)",
                      "UTF-8 text", "fix the text's encoding (a \\ud800-\\udfff escape must be part of a pair)")


def bool_number_problems(request_model: type, data: Mapping[str, Any]) -> List[FieldIssue]:
    """true/false where a field takes a number: pydantic's lax mode would read it as 1/0."""
    issues: List[FieldIssue] = []
    fields = {info.alias or name: info for name, info in request_model.model_fields.items()}
    for key, value in data.items():
        info = fields.get(key)
        if info is not None:
            issues += _bools_in(key, info.annotation, value)
    return issues


def _bools_in(where: str, annotation: Any, value: Any, depth: int = 0) -> List[FieldIssue]:
    if depth > 8 or value is None:
        return []
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _bools_in(where, args[0], value, depth + 1)
    if origin is typing.Union:
        options = [arg for arg in args if arg is not type(None)]
        if len(options) == 1:
            return _bools_in(where, options[0], value, depth + 1)
        if isinstance(value, bool) and options and all(arg in (int, float) for arg in options):
            return [_bool_issue(where, value, float)]
        return []
    if annotation in (int, float):
        return [_bool_issue(where, value, annotation)] if isinstance(value, bool) else []
    if origin in (list, tuple, set, frozenset, collections.abc.Sequence) and isinstance(value, (list, tuple)):
        item = args[0] if args else Any
        return [issue for index, element in enumerate(value) for issue in _bools_in(f"{where}[{index}]", item, element,
                                                                                    depth + 1)]
    if origin in (dict, collections.abc.Mapping) and isinstance(value, Mapping) and len(args) == 2:
        return [issue for key, element in value.items() for issue in _bools_in(_path(where, key), args[1], element,
                                                                               depth + 1)]
    return []


def _bool_issue(where: str, value: bool, kind: type) -> FieldIssue:
    allowed, _ = TYPE_HINTS["int_type" if kind is int else "float_type"]
    return FieldIssue(where, value, f"{str(value).lower()} is not a number", allowed,
                      "write the number itself without quotes, e.g. 5 (true and false are not numbers)")


def _sibling_modes(mode: Mode) -> List[Mode]:
    """The other modes of the same skill (their catalogs and fields explain many mistakes)."""
    if _mode_source is None:
        return []
    try:
        return [other for other in _mode_source(mode.skill) if other.name != mode.name]
    except Exception:  # validation must work for a mode outside the loaded registry too
        return []


def _check_unknown_model(mode: Mode, model_id: str) -> None:
    """A model of another mode is a mistake (exit 3); a model nobody knows is only a warning."""
    import difflib

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
    import difflib

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
    return issues_from_errors(exc, fields, mode.name, lambda field: _unknown_field_fix(mode, field, fields))


def issues_from_errors(exc: Any, fields: List[str], owner: str,
                       unknown_fix: Callable[[str], str]) -> List[FieldIssue]:
    """pydantic's errors as FieldIssues (field, value, problem, allowed, fix) for any validated model."""
    issues: List[FieldIssue] = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error.get("loc", ())]
        name = ".".join(loc) or "request"
        value = error.get("input")
        kind = error.get("type", "")
        ctx: Dict[str, Any] = error.get("ctx") or {}
        if kind == "extra_forbidden":
            issues.append(FieldIssue(name, value, f"unknown field for {owner}", ", ".join(sorted(fields)),
                                     unknown_fix(loc[-1] if loc else name)))
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
