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
from typing import Any, TypeVar

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
#: what an item of each list is called, from the model's tree (and an observation's)
_KIND = {**ITEM_KIND, "unplanned": "unplanned fail point"}


@dataclass(slots=True)
class Checked:
    """One file after loading and validation: the model (when any part of it is usable)."""

    blueprint: Blueprint | None
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)  # parts left out of the model
    dropped: frozenset[str] = frozenset()  # ids and references written in those parts
    #: the plain data the model was validated from, when all of it validated (``diff``
    #: hands it from one process to another: the model is rebuilt from it, exactly)
    data: Any = None


def check_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Checked:
    """Bytes of one file -> Checked. Never raises for anything a file can contain."""
    try:
        loaded = load_bytes(raw, limits)
    except LoadError as exc:
        return Checked(None, SourceMap(), [exc.problem()])
    return validate(loaded)


def from_data(data: Any) -> Blueprint | None:
    """The model of plain data that validated whole before (``Checked.data``, handed over
    by another process); None if it does not."""
    try:
        return Blueprint.model_validate(data)
    except ValidationError:
        return None


def validate(loaded: Loaded) -> Checked:
    model, problems, pruned = validate_as(loaded, Blueprint)
    if not pruned:
        return Checked(model, loaded.source, problems, data=loaded.data)
    dropped = frozenset(ref for loc in pruned for ref in _references(_get(loaded.data, loc)))
    return Checked(model, loaded.source, problems, pruned=pruned, dropped=dropped)


M = TypeVar("M", bound=BaseModel)


def validate_as(loaded: Loaded, root: type[M]) -> tuple[M | None, list[Problem], list[Path]]:
    """Loaded data -> (the model of the format ``root``, or of what of it validates;
    every problem; the parts left out). ``root.VERSION_KEY`` names the format's version
    key (``blueprint: 1``, ``observation: 1``)."""
    data, source = loaded.data, loaded.source
    problems = list(loaded.problems)
    key = _version_key(root)
    if data is None:
        noun = "an observation" if key == "observation" else "a blueprint"
        problems.append(
            Problem(INVALID_VALUE, f"empty file: {noun} starts with '{key}: 1'", Span(1, 1))
        )
        return None, problems, []
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
        return None, problems, []
    try:
        return root.model_validate(data), problems, []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems.extend(_problem(err, data, source, root) for err in errors)
    pruned = sorted({_prune_point(data, tuple(err["loc"]), root) for err in errors})
    return _recover(data, errors, root), problems, pruned


def _version_key(root: type[BaseModel]) -> str:
    return str(getattr(root, "VERSION_KEY", "blueprint"))


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


def _recover(data: Any, errors: Sequence[Any], root: type[M]) -> M | None:
    """Drop what failed and validate the rest, so that later checks still see the file."""
    pruner = _Pruner()
    for _ in range(_RECOVERY_ROUNDS):
        points = {_prune_point(data, tuple(err["loc"]), root) for err in errors}
        # Every point names a part of this round's data; all are removed in one pass, a
        # container copied once however many of its parts go.
        pruned = pruner.remove_all(data, points)
        if pruned is data:
            return None
        data = pruned
        try:
            model = root.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            continue
        assign = getattr(model, "assign_paths", None)
        if assign is not None:
            assign(pruner.indices)  # positions in the file, not in the pruned data
        return model
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


def _prune_point(data: Any, loc: tuple[Any, ...], root: type[BaseModel]) -> tuple[Any, ...]:
    """What to remove for an error at ``loc``: the key, or the list item it is in."""
    if not loc:
        return ()
    if loc == (_version_key(root),):
        return ()  # the version: nothing to recover without it
    # An error on a required field of a list item (or of an entry of a mapping keyed by
    # id, as an observation's steps are) removes the item.
    last_item = max(_item_ends(loc, root), default=-1)
    node = _get(data, loc[:-1])
    required = _required(loc[:-1], root)
    if isinstance(loc[-1], str) and isinstance(node, dict) and loc[-1] not in required:
        return loc
    if last_item >= 0:
        return loc[: last_item + 1]
    return loc


