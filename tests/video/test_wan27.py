"""wan2.7 / wan3.0 requests at the validation and payload level (the emulator learns these models separately)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mediafiles import mp4_bytes

from qwencloud_skills.cli.jobs import mode_line
from qwencloud_skills.tasks import Prepared
from qwencloud_skills.validation import resolve_model_id

from .util import CLIP, IMG, IMG2, SKILL, accept, issue, mode, registry, reject

MP3 = "https://example.com/song.mp3"


def body(mode_name, data, model=None):
    return mode(mode_name).payload(accept(mode_name, data, model), model)


def line(mode_name, data, model=None):
    chosen = mode(mode_name)
    model_id = resolve_model_id(chosen, data, model)
    validated = chosen.validate(data, model_id)
    return mode_line(Prepared(chosen, model_id, validated, chosen.payload(validated, model_id)))


# --- t2v ----------------------------------------------------------------------------------------------------

def test_wan27_t2v_states_resolution_and_duration_not_size():
    sent = body("t2v", {"prompt": "Rain", "ratio": "9:16"}, "wan2.7-t2v")
    assert sent["parameters"] == {"resolution": "720P", "ratio": "9:16", "duration": 5}


def test_wan27_t2v_refuses_size_shot_type_and_bad_ratio():
    error = reject("t2v", {"prompt": "Rain", "size": "1280*720", "shot_type": "multi", "ratio": "2:1"}, "wan2.7-t2v")
    assert "resolution" in issue(error, "size", "1280*720").fix
    assert "describe the shots in the prompt" in issue(error, "shot_type").fix
    issue(error, "ratio", "2:1")


def test_wan27_t2v_prompt_and_duration_limits():
    accept("t2v", {"prompt": "x" * 5000, "duration": 15}, "wan2.7-t2v")
    error = reject("t2v", {"prompt": "x" * 5001, "duration": 16}, "wan2.7-t2v")
    issue(error, "prompt")
    issue(error, "duration", 16)


def test_a_ratio_picks_wan27_t2v_and_says_so():
    assert line("t2v", {"prompt": "Rain", "ratio": "1:1"}) == (
        "Mode: t2v | Model: wan2.7-t2v | wan2.7-t2v picked for ratio, 720P, 5 s, with sound")


def test_legacy_t2v_line_names_the_size_tier():
    assert line("t2v", {"prompt": "Rain"}) == "Mode: t2v | Model: wan2.6-t2v | 1280*720 (720P), 5 s, with sound"


# --- i2v ----------------------------------------------------------------------------------------------------

def test_wan27_i2v_convenience_fields_build_media():
    sent = body("i2v", {"first_frame_url": IMG, "last_frame_url": IMG2, "driving_audio_url": MP3}, "wan2.7-i2v")
    assert sent["input"] == {"media": [{"type": "first_frame", "url": IMG}, {"type": "last_frame", "url": IMG2},
                                       {"type": "driving_audio", "url": MP3}]}
    assert sent["parameters"] == {"resolution": "720P", "duration": 5}


@pytest.mark.parametrize(("data", "accepted"), [
    ({"first_clip_url": CLIP}, True),
    ({"first_clip_url": CLIP, "last_frame_url": IMG}, True),
    ({"first_clip_url": CLIP, "driving_audio_url": MP3}, False),
    ({"last_frame_url": IMG}, False),
    ({"media": [{"type": "first_frame", "url": IMG}, {"type": "first_frame", "url": IMG2}]}, False),
    ({"media": [{"type": "first_frame", "url": "frame.png"}]}, False),  # local paths go in first_frame_url
    ({"first_frame_url": IMG, "ratio": "16:9"}, False),
])
def test_wan27_i2v_media_combinations(data, accepted):
    if accepted:
        accept("i2v", data, "wan2.7-i2v")
    else:
        reject("i2v", data, "wan2.7-i2v")


@pytest.mark.parametrize(("data", "expected"), [
    ({"first_clip_url": CLIP}, "i2v"),
    ({"first_frame_url": IMG, "driving_audio_url": MP3}, "i2v"),
    ({"media": [{"type": "first_frame", "url": IMG}]}, "i2v"),
    ({"first_frame_url": IMG, "last_frame_url": IMG2, "model": "wan2.7-i2v"}, "i2v"),
    ({"first_frame_url": IMG, "last_frame_url": IMG2}, "kf2v"),
    ({"media": [{"type": "reference_image", "url": IMG}], "prompt": "Image 1 waves"}, "r2v"),
    ({"video_url": CLIP, "prompt": "Make it snow"}, "videoedit"),
    ({"media": [{"type": "video", "url": CLIP}, {"type": "reference_image", "url": IMG}]}, "videoedit"),
])
def test_detection_of_media_requests(data, expected):
    assert registry().detect_mode(data, skill=SKILL).name == expected


def test_a_clip_picks_wan27_i2v_and_the_line_says_so():
    text = line("i2v", {"first_clip_url": CLIP, "duration": 10})
    # The clip is part of the billed total (duration counts it), not billed on top.
    assert text == ("Mode: i2v | Model: wan2.7-i2v | wan2.7-i2v picked for first_clip_url, 720P, 10 s in all, "
                    "clip included, with sound")


def test_legacy_i2v_refuses_wan27_fields_with_the_model_to_use():
    found = issue(reject("i2v", {"prompt": "x", "img_url": IMG, "last_frame_url": IMG2}, "wan2.6-i2v"),
                  "last_frame_url")
    assert "wan2.7-i2v" in found.fix


def test_the_billed_line_of_the_default_i2v_model():
    data = {"prompt": "Waves", "img_url": IMG}
    assert line("i2v", data) == "Mode: i2v | Model: wan2.6-i2v-flash | 720P, 5 s, with sound"
    assert line("i2v", {**data, "audio": False}).endswith("| 720P, 5 s, silent")


def test_a_local_clip_longer_than_the_duration_is_refused(tmp_path: Path):
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(mp4_bytes(seconds=6.0))
    found = issue(reject("i2v", {"first_clip_url": str(clip)}, "wan2.7-i2v"), "duration", 5)
    assert found.fix == "set duration to 7 or more"
    accept("i2v", {"first_clip_url": str(clip), "duration": 8}, "wan2.7-i2v")


def test_wan27_i2v_file_fields_carry_their_limits():
    chosen = mode("i2v")
    assert chosen.file_seconds["first_clip_url"] == (2.0, 10.0)
    assert chosen.file_types["first_clip_url"] == (".mp4", ".mov")
    assert chosen.file_seconds["driving_audio_url"] == (2.0, 30.0)
    assert chosen.file_max_mb["first_frame_url"] == 20.0
    assert mode("kf2v").file_max_mb["first_frame_url"] == 10.0  # kf2v keeps its own limit
    assert mode("vace").file_seconds["first_clip_url"] == (None, 3.0)


# --- r2v ----------------------------------------------------------------------------------------------------

def test_wan27_r2v_references_and_voices_become_media():
    sent = body("r2v", {"prompt": "Video 1 greets Image 1", "reference_urls": [CLIP, IMG],
                        "reference_voices": [MP3]}, "wan2.7-r2v")
    assert sent["input"]["media"] == [{"type": "reference_video", "url": CLIP, "reference_voice": MP3},
                                      {"type": "reference_image", "url": IMG}]
    assert "reference_urls" not in sent["input"]
    assert sent["parameters"] == {"resolution": "720P", "duration": 5}


def test_wan27_r2v_limits():
    issue(reject("r2v", {"prompt": "x", "reference_urls": [IMG] * 6}, "wan2.7-r2v"), "media")
    issue(reject("r2v", {"prompt": "x", "reference_urls": [CLIP], "duration": 12}, "wan2.7-r2v"), "duration", 12)
    accept("r2v", {"prompt": "x", "reference_urls": [IMG], "duration": 15}, "wan2.7-r2v")
    issue(reject("r2v", {"prompt": "x", "reference_urls": [IMG], "first_frame_url": IMG2, "ratio": "1:1"},
                 "wan2.7-r2v"), "ratio", "1:1")
    issue(reject("r2v", {"prompt": "x", "first_frame_url": IMG2}, "wan2.7-r2v"), "media")


def test_r2v_line_says_reference_video_seconds_are_billed():
    text = line("r2v", {"prompt": "x", "reference_urls": [CLIP]}, "wan2.7-r2v")
    assert text.endswith("| 720P, 5 s, with sound, input video seconds billed too")


# --- videoedit ----------------------------------------------------------------------------------------------

def test_videoedit_payload_and_line():
    data = {"prompt": "Make it snow", "video_url": CLIP, "reference_images": [IMG]}
    sent = body("videoedit", data)
    assert sent == {"model": "wan2.7-videoedit",
                    "input": {"prompt": "Make it snow", "media": [{"type": "video", "url": CLIP},
                                                                  {"type": "reference_image", "url": IMG}]},
                    "parameters": {"resolution": "720P", "duration": 0}}
    assert line("videoedit", data).endswith("| 720P, as long as the input video, with sound, "
                                            "input video seconds billed too")


@pytest.mark.parametrize("changes", [
    {"duration": 1}, {"duration": 11}, {"audio_setting": "mute"}, {"reference_images": [IMG] * 5},
    {"video_url": None}, {"media": [{"type": "video", "url": CLIP}]},
])
def test_videoedit_refusals(changes):
    data = {"prompt": "Make it snow", "video_url": CLIP, **changes}
    reject("videoedit", {key: value for key, value in data.items() if value is not None})


def test_videoedit_accepts_its_documented_values():
    accept("videoedit", {"video_url": CLIP, "duration": 10, "audio_setting": "origin", "ratio": "4:3"})


# --- wan3.0 -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode_name", ["t2v", "i2v", "r2v"])
def test_wan30_is_offered_where_its_request_shape_fits(mode_name):
    assert {"wan3.0-video", "wan3.0-video-prime"} <= set(mode(mode_name).model_ids)


def test_wan30_length_audio_and_prompt():
    sent = body("t2v", {"prompt": "x" * 20000, "duration": -1, "audio": False}, "wan3.0-video")
    assert sent["parameters"] == {"resolution": "720P", "duration": -1, "audio": False}
    assert "billed length unknown until done" in line("t2v", {"prompt": "x", "duration": -1}, "wan3.0-video-prime")
    error = reject("t2v", {"prompt": "x", "duration": 31, "negative_prompt": "blur"}, "wan3.0-video")
    issue(error, "duration", 31)
    issue(error, "negative_prompt", "blur")


def test_wan30_media_limits():
    docs = [{"type": "file", "url": "https://e/a.pdf"}, {"type": "link", "url": "https://e/page"}]
    issue(reject("r2v", {"prompt": "x", "media": docs}, "wan3.0-video"), "media")
    accept("r2v", {"prompt": "x", "media": [{"type": "reference_image", "url": IMG}] * 10}, "wan3.0-video")
    issue(reject("r2v", {"prompt": "x", "media": [{"type": "first_frame", "url": IMG}]}, "wan3.0-video"), "media[0]")
    accept("i2v", {"media": [{"type": "first_frame", "url": IMG}, {"type": "last_frame", "url": IMG2}]},
           "wan3.0-video")


def test_a_failing_billing_callable_leaves_the_plain_line():
    import dataclasses

    def broken(request, model_id):
        raise RuntimeError("plugin bug")

    chosen = dataclasses.replace(mode("t2v"), billing=broken)
    validated = chosen.validate({"prompt": "Rain"})
    prepared = Prepared(chosen, "wan2.6-t2v", validated, chosen.payload(validated))
    assert mode_line(prepared) == "Mode: t2v | Model: wan2.6-t2v"


# --- playing time of local media (only local files can be measured) ---------------------------------------

def clip_file(folder: Path, name: str, seconds: float) -> str:
    path = folder / name
    path.write_bytes(mp4_bytes(seconds=seconds))
    return str(path)


def test_wan30_reference_clips_share_15_seconds(tmp_path: Path):
    clips = [clip_file(tmp_path, f"c{i}.mp4", 6.0) for i in range(3)]
    error = reject("r2v", {"prompt": "Video 1 meets Video 2", "reference_urls": clips}, "wan3.0-video")
    found = issue(error, "media", "reference_video")
    assert "18.00 s together" in found.problem and "15 s" in found.allowed
    accept("r2v", {"prompt": "Video 1 meets Video 2", "reference_urls": clips[:2]}, "wan3.0-video")


def test_wan30_one_reference_clip_over_15_seconds(tmp_path: Path):
    long_clip = clip_file(tmp_path, "long.mp4", 16.0)
    found = issue(reject("r2v", {"prompt": "Video 1 dances", "reference_urls": [long_clip]}, "wan3.0-video"),
                  "reference_urls[0]")
    assert "16.00 s" in found.problem and "1-15 s" in found.allowed and found.fix == "trim it"


def test_wan30_input_video_and_output_stay_within_30_seconds(tmp_path: Path):
    clips = [clip_file(tmp_path, "a.mp4", 7.0), clip_file(tmp_path, "b.mp4", 7.0)]
    found = issue(reject("r2v", {"prompt": "Video 1", "reference_urls": clips, "duration": 20}, "wan3.0-video"),
                  "duration", 20)
    assert "14.00 s" in found.problem and found.fix == "set duration to 16 or less"
    accept("r2v", {"prompt": "Video 1", "reference_urls": clips, "duration": 16}, "wan3.0-video")
    accept("r2v", {"prompt": "Video 1", "reference_urls": clips, "duration": -1}, "wan3.0-video")  # model decides


def test_wan27_r2v_reference_clip_length(tmp_path: Path):
    short = clip_file(tmp_path, "short.mp4", 0.5)
    found = issue(reject("r2v", {"prompt": "Video 1 waves", "reference_urls": [short]}, "wan2.7-r2v"),
                  "reference_urls[0]")
    assert "1-30 s" in found.allowed and found.fix == "use a longer one"


def wav_file(folder: Path, name: str, seconds: float) -> str:
    from mediafiles import wav_bytes

    path = folder / name
    path.write_bytes(wav_bytes(seconds=seconds))
    return str(path)


def test_soundtrack_length_follows_the_model(tmp_path: Path):
    track = wav_file(tmp_path, "short.wav", 2.5)
    accept("t2v", {"prompt": "Rain", "audio_url": track}, "wan2.7-t2v")  # 2-30 s there
    found = issue(reject("t2v", {"prompt": "Rain", "audio_url": track}, "wan2.6-t2v"), "audio_url")
    assert "2.50 s" in found.problem and found.allowed == "3-30 s on wan2.6-t2v"
    long_track = wav_file(tmp_path, "long.wav", 31.0)
    assert "trim" in issue(reject("t2v", {"prompt": "Rain", "audio_url": long_track}, "wan2.7-t2v"), "audio_url").fix


def test_wan30_takes_ratio_with_frames_but_wan27_i2v_does_not():
    frames = {"first_frame_url": IMG, "last_frame_url": IMG2, "ratio": "adaptive"}
    assert body("i2v", frames, "wan3.0-video")["parameters"]["ratio"] == "adaptive"
    found = issue(reject("i2v", {"first_frame_url": IMG, "ratio": "16:9"}, "wan2.7-i2v"), "ratio", "16:9")
    assert "follows the input" in found.fix


def test_own_soundtrack_goes_where_each_model_takes_it():
    wan30 = issue(reject("t2v", {"prompt": "x", "audio_url": MP3}, "wan3.0-video"), "audio_url", MP3)
    assert "reference_audio_urls" in wan30.fix
    wan27 = issue(reject("i2v", {"first_frame_url": IMG, "audio_url": MP3}, "wan2.7-i2v"), "audio_url", MP3)
    assert wan27.fix == "rename audio_url to driving_audio_url"


def test_wan30_r2v_needs_a_prompt_or_media():
    accept("r2v", {"media": [{"type": "reference_image", "url": IMG}]}, "wan3.0-video")
    issue(reject("r2v", {"duration": 5}, "wan3.0-video"), "prompt")
    issue(reject("r2v", {"reference_urls": [IMG]}, "wan2.7-r2v"), "prompt")
