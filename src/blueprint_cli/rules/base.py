"""What every rule module provides, and what a rule's check receives."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from blueprint_cli.analysis import Facts
from blueprint_cli.codes import Family
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import Blueprint
from blueprint_cli.positions import Path, SourceMap

if TYPE_CHECKING:  # the audit's: not imported by a lint of blueprints
    from blueprint_cli.analysis.observed import Index, Resolved
    from blueprint_cli.model.observation import Observation


@dataclass(slots=True)
class Context:
    """Handed to ``check``: the model, where things were written, and the rule's options."""

    blueprint: Blueprint
    source: SourceMap
    code: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    #: ids and references written in parts of the file that failed validation and are not
    #: in the model: "undeclared" and "unused" checks leave them alone.
    dropped: frozenset[str] = frozenset()
    shared: Facts | None = None  # the facts the rules of one file share

    @property
    def facts(self) -> Facts:
        if self.shared is None:
            self.shared = Facts(self.blueprint)
        return self.shared

    def problem(self, message: str, path: Path, *, key: bool = False) -> Problem:
        """A problem at ``path``: at its key when ``key``, else at its value."""
        span = self.source.key(path) if key else self.source.value(path)
        return Problem(self.code, message, span, path)


Check = Callable[[Context], Iterable[Problem]]


@dataclass(slots=True)
class ObservationContext:
    """Handed to an audit rule's ``observe``: one visit, its blueprint, and where the
    visit's entries point in it."""

    observation: Observation
    blueprint: Blueprint
    index: Index
    resolved: Resolved
    source: SourceMap  # the observation file's
    blueprint_name: str  # as the observation names it
    code: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)

    def problem(self, message: str, path: Path, *, key: bool = False) -> Problem:
        span = self.source.key(path) if key else self.source.value(path)
        return Problem(self.code, message, span, path)


Observe = Callable[[ObservationContext], Iterable[Problem]]

#: A shortcoming shared by every one of at least this many nodes of a file is the file's,
#: not each node's: it is said once (``each_or_once``).
WHOLE_FILE = 4


def each_or_once(
    ctx: Context, misses: list[tuple[str, Path]], total: int, once: str, *, key: bool = False
) -> Iterator[Problem]:
    """One problem per miss (message, path), or, when all ``total`` nodes (at least
    ``WHOLE_FILE``) miss, the one problem ``once`` for the file, at its ``steps`` key:
    findings at the level of their cause, not a checklist of its symptoms."""
    if len(misses) >= WHOLE_FILE and len(misses) == total:
        yield ctx.problem(once, ("steps",), key=True)
        return
    for message, path in misses:
        yield ctx.problem(message, path, key=key)


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's identity and documentation. The linter, not the rule, sets the severity."""

    code: str
    name: str
    family: Family
    severity: Severity
    summary: str
    doc: str
    check: Check | None  # None: reported by the loader or the schema, not by a check
    options: Mapping[str, Any]
    #: the values an option may take, where its type alone does not say (``OPTION_RANGES``)
    ranges: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    #: its findings are drawn in the picture (a flagged flow): render runs it
    drawn: bool = False
    #: how much a finding matters among those of its severity, 1-9 (``WEIGHT``; 5 when
    #: not said): what ``show`` lists first
    weight: int = 5
    #: an audit rule's check of one observation against its blueprint
    observe: Observe | None = None

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            code=module.CODE,
            name=module.NAME,
            family=module.FAMILY,
            severity=module.SEVERITY,
            summary=module.SUMMARY,
            doc=(module.__doc__ or "").strip(),
            check=getattr(module, "check", None),
            options=getattr(module, "OPTIONS", {}),
            ranges=getattr(module, "OPTION_RANGES", {}),
            drawn=getattr(module, "DRAWN", False),
            weight=getattr(module, "WEIGHT", 5),
            observe=getattr(module, "observe", None),
        )
