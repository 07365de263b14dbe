"""The shape of the code, as docs/architecture.md describes it, checked on every module of ``cdkg``.

- no module over 500 lines, no function (or method) over 80 lines;
- no import cycle among the ``cdkg`` modules (imports inside functions count too);
- data flows one way, document -> mentions -> facts -> triples -> store -> queries/views, so an
  earlier stage never imports a later one: ``cdkg.graph.text`` imports none of
  ``cdkg.graph.facts``, ``cdkg.graph.store``, ``cdkg.queries``, ``cdkg.visualize``;
  ``cdkg.graph.facts`` none of ``cdkg.graph.store``, ``cdkg.queries``, ``cdkg.visualize``; the
  store none of the rooms that read it; the ontology (vocabulary) and the base modules
  (``cdkg.errors``, ``cdkg.files``, ``cdkg.namespaces``, ``cdkg.paths``) none of the rooms.

Modules are found from ``pyproject.toml``'s ``package-dir`` (folder -> package name), by walking
the source text (``ast``): nothing is imported.
"""

from __future__ import annotations

import ast
import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

#: The flow, earliest first; a module may import its own stage and earlier ones only.
STAGES = (
    ("cdkg.graph.text",),
    ("cdkg.graph.facts",),
    ("cdkg.graph.store",),
    ("cdkg.queries", "cdkg.visualize"),
)
#: Modules that every room may use and that use no room.
BASE = ("cdkg.errors", "cdkg.files", "cdkg.namespaces", "cdkg.paths")
#: The rooms (everything but the base modules, the CLI dispatcher and the benchmarks).
ROOMS = ("cdkg.graph", "cdkg.queries", "cdkg.visualize", "cdkg.bench")


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    """Every module of the installed package ``cdkg``, by dotted name, with its source file."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir = config["tool"]["setuptools"]["package-dir"]
    found: dict[str, Path] = {}
    for package, folder in package_dir.items():
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).with_suffix("").parts
            found[".".join((package, *(p for p in parts if p != "__init__")))] = path
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def imports_of(name: str, path: Path) -> set[str]:
    """The ``cdkg`` modules that module ``name`` imports, anywhere in its text."""
    known = modules()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # ``import a.b.c`` uses a.b.c; name the longest known module it stands for
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: imports_of(name, path) for name, path in modules().items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def stage_of(module: str) -> int | None:
    for number, prefixes in enumerate(STAGES):
        if any(_within(module, prefix) for prefix in prefixes):
            return number
    return None


def test_the_package_is_found():
    names = modules()
    assert "cdkg.cli" in names and "cdkg.graph.store.store" in names and "cdkg.visualize.views" in names
    assert len(names) > 40


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_500_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_over_80_lines():
    long = {}
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name} (line {node.lineno})"] = length
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_no_import_cycle():
    assert cycles(import_graph()) == []


@pytest.mark.parametrize("earlier, later", [
    ("cdkg.graph.text", ("cdkg.graph.facts", "cdkg.graph.store", "cdkg.queries", "cdkg.visualize")),
    ("cdkg.graph.facts", ("cdkg.graph.store", "cdkg.queries", "cdkg.visualize")),
    ("cdkg.graph.store", ("cdkg.queries", "cdkg.visualize")),
    ("cdkg.ontology", ("cdkg.graph", "cdkg.queries", "cdkg.visualize", "cdkg.bench")),
])
def test_an_earlier_stage_never_imports_a_later_one(earlier, later):
    wrong = sorted((name, target) for name, targets in import_graph().items() if _within(name, earlier)
                   for target in targets if any(_within(target, prefix) for prefix in later))
    assert not wrong, f"{earlier} imports a later stage: {wrong}"


def test_imports_follow_the_flow():
    wrong = sorted((name, target) for name, targets in import_graph().items() for target in targets
                   if stage_of(name) is not None and stage_of(target) is not None
                   and stage_of(target) > stage_of(name))
    assert not wrong, f"imports against the flow (text -> facts -> store -> queries/visualize): {wrong}"


def test_base_modules_import_no_room():
    graph = import_graph()
    wrong = sorted((name, target) for name in BASE for target in graph.get(name, ())
                   if any(_within(target, room) for room in ROOMS + ("cdkg.ontology",)))
    assert not wrong, f"base modules must not depend on the rooms: {wrong}"

