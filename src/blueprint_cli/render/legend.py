"""What the picture's marks mean, and the table of fail points and waits under the grid.

Pure data from the layout: which marks the picture holds (a key entry for each, and
only for those), how each badge is drawn (banded by risk, a wait over its standard,
a fail point without prevention or recovery), and the table's rows wrapped to the
page, with their heights, so that the DOT writer places every node exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from blueprint_cli.analysis import HIGH_RISK_RPN, HIGH_RISK_SEVERITY, Marker, is_high_risk
from blueprint_cli.model import Blueprint, format_duration
from blueprint_cli.render import changes as chg
from blueprint_cli.render import observed as obs
from blueprint_cli.render.layout import FONT, MARGIN, Box, Layout, badge_label, wrap

# how a badge is drawn: its kind picks the colours (theme) and the key's wording
FAIL_HIGH = "fail-high"
FAIL = "fail"
FAIL_UNSCORED = "fail-unscored"
WAIT_OVER = "wait-over"
WAIT = "wait"
MISSING = "missing"  # the "!" of a fail point without prevention or recovery
SEGMENT = "segment"
LINES = "lines"
FLOW = "flow"
FLAGGED = "flagged"
STUB = "stub"
CHANNEL = "channel"  # "via Phone" under a step's title, or in an action
EMOTION = "emotion"  # the optional rows (render --rows)
METRIC = "metric"
REGULATION = "regulation"

TABLE_MIN_W = 960.0
TABLE_MAX_W = 1800.0
CELL_FONT = FONT - 1
CELL_LINE_H = 11.5
CELL_PAD = 5.0
KEY_ROW_H = 18.0
KEY_COLUMNS = 3
ERROR_LINE_H = 12.0
GAP = 12.0
#: the table's columns: name, share of the width
COLUMNS = (
    ("", 0.0),
    ("Step", 0.13),
    ("Action", 0.15),
    ("What", 0.21),
    ("Figures", 0.13),
    ("Prevention", 0.19),
    ("Recovery", 0.19),
)
MARK_W = 30.0  # the first column: the badge
#: the shares of the columns after the badge with what visits observed (render
#: --visits): the figures, the blueprint's and the visits', get the most room
OBSERVED_SHARES = (0.11, 0.13, 0.17, 0.25, 0.17, 0.17)


@dataclass(frozen=True, slots=True)
class RiskBands:
    """The high-risk rule's thresholds (``high-risk-rpn``, ``high-risk-severity``)."""

    rpn: int = HIGH_RISK_RPN
    severity: int = HIGH_RISK_SEVERITY


def badge_kind(m: Marker, bands: RiskBands) -> str:
    fp = m.fail_point
    if fp is not None:
        if fp.risk is None and fp.severity is None:
            return FAIL_UNSCORED
        return FAIL_HIGH if is_high_risk(fp, bands.rpn, bands.severity) else FAIL
    return WAIT_OVER if m.over_by else WAIT


def key_text(kind: str, bands: RiskBands) -> str:
    if kind in obs.KINDS:
        return obs.key_text(kind)
    if kind in chg.KINDS:
        return chg.key_text(kind)
    return {
        FAIL_HIGH: f"high-risk fail point (risk ≥ {bands.rpn} or severity ≥ {bands.severity})",
        FAIL: "fail point: risk = severity × occurrence × detection",
        FAIL_UNSCORED: "fail point, not scored",
        MISSING: "no prevention or no recovery planned",
        WAIT_OVER: "wait expected longer than its standard",
        WAIT: "wait within its standard: expected / max",
        SEGMENT: "a step for some segments only: alternatives, a customer takes one",
        LINES: "dashed lines: interaction, visibility, internal interaction",
        FLOW: "arrow: what leads to what; customer actions in journey order",
        FLAGGED: "flow a review rule flags (blueprint lint says why)",
        STUB: "flow to or from a step outside this view",
        CHANNEL: "channel: the step's under its title; an action's when it is another",
        EMOTION: "feeling, −2 to +2: the customer's solid, the staff's dashed; ringed: lowest",
        METRIC: "metric: baseline → target unit, ↑ or ↓ the way that is better",
        REGULATION: "regulation: § the actions it binds",
    }[kind]


