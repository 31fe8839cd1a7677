"""Auto-detection through the real entry-point registry: which request fields pick which mode."""

from __future__ import annotations

import pytest

from qwencloud_skills.plugins import get_registry

from .util import CLIP, IMG, IMG2, SKILL

DETECTION = [
    ({"prompt": "A cat"}, "t2v"),
    ({"prompt": "A cat", "size": "1280*720", "audio_url": "a.mp3"}, "t2v"),
    ({"prompt": "A cat", "img_url": IMG}, "i2v"),
    ({"prompt": "A cat", "reference_image": "cat.png"}, "i2v"),
    ({"first_frame_url": IMG, "last_frame_url": IMG2}, "kf2v"),
    ({"first_frame_url": IMG, "img_url": IMG2}, "kf2v"),
    ({"prompt": "character1", "reference_urls": [IMG]}, "r2v"),
    ({"prompt": "character1", "reference_urls": [IMG], "img_url": IMG}, "r2v"),
    ({"function": "video_edit", "video_url": CLIP}, "vace"),
    ({"function": "video_extension", "first_frame_url": IMG}, "vace"),
    ({"function": "image_reference", "reference_urls": [IMG]}, "vace"),
    ({"prompt": "A cat", "img_url": ""}, "t2v"),
    ({"prompt": "A cat", "reference_urls": []}, "t2v"),
]


@pytest.mark.parametrize(("request_data", "expected"), DETECTION)
def test_detect_mode(request_data, expected):
    assert get_registry().detect_mode(request_data, skill=SKILL).name == expected


def test_detection_table_priorities():
    table = get_registry().detection_table(SKILL)
    assert [(name, priority) for name, _, priority in table] == [
        ("vace", 50),
        ("r2v", 40),
        ("videoedit", 35),
        ("kf2v", 30),
        ("i2v", 20),
        ("t2v", 0),
    ]
    assert table[-1][1] == "fallback when no other mode matches"
