"""The journey as the inspecting views tell it: each segment's standards, steps, time
and waits over standard; the emotion curve and its lowest points; metrics against
their targets; the actions each regulation binds; where each fail point happens
(segments, channel). Computed once here, shown by ``show``, ``failpoints`` and
``report`` alike.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from blueprint_cli.analysis.facts import (
    FailPointRow,
    Marker,
    channel_of,
    flow_graph,
    markers,
    step_segments,
    step_time,
)
from blueprint_cli.model import Action, Blueprint, Metric, Regulation, Segment, Step

# ---------------------------------------------------------------------------- segments


@dataclass(frozen=True, slots=True)
class SegmentSummary:
    """One segment's journey: what it tolerates, the steps it goes through, how long it
    takes, and the waits over the standard it is held to."""

    segment: Segment
    #: the segment's own ``standards.max_wait``; None: the blueprint's holds
    max_wait: float | None
    #: the blueprint's ``standards.max_wait``, which holds when the segment sets none
    default_max_wait: float | None
    steps: int  # the steps it goes through: its own and those for every segment
    own_steps: tuple[Step, ...]  # the steps that name it
    seconds: float  # the critical path of its journey
    waits_over: tuple[Marker, ...]  # judged for this segment alone

    @property
    def tolerated(self) -> float | None:
        """The longest wait it tolerates where a wait sets no max of its own."""
        return self.max_wait if self.max_wait is not None else self.default_max_wait


def segment_summaries(
    bp: Blueprint, segments: Collection[str] | None = None
) -> list[SegmentSummary]:
    """Per declared segment (of ``segments`` only, when given), in declaration order.
    A wait is over for a segment when its expected time passes the standard that segment
    holds it to (the wait's own max, else the segment's, else the blueprint's)."""
    graph = flow_graph(bp)
    times = {step.id: step_time(step, graph) for step in bp.steps}
    out = []
    for segment in bp.segments:
        if segments is not None and segment.id not in segments:
            continue
        goes = [s for s in bp.steps if any(g is segment for g in step_segments(bp, s))]
        kept = {id(s) for s in goes}
        over = tuple(
            m
            for m in markers(bp, [segment.id])
            if m.wait is not None and id(m.step) in kept and m.over_by is not None
        )
        own = segment.standards.max_wait if segment.standards is not None else None
        out.append(
            SegmentSummary(
                segment,
                own,
                bp.standards.max_wait,
                len(goes),
                tuple(s for s in goes if segment.id in s.segments),
                sum(times.get(s.id, 0.0) for s in goes),
                over,
            )
        )
    return out


def segment_titles(bp: Blueprint, step: Step) -> list[str] | None:
    """The segments a step happens to, by title (an undeclared id as written); None
    when it names none: it happens to every segment."""
    if not step.segments:
        return None
    titles = {s.id: s.title for s in bp.segments}
    return [titles.get(s, s) for s in dict.fromkeys(step.segments)]


def channel_title(bp: Blueprint, step: Step, action: Action) -> str | None:
    """The title of the channel an action happens through (``channel_of``)."""
    ident = channel_of(step, action)
    if ident is None:
        return None
    return next((c.title for c in bp.channels if c.id == ident), ident)


# ---------------------------------------------------------------------------- emotion


@dataclass(frozen=True, slots=True)
class StepFeeling:
    """How one step feels: None where nothing is written (a gap, not 0)."""

    number: int  # the step's place in the journey, from 1
    step: Step
    customer: int | None
    staff: int | None


@dataclass(frozen=True, slots=True)
class EmotionCurve:
    """The feelings over the journey, every step in order, and the lowest points."""

    points: tuple[StepFeeling, ...]
    lowest_customer: tuple[StepFeeling, ...]
    lowest_staff: tuple[StepFeeling, ...]

    @property
    def has_staff(self) -> bool:
        return any(p.staff is not None for p in self.points)


def _lowest(
    points: list[StepFeeling], who: Literal["customer", "staff"]
) -> tuple[StepFeeling, ...]:
    values = [getattr(p, who) for p in points if getattr(p, who) is not None]
    if not values:
        return ()
    low = min(values)
    return tuple(p for p in points if getattr(p, who) == low)


def emotion_curve(bp: Blueprint, only: Collection[str] | None = None) -> EmotionCurve | None:
    """The customer's and the staff's feeling at each step (of the step ids ``only``,
    when given, numbered in the whole journey); None when no step says."""
    points = [
        StepFeeling(
            i,
            step,
            step.emotion.customer if step.emotion is not None else None,
            step.emotion.staff if step.emotion is not None else None,
        )
        for i, step in enumerate(bp.steps, start=1)
        if only is None or step.id in only
    ]
    if all(p.customer is None and p.staff is None for p in points):
        return None
    return EmotionCurve(tuple(points), _lowest(points, "customer"), _lowest(points, "staff"))


# ---------------------------------------------------------------------------- metrics

#: met: the baseline already meets the target; open: it does not yet; the others say
#: what is missing to tell
MetricStatus = Literal["met", "open", "no target", "no baseline", "no direction"]


def metric_status(metric: Metric) -> MetricStatus:
    """Whether a metric's baseline already meets its target, in its better direction;
    without a direction, only an equal baseline meets it."""
    if metric.target is None:
        return "no target"
    if metric.baseline is None:
        return "no baseline"
    if metric.direction == "up":
        return "met" if metric.baseline >= metric.target else "open"
    if metric.direction == "down":
        return "met" if metric.baseline <= metric.target else "open"
    return "met" if metric.baseline == metric.target else "no direction"


@dataclass(frozen=True, slots=True)
class MetricRow:
    """A blueprint metric with the steps that track it, or a step's own metric."""

    metric: Metric
    step: Step | None  # the step a metric of its own belongs to; None: the blueprint's
    tracked_at: tuple[Step, ...] = field(default=())  # steps that name a blueprint metric
    declared: bool = True  # False: a step names an id no blueprint metric has

    @property
    def title(self) -> str:
        return self.metric.title or self.metric.id

    @property
    def status(self) -> MetricStatus:
        return metric_status(self.metric)


def metric_rows(bp: Blueprint) -> list[MetricRow]:
    """The blueprint's metrics, then the steps' own, in journey order; a step naming an
    undeclared metric gives a row of that id (its figures unknown)."""
    tracked: dict[str, list[Step]] = {}
    own: list[MetricRow] = []
    undeclared: dict[str, list[Step]] = {}
    declared = {m.id for m in bp.metrics}
    for step in bp.steps:
        for sm in step.metrics:
            if not sm.refers:
                own.append(MetricRow(sm, step))
            elif sm.id in declared:
                tracked.setdefault(sm.id, []).append(step)
            else:
                undeclared.setdefault(sm.id, []).append(step)
    rows = [MetricRow(m, None, tuple(tracked.get(m.id, ()))) for m in bp.metrics]
    rows += own
    rows += [
        MetricRow(Metric(id=ident, title=ident), None, tuple(steps), declared=False)
        for ident, steps in undeclared.items()
    ]
    return rows


# ---------------------------------------------------------------------------- regulations


@dataclass(frozen=True, slots=True)
class Binding:
    """An action a regulation binds, who owns it, and the evidence at its step."""

    number: int  # the step's place in the journey, from 1
    step: Step
    action: Action
    owner: str | None  # the actor's title (its id when not declared)
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegulationRow:
    regulation: Regulation
    bindings: tuple[Binding, ...]
    declared: bool = True  # False: actions name an id no regulation has


def regulation_bindings(bp: Blueprint, only: Collection[str] | None = None) -> list[RegulationRow]:
    """Each declared regulation with the actions that name it, in journey order (none
    when no action does), then the ids actions name that are not declared; with
    ``only``, the actions of those step ids (numbered in the whole journey)."""
    actors = {a.id: a.title for a in bp.actors}
    bound: dict[str, list[Binding]] = {}
    for i, step in enumerate(bp.steps, start=1):
        if only is not None and step.id not in only:
            continue
        evidence = tuple(ev.text for ev in step.evidence)
        for action in step.actions():
            for ident in dict.fromkeys(action.regulations):
                owner = actors.get(action.actor, action.actor) if action.actor else None
                bound.setdefault(ident, []).append(Binding(i, step, action, owner, evidence))
    rows = [RegulationRow(r, tuple(bound.pop(r.id, ()))) for r in bp.regulations]
    rows += [
        RegulationRow(Regulation(id=ident, title=ident), tuple(b), declared=False)
        for ident, b in bound.items()
    ]
    return rows


# ---------------------------------------------------------------------------- the register


@dataclass(frozen=True, slots=True)
class PlacedRow(FailPointRow):
    """A fail-point row that also says where it happens: the segments of its step
    (None: every segment) and the channel of its action (its own, else the step's)."""

    segments: tuple[str, ...] | None = None
    channel: str | None = None

    @property
    def segments_text(self) -> str:
        """``Business traveller``, ``Business traveller; Leisure guest``, or ``all``."""
        return "all" if self.segments is None else "; ".join(self.segments)


def placed(bp: Blueprint, rows: list[FailPointRow]) -> list[PlacedRow]:
    """The rows of ``bp``'s register (``register``), each with its segments and channel."""
    out = []
    for r in rows:
        titles = segment_titles(bp, r.step)
        out.append(
            PlacedRow(
                r.blueprint,
                r.marker,
                r.step_index,
                r.step,
                r.action,
                r.fail_point,
                r.actor,
                r.draft,
                r.line,
                r.label,
                tuple(titles) if titles is not None else None,
                channel_title(bp, r.step, r.action),
            )
        )
    return out
