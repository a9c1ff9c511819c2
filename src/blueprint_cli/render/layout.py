"""The grid: every box, band, header and separator placed in points, before Graphviz runs.

Pure geometry from the model: columns are steps, bands are the five lanes in their
fixed order, every box in a lane has the same height so that rows line up across
columns, and the gaps between columns (channels) and between rows (corridors) are
left free for arrows. Coordinates grow rightwards and *downwards*; the DOT writer
flips them for Graphviz, whose y axis points up.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from blueprint_cli.analysis import Marker, markers
from blueprint_cli.model import (
    ACTION_LANES,
    LANES,
    LINES,
    Action,
    Blueprint,
    Evidence,
    Phase,
    Step,
)

MARGIN = 16.0
LANE_TITLE_W = 128.0
CHANNEL = 56.0  # free gap between columns, for arrows
BOX_W = 150.0
PAD = 16.0  # free band at the top and bottom of a lane, for arrows
ROW_GAP = 24.0  # free gap between rows of boxes in a lane
LANE_GAP = 28.0  # between lanes; separator lines run in its middle
HEADER_GAP = 12.0
STRIP_GAP = 14.0  # between an optional row (render/rows.py) and the lane next to it

FONT = 10.0
LINE_H = 12.5
SMALL_FONT = 8.0
SMALL_LINE_H = 10.5
HEADER_LINE_H = 12.0
BADGE_W = 22.0
BADGE_H = 15.0
MIN_BOX_H = 40.0
#: Text wraps and is never cut: a box, a header, a cell grows to hold it. Only text past
#: this many lines (a pasted page, a hostile file) ends in "…", with the whole text in
#: the tooltip: no service step is described in 40 lines.
MAX_LINES = 40
TITLE_SIZE = 16.0
TITLE_LINE_H = 20.0
DESCRIPTION_LINE_H = 13.0
CHAR_W = 0.6  # average glyph width per point of font size (DejaVu Sans is wide)


#: where a line may break: any white space but the no-break space ("65.4\u00a0%")
_SPACES = re.compile(r"[^\S\u00a0]+")


def text_width(text: str, size: float) -> float:
    """Estimated width of text in points: wide (CJK, emoji) characters count double."""
    return _units(text) * CHAR_W * size


@functools.lru_cache(maxsize=16384)  # words recur: wrapping asks for each many times
def _units(text: str) -> float:
    """Width in average characters: 1 each, 2 for wide ones, 0 for marks that combine."""
    if text.isascii():
        return float(len(text))
    units = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        units += 2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
    return units


def wrap(text: str, width: float, size: float, max_lines: int = MAX_LINES) -> list[str]:
    """Greedy word wrap to ``width`` points; long words are cut; the last line ellipsized.

    Only as much text as can show is looked at, so a 1 MB title costs no more than a short
    one. A line's width is summed word by word (a space is one unit), not measured anew
    for every word added."""
    if (
        len(text) * CHAR_W * size <= width
        and text.isascii()
        and text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
    ):
        return [text]  # one line as it is: most labels, cells and names
    per_line = max(1, int(width / (CHAR_W * size)))
    budget = (max_lines + 1) * per_line * 2
    if len(text) > budget:
        text = text[:budget] + " …"
    lines: list[str] = []
    current, current_units = "", 0.0
    for word in _SPACES.split(text.strip(" \t\n\r\f\v")):
        while text_width(word, size) > width:  # a word longer than a line: cut it
            cut = min(len(word), per_line)
            while cut > 1 and text_width(word[:cut], size) > width:
                cut -= 1
            if current:
                lines.append(current)
                current, current_units = "", 0.0
            lines.append(word[:cut])
            word = word[cut:]
        word_units = _units(word)
        units = current_units + 1.0 + word_units if current else word_units
        if units * CHAR_W * size <= width:
            current = f"{current} {word}" if current else word
            current_units = units
        else:
            lines.append(current)
            current, current_units = word, word_units
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


@dataclass(slots=True)
class Box:
    """A node of the grid: an action, or a piece of evidence."""

    key: str  # unique, derived from the blueprint id
    lane: str
    col: int
    slot: int
    step: Step
    lines: list[str]
    action: Action | None = None
    evidence: Evidence | None = None
    actor: list[str] = field(default_factory=list)  # the owner's title, wrapped
    #: the action's channel, wrapped ("via Phone"), when it is not its step's
    channel: list[str] = field(default_factory=list)
    badges: list[Marker] = field(default_factory=list)
    x: float = 0.0  # centre
    y: float = 0.0
    w: float = BOX_W
    h: float = MIN_BOX_H

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2


@dataclass(slots=True)
class Band:
    lane: str
    title: str
    lines: list[str]  # the title, wrapped to the lane-name strip
    top: float
    bottom: float
    slots: int
    row_h: float
    # height added to each corridor (0: the free band at the top, slots: at the bottom),
    # where more arrows run along it than its tracks hold
    extra: list[float] = field(default_factory=list)
    added: list[float] = field(default_factory=list)  # extra above each row: sums of extra

    def _extra(self, index: int) -> float:
        return self.extra[index] if index < len(self.extra) else 0.0

    def row_y(self, slot: int) -> float:
        added = self.added[slot] if slot < len(self.added) else 0.0
        return self.top + PAD + added + slot * (self.row_h + ROW_GAP) + self.row_h / 2

    @property
    def height(self) -> float:
        base = 2 * PAD + self.slots * self.row_h + (self.slots - 1) * ROW_GAP
        return max(base + sum(self.extra), len(self.lines) * 14 + 26)  # the name fits


@dataclass(slots=True)
class Column:
    step: Step
    number: int  # in the whole blueprint: a filtered view keeps the numbers
    left: float
    lines: list[str]
    tags: list[str] = field(default_factory=list)  # the segments the step is for
    channel: list[str] = field(default_factory=list)  # "via Hotel website", wrapped

    @property
    def x(self) -> float:
        return self.left + BOX_W / 2


@dataclass(slots=True)
class PhaseSpan:
    key: str
    phase: Phase | None
    title: str
    first: int
    last: int
    left: float
    right: float
    lines: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Strip:
    """An optional row of the grid (``render --rows``): its height is planned by
    render/rows.py, its place here: above the evidence lane, or below the support lane."""

    name: str
    title: str
    above: bool
    height: float
    top: float = 0.0
    bottom: float = 0.0


@dataclass(slots=True)
class Separator:
    key: str
    label: str
    y: float


@dataclass(frozen=True, slots=True)
class Heading:
    """What the top of the picture says: the title (with "Draft — N errors" and what a
    filtered view shows), and the description under it."""

    title: str
    description: str = ""


@dataclass(slots=True)
class Layout:
    title: str
    title_lines: list[str]
    description_lines: list[str]
    width: float
    height: float
    columns: list[Column]
    phases: list[PhaseSpan]
    header_top: float
    header_phase_h: float
    header_bottom: float
    bands: dict[str, Band]
    boxes: list[Box]
    separators: list[Separator]
    markers: list[Marker]
    grid_bottom: float
    strips: list[Strip] = field(default_factory=list)
    by_id: dict[str, Box] = field(default_factory=dict)
    _corridors: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    def channel_x(self, k: int) -> float:
        """Centre of channel k: the gap left of column k (k = len(columns): right of the last)."""
        return MARGIN + LANE_TITLE_W + CHANNEL / 2 + k * (BOX_W + CHANNEL)

    def corridors(self, band: Band) -> list[tuple[float, float]]:
        """The free horizontal gaps of a band, top to bottom, as (top, bottom)."""
        cached = self._corridors.get(band.lane)
        if cached is not None:
            return cached
        gaps = [(band.top, band.top + PAD + band._extra(0))]
        for slot in range(band.slots - 1):
            bottom = band.row_y(slot) + band.row_h / 2
            gaps.append((bottom, bottom + ROW_GAP + band._extra(slot + 1)))
        gaps.append((band.bottom - PAD - band._extra(band.slots), band.bottom))
        self._corridors[band.lane] = gaps
        return gaps

    def widen(self, extra: dict[tuple[str, int], float]) -> None:
        """Make corridors taller by ``extra[(lane, index)]`` points, moving everything
        below them down."""
        for band in self.bands.values():
            band.extra = [extra.get((band.lane, i), 0.0) for i in range(band.slots + 1)]
            band.added = list(itertools.accumulate(band.extra))
        self._corridors.clear()
        self._place_bands()

    def _place_bands(self) -> None:
        y = self.header_bottom + HEADER_GAP
        for strip in self.strips:
            if strip.above:
                strip.top, strip.bottom = y, y + strip.height
                y = strip.bottom + STRIP_GAP
        for lane in LANES:
            band = self.bands[lane]
            band.top, band.bottom = y, y + band.height
            y = band.bottom + LANE_GAP
        y -= LANE_GAP
        for strip in self.strips:
            if not strip.above:
                strip.top = y + STRIP_GAP
                strip.bottom = y = strip.top + strip.height
        for box in self.boxes:
            box.y = self.bands[box.lane].row_y(box.slot)
        for sep in self.separators:
            sep.y = self.bands[sep.key.removeprefix("line:")].bottom + LANE_GAP / 2
        self.grid_bottom = y
        self.height = self.grid_bottom + MARGIN


def _node_key(prefix: str, node_id: str) -> str:
    return f"{prefix}:{node_id}"


def _action_box(
    step: Step,
    col: int,
    slot: int,
    lane: str,
    action: Action,
    titles: dict[str, str],
    badges: list[Marker],
    channels: dict[str, str] | None = None,
) -> Box:
    text_w = BOX_W - 16 - (max(badge_width(m) for m in badges) + 4 if badges else 0)
    lines = wrap(action.text, text_w, FONT)
    actor: list[str] = []
    if action.actor is not None and lane != "customer":
        actor = wrap(titles.get(action.actor, action.actor), BOX_W - 16, SMALL_FONT)
    channel: list[str] = []
    if action.channel is not None and action.channel != step.channel:
        names = channels or {}
        channel = wrap(f"via {names.get(action.channel, action.channel)}", BOX_W - 16, SMALL_FONT)
    body = max(len(lines) * LINE_H, len(badges) * (BADGE_H + 2) + 2)
    h = max(MIN_BOX_H, 16 + body + (len(actor) * SMALL_LINE_H + 2 if actor else 0))
    h += len(channel) * SMALL_LINE_H + 2 if channel else 0
    return Box(
        _node_key("a", action.id),
        lane,
        col,
        slot,
        step,
        lines,
        action=action,
        actor=actor,
        channel=channel,
        badges=badges,
        h=h,
    )


def badge_label(m: Marker) -> str:
    """``F3``, or ``F3!`` for a fail point without prevention or recovery."""
    fp = m.fail_point
    return f"{m.label}!" if fp is not None and not (fp.prevention and fp.recovery) else m.label


def badge_width(m: Marker) -> float:
    return max(BADGE_W - 4, text_width(badge_label(m), SMALL_FONT) * 1.1 + 6)


def _evidence_box(step: Step, col: int, slot: int, evidence: Evidence) -> Box:
    lines = wrap(evidence.text, BOX_W - 26, FONT - 1)
    h = max(MIN_BOX_H, 14 + len(lines) * (LINE_H - 1))
    return Box(
        _node_key("e", evidence.id), "evidence", col, slot, step, lines, evidence=evidence, h=h
    )


def layout(
    bp: Blueprint,
    numbered: list[Marker] | None = None,
    heading: Heading | None = None,
    numbers: dict[str, int] | None = None,
    strips: list[Strip] | None = None,
    segments: tuple[str, ...] | None = None,
    header_extra: float = 0.0,
) -> Layout:
    """Place everything. ``numbered`` keeps F/W numbers from a larger view (filters), and
    ``numbers`` its step numbers; ``heading`` is what the top says (the blueprint's
    title and description unless given); ``strips`` are the optional rows asked for
    (render/rows.py), and waits are judged for the ``segments`` in view (all: None);
    ``header_extra`` makes the step headers taller (the observed compliance of each)."""
    marks = numbered if numbered is not None else markers(bp, segments or None)
    by_action: dict[str, list[Marker]] = {}
    for m in marks:
        by_action.setdefault(m.action.id, []).append(m)
    # F badges first, then W, each in number order
    for badges in by_action.values():
        badges.sort(key=lambda m: (m.label[0] != "F", int(m.label[1:])))

    # -- boxes, lane by lane
    boxes: list[Box] = []
    titles = {a.id: a.title for a in bp.actors}
    channels = {c.id: c.title for c in bp.channels}
    cells: dict[str, list[list[Box]]] = {lane: [] for lane in LANES}
    for col, step in enumerate(bp.steps):
        cells["evidence"].append(
            [_evidence_box(step, col, i, ev) for i, ev in enumerate(step.evidence)]
        )
        for lane in ACTION_LANES:
            cells[lane].append(
                [
                    _action_box(step, col, i, lane, a, titles, by_action.get(a.id, []), channels)
                    for i, a in enumerate(step.lane(lane))
                ]
            )

    # -- columns and header
    phases = {p.id: p for p in bp.phases}
    segment_titles = {s.id: s.title for s in bp.segments}
    columns: list[Column] = []
    header_lines = 1
    for i, step in enumerate(bp.steps):
        left = MARGIN + LANE_TITLE_W + CHANNEL + i * (BOX_W + CHANNEL)
        number = numbers.get(step.id, i + 1) if numbers else i + 1
        # a step numbered 0 has no number (a removed step drawn by render --diff)
        label = f"{number}. {step.title}" if number else step.title
        lines = wrap(label, BOX_W + CHANNEL - 12, FONT - 1)
        tags = (
            wrap(
                "for " + ", ".join(segment_titles.get(g, g) for g in step.segments),
                BOX_W + CHANNEL - 12,
                SMALL_FONT,
            )
            if step.segments
            else []
        )
        channel = (
            wrap(
                f"via {channels.get(step.channel, step.channel)}", BOX_W + CHANNEL - 12, SMALL_FONT
            )
            if step.channel is not None
            else []
        )
        header_lines = max(header_lines, len(lines) + len(tags) + len(channel))
        columns.append(Column(step, number, left, lines, tags, channel))
    width = MARGIN + LANE_TITLE_W + len(columns) * (BOX_W + CHANNEL) + CHANNEL + MARGIN
    heading = heading or Heading(bp.title or "Service blueprint", bp.description or "")
    title_lines = wrap(heading.title, width - 2 * MARGIN, TITLE_SIZE)
    description_lines = (
        wrap(heading.description, min(width - 2 * MARGIN, 900.0), FONT)
        if heading.description
        else []
    )
    y = MARGIN + 8 + len(title_lines) * TITLE_LINE_H + len(description_lines) * DESCRIPTION_LINE_H
    header_top = y + 12
    spans = _phase_spans(bp, columns, phases)
    phase_lines = max((len(span.lines) for span in spans if span.title), default=0)
    header_phase_h = phase_lines * 13.0 + 11 if phase_lines else 0.0
    header_bottom = header_top + header_phase_h + header_lines * HEADER_LINE_H + 12
    header_bottom += header_extra

    # -- bands
    y = header_bottom + HEADER_GAP
    bands: dict[str, Band] = {}
    separators: list[Separator] = []
    for lane in LANES:
        lane_cells = cells[lane]
        slots = max([len(c) for c in lane_cells] + [1])
        row_h = max([b.h for c in lane_cells for b in c] + [MIN_BOX_H])
        title = bp.lanes.title(lane)
        lane_lines = wrap(title, LANE_TITLE_W - 14, FONT + 1)
        band = Band(lane, title, lane_lines, y, y, slots, row_h)
        band.bottom = y + band.height
        bands[lane] = band
        for col_cells in lane_cells:
            for box in col_cells:
                box.h = row_h
                box.x = columns[box.col].x
                boxes.append(box)
        if lane in LINES:
            separators.append(Separator(f"line:{lane}", LINES[lane], band.bottom + LANE_GAP / 2))
        y = band.bottom + LANE_GAP
    grid_bottom = y - LANE_GAP

    result = Layout(
        title=heading.title,
        title_lines=title_lines,
        description_lines=description_lines,
        width=width,
        height=grid_bottom + MARGIN,
        columns=columns,
        phases=spans,
        header_top=header_top,
        header_phase_h=header_phase_h,
        header_bottom=header_bottom,
        bands=bands,
        boxes=boxes,
        separators=separators,
        markers=marks,
        grid_bottom=grid_bottom,
        strips=list(strips or []),
    )
    result._place_bands()  # the optional rows above and below the lanes, then the lanes
    result.by_id = {b.action.id: b for b in boxes if b.action is not None}
    return result


def _phase_spans(bp: Blueprint, columns: list[Column], phases: dict[str, Phase]) -> list[PhaseSpan]:
    """Consecutive steps of one phase share a header."""
    spans: list[PhaseSpan] = []
    for i, step in enumerate(bp.steps):
        phase = phases.get(step.phase or "")
        if spans and spans[-1].phase is phase and spans[-1].last == i - 1:
            spans[-1].last = i
            spans[-1].right = columns[i].left + BOX_W + CHANNEL / 2 - 3
            continue
        key = f"phase:{phase.id}:{i}" if phase is not None else f"phase::{i}"
        spans.append(
            PhaseSpan(
                key,
                phase,
                phase.title if phase is not None else "",
                i,
                i,
                columns[i].left - CHANNEL / 2 + 3,
                columns[i].left + BOX_W + CHANNEL / 2 - 3,
            )
        )
    for span in spans:
        if span.title:
            span.lines = wrap(span.title, span.right - span.left - 12, FONT + 1)
    return spans
