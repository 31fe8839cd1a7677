"""Refusals: each names the field, the value given, what is allowed and the fix, before anything is sent."""

from __future__ import annotations

import pytest

from .util import IMG, accept, issue, reject, request


def test_n_above_the_model_limit_names_the_limit_and_the_nearest_fix():
    error = reject("t2i", request("t2i", n=8))
    found = issue(error, "n", 8)
    assert found.allowed == "1 to 4" and found.fix == "use n 4"
    assert "wan2.6-t2i" in found.problem


def test_n_on_a_one_image_model_points_at_the_roomiest_model():
    found = issue(reject("t2i", request("t2i", n=2), "qwen-image-plus"), "n", 2)
    assert found.allowed == "1" and "one image per request" in found.problem
    assert "wan2.6-t2i (up to 4 per request)" in found.fix
    found = issue(reject("image-edit", request("image-edit", n=3), "qwen-image-edit"), "n", 3)
    assert "up to 6 per request" in found.fix


def test_n_above_four_on_wan27_suggests_the_series_mode_and_the_series_allows_twelve():
    found = issue(reject("t2i", request("t2i", n=8), "wan2.7-image"), "n", 8)
    assert "enable_sequential" in found.fix
    accept("t2i", request("t2i", n=12, enable_sequential=True), "wan2.7-image")
    found = issue(reject("t2i", request("t2i", n=13, enable_sequential=True), "wan2.7-image"), "n", 13)
    assert found.allowed == "1 to 12"


@pytest.mark.parametrize("value", [0, -1])
def test_n_below_one_is_refused(value):
    found = issue(reject("image-edit", request("image-edit", n=value)), "n", value)
    assert found.fix == "use n 1"


def test_qwen_edit_models_take_up_to_six():
    accept("image-edit", request("image-edit", n=6), "qwen-image-edit-plus")
    issue(reject("image-edit", request("image-edit", n=7), "qwen-image-edit-plus"), "n", 7)


def test_free_size_outside_the_pixel_range_suggests_a_fitting_size_of_the_same_shape():
    found = issue(reject("t2i", request("t2i", size="1024*1024")), "size", "1024*1024")
    assert "1280*1280 to 1440*1440" in found.allowed and found.fix == "use '1280*1280'"
    found = issue(reject("t2i", request("t2i", size="2000*300")), "size", "2000*300")
    assert "aspect 1:4 to 4:1" in found.allowed
    suggested = found.fix.split("'")[1]
    accept("t2i", request("t2i", size=suggested))


def test_per_side_bounds_on_wan22():
    found = issue(reject("t2i", request("t2i", size="1600*1024"), "wan2.2-t2i-flash"), "size", "1600*1024")
    assert "each side must be 512-1440 px" in found.problem and "each side 512-1440 px" in found.allowed
    accept("t2i", request("t2i", size=found.fix.split("'")[1]), "wan2.2-t2i-flash")


def test_qwen_image_takes_only_its_five_sizes_and_the_fix_keeps_the_shape():
    found = issue(reject("t2i", request("t2i", size="1920*1080"), "qwen-image-plus"), "size", "1920*1080")
    assert found.allowed == "1664*928, 1472*1104, 1328*1328, 1104*1472, 928*1664"
    assert found.fix == "use '1664*928'"
    found = issue(reject("t2i", request("t2i", size="1024*1024"), "qwen-image"), "size", "1024*1024")
    assert found.fix == "use '1328*1328'"


def test_tiers_belong_to_the_models_that_offer_them():
    accept("t2i", request("t2i", size="4K"), "wan2.7-image-pro")
    found = issue(reject("t2i", request("t2i", size="4K"), "wan2.7-image"), "size", "4K")
    assert found.allowed == "1K, 2K" and found.fix == "use '2K'"
    found = issue(reject("image-edit", request("image-edit", size="4K"), "wan2.7-image-pro"), "size", "4K")
    assert found.allowed == "1K, 2K"  # 4K is for pure text to image only
    issue(reject("t2i", request("t2i", size="2K")), "size", "2K")  # wan2.6-t2i has no tiers
    found = issue(reject("t2i", request("t2i", size="1k"), "wan2.7-image"), "size", "1k")
    assert found.fix == "write it as '1K'"


@pytest.mark.parametrize("value, fix", [("1280x1280", "write it as '1280*1280'"), ("big", "width*height"),
                                        ("100*100", "use '1280*1280'")])
def test_malformed_sizes(value, fix):
    found = issue(reject("t2i", request("t2i", size=value)), "size", value)
    assert fix in found.fix


def test_a_model_without_size_refuses_one():
    found = issue(reject("image-edit", request("image-edit", size="1024*1024"), "qwen-image-edit"), "size",
                  "1024*1024")
    assert found.allowed == "omit it" and "remove size" in found.fix


