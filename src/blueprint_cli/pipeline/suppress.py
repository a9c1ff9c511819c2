"""Suppression comments: ``# blueprint: ignore[BP104]`` on a line, or for the whole file
``# blueprint: ignore-file[BP113]`` in the comments at its top.

A suppression that suppresses nothing is reported (BP008), as ruff's RUF100 does.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import yaml

from blueprint_cli import codes
from blueprint_cli.findings import Finding, Problem
from blueprint_cli.positions import Span
from blueprint_cli.text import quote

UNUSED = codes.UNUSED_SUPPRESSION
_DIRECTIVE = re.compile(
    r"(?:^|(?<=\s))#\s*blueprint:\s*(ignore-file|ignore)\b(\s*)(?:\[([^\]]*)(\])?)?"
)


@dataclass(slots=True)
class Directive:
    span: Span
    file_level: bool
    names: list[str] | None  # None: every rule
    codes: dict[str, str] = field(default_factory=dict)  # code -> name as written
    unknown: list[str] = field(default_factory=list)
    misplaced: bool = False
    malformed: str | None = None  # why it suppresses nothing: it cannot be read
    used: set[str] = field(default_factory=set)


def scan(raw: bytes) -> list[Directive]:
    """Every directive in the file, in order. Cheap when there are none."""
    if b"blueprint:" not in raw or b"ignore" not in raw:
        return []
    from blueprint_cli.rules import lookup

    text = raw.decode("utf-8", errors="replace")
    directives = []
    at_top = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            at_top = False
        for match in _DIRECTIVE.finditer(line):
            keyword, space, listed, closed = match.groups()
            file_level = keyword == "ignore-file"
            names = None
            malformed = None
            if listed is not None:
                names = [n.strip() for n in listed.split(",") if n.strip()]
                if space:
                    malformed = f"write '{keyword}[...]' with no space before '['"
                elif closed is None:
                    malformed = f"'{keyword}[' is not closed with ']'"
                elif not names:
                    malformed = f"'{keyword}[]' names no rule"
            d = Directive(Span(number, match.start() + 1), file_level, names)
            d.misplaced = file_level and not at_top
            if malformed is not None:  # suppresses nothing: never every rule by mistake
                d.malformed, d.names = malformed, []
            for name in d.names or []:
                rule = lookup(name)
                if rule is None:
                    d.unknown.append(name)
                else:
                    d.codes[rule.code] = name
            directives.append(d)
    return _comments_only(text, directives) if directives else directives


def _comments_only(text: str, directives: list[Directive]) -> list[Directive]:
    """Drop what only looks like a directive inside quoted or block text."""
    scalars: list[tuple[tuple[int, int], tuple[int, int]]] = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                scalars.append(((start.line + 1, start.column + 1), (end.line + 1, end.column + 1)))
    except yaml.YAMLError:
        pass  # a file that does not scan: its directives are taken as written
    # tokens do not overlap: a position is inside a scalar only if it is inside the last
    # one that starts at or before it (one bisection per directive, not a scan of all)
    scalars.sort()
    starts = [start for start, _ in scalars]
    return [d for d in directives if not _inside((d.span.line, d.span.col), starts, scalars)]


def _inside(
    at: tuple[int, int],
    starts: list[tuple[int, int]],
    scalars: list[tuple[tuple[int, int], tuple[int, int]]],
) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and at < scalars[i][1]


def apply(
    findings: list[Finding], directives: list[Directive], enabled: frozenset[str]
) -> tuple[list[Finding], list[Problem]]:
    """(the findings left, BP008 problems for directives that suppressed nothing)."""
    if not directives:
        return findings, []
    by_line: dict[int, _First] = {}
    whole_file = _First()
    for d in directives:
        if d.file_level and not d.misplaced:
            whole_file.add(d)
        elif not d.file_level:
            by_line.setdefault(d.span.line, _First()).add(d)
    kept = []
    for f in findings:
        on_line = by_line.get(f.line)
        hit = on_line.first(f.code) if on_line is not None else None
        if hit is None:
            hit = whole_file.first(f.code)
        if hit is None:
            kept.append(f)
        else:
            hit.used.add(f.code)
    return kept, _unused(directives, enabled)


class _First:
    """Directives in order, indexed: the first that suppresses a code, in one look-up
    (a scan of every directive for every finding is quadratic)."""

    __slots__ = ("by_code", "count", "every")

    def __init__(self) -> None:
        self.count = 0
        self.every: tuple[int, Directive] | None = None  # the first that names no rule
        self.by_code: dict[str, tuple[int, Directive]] = {}  # code -> the first naming it

    def add(self, d: Directive) -> None:
        entry = (self.count, d)
        self.count += 1
        if d.names is None:
            if self.every is None:
                self.every = entry
            return
        for code in d.codes:
            self.by_code.setdefault(code, entry)

    def first(self, code: str) -> Directive | None:
        found = [e for e in (self.by_code.get(code), self.every) if e is not None]
        return min(found, key=lambda e: e[0])[1] if found else None


def _unused(directives: list[Directive], enabled: frozenset[str]) -> list[Problem]:
    problems = []
    for d in directives:
        kind = "ignore-file" if d.file_level else "ignore"
        if d.malformed is not None:
            problems.append(Problem(UNUSED, f"{d.malformed}: it suppresses nothing", d.span))
            continue
        if d.misplaced:
            problems.append(
                Problem(
                    UNUSED,
                    "'ignore-file' works only in the comments at the top of the file",
                    d.span,
                )
            )
            continue
        for name in d.unknown:
            problems.append(Problem(UNUSED, f"unknown rule {quote(name)} in '{kind}'", d.span))
        if d.names is None:
            if not d.used:
                problems.append(Problem(UNUSED, f"'{kind}' suppresses nothing", d.span))
            continue
        for code, name in d.codes.items():
            if code in enabled and code not in d.used:
                problems.append(Problem(UNUSED, f"'{kind}[{name}]' suppresses nothing", d.span))
    return problems
