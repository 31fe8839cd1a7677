"""Reading an image submit body: its two layouts, and the pixel size of input images the emulator can see.

``input.messages`` (one user turn: exactly one text item plus image items) on the
messages endpoints; ``input.prompt`` (+ ``input.images``) on text2image / image2image.
Input images are never downloaded: their size is known for objects uploaded to the
emulator (oss://, read with the resolve header), ``data:`` URLs, and URLs listed in
``EmulatorConfig.input_media`` as ``{"width": W, "height": H}``; other images are unknown.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Optional, Tuple

from qwencloud_skills.emulator.service import invalid

Size = Tuple[int, int]
OSS = "oss://"
HEAD = 64 * 1024  # enough of a file to find its pixel size


@dataclass(frozen=True)
class ImageInput:
    """What a body asks for, whatever its layout."""

    prompt: str
    images: Tuple[str, ...]
    parameters: Mapping[str, Any]


def read_body(payload: Any, messages: bool) -> ImageInput:
    """The prompt, input images and parameters of ``payload``; a 400 naming the field when its shape is wrong."""
    if not isinstance(payload, dict):
        raise invalid("The request body must be a JSON object with model, input and parameters.")
    body_input = payload.get("input")
    if not isinstance(body_input, dict):
        raise invalid("Required parameter 'input' is missing or not an object.")
    parameters = payload.get("parameters")
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, dict):
        raise invalid("Parameter 'parameters' must be an object.")
    if messages:
        prompt, images = _messages(body_input)
    else:
        prompt, images = _prompt(body_input)
    return ImageInput(prompt, tuple(images), parameters)


def _messages(body_input: Mapping[str, Any]) -> Tuple[str, List[str]]:
    turns = body_input.get("messages")
    if not isinstance(turns, list) or not turns:
        where = "input.prompt is not taken here" if "prompt" in body_input else "it is missing"
        raise invalid(f"Required parameter 'input.messages' must be a list with one user message ({where}).")
    if len(turns) != 1:
        raise invalid(f"input.messages must hold exactly one message (a single user turn), got {len(turns)}.")
    turn = turns[0]
    if not isinstance(turn, dict) or turn.get("role") != "user":
        raise invalid("input.messages[0] must be an object with role 'user'.")
    content = turn.get("content")
    if not isinstance(content, list) or not content:
        raise invalid("input.messages[0].content must be a list of items like {\"text\": ...} and {\"image\": URL}.")
    texts: List[str] = []
    images: List[str] = []
    for index, item in enumerate(content):
        where = f"input.messages[0].content[{index}]"
        if not isinstance(item, dict) or not ({"text", "image"} & set(item)):
            raise invalid(f"{where} must be {{\"text\": ...}} or {{\"image\": URL}}.")
        if "text" in item:
            if not isinstance(item["text"], str):
                raise invalid(f"{where}.text must be a string.")
            texts.append(item["text"])
        if "image" in item:
            images.append(_image(item["image"], f"{where}.image"))
    if len(texts) != 1:
        raise invalid(f"input.messages[0].content must hold exactly one text item, got {len(texts)}.")
    return texts[0], images


def _prompt(body_input: Mapping[str, Any]) -> Tuple[str, List[str]]:
    if "messages" in body_input:
        raise invalid("input.messages is not taken on this endpoint: send input.prompt (and input.images).")
    prompt = body_input.get("prompt")
    if prompt is not None and not isinstance(prompt, str):
        raise invalid("Parameter input.prompt must be a string.")
    raw = body_input.get("images")
    if raw is None:
        return prompt or "", []
    if not isinstance(raw, list):
        raise invalid("Parameter input.images must be a list of image URLs.")
    return prompt or "", [_image(value, f"input.images[{index}]") for index, value in enumerate(raw)]


def _image(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"{where} must be an image URL (http(s)://, oss:// or data:), got {value!r}.")
    return value


def image_size(url: str, known: Mapping[str, Any], object_bytes: Callable[[str], Optional[bytes]],
               oss_resolve: bool) -> Optional[Size]:
    """The pixel size of one input image, when the emulator can know it."""
    facts = known.get(url)
    if isinstance(facts, Mapping) and isinstance(facts.get("width"), int) and isinstance(facts.get("height"), int):
        return facts["width"], facts["height"]
    data: Optional[bytes] = None
    if url.startswith(OSS) and oss_resolve:
        data = object_bytes(url[len(OSS):])
    elif url.startswith("data:") and ";base64," in url:
        encoded = url.split(";base64,", 1)[1]
        try:
            data = base64.b64decode(encoded[: HEAD * 4 // 3 // 4 * 4], validate=False)
        except (binascii.Error, ValueError):
            data = None
    return header_size(data[:HEAD]) if data else None


def header_size(head: bytes) -> Optional[Size]:
    """(width, height) from a PNG, GIF, BMP, WEBP or JPEG header; None when it is none of those."""
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return _positive(struct.unpack(">II", head[16:24]))
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return _positive(struct.unpack("<HH", head[6:10]))
        if head.startswith(b"BM") and len(head) >= 26:
            width, height = struct.unpack("<ii", head[18:26])
            return _positive((width, abs(height)))
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            return _webp(head)
        if head.startswith(b"\xff\xd8"):
            return _jpeg(head)
    except struct.error:
        return None
    return None


def _webp(head: bytes) -> Optional[Size]:
    chunk = head[12:16]
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", head[26:30])
        return _positive((width & 0x3FFF, height & 0x3FFF))
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return _positive(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
    if chunk == b"VP8X":
        return _positive((int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1))
    return None


def _jpeg(head: bytes) -> Optional[Size]:
    position = 2
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if 0xD0 <= marker <= 0xD9 or marker == 0x01:  # no length field
            position += 2
            continue
        length = struct.unpack(">H", head[position + 2:position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header: SOFn
            height, width = struct.unpack(">HH", head[position + 5:position + 9])
            return _positive((width, height))
        position += 2 + length
    return None


def _positive(size: Tuple[int, int]) -> Optional[Size]:
    return (int(size[0]), int(size[1])) if size[0] > 0 and size[1] > 0 else None
