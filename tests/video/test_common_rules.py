"""Rules shared by the modes: duration, size/resolution, shot type, audio, prompt, seed, escape hatch."""

from __future__ import annotations

import pytest

from .util import accept, issue, mode, reject, request

DURATIONS = [
    # mode, model, seconds, accepted
    ("t2v", "wan2.6-t2v", 2, True),
    ("t2v", "wan2.6-t2v", 15, True),
    ("t2v", "wan2.6-t2v", 1, False),
    ("t2v", "wan2.6-t2v", 16, False),
    ("t2v", "wan2.5-t2v-preview", 5, True),
    ("t2v", "wan2.5-t2v-preview", 10, True),
    ("t2v", "wan2.5-t2v-preview", 7, False),
    ("t2v", "wan2.2-t2v-plus", 5, True),
    ("t2v", "wan2.2-t2v-plus", 10, False),
    ("i2v", "wan2.6-i2v-flash", 15, True),
    ("i2v", "wan2.6-i2v", 3, True),
    ("i2v", "wan2.6-i2v-flash", 16, False),
    ("i2v", "wan2.5-i2v-preview", 10, True),
    ("i2v", "wan2.5-i2v-preview", 8, False),
    ("r2v", "wan2.6-r2v-flash", 2, True),
    ("r2v", "wan2.6-r2v", 10, True),
    ("r2v", "wan2.6-r2v", 11, False),
    ("r2v", "wan2.6-r2v-flash", 15, False),
    ("vace", "wan2.1-vace-plus", 5, True),
    ("vace", "wan2.1-vace-plus", 6, False),
]


@pytest.mark.parametrize(("mode_name", "model", "seconds", "accepted"), DURATIONS)
def test_duration_per_model(mode_name, model, seconds, accepted):
    data = request(mode_name, duration=seconds)
    if accepted:
        assert accept(mode_name, data, model).duration == seconds
    else:
        found = issue(reject(mode_name, data, model), "duration", seconds)
        assert found.allowed and found.fix.startswith("use ")


def test_duration_fix_names_the_nearest_allowed_value():
    longer = issue(reject("t2v", request("t2v", duration=20), "wan2.6-t2v"), "duration")
    assert longer.problem == "wan2.6-t2v makes at most 15 s"
    assert longer.fix == "use 15; for longer videos: qwencloud-video workflow run long-video --duration 20"
    assert issue(reject("t2v", request("t2v", duration=8), "wan2.5-t2v-preview"), "duration").fix == "use 10"


SIZES = [
    ("t2v", "wan2.6-t2v", "1280*720", True),
    ("t2v", "wan2.6-t2v", "1080*1920", True),
    ("t2v", "wan2.6-t2v", "832*480", False),
    ("t2v", "wan2.5-t2v-preview", "624*624", True),
    ("t2v", "wan2.2-t2v-plus", "832*480", True),
    ("t2v", "wan2.2-t2v-plus", "1280*720", False),
    ("r2v", "wan2.6-r2v-flash", "1440*1440", True),
    ("r2v", "wan2.6-r2v", "480*832", False),
    ("vace", "wan2.1-vace-plus", "960*960", True),
    ("vace", "wan2.1-vace-plus", "1920*1080", False),
]


@pytest.mark.parametrize(("mode_name", "model", "size", "accepted"), SIZES)
def test_size_per_model(mode_name, model, size, accepted):
    data = request(mode_name, size=size)
    if accepted:
        accept(mode_name, data, model)
    else:
        found = issue(reject(mode_name, data, model), "size", size)
        assert size not in found.allowed.split(", ")


def test_size_suggests_the_closest_allowed_shape():
    found = issue(reject("t2v", request("t2v", size="480*832"), "wan2.6-t2v"), "size")
    assert found.fix == "use '720*1280'"


@pytest.mark.parametrize(
    ("size", "fix"),
    [("1280x720", "write it as '1280*720'"), ("1280 * 720", "write it as '1280*720'"), ("wide", "width*height")],
)
def test_size_format(size, fix):
    found = issue(reject("t2v", request("t2v", size=size)), "size", size)
    assert fix in found.fix


