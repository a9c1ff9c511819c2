"""Bytes -> YAML events -> plain data, with the position of every node.

One pass over the event stream of PyYAML's parser (libyaml's when present) builds the
data with an explicit stack, never recursion, so that depth, alias expansion and
duplicate keys are all bounded or detected *before* any data is handed on:

- nesting deeper than ``MAX_DEPTH`` and aliases that expand to more than
  ``MAX_ALIAS_NODES`` nodes stop the load with one error (the C composer segfaults on
  ~50,000 nested ``[``; a 400-byte alias bomb loads instantly and explodes later);
- duplicate keys are reported (PyYAML silently keeps the last), the first one is kept;
- plain scalars are read as YAML 1.2 (``no``, ``on``, ``12:30`` and ``1_000`` are text);
  where YAML 1.1 tools would read them otherwise, a warning says so;
- only the standard tags are accepted: no arbitrary objects, ever.
"""

from __future__ import annotations

from typing import Any

import yaml

from blueprint_cli import codes
from blueprint_cli.findings import Problem
from blueprint_cli.load.decode import decode
from blueprint_cli.load.errors import (
    DEFAULT_LIMITS,
    Limits,
    Loaded,
    LoadError,
    TooDeep,
    mark_of,
    one_line,
    syntax_error,
)
from blueprint_cli.load.scalars import TEXT_START, check_tag, plain, tagged
from blueprint_cli.positions import Marks, Path, SourceMap, Span, span_of
from blueprint_cli.text import quote

try:  # the C parser when PyYAML was built with libyaml
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Parser = yaml.SafeLoader


class _Frame(Marks):
    """A mapping or list being built, and the marks of its children (its source table)."""

    __slots__ = (
        "anchor",
        "container",
        "is_map",
        "key",
        "key_mark",
        "mark",
        "merges",
        "path",
        "start",
    )

    def __init__(self, is_map: bool, path: Path, anchor: str | None, mark: Any, start: int) -> None:
        if is_map:
            super().__init__({}, {})
            self.container: Any = {}
        else:
            super().__init__([], None)
            self.container = []
        self.is_map = is_map
        self.path = path
        self.key: str | None = None  # mapping only: the key waiting for its value
        self.key_mark = mark
        self.anchor = anchor
        self.mark = mark
        self.start = start  # the node count when it opened: its size is counted from here
        self.merges: list[tuple[Any, Any]] | None = None


class _Merge:
    """The key ``<<`` written plain: its value is merged into the mapping, not stored.
    Not a str, so that no key written in a file (a quoted '<<') equals it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<<"


_MERGE: Any = _Merge()
# A duplicate key's value is dropped; it is filed under -1, -2 ... (no key written in a
# file is an int, no list index is negative), so its positions collide with nothing.


def parse(text: str, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Text -> data with a source map. Raises LoadError for anything that is not one document.

    The loop is the hot path of ``lint``: one iteration per YAML event, the common cases
    (a text key, a text value, the start and end of a mapping or list) inline, and each
    node's position stored as the parser's mark in its parent's table, without building
    its path. The rare events (duplicate keys, aliases, documents) are functions.
    """
    source = SourceMap()
    tables = source.tables
    problems: list[Problem] = []
    anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, nodes, characters)
    stack: list[_Frame] = []
    top: _Frame | None = None
    in_map = False  # top is a mapping
    nodes = 0  # nodes built so far, aliases counted at their expanded size
    alias_nodes = 0
    alias_chars = 0
    documents = 0
    dropped = 0
    max_depth = limits.max_depth
    result: Any = None
    text_start = TEXT_START
    Scalar, MapStart, SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    MapEnd, SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent

    try:
        parser = _Parser(text)
        event: Any
        try:
            for event in iter(parser.get_event, None):
                kind = type(event)
                if kind is Scalar:
                    if in_map:
                        assert top is not None
                        key = top.key
                        if key is None:  # this scalar is a key
                            key = event.value
                            mark = event.start_mark
                            if event.anchor is not None or key == "<<" or key in top.keys:  # type: ignore[operator]
                                key = _special_key(top, event, problems, dropped)
                                if type(key) is int:
                                    dropped += 1
                            else:
                                top.keys[key] = mark  # type: ignore[index]
                            top.key, top.key_mark = key, mark
                            continue
                    value = event.value
                    if event.tag is not None or (
                        event.implicit[0] and value[:1] not in text_start and value[:1] <= "\x7f"
                    ):  # not plain text for sure: tags, numbers, booleans, null
                        value = _scalar(event, top, problems)
                    nodes += 1
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1, len(event.value))
                    if in_map:
                        assert top is not None
                        top.key = None
                        top.values[key] = event.start_mark  # type: ignore[call-overload]
                        if type(key) is str:
                            top.container[key] = value
                        elif key is _MERGE:
                            _add_merge(top, value)
                    elif top is not None:
                        top.values.append(event.start_mark)  # type: ignore[union-attr]
                        top.container.append(value)
                    else:
                        source.root = event.start_mark
                        result = value
                elif kind is MapStart or kind is SeqStart:
                    mark = event.start_mark
                    if len(stack) >= max_depth or (in_map and top is not None and top.key is None):
                        raise _bad_collection(top, mark, max_depth)
                    path = _child_path(top)
                    in_map = kind is MapStart
                    if event.tag is not None:
                        check_tag(event.tag, "map" if in_map else "seq", span_of(mark))
                    _mark_child(top, source, mark)
                    nodes += 1
                    top = _Frame(in_map, path, event.anchor, mark, nodes)
                    tables[path] = top
                    stack.append(top)
                elif kind is MapEnd or kind is SeqEnd:
                    frame = stack.pop()
                    if frame.merges:
                        _merge(frame)
                    if frame.anchor is not None:
                        size = nodes - frame.start + 1
                        anchors[frame.anchor] = (frame.container, size, _text_size(frame.container))
                    if stack:
                        top = stack[-1]
                        in_map = top.is_map
                        _put(top, frame.container)
                    else:
                        top, in_map, result = None, False, frame.container
                elif kind is yaml.AliasEvent:
                    value, size, chars = _alias(
                        event, top, anchors, alias_nodes, alias_chars, limits
                    )
                    alias_nodes += size
                    alias_chars += chars
                    nodes += size
                    _mark_child(top, source, event.start_mark)
                    if top is None:
                        result = value
                    else:
                        _put(top, value)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _second_document(event)
        finally:
            parser.dispose()
    except yaml.YAMLError as exc:
        raise _parser_error(exc, text, limits) from None
    except RecursionError:  # pragma: no cover - the explicit stack makes this unreachable
        raise TooDeep(limits.max_depth, Span(1, 1)) from None
    return Loaded(result, source, problems)


