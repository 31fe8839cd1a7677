"""The video workflows are registered through the hook, with documented options and examples that fit them."""

from __future__ import annotations

import pytest

from qwencloud_skills.plugins import get_registry

from .helpers import SKILL, check_shape, workflow

NAMES = ["long-video", "transition", "extend", "soundtrack", "voiced", "storyboard"]


def test_the_six_workflows_are_registered_for_the_video_skill():
    flows = get_registry().workflows_of(SKILL)
    assert [flow.name for flow in flows] == NAMES
    assert {flow.plugin for flow in flows} == {"video_workflows"}


@pytest.mark.parametrize("name", NAMES)
def test_options_are_documented_and_examples_fit_them(name):
    flow = workflow(name)
    assert flow.summary and flow.description and flow.examples
    for field_name, info in flow.options_class.model_fields.items():
        assert info.description, f"{name}: option {field_name} has no description"
    for example in flow.examples:
        flow.options_class(**example.options)
    for op_name in flow.operations:
        assert callable(flow.operation(op_name))


def test_examples_that_need_no_files_plan_as_shown():
    flow = workflow("long-video")
    for example in flow.examples:
        check_shape(flow.plan_for(flow.options_class(**example.options)))


def test_extend_documents_what_the_service_returns():
    text = workflow("extend").description
    assert "clip included" in text and "input itself is not returned" in text and "billed" in text
