"""A container for the API key that never shows it.

str(), repr(), format(), logging, pickling and exception text all see a mask.
Only :meth:`ApiKey.reveal` returns the value, and only the transport calls it
to build the Authorization header.
"""

from __future__ import annotations

from typing import Iterable, Optional

MASK = "********"
CODING_PLAN_PREFIX = "sk-sp-"


class ApiKey:
    __slots__ = ("__value", "source")

    def __init__(self, value: str, source: str = "unknown"):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("an API key must be a non-empty string")
        self.__value = value.strip()
        self.source = source

    def reveal(self) -> str:
        return self.__value

    @property
    def is_coding_plan(self) -> bool:
        return self.__value.startswith(CODING_PLAN_PREFIX)

    @property
    def looks_valid(self) -> bool:
        return self.__value.startswith("sk-")

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"ApiKey({MASK}, source={self.source!r})"

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other.__value == self.__value

    def __hash__(self) -> int:
        return hash(self.__value)

    def __reduce__(self):
        raise TypeError("ApiKey cannot be pickled")

    def __bool__(self) -> bool:
        return True


def redact(text: str, secrets: Iterable[Optional[ApiKey]]) -> str:
    """Replace any secret value that slipped into ``text`` with the mask."""
    for secret in secrets:
        if secret is not None:
            value = secret.reveal()
            if value and value in text:
                text = text.replace(value, MASK)
    return text
