"""`blueprint show`: what a service is and where it is weak, as data — then as plain text
or JSON. The rich terminal view is in terminal.py; every figure comes from analysis.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from blueprint_cli.analysis import (
    EmotionCurve,
    Marker,
    MetricRow,
    RegulationRow,
    SegmentSummary,
    StepFeeling,
    emotion_curve,
    evidence_coverage,
    journey_time,
    markers,
    metric_rows,
    phase_times,
    register,
    regulation_bindings,
    segment_summaries,
    segment_times,
    sort_register,
)
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model import ACTION_LANES, Blueprint, format_duration
from blueprint_cli.text import json_safe, one_line

TOP_FINDINGS = 5
JOURNEY_ROWS = 100  # the table and text views list this many steps; JSON lists all
TEXT_MAX = 300  # characters of one user text in the table and text views


@dataclass(frozen=True, slots=True)
class JourneyRow:
    number: int
    phase: str
    step: str
    lanes: dict[str, list[str]]  # lane -> action texts
    evidence: list[str]
    marks: list[str]  # F1, W2 ...


@dataclass(frozen=True, slots=True)
class ShowReport:
    file: str
    title: str
    description: str
    segments: list[str]
    steps_per_phase: list[tuple[str, int]]
    actions_per_lane: list[tuple[str, int]]
    actors: list[str]
    journey: list[JourneyRow]
    coverage: tuple[int, int]  # customer steps with evidence, all customer steps
    without_evidence: list[str]
    fail_points: list[dict[str, Any]]
    waits: list[dict[str, Any]]
    times: list[tuple[str, int, float]]  # phase, steps, seconds
    #: per segment, when steps name segments: the critical path of that segment's journey
    segment_times: list[tuple[str, float]]
    total_seconds: float  # the longest segment's journey: alternatives are never added up
    counts: dict[str, int]
    top_findings: list[Finding]  # the most important (``by_importance``), at most TOP_FINDINGS
    more_findings: int  # how many more there are
    #: what a view of some segments shows (``segment Business traveller: 9 of 9 steps``)
    scope: str = ""
    #: each segment in view: its standards, steps, time and waits over standard
    segment_view: list[SegmentSummary] = field(default_factory=list)
    emotion: EmotionCurve | None = None
    metrics: list[MetricRow] = field(default_factory=list)
    regulations: list[RegulationRow] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The title, as a draft's when the file has errors (what validates is shown)."""
        errors = self.counts.get("error", 0)
        if not errors:
            return self.title
        return f"Draft — {errors} error{'s' if errors != 1 else ''}: {self.title}"


