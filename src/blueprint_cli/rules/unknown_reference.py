"""A reference to something that is not declared.

Steps name their `phase`, `segments` and `channel`, actions their `actor`, `channel`
and `regulations`, a step's `metrics` the blueprint metrics tracked there, flows the
actions at their two ends (`from`, `to`): each must be the id of something declared in
the file, of the right kind. A flow joins actions, not steps or evidence.

Why it matters: a dangling arrow or an unknown role is a hole in the map.

FAIL:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        customer: [Give details]
        frontstage:
          - {id: register, text: Register guest, actor: desk-clerck}
    flows:
      - give-details -> registr

PASS:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        customer: [Give details]
        frontstage:
          - {id: register, text: Register guest, actor: desk-clerk}
    flows:
      - give-details -> register
"""

import difflib
import re
from collections.abc import Iterable, Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import stage_in, stage_of
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import identified, slugify
from blueprint_cli.positions import Path
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNKNOWN_REFERENCE
FAMILY = codes.Family.FORMAT
NAME = "unknown-reference"
SEVERITY = Severity.ERROR
SUMMARY = "a phase, segment, actor, channel, regulation, metric or flow end not declared"

_MAX_CANDIDATES = 5000  # ids of one kind a did-you-mean looks at
_SUGGEST_BUDGET = 200_000  # comparisons for all the did-you-means of one file


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    kinds = {getattr(node, "id", ""): kind for kind, node, _ in identified(bp)}
    phases = {p.id for p in bp.phases} | ctx.dropped
    segments = {s.id for s in bp.segments} | ctx.dropped
    actors = {a.id for a in bp.actors} | ctx.dropped
    actions = {a.id for a in bp.actions()} | ctx.dropped
    channels = {c.id for c in bp.channels} | ctx.dropped
    regulations = {r.id for r in bp.regulations} | ctx.dropped
    metrics = {m.id for m in bp.metrics} | ctx.dropped

    # A did-you-mean compares the miss with every candidate of its kind: a budget of
    # comparisons for the whole file keeps a file of thousands of misses linear (the
    # misses past it get no suggestion), and a miss written again costs nothing.
    sorted_known: dict[str, list[str]] = {}
    suggested: dict[tuple[str, str, str | None], str | None] = {}
    budget = [_SUGGEST_BUDGET]

    # what a reference may have been written from: an action's text or a phase's title,
    # as a slug ("greet-and-check-in" for the action whose id is "greet")
    written = {
        "action": _by_slug((a.text, a.id) for a in bp.actions()),
        "phase": _by_slug((p.title, p.id) for p in bp.phases),
        "channel": _by_slug((c.title, c.id) for c in bp.channels),
        "regulation": _by_slug((r.title, r.id) for r in bp.regulations),
        "metric": _by_slug((m.title, m.id) for m in bp.metrics),
    }

    # a phase written as a stage of the audit span ("after-visit", "aftercare") means the
    # declared phase of that stage, when there is one
    by_stage: dict[str, str] = {}
    for phase in bp.phases:
        stage = stage_of(phase)
        if stage != "visit":
            by_stage.setdefault(stage, phase.id)

    def suggestion(wanted: str, kind: str, known: set[str], other: str | None) -> str | None:
        """The id meant: the one whose text or title it is, else the closest id, never
        ``other`` (a flow's other end: the suggestion would make a loop)."""
        if (kind, wanted, other) in suggested:
            return suggested[kind, wanted, other]
        meant = written.get(kind, {}).get(slugify(wanted, ""))
        if meant is None and kind == "phase":
            meant = by_stage.get(stage_in(wanted))  # after-visit: the post-visit phase
        if meant is not None and meant != other:
            suggested[kind, wanted, other] = meant
            return meant
        candidates = sorted_known.get(kind)
        if candidates is None:
            candidates = sorted_known[kind] = sorted(known)[:_MAX_CANDIDATES]
        if budget[0] < len(candidates):
            return None
        budget[0] -= len(candidates)
        close = difflib.get_close_matches(wanted, candidates, n=2, cutoff=0.6)
        close = [c for c in close if c != other] or _same_words(wanted, candidates, other)
        suggested[kind, wanted, other] = close[0] if close else None
        return suggested[kind, wanted, other]

    def missing(
        wanted: str, kind: str, known: set[str], path: Path, other: str | None = None
    ) -> Problem:
        message = f"unknown {kind} {quote(wanted)}"
        if wanted in kinds:
            message += f": {quote(wanted)} is {_a(kinds[wanted])}, not {_a(kind)}"
        else:
            close = suggestion(wanted, kind, known, other)
            if close is not None:
                message += f" (did you mean {quote(close)}?)"
            elif not known:
                message += f" (no {kind}s are declared)"
        return ctx.problem(message, path)

    for step in bp.steps:
        if step.phase is not None and not step.phase_inherited and step.phase not in phases:
            yield missing(step.phase, "phase", phases, (*step.path, "phase"))
        for i, segment in enumerate(step.segments):
            if segment not in segments:
                yield missing(segment, "segment", segments, (*step.path, "segments", i))
        if step.channel is not None and step.channel not in channels:
            yield missing(step.channel, "channel", channels, (*step.path, "channel"))
        for metric in step.metrics:
            if metric.refers and metric.id not in metrics:
                yield missing(metric.id, "metric", metrics, metric.path)
        for action in step.actions():
            if action.actor is not None and action.actor not in actors:
                yield missing(action.actor, "actor", actors, (*action.path, "actor"))
            if action.channel is not None and action.channel not in channels:
                yield missing(action.channel, "channel", channels, (*action.path, "channel"))
            for i, regulation in enumerate(action.regulations):
                if regulation not in regulations:
                    path = (*action.path, "regulations", i)
                    yield missing(regulation, "regulation", regulations, path)
    for flow in bp.flows:
        for end, key, other in ((flow.from_, "from", flow.to), (flow.to, "to", flow.from_)):
            if end not in actions:
                yield missing(end, "action", actions, (*flow.path, key), other)


_STOP = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})


def _words(text: str) -> set[str]:
    """A reference's words, cut to five letters: "issued" and "issues" are one word."""
    return {w[:5] for w in re.split(r"[^a-z0-9]+", text.lower()) if w and w not in _STOP}


def _same_words(wanted: str, candidates: list[str], other: str | None) -> list[str]:
    """The one id that shares the most words with ``wanted``, at least two of them and
    most of its words ("refund-issued-to-card" -> "issues-refund-to-original-payment"):
    an id written from memory keeps the words and loses their order."""
    words = _words(wanted)
    if len(words) < 2:
        return []
    best: list[str] = []
    best_shared = 1
    for candidate in candidates:
        if candidate == other:
            continue
        shared = len(words & _words(candidate))
        if shared > best_shared:
            best, best_shared = [candidate], shared
        elif shared == best_shared and best:
            best.append(candidate)
    if len(best) != 1 or 2 * best_shared < len(words):
        return []  # none, or a tie: no guess
    return best


def _by_slug(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Slug of a text -> the id of the first node written with it."""
    out: dict[str, str] = {}
    for text, node_id in pairs:
        if len(text) <= 256:  # a reference is never a page of text
            out.setdefault(slugify(text, ""), node_id)
    out.pop("", None)
    return out
