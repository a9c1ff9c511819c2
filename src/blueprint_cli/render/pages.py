"""A drawing cut into pages: pure arithmetic on its geometry, no PDF (render/pdf.py draws).

Pages are cut only where nothing is drawn but the lanes' background: between two step
columns (the middle of a channel), and between two rows of the legend. Every page after
the first repeats the lane names (the strip at the left of the grid); the title, the phase
and step headers are at the top of each page. The coordinates are the layout's: points,
x rightwards, y downwards.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

#: The largest page side of common PDF readers: 200 inches.
MAX_SIDE = 14_400.0
#: Landscape paper sizes in points (width, height).
PAPERS: dict[str, tuple[float, float]] = {
    "a4": (841.89, 595.28),
    "a3": (1190.55, 841.89),
    "letter": (792.0, 612.0),
    "tabloid": (1224.0, 792.0),
}
PAPER_MARGIN = 18.0  # a quarter of an inch on paper
PAD = 7.2  # around a page drawn without paper: Graphviz's own pad (0.1 inch)


def spans(
    cuts: Sequence[float], start: float, end: float, limit: float, repeat: float = 0.0
) -> list[tuple[float, float]]:
    """[start, end] cut into consecutive spans at some of ``cuts``, each as long as fits.

    A span after the first costs ``repeat`` more (the lane strip drawn again at its left),
    so each is at most ``limit`` with it, unless the gap between two cuts is longer than
    that: then the span goes to the next cut, and the caller scales it down."""
    inner = sorted(c for c in cuts if start < c < end)
    out: list[tuple[float, float]] = []
    left, extra, i = start, 0.0, 0
    while True:
        if extra + end - left <= limit or i == len(inner):
            out.append((left, end))
            return out
        j = bisect.bisect_right(inner, left + limit - extra, lo=i) - 1
        j = max(j, i)  # nothing fits: one gap between cuts, too long
        out.append((left, inner[j]))
        left, extra, i = inner[j], repeat, j + 1


@dataclass(frozen=True, slots=True)
class Geometry:
    """What of a drawing pages need: its size and where it may be cut."""

    width: float
    height: float
    strip: float  # the lane names: x from 0 to strip
    grid_top: float  # the headers start; above: the title
    grid_bottom: float  # the lanes end; below: the legend, if any
    cuts: tuple[float, ...]  # x between step columns
    rows: tuple[float, ...] = ()  # y between the legend's rows; () without a legend
    legend_w: float = 0.0


@dataclass(frozen=True, slots=True)
class Piece:
    """A rectangle of the drawing (left, top, right, bottom) drawn on a page at (x, y),
    scaled by ``scale``."""

    src: tuple[float, float, float, float]
    x: float
    y: float
    scale: float


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    pages: tuple[Page, ...]
    scale: float  # of the grid


def _grid_end(g: Geometry) -> float:
    """Where the grid's pages end: a margin below the lanes, above the legend."""
    return min(g.height, g.grid_bottom + 16.0) if g.rows else g.height


def _grid_pieces(
    g: Geometry, span: tuple[float, float], first: bool, s: float, x: float, y: float
) -> tuple[list[Piece], float]:
    """A page's title, lane strip and columns, from (x, y); and the width drawn."""
    end = _grid_end(g)
    left, right = span
    strip = 0.0 if first else g.strip
    wide = strip + right - left
    pieces = []
    # the title is centred over the whole drawing: show the part of that width around it
    t_left, t_right = max(0.0, g.width / 2 - wide / 2), min(g.width, g.width / 2 + wide / 2)
    if g.grid_top > 0:
        offset = t_left - (g.width / 2 - wide / 2)
        pieces.append(Piece((t_left, 0.0, t_right, g.grid_top), x + offset * s, y, s))
    if strip:
        pieces.append(Piece((0.0, g.grid_top, strip, end), x, y + g.grid_top * s, s))
    pieces.append(Piece((left, g.grid_top, right, end), x + strip * s, y + g.grid_top * s, s))
    return pieces, wide


def plan(g: Geometry, paper: str | None = None) -> Plan:
    """The pages of a drawing: on ``paper`` (landscape, the grid's height fitting the
    page's, never enlarged), or without paper pages as wide as the drawing up to
    MAX_SIDE (scaled down only when it is taller than that)."""
    if paper is None:
        return _unbounded(g)
    pw, ph = PAPERS[paper]
    m = PAPER_MARGIN
    uw, uh = pw - 2 * m, ph - 2 * m
    end = _grid_end(g)
    s = min(1.0, uh / end)
    if g.width * s <= uw and g.height * s <= uh:  # one page: all of it
        return Plan((Page(pw, ph, (Piece((0.0, 0.0, g.width, g.height), m, m, s),)),), s)
    pages: list[Page] = []
    cut = spans(g.cuts, 0.0, g.width, uw / s, g.strip)
    legend_here = bool(g.rows) and g.height * s <= uh and g.legend_w <= cut[0][1]
    for k, span in enumerate(cut):
        pieces, _ = _grid_pieces(g, span, k == 0, s, m, m)
        if k == 0 and legend_here:
            pieces.append(Piece((0.0, end, g.legend_w, g.height), m, m + end * s, s))
        pages.append(Page(pw, ph, tuple(pieces)))
    if g.rows and not legend_here:
        sl = min(1.0, uw / g.legend_w)
        for top, bottom in spans(g.rows, end, g.height, uh / sl):
            pages.append(Page(pw, ph, (Piece((0.0, top, g.legend_w, bottom), m, m, sl),)))
    return Plan(tuple(pages), s)


def _unbounded(g: Geometry) -> Plan:
    s = min(1.0, (MAX_SIDE - 2 * PAD) / g.height)
    limit = (MAX_SIDE - 2 * PAD) / s
    if g.width <= limit:
        whole = Piece((0.0, 0.0, g.width, g.height), PAD, PAD, s)
        return Plan((Page(g.width * s + 2 * PAD, g.height * s + 2 * PAD, (whole,)),), s)
    end = _grid_end(g)
    pages = []
    for k, span in enumerate(spans(g.cuts, 0.0, g.width, limit, g.strip)):
        pieces, wide = _grid_pieces(g, span, k == 0, s, PAD, PAD)
        bottom = end
        if k == 0 and end < g.height:  # the legend, under the first columns
            legend = (0.0, end, min(g.legend_w, span[1]), g.height)
            pieces.append(Piece(legend, PAD, PAD + end * s, s))
            bottom = g.height
        pages.append(Page(wide * s + 2 * PAD, bottom * s + 2 * PAD, tuple(pieces)))
    return Plan(tuple(pages), s)
