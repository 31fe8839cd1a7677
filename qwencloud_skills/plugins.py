"""Find, load and call plugins: first-party and third-party alike, through entry points.

A plugin that fails to import or to register is skipped with a warning naming
it and its distribution; the host and the other plugins keep working. A hook
function that would never be called (a name no hookspec defines, such as
``register_mode`` for ``register_modes``, or a wrapper) is reported with an
:class:`IgnoredHookWarning` and listed under ``ignored_hooks`` in
``qwencloud-skills plugins --format json``; the plugin's other hooks still run.

Order. The host calls each plugin's registration hook on its own (so one
plugin's failure is undone without touching the others), in this order:
``@hookimpl(tryfirst=True)`` implementations first, then plain ones, then
``@hookimpl(trylast=True)`` ones; within each group, in load order
(first-party plugins, then the others by distribution and entry-point name).
Order matters where a registration replaces another: a skill or a model
registered twice keeps the later one, so ``trylast`` lets a plugin override.
``hookwrapper=True`` and ``wrapper=True`` are not supported (there is no
single call to wrap): such an implementation is ignored, with the warning.
``optionalhook=True`` silences the warning for a hook the host may not define.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from . import validation
from .entrycache import Entry, entry_points
from .pluginnames import RESTRICT_ENV, allowed_names, import_string, selected
from .registry import RegistrationWarning, Registry

__all__ = [
    "IgnoredHookWarning", "PluginHost", "PluginInfo", "PluginLoadWarning",
    "get_host", "get_registry", "import_string", "reset",
]


class PluginLoadWarning(UserWarning):
    """A plugin could not be loaded or failed while registering; it was skipped."""


class IgnoredHookWarning(RegistrationWarning):
    """A plugin's hook function will never be called: no hookspec has its name, or it is a wrapper."""


@dataclass
class PluginInfo:
    """One loaded plugin, for `qwencloud-skills plugins`."""

    name: str
    module: str
    distribution: str
    version: str
    registers: List[str] = field(default_factory=list)
    ignored_hooks: List[str] = field(default_factory=list)  # "hook: why it is never called"

    def as_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "module": self.module,
            "distribution": self.distribution,
            "version": self.version,
            "registers": list(self.registers),
            "ignored_hooks": list(self.ignored_hooks),
        }


def _entry_points() -> List[Tuple[Entry, str, str]]:
    """(entry point, distribution name, version) for our group, deduplicated, stable order.

    From :mod:`.entrycache`: a scan of the installed metadata only when something installed changed.
    """
    return [(entry, entry.distribution, entry.version) for entry in entry_points()]


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
        self.check_hooks()
        self._call_each("register_skills", self.registry.add_skill)
        self._call_each("register_modes", self.registry.add_mode)
        self._call_each("register_models", lambda mode, spec, plugin: self.registry.add_model(mode, spec, plugin))
        self._call_each("register_workflows", self.registry.add_workflow)
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

    def check_hooks(self) -> None:
        """Warn about each hook function that will never be called (pluggy's check_pending, as warnings)."""
        hooks = {name: caller for name, caller in vars(self.pm.hook).items() if not name.startswith("_")}
        known = sorted(name for name, caller in hooks.items() if caller.has_spec())
        for name, caller in hooks.items():
            for impl in caller.get_hookimpls():
                if caller.has_spec() and _is_wrapper(impl):
                    why = "a wrapper (hookwrapper/wrapper), which the host does not run; drop the option"
                elif not caller.has_spec() and not impl.optionalhook:
                    import difflib

                    guess = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                    why = (f"not a qwencloud-skills hook{f'; did you mean {guess[0]!r}?' if guess else ''} "
                           f"(hooks: {', '.join(known)})")
                else:
                    continue
                info = self.plugins.get(impl.plugin_name)
                if info is not None:
                    info.ignored_hooks.append(f"{name}: {why}")
                dist = f"{info.distribution} {info.version}".strip() if info else "unknown distribution"
                warnings.warn(f"plugin {impl.plugin_name!r} (from {dist}): hook {name!r} will never be called: {why}",
                              IgnoredHookWarning, stacklevel=3)

    # -- internals -------------------------------------------------------------
    def _impls(self, hook_name: str) -> List[Any]:
        """A hook's implementations in call order: tryfirst, plain, trylast; each group in load order."""
        hook = getattr(self.pm.hook, hook_name)
        order = list(self.plugins)

        def rank(impl: Any) -> Tuple[int, int]:
            group = 0 if impl.tryfirst else 2 if impl.trylast else 1
            return group, order.index(impl.plugin_name) if impl.plugin_name in order else 0

        return sorted((impl for impl in hook.get_hookimpls() if not _is_wrapper(impl)), key=rank)

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


def _is_wrapper(impl: Any) -> bool:
    return bool(getattr(impl, "hookwrapper", False) or getattr(impl, "wrapper", False))


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


def _loaded_modes(skill: str) -> List[Any]:
    return get_registry().modes_of(skill)


# Validation explains a mistaken field or model by the skill's other modes; it cannot import this
# module (plugins -> registry -> validation would close a cycle), so the host tells it where they are.
validation.set_mode_source(_loaded_modes)


def reset() -> None:
    """Forget the loaded plugins (tests, and after QWEN_SKILLS_PLUGINS changes)."""
    global _HOST
    _HOST = None
