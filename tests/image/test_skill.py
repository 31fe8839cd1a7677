"""The skill and its modes as registered through entry points: names, outputs, billing lines, file fields."""

from __future__ import annotations

from qwencloud_image.results import image_urls

from qwencloud_skills.plugins import get_registry
from qwencloud_skills.registry import PixelBounds

from .util import IMG, MODES, SKILL, accept, mode, request


def test_skill_is_registered_through_its_entry_point():
    registry = get_registry()
    skill = registry.skill(SKILL)
    assert skill.domain == "image" and skill.cli_name == "qwencloud-image"
    assert skill.output_dir == "output/qwencloud-image-generation/"
    assert {m.name: m.plugin for m in registry.modes_of(SKILL)} == {
        "t2i": "image_t2i", "image-edit": "image_edit", "i2i": "image_i2i"}


def test_description_fits_and_has_both_trigger_parts():
    description = get_registry().skill(SKILL).description
    assert len(description) <= 1024
    assert description.index("TRIGGER when:") < description.index("DO NOT TRIGGER when:")


def test_outputs_image_png_billed_per_image_and_image_edit_is_synchronous():
    registry = get_registry()
    output = registry.skill(SKILL).output
    assert (output.noun, output.nouns, output.extension, output.url_key) == ("image", "images", ".png", "image_url")
    assert "billed per image" in output.billing and output.asynchronous
    assert output.result_urls is image_urls
    by_mode = {name: registry.output_of(registry.mode(name, SKILL)) for name in MODES}
    assert by_mode["t2i"] is output and by_mode["i2i"] is output
    assert by_mode["image-edit"].asynchronous is False
    assert by_mode["image-edit"].result_urls is image_urls and by_mode["image-edit"].extension == ".png"


def test_result_urls_read_both_answer_shapes_and_skip_text_and_failed_items():
    messages = {"choices": [{"message": {"content": [{"type": "text", "text": "Step 1"},
                                                     {"type": "image", "image": "https://r/1.png"},
                                                     {"image": "https://r/2.png"}]}}], "finished": True}
    assert image_urls(messages) == ["https://r/1.png", "https://r/2.png"]
    results = {"results": [{"url": "https://r/a.png", "orig_prompt": "x"}, {"code": "DataInspectionFailed",
                                                                            "message": "no"},
                           {"url": "https://r/b.png"}], "task_metrics": {"TOTAL": 3, "SUCCEEDED": 2, "FAILED": 1}}
    assert image_urls(results) == ["https://r/a.png", "https://r/b.png"]
    assert image_urls({"choices": "odd", "results": [None, 3]}) == [] and image_urls({}) == []


def test_billing_line_names_the_images_and_the_size_the_payload_states():
    t2i = mode("t2i")
    assert t2i.billing_summary(accept("t2i", request("t2i")), "wan2.6-t2i") == "1 image, 1280*1280"
    assert t2i.billing_summary(accept("t2i", request("t2i", n=3)), "wan2.6-t2i") == "3 images, 1280*1280"
    series = accept("t2i", request("t2i", n=6, enable_sequential=True), "wan2.7-image")
    assert t2i.billing_summary(series, "wan2.7-image").startswith("up to 6 images")
    edit = mode("image-edit")
    assert edit.billing_summary(accept("image-edit", request("image-edit")), "wan2.7-image") == "1 image, 1K"
    qwen = accept("image-edit", request("image-edit", n=2), "qwen-image-edit-plus")
    assert edit.billing_summary(qwen, "qwen-image-edit-plus") == "2 images, size follows the last input image"
    i2i = mode("i2i")
    assert i2i.billing_summary(accept("i2i", request("i2i"), "wan2.5-i2i-preview"), "wan2.5-i2i-preview") == (
        "1 image, size follows the last input image")


def test_file_fields_declare_types_sizes_and_pixels_from_the_documented_limits():
    t2i, edit, i2i = (mode(name) for name in MODES)
    assert t2i.file_fields == () and t2i.data_url_fields == ()
    assert edit.file_fields == ("reference_images",) and edit.data_url_fields == ()
    assert set(edit.file_types["reference_images"]) >= {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif", ".tiff"}
    assert edit.file_max_mb == {"reference_images": 20.0}
    assert edit.file_pixels == {"reference_images": {"image": PixelBounds(240, 8000)}}
    assert i2i.file_fields == ("reference_images",) and i2i.data_url_fields == ("reference_images",)
    assert i2i.file_types["reference_images"] == (".png", ".jpg", ".jpeg", ".bmp", ".webp")
    assert i2i.file_max_mb == {"reference_images": 10.0}
    assert i2i.file_pixels == {"reference_images": {"image": PixelBounds(384, 5000)}}


def test_list_file_fields_are_walked_item_by_item():
    from qwencloud_skills.registry import iter_request_files

    found = iter_request_files(mode("image-edit"), {"reference_images": [IMG, "b.png"]})
    assert found == [("reference_images", 0, IMG), ("reference_images", 1, "b.png")]
