"""API key discovery: QWEN_API_KEY over DASHSCOPE_API_KEY, environment over .env files.

The key is wrapped in :class:`ApiKey` at once and reported only as set/not set.
A value no real key could have (control characters, spaces or quotes inside,
non-ASCII characters) is refused before anything is sent, saying where it came
from and how to fix it, never showing it. Leading/trailing whitespace is
stripped and tolerated, as are the quotes python-dotenv removes around values.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from .environment import Environment
from .errors import InvalidApiKeyError, MissingApiKeyError
from .secrets import ApiKey

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Dict, Optional

KEY_NAMES = ("QWEN_API_KEY", "DASHSCOPE_API_KEY")
CONSOLE_HINT = "QwenCloud Console (API keys page)"

MISSING_KEY_MESSAGE = (
    "QWEN_API_KEY/DASHSCOPE_API_KEY not found (looked in the environment, ./.env and the project root .env).\n"
    "To set it up without sharing the key with anyone:\n"
    "  1. Create a .env file in the project root or current directory containing the placeholder line\n"
    "       DASHSCOPE_API_KEY=sk-your-key-here\n"
    f"  2. Replace the placeholder with your own key from the {CONSOLE_HINT}.\n"
    "  Or export DASHSCOPE_API_KEY in your shell. Never paste the key into a chat."
)

PLACEHOLDER_KEYS = frozenset({"sk-your-key-here", "sk-...", "sk-xxx", "sk-your-api-key"})

PLACEHOLDER_MESSAGE = (
    "The API key ({source}) is still the placeholder from the set-up instructions, not a real key.\n"
    f"Replace it with your own key from the {CONSOLE_HINT} (edit the .env file yourself; never paste "
    "the key into a chat)."
)

INVALID_KEY_MESSAGE = (
    "The API key in {source} {problem}, so it cannot be a real key and nothing was sent (the value is not "
    "shown).\nFix: {fix}"
)

CODING_PLAN_WARNING = (
    "the configured API key is a Coding Plan key (sk-sp-...). The generation models are not "
    "available on the Coding Plan and it does not support the native API; use a standard key (sk-...)."
)


class CodingPlanKeyWarning(UserWarning):
    """The key is a Coding Plan key, which cannot call the native generation API."""


def find_api_key(env: Optional[Environment] = None) -> Optional[ApiKey]:
    env = env or Environment()
    found = env.first(*KEY_NAMES)
    if not found:
        return None
    value, source, name = found
    where = "environment" if source == "env" else source
    return ApiKey(value, source=f"{name} from {where}", name=name, path=None if source == "env" else source)


def require_api_key(env: Optional[Environment] = None, warn: bool = True) -> ApiKey:
    """The key, or a ConfigError (exit 4) saying how to set it up; never the value.

    With ``warn``: a Coding Plan key, or a key read from a .env file git would commit, warns.
    """
    env = env or Environment()
    key = find_api_key(env)
    if key is None:
        raise MissingApiKeyError(missing_key_message(env))
    if is_placeholder(key):
        raise MissingApiKeyError(PLACEHOLDER_MESSAGE.format(source=key.source))
    problem = key.problem
    if problem:
        raise InvalidApiKeyError(INVALID_KEY_MESSAGE.format(source=key.source, problem=problem, fix=_fix(key)))
    if warn and key.is_coding_plan:
        warnings.warn(CODING_PLAN_WARNING, CodingPlanKeyWarning, stacklevel=2)
    if warn and key.path:
        from .envfile_guard import warn_if_not_ignored

        warn_if_not_ignored(Path(key.path), env)
    return key


def missing_key_message(env: Environment) -> str:
    """The set-up guidance, plus a note for every .env file that exists but could not be read."""
    notes = [f"\nNote: {problem}, so a key in it was not seen; save that file as UTF-8 (do not show its content)."
             if "not UTF-8" in problem else f"\nNote: {problem}, so a key in it was not seen."
             for problem in env.unreadable]
    return MISSING_KEY_MESSAGE + "".join(notes)


def _fix(key: ApiKey) -> str:
    name = key.name or "DASHSCOPE_API_KEY"
    bare = "the bare key copied again from the " + CONSOLE_HINT + ": no spaces, quotes or line breaks inside"
    if key.path:
        return f"edit {key.path} yourself so the line reads {name}=sk-... with {bare}. Never paste the key into a chat."
    return (f"set {name} again in your shell (e.g. export {name}=sk-...) with {bare}, or unset it and use a .env "
            "file. Never paste the key into a chat.")


def is_placeholder(key: ApiKey) -> bool:
    return key.reveal().lower() in PLACEHOLDER_KEYS


def key_status(env: Optional[Environment] = None) -> Dict[str, object]:
    """Status for doctor and agents: never the value.

    ``api_key`` is "not set", "placeholder (not a real key)", "set (invalid: <problem>)" or "set".
    """
    env = env or Environment()
    key = find_api_key(env)
    if key is None:
        shown = "not set"
    elif is_placeholder(key):
        shown = "placeholder (not a real key)"
    else:
        problem = key.problem
        shown = f"set (invalid: {problem})" if problem else "set"
    status: Dict[str, object] = {
        "api_key": shown,
        "source": key.source if key else None,
        "coding_plan": bool(key and key.is_coding_plan),
    }
    if env.unreadable:
        status["unreadable_env_files"] = env.unreadable
    return status