def test_resolution_is_explained_as_size():
    found = issue(reject("t2i", request("t2i", resolution="1080P")), "resolution", "1080P")
    assert "size" in found.fix and "1K" in found.fix


def test_prompt_length_is_per_model():
    accept("t2i", request("t2i", prompt="x" * 2100))
    found = issue(reject("t2i", request("t2i", prompt="x" * 501), "wan2.2-t2i-flash"), "prompt")
    assert found.allowed == "at most 500 characters" and found.fix == "shorten it by 1 character"


def test_an_empty_prompt_is_refused_in_every_mode():
    for name in ("t2i", "image-edit", "i2i"):
        model = "wan2.5-i2i-preview" if name == "i2i" else None
        found = issue(reject(name, request(name, prompt="  "), model), "prompt", "  ")
        assert found.allowed == "non-empty text"


def test_negative_prompt_is_refused_on_wan27_and_capped_elsewhere():
    found = issue(reject("t2i", request("t2i", negative_prompt="text"), "wan2.7-image"), "negative_prompt", "text")
    assert found.allowed == "omit it" and "prompt itself" in found.fix
    found = issue(reject("t2i", request("t2i", negative_prompt="n" * 501)), "negative_prompt")
    assert found.allowed == "at most 500 characters"


def test_seed_range():
    found = issue(reject("t2i", request("t2i", seed=2147483648)), "seed", 2147483648)
    assert found.allowed == "0 to 2147483647"


def test_switches_only_some_models_have():
    found = issue(reject("t2i", request("t2i", thinking_mode=True)), "thinking_mode", True)
    assert "wan2.7-image" in found.fix
    issue(reject("t2i", request("t2i", enable_sequential=True)), "enable_sequential", True)
    issue(reject("t2i", request("t2i", prompt_extend=True), "wan2.7-image"), "prompt_extend", True)
    issue(reject("image-edit", request("image-edit", prompt_extend=False), "qwen-image-edit"), "prompt_extend", False)
    found = issue(reject("t2i", request("t2i", thinking_mode=True, enable_sequential=True), "wan2.7-image"),
                  "thinking_mode", True)
    assert "enable_sequential" in found.fix


def test_reference_counts_per_model():
    four = [IMG] * 4
    accept("image-edit", request("image-edit", reference_images=four), "wan2.6-image")
    found = issue(reject("image-edit", request("image-edit", reference_images=[IMG] * 5), "wan2.6-image"),
                  "reference_images", "5 images")
    assert found.allowed == "1-4" and "wan2.7-image: up to 9" in found.fix
    found = issue(reject("i2i", request("i2i", reference_images=four), "wan2.5-i2i-preview"), "reference_images",
                  "4 images")
    assert found.allowed == "1-3"
    found = issue(reject("image-edit", request("image-edit", reference_images=[])), "reference_images", [])
    assert "reference_images" in found.fix
    issue(reject("image-edit", request("image-edit", reference_images=[IMG, ""])), "reference_images[1]", "")


def test_missing_reference_images_is_a_required_field():
    error = reject("i2i", request("i2i", reference_images=None), "wan2.5-i2i-preview")
    assert any(item.field == "reference_images" and "missing" in item.problem for item in error.issues)


@pytest.mark.parametrize("name, model", [("image-edit", None), ("i2i", "wan2.5-i2i-preview")])
@pytest.mark.parametrize("field", ["reference_image", "images"])
def test_near_miss_field_names_point_at_reference_images(name, model, field):
    found = issue(reject(name, {**request(name), field: IMG}, model), field, IMG)
    assert "reference_images" in found.fix


def test_edit_only_fields_are_explained():
    found = issue(reject("image-edit", request("image-edit", enable_interleave=True)), "enable_interleave", True)
    assert "not supported" in found.problem
    found = issue(reject("image-edit", request("image-edit", thinking_mode=True)), "thinking_mode", True)
    assert "t2i" in found.fix
    found = issue(reject("t2i", request("t2i", reference_images=[])), "reference_images", [])
    assert "remove reference_images" in found.fix


def test_known_fields_cannot_hide_in_the_escape_hatch():
    found = issue(reject("t2i", request("t2i", extra_parameters={"n": 4})), "extra_parameters.n", 4)
    assert found.fix == "set 'n' directly so it is validated"
    issue(reject("image-edit", request("image-edit", extra_input={"messages": []})), "extra_input.messages", [])


def test_every_problem_is_reported_at_once():
    error = reject("t2i", request("t2i", n=9, size="9*9", seed=-1))
    assert {item.field for item in error.issues} >= {"n", "size", "seed"}
