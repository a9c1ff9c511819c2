"""Figures about a blueprint, computed once and shared by rules, reports and renderers.

Risk, wait standards, the flow graph between actions, evidence coverage and phase
stages: a number shown in two places is computed here, in one way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from blueprint_cli.model import (
    Action,
    Blueprint,
    FailPoint,
    Flow,
    Phase,
    Segment,
    Stage,
    Step,
    Wait,
)
from blueprint_cli.positions import SourceMap

#: Defaults of the high-risk rule; configurable as ``high-risk-rpn`` / ``high-risk-severity``.
HIGH_RISK_RPN = 200
HIGH_RISK_SEVERITY = 9

_PRE = re.compile(
    r"\b(pre|previsit|before|prior|booking|book|plan|planning|search|awareness|discover|"
    r"research|arrival|arriving)\b"
)
_POST = re.compile(
    r"\b(post|postvisit|after|aftercare|follow|followup|feedback|return|returns|loyalty|"
    r"departure|review)\b"
)


def stage_of(phase: Phase) -> Stage:
    """The phase's place in pre-visit / visit / post-visit, written or inferred."""
    if phase.stage is not None:
        return phase.stage
    return stage_in(f"{phase.id} {phase.title}")


def stage_in(text: str) -> Stage:
    """The stage a phase's words name: "after-visit", "Aftercare" -> post-visit."""
    words = text.lower().replace("_", "-")
    if _PRE.search(words):
        return "pre-visit"
    if _POST.search(words):
        return "post-visit"
    return "visit"


#: What a step's title says when it happens before the visit or after it (stricter than a
#: phase's words: "Arrival" is a phase before the visit, and a step of it).
_STEP_PRE = re.compile(
    r"\b(pre|before|prior|book|books|booking|booked|reserve|reserves|reservation|plan|"
    r"plans|planning|search|searches|research|enquire|enquiry|inquire|inquiry|schedule|"
    r"schedules|appointment|quote|directions)\b"
)
_STEP_POST = re.compile(
    r"\b(post|after|aftercare|follow|followup|feedback|survey|review|recall|reminder|"
    r"loyalty|complaint|complaints|invoice|invoiced|revisit|rebook)\b"
)


def step_stage(step: Step) -> Stage:
    """A step's place in pre-visit / visit / post-visit, read from its title ("Book a
    table" before, "Follow-up call" after), for blueprints that declare no phases."""
    words = step.title.lower().replace("_", "-")
    if _STEP_PRE.search(words):
        return "pre-visit"
    if _STEP_POST.search(words):
        return "post-visit"
    return "visit"


def is_high_risk(
    fp: FailPoint, rpn: int = HIGH_RISK_RPN, severity: int = HIGH_RISK_SEVERITY
) -> bool:
    risk = fp.risk
    return (risk is not None and risk >= rpn) or (
        fp.severity is not None and fp.severity >= severity
    )


def wait_standard(bp: Blueprint, wait: Wait, segment: Segment | None = None) -> float | None:
    """The longest tolerated wait, for everyone or for one segment: the wait's own
    ``max``, else the default, which is the segment's ``standards.max_wait`` when it
    sets one (what that customer group tolerates), else the blueprint's."""
    if wait.max is not None:
        return wait.max
    tolerated = segment.standards.max_wait if segment and segment.standards else None
    return tolerated if tolerated is not None else bp.standards.max_wait


def step_segments(bp: Blueprint, step: Step) -> list[Segment]:
    """The declared segments a step happens to: those it names, or every one when it
    names none (an undeclared id is an error of its own, and left out here)."""
    if not step.segments:
        return list(bp.segments)
    named = set(step.segments)
    return [s for s in bp.segments if s.id in named]


@dataclass(frozen=True, slots=True)
class Judged:
    """A wait's standard in a view: the strictest among the segments it is judged for."""

    standard: float | None
    #: the segment whose own standard that is; None: the wait's max or the blueprint's
    segment: Segment | None = None


def judge_wait(
    bp: Blueprint, step: Step, wait: Wait, segments: Collection[str] | None = None
) -> Judged:
    """The standard a wait is held to: for each segment the step happens to (of
    ``segments`` only, when given), the segment's (``wait_standard``); the strictest of
    them, so that a wait over standard for any of them is over in the view."""
    best: Judged | None = None
    for segment in step_segments(bp, step):
        if segments is not None and segment.id not in segments:
            continue
        standard = wait_standard(bp, wait, segment)
        if best is None or (
            standard is not None and (best.standard is None or standard < best.standard)
        ):
            own = segment.standards is not None and segment.standards.max_wait == standard
            best = Judged(standard, segment if own and wait.max is None else None)
    return best if best is not None else Judged(wait_standard(bp, wait))


