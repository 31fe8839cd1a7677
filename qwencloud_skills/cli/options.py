"""Click options built from a mode's pydantic request model.

Each field becomes ``--field-name`` with its description as help; enums become
choices, booleans become ``--x/--no-x`` pairs, lists repeat, dicts take JSON.
Nothing is required at the option level: validation (with its clear messages)
happens once, on the merged request.
"""

from __future__ import annotations

import re
import typing
from typing import Any, Dict, List, Optional, Tuple

import click


def _unwrap(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
        return str
    return annotation


def _choices(info: Any) -> Optional[List[str]]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    enum = extra.get("enum")
    if enum:
        return [str(item) for item in enum]
    annotation = _unwrap(info.annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return [str(item) for item in typing.get_args(annotation)]
    return None


class JsonObject(click.ParamType):
    name = "JSON"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, dict):
            return value
        from ..errors import InvalidRequestError
        from .request_input import parse_json

        try:
            data = parse_json(param.opts[0] if param is not None and param.opts else "JSON", value)
        except InvalidRequestError as exc:
            issue = exc.issues[0]
            self.fail(f"{value[:60]!r}: {issue.problem} (example: '{{\"key\": 1}}')", param, ctx)
        if not isinstance(data, dict):
            self.fail("expected a JSON object", param, ctx)
        return data


def field_options(request_model: type) -> List[Tuple[str, click.Option]]:
    """(field name, click option) for every field of ``request_model``."""
    options = []
    for name, info in request_model.model_fields.items():
        key = info.alias or name
        flag = "--" + key.replace("_", "-")
        annotation = _unwrap(info.annotation)
        origin = typing.get_origin(annotation)
        help_text = info.description or ""
        if info.is_required():
            help_text = "[required] " + help_text
        choices = _choices(info)
        if annotation is bool:
            option = click.Option([f"{flag}/--no-{key.replace('_', '-')}", key], default=None, help=help_text)
        elif origin in (list, List, tuple):
            item = (typing.get_args(annotation) or (str,))[0]
            option = click.Option([flag, key], multiple=True, type=_scalar(item),
                                  help=help_text + " (repeat the option, or separate values with commas)")
        elif origin in (dict, Dict) or annotation is dict:
            option = click.Option([flag, key], type=JsonObject(), default=None, help=help_text)
        elif choices:
            option = click.Option([flag, key], type=click.Choice(choices), default=None, help=help_text)
        else:
            option = click.Option([flag, key], type=_scalar(annotation), default=None, help=help_text)
        options.append((key, option))
    return options


def _scalar(annotation: Any) -> Any:
    if annotation is int:
        return click.INT
    if annotation is float:
        return click.FLOAT
    return click.STRING


def _split_items(values: Tuple[Any, ...]) -> List[Any]:
    """``--reference-urls a.png,b.png`` means two items, but only when every piece is a whole value
    on its own (a URL, or a file that exists): commas inside one URL or file name stay."""
    import os

    items: List[Any] = []
    for value in values:
        pieces = [part.strip() for part in value.split(",")] if isinstance(value, str) else []
        whole = len(pieces) > 1 and all(
            part.startswith(("http://", "https://", "oss://")) or os.path.isfile(os.path.expanduser(part))
            for part in pieces
        )
        items.extend(pieces if whole else [value])
    return items


def collect_fields(params: Dict[str, Any], names: List[str]) -> Dict[str, Any]:
    """The request fields the user actually gave on the command line."""
    given = {}
    for name in names:
        value = params.get(name)
        if value is None or value == ():
            continue
        given[name] = _split_items(value) if isinstance(value, tuple) else value
    return given


STEM_PATTERN = re.compile(r"^[^\\/:*?\"<>|\x00-\x1f]{1,100}$")


def checked_stem(value: Optional[str]) -> Optional[str]:
    """--name is a file stem: no folders, no characters file systems refuse, not hidden, not too long."""
    if value is None:
        return None
    if not STEM_PATTERN.match(value) or value.startswith(".") or value.strip() != value:
        from ..errors import FieldIssue, invalid

        raise invalid([FieldIssue("--name", value, "is not a usable file stem",
                                  "1-100 characters, no / \\ : * ? \" < > | or control characters, not starting "
                                  "with a dot or a space", "e.g. --name lighthouse (saved as lighthouse.<ext>)")])
    return value
