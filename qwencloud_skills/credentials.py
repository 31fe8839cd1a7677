"""API key discovery: QWEN_API_KEY over DASHSCOPE_API_KEY, environment over .env files.

The key is wrapped in :class:`ApiKey` at once and reported only as set/not set.
"""

from __future__ import annotations

import warnings
from typing import Dict, Optional

from .environment import Environment
from .errors import MissingApiKeyError
from .secrets import ApiKey

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

CODING_PLAN_WARNING = (
    "the configured API key is a Coding Plan key (sk-sp-...). Video generation models are not "
    "available on the Coding Plan and it does not support the native API; use a standard key (sk-...)."
)


class CodingPlanKeyWarning(UserWarning):
    """The key is a Coding Plan key, which cannot call video models."""


def find_api_key(env: Optional[Environment] = None) -> Optional[ApiKey]:
    env = env or Environment()
    found = env.first(*KEY_NAMES)
    if not found:
        return None
    value, source, name = found
    where = "environment" if source == "env" else source
    return ApiKey(value, source=f"{name} from {where}")


def require_api_key(env: Optional[Environment] = None, warn: bool = True) -> ApiKey:
    key = find_api_key(env)
    if key is None:
        raise MissingApiKeyError(MISSING_KEY_MESSAGE)
    if is_placeholder(key):
        raise MissingApiKeyError(PLACEHOLDER_MESSAGE.format(source=key.source))
    if warn and key.is_coding_plan:
        warnings.warn(CODING_PLAN_WARNING, CodingPlanKeyWarning, stacklevel=2)
    return key


def is_placeholder(key: ApiKey) -> bool:
    return key.reveal().lower() in PLACEHOLDER_KEYS


def key_status(env: Optional[Environment] = None) -> Dict[str, object]:
    """Status for doctor and agents: never the value."""
    key = find_api_key(env)
    return {
        "api_key": ("placeholder (not a real key)" if is_placeholder(key) else "set") if key else "not set",
        "source": key.source if key else None,
        "coding_plan": bool(key and key.is_coding_plan),
    }
