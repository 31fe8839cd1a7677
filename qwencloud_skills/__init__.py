"""qwencloud-skills: the core host for DashScope (Wan) video skills and their plugins.

Importing this package is cheap on purpose: heavy modules (httpx, pydantic,
plugin code) load only when a command needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"
DISTRIBUTION = "qwencloud-skills"

__all__ = ["DISTRIBUTION", "__version__", "hookimpl"]


def __getattr__(name: str):
    # Lazy so that `import qwencloud_skills` does not pull in pluggy for the fast paths.
    if name == "hookimpl":
        from .hookspecs import hookimpl

        return hookimpl
    raise AttributeError(name)
