"""Reading a request from --request JSON or a --file: every mistake is a clear exit-3 error."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional


def load_request(request_json: Optional[str], request_file: Optional[str]) -> Dict[str, Any]:
    from ..errors import FieldIssue, invalid

    if request_json and request_file:
        raise invalid([FieldIssue("--request/--file", None, "give one of them, not both", None,
                                  "use --request JSON or --file PATH")])
    text = request_json
    source = "--request"
    if request_file:
        source = "--file"
        try:
            with open(request_file, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise invalid([FieldIssue("--file", request_file, f"cannot read it: {exc.strerror}", None,
                                      "check the path")]) from None
    if text is None:
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        fix = "quote it in single quotes in the shell: --request '{\"prompt\": \"...\"}'"
        raise invalid([FieldIssue(source, text[:60], f"not valid JSON ({exc})", "a JSON object", fix)]) from None
    if not isinstance(data, dict):
        raise invalid([FieldIssue(source, data, "must be a JSON object", "{...}", "wrap the fields in {}")])
    return data