def channel_of(step: Step, action: Action) -> str | None:
    """The channel an action happens through: its own, else its step's."""
    return action.channel if action.channel is not None else step.channel


@dataclass(slots=True)
class FlowGraph:
    """Actions by id, and the flows (written and implicit) that leave and reach each."""

    actions: dict[str, Action] = field(default_factory=dict)
    step_of: dict[str, Step] = field(default_factory=dict)
    outgoing: dict[str, list[Flow]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[Flow]] = field(default_factory=lambda: defaultdict(list))
    resolved: list[Flow] = field(default_factory=list)  # flows whose two ends are actions
    _lanes: dict[str, frozenset[str]] = field(default_factory=dict)

    def lane(self, action_id: str) -> str:
        return self.actions[action_id].lane

    def neighbours(self, action_id: str) -> list[Action]:
        ends = [f.to for f in self.outgoing.get(action_id, [])]
        ends += [f.from_ for f in self.incoming.get(action_id, [])]
        return [self.actions[e] for e in ends]

    def neighbour_lanes(self, action_id: str) -> frozenset[str]:
        """The lanes of the actions joined to this one, worked out once per id: actions
        that share an id (an error of its own) share its flows, and asking again for each
        of them would be quadratic."""
        lanes = self._lanes.get(action_id)
        if lanes is None:
            lanes = self._lanes[action_id] = frozenset(n.lane for n in self.neighbours(action_id))
        return lanes


def flow_graph(bp: Blueprint) -> FlowGraph:
    """The flow graph of a blueprint (rules share one through ``Facts``)."""
    return _build_graph(bp)


class Facts:
    """What the rules of one file share about its blueprint, each computed once, when a
    rule first asks: one per file, handed to every rule on its context."""

    __slots__ = ("_graph", "blueprint")

    def __init__(self, blueprint: Blueprint) -> None:
        self.blueprint = blueprint
        self._graph: FlowGraph | None = None

    @property
    def graph(self) -> FlowGraph:
        if self._graph is None:
            self._graph = _build_graph(self.blueprint)
        return self._graph


def _build_graph(bp: Blueprint) -> FlowGraph:
    graph = FlowGraph()
    for step in bp.steps:
        for action in step.actions():
            graph.actions.setdefault(action.id, action)
            graph.step_of.setdefault(action.id, step)
    for flow in bp.all_flows():
        if flow.from_ in graph.actions and flow.to in graph.actions:
            graph.resolved.append(flow)
            graph.outgoing[flow.from_].append(flow)
            graph.incoming[flow.to].append(flow)
    return graph


def evidence_coverage(bp: Blueprint) -> tuple[list[Step], list[Step]]:
    """(customer steps with evidence, customer steps without)."""
    with_evidence = [s for s in bp.steps if s.customer and s.evidence]
    without = [s for s in bp.steps if s.customer and not s.evidence]
    return with_evidence, without


def actors_used(bp: Blueprint) -> set[str]:
    return {a.actor for a in bp.actions() if a.actor is not None}


@dataclass(frozen=True, slots=True)
class Marker:
    """A numbered fail point (F1, F2 ...) or wait (W1 ...), in document order."""

    label: str
    step: Step
    action: Action
    fail_point: FailPoint | None = None
    wait: Wait | None = None
    #: a wait's longest tolerated time (``judge_wait``), and whether it is the
    #: blueprint's ``standards.max_wait`` rather than the wait's own ``max``
    standard: float | None = None
    standard_is_default: bool = False
    #: the segment whose standard it is, when stricter than the wait's own (``judge_wait``)
    standard_segment: Segment | None = None

    @property
    def over_by(self) -> float | None:
        """How much a wait is expected to exceed its standard; None when it does not."""
        if self.wait is None or self.wait.expected is None or self.standard is None:
            return None
        return self.wait.expected - self.standard if self.wait.expected > self.standard else None


