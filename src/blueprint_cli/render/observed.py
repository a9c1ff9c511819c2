"""What audit visits observed, drawn over the blueprint (``render --visits``).

The figures are the audit's (``analysis.audit.Tally``), never recomputed here: this
module only words and bands them for the picture.

- Each step's header carries its observed compliance, the weighted share of its checks
  passed, in one of four bands: **≥ 90 %** (good), **≥ 75 %** (fair), **< 75 %** (poor),
  and **not observed** (grey: no visit made a check there). The band is the one of the
  figure as printed, rounded to a tenth of a per cent.
- Each wait's row in the table gives the observed median, p90 and share within the
  standard (per segment when the visits were of several), beside the standard.
- Each fail point that occurred on some visit has its badge ringed; its row says on how
  many of the visits that observed it it occurred, and how often it was recovered.
- What the visits found wrong that the blueprint does not foresee is listed under the
  table: a fail point to add.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.analysis.audit import FailPointFigures, Tally, WaitFigures
from blueprint_cli.model import Blueprint, format_duration

# the marks of the overlay (kinds of the key, beside render/legend.py's)
OBS_GOOD = "observed-good"
OBS_FAIR = "observed-fair"
OBS_POOR = "observed-poor"
OBS_NONE = "observed-none"
OCCURRED = "occurred"  # a fail point's badge, ringed

#: (lowest per cent, band), best first: a step's compliance is in the first band it reaches
BANDS: tuple[tuple[float, str], ...] = ((90.0, OBS_GOOD), (75.0, OBS_FAIR), (0.0, OBS_POOR))
KINDS = (OBS_GOOD, OBS_FAIR, OBS_POOR, OBS_NONE, OCCURRED)

#: how much taller the step headers are with the compliance of each step
HEADER_EXTRA = 19.0


def key_text(kind: str) -> str:
    low = {band: lowest for lowest, band in BANDS}
    return {
        OBS_GOOD: f"observed compliance ≥ {low[OBS_GOOD]:g} %: share of the step's checks passed",
        OBS_FAIR: f"observed compliance ≥ {low[OBS_FAIR]:g} % and < {low[OBS_GOOD]:g} %",
        OBS_POOR: f"observed compliance < {low[OBS_FAIR]:g} %",
        OBS_NONE: "step not observed on any visit: in no figure",
        OCCURRED: "ringed: the fail point occurred on some visit (table: how often)",
    }[kind]


def percent(value: float) -> str:
    """``65.4 %``, ``100 %``: a tenth of a per cent, without a trailing ``.0``; the space
    before the sign does not break (the table wraps no figure)."""
    return f"{round(value, 1):g}\u00a0%"


def band(value: float | None) -> str:
    if value is None:
        return OBS_NONE
    shown = round(value, 1)
    return next(kind for lowest, kind in BANDS if shown >= lowest)


def _visits(n: int) -> str:
    return f"{n:,} visit{'s' * (n != 1)}"


@dataclass(frozen=True, slots=True)
class StepFigure:
    kind: str  # a band
    text: str  # in the header: "65.4 % compliant", "not observed"
    tip: str


@dataclass(frozen=True, slots=True)
class Overlay:
    """The audit's figures for one view of the blueprint, in words."""

    visits: int
    title: str  # "as observed on 3 visits, 2026-01-10 – 2026-02-05"
    steps: dict[str, StepFigure]
    #: action id -> its lines: one, or "observed:" and one per segment
    waits: dict[str, list[str]] = field(default_factory=dict)
    fail_points: dict[str, FailPointFigures] = field(default_factory=dict)
    unplanned: list[str] = field(default_factory=list)  # one line each

    def step(self, step_id: str) -> StepFigure:
        return self.steps[step_id]

    def occurred(self, fp_id: str) -> bool:
        figures = self.fail_points.get(fp_id)
        return figures is not None and figures.occurred > 0

    def fail_figures(self, fp_id: str) -> list[str]:
        """``observed: occurred on 1 of 2 visits (50 %)``, ``detected 1 of 1``."""
        f = self.fail_points.get(fp_id)
        if f is None or not f.observed:
            return ["observed: not on any visit"]
        text = f"observed: occurred on {f.occurred} of {_visits(f.observed)}"
        if f.occurred:
            text += f" ({percent(100 * f.occurred / f.observed)})"
        lines = [text]
        if f.detection_said:
            lines.append(f"detected by staff {f.detected} of {f.detection_said}")
        return lines

    def recovery(self, fp_id: str) -> str:
        """``recovered 0 of 1 (0 %)``: the recovery rate, recovered over occurred."""
        f = self.fail_points.get(fp_id)
        if f is None or not f.recovery_said:
            return ""
        assert f.recovery_rate is not None
        rate = percent(100 * f.recovery_rate)
        return f"observed: recovered {f.recovered} of {f.recovery_said} ({rate})"

    def wait_figures(self, action_id: str) -> list[str]:
        return self.waits.get(action_id) or ["observed: no wait timed"]

    @property
    def notes(self) -> list[str]:
        """The lines under the table: the unplanned fail points."""
        return self.unplanned


