"""A Document -> its canonical text.

The layout: two spaces per level; a list indented under its key (``- `` two spaces in);
the keys of the format in the order the model declares them, other keys after them in
their order; a list of short items (one word each: ids, numbers) on one line
(``segments: [business, leisure]``) when it fits in ``WIDTH`` columns, else one item a
line; a mapping written on one line (``{id: web, title: Website}``) kept so when it
holds only plain values and fits, else one key a line; text unquoted where YAML 1.1 and
1.2 read it alike as that text, else in double quotes; ``true``, ``false``, ``null``
written so; durations in their one spelling (``1m30s``); block scalars (``|``, ``>``)
kept with their content; one blank line at most between entries; comments where they
were.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import yaml

from blueprint_cli.fmt import schema
from blueprint_cli.fmt.schema import Kind
from blueprint_cli.fmt.tree import Collection, Comment, Document, Entry, Scalar
from blueprint_cli.load.scalars import plain

WIDTH = 100  # as the code of this project (ruff), and the starters of blueprint init
INDENT = 2
_NULLS = ("~", "null", "Null", "NULL")
_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")


#: Plain words YAML 1.1 gives a meaning of its own: ``<<`` (merge) and ``=`` (the value
#: key; PyYAML's safe loader refuses it), and the spec's one-letter booleans, which some
#: readers (Go's yaml.v2) follow; quoted, they are text for every reader.
_YAML11_SPECIAL = frozenset({"<<", "=", "y", "Y", "n", "N"})

_EMITTER: list[yaml.emitter.Emitter] = []  # one, made when first asked


def _analysis(value: str) -> yaml.emitter.ScalarAnalysis:
    """PyYAML's own analysis of a scalar (``analyze_scalar`` reads only the emitter's
    settings, not its state: one emitter serves every call)."""
    if not _EMITTER:
        _EMITTER.append(yaml.emitter.Emitter(io.StringIO(), allow_unicode=True))
    return _EMITTER[0].analyze_scalar(value)


@functools.lru_cache(maxsize=8192)  # ids, owners and lane texts repeat through a file
def plain_safe(value: str, flow: bool = False) -> bool:
    """Can this text be written without quotes, and still be this text for YAML 1.2
    readers and YAML 1.1 readers alike?"""
    if not value or value in _YAML11_SPECIAL or "\n" in value or value != value.strip():
        return False
    read, warning = plain(value)
    if not isinstance(read, str) or warning is not None:
        return False
    analysis = _analysis(value)
    if analysis.multiline:
        return False
    return bool(analysis.allow_flow_plain if flow else analysis.allow_block_plain)


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\xa0": "\\_",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


def double_quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch < " " or "\x7f" <= ch <= "\x9f" or ch == "\ufeff" or "\ud800" <= ch <= "\udfff":
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def text_of(value: str, flow: bool) -> str:
    return value if plain_safe(value, flow) else double_quoted(value)


def scalar_text(node: Scalar, kind: Kind, flow: bool) -> str:
    """A scalar that is not a block scalar, written the canonical way."""
    value = node.value
    if node.plain:
        read, warning = plain(value)
        if warning is None and not isinstance(read, str):  # null, a boolean, a number
            if read is None:
                return "null" if value in _NULLS or flow else ""
            if value in _TRUE:
                return "true"
            if value in _FALSE:
                return "false"
            return value  # a number, as written (1.10 stays 1.10)
    if schema.is_duration_text(kind, value):
        value = schema.canonical_duration(value)
    return text_of(value, flow)


def key_text(node: Scalar) -> str:
    return text_of(node.value, False)


@dataclass(slots=True)
class _Out:
    lines: list[str]
    kept: int = 0  # the lines up to here are content (a '|+' scalar's last blank lines)

    def add(self, line: str, comments: list[Comment] | None = None) -> None:
        if comments:
            line = f"{line}  {comments[0].text}" if line.strip() else f"{line}{comments[0].text}"
        self.lines.append(line.rstrip() if line.strip() else "")

    def comment_lines(self, comments: list[Comment], indent: int, first: bool) -> None:
        for i, c in enumerate(comments):
            if c.blank_before and not (first and i == 0):
                self.blank()
            self.lines.append(" " * indent + c.text)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def ordered(coll: Collection, kind: Kind) -> list[Entry]:
    """A mapping's entries: the format's keys in the model's order, then the others."""
    if not coll.is_map or kind.node is None:
        return list(coll.entries)
    rank = {key: i for i, key in enumerate(schema.fields(kind.node))}
    last = len(rank)
    return sorted(
        coll.entries,
        key=lambda e: (rank.get(e.key.value if e.key is not None else "", last), e.index),
    )


