"""Plugin: the qwencloud-image-generation skill that the image modes belong to."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.manifests.docs import PackageDocs
from qwencloud_skills.registry import Output, Skill

from .results import image_urls

SKILL_NAME = "qwencloud-image-generation"

DESCRIPTION = (
    "Make and edit still images with Alibaba's Wan and Qwen Image models on DashScope (QwenCloud): "
    "text-to-image (several images per job, posters and text rendering with qwen-image), editing, style "
    "transfer and multi-image composition from reference pictures, and wan2.5 image-to-image. "
    "Each image is billed; the image count n is always sent (default 1). Result URLs expire after 24 h. "
    "TRIGGER when: the user asks to generate, draw, render or design an image, illustration, poster, product "
    "shot or artwork, to edit, restyle or combine existing pictures, or names a Wan or Qwen image model "
    "(wan2.2-wan2.7 t2i/image, wan2.5-i2i, qwen-image, qwen-image-edit). "
    "DO NOT TRIGGER when: the user wants moving pictures or animation, to understand, describe or OCR an existing "
    "image, plain image file operations (crop, resize, convert) with no generation, or another vendor's "
    "image service."
)

# Guidance only this skill can give, as markdown in docs/ (read when manifests are built, not at start-up).
# "polling" and "models" extend the host's pages of those names; "prompt-guide" becomes a page of its own.
DOCS = PackageDocs(__package__, ("prompt-guide", "polling", "models"))

# PNG images, several per job: from output.choices[].message.content[].image or output.results[].url.
OUTPUT = Output(
    noun="image",
    extension=".png",
    billing="Jobs are billed per image generated (n images per job); the rate depends on the model.",
    result_urls=image_urls,
    url_key="image_url",
    path_key="local_path",
)

SKILL = Skill(
    name=SKILL_NAME,
    domain="image",
    title="Qwen Image Generation (Wan, Qwen Image)",
    description=DESCRIPTION,
    output_dir=f"output/{SKILL_NAME}/",
    cli_name="qwencloud-image",
    docs=DOCS,
    output=OUTPUT,
)


@hookimpl
def register_skills(register: Callable[[Skill], None]) -> None:
    register(SKILL)
