"""Arrow routes that never cross a box: through the channels between columns and the
corridors between rows, with parallel arrows spread over tracks and arrow ends spread
along the sides of their boxes.

Each flow gets one of four shapes:

- V: same column, nothing in between: down (or up) from box to box;
- U: same column, a box in between: out of the right side, along the column's right
  channel, back into the right side;
- Z: neighbouring columns, or the same row with nothing in between: out of the side
  facing the target, along the channel next to the target, into its side;
- L: anything else (long and backward arrows): out of the side, along the channel next
  to the source to the corridor beside the source row, along it to the channel next to
  the target, into the target's side.

Coordinates that depend on other arrows (tracks, attachment points) are variables,
settled once every route is planned.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from blueprint_cli.model import Flow
from blueprint_cli.render.layout import CHANNEL, SMALL_FONT, Band, Box, Layout, text_width, wrap

LABEL_MAX_W = 120.0


def label_text(label: str) -> str:
    """A flow label as drawn: one line, cut to fit."""
    return wrap(label, LABEL_MAX_W, SMALL_FONT, 1)[0]


def label_width(label: str) -> float:
    return text_width(label_text(label), SMALL_FONT)


ARROW = 7.0  # arrowhead length at arrowsize 0.7
_TRACK_GAP = 3.0
TRACK_SPACING = 3.0  # the least distance between two tracks of a corridor


class _Var:
    """A coordinate decided after planning: a track in a channel or corridor, or a point on
    a box side."""

    __slots__ = ("group", "hi", "lo", "nominal", "order", "span", "value")

    def __init__(self, group: tuple[object, ...], nominal: float, lo: float, hi: float) -> None:
        self.group = group
        self.nominal = nominal
        self.lo, self.hi = lo, hi  # the range the value may take
        self.value = nominal
        self.order = 0.0  # attachments: sorted by where the arrow goes
        self.span = (0.0, 0.0)  # tracks: the interval the segment covers


Coord = float | _Var


def _val(c: Coord) -> float:
    return c.value if isinstance(c, _Var) else c


def _nom(c: Coord) -> float:
    return c.nominal if isinstance(c, _Var) else c


@dataclass(slots=True)
class Route:
    flow: Flow
    points: list[tuple[float, float]]  # y grows downwards, like the layout
    label_at: tuple[float, float] | None
    label_on_line: bool = False  # drawn across its own line, on a background


class _Planner:
    def __init__(self, lay: Layout) -> None:
        self.lay = lay
        self.vars: list[_Var] = []
        self.grid: dict[tuple[str, int, int], Box] = {(b.lane, b.col, b.slot): b for b in lay.boxes}
        # the heights of each column's action boxes, sorted: whether a box stands between
        # two others is one bisection, not a scan of the column (a cell of thousands)
        self.col_ys: dict[int, list[float]] = {}
        for b in lay.boxes:
            if b.action is not None:
                self.col_ys.setdefault(b.col, []).append(b.y)
        for ys in self.col_ys.values():
            ys.sort()

    # -- variables
    def side(self, box: Box, side: str, toward: float) -> tuple[Coord, Coord]:
        if side in ("left", "right"):
            # the ends on the sides that face one channel in one row are spread together:
            # an arrow out of the box left of the channel never runs on the line of one
            # into the box right of it
            k = box.col + 1 if side == "right" else box.col
            group = ("att", k, box.lane, box.slot)
            var = self._var(group, box.y, box.top + 6, box.bottom - 6)
            var.order = toward
            return (box.left if side == "left" else box.right), var
        var = self._var(("att", box.key, side), box.x, box.left + 14, box.right - 14)
        var.order = toward
        return var, (box.top if side == "top" else box.bottom)

    def channel(self, k: int, y1: Coord, y2: Coord) -> _Var:
        x = self.lay.channel_x(k)
        half = CHANNEL / 2 - 16
        var = self._var(("ch", k), x, x - half, x + half)
        var.span = (min(_nom(y1), _nom(y2)), max(_nom(y1), _nom(y2)))
        return var

    def corridor(self, band: Band, index: int, x1: float, x2: float) -> _Var:
        top, bottom = self.lay.corridors(band)[index]
        var = self._var(("co", band.lane, index), (top + bottom) / 2, top + 3, bottom - 3)
        var.span = (min(x1, x2), max(x1, x2))
        return var

    def _var(self, group: tuple[object, ...], nominal: float, lo: float, hi: float) -> _Var:
        var = _Var(group, nominal, lo, hi)
        self.vars.append(var)
        return var

    # -- shapes
    def plan(self, a: Box, b: Box) -> list[tuple[Coord, Coord]]:
        if a.col == b.col:
            return self._same_column(a, b)
        forward = b.col > a.col
        side_a, side_b = ("right", "left") if forward else ("left", "right")
        # channel next to the target, on the side facing the source
        ch_b = b.col if forward else b.col + 1
        if abs(b.col - a.col) == 1 and (a.lane, a.slot) == (b.lane, b.slot):
            # straight across the channel: both ends are one point of its row's spread
            xa, y = self.side(a, side_a, b.y)
            return [(xa, y), (b.left if forward else b.right, y)]
        if abs(b.col - a.col) == 1 or self._row_clear(a, b):
            xa, ya = self.side(a, side_a, b.y)
            xb, yb = self.side(b, side_b, a.y)
            ch = self.channel(ch_b, ya, yb)
            return [(xa, ya), (ch, ya), (ch, yb), (xb, yb)]
        ch_a = a.col + 1 if forward else a.col
        band = self.lay.bands[a.lane]
        gaps = self.lay.corridors(band)
        index = a.slot + 1 if b.y >= a.y else a.slot  # the corridor below / above the source
        xa, ya = self.side(a, side_a, b.y)
        xb, yb = self.side(b, side_b, a.y)
        co = self.corridor(
            band, min(index, len(gaps) - 1), self.lay.channel_x(ch_a), self.lay.channel_x(ch_b)
        )
        c1 = self.channel(ch_a, ya, co)
        c2 = self.channel(ch_b, co, yb)
        return [(xa, ya), (c1, ya), (c1, co), (c2, co), (c2, yb), (xb, yb)]

    def demand(self, a: Box, b: Box) -> None:
        """Only the corridor track the flow would take, if any: what ``crowded`` needs,
        at a fraction of the cost of ``plan``."""
        if a.col == b.col:
            if self._adjacent(a, b):
                upper, lower = (a, b) if a.y < b.y else (b, a)
                self._mid(upper, lower, a.x, b.x)
            return
        if abs(b.col - a.col) == 1 or self._row_clear(a, b):
            return
        forward = b.col > a.col
        ch_a, ch_b = (a.col + 1, b.col) if forward else (a.col, b.col + 1)
        band = self.lay.bands[a.lane]
        index = a.slot + 1 if b.y >= a.y else a.slot
        last = len(self.lay.corridors(band)) - 1
        self.corridor(band, min(index, last), self.lay.channel_x(ch_a), self.lay.channel_x(ch_b))

    def _adjacent(self, a: Box, b: Box) -> bool:
        """Two boxes of one column with no action box between them."""
        upper, lower = (a, b) if a.y < b.y else (b, a)
        ys = self.col_ys.get(a.col, [])
        # a and b stand at the ends of the open interval: never counted in it
        between = bisect.bisect_left(ys, lower.y) - bisect.bisect_right(ys, upper.y)
        return a is not b and between <= 0

    def _same_column(self, a: Box, b: Box) -> list[tuple[Coord, Coord]]:
        upper, lower = (a, b) if a.y < b.y else (b, a)
        if self._adjacent(a, b):
            down = a is upper
            xa, ya = self.side(a, "bottom" if down else "top", b.x)
            xb, yb = self.side(b, "top" if down else "bottom", a.x)
            mid = self._mid(upper, lower, xa, xb)
            return [(xa, ya), (xa, mid), (xb, mid), (xb, yb)]
        xa, ya = self.side(a, "right", b.y if a is not b else a.y - 1)
        xb, yb = self.side(b, "right", a.y if a is not b else a.y + 1)
        ch = self.channel(a.col + 1, ya, yb)
        return [(xa, ya), (ch, ya), (ch, yb), (xb, yb)]

    def _mid(self, upper: Box, lower: Box, x1: Coord, x2: Coord) -> _Var:
        """The horizontal of a V: a track of the corridor just above the lower box (within
        one band: the gap between the rows; else the free band at the top of its lane)."""
        band = self.lay.bands[lower.lane]
        index = lower.slot if upper.lane == lower.lane else 0
        return self.corridor(band, index, _nom(x1), _nom(x2))

    def _row_clear(self, a: Box, b: Box) -> bool:
        if a.lane != b.lane or a.slot != b.slot:
            return False
        lo, hi = sorted((a.col, b.col))
        return not any((a.lane, c, a.slot) in self.grid for c in range(lo + 1, hi))

    # -- settle the variables
    def crowded(self) -> dict[tuple[str, int], float]:
        """The height each corridor lacks to hold its tracks TRACK_SPACING apart."""
        groups: dict[tuple[object, ...], list[_Var]] = {}
        for var in self.vars:
            if var.group[0] == "co":
                groups.setdefault(var.group, []).append(var)
        extra: dict[tuple[str, int], float] = {}
        for (_, lane, index), members in groups.items():
            assert isinstance(lane, str) and isinstance(index, int)
            count = _tracks(members)
            room = members[0].hi - members[0].lo
            if (count - 1) * TRACK_SPACING > room:
                extra[(lane, index)] = (count - 1) * TRACK_SPACING - room
        return extra

    def settle(self) -> None:
        groups: dict[tuple[object, ...], list[_Var]] = {}
        for var in self.vars:
            groups.setdefault(var.group, []).append(var)
        for group, members in groups.items():
            if group[0] == "att":
                _spread(members)
            else:
                _tracks(members)


def _spread(members: list[_Var]) -> None:
    """Arrow ends on one side of a box, evenly spaced, in the order of where they go."""
    members.sort(key=lambda v: v.order)
    n = len(members)
    if n == 1:
        return
    lo, hi = members[0].lo, members[0].hi
    for i, var in enumerate(members):
        var.value = lo + (hi - lo) * i / (n - 1) if hi > lo else var.nominal


def _tracks(members: list[_Var]) -> int:
    """Segments in one channel or corridor: overlapping ones get tracks side by side.

    First fit, in order of where segments start: each takes the lowest-numbered track
    that is free again by then. Tracks come free as the segments start further on, so a
    heap of ends and a heap of free tracks do it in n log n (a channel of a 2,000-step
    blueprint holds thousands of segments)."""
    members.sort(key=lambda v: (v.span[0], v.span[1]))
    busy: list[tuple[float, int]] = []  # (end, track) of the tracks in use
    free: list[int] = []
    count = 0
    track_of: list[int] = []
    for var in members:
        start = var.span[0]
        while busy and busy[0][0] + _TRACK_GAP < start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            track = heapq.heappop(free)
        else:
            track = count
            count += 1
        heapq.heappush(busy, (var.span[1], track))
        track_of.append(track)
    if count == 1:
        return count
    lo, hi = members[0].lo, members[0].hi
    for var, t in zip(members, track_of, strict=True):
        var.value = lo + (hi - lo) * t / (count - 1)
    return count


Rect = tuple[float, float, float, float]


class _Taken:
    """The label rectangles placed so far, filed by columns of the drawing's width, so
    that a new label is tested against its neighbours and not against all of them."""

    CELL = 256.0

    def __init__(self) -> None:
        self.cells: dict[int, list[Rect]] = {}

    def _cells(self, rect: Rect) -> range:
        return range(int(rect[0] // self.CELL), int(rect[2] // self.CELL) + 1)

    def hits(self, rect: Rect) -> bool:
        return any(
            r[0] < rect[2] and rect[0] < r[2] and r[1] < rect[3] and rect[1] < r[3]
            for cell in self._cells(rect)
            for r in self.cells.get(cell, ())
        )

    def add(self, rect: Rect) -> None:
        for cell in self._cells(rect):
            self.cells.setdefault(cell, []).append(rect)


class _Lines:
    """Every route's segments, filed by cells (thin across the segment, long along it), to
    ask which other arrows pass through a label's rectangle."""

    ACROSS = 8.0
    ALONG = 8192.0

    def __init__(self) -> None:
        self.cells: dict[tuple[bool, int, int], list[tuple[float, float, float, int]]] = {}

    def add(self, owner: int, points: list[tuple[float, float]]) -> None:
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            flat = y1 == y2
            pos, lo, hi = (y1, *sorted((x1, x2))) if flat else (x1, *sorted((y1, y2)))
            row = int(pos // self.ACROSS)
            for cell in range(int(lo // self.ALONG), int(hi // self.ALONG) + 1):
                self.cells.setdefault((flat, row, cell), []).append((pos, lo, hi, owner))

    def near(self, owner: int, rect: Rect, enough: float = 0.0) -> float:
        """The distance from the rectangle's centre to the nearest arrow of another flow
        that passes through it (inf: none does); the first found under ``enough``, when
        the caller only asks whether there is one that near."""
        cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
        best = float("inf")
        for flat in (True, False):
            # across the segments, then along them
            x1, y1, x2, y2 = rect
            a1, a2, b1, b2 = (y1, y2, x1, x2) if flat else (x1, x2, y1, y2)
            for row in range(int(a1 // self.ACROSS), int(a2 // self.ACROSS) + 1):
                for cell in range(int(b1 // self.ALONG), int(b2 // self.ALONG) + 1):
                    for pos, lo, hi, who in self.cells.get((flat, row, cell), ()):
                        if who == owner or not (a1 <= pos <= a2 and lo <= b2 and b1 <= hi):
                            continue
                        c_pos, c_along = (cy, cx) if flat else (cx, cy)
                        gap = max(lo - c_along, c_along - hi, 0.0)
                        best = min(best, float((gap * gap + (pos - c_pos) ** 2) ** 0.5))
                        if best < enough:
                            return best
        return best


def _places(
    points: list[tuple[float, float]], width: float, corridors: list[tuple[float, float]]
) -> Iterator[tuple[tuple[float, float], bool, float]]:
    """Where a label may go, best first: (place, on the line, distance to its arrow)."""
    runs = sorted(
        (
            (x1, x2, y1)
            for (x1, y1), (x2, y2) in itertools.pairwise(points)
            if y1 == y2 and abs(x2 - x1) >= width + 12
        ),
        key=lambda r: -abs(r[1] - r[0]),
    )
    for x1, x2, y in runs:
        yield ((x1 + x2) / 2, y - 7), False, 7.0
    for x1, x2, y in runs:
        lo, hi = sorted((x1, x2))
        room = (hi - lo - width - 12) / 2  # how far the label can slide from the middle
        fine = [k * 0.6 for k in sorted(range(-12, 13), key=abs) if abs(k * 0.6) <= room]
        for shift in dict.fromkeys([0.0, -room, room, -room / 2, room / 2, *fine]):
            yield ((lo + hi) / 2 + shift, y), True, 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        if x1 != x2:
            continue
        lo, hi = sorted((y1, y2))
        for top, bottom in sorted(corridors, key=lambda c: abs((c[0] + c[1]) / 2 - y1)):
            a, b = max(lo, top), min(hi, bottom)
            if b - a >= 12:
                # the middle, then half-track steps out from it (a tall corridor is full
                # of tracks: the label goes between two)
                steps = min(int((b - a - 12) / 2 / (TRACK_SPACING / 2)), 12)
                for k in sorted(range(-steps, steps + 1), key=abs):
                    y = (a + b) / 2 + k * TRACK_SPACING / 2
                    yield (x1, y), True, 0.0


def _label_at(
    owner: int,
    points: list[tuple[float, float]],
    width: float,
    corridors: list[tuple[float, float]],
    taken: _Taken,
    lines: _Lines,
) -> tuple[tuple[float, float], bool] | None:
    """Where a flow's label goes, and whether it needs a background to sit on its line.

    Above the longest horizontal run it fits on; else on it, on a background; else across
    a vertical run where that crosses a corridor (a band free of boxes from side to side),
    nearest the start of the run and so clear of the arrowhead, on a background. The first
    place that no other label took and no other arrow passes through wins; failing that,
    the first where the label is nearer its own arrow than any other (free of labels, else
    on one); failing that, the one where it is least unclear.
    """
    # (place, on the line, distance to its own arrow), made as they are looked at: the
    # first few usually do
    candidates: list[tuple[tuple[float, float], bool, float]] = []
    places = _places(points, width, corridors)
    second: tuple[tuple[float, float], bool] | None = None
    third: tuple[tuple[float, float], bool] | None = None
    looked = 0  # candidates looked at since a second best turned up
    for place, boxed, own in places:
        candidates.append((place, boxed, own))
        if second is not None or third is not None:
            looked += 1
            if looked > 8:  # enough: a clear place is rarely further down
                break
        x, y = place
        rect = (x - width / 2 - 2, y - 6, x + width / 2 + 2, y + 6)
        reach = own + TRACK_SPACING / 2  # no other arrow this near: nearer its own
        if lines.near(owner, (x - reach, y - reach, x + reach, y + reach), reach) < reach:
            continue
        if taken.hits(rect):
            third = third or (place, boxed)  # on another label, but by its own arrow
            continue
        if lines.near(owner, rect, float("inf")) == float("inf"):
            taken.add(rect)
            return place, boxed
        second = second or (place, boxed)
    second = second or third
    if second is not None:
        x, y = second[0]
        taken.add((x - width / 2 - 2, y - 6, x + width / 2 + 2, y + 6))
        return second
    candidates.extend(places)  # none was clear: weigh them all
    if not candidates:
        return None

    def margin(candidate: tuple[tuple[float, float], bool, float]) -> float:
        (x, y), _, own = candidate
        reach = own + 6
        return lines.near(owner, (x - reach, y - reach, x + reach, y + reach)) - own

    place, boxed, _ = max(candidates, key=margin)  # the least unclear of them
    return place, boxed


def _clean(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        p = (round(p[0], 2), round(p[1], 2))
        if out and out[-1] == p:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if (x0 == x1 == p[0]) or (y0 == y1 == p[1]):
                out[-1] = p  # collinear: drop the middle point
                continue
        out.append(p)
    return out


def route_all(lay: Layout, flows: list[Flow]) -> list[Route]:
    """A route for every flow whose two ends are boxes of the layout, in flow order.

    Corridors too narrow for the arrows along them are made taller first (the layout
    changes in place: everything below them moves down)."""
    ends = [(lay.by_id.get(flow.from_), lay.by_id.get(flow.to)) for flow in flows]
    survey = _Planner(lay)
    for a, b in ends:
        if a is not None and b is not None:
            survey.demand(a, b)
    extra = survey.crowded()
    if extra:  # more arrows along a corridor than it holds: make it taller
        lay.widen(extra)
    planner = _Planner(lay)
    planned: list[tuple[Flow, list[tuple[Coord, Coord]]]] = []
    for flow, (a, b) in zip(flows, ends, strict=True):
        if a is not None and b is not None:
            planned.append((flow, planner.plan(a, b)))
    planner.settle()
    corridors = sorted(c for band in lay.bands.values() for c in lay.corridors(band))
    taken = _Taken()
    lines = _Lines()
    drawn = [
        (flow, _clean([(_val(x), _val(y)) for x, y in abstract])) for flow, abstract in planned
    ]
    for i, (_, points) in enumerate(drawn):
        lines.add(i, points)
    routes = []
    for i, (flow, points) in enumerate(drawn):
        width = label_width(flow.label) if flow.label else 0.0
        place = _label_at(i, points, width, corridors, taken, lines) if flow.label else None
        route = Route(flow, points, place[0] if place else None, place[1] if place else False)
        routes.append(route)
    return routes
