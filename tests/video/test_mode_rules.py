"""Rules of one mode each: i2v's image, kf2v's frames and fixed length, r2v's references, vace's functions."""

from __future__ import annotations

import pytest

from .util import CLIP, IMG, IMG2, accept, issue, mode, reject, request

# --- i2v ------------------------------------------------------------------------------------------------


def test_i2v_needs_an_image():
    issue(reject("i2v", request("i2v", img_url=None)), "img_url", None)


def test_i2v_takes_one_image_field_only():
    issue(reject("i2v", request("i2v", reference_image=IMG2)), "reference_image", IMG2)


def test_i2v_reference_image_is_sent_as_img_url():
    validated = accept("i2v", request("i2v", img_url=None, reference_image="photo.png"))
    body = mode("i2v").payload(validated)
    assert body["input"] == {"prompt": "The waves roll in", "img_url": "photo.png"}


# --- kf2v -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "accepted"), [(5, True), (4, False), (10, False), (15, False)])
def test_kf2v_duration_is_always_five(seconds, accepted):
    data = request("kf2v", duration=seconds)
    if accepted:
        accept("kf2v", data)
    else:
        found = issue(reject("kf2v", data), "duration", seconds)
        assert found.allowed == "5" and "set it to 5" in found.fix


def test_kf2v_always_sends_duration_five():
    body = mode("kf2v").payload(accept("kf2v", request("kf2v")))
    assert body["parameters"] == {"resolution": "720P", "duration": 5}


def test_kf2v_needs_both_frames():
    issue(reject("kf2v", request("kf2v", last_frame_url=None)), "last_frame_url", None)
    issue(reject("kf2v", request("kf2v", first_frame_url=None)), "first_frame_url", None)


def test_kf2v_template_replaces_the_last_frame():
    validated = accept("kf2v", request("kf2v", last_frame_url=None, template="hug"))
    assert mode("kf2v").payload(validated)["input"] == {"first_frame_url": IMG, "template": "hug"}


# --- r2v ------------------------------------------------------------------------------------------------

VIDEO_REFS = ["https://example.com/a.mp4", "b.MOV", "https://example.com/c.webm?token=1"]

REFERENCES = [
    ([IMG], True),
    ([IMG, IMG2, IMG, IMG2, IMG], True),
    (VIDEO_REFS + [IMG, IMG2], True),
    ([], False),
    ([IMG] * 6, False),
    (VIDEO_REFS + ["d.mkv"], False),
    (["e.avi"] * 4, False),
]


@pytest.mark.parametrize(("refs", "accepted"), REFERENCES)
def test_r2v_references(refs, accepted):
    data = request("r2v", reference_urls=refs)
    if accepted:
        accept("r2v", data)
    else:
        found = issue(reject("r2v", data), "reference_urls")
        assert found.allowed and found.fix


def test_r2v_counts_videos_by_extension_and_names_them():
    found = issue(reject("r2v", request("r2v", reference_urls=VIDEO_REFS + ["d.mkv"])), "reference_urls")
    assert found.value == VIDEO_REFS + ["d.mkv"]
    assert "at most 3 videos" in found.allowed


def test_r2v_needs_references():
    issue(reject("r2v", request("r2v", reference_urls=None)), "reference_urls", None)


# --- vace -----------------------------------------------------------------------------------------------

REPAINT = {"function": "video_repainting", "prompt": "Steampunk", "video_url": CLIP, "control_condition": "depth"}
EDIT = {"function": "video_edit", "video_url": CLIP, "mask_image_url": IMG}
REFERENCE = {
    "function": "image_reference",
    "prompt": "A walk",
    "ref_images_url": [IMG, IMG2],
    "obj_or_bg": ["obj", "bg"],
}
OUTPAINT = {"function": "video_outpainting", "prompt": "An orchestra", "video_url": CLIP, "top_scale": 1.5}
EXTEND = {"function": "video_extension", "prompt": "Keep going", "last_clip_url": CLIP}

