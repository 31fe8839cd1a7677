"""Wire bodies: the documented corpus, every registered example, and the money rule (n always stated)."""

from __future__ import annotations

import json

import pytest

from .payload_corpus import CORPUS
from .util import DEFAULT_MODEL, MODES, SKILL, accept, body, mode, registry, request


@pytest.mark.parametrize("row", CORPUS, ids=[row["source"] for row in CORPUS])
def test_corpus(row):
    seen = {**row["request"], "model": row["model"]} if row["model"] else row["request"]
    chosen = registry().detect_mode(seen, skill=SKILL)
    assert chosen.name == row["mode"]
    model = row["model"] or chosen.default_model
    assert chosen.model(model).endpoint == row["endpoint"]
    built = chosen.payload(accept(chosen.name, row["request"], row["model"]), model)
    assert built == row["body"]
    assert json.loads(json.dumps(built)) == row["body"]


def test_the_corpus_covers_every_model_of_every_mode_layout():
    covered = {(row["mode"], row["model"] or DEFAULT_MODEL[row["mode"]]) for row in CORPUS}
    layouts = {(mode(row["mode"]).model(model).body, row["mode"]) for row in CORPUS
               for model in [row["model"] or DEFAULT_MODEL[row["mode"]]]}
    assert {name for name, _ in covered} == set(MODES)
    assert layouts == {("messages", "t2i"), ("prompt", "t2i"), ("messages", "image-edit"), ("prompt", "i2i")}


def test_each_mode_default_endpoint_is_its_default_model_endpoint():
    for name in MODES:
        chosen = mode(name)
        assert chosen.default_model == DEFAULT_MODEL[name]
        assert chosen.endpoint == chosen.model(chosen.default_model).endpoint


@pytest.mark.parametrize("name", MODES)
def test_n_is_sent_for_every_model_even_when_left_out(name):
    for spec in mode(name).models:
        built = body(name, request(name), spec.id)
        assert built["parameters"]["n"] == 1, spec.id


@pytest.mark.parametrize("name", MODES)
def test_a_given_n_is_sent_as_given(name):
    for spec in mode(name).models:
        built = body(name, request(name, n=spec.n_max), spec.id)
        assert built["parameters"]["n"] == spec.n_max, spec.id


def test_n_is_also_stated_for_a_model_nobody_describes():
    with pytest.warns(UserWarning):
        validated = mode("t2i").validate({"prompt": "A fox"}, "wan9.9-t2i-future")
    built = mode("t2i").payload(validated, "wan9.9-t2i-future")
    assert built == {"model": "wan9.9-t2i-future", "input": {"messages": [{"role": "user", "content": [
        {"text": "A fox"}]}]}, "parameters": {"n": 1}}


@pytest.mark.parametrize("name", MODES)
def test_size_is_stated_where_the_model_has_a_default_and_left_out_where_the_output_follows_the_input(name):
    for spec in mode(name).models:
        parameters = body(name, request(name), spec.id)["parameters"]
        if spec.default_size:
            assert parameters["size"] == spec.default_size, spec.id
        else:
            assert "size" not in parameters and spec.images[0] >= 1, spec.id  # only edits follow their input


def test_t2i_defaults_are_the_documented_cheapest_or_fixed_sizes():
    defaults = {spec.id: spec.default_size for spec in mode("t2i").models}
    assert defaults == {
        "wan2.6-t2i": "1280*1280", "wan2.7-image": "1K", "wan2.7-image-pro": "1K", "wan2.5-t2i-preview": "1280*1280",
        "wan2.2-t2i-flash": "1024*1024", "wan2.2-t2i-plus": "1024*1024", "qwen-image-plus": "1664*928",
        "qwen-image": "1664*928",
    }


def test_escape_hatches_merge_into_input_and_parameters():
    built = body("image-edit", request("image-edit", extra_parameters={"bbox_list": [[[1, 2, 3, 4]]]},
                                       extra_input={"note": "x"}))
    assert built["parameters"]["bbox_list"] == [[[1, 2, 3, 4]]]
    assert built["input"]["note"] == "x" and "messages" in built["input"]


def _examples():
    return [(m.name, example) for m in registry().modes_of(SKILL) for example in m.examples]


def test_every_mode_has_at_least_two_examples():
    for chosen in registry().modes_of(SKILL):
        assert len(chosen.examples) >= 2, chosen.name
        assert all(example.title and example.description for example in chosen.examples)


@pytest.mark.parametrize("pair", _examples(), ids=lambda pair: f"{pair[0]}: {pair[1].title}")
def test_every_example_validates_is_detected_and_builds_a_body(pair):
    mode_name, example = pair
    chosen = mode(mode_name)
    seen = {**example.request, "model": example.model} if example.model else example.request
    assert registry().detect_mode(seen, skill=SKILL).name == mode_name
    model = example.model or chosen.default_model
    assert chosen.model(model) is not None
    built = chosen.payload(accept(mode_name, example.request, example.model), model)
    assert set(built) == {"model", "input", "parameters"} and built["model"] == model
    assert built["parameters"]["n"] == example.request.get("n", 1)