def _special_key(top: _Frame, event: Any, problems: list[Problem], dropped: int) -> Any:
    """A key that is not simply new text: an anchored key (refused), the merge key ``<<``
    written plain, or a duplicate, which is reported and filed under a negative number."""
    key = event.value
    mark = event.start_mark
    if event.anchor is not None:
        raise LoadError("anchors on mapping keys are not supported", span_of(mark))
    if key == "<<" and event.implicit[0]:
        return _MERGE
    if key not in top.keys:  # type: ignore[operator]  # a quoted '<<'
        top.keys[key] = mark  # type: ignore[index]
        return key
    first = top.keys.get(key, top.mark)  # type: ignore[union-attr]
    problems.append(
        Problem(
            codes.DUPLICATE_KEY,
            f"duplicate key {quote(key)} (first defined at line {first.line + 1})",
            span_of(mark),
            (*top.path, key),
        )
    )
    return -(dropped + 1)


def _bad_collection(top: _Frame | None, mark: Any, max_depth: int) -> LoadError:
    """A mapping or list where none may start: as a mapping key, or past max-depth."""
    if top is not None and top.is_map and top.key is None:
        return LoadError("a mapping key must be text, not a mapping or a list", span_of(mark))
    return TooDeep(max_depth, span_of(mark))


def _alias(
    event: Any,
    top: _Frame | None,
    anchors: dict[str, tuple[Any, int, int]],
    alias_nodes: int,
    alias_chars: int,
    limits: Limits,
) -> tuple[Any, int, int]:
    """An alias's value, its size in nodes and in characters, within the alias limits."""
    mark = event.start_mark
    if top is not None and top.is_map and top.key is None:
        raise LoadError("an alias cannot be used as a mapping key", span_of(mark))
    if event.anchor not in anchors:
        raise LoadError(
            f"alias *{event.anchor} refers to no anchor defined before it "
            "(or to the node that contains it)",
            span_of(mark),
        )
    value, size, chars = anchors[event.anchor]
    if alias_nodes + size > limits.max_alias_nodes:
        raise LoadError(
            f"aliases expand to more than {limits.max_alias_nodes:,} nodes "
            "(an alias bomb? the limit: max-alias-nodes)",
            span_of(mark),
        )
    if alias_chars + chars > limits.max_alias_bytes:
        raise LoadError(
            f"aliases expand to more than {limits.max_alias_bytes / (1024 * 1024):g} MiB of "
            "text (an alias bomb? the limit: a quarter of max-file-size-mb)",
            span_of(mark),
        )
    return value, size, chars


