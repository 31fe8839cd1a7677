"""Wire bodies: the corpus of documented examples, and every registered example end to end."""

from __future__ import annotations

import json
import warnings

import pytest

from qwencloud_skills.plugins import get_registry
from qwencloud_skills.registry import UnknownModelWarning
from qwencloud_skills.validation import resolve_model_id

from .payload_corpus import CORPUS
from .payload_corpus_media import MEDIA_CORPUS
from .util import SKILL


def _params(rows):
    """One pytest param per row, id = its source; a row with ``xfail`` is a documented difference (strict)."""
    return [pytest.param(row, id=row["source"],
                         marks=[pytest.mark.xfail(strict=True, reason=row["xfail"])] if row.get("xfail") else [])
            for row in rows]


def _per_type(body):
    """The body with input.media grouped by item type, order kept within a type.

    The service counts media per type in array order (Image 1, Video 1, Audio 1 are
    independent sequences; wan-protocol-2026.md L83 and L171), so only that order matters.
    """
    media = body.get("input", {}).get("media")
    if not isinstance(media, list):
        return body
    grouped = {}
    for item in media:
        grouped.setdefault(item.get("type"), []).append(item)
    return {**body, "input": {**body["input"], "media": grouped}}


@pytest.mark.parametrize("row", _params(CORPUS) + _params(MEDIA_CORPUS))
def test_corpus(row):
    registry = get_registry()
    # As the CLI does: detection sees a named model as the request's "model", then the model is resolved.
    seen = {**row["request"], "model": row["model"]} if row["model"] else row["request"]
    chosen = registry.detect_mode(seen, skill=SKILL)
    assert chosen.name == row["mode"]
    model_id = resolve_model_id(chosen, row["request"], row["model"])
    assert chosen.model(model_id) is not None, f"{model_id} is not in the {chosen.name} catalog"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownModelWarning)
        validated = chosen.validate(row["request"], model_id)
    body = chosen.payload(validated, model_id)
    assert chosen.endpoint == row["endpoint"]
    assert _per_type(body) == _per_type(row["body"])
    assert json.loads(json.dumps(body)) == body


def test_corpus_ids_are_unique_and_media_rows_use_urls_only():
    sources = [row["source"] for row in CORPUS + MEDIA_CORPUS]
    assert len(sources) == len(set(sources))
    for row in MEDIA_CORPUS:
        for item in row["body"]["input"].get("media", []):
            assert all(item[key].startswith("https://") for key in ("url", "reference_voice") if key in item)


def test_media_order_within_a_type_is_compared():
    body = {"input": {"media": [{"type": "reference_image", "url": "a"}, {"type": "reference_image", "url": "b"}]}}
    swapped = {"input": {"media": body["input"]["media"][::-1]}}
    assert _per_type(body) != _per_type(swapped)
    mixed = {"input": {"media": [{"type": "first_frame", "url": "f"}, {"type": "reference_image", "url": "a"}]}}
    assert _per_type(mixed) == _per_type({"input": {"media": mixed["input"]["media"][::-1]}})


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
