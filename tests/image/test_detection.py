"""Which of the three image modes a raw request belongs to (the model counts, as --model does in the CLI)."""

from __future__ import annotations

import pytest

from qwencloud_skills.errors import InvalidRequestError

from .util import IMG, SKILL, mode, registry


def detect(data: dict) -> str:
    return registry().detect_mode(data, skill=SKILL).name


@pytest.mark.parametrize("data, expected", [
    ({"prompt": "A fox"}, "t2i"),
    ({"prompt": "A fox", "model": "wan2.7-image"}, "t2i"),
    ({"prompt": "A fox", "model": "qwen-image-plus", "size": "1664*928"}, "t2i"),
    ({"prompt": "A fox", "reference_images": []}, "t2i"),  # an empty list is no input image
    ({"prompt": "Restyle", "reference_images": [IMG]}, "image-edit"),
    ({"prompt": "Restyle", "reference_images": [IMG], "model": "wan2.7-image"}, "image-edit"),
    ({"prompt": "Restyle", "reference_images": [IMG], "model": "qwen-image-edit-max"}, "image-edit"),
    ({"prompt": "Restyle", "reference_image": IMG}, "image-edit"),
    ({"prompt": "Restyle", "images": [IMG]}, "image-edit"),
    ({"prompt": "Restyle", "reference_images": [IMG], "model": "wan2.5-i2i-preview"}, "i2i"),
    ({"prompt": "Restyle", "model": "wan2.5-i2i-preview"}, "i2i"),  # then refused for its missing images
    ({"prompt": "Restyle", "images": [IMG], "model": "wan2.6-i2i-next"}, "i2i"),
])
def test_detection(data, expected):
    assert detect(data) == expected


def test_priorities_put_the_model_rule_first_and_t2i_last():
    table = registry().detection_table(SKILL)
    assert [row[0] for row in table] == ["i2i", "image-edit", "t2i"]
    assert "wan2.5-i2i-preview" in table[0][1] and "reference_images" in table[1][1]
    assert table[2][1] == "fallback when no other mode matches"


def test_a_model_of_another_mode_is_refused_naming_its_mode():
    with pytest.raises(InvalidRequestError) as caught:
        mode("t2i").validate({"prompt": "A fox"}, "qwen-image-edit-plus")
    assert "belongs to mode image-edit" in str(caught.value)
    with pytest.raises(InvalidRequestError) as caught:
        mode("image-edit").validate({"prompt": "x", "reference_images": [IMG]}, "wan2.6-t2i")
    assert "belongs to mode t2i" in str(caught.value)
