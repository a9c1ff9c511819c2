"""The optional rows of the grid (``render --rows``): emotion, metrics, regulations.

Nielsen Norman Group's secondary elements, drawn inside the grid so that they line up
with the steps: the emotion row above the physical-evidence lane (a curve of how the
customer, and the staff, feel at each step), the metrics and regulations rows below the
support lane (tags in each step's column). Pure data, like the layout: each row's
content per column and its height; ``layout`` places the rows, ``dot`` draws them.

A row asked for that has nothing to show for any step is still drawn, with a note
("no emotion written"): the picture says why it is empty, and pictures of several
blueprints drawn with the same ``--rows`` keep the same rows.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from blueprint_cli.model import Blueprint, Metric, Step
from blueprint_cli.render.layout import (
    BOX_W,
    LANE_TITLE_W,
    SMALL_FONT,
    Strip,
    wrap,
)
from blueprint_cli.text import quote

EMOTION = "emotion"
METRICS = "metrics"
REGULATIONS = "regulations"
#: every row there is, in the order they are drawn (emotion above the lanes)
ROWS = (EMOTION, METRICS, REGULATIONS)
TITLES = {EMOTION: "Emotion", METRICS: "Metrics", REGULATIONS: "Regulations"}
EMPTY = {
    EMOTION: "no emotion written",
    METRICS: "no metrics written",
    REGULATIONS: "no action names a regulation",
}

LEVEL = 13.0  # points between two feelings (-2 .. +2)
EMOTION_PAD = 16.0
TAG_W = BOX_W
TAG_LINE_H = 10.0
TAG_PAD = 8.0
TAG_GAP = 5.0
ROW_PAD = 10.0
MIN_ROW_H = 40.0
#: a regulation's title longer than this many lines in its tag is shown by its id
TITLE_LINES = 2


def parse_rows(values: list[str] | tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """``--rows emotion,metrics`` (repeatable, comma lists) -> the rows in drawing order,
    and one message for each name that is no row, with the closest as a suggestion."""
    wanted: set[str] = set()
    errors: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name in ROWS:
                wanted.add(name)
                continue
            close = difflib.get_close_matches(name, ROWS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            errors.append(f"--rows: no row {quote(name)} ({hint}rows: {', '.join(ROWS)})")
    return tuple(r for r in ROWS if r in wanted), errors


def signed(value: int) -> str:
    """A feeling as written on the curve: ``+1``, ``0``, ``−2``."""
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"


def number(value: float) -> str:
    return f"{value:g}"


def figures(metric: Metric) -> str:
    """``78 → 90 % ↑``: the baseline, the target, the unit and which way is better."""
    base = number(metric.baseline) if metric.baseline is not None else "?"
    parts = []
    if metric.baseline is not None or metric.target is not None:
        target = number(metric.target) if metric.target is not None else "?"
        parts.append(f"{base} → {target}")
    if metric.unit:
        parts.append(metric.unit)
    if metric.direction is not None:
        parts.append("↑" if metric.direction == "up" else "↓")
    return " ".join(parts)


@dataclass(slots=True)
class Tag:
    """A tag in a column of the metrics or regulations row."""

    key: str
    title: list[str]  # wrapped, drawn bold
    lines: list[str]  # wrapped, drawn under the title
    tooltip: str
    height: float = 0.0


@dataclass(slots=True)
class Point:
    """A feeling at a step: who feels it, the column and the value."""

    who: str  # customer or staff
    col: int
    step: Step
    value: int
    lowest: bool = False


@dataclass(slots=True)
class RowPlan:
    """One optional row: its place (``strip``, set by the layout) and its content."""

    name: str
    strip: Strip
    note: str = ""  # "no emotion written": the row is empty
    side: list[str] = field(default_factory=list)  # under the title: blueprint-wide items
    tags: dict[int, list[Tag]] = field(default_factory=dict)  # per column
    points: list[Point] = field(default_factory=list)
    staff: bool = False  # any staff feeling written: a second, dashed curve

    def y_of(self, value: int) -> float:
        """The height of a feeling in the emotion row (y grows downwards)."""
        middle = (self.strip.top + self.strip.bottom) / 2
        return middle - value * LEVEL

    def runs(self, who: str) -> list[list[Point]]:
        """The points of one curve in runs of neighbouring columns: a step without a
        feeling is a gap in the curve, not a zero."""
        runs: list[list[Point]] = []
        for p in (p for p in self.points if p.who == who):
            if runs and runs[-1][-1].col == p.col - 1:
                runs[-1].append(p)
            else:
                runs.append([p])
        return runs


def plan_rows(
    bp: Blueprint, names: tuple[str, ...], whole: Blueprint | None = None
) -> list[RowPlan]:
    """The rows asked for, in drawing order, with their content and height; ``whole`` is
    the blueprint ``bp`` is a part of (a row of ``--wrap``), whose steps say which of its
    metrics no step names (those are listed under the row's title)."""
    plans = []
    for name in ROWS:
        if name not in names:
            continue
        if name == EMOTION:
            plans.append(_emotion(bp))
        elif name == METRICS:
            plans.append(_metrics(bp, whole or bp))
        else:
            plans.append(_regulations(bp))
    return plans


def _emotion(bp: Blueprint) -> RowPlan:
    plan = RowPlan(EMOTION, Strip(EMOTION, TITLES[EMOTION], True, 4 * LEVEL + 2 * EMOTION_PAD))
    for col, step in enumerate(bp.steps):
        feeling = step.emotion
        if feeling is None:
            continue
        for who in ("customer", "staff"):
            value = getattr(feeling, who)
            if value is not None:
                plan.points.append(Point(who, col, step, value))
    plan.points.sort(key=lambda p: (p.who != "customer", p.col))
    plan.staff = any(p.who == "staff" for p in plan.points)
    for who in ("customer", "staff"):
        values = [p.value for p in plan.points if p.who == who]
        if values and min(values) < max(values):  # a flat curve has no low point
            for p in plan.points:
                if p.who == who and p.value == min(values):
                    p.lowest = True
    if not plan.points:
        plan.note = EMPTY[EMOTION]
    return plan


def _tags_height(tags: list[Tag]) -> float:
    return sum(t.height for t in tags) + TAG_GAP * max(len(tags) - 1, 0)


def _tag(key: str, title: str, lines: list[str], tooltip: str) -> Tag:
    wrapped = wrap(title, TAG_W - 12, SMALL_FONT, 4)
    body = [w for line in lines for w in wrap(line, TAG_W - 12, SMALL_FONT, 3)]
    height = (len(wrapped) + len(body)) * TAG_LINE_H + TAG_PAD
    return Tag(key, wrapped, body, tooltip, height)


def _finish(plan: RowPlan) -> RowPlan:
    tallest = max((_tags_height(t) for t in plan.tags.values()), default=0.0)
    side = len(plan.side) * TAG_LINE_H + (2 * 14 if plan.side else 0) + 26
    plan.strip.height = max(MIN_ROW_H, tallest + 2 * ROW_PAD, side)
    if not plan.tags and not plan.side:
        plan.note = EMPTY[plan.name]
    return plan


def _metrics(bp: Blueprint, whole: Blueprint) -> RowPlan:
    plan = RowPlan(METRICS, Strip(METRICS, TITLES[METRICS], False, MIN_ROW_H))
    declared = {m.id: m for m in bp.metrics}
    named = {item.id for step in whole.steps for item in step.metrics if item.refers}
    for col, step in enumerate(bp.steps):
        tags = []
        for i, item in enumerate(step.metrics):
            metric: Metric = item
            if item.refers:
                metric = declared.get(item.id, item)
            title = metric.title or metric.id
            shown = figures(metric)
            tip = f"{title}: {shown}" if shown else title
            if metric.description:
                tip += f"\n{metric.description}"
            tags.append(_tag(f"metric:{step.id}:{i}", title, [shown] if shown else [], tip))
        if tags:
            plan.tags[col] = tags
    for metric in bp.metrics:
        if metric.id not in named:
            shown = figures(metric)
            text = f"{metric.title}: {shown}" if shown else metric.title
            plan.side += wrap(text, LANE_TITLE_W - 14, SMALL_FONT, 3)
    if plan.side:
        plan.side.insert(0, "Whole service:")
    return _finish(plan)


def _regulations(bp: Blueprint) -> RowPlan:
    plan = RowPlan(REGULATIONS, Strip(REGULATIONS, TITLES[REGULATIONS], False, MIN_ROW_H))
    declared = {r.id: r for r in bp.regulations}
    for col, step in enumerate(bp.steps):
        bound: dict[str, list[str]] = {}
        for action in step.actions():
            for rid in dict.fromkeys(action.regulations):
                bound.setdefault(rid, []).append(action.text)
        tags = []
        for rid, actions in bound.items():
            regulation = declared.get(rid)
            title = regulation.title if regulation is not None else rid
            if len(wrap(title, TAG_W - 12, SMALL_FONT)) > TITLE_LINES:
                title = rid
            tip = regulation.title if regulation is not None else rid
            if regulation is not None and regulation.source:
                tip += f"\nSource: {regulation.source}"
            tip += "\nBinds: " + "; ".join(actions)
            lines = [f"§ {a}" for a in actions]
            tags.append(_tag(f"reg:{step.id}:{rid}", title, lines, tip))
        if tags:
            plan.tags[col] = tags
    return _finish(plan)
