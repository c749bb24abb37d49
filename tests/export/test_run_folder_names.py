"""Only ``laps.export.run_folder`` spells the run folder's file names (checked with ``ast``).

Docstrings may name the files; code (paths, messages, f-strings) takes them from the module.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import laps
from laps.export.run_folder import CLIPS_DIR, FILES

SRC = Path(laps.__file__).parent
OWNER = SRC / "export" / "run_folder"
# Modules other branches are editing; their literals move to the run-folder names on merge.
PENDING: dict[str, str] = {}
_NAMES = re.compile(
    r"(?<![\w.-])(?:"
    + "|".join(re.escape(f) for f in FILES if f != CLIPS_DIR)
    + rf"|{re.escape(CLIPS_DIR)}/)(?![\w])"
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings."""
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None) if isinstance(node, kinds) else None
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            out.add(id(body[0].value))
    return out


def _clips_joins(tree: ast.AST) -> list[int]:
    """Lines where ``"clips"`` is an operand of ``/`` (a path join)."""
    joins = [n for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)]
    return [
        node.lineno
        for node in joins
        for side in (node.left, node.right)
        if isinstance(side, ast.Constant) and side.value == CLIPS_DIR
    ]


def literal_names(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal outside docstrings that spells a run-folder name."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    hits = [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and _NAMES.search(node.value)
    ]
    return hits + [(line, CLIPS_DIR) for line in _clips_joins(tree)]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('p = folder / "manifest.json"', True),
        ('raise E(f"cannot read {p}: expected windows.jsonl")', True),
        ('name = f"clips/{seg:06d}.mp4"', True),
        ('clip_dir = staging / "clips"', True),
        ('"""Reads ``manifest.json``."""\nx = 1', False),
        ('def f():\n    """Writes perf_summary.json."""', False),
        ('cfg.model_copy(update={"clips": False})', False),
        ('paths = [gt / f"{name}_segments.json"]', False),  # ground truth, not a run file
        ("from laps.export.run_folder import SEGMENTS", False),
    ],
)
def test_the_checker_itself(source: str, found: bool) -> None:
    assert bool(literal_names(source)) is found


def test_no_other_module_spells_the_file_names() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if path.is_relative_to(OWNER) or rel in PENDING:
            continue
        offenders += [f"{rel}:{n}: {text!r}" for n, text in literal_names(path.read_text())]
    assert not offenders, (
        "run-folder file names spelled outside laps.export.run_folder; import the names "
        "(MANIFEST, WINDOWS, ...) or use RunPaths:\n" + "\n".join(offenders)
    )


def test_the_pending_modules_still_need_their_exemption() -> None:
    stale = [rel for rel in PENDING if not literal_names((SRC / rel).read_text())]
    assert not stale, f"drop {stale} from PENDING: they no longer spell a run-folder name"
