"""Package imports of `laps` form a DAG: no package imports another that imports it back.

A node is a first-level name under `laps` (a subpackage such as `laps.segment`, or a top-level
module such as `laps.config`). Every import in a module counts, function-level (lazy) ones
included; imports under `if TYPE_CHECKING:` do not (they never run).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "laps"


def _module_name(path: Path) -> str:
    parts = ["laps", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under `node`, skipping the bodies of `if TYPE_CHECKING:` blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def _imported(path: Path) -> set[str]:
    """Absolute names of the modules `path` imports (relative imports resolved)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _node(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "laps" or len(parts) < 2:
        return None
    return ".".join(parts[:2])


def package_graph() -> nx.DiGraph:
    """The graph of first-level `laps` nodes, an edge for each import between two of them."""
    graph: nx.DiGraph = nx.DiGraph()
    for path in sorted(SRC.rglob("*.py")):
        source = _node(_module_name(path))
        if source is None:
            continue
        graph.add_node(source)
        for name in _imported(path):
            target = _node(name)
            if (
                target is not None
                and target != source
                and (SRC / target[5:]).exists() | (SRC / f"{target[5:]}.py").exists()
            ):
                graph.add_edge(source, target)
    return graph


def _edge_sources(source: str, target: str) -> list[str]:
    """The modules of `source` that import `target` (for the failure message)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if _node(_module_name(path)) == source and any(
            _node(name) == target for name in _imported(path)
        ):
            found.append(_module_name(path))
    return found


def test_package_imports_form_a_dag() -> None:
    graph = package_graph()
    cycles = sorted(sorted(cycle) for cycle in nx.simple_cycles(graph) if len(cycle) > 1)
    lines = []
    for component in nx.strongly_connected_components(graph):
        if len(component) < 2:
            continue
        for source, target in graph.subgraph(component).edges:
            lines.append(f"  {source} -> {target}: {', '.join(_edge_sources(source, target))}")
    assert not cycles, (
        f"expected package imports to form a DAG, got {len(cycles)} cycle(s) "
        f"among these edges:\n" + "\n".join(sorted(lines)) + "\nfix: move the imported code down"
    )


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = package_graph()
    assert "laps.cli" in graph and graph.out_degree("laps.cli") > 0