def build_report(
    name: str, bp: Blueprint, findings: list[Finding], segments: Sequence[str] = ()
) -> ShowReport:
    """What ``show`` shows of ``bp``; with ``segments``, the steps for those segments
    only, their waits held to those segments' standards (F/W labels and step numbers
    stay those of the whole blueprint)."""
    if segments:
        wanted = set(segments)
        kept = [s for s in bp.steps if not s.segments or wanted.intersection(s.segments)]
        view = bp.model_copy(update={"steps": kept})
    else:
        view = bp
    in_view = {s.id for s in view.steps}
    marks = [m for m in markers(bp, segments or None) if m.step.id in in_view]
    by_action: dict[str, list[Marker]] = {}
    for m in marks:
        by_action.setdefault(m.action.id, []).append(m)
    phases = {p.id: p.title for p in bp.phases}
    journey = []
    for i, step in enumerate(bp.steps, start=1):
        if step.id not in in_view:
            continue
        lanes = {lane: [a.text for a in step.lane(lane)] for lane in ACTION_LANES}
        step_marks = [m.label for a in step.actions() for m in by_action.get(a.id, [])]
        journey.append(
            JourneyRow(
                i,
                phases.get(step.phase or "", ""),
                step.title,
                lanes,
                [ev.text for ev in step.evidence],
                sorted(step_marks, key=lambda label: (label[0], int(label[1:]))),
            )
        )
    with_ev, without = evidence_coverage(view)
    ranked = [r for r in sort_register(register(bp, name)) if r.step.id in in_view]
    fail_points = [
        {
            "label": r.label,
            "step": r.step.title,
            "action": r.action.text,
            "actor": r.actor,
            "text": r.fail_point.text,
            "severity": r.fail_point.severity,
            "occurrence": r.fail_point.occurrence,
            "detection": r.fail_point.detection,
            "risk": r.risk,
            "prevention": r.fail_point.prevention,
            "recovery": r.fail_point.recovery,
        }
        for r in ranked
    ]
    waits = []
    for m in marks:
        if m.wait is None:
            continue
        standard = m.standard
        waits.append(
            {
                "label": m.label,
                "step": m.step.title,
                "action": m.action.text,
                "text": m.wait.text,
                "expected_s": m.wait.expected,
                "max_s": standard,
                "max_is_default": m.standard_is_default,  # standards.max_wait, not its own
                # the segment whose standard it is (the strictest of those in view)
                "max_segment": m.standard_segment.title if m.standard_segment else None,
                "over": m.wait.expected is not None
                and standard is not None
                and m.wait.expected > standard,
            }
        )
    times = [
        (t.phase.title if t.phase else "(no phase)", t.steps, t.seconds) for t in phase_times(view)
    ]
    per_phase = Counter(phases.get(s.phase or "", "(no phase)") for s in view.steps)
    ordered_phases = [p.title for p in bp.phases if p.title in per_phase]
    ordered_phases += [p for p in per_phase if p not in ordered_phases]
    titles = {g.id: g.title for g in bp.segments}
    shown_segments = {titles.get(g, g) for g in segments}
    scope = ""
    if segments:
        names = ", ".join(titles.get(g, g) for g in segments)
        plural = "s" if len(segments) > 1 else ""
        scope = f"segment{plural} {names}: {len(view.steps)} of {len(bp.steps)} steps"
    counts = Counter(f.severity.label for f in findings)
    top = by_importance(findings)[:TOP_FINDINGS]
    return ShowReport(
        file=name,
        title=bp.title or name,
        description=bp.description or "",
        segments=[s.title for s in bp.segments],
        steps_per_phase=[(p, per_phase[p]) for p in ordered_phases],
        actions_per_lane=[
            (bp.lanes.title(lane), len(list(_lane(view, lane)))) for lane in ACTION_LANES
        ],
        actors=[a.title for a in bp.actors],
        journey=journey,
        coverage=(len(with_ev), len(with_ev) + len(without)),
        without_evidence=[s.title for s in without],
        fail_points=fail_points,
        waits=waits,
        times=times,
        segment_times=[
            (t.segment, t.seconds)
            for t in segment_times(view)
            if not segments or t.segment in shown_segments
        ],
        total_seconds=journey_time(view),
        counts={s.label: counts.get(s.label, 0) for s in sorted(Severity, reverse=True)},
        top_findings=top,
        more_findings=len(findings) - len(top),
        scope=scope,
        segment_view=segment_summaries(bp, segments or None),
        emotion=emotion_curve(bp, in_view),
        metrics=metric_rows(view),
        regulations=[r for r in regulation_bindings(bp, in_view) if r.bindings or not segments],
    )


def by_importance(findings: list[Finding]) -> list[Finding]:
    """Most important first: by severity, then the rule's weight, then position."""
    from blueprint_cli.rules import RULES

    def weight(code: str) -> int:
        rule = RULES.get(code)
        return rule.weight if rule is not None else 5

    return sorted(findings, key=lambda f: (-f.severity, -weight(f.code), f.line, f.col, f.code))


def _lane(bp: Blueprint, lane: str) -> list[str]:
    return [a.id for s in bp.steps for a in s.lane(lane)]


def cut(text: object, limit: int = TEXT_MAX) -> str:
    """User text for one line of a view: at most ``limit`` characters, control characters
    and newlines visible (a title cannot start a line of its own)."""
    s = "" if text is None else str(text)
    return one_line(s if len(s) <= limit else s[: limit - 1] + "…")


def duration(seconds: float | None) -> str:
    return "-" if seconds is None else format_duration(seconds)


def segment_note(report: ShowReport) -> str:
    """`` (longest segment); by segment: Phone 1h10m, Online 1h`` — or nothing."""
    if len(report.segment_times) < 2:
        return ""  # one path: the total says it
    each = ", ".join(f"{g} {duration(s)}" for g, s in report.segment_times)
    return f" (the longest segment); by segment: {each}"


def max_text(wait: dict[str, Any]) -> str:
    """``15m (standard)`` when the wait is judged against ``standards.max_wait``, ``3m
    (Business traveller)`` when against a segment's."""
    if wait.get("max_segment"):
        return f"{duration(wait['max_s'])} ({wait['max_segment']})"
    return duration(wait["max_s"]) + (" (standard)" if wait["max_is_default"] else "")


# ---------------------------------------------------------------------------- journey texts