def _has_comments(coll: Collection) -> bool:
    if coll.trailing:
        return True
    for e in coll.entries:
        if e.leading or e.eol:
            return True
        if isinstance(e.value, Collection) and _has_comments(e.value):
            return True
    return False


def _is_inline_scalar(node: object) -> bool:
    return isinstance(node, Scalar) and node.style not in ("|", ">")


def flow_text(coll: Collection, kind: Kind) -> str | None:
    """The collection on one line, when it is to be written so (before the width test)."""
    if not coll.entries:
        return "{}" if coll.is_map else "[]"
    if _has_comments(coll):
        return None
    if coll.is_map:
        if not coll.flow:
            return None
        parts = []
        for e in ordered(coll, kind):
            if not _is_inline_scalar(e.value):
                return None
            assert e.key is not None
            shown = scalar_text(e.value, schema.child(kind, e.key.value), True)
            parts.append(f"{text_of(e.key.value, True)}: {shown}")
        return "{" + ", ".join(parts) + "}"
    items = []
    item_kind = schema.child(kind, None)
    for e in coll.entries:
        if not _is_inline_scalar(e.value):
            return None
        items.append(scalar_text(e.value, item_kind, True))
    if not coll.flow and any(ch.isspace() for item in items for ch in item):
        return None  # items of several words written one a line: kept so
    return "[" + ", ".join(items) + "]"


def _block_scalar(out: _Out, head: str, node: Scalar, indent: int, eol: list[Comment]) -> None:
    """A block scalar, its content moved to ``indent`` and otherwise as written."""
    header = node.header
    indicator = "".join(ch for ch in header if ch in "+-")
    body = node.lines
    first = next((line for line in body if line.strip()), None)
    stripped = node.value.lstrip("\n")
    extra = len(stripped) - len(stripped.lstrip(" "))
    written_indent = (len(first) - len(first.lstrip(" ")) - extra) if first is not None else 0
    explicit = str(INDENT) if extra > 0 else ""
    out.add(f"{head}{header[0]}{explicit}{indicator}", eol)
    for line in body:
        if not line.strip():
            # a line of spaces only: its spaces past the indentation are content for '|'
            rest = line[written_indent:] if len(line) > written_indent else ""
            out.lines.append(" " * indent + rest if rest else "")
        else:
            out.lines.append(" " * indent + line[written_indent:])
    if "+" in indicator:
        out.kept = len(out.lines)


def emit(doc: Document) -> str:
    out = _Out([])
    header = doc.header
    if doc.start_line is not None:
        start = doc.start_line
        out.comment_lines([c for c in header if c.line < start], 0, True)
        out.add("---", [c for c in header if c.line == start])
        header = [c for c in header if c.line > start]
    if header:
        out.comment_lines(header, 0, True)
        out.blank()
    _mapping(out, doc.root, 0, Kind(node=schema.ROOT), top=True)
    if doc.root.trailing:
        out.comment_lines(doc.root.trailing, 0, False)
    while len(out.lines) > out.kept and out.lines[-1] == "":
        out.lines.pop()
    if not out.lines:
        return "{}\n"
    return "\n".join(out.lines) + "\n"


def _mapping(out: _Out, coll: Collection, indent: int, kind: Kind, top: bool = False) -> None:
    if not coll.entries:
        return
    pad = " " * indent
    for n, entry in enumerate(ordered(coll, kind)):
        # no blank line at the start of a block (the file's: unless a header is above)
        _before(out, entry, indent, n == 0 and (not top or not out.lines))
        assert entry.key is not None
        _value(
            out, f"{pad}{key_text(entry.key)}:", entry, indent, schema.child(kind, entry.key.value)
        )
    if coll.trailing and coll.parent is not None:
        out.comment_lines(coll.trailing, indent, False)


def _before(out: _Out, entry: Entry, indent: int, first: bool) -> None:
    """The blank line and the comments above an entry."""
    lead = entry.leading
    if not first and (lead[0].blank_before if lead else entry.blank_before):
        out.blank()
    if lead:
        out.comment_lines(lead, indent, True)
        if entry.blank_before:
            out.blank()
    for extra in entry.eol[1:]:  # a second comment on a line of the entry's: above it
        out.lines.append(" " * indent + extra.text)


def _value(out: _Out, head: str, entry: Entry, indent: int, kind: Kind) -> None:
    """``head`` (``key:`` or ``-``) and the value after it, with its line's comment."""
    node = entry.value
    eol = entry.eol[:1]
    if isinstance(node, Scalar):
        if node.style in ("|", ">"):
            _block_scalar(out, head + " ", node, indent + INDENT, eol)
            return
        if node.lines and plain_safe(node.value.replace("\n", " ")):
            # plain text written over several lines: its lines kept
            out.add(f"{head} {node.lines[0]}")
            for line in node.lines[1:-1]:
                out.add(" " * (indent + INDENT) + line if line else "")
            out.add(" " * (indent + INDENT) + node.lines[-1], eol)
            return
        shown = scalar_text(node, kind, False)
        out.add(f"{head} {shown}" if shown else head, eol)
        return
    assert isinstance(node, Collection)
    inline = flow_text(node, kind)
    if inline is not None and (len(head) + 1 + len(inline) <= WIDTH or not node.entries):
        out.add(f"{head} {inline}", eol)
        return
    if head.endswith("-"):
        _item_collection(out, head, node, indent, kind, eol)
        return
    out.add(head, eol)
    if node.is_map:
        _mapping(out, node, indent + INDENT, kind)
    else:
        _sequence(out, node, indent + INDENT, kind)


def _item_collection(
    out: _Out, head: str, node: Collection, indent: int, kind: Kind, eol: list[Comment]
) -> None:
    """A mapping or a list as a list item: its first line after the '- '."""
    first = ordered(node, kind)[0]
    if first.leading or (eol and first.eol):
        # comments above the first key, or two line comments: the '-' on a line of its own
        out.add(head, eol)
        if node.is_map:
            _mapping(out, node, indent + INDENT, kind)
        else:
            _sequence(out, node, indent + INDENT, kind)
        return
    if eol:
        first.eol.insert(0, eol[0])
    mark = len(out.lines)
    if node.is_map:
        _mapping(out, node, indent + INDENT, kind)
    else:
        _sequence(out, node, indent + INDENT, kind)
    line = out.lines[mark]
    out.lines[mark] = head + " " + line[indent + INDENT :]
    if eol:
        first.eol.pop(0)


def _sequence(out: _Out, coll: Collection, indent: int, kind: Kind) -> None:
    item_kind = schema.child(kind, None)
    pad = " " * indent
    for n, entry in enumerate(coll.entries):
        value = entry.value
        if isinstance(value, Collection) and value.entries:
            first = ordered(value, item_kind)[0]
            if first.leading:  # above the first key of an item: above its '-'
                entry.leading, first.leading = [*entry.leading, *first.leading], []
        _before(out, entry, indent, n == 0)
        _value(out, f"{pad}-", entry, indent, item_kind)
    if coll.trailing:
        out.comment_lines(coll.trailing, indent, False)
