"""Which service answers which path: found through the plugin host, plus any a test adds.

Services arrive through the ``register_emulator_services`` hook of the process-wide plugin
host (the same entry points the client loads), so a skill's plugin brings its emulator
behaviour with it. A plugin whose hook fails is skipped with a warning, like any plugin.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional

from .service import Service, normalize_path

HOOK = "register_emulator_services"


@dataclass(frozen=True)
class Route:
    """The service behind one endpoint path and how it may answer there."""

    service: Service
    tasks: bool  # answers with a task id (X-DashScope-Async: enable)
    sync: bool  # answers at once with the finished output


def discover() -> List[Service]:
    """Every service registered by the loaded plugins, in plugin order."""
    from ..plugins import PluginLoadWarning, get_host

    host = get_host()
    order = list(host.plugins)
    impls = getattr(host.pm.hook, HOOK).get_hookimpls()
    impls = sorted(impls, key=lambda impl: order.index(impl.plugin_name) if impl.plugin_name in order else len(order))
    found: List[Service] = []
    for impl in impls:
        collected: List[Any] = []
        try:
            impl.function(register=collected.append)
        except Exception as exc:  # third-party code must not stop the emulator
            _warn(PluginLoadWarning, impl.plugin_name, f"{HOOK} failed: {type(exc).__name__}: {exc}")
            continue
        for item in collected:
            if isinstance(item, Service):
                found.append(item)
            else:
                _warn(PluginLoadWarning, impl.plugin_name, f"{HOOK} registered {type(item).__name__}, not a Service")
    return found


def _warn(category: type, plugin: str, reason: str) -> None:
    warnings.warn(f"plugin {plugin!r}: emulator service skipped: {reason}", category, stacklevel=3)


class ServiceTable:
    """Path -> service; services are also kept by name (their options and state are keyed by it)."""

    def __init__(self, services: Iterable[Service] = ()) -> None:
        self._services: Dict[str, Service] = {}
        self._lock = threading.Lock()
        for service in services:
            clash = self.conflict(service)
            if clash is not None:  # the first plugin's service wins, as the first registration does elsewhere
                warnings.warn(f"emulator service {service.name!r} was skipped: {clash}", stacklevel=2)
                continue
            self.add(service)

    def conflict(self, service: Service) -> Optional[str]:
        """Why ``service`` clashes with one already here (same name or path), or None."""
        with self._lock:
            for other in self._services.values():
                if other.name == service.name:
                    return f"another service is named {service.name!r}"
                shared = set(other.paths + other.sync_paths) & set(service.paths + service.sync_paths)
                if shared:
                    return f"{sorted(shared)[0]} is already answered by service {other.name!r}"
        return None

    def add(self, service: Service) -> None:
        """Add ``service``; one of the same name, or answering one of its paths, is replaced."""
        mine = set(service.paths + service.sync_paths)
        with self._lock:
            for name, other in list(self._services.items()):
                if name == service.name or mine & set(other.paths + other.sync_paths):
                    del self._services[name]
            self._services[service.name] = service

    def route(self, path: str) -> Optional[Route]:
        try:
            key = normalize_path(path)
        except ValueError:
            return None
        with self._lock:
            for service in self._services.values():
                tasks, sync = key in service.paths, key in service.sync_paths
                if tasks or sync:
                    return Route(service, tasks, sync)
        return None

    def get(self, name: str) -> Optional[Service]:
        with self._lock:
            return self._services.get(name)

    def all(self) -> List[Service]:
        with self._lock:
            return list(self._services.values())
