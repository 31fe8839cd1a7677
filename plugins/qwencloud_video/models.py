"""The first-party model catalog, one tuple per mode; the first entry of each is the mode's default.

Edit this file when the service adds, drops or changes a model. Limits come
from the seed skill's model tables and the published size presets.
"""

from __future__ import annotations

from typing import Tuple

from .catalog import AUDIO_AUTO, AUDIO_FORCEABLE_SILENT, AUDIO_SILENT, VideoModel, sizes_for, span

T2V_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.6-t2v",
        summary="Text to video with sound and multi-shot, 2-15 s",
        recommended=True,
        durations=span(2, 15),
        default_duration=5,
        sizes=sizes_for("720P", "1080P"),
        default_size="1280*720",
        resolutions=("720P", "1080P"),
        audio=AUDIO_AUTO,
        multi_shot=True,
        prompt_max=1500,
    ),
    VideoModel(
        id="wan2.5-t2v-preview",
        summary="Text to video with sound, 5 or 10 s",
        durations=(5, 10),
        default_duration=5,
        sizes=sizes_for("480P", "720P", "1080P"),
        default_size="1280*720",
        resolutions=("480P", "720P", "1080P"),
        audio=AUDIO_AUTO,
        prompt_max=1500,
    ),
    VideoModel(
        id="wan2.2-t2v-plus",
        summary="Silent text to video, 5 s",
        durations=(5,),
        default_duration=5,
        sizes=sizes_for("480P", "1080P"),
        default_size="1920*1080",
        resolutions=("480P", "1080P"),
        audio=AUDIO_SILENT,
        prompt_max=800,
    ),
)

I2V_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.6-i2v-flash",
        summary="Fast image to video, sound or silent, multi-shot, 2-15 s",
        recommended=True,
        durations=span(2, 15),
        default_duration=5,
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        audio=AUDIO_FORCEABLE_SILENT,
        multi_shot=True,
        prompt_max=1500,
    ),
    VideoModel(
        id="wan2.6-i2v",
        summary="Image to video with sound and multi-shot, 2-15 s",
        durations=span(2, 15),
        default_duration=5,
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        audio=AUDIO_AUTO,
        multi_shot=True,
        prompt_max=1500,
    ),
    VideoModel(
        id="wan2.5-i2v-preview",
        summary="Image to video with sound, 5 or 10 s",
        durations=(5, 10),
        default_duration=5,
        resolutions=("480P", "720P", "1080P"),
        default_resolution="720P",
        audio=AUDIO_AUTO,
        prompt_max=1500,
    ),
)

KF2V_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.2-kf2v-flash",
        summary="Silent 5 s transition between a first and a last frame",
        recommended=True,
        durations=(5,),
        default_duration=5,
        resolutions=("480P", "720P", "1080P"),
        default_resolution="720P",
        audio=AUDIO_SILENT,
        prompt_max=800,
    ),
)

R2V_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.6-r2v-flash",
        summary="Fast multi-character role-play from references, sound or silent, 2-10 s",
        recommended=True,
        durations=span(2, 10),
        default_duration=5,
        sizes=sizes_for("720P", "1080P"),
        default_size="1280*720",
        resolutions=("720P", "1080P"),
        audio=AUDIO_FORCEABLE_SILENT,
        custom_audio=False,
        multi_shot=True,
        prompt_max=1500,
    ),
    VideoModel(
        id="wan2.6-r2v",
        summary="Single or multi-character role-play from references, always with sound, 2-10 s",
        durations=span(2, 10),
        default_duration=5,
        sizes=sizes_for("720P", "1080P"),
        default_size="1280*720",
        resolutions=("720P", "1080P"),
        audio=AUDIO_AUTO,
        custom_audio=False,
        multi_shot=True,
        prompt_max=1500,
    ),
)

VACE_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.1-vace-plus",
        summary="Video editing: multi-image reference, repainting, local edit, extension, outpainting",
        recommended=True,
        durations=span(1, 5),
        sizes=sizes_for("720P"),
        default_size="1280*720",
        resolutions=("720P",),
        audio=AUDIO_SILENT,
        prompt_max=800,
    ),
)
