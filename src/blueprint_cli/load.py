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

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from blueprint_cli.findings import Problem, quote
from blueprint_cli.positions import Marks, Path, SourceMap, Span, span_of

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100
MAX_ALIAS_NODES = 50_000


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost; each is raised by a configuration key."""

    max_bytes: int = MAX_FILE_BYTES  # max-file-size-mb
    max_depth: int = MAX_DEPTH  # max-depth
    max_alias_nodes: int = MAX_ALIAS_NODES  # max-alias-nodes


DEFAULT_LIMITS = Limits()

SYNTAX = "BP001"
DUPLICATE_KEY = "BP004"
YAML11 = "BP007"

try:  # the C parser when PyYAML was built with libyaml
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Parser = yaml.SafeLoader


class LoadError(Exception):
    """The file cannot be read as one YAML document. Always has a position."""

    def __init__(self, message: str, span: Span, code: str = SYNTAX) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.code = code

    def problem(self) -> Problem:
        return Problem(self.code, self.message, self.span)


@dataclass(slots=True)
class Loaded:
    data: Any
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)


class YamlInt(int):
    """An int read from a plain scalar, remembering how it was written (``010``, ``+3``).
    As text, it is what was written: where the format expects text, that is what is kept."""

    source: str

    def __str__(self) -> str:
        return self.source


class YamlFloat(float):
    """A float read from a plain scalar, remembering how it was written (``1.10``)."""

    source: str

    def __str__(self) -> str:
        return self.source


# ---------------------------------------------------------------------------- bytes -> text


def decode(raw: bytes) -> str:
    """UTF-8 (with or without a BOM) -> text; anything else is a LoadError with a position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("file is UTF-16 encoded: save it as UTF-8", Span(1, 1))
    nul = raw.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise LoadError("binary file (NUL byte), not YAML text", _byte_span(raw, nul))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise LoadError(
            f"invalid UTF-8 (byte 0x{bad}): save the file as UTF-8", _byte_span(raw, exc.start)
        ) from None


def _byte_span(raw: bytes, offset: int) -> Span:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return Span(raw.count(b"\n", 0, offset) + 1, col)


# ---------------------------------------------------------------------------- scalars

_NULL12 = re.compile(r"~|null|Null|NULL|")
_BOOL12 = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT12 = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT12 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

# How PyYAML (YAML 1.1) resolves plain scalars: a value it reads differently is a trap.
_BOOL11 = {
    **{w: True for w in ("yes", "Yes", "YES", "on", "On", "ON")},
    **{w: False for w in ("no", "No", "NO", "off", "Off", "OFF")},
    **_BOOL12,
}
_INT11 = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT11 = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


#: A plain scalar longer than this is text, never a number: no number in a blueprint is
#: that long, and Python refuses to turn more than 4,300 digits into an int.
MAX_NUMBER_CHARS = 400


def _resolve12(s: str) -> Any:
    if len(s) > MAX_NUMBER_CHARS:
        return s
    if _NULL12.fullmatch(s):
        return None
    if s in _BOOL12:
        return _BOOL12[s]
    if _INT12.fullmatch(s):
        base = 8 if s.startswith("0o") else 16 if s.startswith("0x") else 10
        v = YamlInt(int(s[2:] if base != 10 else s, base))
        v.source = s
        return v
    if _INF.fullmatch(s):
        f = YamlFloat(-math.inf if s.startswith("-") else math.inf)
    elif _NAN.fullmatch(s):
        f = YamlFloat(math.nan)
    elif _FLOAT12.fullmatch(s):
        f = YamlFloat(s)
    else:
        return s
    f.source = s
    return f


def _describe11(s: str) -> str | None:
    """What YAML 1.1 reads ``s`` as, when that is not plain text."""
    if s in _BOOL11:
        return "the boolean " + ("true" if _BOOL11[s] else "false")
    if _INT11.fullmatch(s):
        return "a number" + (" (base 60)" if ":" in s else " (octal)" if _is_old_octal(s) else "")
    if _FLOAT11.fullmatch(s):
        return "a number" + (" (base 60)" if ":" in s else "")
    return None


def _is_old_octal(s: str) -> bool:
    digits = s.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1:2] not in ("x", "b", "o", ".")


def _same(v12: Any, s: str) -> bool:
    """Does YAML 1.1 read the plain scalar ``s`` as the same value as YAML 1.2 does?"""
    if v12 is None or isinstance(v12, bool):
        return s not in _BOOL11 or _BOOL11[s] is v12
    if isinstance(v12, int):
        return bool(_INT11.fullmatch(s)) and "_" not in s and not _is_old_octal(s)
    if isinstance(v12, float):
        return bool(_FLOAT11.fullmatch(s)) and "_" not in s and ":" not in s
    return _describe11(s) is None