KEY_ORDER = (
    FAIL_HIGH,
    FAIL,
    FAIL_UNSCORED,
    MISSING,
    WAIT_OVER,
    WAIT,
    SEGMENT,
    CHANNEL,
    FLOW,
    FLAGGED,
    STUB,
    LINES,
    EMOTION,
    METRIC,
    REGULATION,
    *obs.KINDS,
    *chg.KINDS,
)


def marker_figures(m: Marker) -> str:
    """``risk 96 (8×3×4)`` for a fail point; for a wait ``2m / max 5m``, ``3m / max 15m
    (standard)`` when the max is the blueprint's, and ``20m / max 15m, over by 5m``: the
    standard is ``wait_standard``'s, as lint and show judge it."""
    if m.fail_point is not None:
        fp = m.fail_point
        if fp.risk is None:
            scores = [
                f"{name} {value}"
                for name, value in (
                    ("severity", fp.severity),
                    ("occurrence", fp.occurrence),
                    ("detection", fp.detection),
                )
                if value is not None
            ]
            return "unscored" + (f" ({', '.join(scores)})" if scores else "")
        return f"risk {fp.risk} ({fp.severity}×{fp.occurrence}×{fp.detection})"
    wait = m.wait
    if wait is None:
        return ""
    expected = format_duration(wait.expected) if wait.expected is not None else "?"
    if m.standard is None:
        return f"{expected} / no max"
    limit = f"max {format_duration(m.standard)}"
    if m.standard_segment is not None:
        limit += f" ({m.standard_segment.title})"  # whose standard: the strictest in view
    elif m.standard_is_default:
        limit += " (standard)"
    over = m.over_by
    return f"{expected} / {limit}" + (f", over by {format_duration(over)}" if over else "")


def marker_text(m: Marker) -> str:
    """A marker in words, for tooltips."""
    if m.fail_point is not None:
        fp = m.fail_point
        lines = [f"{m.label}: {fp.text} — {marker_figures(m)}"]
        lines.append(f"Prevention: {fp.prevention or 'none planned'}")
        lines.append(f"Recovery: {fp.recovery or 'none planned'}")
        return "\n".join(lines)
    text = m.wait.text if m.wait is not None and m.wait.text else "wait"
    return f"{m.label}: {text} — {marker_figures(m)}"


@dataclass(slots=True)
class Row:
    marker: Marker
    kind: str
    label: str  # F3 or F3!
    cells: list[list[str]]  # per column after the badge: its lines
    height: float


@dataclass(slots=True)
class Legend:
    """The key, the table and a draft's errors, placed from ``top`` down."""

    top: float
    width: float
    widths: list[float]  # of the table's columns, the badge's first
    key: list[str]  # kinds present, in KEY_ORDER
    key_h: float
    rows: list[Row]
    header_h: float
    errors: list[list[str]]  # each error, wrapped
    errors_h: float
    bands: RiskBands = field(default_factory=RiskBands)
    #: under the table, what audit visits found that the blueprint lacks (render
    #: --visits): each line, wrapped
    notes: list[list[str]] = field(default_factory=list)
    notes_h: float = 0.0

    @property
    def table_top(self) -> float:
        return self.top + self.key_h + GAP

    @property
    def notes_top(self) -> float:
        return self.table_top + self.table_h + (GAP if self.rows else 0.0)

    @property
    def errors_top(self) -> float:
        return self.notes_top + (self.notes_h + GAP if self.notes else 0.0)

    @property
    def table_h(self) -> float:
        if not self.rows:
            return 0.0
        return self.header_h + sum(r.height + 1 for r in self.rows) + 2

    @property
    def height(self) -> float:
        errors = self.errors_h + GAP if self.errors else 0.0
        notes = self.notes_h + GAP if self.notes else 0.0
        return self.key_h + GAP + self.table_h + (GAP if self.rows else 0.0) + notes + errors


def table_width(lay: Layout) -> float:
    return max(TABLE_MIN_W, min(lay.width - 2 * MARGIN, TABLE_MAX_W))


