"""A JSON object -> a typed record, field by field, with errors that name the file and key.

Rules (what the writers produce, read back): a ``float`` field reads ``null`` as NaN (the
writers turn NaN into ``null``, JSON has no NaN); an optional field (``X | None``) keeps
``null``; ``int`` fields refuse booleans and floats; lists and tuples are converted element
by element. Keys a record does not know are ignored, so newer files stay readable.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import MISSING, fields
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from laps.errors import RunFolderError

R = TypeVar("R")

FIX = "re-run `laps segment` on the video to rewrite its run folder"


def record_from_json(cls: type[R], data: object, where: str) -> R:
    """Build the dataclass ``cls`` from a JSON object.

    Args:
        cls: a dataclass whose fields are annotated with JSON-like types.
        data: the decoded JSON value.
        where: the file (and line) it came from, for messages.

    Raises:
        RunFolderError: ``data`` is not an object, lacks a required key, or has a value of
            the wrong type.
    """
    if not isinstance(data, Mapping):
        raise RunFolderError(f"{where}: expected a JSON object, got {_kind(data)}; {FIX}")
    hints = get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _coerce(hints[f.name], data[f.name], f"{where}: {f.name!r}")
        elif f.default is MISSING and f.default_factory is MISSING:
            raise RunFolderError(f"{where}: expected key {f.name!r}, got none; {FIX}")
    return cls(**kwargs)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _bad(tp: object, value: object, where: str) -> RunFolderError:
    name = getattr(tp, "__name__", str(tp))
    return RunFolderError(f"{where}: expected {name}, got {_kind(value)} {value!r:.40}; {FIX}")


def _coerce(tp: Any, value: Any, where: str) -> Any:
    origin, args = get_origin(tp), get_args(tp)
    if tp is Any:
        return value
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return _coerce(inner, value, where)
    if origin is dict:
        if not isinstance(value, dict):
            raise _bad(dict, value, where)
        return {str(k): _coerce(args[1], v, f"{where}[{k!r}]") for k, v in value.items()}
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise _bad(list, value, where)
        items = [_coerce(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if origin is list else tuple(items)
    return _scalar(tp, value, where)


def _scalar(tp: Any, value: Any, where: str) -> Any:
    if tp is float:
        if value is None:
            return math.nan
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(float, value, where)
        return float(value)
    if tp is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _bad(int, value, where)
    if tp in (int, str, bool) and not isinstance(value, tp):
        raise _bad(tp, value, where)
    if tp not in (int, str, bool):
        raise TypeError(f"record field type {tp!r} is not supported")
    return value
