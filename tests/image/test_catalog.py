"""The catalog is plain data that agrees with itself and with the service's documented limits."""

from __future__ import annotations

import pytest
from qwencloud_image.catalog import MESSAGES, PROMPT, ImageModel
from qwencloud_image.endpoints import IMAGE2IMAGE, IMAGE_GENERATION, MULTIMODAL_GENERATION, TEXT2IMAGE

from qwencloud_skills.registry import ModelSpec

from .util import MODES, accept, mode, request


def test_models_are_model_specs_with_summaries():
    for name in MODES:
        for spec in mode(name).models:
            assert isinstance(spec, ImageModel) and isinstance(spec, ModelSpec)
            assert spec.summary and spec.describe()["n"].endswith("(default sent: 1)")


def test_endpoints_and_layouts_follow_the_api_reference():
    t2i = {spec.id: (spec.endpoint, spec.body) for spec in mode("t2i").models}
    assert t2i == {
        "wan2.6-t2i": (IMAGE_GENERATION, MESSAGES), "wan2.7-image": (IMAGE_GENERATION, MESSAGES),
        "wan2.7-image-pro": (IMAGE_GENERATION, MESSAGES), "wan2.5-t2i-preview": (TEXT2IMAGE, PROMPT),
        "wan2.2-t2i-flash": (TEXT2IMAGE, PROMPT), "wan2.2-t2i-plus": (TEXT2IMAGE, PROMPT),
        "qwen-image-plus": (TEXT2IMAGE, PROMPT), "qwen-image": (TEXT2IMAGE, PROMPT),
    }
    assert {(spec.endpoint, spec.body) for spec in mode("image-edit").models} == {(MULTIMODAL_GENERATION, MESSAGES)}
    assert [(spec.id, spec.endpoint, spec.body) for spec in mode("i2i").models] == [
        ("wan2.5-i2i-preview", IMAGE2IMAGE, PROMPT)]


def test_image_counts_follow_the_api_reference():
    limits = {(name, spec.id): (spec.n_max, spec.sequential_n_max) for name in MODES for spec in mode(name).models}
    assert limits[("t2i", "wan2.6-t2i")] == (4, 0)
    assert limits[("t2i", "qwen-image-plus")] == (1, 0) and limits[("t2i", "qwen-image")] == (1, 0)
    assert limits[("t2i", "wan2.7-image")] == (4, 12)
    assert limits[("image-edit", "qwen-image-edit-max")] == (6, 0)
    assert limits[("image-edit", "qwen-image-edit")] == (1, 0)
    assert limits[("i2i", "wan2.5-i2i-preview")] == (4, 0)


@pytest.mark.parametrize("name", MODES)
def test_every_default_size_and_the_largest_n_pass_their_own_model(name):
    for spec in mode(name).models:
        changes = {"n": spec.sequential_n_max or spec.n_max}
        if spec.sequential_n_max:
            changes["enable_sequential"] = True
        if spec.default_size:
            changes["size"] = spec.default_size
        accept(name, request(name, **changes), spec.id)
        for size in spec.sizes + spec.tiers:
            accept(name, request(name, size=size), spec.id)


def test_edit_models_need_at_least_one_image_and_t2i_models_take_none():
    assert all(spec.images[0] >= 1 for name in ("image-edit", "i2i") for spec in mode(name).models)
    assert all(spec.images == (0, 0) for spec in mode("t2i").models)


def test_describe_lists_the_billed_and_input_limits():
    limits = mode("image-edit").model("wan2.6-image").describe()
    assert limits["reference_images"].startswith("1-4 (") and "10 MB" in limits["reference_images"]
    assert "default sent: 1K" in limits["size"]
    assert "follows the last input image" in mode("i2i").models[0].describe()["size"]
    assert mode("image-edit").model("qwen-image-edit").describe()["size"].startswith("not settable")


def test_a_bad_layout_is_caught_when_the_catalog_is_written():
    with pytest.raises(ValueError, match="body must be one of"):
        ImageModel(id="x", body="form")
    with pytest.raises(ValueError, match="n_max"):
        ImageModel(id="x", n_max=0)
