"""Type mistakes get the same treatment as rule breaks: field, value, what is allowed, how to fix."""

from __future__ import annotations

import pytest

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.plugins import get_registry


@pytest.mark.parametrize("field, value, allowed", [
    ("duration", "five", "a whole number"),
    ("seed", 1.5, "a whole number"),
    ("prompt_extend", "maybe", "true or false"),
    ("prompt", 5, "text"),
    ("extra_input", [1], "a JSON object"),
])
def test_type_errors_say_what_is_allowed_and_how_to_fix(field: str, value, allowed: str) -> None:
    mode = get_registry().modes["t2v"]
    request = {"prompt": "a cat", field: value}
    with pytest.raises(InvalidRequestError) as info:
        mode.validate(request)
    issue = next(i for i in info.value.issues if i.field == field)
    assert issue.value == value and issue.allowed == allowed and issue.fix
    assert f"{field}=" in str(info.value)


def test_list_fields_explain_lists() -> None:
    mode = get_registry().modes["r2v"]
    with pytest.raises(InvalidRequestError) as info:
        mode.validate({"prompt": "character1", "reference_urls": "https://e/a.png"})
    issue = next(i for i in info.value.issues if i.field == "reference_urls")
    assert issue.allowed == "a JSON list" and "[" in issue.fix
