"""A container for the API key that never shows it, and masking of keys in text.

str(), repr(), format(), logging, pickling and exception text all see a mask.
Only :meth:`ApiKey.reveal` returns the value, and only the transport calls it
to build the Authorization header.

:func:`redact` masks a key and every fragment of it of 8 or more characters,
(and of its URL-encoded form), so a key cut in half by a length limit, or split
across lines, leaks nothing useful. Every key ever wrapped in :class:`ApiKey` in this process is
remembered (:func:`known_secrets`) so text from the service can be masked
where the key object itself is not at hand.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, FrozenSet, Iterable, List, Optional, Pattern, Set, Tuple, Union

    Secret = Union["ApiKey", str, None]

MASK = "********"
CODING_PLAN_PREFIX = "sk-sp-"
FRAGMENT = 8  # the shortest run of key characters that is masked on its own


_KNOWN: Set[str] = set()


class ApiKey:
    __slots__ = ("__value", "source", "name", "path")

    def __init__(self, value: str, source: str = "unknown", *, name: Optional[str] = None,
                 path: Optional[str] = None):
        if not isinstance(value, str) or not value.strip():
            raise ValueError("an API key must be a non-empty string")
        self.__value = value.strip()
        self.source = source
        self.name = name  # the variable it came from (QWEN_API_KEY, ...), if known
        self.path = path  # the .env file it came from; None for the environment
        _KNOWN.add(self.__value)

    def reveal(self) -> str:
        return self.__value

    @property
    def is_coding_plan(self) -> bool:
        return self.__value.startswith(CODING_PLAN_PREFIX)

    @property
    def looks_valid(self) -> bool:
        return self.__value.startswith("sk-")

    @property
    def problem(self) -> Optional[str]:
        """Why this value cannot be a key (see :func:`key_problem`), never quoting it; None if fine."""
        return key_problem(self.__value)

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


def known_secrets() -> List[str]:
    """Every key value wrapped in an :class:`ApiKey` in this process (for masking service text)."""
    return list(_KNOWN)


# -- checking a key before it is used ----------------------------------------------------------
SMART_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u201a\u00ab\u00bb\u2039\u203a"
PLAIN_QUOTES = "\"'`"


def key_problem(value: str) -> Optional[str]:
    """What makes ``value`` unusable as a key, in words that never quote it; None when it looks usable.

    Leading and trailing whitespace is tolerated (it is stripped, as python-dotenv strips unquoted
    values); quotes around a .env value are removed by python-dotenv before we see it. Anything else
    that no real key holds is refused, because it would only earn a 401 or, worse, put the key into
    an HTTP library's "illegal header value" error text.
    """
    value = value.strip()
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in value):
        return "contains a control character (a line break, tab or other invisible character) inside"
    if any(ch.isspace() for ch in value):
        return "contains a space inside"
    if any(ch in SMART_QUOTES for ch in value):
        return ("contains typographic quotes (\u201c \u201d \u2018 \u2019), which word processors and chat apps "
                "put in when the key is copied through them")
    if any(ch in PLAIN_QUOTES for ch in value):
        return "contains quote characters (\" ' or `) that are not part of the key"
    odd = next((ch for ch in value if ord(ch) > 127), None)
    if odd is not None:
        return (f"contains a non-ASCII character (U+{ord(odd):04X}; often an invisible character copied along "
                "with the key)")
    return None


# -- masking ----------------------------------------------------------------------------------
def _values(secrets: Iterable[Secret]) -> FrozenSet[str]:
    found = set()
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, ApiKey) else secret
        if isinstance(value, str) and value:
            found.add(value)
    return frozenset(found)


@lru_cache(maxsize=32)
def _matcher(values: FrozenSet[str]) -> Tuple[Optional[Pattern[str]], FrozenSet[str], Tuple[str, ...]]:
    """A regex finding any FRAGMENT-long window of a long secret, those windows, and the short secrets.

    The URL-encoded form of each secret counts as a secret too (keys end up in query strings).
    """
    from urllib.parse import quote

    values = values | {quote(v, safe="") for v in values}
    grams = frozenset(v[i:i + FRAGMENT] for v in values if len(v) >= FRAGMENT for i in range(len(v) - FRAGMENT + 1))
    short = tuple(sorted((v for v in values if len(v) < FRAGMENT), key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(g) for g in sorted(grams))) if grams else None
    return pattern, grams, short


def _spans(text: str, pattern: Pattern[str], grams: FrozenSet[str]) -> List[Tuple[int, int]]:
    """Merged [start, end) ranges covered by windows of the secrets: exactly the 8+ character fragments.

    Any fragment of 8 or more characters is a chain of overlapping 8-character windows of the
    key, so the union of the windows found in ``text`` is the union of all fragments.
    """
    spans: List[Tuple[int, int]] = []
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if match is None:
            return spans
        start = match.start()
        following = start + 1
        while text[following:following + FRAGMENT] in grams:
            following += 1
        end = following - 1 + FRAGMENT
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
        pos = following


def redact(text: str, secrets: Iterable[Secret]) -> str:
    """``text`` with every secret, and every fragment of one of 8+ characters, replaced by the mask.

    Linear in the length of the text (a few hundredths of a second per megabyte).
    """
    values = _values(secrets)
    if not values or not text:
        return text
    pattern, grams, short = _matcher(values)
    if pattern is not None:
        spans = _spans(text, pattern, grams)
        if spans:
            parts, last = [], 0
            for start, end in spans:
                parts += [text[last:start], MASK]
                last = end
            parts.append(text[last:])
            text = "".join(parts)
    for value in short:
        text = text.replace(value, MASK)
    return text


def redact_data(value: Any, secrets: Iterable[Secret]) -> Any:
    """A copy of JSON-like ``value`` with every string in it (dict keys too) passed through :func:`redact`.

    Dicts, lists and tuples are rebuilt; numbers, booleans and None come back as they are.
    """
    frozen = _values(secrets)
    if not frozen:
        return value
    return _redact_any(value, frozen)


def _redact_any(value: Any, secrets: FrozenSet[str]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {_redact_any(k, secrets): _redact_any(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_any(item, secrets) for item in value)
    return value


def redact_excerpt(text: str, secrets: Iterable[Secret], limit: int) -> str:
    """The first ``limit`` characters of ``text`` once masked, with "..." when cut.

    Masking first matters: cutting first could end the excerpt inside a key, leaving a
    fragment too short to be recognised afterwards.
    """
    masked = redact(text, secrets)
    return masked if len(masked) <= limit else masked[:limit] + "..."
