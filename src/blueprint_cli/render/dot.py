"""Blueprint + theme -> Graphviz DOT text, for ``neato -n2`` (positions given, not computed).

A pure function: the same blueprint and options give the same DOT, byte for byte. Node
ids derive from blueprint ids (``a:register``, ``e:key-card``), every label is escaped
user text, and every position comes from the layout and the routes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from blueprint_cli.analysis import Marker
from blueprint_cli.model import Blueprint, format_duration
from blueprint_cli.render.escape import dot_string, html
from blueprint_cli.render.layout import (
    FONT,
    LANE_TITLE_W,
    MARGIN,
    SMALL_FONT,
    Box,
    Layout,
    layout,
    text_width,
    wrap,
)
from blueprint_cli.render.route import ARROW, Route, label_text, route_all
from blueprint_cli.render.theme import Theme

LEGEND_GAP = 24.0
ROW = 16.0
LEGEND_COLUMNS = (
    ("", 26.0),
    ("Step", 150.0),
    ("Action", 170.0),
    ("What", 280.0),
    ("Figures", 150.0),
)
LEGEND_W = sum(w for _, w in LEGEND_COLUMNS)
LEGEND_CHUNK = 500  # rows of one legend table


@dataclass(frozen=True, slots=True)
class DotOptions:
    legend: bool = True


@dataclass(frozen=True, slots=True)
class Diagram:
    """DOT source, and the size of its canvas in points."""

    graph_attrs: tuple[str, ...]
    body: tuple[str, ...]
    width: float
    height: float
    name: str = "blueprint"  # the graph's name: the SVG's <title>, what a browser tab shows

    def text(self, dpi: float | None = None) -> str:
        """The DOT text; ``dpi`` only for raster output (PNG)."""
        attrs = [*self.graph_attrs, f"dpi={dpi:g}"] if dpi is not None else list(self.graph_attrs)
        head = [f"digraph {dot_string(self.name)} {{", f"  graph [{', '.join(attrs)}];"]
        return "\n".join([*head, *self.body, "}"]) + "\n"


def build(
    bp: Blueprint,
    theme: Theme,
    options: DotOptions | None = None,
    numbered: list[Marker] | None = None,
) -> Diagram:
    """The diagram of a blueprint: a pure function of the model, the theme and the options."""
    options = options or DotOptions()
    lay = layout(bp, numbered)
    routes = route_all(lay, bp.all_flows())
    return _Writer(bp, lay, routes, theme, options).write()


def to_dot(
    bp: Blueprint,
    theme: Theme,
    options: DotOptions | None = None,
    numbered: list[Marker] | None = None,
) -> str:
    """The DOT source of the blueprint's diagram."""
    return build(bp, theme, options, numbered).text()


def legend_height(lay: Layout) -> float:
    """A safe upper bound of the table's height (rows of ROW points, plus cell spacing)."""
    rows = 2 + len(lay.markers) if lay.markers else 1
    return rows * (ROW + 1.5) + 4


