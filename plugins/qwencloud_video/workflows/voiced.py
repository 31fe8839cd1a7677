"""voiced: one job of a silent mode (kf2v, vace, a silent model) with a sound file laid under its result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional

from pydantic import BaseModel, ConfigDict, Field

from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref

from . import common


class VoicedOptions(BaseModel):
    """Options of ``workflow run voiced``."""

    model_config = ConfigDict(extra="forbid")

    request: str = Field(..., description="The job's request: a JSON object, or the path of a .json file holding "
                         "one (as the mode commands take it; \"model\" picks the model).")
    audio: str = Field(..., description="The sound to lay under the result (wav/mp3/m4a), looped or cut to its length.")
    mode: Optional[str] = Field(None, description="The request's mode (kf2v, vace, t2v...); default: told from the "
                                "request, as the mode commands do.")
    mix: Optional[bool] = Field(None, description="Mix with the video's own sound (if any) instead of replacing it.")
    volume: Optional[float] = Field(None, description="Level of the added sound, 0-10 (1 keeps it, the default).")
    fade: Optional[float] = Field(None, description="Seconds of fade-in and fade-out of the added sound (default 0).")


def read_request(value: str) -> Dict[str, Any]:
    """The request as a dict: inline JSON, or a JSON file's content."""
    text = value.strip()
    where = "--request"
    if not text.startswith("{"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise common.bad(where, value, "is neither a JSON object nor an existing file", "{...} or a .json path",
                             "pass the request as JSON ('{\"prompt\": ...}') or the path of a JSON file")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise common.bad(where, value, f"cannot be read ({exc})", "a readable UTF-8 JSON file",
                             "check the file") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise common.bad(where, value, f"is not valid JSON ({exc})", "a JSON object", "fix the JSON") from None
    if not isinstance(data, dict):
        raise common.bad(where, value, "is not a JSON object", "{...}", "wrap the fields in {...}")
    return data


def plan(options: VoicedOptions) -> Plan:
    """The job as given, then an add-audio step with the user's track."""
    from qwencloud_skills.plugins import get_registry

    request = read_request(options.request)
    common.check_media("--audio", options.audio, audio=True)
    common.check_sound_options(options.volume, options.fade, None)
    registry = get_registry()
    mode = registry.mode(options.mode, skill=common.SKILL) if options.mode else registry.detect_mode(
        request, skill=common.SKILL)
    model_id = request.pop("model", None) or (mode.pick_model(request) if mode.pick_model else None) \
        or mode.default_model
    job = JobStep("job", mode.name, request, model=model_id, title=f"one {mode.name} job on {model_id}")
    args = {"video": Ref("job", suffix=".mp4"), "audio": options.audio,
            **common.sound_args(options.mix, options.volume, options.fade)}
    sound = LocalStep("sound", "add-audio", args, title="lay the audio under the result")
    spec = mode.model(model_id)
    notes = [f"One {mode.name} job on {model_id}, then the audio laid under its result."]
    if getattr(spec, "has_audio", False) and not options.mix:
        notes.append(f"{model_id} makes its own sound: the audio replaces it (--mix keeps both).")
    return Plan((job, sound), "sound", tuple(notes))
