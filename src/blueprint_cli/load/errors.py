"""What stops a load: the limits on one file's cost, and the one error (with its
position) that a file which cannot be read as one YAML document gets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from blueprint_cli import codes
from blueprint_cli.findings import Problem
from blueprint_cli.positions import SourceMap, Span

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100
MAX_ALIAS_NODES = 50_000


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one file may cost; each is raised by a configuration key."""

    max_bytes: int = MAX_FILE_BYTES  # max-file-size-mb
    max_depth: int = MAX_DEPTH  # max-depth
    max_alias_nodes: int = MAX_ALIAS_NODES  # max-alias-nodes

    @property
    def max_alias_bytes(self) -> int:
        """What aliases may add in text: a quarter of the file size limit (5 MiB by
        default). Counting nodes alone lets one 1 MB scalar, aliased 3,000 times, make
        3 GB of text from a 1 MB file."""
        return self.max_bytes // 4


DEFAULT_LIMITS = Limits()


class LoadError(Exception):
    """The file cannot be read as one YAML document. Always has a position."""

    def __init__(self, message: str, span: Span, code: str = codes.YAML_SYNTAX) -> None:
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


class TooDeep(LoadError):
    """Nesting past max-depth."""

    def __init__(self, limit: int, span: Span, why: str = "the limit: max-depth") -> None:
        super().__init__(f"nesting deeper than {limit} levels ({why})", span)


def syntax_error(exc: yaml.MarkedYAMLError, text: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
    problem = exc.problem or "invalid YAML"
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return LoadError("tab character where YAML expects indentation: indent with spaces", span)
    plain = _in_words(exc, text)
    if plain is not None:
        return plain
    message = problem
    if exc.context and exc.context not in problem:
        context_mark = exc.context_mark
        where = ""
        if context_mark is not None and mark is not None and context_mark.line != mark.line:
            where = f" at line {context_mark.line + 1}"
        message = f"{problem} ({exc.context}{where})"
    return LoadError(f"invalid YAML: {one_line(message)}", span)


def _in_words(exc: yaml.MarkedYAMLError, text: str) -> LoadError | None:
    """libyaml's commonest complaints in a consultant's words, at the line to look at;
    None for the others (they keep libyaml's words)."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    here = Span(mark.line + 1, mark.column + 1)
    line = _line(text, mark.line)
    indent = len(line) - len(line.lstrip(" "))
    if opened is not None and "block collection" in context and "'-'" in problem:
        above = _line(text, opened.line)
        items = len(above) - len(above.lstrip(" "))
        return LoadError(
            f"this line is indented differently from the list above it ({_spaces(indent)} "
            f"here, {_spaces(items)} for the list's items at line {opened.line + 1})",
            Span(mark.line + 1, indent + 1),
        )
    if opened is not None and "block mapping" in context and "expected key" in problem:
        key = line.strip().split(":", 1)[0].strip()
        farther = "further than" if indent > opened.column else "differently from"
        hint = ": indented too far?" if indent > opened.column else ""
        return LoadError(
            f"{quote_key(key)} is indented {farther} the keys above it "
            f"({_spaces(indent)} here, {_spaces(opened.column)} at line {opened.line + 1}){hint}",
            Span(mark.line + 1, indent + 1),
        )
    if problem.startswith("mapping values are not allowed"):
        before = line[indent : mark.column]
        previous = _previous(text, mark.line)
        if ": " not in before and previous is not None and indent > previous:
            return LoadError(
                f"{quote_key(before.strip())} is indented further than the line above it: "
                "indented too far?",
                Span(mark.line + 1, indent + 1),
            )
        start = line.find(": ", indent)
        value = line[start + 2 :].split(" #", 1)[0].strip() if 0 <= start < mark.column else ""
        example = f' ("{value[:60]}")' if value and '"' not in value else ""
        return LoadError(f"a ': ' inside a value: put the whole value in quotes{example}", here)
    if problem.startswith("found character that cannot start any token"):
        char = _char_at(text, mark.line, mark.column)
        if char and char in "@`":
            return LoadError(
                f"'{char}' cannot start a value in YAML: put the whole value in quotes", here
            )
    if opened is not None and "quoted scalar" in context and "end of stream" in problem:
        return LoadError(
            f"the quote opened at line {opened.line + 1}, column {opened.column + 1} is "
            "never closed",
            Span(opened.line + 1, opened.column + 1),
        )
    return None


def _previous(text: str, line: int) -> int | None:
    """The indentation of the nearest line above ``line`` with content, if any."""
    lines = text.split("\n", line + 1)[:line]
    for above in reversed(lines[-50:]):
        if above.strip() and not above.lstrip().startswith("#"):
            return len(above) - len(above.lstrip(" "))
    return None


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


def quote_key(key: str) -> str:
    return f"'{key[:40]}'" if key else "this line"


def _line(text: str, line: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][:10_000] if line < len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def mark_of(exc: yaml.YAMLError) -> Span:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    if isinstance(line, int) and isinstance(column, int):
        return Span(line + 1, column + 1)
    position = getattr(exc, "position", None)
    return Span(1, (position or 0) + 1)


def one_line(text: str) -> str:
    text = re.sub(r' in "<[^>]*>", (line \d+, column \d+|position \d+)', "", text)
    return " ".join(text.split())
