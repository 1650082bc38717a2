"""The package's shape: no import cycles among coordgap's modules (module-level imports, the
parent package's __init__ included, since importing a.b runs a/__init__ first), and one
organisation-tree helper (no module walks `parent` links by itself)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "coordgap"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _top_level_imports(tree: ast.Module):
    """Imports run when the module is imported: at top level, not under `if TYPE_CHECKING:`."""
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If) and not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            yield from (n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))
        elif isinstance(node, ast.Try):
            yield from (n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom)))


def graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PKG.rglob("*.py")}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_pkg = path.name == "__init__.py"
        base = mod.split(".") if is_pkg else mod.split(".")[:-1]
        for node in _top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    root = base[: len(base) - node.level + 1]
                    prefix = ".".join(root + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
            for t in targets:
                # `from . import x` inside a package names the package being initialised: not an edge
                if t in modules and t != mod and not mod.startswith(t + "."):
                    edges[mod].add(t)
    # importing a.b.c imports a.b (its __init__) first
    for mod in list(edges):
        for t in list(edges[mod]):
            parts = t.split(".")
            for i in range(1, len(parts)):
                parent = ".".join(parts[:i])
                if parent in modules and parent != mod and not mod.startswith(parent + "."):
                    edges[mod].add(parent)
    return edges


def test_no_import_cycles():
    edges = graph()
    assert sum(map(len, edges.values())) > 50  # the graph was read
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles[:5])


def test_one_organisation_tree_helper():
    """Only model/tree.py walks `.parent` links up the tree (the loader's cycle check aside)."""
    walkers = []
    for path in PKG.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "].parent" in text and path.name not in {"tree.py", "crossref.py"}:
            walkers.append(str(path.relative_to(SRC)))
    assert not walkers, walkers