def tolerance_text(s: SegmentSummary) -> str:
    """``max wait 3m``, ``max wait: blueprint default 5m``, or ``no max wait``."""
    if s.max_wait is not None:
        return f"max wait {duration(s.max_wait)}"
    if s.default_max_wait is not None:
        return f"max wait: blueprint default {duration(s.default_max_wait)}"
    return "no max wait"


def over_text(s: SegmentSummary) -> str:
    """``W1 Queue at the front desk 4m > 3m (Check in)``, ``; ``-joined; or ``none``."""
    if not s.waits_over:
        return "none"
    return "; ".join(
        f"{m.label} {m.wait.text if m.wait and m.wait.text else 'wait'} "
        f"{duration(m.wait.expected if m.wait else None)} > {duration(m.standard)}"
        f" ({m.step.title})"
        for m in s.waits_over
    )


def steps_text(s: SegmentSummary) -> str:
    """``9 steps, own: Get the invoice`` or ``8 steps, none of its own``."""
    plural = "s" if s.steps != 1 else ""
    own = ", ".join(st.title for st in s.own_steps)
    return f"{s.steps} step{plural}, " + (f"own: {own}" if own else "none of its own")


def feeling(value: int | None) -> str:
    """``+1``, ``0``, ``-2``; ``·`` where nothing is written (a gap, not 0)."""
    if value is None:
        return "·"
    return f"+{value}" if value > 0 else str(value)


#: a sparkline's bar for each feeling, -2 to +2
SPARKS = {-2: "▁", -1: "▂", 0: "▄", 1: "▆", 2: "█"}


def spark(values: Sequence[int | None]) -> str:
    """One character per step: a bar as high as the feeling, ``·`` where none is written."""
    return "".join("·" if v is None else SPARKS[v] for v in values)


def lowest_text(points: Sequence[StepFeeling], who: str) -> str:
    """``Check in (-1), Check out and leave (-1)``."""
    return ", ".join(f"{p.step.title} ({feeling(getattr(p, who))})" for p in points)


def figure(value: float | None) -> str:
    """``78``, ``3.1``; ``?`` when not written."""
    return "?" if value is None else f"{value:g}"


def metric_figures(row: MetricRow) -> str:
    """``78 → 90 %``: baseline → target, and the unit."""
    m = row.metric
    unit = f" {m.unit}" if m.unit else ""
    return f"{figure(m.baseline)} → {figure(m.target)}{unit}"


def better_text(row: MetricRow) -> str:
    return {"up": "↑ better", "down": "↓ better"}.get(row.metric.direction or "", "")


#: what a metric's status says, where it says something (an open target says nothing)
STATUS_TEXT = {
    "met": "baseline already meets the target",
    "no target": "no target",
    "no baseline": "no baseline",
    "no direction": "no direction: which way is better?",
    "open": "",
}


def metric_flag(row: MetricRow) -> str:
    if not row.declared:
        return "not declared"
    return STATUS_TEXT[row.status]


def metric_where(row: MetricRow) -> str:
    """``blueprint; at Check out and leave, Give feedback`` or ``at Book the room``."""
    if row.step is not None:
        return f"at {row.step.title}"
    at = ", ".join(s.title for s in row.tracked_at)
    return "blueprint" + (f"; at {at}" if at else "")


def binding_text(b: Any) -> str:
    """``3. Check in / Register guest and issue key card (Front desk clerk)``."""
    return f"{b.number}. {b.step.title} / {b.action.text} ({b.owner or 'no owner'})"


def coverage_text(report: ShowReport) -> str:
    covered, total = report.coverage
    percent = f" ({100 * covered // total}%)" if total else ""
    return f"{covered}/{total} customer steps have physical evidence{percent}"


def to_json(report: ShowReport) -> dict[str, Any]:
    return {
        "version": 1,
        "file": report.file,
        "title": report.title,
        "draft": report.counts.get("error", 0) > 0,
        "description": report.description,
        "segments": report.segments,
        "steps_per_phase": [{"phase": p, "steps": n} for p, n in report.steps_per_phase],
        "actions_per_lane": [{"lane": lane, "actions": n} for lane, n in report.actions_per_lane],
        "actors": report.actors,
        "journey": [
            {
                "number": r.number,
                "phase": r.phase,
                "step": r.step,
                **r.lanes,
                "evidence": r.evidence,
                "marks": r.marks,
            }
            for r in report.journey
        ],
        "evidence_coverage": {
            "with_evidence": report.coverage[0],
            "customer_steps": report.coverage[1],
            "steps_without_evidence": report.without_evidence,
        },
        "fail_points": report.fail_points,
        "waits": report.waits,
        "time": {
            "phases": [{"phase": p, "steps": n, "seconds": s} for p, n, s in report.times],
            "segments": [{"segment": g, "seconds": s} for g, s in report.segment_times],
            "total_seconds": report.total_seconds,
        },
        **_journey_json(report),
        "lint": {
            **report.counts,
            "top": [
                {
                    "line": f.line,
                    "column": f.col,
                    "code": f.code,
                    "severity": f.severity.label,
                    "message": f.message,
                }
                for f in report.top_findings
            ],
            "more": report.more_findings,
        },
    }


