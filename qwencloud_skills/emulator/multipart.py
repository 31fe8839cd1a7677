"""Minimal multipart/form-data parser (the stdlib ``cgi`` module is deprecated and gone in 3.13)."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message
from typing import Dict, List, Optional


@dataclass(frozen=True)
class Part:
    name: str
    filename: Optional[str]
    headers: Dict[str, str]
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


def boundary_of(content_type: str) -> Optional[str]:
    message = Message()
    message["content-type"] = content_type
    if message.get_content_type() != "multipart/form-data":
        return None
    boundary = message.get_param("boundary")
    return boundary if isinstance(boundary, str) and boundary else None


def parse_form(body: bytes, content_type: str) -> List[Part]:
    """Parts in body order; raises ValueError on a malformed form."""
    boundary = boundary_of(content_type)
    if boundary is None:
        raise ValueError("Content-Type must be multipart/form-data with a boundary")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise ValueError("the form has no parts")
    parts: List[Part] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        if chunk.startswith(b"\r\n"):
            chunk = chunk[2:]
        if chunk.endswith(b"\r\n"):
            chunk = chunk[:-2]
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("a form part has no header/body separator")
        parts.append(_part(head, data))
    return parts


def _part(head: bytes, data: bytes) -> Part:
    headers: Dict[str, str] = {}
    for line in head.decode("utf-8", errors="replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    disposition = Message()
    disposition["content-disposition"] = headers.get("content-disposition", "")
    name = disposition.get_param("name", header="content-disposition")
    if not isinstance(name, str) or not name:
        raise ValueError("a form part has no name")
    filename = disposition.get_param("filename", header="content-disposition")
    return Part(name, filename if isinstance(filename, str) else None, headers, data)
