"""The filters of the commands that show a part of a service (``--phase``, ``--segment``,
``--min-risk``, ``--missing``): checked in one way for every command, applied below the
command line.

A phase or segment that no blueprint of the run defines is a usage error (exit 2) that
lists the ones there are, with the closest as a suggestion: ``--phase visti`` must not
print an empty register and succeed. A value that some blueprints of a folder define
and others do not is normal: those others contribute nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from blueprint_cli.analysis import FailPointRow, subset
from blueprint_cli.model import Blueprint, Step
from blueprint_cli.text import quote


@dataclass(frozen=True, slots=True)
class Filters:
    phases: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    min_risk: int | None = None
    missing: str | None = None  # prevention or recovery

    @property
    def steps_filtered(self) -> bool:
        return bool(self.phases or self.segments)

    def step(self, step: Step) -> bool:
        """Is the step in the phases and segments asked for? A step for no segment in
        particular is for every segment."""
        return subset.keeps(step, self.segments, self.phases)

    def row(self, row: FailPointRow) -> bool:
        if self.min_risk is not None and (row.risk is None or row.risk < self.min_risk):
            return False
        if self.missing is not None and getattr(row.fail_point, self.missing):
            return False
        return self.step(row.step)

    def describe(self, bp: Blueprint, shown: int) -> str:
        """What a filtered view shows, for its title: ``phase The stay, segment Business
        traveller: 6 of 12 steps``; empty when nothing is filtered."""
        if not self.steps_filtered:
            return ""
        return subset.described(bp, shown, self.segments, self.phases)

    def select(self, bp: Blueprint) -> Blueprint:
        """The blueprint with only the steps asked for."""
        return subset.select(bp, self.segments, self.phases)


def problems(filters: Filters, blueprints: Iterable[Blueprint]) -> list[str]:
    """The values no blueprint of the run defines, one message each."""
    bps = list(blueprints)
    out = []
    for option, wanted, defined in (
        ("--phase", filters.phases, _ids(p.id for bp in bps for p in bp.phases)),
        ("--segment", filters.segments, _ids(s.id for bp in bps for s in bp.segments)),
    ):
        for value in wanted:
            if value in defined:
                continue
            close = difflib.get_close_matches(value, defined, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            noun = option[2:]
            known = ", ".join(defined) if defined else "none"
            out.append(f"{option}: no {noun} {quote(value)} ({hint}{noun}s: {known})")
    return out


def _ids(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