def _text_size(value: Any) -> int:
    """The characters of text in a value: its scalars and keys, at any depth."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            for key, child in item.items():
                total += len(key) if isinstance(key, str) else 1
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        else:
            total += 8  # a number, a boolean, null
    return total


def _second_document(event: Any) -> LoadError:
    return LoadError(
        "several documents in one file ('---'): a blueprint file holds one",
        span_of(event.start_mark),
    )


def _scalar(event: Any, top: _Frame | None, problems: list[Problem]) -> Any:
    """A scalar that may not be text: resolved as YAML 1.2, with a warning where YAML 1.1
    reads it otherwise, or as its tag says."""
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0] or tag == "!":  # quoted or block scalar: always text
            return event.value
        value, warning = plain(event.value)
        if warning is not None:
            problems.append(
                Problem(codes.YAML11_SCALAR, warning, span_of(event.start_mark), _child_path(top))
            )
        return value
    return tagged(event.value, tag, span_of(event.start_mark))


def _child_path(top: _Frame | None) -> Path:
    """The path of the node that comes next: under the pending key, or the next index."""
    if top is None:
        return ()
    if top.is_map:
        assert top.key is not None
        return (*top.path, top.key)
    return (*top.path, len(top.container))


def _mark_child(top: _Frame | None, source: SourceMap, mark: Any) -> None:
    """Record where the node that comes next (a mapping, a list or an alias) starts."""
    if top is None:
        source.root = mark
    elif top.is_map:
        top.values[top.key] = mark  # type: ignore[call-overload]
    else:
        top.values.append(mark)  # type: ignore[union-attr]


def _put(top: _Frame, value: Any) -> None:
    """Put a finished value in the container being built."""
    if not top.is_map:
        top.container.append(value)
        return
    key = top.key
    top.key = None
    if type(key) is str:
        top.container[key] = value
    elif key is _MERGE:
        _add_merge(top, value)


def _add_merge(frame: _Frame, value: Any) -> None:
    """The value of a ``<<`` key: a mapping or a list of mappings, merged at the end."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise LoadError("'<<' merges a mapping or a list of mappings", span_of(frame.key_mark))
    if frame.merges is None:
        frame.merges = []
    frame.merges.extend((item, frame.key_mark) for item in items)


def _merge(frame: _Frame) -> None:
    """Apply ``<<`` merge keys: keys written in the mapping itself win, then earlier merges.
    A merged value's position is the ``<<`` key's."""
    target = frame.container
    for item, mark in frame.merges or ():
        for key, value in item.items():
            if key not in target:
                target[key] = value
                frame.keys[key] = mark  # type: ignore[index]
                frame.values[key] = mark


# libyaml 0.2.6 and newer stop nesting past 1,000 levels with their own message, while


# libyaml 0.2.6 and newer stop nesting past 1,000 levels with their own message, while
# scanning ahead: before the loop above has seen the node that crosses max-depth.
_PARSER_DEPTH = "exceeded maximum nesting depth"
_PARSER_MAX_DEPTH = 1000


def _parser_error(exc: yaml.YAMLError, text: str, limits: Limits) -> LoadError:
    if isinstance(exc, yaml.MarkedYAMLError):
        if exc.problem and _PARSER_DEPTH in exc.problem:
            return _parser_depth_error(exc, text, limits)
        return syntax_error(exc, text)
    # errors without a mark (reader errors of the C parser)
    return LoadError(f"invalid YAML: {one_line(str(exc))}", mark_of(exc))


def _parser_depth_error(exc: yaml.MarkedYAMLError, text: str, limits: Limits) -> LoadError:
    """libyaml's nesting error as the loader's own: the text before libyaml's mark holds
    fewer than 1,000 levels, so parsing it finds where max-depth is crossed, at the same
    line and column as with a libyaml that has no limit of its own."""
    mark = exc.problem_mark
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    if limits.max_depth >= _PARSER_MAX_DEPTH:
        why = "the YAML parser's own limit, which max-depth cannot raise"
        return TooDeep(_PARSER_MAX_DEPTH, span, why)
    if mark is not None:
        try:
            parse(text[: mark.index], limits)
        except TooDeep as inner:
            return inner
        except LoadError:  # the prefix ends mid-document: its own error is beside the point
            pass
    return TooDeep(limits.max_depth, span)


def load_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Bytes of one file -> Loaded. Raises LoadError (one finding) when unreadable."""
    if len(raw) > limits.max_bytes:
        raise LoadError(
            f"file is {len(raw) / 1e6:.1f} MB, over the {limits.max_bytes / (1024 * 1024):g} MiB "
            "limit for a blueprint (the limit: max-file-size-mb)",
            Span(1, 1),
        )
    return parse(decode(raw), limits)