def markers(bp: Blueprint, segments: Collection[str] | None = None) -> list[Marker]:
    """F and W markers numbered in step, lane and action order: the same in every view.
    A wait's standard is judged for the ``segments`` in view (all, when None)."""
    fails: list[Marker] = []
    waits: list[Marker] = []
    for step in bp.steps:
        for action in step.actions():
            wait = action.wait
            if wait is not None:
                label = f"W{len(waits) + 1}"
                judged = judge_wait(bp, step, wait, segments)
                standard = judged.standard
                default = wait.max is None and standard is not None and judged.segment is None
                waits.append(
                    Marker(label, step, action, None, wait, standard, default, judged.segment)
                )
            for fp in action.fail_points:
                fails.append(Marker(f"F{len(fails) + 1}", step, action, fail_point=fp))
    return fails + waits


# ---------------------------------------------------------------------------- timings


def action_time(action: Action) -> float:
    """An action's standard time plus the wait it makes the customer endure, in seconds."""
    wait = action.wait.expected if action.wait is not None and action.wait.expected else 0.0
    return (action.duration or 0.0) + wait


def step_time(step: Step, graph: FlowGraph) -> float:
    """The critical path through a step: the longest chain of its actions joined by flows
    inside the step, in whatever lane order they run ("cook the meal" backstage, then
    "serve it" frontstage); actions not joined run in parallel, so they are not added
    up. A cycle of flows is cut where it closes, so each action counts once."""
    actions = list(step.actions())
    ids = {a.id for a in actions}
    by_id = {a.id: a for a in actions}
    succ: dict[str, list[str]] = {a.id: [] for a in actions}
    for a in actions:
        for flow in graph.outgoing.get(a.id, []):
            if flow.to in ids and flow.to != a.id:
                succ[a.id].append(flow.to)
    # longest path from each action, by an iterative depth-first walk (a hostile step may
    # hold thousands of actions); an edge back into the walk's own path is a cycle: cut
    longest: dict[str, float] = {}
    on_path: set[str] = set()
    for root in succ:
        if root in longest:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path.add(root)
        while stack:
            node, i = stack[-1]
            nexts = succ[node]
            if i < len(nexts):
                stack[-1] = (node, i + 1)
                child = nexts[i]
                if child not in longest and child not in on_path:
                    on_path.add(child)
                    stack.append((child, 0))
                continue
            stack.pop()
            on_path.discard(node)
            tail = max((longest[c] for c in nexts if c in longest), default=0.0)
            longest[node] = action_time(by_id[node]) + tail
    return max(longest.values(), default=0.0)


@dataclass(frozen=True, slots=True)
class PhaseTime:
    phase: Phase | None
    steps: int
    seconds: float


@dataclass(slots=True)
class _Split:
    """Seconds of the steps for every segment, and of each segment's own steps."""

    common: float = 0.0
    own: dict[str, float] = field(default_factory=dict)
    steps: int = 0

    def add(self, step: Step, seconds: float) -> None:
        self.steps += 1
        if not step.segments:
            self.common += seconds
        for segment in dict.fromkeys(step.segments):
            self.own[segment] = self.own.get(segment, 0.0) + seconds

    @property
    def longest(self) -> float:
        """The critical path: segments are alternatives, so the longest of them counts."""
        return self.common + max(self.own.values(), default=0.0)


def phase_times(bp: Blueprint) -> list[PhaseTime]:
    """Expected time per phase: steps follow each other, so their critical paths add up;
    segments are alternatives, so a phase takes as long as its longest segment's steps
    (never the sum of "Book by phone" and "Book online")."""
    graph = flow_graph(bp)
    phases = {p.id: p for p in bp.phases}
    splits: dict[str | None, _Split] = {}
    for step in bp.steps:
        key = step.phase if step.phase in phases else None
        splits.setdefault(key, _Split()).add(step, step_time(step, graph))
    order = [p.id for p in bp.phases if p.id in splits] + ([None] if None in splits else [])
    return [
        PhaseTime(phases.get(key) if key else None, splits[key].steps, splits[key].longest)
        for key in order
    ]


@dataclass(frozen=True, slots=True)
class SegmentTime:
    segment: str  # the segment's title (its id when it is not declared)
    seconds: float


def segment_times(bp: Blueprint) -> list[SegmentTime]:
    """The whole journey's critical path for each segment: the steps for all, plus that
    segment's own; declared segments first. Empty when no step names a segment (then
    every segment takes the same path)."""
    graph = flow_graph(bp)
    titles = {s.id: s.title for s in bp.segments}
    split = _Split()
    for step in bp.steps:
        split.add(step, step_time(step, graph))
    if not split.own:
        return []
    every = [*titles, *(s for s in split.own if s not in titles)]  # declared first
    return [SegmentTime(titles.get(s, s), split.common + split.own.get(s, 0.0)) for s in every]


