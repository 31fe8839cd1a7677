"""Local input images: the host's check uses the mode's declared limits, the validator each model's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from mediafiles import png_bytes

from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.localfiles import check_local_files

from .util import accept, issue, mode, reject, request

MB = 1048576


def picture(folder: Path, name: str, width: int = 512, height: int = 512, size: int = 0) -> str:
    path = folder / name
    path.write_bytes(png_bytes(size or None, width=width, height=height))
    return str(path)


def test_a_picture_over_one_models_limit_goes_to_a_roomier_model(tmp_path):
    big = picture(tmp_path, "big.png", size=12 * MB)
    found = issue(reject("image-edit", request("image-edit", reference_images=[big]), "wan2.6-image"),
                  "reference_images[0]", big)
    assert "12.0 MB" in found.problem and found.allowed == "at most 10 MB"
    validated = accept("image-edit", request("image-edit", reference_images=[big]), "wan2.7-image")
    assert [item.label for item in check_local_files(mode("image-edit"), validated)] == ["reference_images[0]"]


def test_pixel_bounds_are_the_models_own(tmp_path):
    small = picture(tmp_path, "small.png", 300, 300)
    accept("image-edit", request("image-edit", reference_images=[small]), "wan2.7-image")  # 240 px is enough
    found = issue(reject("i2i", request("i2i", reference_images=[small]), "wan2.5-i2i-preview"),
                  "reference_images[0]", small)
    assert "300x300" in found.problem and found.allowed == "each side 384-5000 px"
    assert found.fix == "use a larger original"


def test_a_type_only_qwen_takes_is_refused_for_wan(tmp_path):
    gif = tmp_path / "anim.gif"
    gif.write_bytes(b"GIF89a" + b"\x00" * 64)
    found = issue(reject("image-edit", request("image-edit", reference_images=[str(gif)]), "wan2.7-image"),
                  "reference_images[0]", str(gif))
    assert "png" in found.allowed and ".gif" in found.problem
    accept("image-edit", request("image-edit", reference_images=[str(gif)]), "qwen-image-edit-plus")


def test_the_host_checks_each_list_item_against_the_mode_declaration(tmp_path):
    tiny = picture(tmp_path, "tiny.png", 100, 100)
    fine = picture(tmp_path, "fine.png")
    validated = mode("image-edit").validate(request("image-edit", reference_images=[fine, tiny]), "qwen-image-edit")
    with pytest.raises(InvalidRequestError) as caught:
        check_local_files(mode("image-edit"), validated)
    assert [item.field for item in caught.value.issues] == ["reference_images[1]"]
    assert "each side 240-8000 px" in str(caught.value)


def test_inline_data_urls_only_where_documented(tmp_path):
    import base64

    data = "data:image/png;base64," + base64.b64encode(png_bytes(width=512, height=512)).decode()
    validated = accept("i2i", request("i2i", reference_images=[data]), "wan2.5-i2i-preview")
    assert check_local_files(mode("i2i"), validated) == []
    validated = accept("image-edit", request("image-edit", reference_images=[data]))
    with pytest.raises(InvalidRequestError) as caught:
        check_local_files(mode("image-edit"), validated)
    assert "does not take inline data: URLs" in str(caught.value)