_STD = "tag:yaml.org,2002:"


# ---------------------------------------------------------------------------- the builder


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
    (a text key, a text value) inline, and each node's position stored as the parser's
    mark in its parent's table, without building its path.
    """
    source = SourceMap()
    tables = source.tables
    problems: list[Problem] = []
    anchors: dict[str, tuple[Any, int]] = {}
    stack: list[_Frame] = []
    top: _Frame | None = None
    in_map = False  # top is a mapping
    nodes = 0  # nodes built so far, aliases counted at their expanded size
    alias_nodes = 0
    documents = 0
    dropped = 0
    max_depth = limits.max_depth
    result: Any = None
    text_start = _TEXT_START
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
                            if event.anchor is not None:
                                raise LoadError(
                                    "anchors on mapping keys are not supported", span_of(mark)
                                )
                            if key == "<<" and event.implicit[0]:
                                key = _MERGE
                            elif key in top.container or key in top.keys:  # type: ignore[operator]
                                first = top.keys.get(key, top.mark)  # type: ignore[union-attr]
                                problems.append(
                                    Problem(
                                        DUPLICATE_KEY,
                                        f"duplicate key {quote(key)} "
                                        f"(first defined at line {first.line + 1})",
                                        span_of(mark),
                                        (*top.path, key),
                                    )
                                )
                                dropped += 1
                                key = -dropped  # type: ignore[assignment]
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
                        anchors[event.anchor] = (value, 1)
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
                    if in_map and top is not None and top.key is None:
                        raise LoadError(
                            "a mapping key must be text, not a mapping or a list", span_of(mark)
                        )
                    if len(stack) >= max_depth:
                        raise _TooDeep(max_depth, span_of(mark))
                    path = _child_path(top)
                    in_map = kind is MapStart
                    if event.tag is not None:
                        _check_tag(event.tag, "map" if in_map else "seq", span_of(mark))
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
                        anchors[frame.anchor] = (frame.container, nodes - frame.start + 1)
                    if stack:
                        top = stack[-1]
                        in_map = top.is_map
                        _put(top, frame.container)
                    else:
                        top, in_map, result = None, False, frame.container
                elif kind is yaml.AliasEvent:
                    mark = event.start_mark
                    if in_map and top is not None and top.key is None:
                        raise LoadError("an alias cannot be used as a mapping key", span_of(mark))
                    if event.anchor not in anchors:
                        raise LoadError(
                            f"alias *{event.anchor} refers to no anchor defined before it "
                            "(or to the node that contains it)",
                            span_of(mark),
                        )
                    value, size = anchors[event.anchor]
                    alias_nodes += size
                    if alias_nodes > limits.max_alias_nodes:
                        raise LoadError(
                            f"aliases expand to more than {limits.max_alias_nodes:,} nodes "
                            "(an alias bomb? the limit: max-alias-nodes)",
                            span_of(mark),
                        )
                    _mark_child(top, source, mark)
                    nodes += size
                    if top is None:
                        result = value
                    else:
                        _put(top, value)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise LoadError(
                            "several documents in one file ('---'): a blueprint file holds one",
                            span_of(event.start_mark),
                        )
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as exc:
        if exc.problem and _PARSER_DEPTH in exc.problem:
            raise _parser_depth_error(exc, text, limits) from None
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # errors without a mark (reader errors of the C parser)
        raise LoadError(f"invalid YAML: {_one_line(str(exc))}", _mark_of(exc)) from None
    except RecursionError:  # pragma: no cover - the explicit stack makes this unreachable
        raise _TooDeep(limits.max_depth, Span(1, 1)) from None
    return Loaded(result, source, problems)


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


# First characters after which a plain scalar is text in YAML 1.1 and 1.2 alike: no null,
# boolean or number starts with them. Most of a blueprint is such text: skip the regexes.
_TEXT_START = frozenset(
    ch for ch in map(chr, range(0x41, 0x7B)) if ch.isalpha() and ch not in "tTfFnNoOyY"
)


def _scalar(event: Any, top: _Frame | None, problems: list[Problem]) -> Any:
    """A scalar that may not be text: resolved as YAML 1.2, with a warning where YAML 1.1
    reads it otherwise, or as its tag says."""
    value: str = event.value
    tag = event.tag
    if tag is None or tag == "!":
        if not event.implicit[0] or tag == "!":  # quoted or block scalar: always text
            return value
        if value[:1] in _TEXT_START or (value[:1] > "\x7f"):
            return value
        if (
            value.isdigit()
            and value.isascii()
            and (value[0] != "0" or value == "0")
            and len(value) <= MAX_NUMBER_CHARS
        ):
            decimal = YamlInt(value)  # a plain decimal (scores, the version): 1.1 agrees
            decimal.source = value
            return decimal
        resolved = _resolve12(value)
        if not _same(resolved, value):
            reading = _describe11(value)
            if isinstance(resolved, str) and reading is not None:
                message = f"{quote(value)} is text here, but YAML 1.1 tools read it as {reading}"
            else:
                shown = str(int(resolved)) if isinstance(resolved, int) else f"{resolved:g}"
                message = (
                    f"{quote(value)} is ambiguous: YAML 1.2 reads the number {shown}, "
                    f"YAML 1.1 reads {reading or 'text'}; it is kept as text"
                )
            problems.append(
                Problem(
                    YAML11,
                    message + ": quote it to make the intent plain",
                    span_of(event.start_mark),
                    _child_path(top),
                )
            )
            return value
        return resolved
    span = span_of(event.start_mark)
    name = tag[len(_STD) :] if tag.startswith(_STD) else ""
    if name not in ("str", "int", "float", "bool", "null"):
        raise _bad_tag(tag, span)
    if name == "str":
        return value
    resolved = _resolve12(value)
    number = isinstance(resolved, int | float) and not isinstance(resolved, bool)
    if (name == "null" and resolved is None) or (name == "bool" and isinstance(resolved, bool)):
        return resolved
    if name == "int" and number and isinstance(resolved, int):
        return resolved
    if name == "float" and number:
        return float(resolved)
    raise LoadError(f"{quote(value)} is not a valid !!{name}", span)


def _check_tag(tag: str | None, kind: str, span: Span) -> None:
    if tag is None or tag == "!" or tag == _STD + kind:
        return
    raise _bad_tag(tag, span)


def _bad_tag(tag: str, span: Span) -> LoadError:
    shown = "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag
    return LoadError(f"unsupported tag {quote(shown)}: only plain YAML data is allowed", span)


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
# scanning ahead: before the loop above has seen the node that crosses max-depth.
_PARSER_DEPTH = "exceeded maximum nesting depth"
_PARSER_MAX_DEPTH = 1000


class _TooDeep(LoadError):
    """Nesting past max-depth."""

    def __init__(self, limit: int, span: Span, why: str = "the limit: max-depth") -> None:
        super().__init__(f"nesting deeper than {limit} levels ({why})", span)


def _parser_depth_error(exc: yaml.MarkedYAMLError, text: str, limits: Limits) -> LoadError:
    """libyaml's nesting error as the loader's own: the text before libyaml's mark holds
    fewer than 1,000 levels, so parsing it finds where max-depth is crossed, at the same
    line and column as with a libyaml that has no limit of its own."""
    mark = exc.problem_mark
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    if limits.max_depth >= _PARSER_MAX_DEPTH:
        why = "the YAML parser's own limit, which max-depth cannot raise"
        return _TooDeep(_PARSER_MAX_DEPTH, span, why)
    if mark is not None:
        try:
            parse(text[: mark.index], limits)
        except _TooDeep as inner:
            return inner
        except LoadError:  # the prefix ends mid-document: its own error is beside the point
            pass
    return _TooDeep(limits.max_depth, span)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    problem = exc.problem or "invalid YAML"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return LoadError("tab character where YAML expects indentation: indent with spaces", span)
    message = problem
    if exc.context and exc.context not in problem:
        context_mark = exc.context_mark
        where = ""
        if context_mark is not None and mark is not None and context_mark.line != mark.line:
            where = f" at line {context_mark.line + 1}"
        message = f"{problem} ({exc.context}{where})"
    return LoadError(f"invalid YAML: {_one_line(message)}", span)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _mark_of(exc: yaml.YAMLError) -> Span:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    if isinstance(line, int) and isinstance(column, int):
        return Span(line + 1, column + 1)
    position = getattr(exc, "position", None)
    return Span(1, (position or 0) + 1)


def _one_line(text: str) -> str:
    text = re.sub(r' in "<[^>]*>", (line \d+, column \d+|position \d+)', "", text)
    return " ".join(text.split())


def load_bytes(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Bytes of one file -> Loaded. Raises LoadError (one finding) when unreadable."""
    if len(raw) > limits.max_bytes:
        raise LoadError(
            f"file is {len(raw) / 1e6:.1f} MB, over the {limits.max_bytes / (1024 * 1024):g} MiB "
            "limit for a blueprint (the limit: max-file-size-mb)",
            Span(1, 1),
        )
    return parse(decode(raw), limits)


def read_limited(stream: Any, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read at most one byte past the limit, so that a huge input is never all in memory."""
    data: bytes = stream.read(max_bytes + 1)
    return data
