"""Skill prose shipped as markdown package data, exposed as ``Skill.docs`` and read only when used.

A plugin lists its docs by name; the files are read on first access, so
registering the skill (every CLI start) costs no file I/O. What a page
becomes depends on its name:

- a host reference's name (``request-fields``, ``models``, ``examples``,
  ``polling``, ``local-files``, ``cli``) appends the page to the host's page;
- the same name with ``<!-- replace -->`` (``REPLACE_MARKER``) as the first
  line makes the page stand instead of the host's (the marker is dropped);
- any other name becomes ``references/<name>.md``, listed in SKILL.md.

``polling`` is a host page only for skills with an asynchronous mode; for
the others it is a page of its own like any other name.
"""

from __future__ import annotations

from typing import Dict, Iterator, Mapping, Sequence

REPLACE_MARKER = "<!-- replace -->"


class PackageDocs(Mapping):
    """``{name: markdown}`` for ``<package>/<folder>/<name>.md``, in the order given."""

    def __init__(self, package: str, names: Sequence[str], folder: str = "docs") -> None:
        self.package = package
        self.folder = folder
        self.names = tuple(names)
        self._cache: Dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self.names:
            raise KeyError(name)
        if name not in self._cache:
            from importlib.resources import files

            resource = files(self.package) / self.folder / f"{name}.md"
            self._cache[name] = resource.read_text(encoding="utf-8")
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"PackageDocs({self.package!r}, {list(self.names)!r})"

    def __hash__(self) -> int:
        return hash((self.package, self.folder, self.names))
