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


def imported_names(source: str, package: str) -> set[str]:
    """Absolute names a module's `source` imports; `package` resolves relative imports."""
    names: set[str] = set()
    for node in _walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _imported(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imported_names(path.read_text(encoding="utf-8"), package)


def _node(module: str) -> str | None:
    """The first-level node of a `laps` module (`laps.segment.stream` -> `laps.segment`)."""
    parts = module.split(".")
    if parts[0] != "laps" or len(parts) < 2:
        return None
    node = parts[1]
    exists = (SRC / node).is_dir() or (SRC / f"{node}.py").is_file()
    return f"laps.{node}" if exists else None  # `from laps import __version__` is no node


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
    cycles = sorted(" -> ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(graph))
    edges = []
    for component in nx.strongly_connected_components(graph):
        for source, target in graph.subgraph(component).edges:
            edges.append(f"  {source} -> {target}: {', '.join(_edge_sources(source, target))}")
    assert not cycles, (
        f"expected package imports to form a DAG, got {len(cycles)} cycle(s):\n  "
        + "\n  ".join(cycles)
        + "\nthrough these imports:\n"
        + "\n".join(sorted(edges))
        + "\nfix: move the imported code down a layer (docs/ARCHITECTURE.md, Package layers)"
    )


def test_lazy_and_relative_imports_count_type_checking_ones_do_not() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from ..segment import stream\n"
        "if TYPE_CHECKING:\n"
        "    from laps.cli import app\n"
        "else:\n"
        "    import laps.types\n"
        "def f():\n"
        "    from laps.scale.ray import track_on_ray\n"
    )
    nodes = {_node(name) for name in imported_names(source, "laps.pipeline")}
    assert nodes - {None} == {"laps.pipeline", "laps.segment", "laps.types", "laps.scale"}


def test_the_graph_covers_every_package() -> None:
    graph = package_graph()
    packages = {f"laps.{p.name}" for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert packages <= set(graph), (
        f"expected every package in the graph, missing {packages - set(graph)}"
    )
    assert graph.has_edge("laps.cli", "laps.pipeline")
