"""The arithmetic of PDF pages (render/pages.py): where a drawing is cut, what each page shows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint_cli.render.layout import BOX_W, CHANNEL, LANE_TITLE_W, MARGIN
from blueprint_cli.render.pages import MAX_SIDE, PAPER_MARGIN, PAPERS, Geometry, plan, spans

STRIP = MARGIN + LANE_TITLE_W
PITCH = BOX_W + CHANNEL


def grid(steps: int, height: float = 1600.0, legend_rows: int = 0) -> Geometry:
    """A drawing as the layout makes it: ``steps`` columns, a legend of so many rows."""
    width = STRIP + steps * PITCH + CHANNEL + MARGIN
    cuts = tuple(STRIP + CHANNEL / 2 + k * PITCH for k in range(1, steps))
    grid_bottom = height - MARGIN
    rows: tuple[float, ...] = ()
    if legend_rows:
        rows = tuple(grid_bottom + 30 + k * 17 for k in range(legend_rows + 1))
        height = rows[-1] + 20
    return Geometry(width, height, STRIP, 56.0, grid_bottom, cuts, rows, 808.0 if rows else 0.0)


def check_spans(
    got: list[tuple[float, float]], cuts: list[float], start: float, end: float, limit: float
) -> None:
    assert got[0][0] == start and got[-1][1] == end
    for (_, right), (left, _) in itertools.pairwise(got):
        assert right == left  # consecutive: every column on one page, in order
        assert right in cuts  # cut at a boundary
    for k, (left, right) in enumerate(got):
        assert left < right
        wide = right - left + (STRIP if k else 0.0)
        inside = [c for c in cuts if left < c < right]
        assert wide <= limit or not inside  # too wide only when no cut could help
        later = [c for c in [*cuts, end] if c > right]
        if later:  # as wide as fits: the next cut, or the end, would be over the limit
            assert later[0] - left + (STRIP if k else 0.0) > limit


@given(
    steps=st.integers(1, 400),
    limit=st.floats(400.0, 20_000.0),
)
def test_spans_cut_at_boundaries_within_the_limit(steps: int, limit: float) -> None:
    g = grid(steps)
    got = spans(g.cuts, 0.0, g.width, limit, STRIP)
    check_spans(got, list(g.cuts), 0.0, g.width, limit)
    if g.width <= limit:
        assert got == [(0.0, g.width)]


def test_spans_fill_each_page_greedily() -> None:
    g = grid(200)
    got = spans(g.cuts, 0.0, g.width, MAX_SIDE, STRIP)
    assert len(got) == 3  # 41,416 points: three pages, not four
    check_spans(got, list(g.cuts), 0.0, g.width, MAX_SIDE)


def test_a_gap_wider_than_the_limit_takes_one_page() -> None:
    assert spans([100.0, 500.0], 0.0, 600.0, 150.0, 0.0) == [
        (0.0, 100.0),
        (100.0, 500.0),
        (500.0, 600.0),
    ]
    assert spans([], 0.0, 600.0, 150.0) == [(0.0, 600.0)]


def _inside(page_w: float, page_h: float, margin: float, piece_box: tuple[float, ...]) -> bool:
    x, y, w, h = piece_box
    eps = 1e-6
    return (
        x >= margin - eps
        and y >= margin - eps
        and x + w <= page_w - margin + eps
        and (y + h <= page_h - margin + eps)
    )


@pytest.mark.parametrize("paper", sorted(PAPERS))
@pytest.mark.parametrize(("steps", "legend_rows"), [(2, 0), (5, 3), (60, 80), (200, 233), (3, 900)])
def test_paper_pages_are_the_paper_and_show_everything(
    paper: str, steps: int, legend_rows: int
) -> None:
    g = grid(steps, legend_rows=legend_rows)
    pw, ph = PAPERS[paper]
    got = plan(g, paper)
    assert 0 < got.scale <= 1
    columns: list[tuple[float, float]] = []
    legend: list[tuple[float, float]] = []
    for page in got.pages:
        assert (page.width, page.height) == (pw, ph)
        for p in page.pieces:
            left, top, right, bottom = p.src
            box = (p.x, p.y, (right - left) * p.scale, (bottom - top) * p.scale)
            assert _inside(pw, ph, PAPER_MARGIN, box), (page, p)
            if top == g.grid_top and (left, right) != (0.0, STRIP):  # not the lane names
                columns.append((left, right))
            if top > g.grid_bottom:
                legend.append((top, bottom))
    if len(got.pages) == 1 and got.pages[0].pieces[0].src == (0.0, 0.0, g.width, g.height):
        return  # all of it on one page
    # the columns, once each and in order, from the left edge to the right
    assert columns[0][0] == 0.0 and columns[-1][1] == g.width
    assert all(a[1] == b[0] for a, b in itertools.pairwise(columns))
    # every page after the first has the lane names
    for page in got.pages[1 : len(columns)]:
        assert any(p.src[0] == 0.0 and p.src[2] == STRIP for p in page.pieces)
    if g.rows:  # the legend, all of it, cut between its rows
        assert legend[-1][1] == g.height
        assert all(a[1] == b[0] and a[1] in g.rows for a, b in itertools.pairwise(legend))


def test_a_small_drawing_is_one_page_never_enlarged() -> None:
    got = plan(grid(2, height=300.0), "a3")
    assert len(got.pages) == 1 and got.scale == 1.0


def test_the_grid_fits_the_paper_height() -> None:
    g = grid(60, height=1600.0, legend_rows=80)
    got = plan(g, "a4")
    usable = PAPERS["a4"][1] - 2 * PAPER_MARGIN
    assert got.scale == pytest.approx(usable / (g.grid_bottom + 16.0))


@pytest.mark.parametrize(
    ("steps", "height", "legend_rows", "pages", "scaled"),
    [
        (3, 600.0, 0, 1, False),
        (60, 1600.0, 80, 1, False),
        (200, 1600.0, 233, 3, False),
        (200, 20_000.0, 0, 3, True),
        (30, 15_000.0, 0, 1, True),
    ],
)
def test_without_paper_no_side_is_over_200_inches(
    steps: int, height: float, legend_rows: int, pages: int, scaled: bool
) -> None:
    g = grid(steps, height=height, legend_rows=legend_rows)
    got = plan(g)
    assert len(got.pages) == pages
    assert (got.scale < 1) == scaled
    for page in got.pages:
        assert page.width <= MAX_SIDE and page.height <= MAX_SIDE
        for p in page.pieces:
            left, top, right, bottom = p.src
            assert p.x + (right - left) * p.scale <= page.width + 1e-6
            assert p.y + (bottom - top) * p.scale <= page.height + 1e-6
    legend = [p for p in got.pages[0].pieces if p.src[1] > g.grid_bottom]
    assert bool(legend) == (bool(g.rows) and pages > 1)  # one page: the legend is in it
