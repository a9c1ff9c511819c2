"""The part of a blueprint a filtered view shows: the steps of some phases and segments.

The one rule of ``--phase`` and ``--segment`` for every command (pipeline/filters.py
asks it, and the exports in render/): a step is kept when it is in one of the phases
asked for, and is for one of the segments asked for or for no segment in particular.
That the ids exist is checked by the command (``filters.problems``), before this runs.
"""

from __future__ import annotations

from blueprint_cli.model import Blueprint, Step


def keeps(step: Step, segments: tuple[str, ...], phases: tuple[str, ...]) -> bool:
    """Is the step in the phases asked for, and for one of the segments asked for (a step
    for no segment in particular is for every segment)?"""
    if phases and step.phase not in phases:
        return False
    return not segments or not step.segments or any(g in step.segments for g in segments)


def select(bp: Blueprint, segments: tuple[str, ...], phases: tuple[str, ...]) -> Blueprint:
    """The blueprint with the steps asked for only (itself, when nothing is asked for)."""
    if not segments and not phases:
        return bp
    return bp.model_copy(update={"steps": [s for s in bp.steps if keeps(s, segments, phases)]})


def describe(
    bp: Blueprint, view: Blueprint, segments: tuple[str, ...], phases: tuple[str, ...]
) -> str:
    """What a filtered view shows, for its title: ``segment Business traveller: 6 of 12
    steps``; empty when nothing is filtered."""
    if view is bp:
        return ""
    return described(bp, len(view.steps), segments, phases)


def described(bp: Blueprint, shown: int, segments: tuple[str, ...], phases: tuple[str, ...]) -> str:
    """``phase The stay, segment Business traveller: 6 of 12 steps``."""
    parts = []
    if phases:
        names = {p.id: p.title for p in bp.phases}
        listed = ", ".join(names.get(p, p) for p in phases)
        parts.append(f"phase{'s' * (len(phases) > 1)} {listed}")
    if segments:
        names = {s.id: s.title for s in bp.segments}
        listed = ", ".join(names.get(s, s) for s in segments)
        parts.append(f"segment{'s' * (len(segments) > 1)} {listed}")
    return f"{', '.join(parts)}: {shown} of {len(bp.steps)} steps"
