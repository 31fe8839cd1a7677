"""Which local files each media field takes, checked by the host before any upload."""

from __future__ import annotations

from typing import Dict, Iterable, Optional, Tuple

from qwencloud_skills.registry import PixelBounds

IMAGE = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
VIDEO = (".mp4", ".mov", ".avi", ".mkv", ".webm")
AUDIO = (".wav", ".mp3")
AUDIO_MAX_MB = 15.0

KINDS: Dict[str, Tuple[str, ...]] = {
    "img_url": IMAGE,
    "reference_image": IMAGE,
    "first_frame_url": IMAGE,
    "last_frame_url": IMAGE,
    "ref_images_url": IMAGE,
    "mask_image_url": IMAGE,
    "audio_url": AUDIO,
    "reference_urls": IMAGE + VIDEO,
    "video_url": VIDEO,
    "mask_video_url": VIDEO,
    "first_clip_url": VIDEO,
    "last_clip_url": VIDEO,
    "driving_audio_url": AUDIO,
    "reference_voices": AUDIO,
    "reference_audio_urls": AUDIO,
    "reference_images": IMAGE,
}

# The wan2.7 / wan3.0 media protocol takes fewer video formats.
CLIP = (".mp4", ".mov")


def file_types(fields: Iterable[str]) -> Dict[str, Tuple[str, ...]]:
    return {name: KINDS[name] for name in fields if name in KINDS}


# Playing time the service accepts for local media (seed and API guide): own soundtracks 3-30 s,
# clips to extend at most 3 s.
SECONDS: Dict[str, Tuple[Optional[float], Optional[float]]] = {
    "audio_url": (3.0, 30.0),
    "first_clip_url": (None, 3.0),
    "last_clip_url": (None, 3.0),
    "driving_audio_url": (2.0, 30.0),
    "reference_voices": (1.0, 10.0),
    "reference_audio_urls": (1.0, 15.0),
}


def file_seconds(fields: Iterable[str]) -> Dict[str, Tuple[Optional[float], Optional[float]]]:
    return {name: SECONDS[name] for name in fields if name in SECONDS}


# Size limits in MB the API guide gives per field (images of wan2.6/2.5 i2v 20 MB, keyframes and
# VACE images 10 MB, VACE videos 50 MB, r2v references 100 MB for videos), checked on local files
# and inline data: URLs alike.
MAX_MB: Dict[str, float] = {
    "img_url": 20.0,
    "reference_image": 20.0,
    "first_frame_url": 10.0,
    "last_frame_url": 10.0,
    "ref_images_url": 10.0,
    "mask_image_url": 10.0,
    "reference_urls": 100.0,
    "video_url": 50.0,
    "mask_video_url": 50.0,
    "first_clip_url": 50.0,
    "last_clip_url": 50.0,
    "reference_images": 20.0,
}


def file_limits(fields: Iterable[str]) -> Dict[str, float]:
    return {name: AUDIO_MAX_MB if KINDS.get(name) == AUDIO else MAX_MB[name]
            for name in fields if KINDS.get(name) == AUDIO or name in MAX_MB}


# Picture size and shape the API guide gives, by field and by what the file is (image or video).
WAN_IMAGE = PixelBounds(240, 8000)
MEDIA_IMAGE = PixelBounds(240, 8000, 8.0)  # wan2.7 / wan3.0 media items
MEDIA_VIDEO = PixelBounds(240, 4096, 8.0)
VACE_IMAGE = PixelBounds(360, 2000)
PIXELS: Dict[str, Dict[str, PixelBounds]] = {
    "img_url": {"image": WAN_IMAGE},
    "reference_image": {"image": WAN_IMAGE},
    "first_frame_url": {"image": WAN_IMAGE},
    "last_frame_url": {"image": WAN_IMAGE},
    "reference_urls": {"image": WAN_IMAGE},
    "ref_images_url": {"image": VACE_IMAGE},
    "mask_image_url": {"image": VACE_IMAGE},
    "reference_images": {"image": MEDIA_IMAGE},
}


def file_pixels(fields: Iterable[str]) -> Dict[str, Dict[str, PixelBounds]]:
    return {name: dict(PIXELS[name]) for name in fields if name in PIXELS}


# Per-mode rules that differ from the field's usual ones: field -> (types, MB, (shortest, longest) s).
Override = Tuple[Tuple[str, ...], float, Optional[Tuple[Optional[float], Optional[float]]]]