def journey_time(bp: Blueprint) -> float:
    """The whole journey's expected time: the longest of its segments' critical paths."""
    graph = flow_graph(bp)
    split = _Split()
    for step in bp.steps:
        split.add(step, step_time(step, graph))
    return split.longest


# ---------------------------------------------------------------------------- registers


@dataclass(frozen=True, slots=True)
class FailPointRow:
    """One line of the fail-point register."""

    blueprint: str  # the file
    marker: str  # F1, F2 ... as in the diagram of its blueprint
    step_index: int
    step: Step
    action: Action
    fail_point: FailPoint
    actor: str | None  # the actor's title
    draft: bool = False  # the file has errors: its register holds what validates
    line: int | None = None  # where the fail point is written (where lint points at it)
    #: unique in the run: the marker, after the file's name in a run of several files
    #: (``hotel#F5``); see ``label_rows``
    label: str = ""

    @property
    def risk(self) -> int | None:
        return self.fail_point.risk


def register(
    bp: Blueprint, name: str, draft: bool = False, positions: SourceMap | None = None
) -> list[FailPointRow]:
    """The fail points of one blueprint, labelled with their markers (F1, F2 ...); with
    ``positions`` (the file's source map), each with its line."""
    actors = {a.id: a.title for a in bp.actors}
    index = {s.id: i for i, s in enumerate(bp.steps)}
    return [
        FailPointRow(
            name,
            m.label,
            index[m.step.id],
            m.step,
            m.action,
            m.fail_point,
            actors.get(m.action.actor or "", m.action.actor),
            draft,
            positions.value(m.fail_point.path).line if positions is not None else None,
            m.label,
        )
        for m in markers(bp)
        if m.fail_point is not None
    ]


#: Between a file's name and a marker in a label unique across files (``hotel#F5``).
LABEL_SEPARATOR = "#"


def file_prefixes(files: list[str]) -> dict[str, str]:
    """The shortest name that tells each file from the others of the run: its name
    without its suffix (``hotel``), or as many folders above it as it takes
    (``published/hotel`` beside ``examples/hotel``); the whole name when even that is
    shared (``hotel.yaml`` and ``hotel.yml``)."""
    parts = {f: tuple(re.split(r"[/\\]", re.sub(r"\.[^./\\]+$", "", f))) for f in files}
    prefixes: dict[str, str] = {}
    for f, own in parts.items():
        others = [p for o, p in parts.items() if o != f]
        for k in range(1, len(own) + 1):
            if all(p[-k:] != own[-k:] for p in others):
                prefixes[f] = "/".join(own[-k:])
                break
        else:
            prefixes[f] = f
    return prefixes


def label_rows(rows: list[FailPointRow], files: list[str]) -> list[FailPointRow]:
    """Labels unique across the ``files`` of a run: the marker alone for one file (as in
    its diagram), else after the shortest name that tells the file from the others
    (``hotel#F5``, ``garage#F5``). They depend on the files of the run only, not on
    which rows a filter keeps, so the same fail point has the same label in every view
    of that run."""
    if len(set(files)) <= 1:
        return [r if r.label == r.marker else replace(r, label=r.marker) for r in rows]
    prefixes = file_prefixes(sorted(set(files)))
    return [
        replace(r, label=f"{prefixes.get(r.blueprint, r.blueprint)}{LABEL_SEPARATOR}{r.marker}")
        for r in rows
    ]


SORTS = ("risk", "severity", "step")


def sort_register(rows: list[FailPointRow], by: str = "risk") -> list[FailPointRow]:
    """Highest first for risk and severity (unscored last), journey order for step; ties
    in file, then journey, order, so the result is the same on every run."""

    def journey(r: FailPointRow) -> tuple[str, int, int]:
        return (r.blueprint, r.step_index, int(r.marker[1:]))

    if by == "risk":
        return sorted(rows, key=lambda r: (-(r.risk or -1), *journey(r)))
    if by == "severity":
        return sorted(rows, key=lambda r: (-(r.fail_point.severity or -1), *journey(r)))
    return sorted(rows, key=journey)
