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


@pytest.mark.parametrize("request_, fix_part", [
    ({"prompt": "a cat", "image_url": "https://e/a.png"}, "did you mean 'img_url' (a field of mode i2v)?"),
    ({"prompt": "edit", "mask_image_url": "https://e/m.png"}, "'mask_image_url' is a field of mode vace"),
    ({"prompt": "a", "reference_urls": []}, "--mode r2v"),
    ({"prompt": "a", "promt": "b"}, "did you mean 'prompt'?"),
])
def test_unknown_fields_point_at_the_mode_they_belong_to(request_, fix_part: str) -> None:
    registry = get_registry()
    mode = registry.detect_mode(request_, skill="qwencloud-video-generation")
    with pytest.raises(InvalidRequestError) as info:
        mode.validate(request_)
    assert fix_part in str(info.value)


def test_a_model_of_another_mode_is_refused() -> None:
    mode = get_registry().modes["t2v"]
    with pytest.raises(InvalidRequestError) as info:
        mode.validate({"prompt": "a cat"}, "wan2.6-i2v-flash")
    issue = info.value.issues[0]
    assert (issue.field, issue.value) == ("model", "wan2.6-i2v-flash")
    assert "mode i2v" in issue.problem and "wan2.6-t2v" in issue.allowed


def test_a_mistyped_model_warns_with_a_suggestion_and_is_still_sent() -> None:
    from qwencloud_skills.registry import UnknownModelWarning

    mode = get_registry().modes["t2v"]
    with pytest.warns(UnknownModelWarning, match="did you mean 'wan2.6-t2v'"):
        mode.validate({"prompt": "a cat"}, "wan-2.6-t2v")


def test_a_long_prompt_suggests_only_models_the_mode_has() -> None:
    registry = get_registry()
    long_prompt = "x" * 900
    with pytest.raises(InvalidRequestError) as info:
        registry.modes["t2v"].validate({"prompt": long_prompt}, "wan2.2-t2v-plus")
    assert "wan2.6-t2v" in str(info.value) and "shorten it by 100 characters" in str(info.value)
    with pytest.raises(InvalidRequestError) as info:
        registry.modes["kf2v"].validate(
            {"prompt": long_prompt, "first_frame_url": "https://e/a.png", "last_frame_url": "https://e/b.png"}
        )
    assert "wan2.5" not in str(info.value) and "wan2.6" not in str(info.value)


def test_messages_use_json_words_not_python_ones() -> None:
    mode = get_registry().modes["t2v"]
    with pytest.raises(InvalidRequestError) as info:
        mode.validate({"prompt": "x", "shot_type": "multi", "prompt_extend": False})
    text = str(info.value)
    assert "False" not in text and "None" not in text and 'shot_type="multi"' in text