RESOLUTIONS = [
    ("i2v", "wan2.6-i2v-flash", "720P", True),
    ("i2v", "wan2.6-i2v", "1080P", True),
    ("i2v", "wan2.6-i2v-flash", "480P", False),
    ("i2v", "wan2.5-i2v-preview", "480P", True),
    ("kf2v", "wan2.2-kf2v-flash", "480P", True),
    ("kf2v", "wan2.2-kf2v-flash", "1080P", True),
    ("kf2v", "wan2.2-kf2v-flash", "2K", False),
    ("i2v", "wan2.6-i2v", "720p", False),
]


@pytest.mark.parametrize(("mode_name", "model", "resolution", "accepted"), RESOLUTIONS)
def test_resolution_per_model(mode_name, model, resolution, accepted):
    data = request(mode_name, resolution=resolution)
    if accepted:
        accept(mode_name, data, model)
    else:
        issue(reject(mode_name, data, model), "resolution", resolution)


def test_lower_case_resolution_gets_the_exact_spelling():
    assert issue(reject("i2v", request("i2v", resolution="720p")), "resolution").fix == "write it as '720P'"


MIXUPS = [
    # mode, model, wrong field, value, expected fix
    ("t2v", "wan2.6-t2v", "resolution", "720P", "use size '1280*720' instead of resolution '720P'"),
    ("t2v", "wan2.6-t2v", "resolution", "1080P", "use size '1920*1080' instead of resolution '1080P'"),
    ("t2v", "wan2.2-t2v-plus", "resolution", "720P", "use size '1920*1080' instead of resolution '720P'"),
    ("r2v", "wan2.6-r2v-flash", "resolution", "1080P", "use size '1920*1080' instead of resolution '1080P'"),
    ("vace", "wan2.1-vace-plus", "resolution", "720P", "use size '1280*720' instead of resolution '720P'"),
    ("i2v", "wan2.6-i2v-flash", "size", "1280*720", "use resolution '720P' instead of size '1280*720'"),
    ("i2v", "wan2.6-i2v", "size", "1080*1920", "use resolution '1080P' instead of size '1080*1920'"),
    ("i2v", "wan2.6-i2v-flash", "size", "832*480", "use resolution '720P' instead of size '832*480'"),
    ("kf2v", "wan2.2-kf2v-flash", "size", "832*480", "use resolution '480P' instead of size '832*480'"),
]


@pytest.mark.parametrize(("mode_name", "model", "field", "value", "fix"), MIXUPS)
def test_size_and_resolution_mixups_say_what_to_write(mode_name, model, field, value, fix):
    found = issue(reject(mode_name, request(mode_name, **{field: value}), model), field, value)
    assert found.fix == fix
    assert "not" in found.problem


SHOT_TYPES = [
    # mode, model, changes, accepted, field named in the error
    ("t2v", "wan2.6-t2v", {"shot_type": "multi", "prompt_extend": True}, True, None),
    ("t2v", "wan2.6-t2v", {"shot_type": "single"}, True, None),
    ("t2v", "wan2.6-t2v", {"shot_type": "multi"}, True, None),  # prompt_extend true is sent for you
    ("t2v", "wan2.6-t2v", {"shot_type": "multi", "prompt_extend": False}, False, "shot_type"),
    ("t2v", "wan2.5-t2v-preview", {"shot_type": "multi", "prompt_extend": True}, False, "shot_type"),
    ("t2v", "wan2.6-t2v", {"shot_type": "many"}, False, "shot_type"),
    ("i2v", "wan2.6-i2v-flash", {"shot_type": "multi", "prompt_extend": True}, True, None),
    ("i2v", "wan2.5-i2v-preview", {"shot_type": "multi", "prompt_extend": True}, False, "shot_type"),
    # r2v: the service rewrites prompts unless told not to, so only an explicit false is wrong.
    ("r2v", "wan2.6-r2v-flash", {"shot_type": "multi"}, True, None),
    ("r2v", "wan2.6-r2v", {"shot_type": "multi", "prompt_extend": False}, False, "shot_type"),
]


