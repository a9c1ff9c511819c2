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
    message = problem
    if exc.context and exc.context not in problem:
        context_mark = exc.context_mark
        where = ""
        if context_mark is not None and mark is not None and context_mark.line != mark.line:
            where = f" at line {context_mark.line + 1}"
        message = f"{problem} ({exc.context}{where})"
    return LoadError(f"invalid YAML: {one_line(message)}", span)


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