def plan_legend(
    lay: Layout,
    top: float,
    present: set[str],
    bands: RiskBands,
    errors: list[str],
    with_table: bool = True,
    observed: obs.Overlay | None = None,
    extra_notes: list[str] | None = None,
) -> Legend:
    """The legend for the marks ``present`` (beside the badges, found here) and the rows;
    with what audit visits ``observed``, their figures in the rows and the unplanned
    fail points under them."""
    width = table_width(lay)
    rest = width - MARK_W
    shares = OBSERVED_SHARES if observed else [share for _, share in COLUMNS[1:]]
    widths = [MARK_W, *(rest * share for share in shares)]
    kinds = set(present)
    rows: list[Row] = []
    for m in lay.markers:
        kind = badge_kind(m, bands)
        kinds.add(kind)
        label = badge_label(m)
        if label.endswith("!"):
            kinds.add(MISSING)
        if not with_table:
            continue
        fp = m.fail_point
        values = [
            m.step.title,
            m.action.text,
            (fp.text if fp is not None else (m.wait.text if m.wait else "")) or "",
            marker_figures(m),
            (fp.prevention or "none planned") if fp is not None else "",
            (fp.recovery or "none planned") if fp is not None else "",
        ]
        seen = observed_figures(m, observed)
        cells = [wrap(v, w - 8, CELL_FONT) for v, w in zip(values, widths[1:], strict=True)]
        for i, texts in seen.items():  # below what the blueprint says, lines of their own
            for text in texts:
                cells[i] += wrap(text, widths[i + 1] - 8, CELL_FONT)
        lines = max(len(c) for c in cells)
        rows.append(Row(m, kind, label, cells, lines * CELL_LINE_H + CELL_PAD))
    key = [k for k in KEY_ORDER if k in kinds] if with_table else []
    key_rows = -(-len(key) // KEY_COLUMNS)
    said = observed.notes if observed else (extra_notes or [])
    notes = [wrap(n, width - 8, CELL_FONT) for n in said]
    notes = notes if with_table else []
    wrapped = [wrap(e, width - 8, CELL_FONT) for e in errors]
    errors_h = (1 + sum(len(w) for w in wrapped)) * ERROR_LINE_H + 6 if errors else 0.0
    return Legend(
        top=top,
        width=width,
        widths=widths,
        key=key,
        key_h=key_rows * (KEY_ROW_H + 1) + 3 if key else 0.0,
        rows=rows,
        header_h=CELL_LINE_H + CELL_PAD + 1,
        errors=wrapped,
        errors_h=errors_h,
        bands=bands,
        notes=notes,
        notes_h=(1 + sum(len(n) for n in notes)) * ERROR_LINE_H + 6 if notes else 0.0,
    )


def observed_figures(m: Marker, observed: obs.Overlay | None) -> dict[int, list[str]]:
    """What the visits observed of a marker, its lines by the table's column after the
    badge (3: figures, 5: recovery)."""
    if observed is None:
        return {}
    if m.fail_point is not None:
        out = {3: observed.fail_figures(m.fail_point.id)}
        recovery = observed.recovery(m.fail_point.id)
        if recovery:
            out[5] = [recovery]
        return out
    return {3: observed.wait_figures(m.action.id)}


def action_details(bp: Blueprint, box: Box, marker: Callable[[Marker], str]) -> list[str]:
    """What an action's tooltip says under its text, in every drawing (the SVG, draw.io):
    owner, channel, regulations, standard time, script, note, and each badge."""
    a = box.action
    assert a is not None
    parts = []
    if box.actor:
        parts.append(f"Owner: {' '.join(box.actor)}")
    if box.channel:
        parts.append(f"Channel: {' '.join(box.channel).removeprefix('via ')}")
    if a.regulations:
        names = {r.id: r.title for r in bp.regulations}
        parts.append("Bound by: " + "; ".join(names.get(r, r) for r in a.regulations))
    if a.duration is not None:
        parts.append(f"Standard time: {format_duration(a.duration)}")
    if a.script:
        parts.append(f"Script: {a.script}")
    if a.note:
        parts.append(f"Note: {a.note}")
    parts.extend(marker(m) for m in box.badges)
    return parts
