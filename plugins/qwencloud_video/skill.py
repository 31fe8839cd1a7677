"""Plugin: the qwencloud-video-generation skill that the five video modes belong to."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.manifests.docs import PackageDocs
from qwencloud_skills.registry import Output, Skill

SKILL_NAME = "qwencloud-video-generation"

DESCRIPTION = (
    "Make videos with Alibaba's Wan models on DashScope (QwenCloud): text-to-video, animating one image, "
    "a transition between a first and a last frame, character role-play from reference images or clips, "
    "VACE editing (multi-image reference, repainting, masked local edits, extension, outpainting) and "
    "instruction edits. "
    "Jobs are asynchronous: submit, poll, then download the MP4 (URLs expire after 24 h). "
    "TRIGGER when: the user asks to generate, animate, extend, repaint, outpaint or edit a video or clip, "
    "turn a picture or a text description into a video, make characters act a script, or names a Wan "
    "video model (wan2.1 to wan2.7 t2v/i2v/kf2v/r2v/vace/videoedit, wan3.0-video). "
    "DO NOT TRIGGER when: the user wants still images, speech or music only, to understand or describe an "
    "existing video, plain video file operations (trim, concatenate, convert) with no generation, or "
    "another vendor's video service."
)

# Guidance only this skill can give, as markdown in docs/ (read when manifests are built, not at start-up).
# "polling" and "models" extend the host's pages of those names (a first line `<!-- replace -->` would make
# them replace those pages instead, see qwencloud_skills/manifests/docs.py); the others become pages of their own.
DOCS = PackageDocs(__package__, ("workflows", "prompt-guide", "merge-media", "polling", "models"))

# One MP4 per task, found at output.video_url; the seed's result keys stay video_url / local_path.
OUTPUT = Output(
    noun="video",
    extension=".mp4",
    billing="Jobs are billed per second of video; the rate depends on model and resolution.",
    url_key="video_url",
    path_key="local_path",
    moving=True,
)

SKILL = Skill(
    name=SKILL_NAME,
    domain="video",
    title="Qwen Video Generation (Wan)",
    description=DESCRIPTION,
    output_dir=f"output/{SKILL_NAME}/",
    cli_name="qwencloud-video",
    docs=DOCS,
    output=OUTPUT,
)


@hookimpl
def register_skills(register: Callable[[Skill], None]) -> None:
    register(SKILL)
