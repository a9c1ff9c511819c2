"""Loaded data -> a Blueprint model, with every schema problem as a positioned Problem.

pydantic reports all problems of a file at once; each becomes one Problem that points at
the key (unknown keys) or the value (wrong values) with a message written for the person
who wrote the file. Then, so that one typo does not hide every other finding, the parts
that failed are pruned away and the rest is validated again: the model that comes back
holds everything that was valid, and every node still knows where it was read from.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from blueprint_cli import codes
from blueprint_cli.findings import Problem
from blueprint_cli.load import DEFAULT_LIMITS, Limits, Loaded, LoadError, load_bytes
from blueprint_cli.model import ID_PATTERN, ITEM_KIND, Blueprint, Emotion, slugify
from blueprint_cli.positions import Path, SourceMap, Span
from blueprint_cli.text import quote

UNKNOWN_KEY = codes.UNKNOWN_KEY
INVALID_VALUE = codes.INVALID_VALUE

_RECOVERY_ROUNDS = 4
_KIND = ITEM_KIND  # what an item of each list is called, from the model's tree


@dataclass(slots=True)
class Checked:
    """One file after loading and validation: the model (when any part of it is usable)."""

    blueprint: Blueprint | None
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)  # parts left out of the model
    dropped: frozenset[str] = frozenset()  # ids and references written in those parts


def check_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Checked:
    """Bytes of one file -> Checked. Never raises for anything a file can contain."""
    try:
        loaded = load_bytes(raw, limits)
    except LoadError as exc:
        return Checked(None, SourceMap(), [exc.problem()])
    return validate(loaded)


def validate(loaded: Loaded) -> Checked:
    data, source = loaded.data, loaded.source
    problems = list(loaded.problems)
    if data is None:
        problems.append(
            Problem(INVALID_VALUE, "empty file: a blueprint starts with 'blueprint: 1'", Span(1, 1))
        )
        return Checked(None, source, problems)
    if not isinstance(data, dict):
        # never quoted: a file that is not a blueprint may be anything (a key, a password
        # file reached through a link), and the message goes to CI logs
        what = "a list" if isinstance(data, list) else "text or a number"
        problems.append(
            Problem(
                INVALID_VALUE,
                f"the top level must be a mapping (key: value), not {what}",
                source.value(()),
            )
        )
        return Checked(None, source, problems)
    try:
        return Checked(Blueprint.model_validate(data), source, problems)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems.extend(_problem(err, data, source) for err in errors)
    pruned = sorted({_prune_point(data, tuple(err["loc"])) for err in errors})
    dropped = frozenset(ref for loc in pruned for ref in _references(_get(data, loc)))
    return Checked(_recover(data, errors), source, problems, pruned=pruned, dropped=dropped)


_REF_KEYS = ("id", "actor", "phase", "segments", "channel", "regulations", "from", "to")


def _references(node: Any) -> list[str]:
    """Ids, references and the ids text would derive, anywhere in a pruned part."""
    from blueprint_cli.model import slugify

    found: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in _REF_KEYS and isinstance(value, str):
                    found.append(value)
                elif key in ("text", "title") and isinstance(value, str):
                    found.append(slugify(value, ""))
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            found.extend(part.strip() for part in item.split("->"))
            found.append(slugify(item, ""))
    return [f for f in found if f]


def _recover(data: Any, errors: Sequence[Any]) -> Blueprint | None:
    """Drop what failed and validate the rest, so that later checks still see the file."""
    pruner = _Pruner()
    for _ in range(_RECOVERY_ROUNDS):
        points = {_prune_point(data, tuple(err["loc"])) for err in errors}
        # Every point names a part of this round's data; all are removed in one pass, a
        # container copied once however many of its parts go.
        pruned = pruner.remove_all(data, points)
        if pruned is data:
            return None
        data = pruned
        try:
            blueprint = Blueprint.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            continue
        blueprint.assign_paths(pruner.indices)  # positions in the file, not in the pruned data
        return blueprint
    return None


class _Pruner:
    """Removes parts of the data, remembering where each list item kept was written."""

    def __init__(self) -> None:
        self.indices: dict[Path, list[int]] = {}  # list path -> original index of each item

    def original(self, loc: tuple[Any, ...]) -> Path:
        """A location in the pruned data -> the same location in the file."""
        out: list[str | int] = []
        for part in loc:
            if isinstance(part, int):
                kept = self.indices.get(tuple(out))
                if kept is not None and 0 <= part < len(kept):
                    part = kept[part]
            out.append(part)
        return tuple(out)

    def remove_all(self, data: Any, points: set[tuple[Any, ...]]) -> Any:
        """``data`` without the values at ``points`` (locations in ``data``); containers
        off the paths are shared, and ``data`` itself comes back when nothing goes."""
        tree: dict[Any, Any] = {}  # part -> subtree; _GONE: the value there goes
        for loc in sorted(points, key=len):
            if not loc:
                continue  # the whole file: nothing to recover without it
            node = tree
            for part in loc[:-1]:
                child = node.setdefault(part, {})
                if child is _GONE:
                    break  # inside a part that goes anyway
                node = child
            else:
                node[loc[-1]] = _GONE
        return self._prune(data, tree, ())

    def _prune(self, data: Any, tree: dict[Any, Any], loc: tuple[Any, ...]) -> Any:
        # Positions are taken from the round's data: parts deeper down first, so that a
        # list's original indices are read before its own items are removed.
        if isinstance(data, dict):
            copy: dict[Any, Any] | None = None
            for part, sub in tree.items():
                if part not in data:
                    continue
                if sub is _GONE:
                    copy = dict(data) if copy is None else copy
                    del copy[part]
                    continue
                value = self._prune(data[part], sub, (*loc, part))
                if value is not data[part]:
                    copy = dict(data) if copy is None else copy
                    copy[part] = value
            return data if copy is None else copy
        if isinstance(data, list):
            items: list[Any] | None = None
            gone: set[int] = set()
            for part, sub in tree.items():
                if not isinstance(part, int) or not 0 <= part < len(data):
                    continue
                if sub is _GONE:
                    gone.add(part)
                    continue
                value = self._prune(data[part], sub, (*loc, part))
                if value is not data[part]:
                    items = list(data) if items is None else items
                    items[part] = value
            if not gone:
                return data if items is None else items
            at = self.original(loc)
            kept = self.indices.get(at)
            if kept is None:
                kept = list(range(len(data)))
            self.indices[at] = [k for i, k in enumerate(kept) if i not in gone]
            source = data if items is None else items
            return [item for i, item in enumerate(source) if i not in gone]
        return data


_GONE: Any = object()


def _prune_point(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """What to remove for an error at ``loc``: the key, or the list item it is in."""
    if not loc:
        return ()
    if loc == ("blueprint",):
        return ()  # the version: nothing to recover without it
    # An error on a required field of a list item removes the item.
    last_item = max((i for i, part in enumerate(loc) if isinstance(part, int)), default=-1)
    node = _get(data, loc[:-1])
    if isinstance(loc[-1], str) and isinstance(node, dict) and loc[-1] not in _required(loc[:-1]):
        return loc
    if last_item >= 0:
        return loc[: last_item + 1]
    return loc


def _required(loc: tuple[Any, ...]) -> set[str]:
    cls = _model_at(loc)
    if cls is None:
        return set()
    return {f.alias or name for name, f in cls.model_fields.items() if f.is_required()}


def _get(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# ---------------------------------------------------------------------------- messages


def _problem(err: Any, data: Any, source: SourceMap) -> Problem:
    loc: Path = tuple(err["loc"])
    kind: str = err["type"]
    where = _where(data, loc[:-1] if kind in ("extra_forbidden", "missing") else loc)
    if loc and isinstance(loc[-1], int):
        where = ""  # the item itself is named by the message
    name = _key_name(loc)
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        message = f"unknown key {quote(key)}{where}"
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean {quote(close[0])}?)"
        elif value is None or " " in key.strip():  # `{text: a, b}` reads `b` as a key
            message += " (a comma inside {...} ends the text: put text with commas in quotes)"
        elif allowed:
            message += f" (allowed: {', '.join(allowed)})"
        return Problem(UNKNOWN_KEY, message, source.key(loc), loc)
    span = source.value(loc)
    if kind == "missing":
        span = source.value(loc[:-1])
        if loc == ("blueprint",):
            return Problem(
                INVALID_VALUE,
                "missing key 'blueprint': the format version, 'blueprint: 1'",
                span,
                loc,
            )
        return Problem(INVALID_VALUE, f"missing key {quote(loc[-1])}{where}", span, loc)
    subject = name + where
    if loc == ("blueprint",):
        message = f"unsupported format version {_kind_of(value)}: this tool reads 'blueprint: 1'"
    elif kind == "string_type":
        message = f"{subject} must be text, not {_kind_of(value)}{_quote_hint(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{subject} must be a mapping{_or_text(loc)}, not {_kind_of(value)}"
    elif kind == "list_type":
        message = f"{subject} must be a list, not {_kind_of(value)}"
    elif kind in ("int_type", "int_parsing", "int_from_float", "number_type"):
        message = f"{subject} must be a whole number, not {_kind_of(value)}"
        if isinstance(value, str) and value.strip().isdecimal():
            message += f" (write {value.strip()} without quotes)"
    elif kind == "finite_number":
        message = (
            f"{subject} must be a finite number, not {_kind_of(value).removeprefix('the number ')}"
        )
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        low, high = _bounds(loc)
        shown = _kind_of(value).removeprefix("the number ")
        message = f"{subject} must be from {low} to {high}, not {shown}"
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        message = (
            f"{subject}: {quote(value)} is not a valid id (use letters, digits, '-', '_', '.'; "
            "no spaces; start with a letter or digit)"
        )
        slug = slugify(value, "")
        if slug and slug != value:
            message += f": did you mean {quote(slug)}?"
    elif kind == "literal_error":
        message = f"{subject} must be one of {err['ctx']['expected']}, not {quote(value)}"
    elif kind == "value_error":
        message = f"{subject}: {err['ctx']['error']}"
    else:
        message = f"{subject}: {err['msg'][0].lower()}{err['msg'][1:]}"
    return Problem(INVALID_VALUE, message, span, loc)


def _bounds(loc: Path) -> tuple[str, str]:
    """The range of the number field at ``loc``, as written in messages: ``1``, ``10``;
    ``-2``, ``+2`` for a range around zero."""
    cls = _model_at(loc[:-1])
    field = cls.model_fields.get(str(loc[-1])) if cls is not None else None
    low: Any = None
    high: Any = None
    for meta in (field.metadata if field is not None else []) + _annotated_metadata(field):
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    if low is None or high is None:
        return ("1", "10")
    signed = low < 0
    return (str(low), f"+{high}" if signed and high > 0 else str(high))


def _annotated_metadata(field: Any) -> list[Any]:
    if field is None:
        return []
    found: list[Any] = []
    for arg in typing.get_args(field.annotation):
        found.extend(getattr(arg, "__metadata__", ()))
        for inner in typing.get_args(arg)[1:]:
            found.extend(getattr(inner, "metadata", ()))
    return found


def _key_name(loc: Path) -> str:
    if len(loc) >= 2 and isinstance(loc[-1], int):
        return f"{_KIND.get(str(loc[-2]), quote(loc[-2]))} #{loc[-1] + 1}"
    if len(loc) >= 2 and loc[-2] == "emotion":  # its customer and staff are not the lanes
        return quote(f"emotion.{loc[-1]}")
    for part in reversed(loc):
        if isinstance(part, str):
            if part in _KIND and loc[-1] != part:
                return _KIND[part]
            return quote(part)
    return "the value"


def _where(data: Any, loc: Path) -> str:
    """' in step 'check-in'': the innermost list item on the path, named by id or text."""
    node = data
    label = ""
    for i, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and i > 0:
            kind = _KIND.get(str(loc[i - 1]), "item")
            label = f" in {kind} {_name(node, part)}"
    return label


def _name(node: Any, index: int) -> str:
    if isinstance(node, dict):
        for key in ("id", "title", "text"):
            value = node.get(key)
            if isinstance(value, str) and value:
                return quote(value, 40)
        if "from" in node and "to" in node:
            return quote(f"{node['from']} -> {node['to']}", 40)
    elif isinstance(node, str):
        return quote(node, 40)
    return f"#{index + 1}"


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {getattr(value, 'source', value)}"
    if isinstance(value, str):
        return f"text {quote(value, 40)}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _quote_hint(value: Any) -> str:
    if isinstance(value, bool | int | float):
        return " (put it in quotes to make it text)"
    return ""


def _or_text(loc: Path) -> str:
    cls = _model_at(loc)
    if cls is Emotion:
        return " or a whole number from -2 to +2"
    return " or text" if cls is not None and getattr(cls, "SHORTHAND", None) else ""


def _model_at(loc: Path) -> type[BaseModel] | None:
    """The model class that validates the value at ``loc``."""
    cls: type[BaseModel] | None = Blueprint
    for part in loc:
        if isinstance(part, int) or cls is None:
            continue
        fields = {f.alias or name: f for name, f in cls.model_fields.items()}
        if part not in fields:
            return None
        cls = _model_in(fields[part].annotation)
    return cls


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _allowed_keys(loc: Path) -> list[str]:
    cls = _model_at(loc)
    if cls is None:
        return []
    return [f.alias or name for name, f in cls.model_fields.items()]
