"""A throwaway plugin whose models are served only from workspace hosts (``ModelSpec.host``)."""

from __future__ import annotations

from typing import Dict

T2V_ID = "acme-ws-t2v"
I2V_ID = "acme-ws-i2v"

WORKSPACE_MODELS = f'''
from qwencloud_skills import hookimpl
from qwencloud_video.catalog import AUDIO_SILENT, VideoModel, sizes_for, span


@hookimpl
def register_models(register):
    register("t2v", VideoModel(
        id="{T2V_ID}", summary="Text to video, workspace hosts only", host="workspace",
        durations=span(2, 10), default_duration=5, sizes=sizes_for("720P"), default_size="1280*720",
        resolutions=("720P",), audio=AUDIO_SILENT, prompt_max=1500,
    ))
    register("i2v", VideoModel(
        id="{I2V_ID}", summary="Image to video, workspace hosts only", host="workspace",
        durations=span(2, 10), default_duration=5, resolutions=("720P",), default_resolution="720P",
        audio=AUDIO_SILENT, prompt_max=1500,
    ))
'''


def emulator_models() -> Dict[str, object]:
    """The same models as the emulator should accept them."""
    from qwencloud_video.emulator.models import ModelSpec

    return {
        T2V_ID: ModelSpec("t2v", durations=tuple(range(2, 11)), tiers=("720P",)),
        I2V_ID: ModelSpec("i2v", durations=tuple(range(2, 11)), tiers=("720P",)),
    }
