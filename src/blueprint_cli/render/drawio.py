"""Blueprint -> draw.io (diagrams.net) file: an editable copy of the rendered picture.

The same grid as ``blueprint render``: every box, band, header and line at the position
render/layout.py computes, and every arrow along the route render/route.py plans. What
draw.io makes of it stays editable: the five lanes are swimlane containers (drag a box
to another lane and it moves there), each action and piece of evidence is a child of its
lane's container (its geometry relative to the container, as draw.io expects), its badges
and owner are children of the box (they move with it), flows are orthogonal connectors
between the boxes, and the three lines are labelled dashed connectors between the lanes.

A pure function: the same blueprint gives the same file, byte for byte. Cell ids derive
from blueprint ids (``lane-frontstage``, ``act-register``, ``ev-key-card``,
``step-check-in``, ``badge-F1``); no timestamp, no random id. Labels are plain text
(``html=0``), so user text is never read as markup; what the blueprint says beyond the
labels (owner, channel, standard time, script, fail points) is in each cell's tooltip
and in its data (draw.io's Edit Data: ``blueprint-id``, ``lane``, ``step``).
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from blueprint_cli.analysis import Marker, markers
from blueprint_cli.analysis.subset import describe, select
from blueprint_cli.model import Blueprint
from blueprint_cli.render.dot import Stub, stubs
from blueprint_cli.render.layout import (
    BADGE_H,
    BOX_W,
    FONT,
    HEADER_LINE_H,
    LANE_TITLE_W,
    LINE_H,
    MARGIN,
    SMALL_FONT,
    SMALL_LINE_H,
    TITLE_LINE_H,
    TITLE_SIZE,
    Box,
    Heading,
    Layout,
    badge_label,
    badge_width,
    layout,
    text_width,
)
from blueprint_cli.render.layout import CHANNEL as COLUMN_GAP
from blueprint_cli.render.legend import (
    FAIL,
    FAIL_HIGH,
    FAIL_UNSCORED,
    WAIT,
    WAIT_OVER,
    RiskBands,
    action_details,
    badge_kind,
    marker_text,
)
from blueprint_cli.render.route import Route, route_all
from blueprint_cli.render.theme import THEMES, Theme
from blueprint_cli.text import one_line, visible

#: the least width of a lane's header, where draw.io writes its title (turned, as in its
#: pools)
LANE_HEADER = 32.0
#: the ids of the three lines, by the lane above each
LINE_IDS = {
    "customer": "line-interaction",
    "frontstage": "line-visibility",
    "backstage": "line-internal-interaction",
}
HOST = "blueprint-cli"

# characters XML 1.0 cannot hold at all, after ``visible`` has escaped the controls
_NOT_XML = re.compile("[\ufffe\uffff]")


def to_drawio(
    blueprint: Blueprint,
    *,
    source_name: str = "",
    segments: Sequence[str] = (),
    phases: Sequence[str] = (),
    theme: str = "default",
    bands: RiskBands | None = None,
) -> str:
    """The blueprint as an uncompressed draw.io file (``.drawio``), as text.

    ``source_name`` names the blueprint file: the page's name when the blueprint has no
    title, and the title's tooltip. ``segments`` and ``phases`` keep only their steps,
    as ``render --segment`` and ``--phase`` do (a step for no segment in particular is
    for every segment); fail points and waits keep their numbers in the whole
    blueprint, waits are judged by the standards of the segments kept, and the flows to
    the steps left out end in stubs. ``theme`` names a render theme; ``bands`` are the
    configured high-risk thresholds (the badges' colours)."""
    view, lay, routes = placed(blueprint, tuple(segments), tuple(phases))
    writer = _Writer(view, lay, routes, THEMES[theme], bands or RiskBands())
    if view is not blueprint:
        numbers = {s.id: i for i, s in enumerate(blueprint.steps, 1)}
        writer.stubs = stubs(blueprint, view, numbers)
    page = blueprint.title or source_name or "Service blueprint"
    return writer.write(one_line(page), source_name)


def placed(
    blueprint: Blueprint, segments: tuple[str, ...] = (), phases: tuple[str, ...] = ()
) -> tuple[Blueprint, Layout, list[Route]]:
    """The steps shown, their grid and the arrows' routes, as ``render`` places them:
    the positions the export writes."""
    view = select(blueprint, segments, phases)
    kept = {s.id for s in view.steps}
    numbered = [m for m in markers(blueprint, segments or None) if m.step.id in kept]
    title = blueprint.title or "Service blueprint"
    shows = describe(blueprint, view, segments, phases)
    heading = Heading(f"{title} ({shows})" if shows else title, blueprint.description or "")
    numbers = {s.id: i for i, s in enumerate(blueprint.steps, 1)}
    lay = layout(view, numbered, heading, numbers, segments=segments or None)
    routes = route_all(lay, view.all_flows())  # may make corridors taller: routes first
    return view, lay, routes


def _num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros (``12``, ``12.5``)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _style(*parts: str, **values: object) -> str:
    """A draw.io style string: bare names first, then ``key=value;`` pairs in order."""
    items = [*parts, *(f"{k}={_num(v) if isinstance(v, float) else v}" for k, v in values.items())]
    return ";".join(items) + ";"


def label(text: str) -> str:
    """User text as a plain (``html=0``) draw.io label: control and invisible characters
    shown as escapes (``\\x1b``, ``\\u202e``), never written raw; line breaks kept (as
    ``\\n``: a carriage return is one too)."""
    shown = visible(text.replace("\r\n", "\n").replace("\r", "\n"))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


class _Writer:
    def __init__(
        self, bp: Blueprint, lay: Layout, routes: list[Route], theme: Theme, bands: RiskBands
    ) -> None:
        self.bp, self.lay, self.routes, self.theme, self.bands = bp, lay, routes, theme, bands
        self.root = ET.Element("root")
        self.ids: set[str] = set()
        self.font = theme.font.split(",")[0]
        self.stubs: tuple[Stub, ...] = ()  # flows to and from the steps a view leaves out

    # -- cells

    def _id(self, wanted: str) -> str:
        """A cell id, unique in the page: ``wanted``, else ``wanted+2``, ``wanted+3``... (a
        blueprint id never holds ``+``)."""
        cell_id, n = wanted, 1
        while cell_id in self.ids:
            n += 1
            cell_id = f"{wanted}+{n}"
        self.ids.add(cell_id)
        return cell_id

    def vertex(
        self,
        wanted: str,
        parent: str,
        value: str,
        style: str,
        geometry: tuple[float, float, float, float],
        *,
        tooltip: str = "",
        data: dict[str, str] | None = None,
        connectable: bool = True,
    ) -> str:
        """A vertex, wrapped in a UserObject when it has a tooltip or data (draw.io keeps
        those on the wrapper, the label with them)."""
        cell_id = self._id(wanted)
        if tooltip or data:
            holder = ET.SubElement(self.root, "UserObject", {"id": cell_id, "label": label(value)})
            if tooltip:
                holder.set("tooltip", label(tooltip))
            for key, text in (data or {}).items():
                holder.set(key, label(text))
            cell = ET.SubElement(holder, "mxCell")
        else:
            cell = ET.SubElement(self.root, "mxCell", {"id": cell_id, "value": label(value)})
        cell.set("style", style)
        cell.set("vertex", "1")
        if not connectable:
            cell.set("connectable", "0")
        cell.set("parent", parent)
        x, y, w, h = geometry
        ET.SubElement(
            cell,
            "mxGeometry",
            {"x": _num(x), "y": _num(y), "width": _num(w), "height": _num(h), "as": "geometry"},
        )
        return cell_id

    def edge(
        self,
        wanted: str,
        value: str,
        style: str,
        *,
        source: str | None = None,
        target: str | None = None,
        ends: tuple[tuple[float, float], tuple[float, float]] | None = None,
        points: Iterable[tuple[float, float]] = (),
        label_at: tuple[float, float, float, float] | None = None,
        tooltip: str = "",
    ) -> str:
        """A connector on the layer: between two cells, or between two points (``ends``);
        ``points`` are its bends, ``label_at`` (x along -1..1, y, and the offset) places
        its label."""
        cell_id = self._id(wanted)
        if tooltip:
            holder = ET.SubElement(
                self.root,
                "UserObject",
                {"id": cell_id, "label": label(value), "tooltip": label(tooltip)},
            )
            cell = ET.SubElement(holder, "mxCell")
        else:
            cell = ET.SubElement(self.root, "mxCell", {"id": cell_id, "value": label(value)})
        cell.set("style", style)
        cell.set("edge", "1")
        cell.set("parent", "1")
        if source is not None:
            cell.set("source", source)
        if target is not None:
            cell.set("target", target)
        geometry = ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
        if label_at is not None:
            along, across = label_at[0], label_at[1]
            geometry.set("x", _num(along))
            if across:
                geometry.set("y", _num(across))
        if ends is not None:
            for (x, y), role in zip(ends, ("sourcePoint", "targetPoint"), strict=True):
                ET.SubElement(geometry, "mxPoint", {"x": _num(x), "y": _num(y), "as": role})
        bends = list(points)
        if bends:
            array = ET.SubElement(geometry, "Array", {"as": "points"})
            for x, y in bends:
                ET.SubElement(array, "mxPoint", {"x": _num(x), "y": _num(y)})
        if label_at is not None and (label_at[2] or label_at[3]):
            ET.SubElement(
                geometry,
                "mxPoint",
                {"x": _num(label_at[2]), "y": _num(label_at[3]), "as": "offset"},
            )
        return cell_id

    def text_style(
        self,
        size: float,
        colour: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "center",
        valign: str = "middle",
    ) -> str:
        return _style(
            "text",
            html="0",
            whiteSpace="wrap",
            fontFamily=self.font,
            fontSize=float(size),
            fontColor=colour,
            fontStyle=(1 if bold else 0) + (2 if italic else 0),
            align=align,
            verticalAlign=valign,
            spacing="0",
        )

    # -- the page

    def write(self, page: str, source_name: str) -> str:
        ET.SubElement(self.root, "mxCell", {"id": "0"})
        ET.SubElement(self.root, "mxCell", {"id": "1", "parent": "0"})
        self.ids |= {"0", "1"}
        self.title(source_name)
        self.header()
        self.lanes()
        self.lines()
        self.flows()
        for stub in self.stubs:
            self.stub(stub)
        lay, t = self.lay, self.theme
        mxfile = ET.Element("mxfile", {"host": HOST, "pages": "1"})
        diagram = ET.SubElement(mxfile, "diagram", {"id": "blueprint", "name": page})
        model = ET.SubElement(
            diagram,
            "mxGraphModel",
            {
                "dx": "0",
                "dy": "0",
                "grid": "1",
                "gridSize": "10",
                "guides": "1",
                "tooltips": "1",
                "connect": "1",
                "arrows": "1",
                "fold": "1",
                "page": "1",
                "pageScale": "1",
                "pageWidth": str(max(1, math.ceil(lay.width))),
                "pageHeight": str(max(1, math.ceil(lay.height))),
                "math": "0",
                "shadow": "0",
                "background": t.background,
            },
        )
        model.append(self.root)
        ET.indent(mxfile, space="  ")
        return ET.tostring(mxfile, encoding="unicode") + "\n"

    def title(self, source_name: str) -> None:
        lay, t = self.lay, self.theme
        h = len(lay.title_lines) * TITLE_LINE_H
        tip = f"Exported from {source_name} by blueprint-cli" if source_name else ""
        self.vertex(
            "title",
            "1",
            lay.title,
            self.text_style(TITLE_SIZE, t.text, bold=True),
            (MARGIN, MARGIN + 4, lay.width - 2 * MARGIN, h),
            tooltip=tip,
        )
        if lay.description_lines:
            dh = len(lay.description_lines) * 13.0
            self.vertex(
                "description",
                "1",
                self.bp.description or "",
                self.text_style(FONT, t.muted, italic=True),
                (MARGIN, MARGIN + 8 + h, lay.width - 2 * MARGIN, dh),
            )

    def header(self) -> None:
        lay, t = self.lay, self.theme
        height = lay.header_bottom - lay.header_top
        for span in lay.phases:
            phase = span.phase
            tip = phase.description or "" if phase is not None else ""
            self.vertex(
                f"phase-{phase.id}" if phase is not None else "phase",
                "1",
                span.title,
                _style(
                    "rounded=0",
                    html="0",
                    whiteSpace="wrap",
                    fillColor=t.header,
                    strokeColor=t.header_border,
                    fontFamily=self.font,
                    fontSize=float(FONT + 1),
                    fontColor=t.text,
                    fontStyle="1",
                    verticalAlign="top",
                    spacingTop="2",
                ),
                (span.left, lay.header_top, span.right - span.left, height),
                tooltip=tip,
                data={"blueprint-id": phase.id} if phase is not None else None,
                connectable=False,
            )
        top = lay.header_top + lay.header_phase_h + 4
        width = BOX_W + COLUMN_GAP - 12
        for col in lay.columns:
            step = col.step
            h = len(col.lines) * HEADER_LINE_H + 2
            tip = f"Note: {step.note}" if step.note else ""
            self.vertex(
                f"step-{step.id}",
                "1",
                f"{col.number}. {step.title}",
                self.text_style(FONT - 1, t.text, valign="top"),
                (col.x - width / 2, top, width, h),
                tooltip=tip,
                data={"blueprint-id": step.id},
                connectable=False,
            )
            y = top + h
            for suffix, lines, colour, italic in (
                ("segments", col.tags, t.segment, True),
                ("channel", col.channel, t.channel, False),
            ):
                if not lines:
                    continue
                sh = len(lines) * HEADER_LINE_H
                self.vertex(
                    f"step-{step.id}+{suffix}",
                    "1",
                    " ".join(lines),
                    self.text_style(SMALL_FONT, colour, italic=italic, valign="top"),
                    (col.x - width / 2, y, width, sh),
                    connectable=False,
                )
                y += sh

    def header_size(self) -> float:
        """The width of the lanes' headers: enough for the longest title, turned and
        wrapped to its lane's height, in as many lines as it takes; never wider than the
        render's lane-name strip, so that no box and no arrow moves."""
        lines = 1
        for band in self.lay.bands.values():
            room = max(20.0, band.bottom - band.top - 12)
            lines = max(lines, math.ceil(text_width(band.title, FONT + 1) * 1.1 / room))
        return min(LANE_TITLE_W, max(LANE_HEADER, lines * 14.0 + 8))

    def lanes(self) -> None:
        lay, t = self.lay, self.theme
        left, right = MARGIN, lay.width - MARGIN
        header = self.header_size()
        for lane, band in lay.bands.items():
            style = t.lanes[lane]
            container = self.vertex(
                f"lane-{lane}",
                "1",
                band.title,
                _style(
                    "swimlane",
                    horizontal="0",
                    startSize=header,
                    html="0",
                    whiteSpace="wrap",
                    collapsible="0",
                    fillColor=style.border,
                    swimlaneFillColor=style.band,
                    strokeColor=style.border,
                    fontFamily=self.font,
                    fontSize=float(FONT + 1),
                    fontColor=t.text,
                    fontStyle="1",
                ),
                (left, band.top, right - left, band.bottom - band.top),
                data={"lane": lane},
                connectable=False,
            )
            for box in lay.boxes:
                if box.lane == lane:
                    self.box(box, container, left, band.top)

    def box(self, box: Box, container: str, x0: float, y0: float) -> None:
        """A box as a child of its lane's container: its geometry relative to it."""
        t = self.theme
        style = t.lanes[box.lane]
        if box.evidence is not None:
            ev = box.evidence
            w = box.w - 10
            self.vertex(
                f"ev-{ev.id}",
                container,
                ev.text,
                _style(
                    "shape=note",
                    size="8",
                    html="0",
                    whiteSpace="wrap",
                    fillColor=t.note,
                    strokeColor=style.box_border,
                    fontFamily=self.font,
                    fontSize=float(FONT - 1),
                    fontColor=t.text,
                ),
                (box.x - w / 2 - x0, box.top - y0, w, box.h),
                tooltip=f"Note: {ev.note}" if ev.note else "",
                data={"blueprint-id": ev.id, "step": box.step.id},
            )
            return
        action = box.action
        assert action is not None
        badge_w = max((badge_width(m) for m in box.badges), default=0.0)
        small = (len(box.channel) + len(box.actor)) * SMALL_LINE_H + (2 if box.channel else 0)
        cell = self.vertex(
            f"act-{action.id}",
            container,
            action.text,
            _style(
                "rounded=1",
                arcSize="12",
                html="0",
                whiteSpace="wrap",
                fillColor=style.box,
                strokeColor=style.box_border,
                fontFamily=self.font,
                fontSize=float(FONT),
                fontColor=t.text,
                spacingLeft="6",
                spacingRight=float(6 + (badge_w + 4 if box.badges else 0)),
                spacingBottom=float(small),
            ),
            (box.left - x0, box.top - y0, box.w, box.h),
            tooltip=self.action_tooltip(box),
            data={"blueprint-id": action.id, "lane": box.lane, "step": box.step.id},
        )
        # the owner and the channel under the text, the badges at the right: children of
        # the box, placed relative to it, so that they move with it
        text_h = len(box.lines) * LINE_H
        y = min(box.h - 4 - small, (box.h - small + text_h) / 2 + 2)
        for suffix, lines, colour in (
            ("channel", box.channel, t.channel),
            ("owner", box.actor, t.muted),
        ):
            if not lines:
                continue
            h = len(lines) * SMALL_LINE_H
            self.vertex(
                f"act-{action.id}+{suffix}",
                cell,
                " ".join(lines),
                self.text_style(SMALL_FONT, colour),
                (8, y, box.w - 16 - (badge_w + 4 if box.badges else 0), h),
                connectable=False,
            )
            y += h + 2
        for i, m in enumerate(box.badges):
            self.badge(m, cell, box.w - 6 - badge_w, 6 + i * (BADGE_H + 2), badge_w)

    def badge(self, m: Marker, parent: str, x: float, y: float, w: float) -> None:
        t = self.theme
        kind = badge_kind(m, self.bands)
        fill, ink = {
            FAIL_HIGH: (t.fail_high, t.fail_high_text),
            FAIL: (t.fail, t.fail_text),
            FAIL_UNSCORED: (t.unscored, t.unscored_text),
            WAIT_OVER: (t.wait_over, t.wait_over_text),
            WAIT: (t.wait, t.wait_text),
        }[kind]
        border = ink if fill.lower() == "#ffffff" else fill
        data = {"marker": m.label, "kind": kind}
        if m.fail_point is not None:
            data["blueprint-id"] = m.fail_point.id
        self.vertex(
            f"badge-{m.label}",
            parent,
            badge_label(m),
            _style(
                "rounded=0",
                html="0",
                fillColor=fill,
                strokeColor=border,
                fontFamily=self.font,
                fontSize=float(SMALL_FONT),
                fontColor=ink,
                fontStyle="1",
                spacing="0",
            ),
            (x, y, w, BADGE_H - 2),
            tooltip=marker_text(m),
            data=data,
            connectable=False,
        )

    def action_tooltip(self, box: Box) -> str:
        return "\n".join(action_details(self.bp, box, marker_text))

    def lines(self) -> None:
        """The three lines: dashed connectors across the gaps between their lanes, named
        at their left end, as in the render."""
        lay, t = self.lay, self.theme
        left, right = MARGIN + 4, lay.width - MARGIN - 4
        size = SMALL_FONT + 1
        for sep in lay.separators:
            lane = sep.key.removeprefix("line:")
            w = text_width(sep.label, size) + 6
            # the name's centre along the line (-1: its start, 1: its end), then up 8 points
            along = (left + 12 + w / 2 - (left + right) / 2) / ((right - left) / 2)
            self.edge(
                LINE_IDS.get(lane, f"line-{lane}"),
                sep.label,
                _style(
                    endArrow="none",
                    html="0",
                    dashed="1",
                    strokeWidth="1.4",
                    strokeColor=t.line,
                    fontFamily=self.font,
                    fontSize=float(size),
                    fontColor=t.muted,
                    fontStyle="2",
                    labelBackgroundColor="none",
                    editable="1",
                ),
                ends=((left, sep.y), (right, sep.y)),
                label_at=(along, 0.0, 0.0, -8.0),
            )

    def flows(self) -> None:
        """Every flow drawn: from box to box along the render's route (its bends as
        waypoints, its ends as fixed connection points)."""
        t = self.theme
        for route in self.routes:
            flow = route.flow
            a, b = self.lay.by_id[flow.from_], self.lay.by_id[flow.to]
            pts = route.points
            (sx, sy), (ex, ey) = pts[0], pts[-1]
            style = _style(
                edgeStyle="orthogonalEdgeStyle",
                rounded="0",
                orthogonalLoop="1",
                html="0",
                endArrow="block",
                endFill="1",
                endSize="5",
                strokeColor=t.edge,
                strokeWidth="1.1",
                fontFamily=self.font,
                fontSize=float(SMALL_FONT),
                fontColor=t.muted,
                labelBackgroundColor=t.background if route.label_on_line else "none",
                exitX=_frac(sx, a.left, a.w),
                exitY=_frac(sy, a.top, a.h),
                exitDx="0",
                exitDy="0",
                exitPerimeter="0",
                entryX=_frac(ex, b.left, b.w),
                entryY=_frac(ey, b.top, b.h),
                entryDx="0",
                entryDy="0",
                entryPerimeter="0",
            )
            self.edge(
                f"flow-{flow.from_}->{flow.to}",
                flow.label or "",
                style,
                source=f"act-{flow.from_}",
                target=f"act-{flow.to}",
                points=pts[1:-1],
                label_at=_along(pts, route.label_at) if flow.label and route.label_at else None,
            )

    def stub(self, stub: Stub) -> None:
        """A flow to (or from) a step this view leaves out, as the render draws it: a
        short arrow out of the box's right side (into its left side), "to 9"."""
        box = self.lay.by_id.get(stub.action)
        if box is None:
            return
        length = 22.0
        steps = "; ".join(f"{n}. {title}" for n, title in zip(stub.steps, stub.titles, strict=True))
        direction = "out" if stub.outgoing else "in"
        if stub.outgoing:  # out of the right side, low
            y = box.bottom - 7
            ends = ((box.right, y), (box.right + length, y))
        else:  # into the left side, high
            y = box.top + 7
            ends = ((box.left - length, y), (box.left, y))
        cell = f"act-{stub.action}"
        side = _style(
            html="0",
            endArrow="block",
            endFill="0",
            endSize="5",
            strokeColor=self.theme.edge,
            fontFamily=self.font,
            fontSize=float(SMALL_FONT - 1),
            fontColor=self.theme.muted,
            labelBackgroundColor="none",
            **(
                {"exitX": "1", "exitY": _frac(y, box.top, box.h), "exitPerimeter": "0"}
                if stub.outgoing
                else {"entryX": "0", "entryY": _frac(y, box.top, box.h), "entryPerimeter": "0"}
            ),
        )
        self.edge(
            f"stub-{stub.action}+{direction}",
            stub.text,
            side,
            source=cell if stub.outgoing else None,
            target=None if stub.outgoing else cell,
            ends=ends,
            label_at=(0.0, 0.0, 0.0, 8.0 if stub.outgoing else -8.0),
            tooltip=f"{'To' if stub.outgoing else 'From'} a step {stub.where}: {steps}",
        )


def _frac(value: float, start: float, size: float) -> str:
    """Where a point lies along a box side, 0 to 1 (draw.io's exitX, entryY...)."""
    share = (value - start) / size if size else 0.5
    return f"{min(1.0, max(0.0, share)):.4f}".rstrip("0").rstrip(".") or "0"


def _along(
    points: list[tuple[float, float]], at: tuple[float, float]
) -> tuple[float, float, float, float]:
    """A label's place as draw.io keeps it: how far along the path (-1 to 1) the point
    of the path nearest to it lies, and its offset from that point."""
    lengths = [abs(x2 - x1) + abs(y2 - y1) for (x1, y1), (x2, y2) in itertools.pairwise(points)]
    total = sum(lengths) or 1.0
    best: tuple[float, float, float, float] | None = None
    walked = 0.0
    for ((x1, y1), (x2, y2)), length in zip(itertools.pairwise(points), lengths, strict=True):
        if length:
            share = ((at[0] - x1) * (x2 - x1) + (at[1] - y1) * (y2 - y1)) / (length * length)
        else:
            share = 0.0
        share = min(1.0, max(0.0, share))
        px, py = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share
        far = math.hypot(at[0] - px, at[1] - py)
        if best is None or far < best[0]:
            best = (far, (walked + length * share) / total, at[0] - px, at[1] - py)
        walked += length
    if best is None:
        return (0.0, 0.0, 0.0, 0.0)
    return (best[1] * 2 - 1, 0.0, best[2], best[3])
