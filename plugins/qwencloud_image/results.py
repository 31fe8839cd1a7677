"""Where an image answer keeps its pictures: the URLs of every image, in order, failed items skipped."""

from __future__ import annotations

from typing import Any, List, Mapping


def image_urls(output: Mapping[str, Any]) -> List[str]:
    """URLs from ``output.choices[].message.content[].image`` (messages endpoints, sync or as a task) and
    ``output.results[].url`` (text2image / image2image tasks); text items and failed results carry none."""
    urls: List[str] = []
    for choice in _items(output.get("choices")):
        message = choice.get("message")
        for item in _items(message.get("content") if isinstance(message, Mapping) else None):
            if isinstance(item.get("image"), str) and item["image"]:
                urls.append(item["image"])
    for item in _items(output.get("results")):
        if isinstance(item.get("url"), str) and item["url"]:
            urls.append(item["url"])
    return urls


def _items(value: Any) -> List[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
