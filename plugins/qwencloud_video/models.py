"""The first-party model catalog, one tuple per mode; the first entry of each is the mode's default.

Edit this file when the service adds, drops or changes a model. Limits come
from the seed skill's model tables and the published size presets.
"""

from __future__ import annotations

from typing import Tuple

from .account_limits import with_account_limits
from .catalog import AUDIO_AUTO, AUDIO_FORCEABLE_SILENT, AUDIO_SILENT, MediaRule, VideoModel, sizes_for, span

# -- the wan2.7 / wan3.0 protocol (input.media, resolution + ratio) ------------------------------------

IMAGE_KINDS = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
CLIP_KINDS = (".mp4", ".mov")
AUDIO_KINDS = (".wav", ".mp3")
DOCUMENT_KINDS = (".docx", ".doc", ".xlsx", ".xls", ".pptx", ".ppt", ".pdf", ".txt", ".key", ".pages",
                  ".numbers", ".md")
RATIOS_27 = ("16:9", "9:16", "1:1", "4:3", "3:4")
RATIOS_30 = ("adaptive",) + RATIOS_27


def image(kind: str, count: int = 1, voice: bool = False) -> MediaRule:
    """An image item: 240-8000 px a side, up to 20 MB, inline base64 accepted."""
    return MediaRule(kind, IMAGE_KINDS, max_count=count, max_mb=20.0, inline=True, voice=voice)


def clip(kind: str, low: float, high: float, count: int = 1, total: float = 0.0, voice: bool = False) -> MediaRule:
    """A video item (mp4/mov, up to 100 MB)."""
    return MediaRule(kind, CLIP_KINDS, max_count=count, max_mb=100.0, seconds=(low, high),
                     total_seconds=total or None, voice=voice)


def wan30(model_id: str, summary: str, media: tuple = (), **limits: object) -> VideoModel:
    """wan3.0-video / -prime: the same limits in every mode they serve; ``media`` is the mode's share."""
    return VideoModel(
        id=model_id,
        summary=summary,
        host="workspace",
        durations=span(2, 30),
        default_duration=5,
        auto_duration=True,
        resolutions=("480P", "720P", "1080P"),
        default_resolution="720P",
        dimension="resolution",
        ratios=RATIOS_30,
        audio=AUDIO_FORCEABLE_SILENT,
        custom_audio=False,
        own_audio_hint="give the track as reference_audio_urls (mode r2v), or drop audio_url",
        shots_in_prompt=True,
        negative_prompt=False,
        prompt_max=20000,
        media=media,
        **limits,  # type: ignore[arg-type]
    )


WAN30_SUMMARY = "All-in-one (workspace hosts only), 2-30 s or -1, sound on by default"
WAN30_PRIME_SUMMARY = "Faster all-in-one (workspace hosts only), 2-30 s or -1, sound on by default"
WAN30_FRAMES = (image("first_frame"), image("last_frame"))
WAN30_REFERENCES = (
    image("reference_image", count=10),
    clip("reference_video", 1, 15, count=5, total=15),
    MediaRule("reference_audio", AUDIO_KINDS, max_count=5, max_mb=15.0, seconds=(1, 15), total_seconds=15),
    MediaRule("file", DOCUMENT_KINDS, max_mb=100.0),
    MediaRule("link", ()),
)
WAN30_REFERENCE_LIMITS = dict(media_groups=((("file", "link"), 1),), video_total_max=30)

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
    VideoModel(
        id="wan2.7-t2v",
        summary="Text to video with resolution + ratio, sound, shots described in the prompt, 2-15 s",
        durations=span(2, 15),
        default_duration=5,
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        dimension="resolution",
        ratios=RATIOS_27,
        audio=AUDIO_AUTO,
        audio_url_seconds=(2.0, 30.0),
        shots_in_prompt=True,
        prompt_max=5000,
    ),
    wan30("wan3.0-video", WAN30_SUMMARY),
    wan30("wan3.0-video-prime", WAN30_PRIME_SUMMARY),
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
    VideoModel(
        id="wan2.7-i2v",
        summary="First frame, first+last frame or clip continuation, optional driving audio, 2-15 s",
        durations=span(2, 15),
        default_duration=5,
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        audio=AUDIO_AUTO,
        custom_audio=False,
        shots_in_prompt=True,
        prompt_required=False,
        prompt_max=5000,
        media=(
            image("first_frame"),
            image("last_frame"),
            MediaRule("driving_audio", AUDIO_KINDS, max_mb=15.0, seconds=(2, 30)),
            clip("first_clip", 2, 10),
        ),
        media_sets=(
            frozenset({"first_frame"}),
            frozenset({"first_frame", "driving_audio"}),
            frozenset({"first_frame", "last_frame"}),
            frozenset({"first_frame", "last_frame", "driving_audio"}),
            frozenset({"first_clip"}),
            frozenset({"first_clip", "last_frame"}),
        ),
        duration_includes_clip=True,
    ),
    wan30("wan3.0-video", WAN30_SUMMARY, WAN30_FRAMES, prompt_required=False),
    wan30("wan3.0-video-prime", WAN30_PRIME_SUMMARY, WAN30_FRAMES, prompt_required=False),
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
        bills_input_video=True,
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
        bills_input_video=True,
    ),
    VideoModel(
        id="wan2.7-r2v",
        summary="Images and clips (with optional voices) as references, optional first frame, 2-15 s",
        durations=span(2, 15),
        default_duration=5,
        durations_with_video=span(2, 10),
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        dimension="resolution",
        ratios=RATIOS_27,
        ratio_with_first_frame=False,
        audio=AUDIO_AUTO,
        custom_audio=False,
        shots_in_prompt=True,
        prompt_max=5000,
        media=(
            image("reference_image", count=5, voice=True),
            clip("reference_video", 1, 30, count=5, voice=True),
            image("first_frame"),
        ),
        media_groups=((("reference_image", "reference_video"), 5),),
        media_needs=("reference_image|reference_video",),
        bills_input_video=True,
    ),
    wan30("wan3.0-video", WAN30_SUMMARY, WAN30_REFERENCES, prompt_required=False, **WAN30_REFERENCE_LIMITS),
    wan30("wan3.0-video-prime", WAN30_PRIME_SUMMARY, WAN30_REFERENCES, prompt_required=False,
          **WAN30_REFERENCE_LIMITS),
)

VIDEOEDIT_MODELS: Tuple[VideoModel, ...] = (
    VideoModel(
        id="wan2.7-videoedit",
        summary="Edit or restyle a 2-10 s clip by instruction, with up to 4 reference images",
        durations=(0,) + span(2, 10),
        default_duration=0,
        resolutions=("720P", "1080P"),
        default_resolution="720P",
        ratios=RATIOS_27,
        audio=AUDIO_AUTO,
        custom_audio=False,
        audio_settings=("auto", "origin"),
        prompt_required=False,
        prompt_max=5000,
        media=(clip("video", 2, 10), image("reference_image", count=4)),
        media_needs=("video",),
        bills_input_video=True,
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

# The documented per-account limits (submits per second, tasks at once) that batches pace themselves by.
T2V_MODELS = with_account_limits(T2V_MODELS)
I2V_MODELS = with_account_limits(I2V_MODELS)
KF2V_MODELS = with_account_limits(KF2V_MODELS)
R2V_MODELS = with_account_limits(R2V_MODELS)
VIDEOEDIT_MODELS = with_account_limits(VIDEOEDIT_MODELS)
VACE_MODELS = with_account_limits(VACE_MODELS)