def _wait_line(w: WaitFigures, who: str | None) -> str:
    assert w.median is not None and w.share_within is not None
    p90 = w.quantile(0.9)
    assert p90 is not None
    head = f"{who}: median" if who else "observed median"
    text = f"{head} {format_duration(w.median)}, p90 {format_duration(p90)}"
    if w.standard is not None:
        text += f", {percent(w.share_within)} within {format_duration(w.standard)}"
    return f"{text} ({_visits(w.n)})"


def overlay(tally: Tally, view: Blueprint) -> Overlay:
    """The figures of ``tally`` for the steps of ``view`` (the blueprint, or what a
    filter keeps of it), in words."""
    by_step = tally.by.get("step", {})
    steps: dict[str, StepFigure] = {}
    for step in view.steps:
        share = by_step.get(step.id)
        value = share.percent if share is not None else None
        if share is None or value is None:
            tip = f"{step.title}: not observed on any of the {_visits(tally.visit_count)}"
            steps[step.id] = StepFigure(OBS_NONE, "not observed", tip)
            continue
        checks = f"{share.checks:,} check{'s' * (share.checks != 1)}"
        tip = (
            f"{step.title}: {percent(value)} of its checks passed "
            f"({share.points:g} of {share.possible:g} points, {checks}, {share.missed:,} "
            f"not fully passed) over {_visits(tally.visit_count)}"
        )
        steps[step.id] = StepFigure(band(value), f"{percent(value)} compliant", tip)
    segments = {s.id: s.title for s in tally.blueprint.segments}
    order = {s.id: i for i, s in enumerate(tally.blueprint.segments)}
    keys = sorted(tally.waits, key=lambda k: (k[0], order.get(k[1] or "", len(order))))
    by_action: dict[str, list[tuple[str | None, WaitFigures]]] = {}
    for action_id, segment in keys:
        figures = tally.waits[action_id, segment]
        if figures.n:
            by_action.setdefault(action_id, []).append((segment, figures))
    waits: dict[str, list[str]] = {}
    for action_id, found in by_action.items():
        if len(found) == 1 and found[0][0] is None:
            waits[action_id] = [_wait_line(found[0][1], None)]
            continue
        lines = ["observed:"]
        for segment, figures in found:
            who = segments.get(segment, segment) if segment else "no segment"
            lines.append(_wait_line(figures, who))
        waits[action_id] = lines
    titles = {s.id: s.title for s in view.steps}
    unplanned = []
    for item in tally.unplanned.values():
        if item.step not in titles:
            continue
        line = f"Not in the blueprint: {item.text} — at {titles[item.step]}, {_visits(item.count)}"
        if item.severity is not None:
            line += f", severity {item.severity}"
        unplanned.append(line)
    dates = sorted(tally.by_date)
    when = ""
    if dates:
        when = f", {dates[0]}" if dates[0] == dates[-1] else f", {dates[0]} – {dates[-1]}"
    return Overlay(
        visits=tally.visit_count,
        title=f"as observed on {_visits(tally.visit_count)}{when}",
        steps=steps,
        waits=waits,
        fail_points=dict(tally.fail_points),
        unplanned=unplanned,
    )