def _item_ends(loc: Path, root: type[BaseModel]) -> list[int]:
    """Where on ``loc`` an item ends: a list index, or a key of a mapping of models."""
    ends = [i for i, part in enumerate(loc) if isinstance(part, int)]
    cls: type[BaseModel] | None = root
    keyed = False
    for i, part in enumerate(loc):
        if isinstance(part, int) or cls is None:
            continue
        if keyed:
            ends.append(i)
            keyed = False
            continue
        fields = {f.alias or name: f for name, f in cls.model_fields.items()}
        if part not in fields:
            break
        annotation = fields[part].annotation
        cls = _model_in(annotation)
        keyed = typing.get_origin(annotation) is dict
    return ends


#: What an entry of a mapping keyed by id is called (an observation's ``steps``).
_KEYED = {"steps": "step", "actions": "action", "evidence": "evidence", "fail_points": "fail point"}


def _required(loc: tuple[Any, ...], root: type[BaseModel]) -> set[str]:
    cls = _model_at(loc, root)
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


def _problem(err: Any, data: Any, source: SourceMap, root: type[BaseModel]) -> Problem:
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
        allowed = _allowed_keys(loc[:-1], root)
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
        version = _version_key(root)
        if loc == (version,):
            return Problem(
                INVALID_VALUE,
                f"missing key '{version}': the format version, '{version}: 1'",
                span,
                loc,
            )
        return Problem(INVALID_VALUE, f"missing key {quote(loc[-1])}{where}", span, loc)
    subject = name + where
    if loc == (_version_key(root),):
        message = (
            f"unsupported format version {_kind_of(value)}: this tool reads "
            f"'{_version_key(root)}: 1'"
        )
    elif kind == "string_type":
        message = f"{subject} must be text, not {_kind_of(value)}{_quote_hint(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"{subject} must be a mapping{_or_text(loc, root)}, not {_kind_of(value)}"
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
        low, high = _bounds(loc, root)
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
    elif kind in ("answer", "date"):  # the observation format's own types
        message = f"{subject} {err['msg']}, not {_kind_of(value)}"
    elif kind == "value_error":
        message = f"{subject}: {err['ctx']['error']}"
    else:
        message = f"{subject}: {err['msg'][0].lower()}{err['msg'][1:]}"
    return Problem(INVALID_VALUE, message, span, loc)


def _bounds(loc: Path, root: type[BaseModel]) -> tuple[str, str]:
    """The range of the number field at ``loc``, as written in messages: ``1``, ``10``;
    ``-2``, ``+2`` for a range around zero."""
    cls = _model_at(loc[:-1], root)
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
        elif isinstance(part, str) and i > 0 and isinstance(loc[i - 1], str):
            keyed = _KEYED.get(str(loc[i - 1]))
            if keyed is not None and not (i == 1 and loc[0] != "steps"):
                label = f" in {keyed} {quote(part, 40)}" + (
                    f" at step {quote(loc[1], 40)}" if i > 1 and loc[0] == "steps" else ""
                )
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


def _or_text(loc: Path, root: type[BaseModel]) -> str:
    cls = _model_at(loc, root)
    if cls is Emotion:
        return " or a whole number from -2 to +2"
    return " or text" if cls is not None and getattr(cls, "SHORTHAND", None) else ""


def _model_at(loc: Path, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that validates the value at ``loc``; a mapping of models keyed by
    id (an observation's ``steps: {check-in: ...}``) takes the key as the next part."""
    cls: type[BaseModel] | None = root
    keyed = False
    for part in loc:
        if isinstance(part, int) or cls is None:
            continue
        if keyed:
            keyed = False
            continue
        fields = {f.alias or name: f for name, f in cls.model_fields.items()}
        if part not in fields:
            return None
        annotation = fields[part].annotation
        cls = _model_in(annotation)
        keyed = typing.get_origin(annotation) is dict
    return cls


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is dict:
        return _model_in(typing.get_args(annotation)[1])
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _allowed_keys(loc: Path, root: type[BaseModel]) -> list[str]:
    cls = _model_at(loc, root)
    if cls is None:
        return []
    return [f.alias or name for name, f in cls.model_fields.items()]