class _Writer:
    def __init__(
        self, bp: Blueprint, lay: Layout, routes: list[Route], theme: Theme, options: DotOptions
    ) -> None:
        self.bp, self.lay, self.routes, self.theme, self.options = bp, lay, routes, theme, options
        self.width = max(lay.width, LEGEND_W + 2 * MARGIN if options.legend else 0)
        bottom = lay.grid_bottom
        if options.legend:
            bottom += LEGEND_GAP + legend_height(lay)
        self.height = bottom + MARGIN
        self.out: list[str] = []

    # coordinates: the layout's y grows downwards, Graphviz's upwards
    def p(self, x: float, y: float) -> str:
        return f"{x:.2f},{self.height - y:.2f}"

    def emit(self, line: str) -> None:
        self.out.append(line)

    def write(self) -> Diagram:
        t = self.theme
        graph = (
            f"bb={dot_string(f'0,0,{self.width:.2f},{self.height:.2f}')}",
            "outputorder=edgesfirst",
            f"bgcolor={dot_string(t.background)}",
            "pad=0.1",
            f"fontname={dot_string(t.font)}",
        )
        self.emit(
            f"  node [fontname={dot_string(t.font)}, fontsize={FONT:g}, "
            f"fontcolor={dot_string(t.text)}, fixedsize=true, penwidth=1];"
        )
        self.emit(
            f"  edge [fontname={dot_string(t.font)}, fontsize={SMALL_FONT:g}, "
            f"color={dot_string(t.edge)}, fontcolor={dot_string(t.muted)}, arrowsize=0.7, "
            "penwidth=1.1];"
        )
        self.bands()
        self.title()
        self.header()
        self.separators()
        for box in self.lay.boxes:
            self.box(box)
        for i, route in enumerate(self.routes):
            self.edge(i, route)
        if self.options.legend:
            self.legend()
        name = self.bp.title or "blueprint"
        return Diagram(graph, tuple(self.out), self.width, self.height, name)

    def node(self, key: str, x: float, y: float, w: float, h: float, attrs: list[str]) -> None:
        base = [f"id={dot_string(key)}", f'pos="{self.p(x, y)}!"']
        if "shape=plain" in attrs:
            base.append("fixedsize=false")  # text only: Graphviz sizes it around its centre
        else:
            base += [f"width={w / 72:.4f}", f"height={h / 72:.4f}"]
        self.emit(f"  {dot_string(key)} [{', '.join(base + attrs)}];")

    def bands(self) -> None:
        left, right = MARGIN, self.width - MARGIN
        for lane, band in self.lay.bands.items():
            style = self.theme.lanes[lane]
            x1, y1 = left, self.height - band.bottom
            x2, y2 = right, self.height - band.top
            self.emit(f"  subgraph {dot_string('cluster_lane_' + lane)} {{")
            self.emit(
                f"    graph [bb={dot_string(f'{x1:.2f},{y1:.2f},{x2:.2f},{y2:.2f}')}, "
                f"style=filled, fillcolor={dot_string(style.band)}, "
                f'color={dot_string(style.border)}, label=""];'
            )
            self.emit("  }")
            lines = wrap(band.title, LANE_TITLE_W - 14, FONT + 1, 3)
            label = "<BR/>".join(f"<B>{html(line)}</B>" for line in lines)
            h = len(lines) * 14 + 6
            self.node(
                f"lane:{lane}",
                left + LANE_TITLE_W / 2 + 2,
                band.top + 10 + h / 2,
                LANE_TITLE_W - 8,
                h,
                ["shape=plain", f"label=<{label}>", f"fontsize={FONT + 1:g}", 'tooltip=" "'],
            )

    def title(self) -> None:
        t = self.lay.title
        lines = wrap(t, self.width - 2 * MARGIN, 16, 1)
        self.node(
            "title",
            self.width / 2,
            MARGIN + 16,
            self.width - 2 * MARGIN,
            24,
            [
                "shape=plain",
                f"label=<<B>{html(lines[0])}</B>>",
                "fontsize=16",
                f"tooltip={dot_string(t)}",
            ],
        )

    def header(self) -> None:
        t = self.theme
        lay = self.lay
        height = lay.header_bottom - lay.header_top
        for span in lay.phases:
            w = span.right - span.left
            label = html(wrap(span.title, w - 12, FONT + 1, 1)[0]) if span.title else ""
            self.node(
                span.key,
                (span.left + span.right) / 2,
                lay.header_top + height / 2,
                w,
                height,
                [
                    "shape=box",
                    "style=filled",
                    f"fillcolor={dot_string(t.header)}",
                    f"color={dot_string(t.header_border)}",
                    "labelloc=t",
                    f"label=<<B>{label}</B>>" if label else 'label=""',
                    f"fontsize={FONT + 1:g}",
                    f"tooltip={dot_string(span.title or ' ')}",
                ],
            )
        top = lay.header_top + lay.header_phase_h + 4
        for col in lay.columns:
            h = len(col.lines) * 12 + 4
            label = "<BR/>".join(html(line) for line in col.lines)
            self.node(
                f"step:{col.step.id}",
                col.x,
                top + h / 2,
                text_width(max(col.lines, key=len), FONT - 1) + 8,
                h,
                [
                    "shape=plain",
                    f"label=<{label}>",
                    f"fontsize={FONT - 1:g}",
                    f"tooltip={dot_string(col.step.title)}",
                ],
            )

    def separators(self) -> None:
        t = self.theme
        left, right = MARGIN + 4, self.width - MARGIN - 4
        for sep in self.lay.separators:
            a, b = f"{sep.key}:start", f"{sep.key}:end"
            for key, x in ((a, left), (b, right)):
                self.node(key, x, sep.y, 0.01, 0.01, ["shape=point", "style=invis", 'label=""'])
            start, end = self.p(left, sep.y), self.p(right, sep.y)
            pts = f"{start} {start} {end} {end}"
            self.emit(
                f"  {dot_string(a)} -> {dot_string(b)} [id={dot_string(sep.key)}, "
                f'pos="{pts}", dir=none, style=dashed, penwidth=1.4, '
                f"color={dot_string(t.line)}, tooltip={dot_string(sep.label)}];"
            )
            w = text_width(sep.label, SMALL_FONT + 1) + 6
            self.node(
                f"{sep.key}:label",
                left + 12 + w / 2,
                sep.y - 8,
                w,
                11,
                [
                    "shape=plain",
                    f"label=<<I>{html(sep.label)}</I>>",
                    f"fontsize={SMALL_FONT + 1:g}",
                    f"fontcolor={dot_string(t.muted)}",
                    f"tooltip={dot_string(sep.label)}",
                ],
            )

    def box(self, box: Box) -> None:
        t = self.theme
        style = t.lanes[box.lane]
        text = "<BR/>".join(html(line) for line in box.lines)
        if box.evidence is not None:
            tooltip = box.evidence.text + (f"\n{box.evidence.note}" if box.evidence.note else "")
            self.node(
                box.key,
                box.x,
                box.y,
                box.w - 10,
                box.h,
                [
                    "shape=note",
                    "style=filled",
                    f"fillcolor={dot_string(t.note)}",
                    f"color={dot_string(style.box_border)}",
                    f"label=<{text}>",
                    f"fontsize={FONT - 1:g}",
                    f"tooltip={dot_string(tooltip)}",
                ],
            )
            return
        assert box.action is not None
        cells = f"<TD>{text}</TD>"
        if box.badges:
            badges = "".join(self.badge(m) for m in box.badges)
            cells += (
                '<TD VALIGN="MIDDLE"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" '
                f'CELLPADDING="1">{badges}</TABLE></TD>'
            )
        rows = f"<TR>{cells}</TR>"
        if box.actor:
            span = ' COLSPAN="2"' if box.badges else ""
            rows += (
                f'<TR><TD{span}><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{t.muted}">'
                f"{html(box.actor)}</FONT></TD></TR>"
            )
        label = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>'
        self.node(
            box.key,
            box.x,
            box.y,
            box.w,
            box.h,
            [
                "shape=box",
                'style="rounded,filled"',
                f"fillcolor={dot_string(style.box)}",
                f"color={dot_string(style.box_border)}",
                f"label=<{label}>",
                f"tooltip={dot_string(self.action_tooltip(box))}",
            ],
        )

    def badge(self, m: Marker) -> str:
        t = self.theme
        fill, ink = (t.fail, t.fail_text) if m.fail_point is not None else (t.wait, t.wait_text)
        return (
            f'<TR><TD BGCOLOR="{fill}" HREF="#{m.label}" TOOLTIP="{html(marker_text(m))}" '
            f'WIDTH="18" HEIGHT="13"><FONT COLOR="{ink}" '
            f'POINT-SIZE="{SMALL_FONT:g}"><B>{m.label}</B></FONT></TD></TR>'
        )

    def action_tooltip(self, box: Box) -> str:
        a = box.action
        assert a is not None
        parts = [a.text]
        if box.actor:
            parts.append(f"Owner: {box.actor}")
        if a.duration is not None:
            parts.append(f"Standard time: {format_duration(a.duration)}")
        if a.script:
            parts.append(f"Script: {a.script}")
        parts.extend(marker_text(m) for m in box.badges)
        return "\n".join(parts)

    def edge(self, index: int, route: Route) -> None:
        flow = route.flow
        pts = route.points
        (xa, ya), (xb, yb) = pts[-2], pts[-1]
        length = abs(xb - xa) + abs(yb - ya)
        shorten = min(ARROW, length - 1) if length > 1 else 0
        dx = (xb - xa) / length if length else 0
        dy = (yb - ya) / length if length else 0
        tail = [*pts[:-1], (xb - dx * shorten, yb - dy * shorten)]
        spline = [tail[0]]
        for a, b in itertools.pairwise(tail):
            spline.extend([a, b, b])
        pos = f"e,{self.p(xb, yb)} " + " ".join(self.p(x, y) for x, y in spline)
        src, dst = f"a:{flow.from_}", f"a:{flow.to}"
        tip = f"{flow.from_} -> {flow.to}" + (f": {flow.label}" if flow.label else "")
        attrs = [
            f"id={dot_string(f'flow:{index}:{flow.from_}->{flow.to}')}",
            f'pos="{pos}"',
            f"tooltip={dot_string(tip)}",
        ]
        if flow.implicit:
            attrs.append("style=solid")
        if flow.label and route.label_at is not None:
            text = html(label_text(flow.label))
            if route.label_on_line:
                text = (
                    f'<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0" '
                    f'BGCOLOR="{self.theme.background}"><TR><TD>{text}</TD></TR></TABLE>'
                )
            attrs += [f"label=<{text}>", f'lp="{self.p(*route.label_at)}"']
        self.emit(f"  {dot_string(src)} -> {dot_string(dst)} [{', '.join(attrs)}];")

    def legend(self) -> None:
        t = self.theme
        lay = self.lay
        top = lay.grid_bottom + LEGEND_GAP
        rows: list[str] = []

        rows.append(
            f'<TR><TD BGCOLOR="{t.fail}" WIDTH="{LEGEND_COLUMNS[0][1]:g}">'
            f'<FONT COLOR="{t.fail_text}" POINT-SIZE="{SMALL_FONT:g}"><B>F</B></FONT></TD>'
            '<TD ALIGN="LEFT" COLSPAN="2"> fail point: risk = severity × occurrence × '
            "detection</TD>"
            f'<TD ALIGN="LEFT"><FONT COLOR="{t.wait}"><B>W</B></FONT> wait point: expected / max'
            "</TD>"
            '<TD ALIGN="LEFT">- - -  lines     → flows</TD></TR>'
        )
        if lay.markers:
            head = "".join(
                f'<TD ALIGN="LEFT" WIDTH="{w:g}" HEIGHT="{ROW:g}">'
                f"{f'<B>{html(name)}</B>' if name else ' '}</TD>"
                for name, w in LEGEND_COLUMNS
            )
            rows.append(f"<TR>{head}</TR>")
            rows.extend(self.legend_row(m) for m in lay.markers)
        h = legend_height(lay)
        if len(rows) <= LEGEND_CHUNK:
            self.legend_table("legend", rows, top + h / 2, h)
            return
        # Graphviz lays out an HTML table in time quadratic in its rows: a long legend is
        # drawn as tables of LEGEND_CHUNK rows stacked edge to edge, one node each.
        for i in range(0, len(rows), LEGEND_CHUNK):
            chunk = rows[i : i + LEGEND_CHUNK]
            drawn = len(chunk) * (ROW + 1) + 1  # rows of ROW points, CELLSPACING 1
            key = "legend" if i == 0 else f"legend-{i // LEGEND_CHUNK + 1}"
            self.legend_table(key, chunk, top + drawn / 2, drawn)
            top += drawn

    def legend_table(self, key: str, rows: list[str], y: float, h: float) -> None:
        label = (
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
            f"{''.join(rows)}</TABLE>"
        )
        self.node(
            key,
            MARGIN + LEGEND_W / 2,
            y,
            LEGEND_W,
            h,
            ["shape=plain", f"label=<{label}>", f"fontsize={FONT - 1:g}", 'tooltip="Legend"'],
        )

    def legend_row(self, m: Marker) -> str:
        t = self.theme
        fill, ink = (t.fail, t.fail_text) if m.fail_point is not None else (t.wait, t.wait_text)
        values = [
            m.step.title,
            m.action.text,
            (m.fail_point.text if m.fail_point is not None else (m.wait.text if m.wait else ""))
            or "",
            marker_figures(m),
        ]
        cells = [
            f'<TD ID="{m.label}" BGCOLOR="{fill}" WIDTH="{LEGEND_COLUMNS[0][1]:g}" '
            f'HEIGHT="{ROW:g}"><FONT COLOR="{ink}" POINT-SIZE="{SMALL_FONT:g}"><B>{m.label}</B>'
            "</FONT></TD>"
        ]
        for (_, w), value in zip(LEGEND_COLUMNS[1:], values, strict=True):
            text = wrap(value, w - 8, FONT - 1, 1)[0]
            cells.append(f'<TD ALIGN="LEFT" WIDTH="{w:g}" HEIGHT="{ROW:g}">{html(text)}</TD>')
        return f"<TR>{''.join(cells)}</TR>"


