"""The part of a blueprint an export shows: the steps of some phases and segments.

The same choice as ``render --phase/--segment`` (pipeline/filters.py): a step is kept
when it is in one of the phases asked for, and is for one of the segments asked for or
for no segment in particular. The exports take the ids as options; that the ids exist
is checked by the command (``filters.problems``), before this runs.
"""

from __future__ import annotations

from blueprint_cli.model import Blueprint


def select(bp: Blueprint, segments: tuple[str, ...], phases: tuple[str, ...]) -> Blueprint:
    """The blueprint with the steps asked for only (itself, when nothing is asked for)."""
    if not segments and not phases:
        return bp
    steps = [
        s
        for s in bp.steps
        if (not phases or s.phase in phases)
        and (not segments or not s.segments or any(g in s.segments for g in segments))
    ]
    return bp.model_copy(update={"steps": steps})


def describe(
    bp: Blueprint, view: Blueprint, segments: tuple[str, ...], phases: tuple[str, ...]
) -> str:
    """What a filtered view shows, for its title: ``segment Business traveller: 6 of 12
    steps``; empty when nothing is filtered."""
    if view is bp:
        return ""
    parts = []
    if phases:
        names = {p.id: p.title for p in bp.phases}
        listed = ", ".join(names.get(p, p) for p in phases)
        parts.append(f"phase{'s' * (len(phases) > 1)} {listed}")
    if segments:
        names = {s.id: s.title for s in bp.segments}
        listed = ", ".join(names.get(s, s) for s in segments)
        parts.append(f"segment{'s' * (len(segments) > 1)} {listed}")
    return f"{', '.join(parts)}: {len(view.steps)} of {len(bp.steps)} steps"
