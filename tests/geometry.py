"""Read a rendered diagram back from Graphviz (-Tjson) and check its geometry."""

from __future__ import annotations

import bisect
import itertools
import json
from dataclasses import dataclass
from typing import Any

from blueprint_cli.model import LANES, LINES, Blueprint

TOL = 1.6  # Graphviz rounds positions to half points
COLLINEAR = 1.5  # two segments this close across are on one line
OVERLAP = 2.0  # and share a stretch this long
LABEL_NEAR = 10.0  # a label's centre this close to its own arrow is on it


@dataclass(frozen=True)
class Rect:
    name: str
    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x - self.w / 2

    @property
    def x2(self) -> float:
        return self.x + self.w / 2

    @property
    def y1(self) -> float:
        return self.y - self.h / 2

    @property
    def y2(self) -> float:
        return self.y + self.h / 2


def _xy(text: str) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def parse(raw: bytes) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(raw)
    return doc


def boxes(doc: dict[str, Any]) -> dict[str, Rect]:
    found = {}
    for obj in doc.get("objects", []):
        name = obj.get("name", "")
        if name.startswith(("a:", "e:")):
            x, y = _xy(obj["pos"])
            found[name] = Rect(name, x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    return found


def bands(doc: dict[str, Any]) -> dict[str, tuple[float, float, float, float]]:
    found = {}
    for obj in doc.get("objects", []):
        name = obj.get("name", "")
        if name.startswith("cluster_lane_"):
            x1, y1, x2, y2 = (float(v) for v in obj["bb"].split(","))
            found[name.removeprefix("cluster_lane_")] = (x1, y1, x2, y2)
    return found


def polyline(pos: str) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Vertices of a spline written as straight segments, and the arrow tip."""
    parts = pos.split()
    tip = _xy(parts[0][2:])
    pts = [_xy(p) for p in parts[1:]]
    vertices = [pts[0], *pts[3::3]]
    return vertices, tip


def _crosses(a: tuple[float, float], b: tuple[float, float], r: Rect) -> bool:
    """Does the axis-aligned segment a-b pass through the inside of r?"""
    x1, x2 = sorted((a[0], b[0]))
    y1, y2 = sorted((a[1], b[1]))
    return x1 < r.x2 - TOL and x2 > r.x1 + TOL and y1 < r.y2 - TOL and y2 > r.y1 + TOL


def _on_border(p: tuple[float, float], r: Rect) -> bool:
    x, y = p
    inside_x = r.x1 - TOL <= x <= r.x2 + TOL
    inside_y = r.y1 - TOL <= y <= r.y2 + TOL
    near = min(abs(x - r.x1), abs(x - r.x2), abs(y - r.y1), abs(y - r.y2)) <= TOL
    return inside_x and inside_y and near


def check(bp: Blueprint, raw: bytes) -> list[str]:
    """Every geometry problem of a rendered blueprint (empty when the picture is right)."""
    doc = parse(raw)
    problems: list[str] = []
    rects = boxes(doc)
    lanes = bands(doc)

    # lanes: all five, in the canonical order top to bottom, not overlapping
    if list(lanes) != list(LANES):
        problems.append(f"lanes {list(lanes)} are not {list(LANES)}")
    ordered = [lanes[lane] for lane in LANES if lane in lanes]
    for upper, lower in itertools.pairwise(ordered):
        if not lower[3] < upper[1]:
            problems.append(f"lane bands overlap or are out of order: {upper} / {lower}")

    # columns: every box of a step shares the step's x; boxes sit inside their lane
    for step in bp.steps:
        keys = [f"e:{ev.id}" for ev in step.evidence] + [f"a:{a.id}" for a in step.actions()]
        xs = {round(rects[k].x) for k in keys if k in rects}
        if len(xs) > 1 and max(xs) - min(xs) > TOL:
            problems.append(f"step {step.id}: boxes not in one column: {sorted(xs)}")
        for ev in step.evidence:
            _inside(problems, rects.get(f"e:{ev.id}"), lanes.get("evidence"))
        for action in step.actions():
            _inside(problems, rects.get(f"a:{action.id}"), lanes.get(action.lane))

    # no two boxes overlap
    items = sorted(rects.values(), key=lambda r: r.x1)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if b.x1 >= a.x2 - TOL:
                break
            if a.y1 < b.y2 - TOL and b.y1 < a.y2 - TOL:
                problems.append(f"boxes overlap: {a.name} / {b.name}")

    # separator lines between their two lanes
    by_id = {e.get("id", ""): e for e in doc.get("edges", [])}
    order = list(LANES)
    for lane in LINES:
        edge = by_id.get(f"line:{lane}")
        below = order[order.index(lane) + 1]
        if edge is None:
            problems.append(f"no separator line under {lane}")
            continue
        y = _xy(edge["pos"].split()[0])[1]
        if lane in lanes and below in lanes and not lanes[below][3] < y < lanes[lane][1]:
            problems.append(f"line under {lane} at y={y} is not between {lane} and {below}")

    # arrows: start and end on their boxes, axis-aligned, through no box
    gvid = {obj["_gvid"]: obj.get("name", "") for obj in doc.get("objects", [])}
    for edge in doc.get("edges", []):
        if not edge.get("id", "").startswith("flow:"):
            continue
        tail, head = rects.get(gvid[edge["tail"]]), rects.get(gvid[edge["head"]])
        if tail is None or head is None:
            problems.append(f"{edge['id']}: joins something that is not a box")
            continue
        vertices, tip = polyline(edge["pos"])
        if not _on_border(vertices[0], tail):
            problems.append(f"{edge['id']}: starts at {vertices[0]}, not on {tail.name}")
        if not _on_border(tip, head):
            problems.append(f"{edge['id']}: ends at {tip}, not on {head.name}")
        path = [*vertices, tip]
        for a, b in itertools.pairwise(path):
            if abs(a[0] - b[0]) > TOL and abs(a[1] - b[1]) > TOL:
                problems.append(f"{edge['id']}: diagonal segment {a} -> {b}")
            for r in rects.values():
                if _crosses(a, b, r):
                    problems.append(f"{edge['id']}: crosses {r.name}")

    drawn = flows(doc)
    problems += shared_segments(drawn) + stray_labels(drawn) + check_rows(bp, doc, lanes)

    # the legend sits below the lanes
    for obj in doc.get("objects", []):
        if obj.get("name") == "legend" and "support" in lanes:
            _, y = _xy(obj["pos"])
            top = y + float(obj["height"]) * 72 / 2
            if top >= lanes["support"][1]:
                problems.append(f"legend (top {top}) overlaps the lanes ({lanes['support'][1]})")
    return problems


def rows(doc: dict[str, Any]) -> dict[str, tuple[float, float, float, float]]:
    """The bands of the optional rows (``render --rows``), by name."""
    found = {}
    for obj in doc.get("objects", []):
        name = obj.get("name", "")
        if name.startswith("cluster_row_"):
            x1, y1, x2, y2 = (float(v) for v in obj["bb"].split(","))
            found[name.removeprefix("cluster_row_")] = (x1, y1, x2, y2)
    return found


def _rects(doc: dict[str, Any], prefixes: tuple[str, ...]) -> dict[str, Rect]:
    found = {}
    for obj in doc.get("objects", []):
        name = obj.get("name", "")
        if name.startswith(prefixes) and not name.endswith(":label") and "width" in obj:
            x, y = _xy(obj["pos"])
            found[name] = Rect(name, x, y, float(obj["width"]) * 72, float(obj["height"]) * 72)
    return found


def check_rows(
    bp: Blueprint, doc: dict[str, Any], lanes: dict[str, tuple[float, float, float, float]]
) -> list[str]:
    """The optional rows keep the grid honest: emotion above the evidence lane, metrics
    then regulations below the support lane, no row over a lane or another row; every
    emotion point in its step's column, inside the row, higher for a better feeling;
    every tag in its step's column, inside its row, over no other tag."""
    problems: list[str] = []
    found = rows(doc)
    if not found:
        return problems
    order = [("row", "emotion"), *(("lane", lane) for lane in LANES)]
    order += [("row", "metrics"), ("row", "regulations")]
    bands_of = {"row": found, "lane": lanes}
    stack = [(name, bands_of[kind][name]) for kind, name in order if name in bands_of[kind]]
    if list(found) != [name for kind, name in order if kind == "row" and name in found]:
        problems.append(f"rows {list(found)} are out of order")
    for (upper, a), (lower, b) in itertools.pairwise(stack):
        if not b[3] < a[1]:
            problems.append(f"{upper} and {lower} overlap or are out of order: {a} / {b}")
    columns = {name.removeprefix("step:"): r.x for name, r in _rects(doc, ("step:",)).items()}
    index = {step.id: step for step in bp.steps}
    points = _rects(doc, ("emo:",))
    feelings: dict[str, list[tuple[int, float, str]]] = {}
    for name, r in points.items():
        _, who, step_id = name.split(":", 2)
        step = index.get(step_id)
        value = getattr(step.emotion, who, None) if step and step.emotion else None
        if value is None:
            problems.append(f"{name}: a point for a feeling nobody wrote")
            continue
        if step_id in columns and abs(r.x - columns[step_id]) > TOL:
            problems.append(f"{name}: at x={r.x}, not in its step's column ({columns[step_id]})")
        band = found.get("emotion")
        if band is None or not (band[1] - TOL <= r.y1 and r.y2 <= band[3] + TOL):
            problems.append(f"{name} is outside the emotion row")
        feelings.setdefault(who, []).append((value, r.y, name))
    for marks in feelings.values():
        marks.sort()
        for (v1, y1, n1), (v2, y2, n2) in itertools.pairwise(marks):
            if (v1 == v2 and abs(y1 - y2) > TOL) or (v1 < v2 and not y1 < y2 - TOL):
                problems.append(f"{n1} ({v1}) and {n2} ({v2}) are drawn at {y1} and {y2}")
    written = sum(
        (s.emotion.customer is not None) + (s.emotion.staff is not None)
        for s in bp.steps
        if s.emotion is not None
    )
    if "emotion" in found and len(points) != written:
        problems.append(f"{len(points)} emotion points for {written} feelings written")
    for row, prefix in (("metrics", "metric:"), ("regulations", "reg:")):
        tags = _rects(doc, (prefix,))
        band = found.get(row)
        for name, r in tags.items():
            step_id = name.split(":")[1]
            if band is None or not (band[1] - TOL <= r.y1 and r.y2 <= band[3] + TOL):
                problems.append(f"{name} is outside the {row} row")
            if step_id in columns and abs(r.x - columns[step_id]) > TOL:
                problems.append(f"{name}: not in its step's column")
        listed = sorted(tags.values(), key=lambda r: (r.x, r.y))
        for a, b in itertools.pairwise(listed):
            if abs(a.x - b.x) <= TOL and b.y1 < a.y2 - TOL:
                problems.append(f"tags overlap: {a.name} / {b.name}")
    return problems


def _inside(
    problems: list[str], r: Rect | None, band: tuple[float, float, float, float] | None
) -> None:
    if r is None or band is None:
        return
    if not (band[1] - TOL <= r.y1 and r.y2 <= band[3] + TOL):
        problems.append(f"{r.name} is outside its lane")


Point = tuple[float, float]


@dataclass(frozen=True)
class Flow:
    """A drawn flow: its id, its two end actions and its path (tail to arrow tip)."""

    id: str
    ends: frozenset[str]
    path: list[Point]
    label_at: Point | None


def flows(doc: dict[str, Any]) -> list[Flow]:
    """The flows of a rendered diagram; ends are read from the edge id,
    ``flow:{index}:{from}->{to}`` (an id holds no '>')."""
    found = []
    for edge in doc.get("edges", []):
        ident = edge.get("id", "")
        if not ident.startswith("flow:"):
            continue
        source, target = ident.split(":", 2)[2].split("->", 1)
        vertices, tip = polyline(edge["pos"])
        lp = _xy(edge["lp"]) if edge.get("label") and edge.get("lp") else None
        found.append(Flow(ident, frozenset((source, target)), [*vertices, tip], lp))
    return found


def _segments(found: list[Flow]) -> tuple[list[tuple[float, float, float, int]], ...]:
    """Horizontal runs as (y, x1, x2, flow) and vertical ones as (x, y1, y2, flow)."""
    across: list[tuple[float, float, float, int]] = []
    down: list[tuple[float, float, float, int]] = []
    for i, flow in enumerate(found):
        for a, b in itertools.pairwise(flow.path):
            if abs(a[0] - b[0]) >= abs(a[1] - b[1]):
                across.append(((a[1] + b[1]) / 2, min(a[0], b[0]), max(a[0], b[0]), i))
            else:
                down.append(((a[0] + b[0]) / 2, min(a[1], b[1]), max(a[1], b[1]), i))
    return across, down


def shared_segments(found: list[Flow]) -> list[str]:
    """Two flows that share no end action never run along one line for a stretch: a reader
    could not tell where either goes."""
    problems: list[str] = []
    for kind, segs in zip(("horizontal", "vertical"), _segments(found), strict=True):
        segs.sort()
        # lines: runs of segments whose positions across lie within COLLINEAR of the next
        start = 0
        for i in range(1, len(segs) + 1):
            if i < len(segs) and segs[i][0] - segs[i - 1][0] <= COLLINEAR:
                continue
            line = sorted(segs[start:i], key=lambda s: s[1])
            start = i
            active: list[tuple[float, float, float, int]] = []
            for seg in line:
                active = [s for s in active if s[2] - seg[1] > OVERLAP]
                for other in active:
                    a, b = found[seg[3]], found[other[3]]
                    if (
                        seg[3] != other[3]
                        and not a.ends & b.ends
                        and abs(seg[0] - other[0]) <= COLLINEAR
                        and min(seg[2], other[2]) - seg[1] > OVERLAP
                    ):
                        problems.append(
                            f"{a.id} and {b.id} share a {kind} segment at {seg[0]:g} "
                            f"({seg[1]:g}..{min(seg[2], other[2]):g})"
                        )
                active.append(seg)
    return problems


def _distance(p: Point, pos: float, lo: float, hi: float, horizontal: bool) -> float:
    x, y = p if horizontal else (p[1], p[0])
    dx = lo - x if x < lo else x - hi if x > hi else 0.0
    return float((dx * dx + (y - pos) ** 2) ** 0.5)


def stray_labels(found: list[Flow]) -> list[str]:
    """Each flow label sits on or next to its own arrow, nearer to it than to any other."""
    across, down = _segments(found)
    across.sort()
    down.sort()
    problems: list[str] = []
    for i, flow in enumerate(found):
        if flow.label_at is None:
            continue
        p = flow.label_at
        mine = _segments([flow])
        own = min(
            _distance(p, pos, lo, hi, h)
            for h, segs in zip((True, False), mine, strict=True)
            for pos, lo, hi, _ in segs
        )
        if own > LABEL_NEAR:
            problems.append(f"{flow.id}: label at {p} is {own:.1f} from its arrow")
            continue
        for h, segs in ((True, across), (False, down)):
            centre = p[1] if h else p[0]
            lo_i = bisect.bisect_left(segs, (centre - own - 1,))
            hi_i = bisect.bisect_right(segs, (centre + own + 1,))
            for pos, lo, hi, j in segs[lo_i:hi_i]:
                if j != i and _distance(p, pos, lo, hi, h) < own + 1:
                    problems.append(f"{flow.id}: label at {p} is as near to {found[j].id}")
                    break
    return problems
