"""Findings: what a check says about a file, and how serious it is."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from blueprint_cli.codes import Family
from blueprint_cli.positions import Path, Span
from blueprint_cli.text import quote


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= fail_on`` decides the exit code."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def of(cls, value: int) -> Severity:
        """``Severity(value)`` without the enum machinery's Python calls."""
        return _SEVERITIES[value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {quote(text)}: use one of {names}") from None


_SEVERITIES = {int(s): s for s in Severity}


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: a rule code, a message and where. The linter adds the rest."""

    code: str
    message: str
    span: Span
    path: Path = ()


class Finding(NamedTuple):
    """One finding as reported: a tuple, cheap to make, sort and send between processes."""

    file: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    name: str = ""
    #: the data path of the node it is about (``("flows", 3)``): what a picture marks
    path: Path = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.code, self.message)


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule (SARIF lists them), without importing the rules."""

    code: str
    name: str
    family: Family
    severity: Severity
    summary: str
    doc: str


@dataclass(slots=True)
class Outcome:
    """What every command over files ends with: the errors that stopped a path or the run
    (one line each, exit 2), warnings about the run, and whether what it found fails it."""

    errors: list[str] = field(default_factory=list)  # I/O and usage errors, one line each
    warnings: list[str] = field(default_factory=list)  # about the run, not a file
    #: files with errors that were still drawn or shown, as drafts (what validates)
    drafts: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return False

    @property
    def exit_code(self) -> int:
        """0 clean, 1 what was found fails the run, 2 I/O or usage errors."""
        if self.errors:
            return EXIT_ERROR
        return EXIT_FINDINGS if self.failed else EXIT_OK


@dataclass(slots=True)
class Report(Outcome):
    """The result of a lint run over many files: what reporters print and the exit code."""

    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # YAML files that are not blueprints
    #: the configuration file of each file checked ("" for none: the defaults) -> files
    configurations: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    rules: list[RuleInfo] = field(default_factory=list)  # the rules that ran
    #: findings left out because a baseline holds them; None: no baseline
    baselined: int | None = None

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    @property
    def failed(self) -> bool:
        return any(f.severity >= self.fail_on for f in self.findings)
