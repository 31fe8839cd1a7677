"""Our modules import one another in one direction: no cycles, and each imports on its own.

The graph is read from the source (every import, inside functions too, but not
under ``if TYPE_CHECKING:``), because a cycle through a function-level import
works until someone moves the import to the top, and then breaks start-up.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Set

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "qwencloud_skills"
# The plugin core, in import order: each may import only the ones before it (the registry's records call
# validation; the loader, plugins, sits on top).
CORE = ("errors", "pluginnames", "validation", "registry", "hookspecs", "plugins")
# Cycles tolerated for now; none are left (tasks/uploads share prepared.py, cli.app/cli.generated share
# cli/runner.py). A new one fails the test below.
KNOWN_CYCLES: List[Set[str]] = []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


def _imports(path: Path, modules: Set[str]) -> Set[str]:
    """Our modules that ``path`` imports, anywhere in it (its own parent packages aside: always loaded)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: Set[str] = set()
    pending: List[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                pending.extend(child.orelse)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - child.level + 1] if child.level else []
                target = ".".join(base + [child.module] if child.module else base)
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in child.names)
            else:
                pending.append(child)
    return {m for m in found if m in modules and m != name and not name.startswith(m + ".")}


def import_graph() -> Dict[str, Set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(path) for path in paths}
    return {_module_name(path): _imports(path, modules) for path in paths}


def cycles(graph: Dict[str, Set[str]]) -> List[Set[str]]:
    """The strongly connected components with more than one module (Tarjan, without recursion)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[Set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_cycles_through_function_level_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [{"a", "b", "c"}]


def test_the_graph_sees_imports_inside_functions_but_not_type_checking_ones() -> None:
    graph = import_graph()
    assert "qwencloud_skills.validation" in graph["qwencloud_skills.registry"]  # Mode.validate, at call time
    assert "qwencloud_skills.registry" not in graph["qwencloud_skills.hookspecs"]  # TYPE_CHECKING only


def test_no_import_cycle_runs_through_the_plugin_core() -> None:
    core = {f"qwencloud_skills.{name}" for name in CORE}
    assert [sorted(c) for c in cycles(import_graph()) if c & core] == []


def test_the_plugin_core_imports_in_one_direction() -> None:
    graph = import_graph()
    for position, name in enumerate(CORE):
        imported = {m.rpartition(".")[2] for m in graph[f"qwencloud_skills.{name}"]} & set(CORE)
        assert imported <= set(CORE[:position]), f"{name} imports {sorted(imported)}: only {CORE[:position]} allowed"


def test_no_new_import_cycles_anywhere_in_the_package() -> None:
    unexpected = [sorted(c) for c in cycles(import_graph()) if c not in KNOWN_CYCLES]
    assert unexpected == [], "modules importing one another; move the shared part into a module both can import"


PROBE = """
import importlib, json, sys
importlib.import_module({name!r})
print(json.dumps(sorted(m for m in sys.modules if m.startswith("qwencloud_skills"))))
"""

TOP_LEVEL = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem not in ("__init__", "__main__"))


def _loaded_by(module: str) -> Set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(name=module)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"importing {module} alone failed:\n{result.stderr}"
    return set(json.loads(result.stdout)) - {"qwencloud_skills", module}


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_each_module_imports_alone_in_a_fresh_interpreter(name: str) -> None:
    loaded = _loaded_by(f"qwencloud_skills.{name}")
    if name in ("errors", "pluginnames", "registry"):
        assert loaded == set()  # plain data and rules: nothing of ours until called
    elif name == "validation":
        assert loaded == {"qwencloud_skills.errors"}