@pytest.mark.parametrize(("mode_name", "model", "changes", "accepted", "field"), SHOT_TYPES)
def test_shot_type(mode_name, model, changes, accepted, field):
    data = request(mode_name, **changes)
    if accepted:
        accept(mode_name, data, model)
    else:
        issue(reject(mode_name, data, model), field, changes["shot_type"])


def test_multi_shot_with_prompt_extend_false_says_how_to_fix():
    found = issue(reject("t2v", request("t2v", shot_type="multi", prompt_extend=False)), "shot_type", "multi")
    assert found.fix.startswith("set prompt_extend to true")


@pytest.mark.parametrize("mode_name", ["t2v", "i2v"])
def test_multi_shot_without_prompt_extend_sends_it_true(mode_name):
    body = mode(mode_name).payload(accept(mode_name, request(mode_name, shot_type="multi")))
    assert body["parameters"]["shot_type"] == "multi"
    assert body["parameters"]["prompt_extend"] is True


def test_r2v_multi_shot_sends_no_prompt_extend_it_does_not_document():
    body = mode("r2v").payload(accept("r2v", request("r2v", shot_type="multi")))
    assert "prompt_extend" not in body["parameters"]


def test_multi_shot_on_a_single_shot_model_lists_capable_models():
    found = issue(reject("t2v", request("t2v", shot_type="multi", prompt_extend=True), "wan2.2-t2v-plus"), "shot_type")
    assert found.allowed == "wan2.6-t2v"


MP3 = "https://example.com/track.mp3"
AUDIO = [
    ("t2v", "wan2.6-t2v", {"audio_url": MP3}, True, None),
    ("t2v", "wan2.5-t2v-preview", {"audio_url": "/music/theme.WAV"}, True, None),
    ("t2v", "wan2.6-t2v", {"audio_url": "https://example.com/track.mp3?sig=abc"}, True, None),
    ("t2v", "wan2.6-t2v", {"audio_url": "https://example.com/stream"}, True, None),
    ("t2v", "wan2.2-t2v-plus", {"audio_url": MP3}, False, "audio_url"),
    ("t2v", "wan2.6-t2v", {"audio_url": "song.ogg"}, False, "audio_url"),
    ("t2v", "wan2.6-t2v", {"audio_url": "https://example.com/song.flac"}, False, "audio_url"),
    ("i2v", "wan2.6-i2v", {"audio_url": MP3}, True, None),
    ("i2v", "wan2.6-i2v-flash", {"audio": False}, True, None),
    ("i2v", "wan2.6-i2v", {"audio": True}, True, None),
    ("i2v", "wan2.6-i2v", {"audio": False}, False, "audio"),
    ("i2v", "wan2.5-i2v-preview", {"audio": False}, False, "audio"),
    ("i2v", "wan2.6-i2v-flash", {"audio": False, "audio_url": MP3}, False, "audio"),
    ("r2v", "wan2.6-r2v-flash", {"audio": False}, True, None),
    ("r2v", "wan2.6-r2v", {"audio": True}, True, None),
    ("r2v", "wan2.6-r2v", {"audio": False}, False, "audio"),
    ("kf2v", "wan2.2-kf2v-flash", {"audio_url": MP3}, False, "audio_url"),
    ("kf2v", "wan2.2-kf2v-flash", {"audio": True}, False, "audio"),
    ("vace", "wan2.1-vace-plus", {"audio_url": MP3}, False, "audio_url"),
    ("vace", "wan2.1-vace-plus", {"audio": False}, False, "audio"),
]


@pytest.mark.parametrize(("mode_name", "model", "changes", "accepted", "field"), AUDIO)
def test_audio_fields(mode_name, model, changes, accepted, field):
    data = request(mode_name, **changes)
    if accepted:
        accept(mode_name, data, model)
    else:
        found = issue(reject(mode_name, data, model), field, changes[field])
        assert found.fix


