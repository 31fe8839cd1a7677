"""Find, load and call plugins: first-party and third-party alike, through entry points.

A plugin that fails to import or to register is skipped with a warning naming
it and its distribution; the host and the other plugins keep working.
"""

from __future__ import annotations

import importlib
import os
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from .pluginnames import ENTRY_POINT_GROUP, RESTRICT_ENV, allowed_names, selected
from .registry import Registry


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded or failed while registering; it was skipped."""


@dataclass
class PluginInfo:
    """One loaded plugin, for `qwencloud-skills plugins`."""

    name: str
    module: str
    distribution: str
    version: str
    registers: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "registers": list(self.registers),
        }


def _entry_points() -> List[Tuple[metadata.EntryPoint, str, str]]:
    """(entry point, distribution name, version) for our group, deduplicated, stable order."""
    seen = set()
    found = []
    for dist in metadata.distributions():
        dist_name = dist.metadata["Name"] or "unknown"
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP:
                continue
            key = (dist_name.lower(), ep.name)
            if key in seen:
                continue
            seen.add(key)
            found.append((ep, dist_name, dist.version))
    # First-party first so their modes list first; then by distribution and name.
    found.sort(key=lambda item: (item[1] != "qwencloud-skills", item[1].lower(), item[0].name))
    return found


def _allowed(restrict: Optional[str]) -> Optional[set]:
    return allowed_names(restrict)


def _selected(allowed: Optional[set], ep_name: str, dist_name: str) -> bool:
    return selected(allowed, dist_name, [ep_name])


class PluginHost:
    """The pluggy manager plus the registry built from it."""

    def __init__(self) -> None:
        import pluggy

        from . import hookspecs

        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: Dict[str, PluginInfo] = {}
        self.failed: set = set()
        self.registry = Registry()

    def load_entry_points(self, restrict: Optional[str] = None) -> None:
        allowed = _allowed(restrict if restrict is not None else os.environ.get(RESTRICT_ENV))
        for ep, dist_name, version in _entry_points():
            if not _selected(allowed, ep.name, dist_name):
                continue
            try:
                module = ep.load()
            except Exception as exc:  # any failure of third-party code must not break the host
                _warn(ep.name, dist_name, version, f"import failed: {type(exc).__name__}: {exc}")
                continue
            self.add(module, ep.name, dist_name, version)

    def add(self, plugin: Any, name: str, distribution: str = "", version: str = "") -> None:
        """Register a plugin object (module, class or instance) under ``name``."""
        if name in self.plugins:
            return
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:
            _warn(name, distribution, version, f"invalid plugin: {type(exc).__name__}: {exc}")
            return
        module = getattr(plugin, "__name__", type(plugin).__name__)
        self.plugins[name] = PluginInfo(name, module, distribution or "(not installed)", version or "")

    def build_registry(self) -> Registry:
        """Call the registration hooks plugin by plugin, isolating failures."""
        self._call_each("register_skills", self.registry.add_skill)
        self._call_each("register_modes", self.registry.add_mode)
        self._call_each("register_models", lambda mode, spec, plugin: self.registry.add_model(mode, spec, plugin))
        for name in self.failed:
            self.plugins.pop(name, None)
            self.pm.unregister(name=name)
        for name, info in self.plugins.items():
            info.registers = list(self.registry.plugin_contributions.get(name, []))
        return self.registry

    def call_register_commands(self, cli: Any) -> None:
        for impl in self._impls("register_commands"):
            try:
                impl.function(cli=cli)
            except Exception as exc:
                self._fail(impl.plugin_name, f"register_commands failed: {type(exc).__name__}: {exc}")

    # -- internals -------------------------------------------------------------
    def _impls(self, hook_name: str) -> List[Any]:
        hook = getattr(self.pm.hook, hook_name)
        impls = hook.get_hookimpls()
        order = list(self.plugins)
        return sorted(impls, key=lambda impl: order.index(impl.plugin_name) if impl.plugin_name in order else 0)

    def _call_each(self, hook_name: str, add: Callable[..., None]) -> None:
        for impl in self._impls(hook_name):
            plugin = impl.plugin_name
            if plugin not in self.plugins or plugin in self.failed:
                continue

            def register(*args: Any, _plugin: str = plugin) -> None:
                add(*args, plugin=_plugin)

            try:
                impl.function(register=register)
            except Exception as exc:
                self._fail(plugin, f"{hook_name} failed: {type(exc).__name__}: {exc}")
                self.registry.remove_plugin(plugin)
                self.failed.add(plugin)

    def _fail(self, plugin: str, reason: str) -> None:
        info = self.plugins.get(plugin)
        _warn(plugin, info.distribution if info else "", info.version if info else "", reason)


def _warn(name: str, distribution: str, version: str, reason: str) -> None:
    dist = f"{distribution} {version}".strip() or "unknown distribution"
    warnings.warn(f"plugin {name!r} (from {dist}) was skipped: {reason}", PluginLoadWarning, stacklevel=3)


_HOST: Optional[PluginHost] = None


def get_host(reload: bool = False, extra: Iterable[Tuple[str, Any]] = ()) -> PluginHost:
    """The process-wide plugin host, loaded from entry points on first use."""
    global _HOST
    if _HOST is None or reload:
        host = PluginHost()
        host.load_entry_points()
        for name, plugin in extra:
            host.add(plugin, name)
        host.build_registry()
        _HOST = host
    return _HOST


def get_registry() -> Registry:
    return get_host().registry


def reset() -> None:
    """Forget the loaded plugins (tests, and after QWEN_SKILLS_PLUGINS changes)."""
    global _HOST
    _HOST = None


def import_string(path: str) -> Any:
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj
