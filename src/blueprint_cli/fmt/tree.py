"""YAML text -> a small tree of the document with the source spans of its nodes and the
comments recovered from the text around them.

PyYAML drops comments. They are found here by position: a ``#`` that starts a line or
follows a space, outside every scalar (the parser's events give each scalar's span), is
a comment running to the end of its line. Each is then kept with the entry it belongs
to: a comment on a line of its own goes above the entry that follows it (or at the end
of the block it is indented into), a comment after something on its line goes on that
entry's line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from blueprint_cli.positions import Span

try:  # the C parser when PyYAML was built with libyaml, as the loader
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Parser = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


class Unformattable(Exception):
    """The file holds something the formatter does not rewrite (with where it is)."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


@dataclass(eq=False, slots=True)
class Comment:
    text: str  # from '#' to the end of the line, trailing spaces removed
    offset: int
    line: int  # 0-based
    col: int
    own_line: bool  # nothing but spaces before it on its line
    blank_before: bool = False  # a blank line right above it


@dataclass(eq=False, slots=True)
class Scalar:
    value: str
    style: str | None  # None (plain), "'", '"', "|", ">"
    plain: bool  # written plain and untagged: resolved as YAML 1.2 reads it
    start: int
    end: int
    line: int
    end_line: int
    header: str = ""  # a block scalar's indicators: "|", ">-", "|2+"
    #: a block scalar's content, as written; a plain text over several lines, its lines
    lines: list[str] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Entry:
    """A key and its value in a mapping, or an item of a list (``key`` None)."""

    key: Scalar | None
    value: Any  # Scalar | Collection
    start: int
    line: int
    container: Collection
    index: int  # its place among its siblings as written
    leading: list[Comment] = field(default_factory=list)
    eol: list[Comment] = field(default_factory=list)
    blank_before: bool = False


@dataclass(eq=False, slots=True)
class Collection:
    is_map: bool
    flow: bool
    start: int
    line: int
    col: int
    parent: Entry | None
    end: int = 0
    entries: list[Entry] = field(default_factory=list)
    trailing: list[Comment] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Document:
    root: Collection
    start_line: int | None  # the line of an explicit '---', None when there is none
    header: list[Comment]  # the comments at the top of the file, kept there
    comments: list[Comment]
    crlf: bool


def _refuse(what: str, mark: Any) -> Unformattable:
    return Unformattable(f"not formatted: {what}", Span(mark.line + 1, mark.column + 1))


def _block_header(text: str, start: int) -> tuple[str, int]:
    """A block scalar's indicators, and where the line of its header ends."""
    m = _BREAK.search(text, start)
    stop = m.start() if m else len(text)
    head = text[start:stop]
    hash_at = head.find("#")
    indicators = (head if hash_at < 0 else head[:hash_at]).strip()
    return indicators, stop


