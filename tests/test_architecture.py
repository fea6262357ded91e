"""The layout of docs/architecture.md, kept true: no import cycles, and no import upwards.

Read from the source (ast), so an import hidden inside a function counts like one at the top.
An import under ``if TYPE_CHECKING:`` counts for cycles too, but not for layering: a name used
only in annotations is not a dependency at run time.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Each package's layers, lowest first: a module may import its own layer and those below.
LAYERS = {
    "conformance": ["model", "checks", "client", "outcome", "recording", "live", "report",
                    "pytest_plugin", "expect", "contracts", "harness", "cli"],
    "emulator": ["state", "wire", "engine", "api", "gateway", "server", "__main__"],
}


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, bool]]:
    """(imported module, under TYPE_CHECKING) for every import in the file, at any depth."""
    tree = ast.parse(path.read_text())
    typed = {id(n) for t in ast.walk(tree) if isinstance(t, ast.If) and getattr(t.test, "id", "") == "TYPE_CHECKING"
             for b in t.body for n in ast.walk(b)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(up[: len(up) - node.level + 1] + ([base] if base else []))
            candidates = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name and not name.startswith(candidate + "."):
                out.append((candidate, id(node) in typed))
    return out


def _graph(package: str) -> dict[str, set[str]]:
    known = _modules(package)
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in known.items():
        graph[name] |= {target for target, _ in _imports(name, path, known)}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in list(graph):
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


def _layer(package: str, module: str) -> int | None:
    parts = module.split(".")
    return LAYERS[package].index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS[package] else None


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_no_module_imports_itself_round_a_cycle(package: str) -> None:
    assert _cycles(_graph(package)) == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_no_module_imports_a_layer_above_its_own(package: str) -> None:
    known = _modules(package)
    upward = []
    for name, path in known.items():
        if ".mutations" in name:
            continue  # the emulator's mutants patch every layer on purpose (a test-only seam)
        mine = _layer(package, name)
        for target, type_only in _imports(name, path, known):
            theirs = _layer(package, target)
            if not type_only and mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{name} -> {target}")
    assert upward == []


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_every_subpackage_is_a_known_layer(package: str) -> None:
    folders = {p.name for p in (ROOT / package).iterdir() if (p / "__init__.py").exists()} - {"mutations"}
    assert folders <= set(LAYERS[package]), "a new folder needs its place in LAYERS and docs/architecture.md"


def test_the_emulator_never_imports_the_suite() -> None:
    known = _modules("emulator")
    leaks = [name for name, path in known.items()
             if any(line.lstrip().startswith(("from conformance", "import conformance")) for line in path.read_text().splitlines())]
    assert leaks == []
