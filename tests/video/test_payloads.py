"""Wire bodies: the corpus of documented examples, and every registered example end to end."""

from __future__ import annotations

import json

import pytest

from qwencloud_skills.plugins import get_registry

from .payload_corpus import CORPUS
from .util import SKILL


@pytest.mark.parametrize("row", CORPUS, ids=[row["source"] for row in CORPUS])
def test_corpus(row):
    registry = get_registry()
    chosen = registry.detect_mode(row["request"], skill=SKILL)
    assert chosen.name == row["mode"]
    validated = chosen.validate(row["request"], row["model"])
    body = chosen.payload(validated, row["model"])
    assert chosen.endpoint == row["endpoint"]
    assert body == row["body"]
    assert json.loads(json.dumps(body)) == row["body"]


def _examples():
    registry = get_registry()
    return [(mode.name, example) for mode in registry.modes_of(SKILL) for example in mode.examples]


def test_every_mode_has_at_least_two_examples():
    registry = get_registry()
    for mode in registry.modes_of(SKILL):
        assert len(mode.examples) >= 2, mode.name
        assert all(example.title and example.description for example in mode.examples)


def test_every_example_validates_and_builds_a_body():
    registry = get_registry()
    examples = _examples()
    assert len(examples) >= 10
    for mode_name, example in examples:
        chosen = registry.mode(mode_name, SKILL)
        assert registry.detect_mode(example.request, skill=SKILL).name == mode_name, example.title
        model = example.model or chosen.default_model
        assert chosen.model(model) is not None, example.title
        body = chosen.payload(chosen.validate(example.request, model), model)
        assert set(body) == {"model", "input", "parameters"}
        assert body["model"] == model
        given = set(example.request)
        sent = set(body["input"]) | set(body["parameters"])
        assert sent - given <= {"img_url", "duration", "size", "resolution", "prompt_extend", "media"}, example.title


def test_price_setting_fields_are_always_stated():
    registry = get_registry()
    chosen = registry.mode("t2v", SKILL)
    body = chosen.payload(chosen.validate({"prompt": "Rain"}))
    assert body == {"model": "wan2.6-t2v", "input": {"prompt": "Rain"},
                    "parameters": {"size": "1280*720", "duration": 5}}


def test_request_fields_all_have_descriptions():
    for mode in get_registry().modes_of(SKILL):
        for name, info in mode.request_class.model_fields.items():
            assert info.description, f"{mode.name}.{name} has no description"


def test_file_fields_are_request_fields():
    for mode in get_registry().modes_of(SKILL):
        assert set(mode.file_fields) <= set(mode.request_class.model_fields), mode.name