def parse(text: str) -> Document:
    """Text (one document, already loaded without error) -> its Document."""
    line_starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    stack: list[Collection] = []
    pending: list[Scalar | None] = []  # per mapping on the stack: the key waiting for a value
    scalars: list[Scalar] = []
    entries: list[Entry] = []
    items: list[Entry] = []
    root: Collection | None = None
    explicit: int | None = None
    parser = _Parser(text)
    try:
        for event in iter(parser.get_event, None):
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                if getattr(event, "version", None) or getattr(event, "tags", None):
                    raise _refuse(
                        "YAML directives (%YAML, %TAG) are not supported: the file is left "
                        "as it is",
                        event.start_mark,
                    )
                explicit = event.start_mark.line if event.explicit else None
                continue
            if kind is yaml.AliasEvent:
                raise _refuse(
                    "anchors and aliases (*name) are not supported: the file is left as it is",
                    event.start_mark,
                )
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                done = stack.pop()
                pending.pop()
                done.end = event.end_mark.index
                continue
            if kind not in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                continue
            if event.anchor is not None:
                raise _refuse(
                    "anchors and aliases (&name) are not supported: the file is left as it is",
                    event.start_mark,
                )
            node: Scalar | Collection
            mark = event.start_mark
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag not in (None, "!", _STR):
                    raise _refuse(
                        f"the tag {tag!r} is not supported: the file is left as it is", mark
                    )
                style = event.style or None
                node = Scalar(
                    event.value,
                    style,
                    style is None and tag is None and bool(event.implicit[0]),
                    mark.index,
                    event.end_mark.index,
                    mark.line,
                    event.end_mark.line,
                )
                if style in ("|", ">"):
                    _read_block(node, text, line_starts)
                elif node.plain and node.end_line > node.line:
                    node.lines = [
                        part.strip(" \t") for part in _BREAK.split(text[node.start : node.end])
                    ]
                scalars.append(node)
            else:
                is_map = kind is yaml.MappingStartEvent
                if event.tag is not None and event.tag not in (
                    "!",
                    "tag:yaml.org,2002:map" if is_map else "tag:yaml.org,2002:seq",
                ):
                    raise _refuse(
                        f"the tag {event.tag!r} is not supported: the file is left as it is", mark
                    )
                node = Collection(
                    is_map, bool(event.flow_style), mark.index, mark.line, mark.column, None
                )
            if not stack:
                if not isinstance(node, Collection) or not node.is_map:
                    raise Unformattable(
                        "not a blueprint: the document is not a mapping", Span(1, 1)
                    )
                root = node
                stack.append(node)
                pending.append(None)
                continue
            top = stack[-1]
            if top.is_map and pending[-1] is None:
                if not isinstance(node, Scalar):
                    raise _refuse("a key that is not text", mark)
                if node.plain and node.value == "<<":
                    raise _refuse(
                        "merge keys (<<) are not supported: the file is left as it is", mark
                    )
                pending[-1] = node
                continue
            key = pending[-1] if top.is_map else None
            if top.is_map:
                pending[-1] = None
            start = key.start if key is not None else node.start
            entry = Entry(key, node, start, _line_of(line_starts, start), top, len(top.entries))
            if not top.is_map and not top.flow:
                items.append(entry)  # where its '-' is, once the comments are known
            top.entries.append(entry)
            entries.append(entry)
            if isinstance(node, Collection):
                node.parent = entry
                stack.append(node)
                pending.append(None)
    except yaml.YAMLError as exc:  # pragma: no cover - the loader read the same text first
        mark = getattr(exc, "problem_mark", None)
        raise Unformattable(
            f"not formatted: {exc}", Span(mark.line + 1, mark.column + 1) if mark else Span(1, 1)
        ) from None
    finally:
        parser.dispose()
    assert root is not None
    comments = find_comments(text, scalars, line_starts)
    ends = {c.offset + len(c.text) - 1: c.offset for c in comments}
    for entry in items:
        entry.start = _dash(text, entry.start, ends)
        entry.line = _line_of(line_starts, entry.start)
        if entry.index == 0:
            entry.container.col = entry.start - line_starts[entry.line]
    entries.sort(key=lambda e: e.start)
    header = _attach(comments, entries, root, text, line_starts, scalars)
    crlf = bool(line_starts[1:]) and text[line_starts[1] - 2 : line_starts[1]] == "\r\n"
    return Document(root, explicit, header, comments, crlf)


def _line_of(line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset) - 1


def _dash(text: str, start: int, comment_ends: dict[int, int]) -> int:
    """Where a block list item starts: its '-', back from its value over spaces, line
    breaks and comments (``comment_ends``: the last character of each -> its first)."""
    i = start - 1
    while i >= 0:
        if text[i] in " \t\r\n\x85\u2028\u2029":
            i -= 1
        elif i in comment_ends:
            i = comment_ends[i] - 1
        else:
            break
    return i if i >= 0 and text[i] == "-" else start


def _read_block(node: Scalar, text: str, line_starts: list[int]) -> None:
    """A block scalar's header and the lines of its content, as written."""
    node.header, stop = _block_header(text, node.start)
    body = text[stop : node.end]
    lines = _BREAK.split(body)[1:]  # the first piece is the header line's break
    if lines and not lines[-1].strip():
        lines.pop()  # what follows the last break: the next line's indentation
    node.lines = lines


def _content_lines(scalars: list[Scalar], line_starts: list[int]) -> set[int]:
    """The lines that belong to scalars spanning lines: a blank line there is content."""
    inside: set[int] = set()
    for s in scalars:
        if s.end_line <= s.line:
            continue
        last = s.end_line
        if s.style in ("|", ">"):
            keep = "+" in s.header
            lines = s.lines
            count = len(lines)
            if not keep:
                while count and not lines[count - 1].strip():
                    count -= 1
            last = s.line + count
        inside.update(range(s.line + 1, last + 1))
    return inside