VACE_ACCEPTED = [
    REFERENCE,
    {**REFERENCE, "ref_images_url": [IMG], "obj_or_bg": ["obj"]},
    {**REFERENCE, "ref_images_url": [IMG, IMG2, IMG], "obj_or_bg": ["obj", "obj", "bg"]},
    REPAINT,
    {**REPAINT, "control_condition": "posebodyface", "strength": 0.0},
    {**REPAINT, "strength": 1.0, "ref_images_url": [IMG]},
    EDIT,
    {**EDIT, "prompt": "A lion", "mask_frame_id": 1, "mask_type": "fixed", "expand_ratio": 0.3},
    {"function": "video_edit", "video_url": CLIP, "mask_video_url": CLIP},
    EXTEND,
    {"function": "video_extension", "prompt": "Before", "first_frame_url": IMG},
    {"function": "video_extension", "prompt": "After", "last_frame_url": IMG, "first_clip_url": CLIP},
    OUTPAINT,
    {**OUTPAINT, "top_scale": None, "left_scale": 1.0, "right_scale": 2.0},
]


@pytest.mark.parametrize("data", VACE_ACCEPTED)
def test_vace_accepts(data):
    accept("vace", {key: value for key, value in data.items() if value is not None})


VACE_REJECTED = [
    # request, field named, value named
    ({"prompt": "x", "video_url": CLIP}, "function", None),
    ({**REPAINT, "function": "repaint"}, "function", "repaint"),
    ({**REFERENCE, "ref_images_url": [IMG] * 4, "obj_or_bg": ["obj"] * 4}, "ref_images_url", [IMG] * 4),
    ({**REFERENCE, "obj_or_bg": ["obj"]}, "obj_or_bg", ["obj"]),
    ({**REFERENCE, "obj_or_bg": ["obj", "background"]}, "obj_or_bg", "background"),
    ({key: v for key, v in REFERENCE.items() if key != "obj_or_bg"}, "obj_or_bg", None),
    ({key: v for key, v in REFERENCE.items() if key != "ref_images_url"}, "ref_images_url", None),
    ({key: v for key, v in REPAINT.items() if key != "control_condition"}, "control_condition", None),
    ({**REPAINT, "control_condition": "canny"}, "control_condition", "canny"),
    ({**REPAINT, "strength": 1.5}, "strength", 1.5),
    ({**REPAINT, "strength": -0.1}, "strength", -0.1),
    ({key: v for key, v in REPAINT.items() if key != "video_url"}, "video_url", None),
    ({key: v for key, v in REPAINT.items() if key != "prompt"}, "prompt", None),
    ({key: v for key, v in EDIT.items() if key != "mask_image_url"}, "mask_image_url", None),
    ({**EDIT, "mask_frame_id": 0}, "mask_frame_id", 0),
    ({**EDIT, "mask_type": "moving"}, "mask_type", "moving"),
    ({**EDIT, "expand_ratio": 2.0}, "expand_ratio", 2.0),
    ({**EDIT, "control_condition": "depth"}, "control_condition", "depth"),
    ({"function": "video_extension", "prompt": "More"}, "first_clip_url", None),
    ({**EXTEND, "top_scale": 1.5}, "top_scale", 1.5),
    ({**OUTPAINT, "top_scale": None}, "top_scale", None),
    ({**OUTPAINT, "top_scale": 2.5}, "top_scale", 2.5),
    ({**OUTPAINT, "top_scale": 1.5, "left_scale": 0.5}, "left_scale", 0.5),
    ({**OUTPAINT, "first_clip_url": CLIP}, "first_clip_url", CLIP),
]


@pytest.mark.parametrize(("data", "field", "value"), VACE_REJECTED)
def test_vace_rejects(data, field, value):
    found = issue(reject("vace", {key: v for key, v in data.items() if v is not None}), field, value)
    assert found.problem


def test_vace_mask_frame_id_is_one_based():
    found = issue(reject("vace", {**EDIT, "mask_frame_id": 0}), "mask_frame_id", 0)
    assert found.fix == "use 1 for the first frame"


def test_vace_misspelled_function_gets_a_suggestion():
    found = issue(reject("vace", {**REPAINT, "function": "video_repaint"}), "function", "video_repaint")
    assert found.fix == "did you mean 'video_repainting'?"
    assert "image_reference" in found.allowed


def test_vace_field_of_another_function_names_its_users():
    found = issue(reject("vace", {**EDIT, "control_condition": "depth"}), "control_condition")
    assert found.allowed == "used by video_repainting"


def test_vace_obj_or_bg_must_match_the_images():
    found = issue(reject("vace", {**REFERENCE, "obj_or_bg": ["obj"]}), "obj_or_bg", ["obj"])
    assert found.fix == "give exactly 2 labels, in image order"


def test_vace_mask_frame_id_needs_a_mask_image():
    data = {"function": "video_edit", "video_url": CLIP, "mask_video_url": CLIP, "mask_frame_id": 2}
    issue(reject("vace", data), "mask_frame_id", 2)
