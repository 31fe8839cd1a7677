"""The model catalog matches the seed's tables, and the catalog helpers behave."""

from __future__ import annotations

import pytest
from qwencloud_video.catalog import (
    SIZE_TIERS,
    VideoModel,
    closest_size,
    describe_seconds,
    parse_size,
    sizes_for,
    span,
    tier_of_size,
)

from .util import mode

SEED_MODELS = {
    "t2v": ["wan2.6-t2v", "wan2.5-t2v-preview", "wan2.2-t2v-plus"],
    "i2v": ["wan2.6-i2v-flash", "wan2.6-i2v", "wan2.5-i2v-preview"],
    "kf2v": ["wan2.2-kf2v-flash"],
    "r2v": ["wan2.6-r2v-flash", "wan2.6-r2v"],
    "vace": ["wan2.1-vace-plus"],
}

# model -> (tiers, duration text, audio, multi-shot, prompt limit), straight from the seed's tables.
SEED_LIMITS = {
    "wan2.6-t2v": (("720P", "1080P"), "2-15 s", "auto", True, 1500),
    "wan2.5-t2v-preview": (("480P", "720P", "1080P"), "5 or 10 s", "auto", False, 1500),
    "wan2.2-t2v-plus": (("480P", "1080P"), "5 s", "silent", False, 800),
    "wan2.6-i2v-flash": (("720P", "1080P"), "2-15 s", "auto_forceable_silent", True, 1500),
    "wan2.6-i2v": (("720P", "1080P"), "2-15 s", "auto", True, 1500),
    "wan2.5-i2v-preview": (("480P", "720P", "1080P"), "5 or 10 s", "auto", False, 1500),
    "wan2.2-kf2v-flash": (("480P", "720P", "1080P"), "5 s", "silent", False, 800),
    "wan2.6-r2v-flash": (("720P", "1080P"), "2-10 s", "auto_forceable_silent", True, 1500),
    "wan2.6-r2v": (("720P", "1080P"), "2-10 s", "auto", True, 1500),
    "wan2.1-vace-plus": (("720P",), "1-5 s", "silent", False, 800),
}
SIZE_MODES = ("t2v", "r2v", "vace")


# Models added after the seed (wan2.7 protocol and wan3.0), listed after the seed's.
NEW_MODELS = {
    "t2v": ["wan2.7-t2v", "wan3.0-video", "wan3.0-video-prime"],
    "i2v": ["wan2.7-i2v", "wan3.0-video", "wan3.0-video-prime"],
    "kf2v": [],
    "r2v": ["wan2.7-r2v", "wan3.0-video", "wan3.0-video-prime"],
    "vace": [],
}
# model -> (tiers, duration text, audio, multi-shot, prompt limit), from the 2026 API reference.
NEW_LIMITS = {
    "wan2.7-t2v": (("720P", "1080P"), "2-15 s", "auto", False, 5000),
    "wan2.7-i2v": (("720P", "1080P"), "2-15 s", "auto", False, 5000),
    "wan2.7-r2v": (("720P", "1080P"), "2-15 s", "auto", False, 5000),
    "wan3.0-video": (("480P", "720P", "1080P"), "2-30 s", "auto_forceable_silent", False, 20000),
    "wan3.0-video-prime": (("480P", "720P", "1080P"), "2-30 s", "auto_forceable_silent", False, 20000),
}


@pytest.mark.parametrize("mode_name", sorted(SEED_MODELS))
def test_each_mode_lists_the_seed_models_with_the_seed_default_first(mode_name):
    chosen = mode(mode_name)
    assert chosen.model_ids == SEED_MODELS[mode_name] + NEW_MODELS[mode_name]
    assert chosen.default_model == SEED_MODELS[mode_name][0]
    assert chosen.model(chosen.default_model).recommended


@pytest.mark.parametrize("mode_name", sorted(SEED_MODELS))
def test_models_carry_the_seed_limits(mode_name):
    for spec in mode(mode_name).models:
        tiers, seconds, audio, multi_shot, prompt_max = {**SEED_LIMITS, **NEW_LIMITS}[spec.id]
        assert isinstance(spec, VideoModel)
        assert spec.resolutions == tiers
        assert describe_seconds(spec.durations) == seconds
        assert (spec.audio, spec.multi_shot, spec.prompt_max) == (audio, multi_shot, prompt_max)
        if mode_name in SIZE_MODES and spec.dimension != "resolution":
            assert spec.sizes == sizes_for(*tiers)
            assert spec.default_size in spec.sizes
        else:
            assert spec.sizes == ()
            assert spec.default_resolution in spec.resolutions


def test_describe_gives_readable_limits_for_help_text():
    described = mode("t2v").model("wan2.6-t2v").describe()
    assert described["duration"] == "2-15 s (default 5)"
    assert described["tiers"] == "720P, 1080P" and "resolution" not in described  # t2v takes size only
    assert "1920*1080" in described["size"] and "832*480" not in described["size"]
    assert described["multi-shot"].startswith("yes")
    assert described["prompt"] == "up to 1500 characters"
    assert "audio=false" in mode("i2v").model("wan2.6-i2v-flash").describe()["audio"]
    assert mode("kf2v").model("wan2.2-kf2v-flash").describe()["audio"] == "silent only"
    assert "audio_url" in mode("t2v").model("wan2.6-t2v").describe()["audio"]
    assert "audio_url" not in mode("r2v").model("wan2.6-r2v").describe()["audio"]  # r2v takes no own track
    assert "720P" in mode("i2v").model("wan2.6-i2v-flash").describe()["resolution"]


def test_unknown_audio_kind_is_refused_at_definition():
    with pytest.raises(ValueError, match="audio must be one of"):
        VideoModel(id="x", audio="loud")


def test_size_tiers_are_the_published_presets():
    assert SIZE_TIERS["480P"] == ("832*480", "480*832", "624*624")
    assert SIZE_TIERS["720P"] == ("1280*720", "720*1280", "960*960", "1088*832", "832*1088")
    assert SIZE_TIERS["1080P"] == ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632")


def test_span_and_seconds_text():
    assert span(2, 4) == (2, 3, 4)
    assert describe_seconds((5,)) == "5 s"
    assert describe_seconds((5, 10)) == "5 or 10 s"
    assert describe_seconds((3, 5, 9)) == "3, 5 or 9 s"
    assert describe_seconds(span(2, 10)) == "2-10 s"


@pytest.mark.parametrize(
    ("size", "tier"),
    [
        ("1280*720", "720P"),
        ("480*832", "480P"),
        ("1440*1440", "1080P"),
        ("1152*648", "720P"),
        ("1000*560", "480P"),
        ("3840*2160", "1080P"),
    ],
)
def test_tier_of_size(size, tier):
    assert tier_of_size(size) == tier


def test_parse_and_closest_size():
    assert parse_size("1280x720") == (1280, 720)
    assert parse_size("wide") is None
    assert closest_size("1920*1080", sizes_for("720P")) == "1280*720"
    assert closest_size("480*832", sizes_for("720P", "1080P")) == "720*1280"
    assert closest_size("nonsense", sizes_for("720P")) is None
