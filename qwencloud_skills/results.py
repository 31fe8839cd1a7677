"""Where a final answer names its results: one URL or many, some of which may have failed.

The service puts results in different places by product and by call style; the
default finder knows the documented ones, and a skill (or one mode) may declare
its own through :attr:`qwencloud_skills.registry.Output.result_urls`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Callable, List, Optional, Sequence


# Keys of output that name a single result URL, in the order they are looked for.
SINGLE_URL_KEYS = ("video_url", "image_url", "url")
ITEM_URL_KEYS = ("url", "video_url", "image_url")


class ResultItem(namedtuple("ResultItem", ["index", "url", "code", "message"], defaults=(None, None, None))):
    """One result of a task (``index``: int): its ``url``, or why the service could not make it (``code``,
    ``message``); None where unknown. A namedtuple: typing.NamedTuple would import typing on every start."""

    __slots__ = ()

    @property
    def ok(self) -> bool:
        return bool(self.url)


def _item_url(item: Mapping[str, Any]) -> Optional[str]:
    for key in ITEM_URL_KEYS:
        if isinstance(item.get(key), str) and item[key]:
            return item[key]
    return None


def default_result_urls(output: Mapping[str, Any]) -> List[Optional[str]]:
    """Result URLs in order (None for a result that failed), from every documented place."""
    found: List[Optional[str]] = []
    for key in SINGLE_URL_KEYS:
        if isinstance(output.get(key), str) and output[key]:
            found.append(output[key])
            break
    results = output.get("results")
    if isinstance(results, list):
        found += [_item_url(item) if isinstance(item, Mapping) else None for item in results]
    choices = output.get("choices")
    if isinstance(choices, list):
        for choice in choices:
            message = choice.get("message") if isinstance(choice, Mapping) else None
            content = message.get("content") if isinstance(message, Mapping) else None
            for part in content if isinstance(content, list) else []:
                if isinstance(part, Mapping) and isinstance(part.get("image"), str):
                    found.append(part["image"])
    audio = output.get("audio")
    if isinstance(audio, Mapping) and isinstance(audio.get("url"), str) and audio["url"]:
        found.append(audio["url"])
    return found


def find_results(output: Mapping[str, Any],
                 finder: Optional[Callable[[Mapping[str, Any]], Sequence[Optional[str]]]] = None) -> List[ResultItem]:
    """The results of a final answer's ``output``; a failed item keeps the code and message it was given."""
    urls = list((finder or default_result_urls)(output))
    listed = output.get("results") if isinstance(output.get("results"), list) else []
    items = []
    for index, url in enumerate(urls):
        if isinstance(url, str) and url:
            items.append(ResultItem(index, url=url))
            continue
        source = listed[index] if index < len(listed) and isinstance(listed[index], Mapping) else {}
        code = source.get("code")
        message = source.get("message")
        items.append(ResultItem(index, code=str(code) if code else None, message=str(message) if message else None))
    return items
