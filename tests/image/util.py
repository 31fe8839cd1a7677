"""Helpers for the image tests: a registry built once from the first-party image modules, and error lookups."""

from __future__ import annotations

from typing import Any, Mapping

from rulekit import RuleKit, issue  # noqa: F401 - the tests import issue from here

SKILL = "qwencloud-image-generation"
FIRST_PARTY = {"skill": "image", "t2i": "image_t2i", "imageedit": "image_edit", "i2i": "image_i2i"}
MODES = ("t2i", "image-edit", "i2i")

IMG = "https://example.com/photo.png"
IMG2 = "https://example.com/style.png"

# The smallest valid request of each mode (with the model that selects it); tests change one field at a time.
BASE: Mapping[str, Mapping[str, Any]] = {
    "t2i": {"prompt": "A lighthouse in a storm"},
    "image-edit": {"prompt": "Make it a watercolor", "reference_images": [IMG]},
    "i2i": {"prompt": "Make it a watercolor", "reference_images": [IMG]},
}
DEFAULT_MODEL = {"t2i": "wan2.6-t2i", "image-edit": "wan2.7-image", "i2i": "wan2.5-i2i-preview"}


KIT = RuleKit(SKILL, {f"qwencloud_image.{module}": name for module, name in FIRST_PARTY.items()}, BASE)
registry, mode, request, accept, body, reject = KIT.registry, KIT.mode, KIT.request, KIT.accept, KIT.body, KIT.reject
