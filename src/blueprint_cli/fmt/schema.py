"""What the formatter knows of the format, read from the model: the order of each node's
keys, which values are durations, and which node a mapping or a list item is.

Nothing here is written twice: the key order is the order of the fields in
``model/nodes.py``, a duration is a field whose validator is ``parse_duration``.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass
from typing import Any

from blueprint_cli.model import Blueprint
from blueprint_cli.model.nodes import Node, format_duration, parse_duration

ROOT: type[Node] = Blueprint


@dataclass(frozen=True, slots=True)
class Kind:
    """What a value is, where the format knows it: a node (``node``), a list of nodes
    (``items``), or a duration (``duration``). All None: a value the format leaves open."""

    node: type[Node] | None = None
    items: type[Node] | None = None
    duration: bool = False


OPEN = Kind()


def _parses_durations(meta: Any) -> bool:
    """Is this annotation's metadata the validator of durations (``BeforeValidator``)?"""
    return getattr(meta, "func", None) is parse_duration


def _unwrap(annotation: Any) -> Kind:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        kinds = [_unwrap(a) for a in typing.get_args(annotation) if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else OPEN
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        if any(_parses_durations(m) for m in meta):
            return Kind(duration=True)
        return _unwrap(inner)
    if origin is list:
        (item,) = typing.get_args(annotation) or (Any,)
        child = _unwrap(item)
        return Kind(items=child.node) if child.node is not None else OPEN
    if isinstance(annotation, type) and issubclass(annotation, Node):
        return Kind(node=annotation)
    return OPEN


@functools.cache
def fields(cls: type[Node]) -> dict[str, Kind]:
    """A node's keys as written in a file (``from``, not ``from_``), in the model's order,
    each with what its value is."""
    out: dict[str, Kind] = {}
    for name, info in cls.model_fields.items():
        kind = _unwrap(info.annotation)
        if not kind.duration and any(_parses_durations(m) for m in info.metadata):
            kind = Kind(duration=True)
        out[info.alias or name] = kind
    return out


def child(kind: Kind, key: str | None) -> Kind:
    """The kind of a mapping's value under ``key`` (None: a list item)."""
    if key is None:
        return Kind(node=kind.items) if kind.items is not None else OPEN
    if kind.node is None:
        return OPEN
    return fields(kind.node).get(key, OPEN)


def is_duration_text(kind: Kind, value: str) -> bool:
    """Is this text, at this place, a duration: in a duration field, or as the shorthand
    of a node whose text stands for a duration (``wait: 20m``)?"""
    if kind.duration:
        return _parses(value)
    node = kind.node
    if node is None or node.SHORTHAND is None:
        return False
    try:
        data = node._from_text(value)
    except ValueError:
        return False
    if not isinstance(data, dict) or len(data) != 1:
        return False
    (key,) = data
    return fields(node).get(key, OPEN).duration and _parses(value)


def _parses(value: str) -> bool:
    try:
        parse_duration(value)
    except ValueError:
        return False
    return True


def seconds(value: str) -> float:
    return parse_duration(value)


def canonical_duration(value: str) -> str:
    """The one spelling of a duration (``90s`` -> ``1m30s``, ``PT5M`` -> ``5m``), when it
    means exactly the same number of seconds; else the text as written."""
    exact = parse_duration(value)
    written = format_duration(exact)
    try:
        same = parse_duration(written) == exact
    except ValueError:
        same = False
    return written if same else value
