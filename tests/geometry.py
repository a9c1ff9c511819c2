"""Read a rendered diagram back from Graphviz (-Tjson) and check its geometry."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

from blueprint_cli.model import LANES, LINES, Blueprint

TOL = 1.6  # Graphviz rounds positions to half points


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

    # the legend sits below the lanes
    for obj in doc.get("objects", []):
        if obj.get("name") == "legend" and "support" in lanes:
            _, y = _xy(obj["pos"])
            top = y + float(obj["height"]) * 72 / 2
            if top >= lanes["support"][1]:
                problems.append(f"legend (top {top}) overlaps the lanes ({lanes['support'][1]})")
    return problems


def _inside(
    problems: list[str], r: Rect | None, band: tuple[float, float, float, float] | None
) -> None:
    if r is None or band is None:
        return
    if not (band[1] - TOL <= r.y1 and r.y2 <= band[3] + TOL):
        problems.append(f"{r.name} is outside its lane")
