"""What the video workflows share: the skill's names, the loaded model catalogs and option errors.

Planners read the catalogs the host loaded (first-party models plus any a plugin registered), so
a model's allowed lengths and tiers come from one place: its :class:`VideoModel`.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

from qwencloud_skills.errors import FieldIssue, InvalidRequestError, invalid

from ..catalog import SIZE_TIERS, VideoModel, describe_seconds
from ..skill import SKILL_NAME

SKILL = SKILL_NAME
IMAGE_SKILL = "qwencloud-image-generation"
CLI = "qwencloud-video workflow run"
DEFAULT_RESOLUTION = "720P"
HEADER = "Invalid workflow options"


def bad(field: str, value: Any, problem: str, allowed: Optional[str], fix: str) -> InvalidRequestError:
    """One option problem as the error the CLI prints (exit 3) before anything is sent."""
    return invalid([FieldIssue(field, value, problem, allowed, fix)], header=HEADER)


def catalog(mode: str) -> List[VideoModel]:
    """The video models the loaded plugins offer for ``mode``, default first."""
    from qwencloud_skills.plugins import get_registry

    return [spec for spec in get_registry().mode(mode, skill=SKILL).models if isinstance(spec, VideoModel)]


def default_model(mode: str) -> str:
    from qwencloud_skills.plugins import get_registry

    return get_registry().mode(mode, skill=SKILL).default_model


def model(mode: str, model_id: Optional[str], field: str, default: Optional[str] = None,
          fits: Any = None, why: str = "", fix: str = "") -> VideoModel:
    """The catalog entry of ``model_id`` (else ``default``, else the mode's default) in ``mode``.

    ``fits`` (spec -> bool) narrows the models that can do the workflow's job; ``why`` says what a
    model that cannot lacks, ``fix`` what to do instead.
    """
    specs = [spec for spec in catalog(mode) if fits is None or fits(spec)]
    chosen = model_id or default or default_model(mode)
    for spec in specs:
        if spec.id == chosen:
            return spec
    allowed = ", ".join(spec.id for spec in specs) or "none loaded"
    known = any(spec.id == chosen for spec in catalog(mode))
    problem = f"{chosen} {why}" if known and why else f"is not a {mode} model"
    raise bad(field, chosen, problem, allowed, fix if known and fix else f"use one of: {allowed}")


def resolution(value: Optional[str], specs: Sequence[VideoModel], field: str = "--resolution") -> str:
    """The quality tier every model of the plan offers (default 720P)."""
    tier = (value or DEFAULT_RESOLUTION).strip().upper()
    shared = [t for t in SIZE_TIERS if all(t in spec.resolutions for spec in specs)]
    if tier in shared:
        return tier
    names = ", ".join(dict.fromkeys(spec.id for spec in specs))
    fix = f"use --resolution {DEFAULT_RESOLUTION if DEFAULT_RESOLUTION in shared else shared[0]}" if shared \
        else "pick models that offer a resolution in common"
    raise bad(field, value or tier, f"not offered by {names}", ", ".join(shared) or "none in common", fix)


def picture_fields(spec: VideoModel, tier: str) -> Dict[str, str]:
    """How a request states the tier: ``resolution``, or the tier's landscape ``size`` on size-based models."""
    if spec.sizes:
        for size in SIZE_TIERS.get(tier, ()):
            if size in spec.sizes:
                return {"size": size}
    return {"resolution": tier}


def durations(spec: VideoModel) -> List[int]:
    """The whole-second lengths one job of the model can make (never -1 or 0: a plan must know its length)."""
    return sorted(seconds for seconds in spec.durations if seconds > 0)


def seconds_text(spec: VideoModel) -> str:
    return describe_seconds(tuple(durations(spec)))


def takes_clip(spec: VideoModel) -> bool:
    """The model continues a clip given as first_clip (wan2.7-i2v)."""
    return spec.media_rule("first_clip") is not None


def frame_field(spec: VideoModel) -> str:
    """The i2v field of a first frame: first_frame_url on media-protocol models, img_url on the others."""
    return "first_frame_url" if spec.media_rule("first_frame") is not None else "img_url"


def joined_prompt(*parts: Optional[str]) -> Optional[str]:
    """The given texts in order, as one prompt (None when none is given)."""
    text = " ".join(part.strip() for part in parts if part and part.strip())
    return text or None


def check_local(field: str, value: str) -> None:
    """A path the user gave (not a URL) must exist now; the host uploads it and checks its content later."""
    from pathlib import Path

    if "://" in value or value.startswith("data:"):
        return
    path = Path(value).expanduser()
    if not path.is_file():
        raise bad(field, value, "no such file" if not path.exists() else "is not a regular file",
                  "an existing local file or a URL", "check the path (relative paths start at the current directory)")


def check_media(field: str, path: str, video: bool = False, audio: bool = False) -> Any:
    """A local media file the user named, probed now (exit 3 before anything is sent); its MediaInfo."""
    from qwencloud_skills.mediaops.inputs import media_file

    return media_file(field, path, need_video=video, need_audio=audio)


def check_sound_options(volume: Optional[float], fade: Optional[float], video_seconds: Optional[float]) -> None:
    """--volume 0-10 and a --fade of at most half the video, as the add-audio step will need them."""
    if volume is not None and not 0 <= volume <= 10:
        raise bad("--volume", volume, "is out of range", "0 to 10 (1 keeps the level)", "e.g. --volume 0.5")
    if fade is not None and fade < 0:
        raise bad("--fade", fade, "is negative", "0 or more seconds", "e.g. --fade 1")
    if fade and video_seconds is not None and fade > video_seconds / 2:
        raise bad("--fade", fade, f"is longer than half the video ({video_seconds / 2:.2f} s)",
                  f"0 to {video_seconds / 2:.2f} seconds", "pass a shorter --fade")


def sound_args(mix: Optional[bool], volume: Optional[float], fade: Optional[float]) -> Dict[str, Any]:
    """The add-audio step's optional arguments, only those given."""
    args: Dict[str, Any] = {}
    if mix is not None:
        args["mix"] = bool(mix)
    if volume is not None:
        args["volume"] = float(volume)
    if fade is not None:
        args["fade"] = float(fade)
    return args