def test_audio_on_a_silent_model_lists_models_with_sound():
    found = issue(reject("t2v", request("t2v", audio_url=MP3), "wan2.2-t2v-plus"), "audio_url")
    assert "wan2.6-t2v" in found.allowed and "wan2.5-t2v-preview" in found.allowed


def test_forcing_silence_on_a_model_that_cannot_names_the_one_that_can():
    assert "wan2.6-i2v-flash" in issue(reject("i2v", request("i2v", audio=False), "wan2.6-i2v"), "audio").allowed


PROMPTS = [
    ("t2v", "wan2.6-t2v", "x" * 1500, True),
    ("t2v", "wan2.6-t2v", "x" * 1501, False),
    ("t2v", "wan2.5-t2v-preview", "x" * 1500, True),
    ("t2v", "wan2.2-t2v-plus", "x" * 800, True),
    ("t2v", "wan2.2-t2v-plus", "x" * 801, False),
    ("i2v", "wan2.6-i2v-flash", "x" * 1501, False),
    ("kf2v", "wan2.2-kf2v-flash", "x" * 800, True),
    ("kf2v", "wan2.2-kf2v-flash", "x" * 801, False),
    ("r2v", "wan2.6-r2v", "x" * 1500, True),
    ("vace", "wan2.1-vace-plus", "x" * 801, False),
]


@pytest.mark.parametrize(("mode_name", "model", "text", "accepted"), PROMPTS)
def test_prompt_length_per_model_family(mode_name, model, text, accepted):
    data = request(mode_name, prompt=text)
    if accepted:
        accept(mode_name, data, model)
    else:
        found = issue(reject(mode_name, data, model), "prompt", text)
        assert found.allowed.startswith("at most ")
        assert found.fix.startswith("shorten it by 1 character")


@pytest.mark.parametrize("mode_name", ["t2v", "i2v", "r2v"])
@pytest.mark.parametrize("prompt", [None, "", "   "])
def test_prompt_is_required_where_the_mode_needs_it(mode_name, prompt):
    data = request(mode_name, prompt=None)
    if prompt is not None:
        data["prompt"] = prompt
    issue(reject(mode_name, data), "prompt")


def test_prompt_is_optional_for_kf2v():
    accept("kf2v", request("kf2v", prompt=None))


@pytest.mark.parametrize(("text", "accepted"), [("n" * 500, True), ("n" * 501, False)])
@pytest.mark.parametrize("mode_name", ["t2v", "i2v", "kf2v", "r2v", "vace"])
def test_negative_prompt_limit(mode_name, text, accepted):
    data = request(mode_name, negative_prompt=text)
    if accepted:
        accept(mode_name, data)
    else:
        assert issue(reject(mode_name, data), "negative_prompt", text).allowed == "at most 500 characters"


@pytest.mark.parametrize(("seed", "accepted"), [(0, True), (2147483647, True), (-1, False), (2147483648, False)])
@pytest.mark.parametrize("mode_name", ["t2v", "i2v", "kf2v", "r2v", "vace"])
def test_seed_range(mode_name, seed, accepted):
    data = request(mode_name, seed=seed)
    if accepted:
        assert accept(mode_name, data).seed == seed
    else:
        assert issue(reject(mode_name, data), "seed", seed).allowed == "0 to 2147483647"


def test_several_problems_are_reported_together():
    error = reject("t2v", request("t2v", duration=99, size="7*7", seed=-5), "wan2.6-t2v")
    assert {item.field for item in error.issues} == {"duration", "size", "seed"}


def test_escape_hatch_is_for_unknown_fields_only():
    accept("t2v", request("t2v", extra_parameters={"fps": 30}, extra_input={"hint": "x"}))
    issue(reject("t2v", request("t2v", extra_parameters={"duration": 30})), "extra_parameters.duration", 30)
    issue(reject("t2v", request("t2v", extra_input={"prompt": "other"})), "extra_input.prompt", "other")


def test_unknown_field_gets_did_you_mean():
    found = issue(reject("t2v", request("t2v", durration=5)), "durration", 5)
    assert "'duration'" in found.fix


def test_wrong_type_names_the_field():
    issue(reject("t2v", request("t2v", duration="five")), "duration", "five")
