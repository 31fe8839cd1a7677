"""Reading a storyboard file (JSON, or YAML when PyYAML is installed) into checked scenes.

Relative paths in the file (scene images, music) are read from the file's own folder, so a
storyboard and its pictures can be moved together.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qwencloud_skills.errors import FieldIssue, invalid

from . import common

TRANSITIONS = ("cut", "fade", "morph")
MAX_SCENES = 30
DEFAULT_CROSSFADE = 0.5


class Scene(BaseModel):
    """One shot of the film, and how it leads into the next one."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(..., description="What happens in the scene.")
    duration: Optional[int] = Field(None, description="Seconds (default 5), as the scene's model allows.")
    image: Optional[str] = Field(None, description="Keyframe the scene starts from: local path or URL (image to "
                                 "video).")
    image_prompt: Optional[str] = Field(None, description="Or a description of that keyframe, drawn first by the "
                                        "image skill (text to image).")
    transition: Optional[str] = Field(None, description="Into the next scene: 'cut' (default), 'fade' (crossfade) "
                                      "or 'morph' (a 5 s keyframe video from this scene's last frame to the next "
                                      "one's first).")
    morph_prompt: Optional[str] = Field(None, description="The motion of the morph into the next scene (optional).")
    model: Optional[str] = Field(None, description="This scene's model (a t2v model, or an i2v model with a keyframe).")


class Storyboard(BaseModel):
    """A whole film: its scenes in order, optional music and shared settings."""

    model_config = ConfigDict(extra="forbid")

    scenes: List[Scene] = Field(..., description=f"The scenes in order (1-{MAX_SCENES}).")
    music: Optional[str] = Field(None, description="A sound file laid under the whole film (mixed with its sound).")
    music_volume: Optional[float] = Field(None, description="Level of the music, 0-10 (default 1).")
    model: Optional[str] = Field(None, description="Model of every scene whose mode has it (t2v or i2v).")
    resolution: Optional[str] = Field(None, description="720P (default) or 1080P, for every scene.")
    crossfade: Optional[float] = Field(None, description=f"Seconds of each 'fade' (default {DEFAULT_CROSSFADE}).")
    image_model: Optional[str] = Field(None, description="Text-to-image model for image_prompt keyframes.")
    image_size: Optional[str] = Field(None, description="Size of those keyframes, width*height (default: a 16:9 "
                                      "size the image model takes).")


def read(path_text: str) -> Storyboard:
    """The storyboard in ``path_text``, checked, with relative paths made relative to its folder."""
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise common.bad("--file", path_text, "no such file", "a .json or .yaml storyboard",
                         "check the path (relative paths start at the current directory)")
    data = _load(path, path_text)
    if not isinstance(data, dict):
        raise common.bad("--file", path_text, "does not hold an object with scenes", '{"scenes": [...]}',
                         "put the scenes under a top-level 'scenes' key")
    try:
        board = Storyboard.model_validate(data)
    except ValidationError as exc:
        raise invalid(_issues(exc), header=f"Invalid storyboard {path_text}") from None
    return _relative_to(board, path.parent)


def _load(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise common.bad("--file", shown, f"cannot be read ({exc})", "a UTF-8 text file", "check the file") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise common.bad("--file", shown, "is YAML, and PyYAML is not installed", "a .json file, or PyYAML",
                             "pip install pyyaml, or write the storyboard as JSON") from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise common.bad("--file", shown, f"is not valid YAML ({exc})".replace("\n", " "), "YAML",
                             "fix the YAML") from None
    if path.suffix.lower() != ".json":
        raise common.bad("--file", shown, f"has the suffix {path.suffix or '(none)'}", ".json, .yaml or .yml",
                         "name the storyboard file .json (or .yaml)")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise common.bad("--file", shown, f"is not valid JSON ({exc})", "JSON", "fix the JSON") from None


def _issues(exc: ValidationError) -> List[FieldIssue]:
    issues: List[FieldIssue] = []
    for error in exc.errors(include_url=False):
        where = ""
        for part in error.get("loc", ()):
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        where = where or "storyboard"
        kind = error.get("type", "")
        if kind == "missing":
            issues.append(FieldIssue(where, None, "is missing", None, f"add {where}"))
        elif kind == "extra_forbidden":
            known = ", ".join(Scene.model_fields if "scenes[" in where else Storyboard.model_fields)
            issues.append(FieldIssue(where, error.get("input"), "is not a storyboard field", known,
                                     "remove it, or check its spelling"))
        else:
            issues.append(FieldIssue(where, error.get("input"), str(error.get("msg", "invalid value")), None,
                                     "fix the value"))
    return issues


def _local(value: Optional[str], folder: Path) -> Optional[str]:
    if not value or "://" in value or value.startswith("data:"):
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else folder / path)


def _relative_to(board: Storyboard, folder: Path) -> Storyboard:
    scenes = [scene.model_copy(update={"image": _local(scene.image, folder)}) for scene in board.scenes]
    changes: Dict[str, Any] = {"scenes": scenes, "music": _local(board.music, folder)}
    return board.model_copy(update=changes)