def find_comments(
    text: str, scalars: list[Scalar], line_starts: list[int] | None = None
) -> list[Comment]:
    """Every comment of the text: a '#' outside the scalars, at a line's start or after a
    space, to the end of its line (a block scalar's header line included)."""
    if line_starts is None:
        line_starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    spans = []
    for s in sorted(scalars, key=lambda s: s.start):
        if s.style in ("|", ">"):
            _, stop = _block_header(text, s.start)
            head = text.find(s.header, s.start) + len(s.header) if s.header else s.start + 1
            spans.append((s.start, head))
            spans.append((stop, s.end))
        else:
            spans.append((s.start, s.end))
    found: list[Comment] = []
    pos = 0
    for begin, end in [*spans, (len(text), len(text))]:
        segment_end = begin
        while pos < segment_end:
            at = text.find("#", pos, segment_end)
            if at < 0:
                break
            if at > 0 and text[at - 1] not in " \t\r\n\x85\u2028\u2029":
                pos = at + 1
                continue
            m = _BREAK.search(text, at)
            stop = m.start() if m else len(text)
            line = _line_of(line_starts, at)
            before = text[line_starts[line] : at]
            found.append(
                Comment(
                    text[at:stop].rstrip(), at, line, at - line_starts[line], not before.strip()
                )
            )
            pos = stop
        pos = max(pos, end)
    return found


def _blank_above(line: int, lines_text: list[str], inside: set[int]) -> bool:
    above = line - 1
    return above >= 0 and above not in inside and not lines_text[above].strip()


def _attach(
    comments: list[Comment],
    entries: list[Entry],
    root: Collection,
    text: str,
    line_starts: list[int],
    scalars: list[Scalar],
) -> list[Comment]:
    """Give each comment to its entry (above it, on its line) or to the end of a block;
    returns the comments of the file's header, which stay at the top."""
    opening: list[Comment] = []
    lines_text = [
        text[a:b] for a, b in zip(line_starts, [*line_starts[1:], len(text)], strict=True)
    ]
    inside = _content_lines(scalars, line_starts)
    for entry in entries:
        entry.blank_before = _blank_above(entry.line, lines_text, inside)
    starts = [e.start for e in entries]
    for c in comments:
        c.blank_before = _blank_above(c.line, lines_text, inside)
        at = bisect.bisect_left(starts, c.offset)
        before = entries[at - 1] if at > 0 else None
        after = entries[at] if at < len(entries) else None
        if not c.own_line:
            target = before
            while target is not None:
                holder = target.container
                if holder.flow and holder.end <= c.offset and holder.parent is not None:
                    target = holder.parent
                else:
                    break
            if target is None:
                opening.append(c)  # after '---' (or a '{' that opens the file)
            else:
                target.eol.append(c)
            continue
        if (
            before is not None
            and isinstance(before.value, Scalar)
            and before.value.start > c.offset
        ):
            before.leading.append(c)  # between a key and its value: above the entry
            continue
        if before is None:
            assert after is not None or not entries
            if after is None:
                root.trailing.append(c)
            else:
                after.leading.append(c)
            continue
        open_after = set()
        holder_entry = after
        while holder_entry is not None:
            open_after.add(id(holder_entry.container))
            holder_entry = holder_entry.container.parent
        chosen: Collection | None = None
        walk: Collection | None = before.container
        while walk is not None:
            if id(walk) in open_after:
                break
            parent = walk.parent
            within = parent is None or parent.container.flow or c.col > parent.container.col
            if not walk.flow and walk.col <= c.col and within:
                chosen = walk
                break
            walk = walk.parent.container if walk.parent is not None else None
        if chosen is not None:
            chosen.trailing.append(c)
        elif after is not None:
            after.leading.append(c)
        else:
            root.trailing.append(c)
    return sorted([*opening, *_header(root)], key=lambda c: c.offset)


def _header(root: Collection) -> list[Comment]:
    """The comments above the first entry of the file, up to the last blank line between
    them and it: the file's header, which stays first whatever key comes first."""
    if not root.entries:
        return []
    first = root.entries[0]
    leading = first.leading
    cut = 0
    for i in range(1, len(leading) + 1):
        below_blank = first.blank_before if i == len(leading) else leading[i].blank_before
        if below_blank:
            cut = i
    header, first.leading = leading[:cut], leading[cut:]
    if cut and cut == len(leading):
        first.blank_before = False
    return header