def _journey_json(report: ShowReport) -> dict[str, Any]:
    """The scope, segments, emotion, metrics and regulations: each key left out when the
    blueprint has nothing for it."""
    out: dict[str, Any] = {}
    if report.scope:
        out["scope"] = report.scope
    if report.segment_view:
        out["segment_view"] = [
            {
                "id": s.segment.id,
                "title": s.segment.title,
                "max_wait_s": s.tolerated,
                "max_wait_is_default": s.max_wait is None and s.tolerated is not None,
                "steps": s.steps,
                "own_steps": [st.title for st in s.own_steps],
                "seconds": s.seconds,
                "waits_over": [
                    {
                        "label": m.label,
                        "step": m.step.title,
                        "text": m.wait.text if m.wait else None,
                        "expected_s": m.wait.expected if m.wait else None,
                        "max_s": m.standard,
                    }
                    for m in s.waits_over
                ],
            }
            for s in report.segment_view
        ]
    if report.emotion is not None:
        e = report.emotion

        def low(points: Sequence[StepFeeling], who: str) -> list[dict[str, Any]]:
            return [
                {"number": p.number, "step": p.step.title, "value": getattr(p, who)} for p in points
            ]

        out["emotion"] = {
            "steps": [
                {"number": p.number, "step": p.step.title, "customer": p.customer, "staff": p.staff}
                for p in e.points
            ],
            "lowest_customer": low(e.lowest_customer, "customer"),
            "lowest_staff": low(e.lowest_staff, "staff"),
        }
    if report.metrics:
        out["metrics"] = [
            {
                "id": r.metric.id,
                "title": r.title,
                "step": r.step.title if r.step else None,
                "tracked_at": [s.title for s in r.tracked_at],
                "unit": r.metric.unit,
                "baseline": r.metric.baseline,
                "target": r.metric.target,
                "direction": r.metric.direction,
                "status": r.status if r.declared else "not declared",
            }
            for r in report.metrics
        ]
    if report.regulations:
        out["regulations"] = [
            {
                "id": reg.regulation.id,
                "title": reg.regulation.title,
                "source": reg.regulation.source,
                "declared": reg.declared,
                "bindings": [
                    {
                        "number": b.number,
                        "step": b.step.title,
                        "action": b.action.text,
                        "owner": b.owner,
                        "evidence": list(b.evidence),
                    }
                    for b in reg.bindings
                ],
            }
            for reg in report.regulations
        ]
    return out


def journey_lines(report: ShowReport) -> list[str]:
    """The segments, emotion, metrics and regulations as plain lines; none for a
    blueprint that has nothing of them."""
    out: list[str] = []
    if report.segment_view:
        out.append("")
        out.append("Segments:")
        for s in report.segment_view:
            out.append(
                f"  {s.segment.title}: {tolerance_text(s)}; {steps_text(s)};"
                f" time {duration(s.seconds)}; over standard: {over_text(s)}"
            )
    e = report.emotion
    if e is not None:
        out.append("")
        out.append("Emotion by step (-2 to +2, · not written):")
        for who, lowest in (("customer", e.lowest_customer), ("staff", e.lowest_staff)):
            values = [getattr(p, who) for p in e.points]
            if all(v is None for v in values):
                continue
            steps = ", ".join(
                f"{p.number} {p.step.title} {feeling(getattr(p, who))}" for p in e.points
            )
            out.append(f"  {who}: {steps}")
            out.append(f"  {who} lowest: {lowest_text(lowest, who)}")
    if report.metrics:
        out.append("")
        out.append("Metrics (baseline → target):")
        for r in report.metrics:
            flag = metric_flag(r)
            better = better_text(r)
            out.append(
                f"  {r.title}: {metric_figures(r)}"
                + (f", {better}" if better else "")
                + f" ({metric_where(r)})"
                + (f" — {flag}" if flag else "")
            )
    if report.regulations:
        out.append("")
        out.append("Regulations:")
        for reg in report.regulations:
            source = f" ({reg.regulation.source})" if reg.regulation.source else ""
            undeclared = " (not declared)" if not reg.declared else ""
            out.append(f"  {reg.regulation.title}{source}{undeclared}:")
            for b in reg.bindings:
                out.append(f"    {binding_text(b)}")
            if not reg.bindings:
                out.append("    binds no action")
    return out


