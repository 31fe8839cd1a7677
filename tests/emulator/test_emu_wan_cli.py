"""The emulator's command line lists the models it serves and takes the input-video assumption."""

from __future__ import annotations

from qwencloud_skills.emulator.cli import build_parser, config_from_args


def test_help_lists_new_models() -> None:
    text = build_parser().format_help()
    for model in ("wan2.7-t2v", "wan2.7-i2v", "wan2.7-r2v", "wan2.7-videoedit", "wan3.0-video", "wan3.0-video-prime",
                  "wan2.6-t2v", "wan2.1-vace-plus"):
        assert model in text
    assert "workspace hosts" in text


def test_assumed_input_video_seconds_flag() -> None:
    assert config_from_args(build_parser().parse_args([])).options["assumed_input_video_seconds"] == 5.0
    args = build_parser().parse_args(["--assumed-input-video-seconds", "8.5"])
    assert config_from_args(args).options["assumed_input_video_seconds"] == 8.5