def marker_figures(m: Marker) -> str:
    """``risk 96 (8×3×4)`` for a fail point; for a wait ``2m / max 5m``, ``3m / max 15m
    (standard)`` when the max is the blueprint's, and ``20m / max 15m, over by 5m``: the
    standard is ``wait_standard``'s, as lint and show judge it."""
    if m.fail_point is not None:
        fp = m.fail_point
        if fp.risk is None:
            return "unscored"
        return f"risk {fp.risk} ({fp.severity}×{fp.occurrence}×{fp.detection})"
    wait = m.wait
    if wait is None:
        return ""
    expected = format_duration(wait.expected) if wait.expected is not None else "?"
    if m.standard is None:
        return f"{expected} / no max"
    limit = f"max {format_duration(m.standard)}" + (" (standard)" if m.standard_is_default else "")
    over = m.over_by
    return f"{expected} / {limit}" + (f", over by {format_duration(over)}" if over else "")


def marker_text(m: Marker) -> str:
    if m.fail_point is not None:
        fp = m.fail_point
        lines = [f"{m.label}: {fp.text} — {marker_figures(m)}"]
        lines.append(f"Prevention: {fp.prevention or 'none'}")
        lines.append(f"Recovery: {fp.recovery or 'none'}")
        return "\n".join(lines)
    text = m.wait.text if m.wait is not None and m.wait.text else "wait"
    return f"{m.label}: {text} — {marker_figures(m)}"