def plain_text(report: ShowReport) -> str:
    """The report as plain text: one fact per line, greps well, no escapes."""
    out = [cut(report.heading)]
    if report.scope:
        out.append(f"Showing {cut(report.scope)}")
    if report.description:
        out.append(cut(report.description))
    if report.segments:
        out.append("Segments: " + ", ".join(report.segments))
    out.append(
        "Steps: "
        + ", ".join(f"{p} {n}" for p, n in report.steps_per_phase)
        + f" (total {len(report.journey)})"
    )
    out.append("Actions: " + ", ".join(f"{lane} {n}" for lane, n in report.actions_per_lane))
    out.append(
        f"Actors: {len(report.actors)}"
        + (f" ({', '.join(report.actors)})" if report.actors else "")
    )
    out.append("")
    out.append("Journey:")
    for r in report.journey[:JOURNEY_ROWS]:
        parts = [f"{r.number}.", f"[{r.phase}]" if r.phase else "", r.step]
        for lane, texts in r.lanes.items():
            if texts:
                parts.append(f"| {lane}: {'; '.join(texts)}")
        parts.append(f"| evidence: {len(r.evidence)}")
        if r.marks:
            parts.append(f"| {' '.join(r.marks)}")
        out.append("  " + cut(" ".join(p for p in parts if p), 4 * TEXT_MAX))
    if len(report.journey) > JOURNEY_ROWS:
        out.append(
            f"  … {len(report.journey) - JOURNEY_ROWS:,} more steps (--format json lists all)"
        )
    out.append("")
    out.append("Evidence: " + coverage_text(report))
    for title in report.without_evidence:
        out.append(f"  no evidence: {title}")
    out.append("")
    out.append("Fail points by risk:")
    for fp in report.fail_points:
        risk = fp["risk"] if fp["risk"] is not None else "unscored"
        out.append(
            f"  {fp['label']} risk {risk}: {fp['text']} ({fp['step']} / {fp['action']})"
            f" prevention {'yes' if fp['prevention'] else 'MISSING'},"
            f" recovery {'yes' if fp['recovery'] else 'MISSING'}"
        )
    if not report.fail_points:
        out.append("  none")
    out.append("Waits:")
    for w in report.waits:
        flag = " OVER" if w["over"] else ""
        out.append(
            f"  {w['label']} {w['text'] or 'wait'}: {duration(w['expected_s'])} / max "
            f"{max_text(w)}{flag} ({w['step']})"
        )
    if not report.waits:
        out.append("  none")
    out.append(
        "Time (critical path): "
        + ", ".join(f"{p} {duration(s)}" for p, _, s in report.times)
        + f"; total {duration(report.total_seconds)}"
        + segment_note(report)
    )
    out.extend(journey_lines(report))
    out.append("")
    counts = report.counts
    out.append(
        f"Lint: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )
    for f in report.top_findings:
        out.append(f"  {f.line}:{f.col} {f.severity.label} {f.code} {f.message}")
    if report.more_findings:
        out.append(f"  … and {report.more_findings} more ({more_hint(report)})")
    return "\n".join(cut(line, 8 * TEXT_MAX) for line in out) + "\n"


def more_hint(report: ShowReport) -> str:
    return f"blueprint lint {report.file}"


def write_text(report: ShowReport, out: TextIO, *, color: bool) -> None:
    out.write(plain_text(report))


def write_json(report: ShowReport, out: TextIO, *, color: bool) -> None:
    import json

    out.write(json_safe(json.dumps(to_json(report), indent=2, ensure_ascii=False)) + "\n")


def write_table(report: ShowReport, out: TextIO, *, color: bool) -> None:
    from blueprint_cli.views.terminal import console, print_show

    print_show(report, console(out, color))


#: ``show --format NAME``: the writers, by name.
WRITERS: dict[str, Callable[..., None]] = {
    "table": write_table,
    "text": write_text,
    "json": write_json,
}
