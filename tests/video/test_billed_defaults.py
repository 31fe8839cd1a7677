"""Money defaults: every default payload of t2v/i2v/kf2v/r2v states its length and its size or resolution.

The service's own defaults are often the priciest tier (1080P), so a request
that leaves them out must still be billed for what the catalog calls the default.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from qwencloud_video.catalog import SIZE_TIERS

from .util import accept, mode, request

PRICED_MODES = ("t2v", "i2v", "kf2v", "r2v")
# Models whose smallest request differs from the mode's (util.BASE).
MINIMAL: Dict[str, Dict[str, Any]] = {}


def _cases() -> List[Tuple[str, str]]:
    return [(name, spec.id) for name in PRICED_MODES for spec in mode(name).models]


def minimal(mode_name: str, model: str) -> Dict[str, Any]:
    return dict(MINIMAL.get(model) or request(mode_name))


@pytest.mark.parametrize(("mode_name", "model"), _cases())
def test_default_payload_states_duration_and_tier(mode_name, model):
    spec = mode(mode_name).model(model)
    body = mode(mode_name).payload(accept(mode_name, minimal(mode_name, model), model), model)
    parameters = body["parameters"]
    assert isinstance(parameters.get("duration"), int), body
    assert spec.durations == () or parameters["duration"] in spec.durations
    if 5 in spec.durations:
        assert parameters["duration"] == 5
    stated = [key for key in ("size", "resolution") if key in parameters]
    assert len(stated) == 1, body
    value = parameters[stated[0]]
    tier = value if stated[0] == "resolution" else next(t for t, sizes in SIZE_TIERS.items() if value in sizes)
    offered = spec.resolutions
    assert tier == ("720P" if "720P" in offered else offered[0] if len(offered) == 1 else tier)
    if "720P" in offered:
        assert tier == "720P", body


def test_every_catalogued_model_is_covered():
    assert len(_cases()) >= 9


def test_user_values_win_over_defaults():
    body = mode("t2v").payload(accept("t2v", request("t2v", size="1920*1080", duration=10)))
    assert body["parameters"] == {"size": "1920*1080", "duration": 10}


def test_unknown_models_get_the_cheap_fallbacks():
    import warnings

    from qwencloud_skills.registry import UnknownModelWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownModelWarning)
        body = mode("i2v").payload(mode("i2v").validate(request("i2v"), "wan9-i2v"), "wan9-i2v")
    assert body["parameters"] == {"resolution": "720P", "duration": 5}


def test_vace_sends_only_what_was_given():
    body = mode("vace").payload(accept("vace", request("vace")))
    assert body["parameters"] == {}
