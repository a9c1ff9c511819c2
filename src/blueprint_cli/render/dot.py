"""Blueprint + theme -> Graphviz DOT text, for ``neato -n2`` (positions given, not computed).

A pure function: the same blueprint and options give the same DOT, byte for byte. Node
ids derive from blueprint ids (``a:register``, ``e:key-card``), every label is escaped
user text, and every position comes from the layout and the routes.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from blueprint_cli.analysis import Marker, markers
from blueprint_cli.model import Blueprint, Flow, Step
from blueprint_cli.positions import Path
from blueprint_cli.render import changes as chg
from blueprint_cli.render import observed as obs
from blueprint_cli.render.escape import clip, dot_string, html, tooltip_string
from blueprint_cli.render.layout import (
    BOX_W,
    FONT,
    LANE_TITLE_W,
    MARGIN,
    SMALL_FONT,
    TITLE_LINE_H,
    TITLE_SIZE,
    Box,
    Heading,
    Layout,
    badge_label,
    badge_width,
    layout,
    text_width,
    wrap,
)
from blueprint_cli.render.layout import (
    CHANNEL as COLUMN_GAP,
)
from blueprint_cli.render.legend import (
    CELL_FONT,
    CHANNEL,
    COLUMNS,
    EMOTION,
    FAIL,
    FAIL_HIGH,
    FAIL_UNSCORED,
    FLAGGED,
    FLOW,
    KEY_COLUMNS,
    KEY_ROW_H,
    LINES,
    METRIC,
    MISSING,
    REGULATION,
    SEGMENT,
    STUB,
    WAIT,
    WAIT_OVER,
    Legend,
    RiskBands,
    Row,
    action_details,
    badge_kind,
    key_text,
    marker_figures,
    marker_text,
    observed_figures,
    plan_legend,
)
from blueprint_cli.render.route import ARROW, Route, label_text, route_all
from blueprint_cli.render.rows import (
    EMOTION as EMOTION_ROW,
)
from blueprint_cli.render.rows import (
    METRICS,
    REGULATIONS,
    TAG_GAP,
    TAG_W,
    RowPlan,
    plan_rows,
    signed,
)
from blueprint_cli.render.theme import Theme

LEGEND_GAP = 24.0
#: in a diagram wider than this many steps, the lane names are repeated every this many
#: steps, beside the lines between the lanes: a reader far from the left always knows
#: the lane
REMIND_EVERY = 8
LEGEND_CHUNK = 500  # rows of one table node


@dataclass(frozen=True, slots=True)
class Stub:
    """A flow between a drawn action and one of a step this view leaves out: a short
    arrow out of (or into) the box, saying which steps it goes to (or comes from)."""

    action: str  # the drawn end
    outgoing: bool
    steps: tuple[int, ...]  # the numbers of the hidden steps, in the whole blueprint
    titles: tuple[str, ...]
    where: str = "not in this view"  # where those steps are

    @property
    def text(self) -> str:
        numbers = ", ".join(str(n) for n in self.steps)
        return f"to {numbers}" if self.outgoing else f"from {numbers}"


def stubs(
    whole: Blueprint,
    view: Blueprint,
    numbers: dict[str, int] | None = None,
    where: str = "not in this view",
) -> tuple[Stub, ...]:
    """The stubs of a filtered view: flows (written, and the customer chain of the whole
    blueprint) with one end in the view and the other in a step it leaves out. Steps are
    numbered by ``numbers`` (a step's id: its number in the whole blueprint), else in
    order."""
    shown = {a.id for a in view.actions()}
    number: dict[str, int] = {}
    title: dict[str, str] = {}
    for i, step in enumerate(whole.steps, 1):
        for action in step.actions():
            number.setdefault(action.id, numbers.get(step.id, i) if numbers else i)
            title.setdefault(action.id, step.title)
    ends: dict[tuple[str, bool], dict[int, str]] = {}
    for flow in whole.all_flows():
        a, b = flow.from_, flow.to
        if (a in shown) == (b in shown) or a not in number or b not in number:
            continue
        here, there, out = (a, b, True) if a in shown else (b, a, False)
        ends.setdefault((here, out), {})[number[there]] = title[there]
    return tuple(
        Stub(action, out, tuple(sorted(steps)), tuple(steps[n] for n in sorted(steps)), where)
        for (action, out), steps in ends.items()
    )


@dataclass(frozen=True, slots=True)
class DotOptions:
    legend: bool = True
    #: a draft: the errors of the file ("12:5 BP201 ..."), listed under the diagram
    draft: tuple[str, ...] = ()
    bands: RiskBands = field(default_factory=RiskBands)
    #: the paths of written flows a rule flags, with what it says
    flagged: dict[Path, str] | None = None
    heading: Heading | None = None  # the title as shown, when not the blueprint's
    numbers: dict[str, int] | None = None  # step numbers of the whole blueprint
    stubs: tuple[Stub, ...] = ()  # flows to and from the steps a filtered view leaves out
    #: badges link to the rows of a page that embeds the picture (``#fp-F1``,
    #: ``#wait-W1``: the report), not to the table under the grid
    links: bool = False
    #: the optional rows drawn in the grid (render/rows.py ROWS), in drawing order
    rows: tuple[str, ...] = ()
    #: the segments in view (--segment): waits are judged by their standards; None: all
    segments: tuple[str, ...] | None = None
    #: what audit visits observed (render --visits), drawn over the blueprint
    observed: obs.Overlay | None = None
    #: what changed since an older version (render --diff), drawn over the blueprint
    changes: chg.Changes | None = None

    @property
    def header_extra(self) -> float:
        return obs.HEADER_EXTRA if self.observed is not None else 0.0


@dataclass(frozen=True, slots=True)
class Diagram:
    """DOT source, and the size of its canvas in points."""

    graph_attrs: tuple[str, ...]
    body: tuple[str, ...]
    width: float
    height: float
    name: str = "blueprint"  # the graph's name: the SVG's <title>, what a browser tab shows
    #: where a PDF may be cut into pages: x of the channels' middles between step columns,
    #: y (downwards) of the grid's top and bottom, y of the gaps between the legend's rows
    cuts: tuple[float, ...] = ()
    grid: tuple[float, float] = (0.0, 0.0)
    rows: tuple[float, ...] = ()
    legend_width: float = 0.0  # of what is under the grid, margins included

    def text(self, dpi: float | None = None) -> str:
        """The DOT text; ``dpi`` only for raster output (PNG)."""
        attrs = [*self.graph_attrs, f"dpi={dpi:g}"] if dpi is not None else list(self.graph_attrs)
        head = [f"digraph {dot_string(clip(self.name))} {{", f"  graph [{', '.join(attrs)}];"]
        return "\n".join([*head, *self.body, "}"]) + "\n"


def build(
    bp: Blueprint,
    theme: Theme,
    options: DotOptions | None = None,
    numbered: list[Marker] | None = None,
) -> Diagram:
    """The diagram of a blueprint: a pure function of the model, the theme and the options."""
    options = options or DotOptions()
    placed = options.changes.with_ghosts(bp) if options.changes else bp
    plans = _plan_rows(placed, options, None)
    lay = layout(
        placed,
        numbered,
        options.heading,
        options.changes.numbers(bp, options.numbers) if options.changes else options.numbers,
        [p.strip for p in plans],
        options.segments,
        options.header_extra,
    )
    routes = route_all(lay, _flows(bp, options))
    return _Writer(bp, lay, routes, theme, options, plans=plans).write()


def build_wrapped(
    bp: Blueprint,
    theme: Theme,
    per_row: int,
    options: DotOptions | None = None,
    numbered: list[Marker] | None = None,
) -> Diagram:
    """The diagram in rows of ``per_row`` steps, stacked: each row a full grid (lane
    names, lines, phase and step headers) titled with the steps it holds, the flows
    between rows ending in stubs ("to 9"), and under the last row the key and the table
    of every fail point and wait."""
    options = options or DotOptions()
    if len(bp.steps) <= per_row:
        return build(bp, theme, options, numbered)
    marks = numbered if numbered is not None else markers(bp, options.segments or None)
    numbers = options.numbers or {s.id: i for i, s in enumerate(bp.steps, 1)}
    heading = options.heading or Heading(bp.title or "Service blueprint", bp.description or "")
    chunks = [bp.steps[i : i + per_row] for i in range(0, len(bp.steps), per_row)]
    if options.changes is not None and options.changes.ghost_flows:
        options = replace(options, changes=_across_rows(options.changes, bp, chunks))
    writers: list[_Writer] = []
    for k, chunk in enumerate(chunks):
        view = bp.model_copy(update={"steps": chunk})
        first, last = numbers[chunk[0].id], numbers[chunk[-1].id]
        title = f"{heading.title} — steps {first}–{last}"
        shown = {a.id for step in chunk for a in step.actions()}
        own = [s for s in options.stubs if s.action in shown]
        row = replace(
            options,
            legend=options.legend and k == len(chunks) - 1,
            draft=options.draft if k == len(chunks) - 1 else (),
            heading=Heading(title, heading.description if k == 0 else ""),
            numbers=numbers,
            stubs=(*own, *stubs(bp, view, numbers, "on another row")),
        )
        kept = {s.id for s in chunk}
        here = [m for m in marks if m.step.id in kept]
        placed, drawn_numbers = view, numbers
        if options.changes is not None:
            placed = options.changes.with_ghosts(view)
            drawn_numbers = options.changes.numbers(bp, numbers) or numbers
        plans = _plan_rows(placed, options, bp)
        shown_marks = here if k < len(chunks) - 1 else marks
        strips = [p.strip for p in plans]
        lay = layout(
            placed,
            shown_marks,
            row.heading,
            drawn_numbers,
            strips,
            options.segments,
            row.header_extra,
        )
        routes = route_all(lay, _flows(view, options))
        writers.append(_Writer(view, lay, routes, theme, row, prefix=f"row{k + 1}:", plans=plans))
    for writer in writers:
        writer.linked = options.legend  # the table under the last row has every marker
    writers[-1].plan(set().union(*(w.present for w in writers)))  # the key: every row's
    width = max(w.width for w in writers)
    height = sum(w.height for w in writers)
    offset = 0.0
    out: list[str] = []
    for i, writer in enumerate(writers):
        writer.offset, writer.canvas = offset, height
        if i == 0:
            writer.defaults()
        writer.body()
        out.extend(writer.out)
        offset += writer.height
    return Diagram(writers[0].graph(width, height), tuple(out), width, height, heading.title)


def to_dot(
    bp: Blueprint,
    theme: Theme,
    options: DotOptions | None = None,
    numbered: list[Marker] | None = None,
) -> str:
    """The DOT source of the blueprint's diagram."""
    return build(bp, theme, options, numbered).text()


def _plan_rows(placed: Blueprint, options: DotOptions, whole: Blueprint | None) -> list[RowPlan]:
    """The optional rows of the columns drawn; a removed step's column (render --diff)
    is left empty: its feelings and metrics are the old version's, not the service's."""
    plans = plan_rows(placed, options.rows, whole)
    if options.changes is None or not options.changes.ghost_steps:
        return plans
    ghosts = {g.step.id for g in options.changes.ghost_steps}
    cols = {i for i, step in enumerate(placed.steps) if step.id in ghosts}
    for plan in plans:
        plan.tags = {c: tags for c, tags in plan.tags.items() if c not in cols}
        plan.points = [p for p in plan.points if p.col not in cols]
    return plans


def _across_rows(changes: chg.Changes, bp: Blueprint, chunks: list[list[Step]]) -> chg.Changes:
    """The removed flows between two rows of a wrapped picture, which neither row can
    draw, listed under the legend with the steps removed."""
    row_of: dict[str, int] = {}
    for k, chunk in enumerate(chunks):
        placed = changes.with_ghosts(bp.model_copy(update={"steps": chunk}))
        row_of.update((a.id, k) for a in placed.actions())
    across = [(a, b) for a, b in changes.ghost_flows if row_of.get(a) != row_of.get(b)]
    if not across:
        return changes
    listed = [f"Removed: flow {a} → {b} (between rows)" for a, b in across]
    return replace(changes, removed=[*changes.removed, *listed])


def _flows(bp: Blueprint, options: DotOptions) -> list[Flow]:
    """The flows drawn: the blueprint's, and the removed ones whose ends are both drawn."""
    flows = bp.all_flows()
    if options.changes is None:
        return flows
    shown = {a.id for a in options.changes.with_ghosts(bp).actions()}
    return flows + [
        f for f in options.changes.ghost_flow_objects() if f.from_ in shown and f.to in shown
    ]


def _flagged(route: Route, flagged: dict[Path, str] | None) -> str | None:
    if not flagged or route.flow.implicit:
        return None
    return flagged.get(route.flow.path)


_OWN_KEYS = (
    "a:",
    "e:",
    "step:",
    "stub:",
    "emo:",
    "metric:",
    "reg:",
)  # unique in the blueprint: never prefixed


class _Writer:
    def __init__(
        self,
        bp: Blueprint,
        lay: Layout,
        routes: list[Route],
        theme: Theme,
        options: DotOptions,
        prefix: str = "",
        plans: list[RowPlan] | None = None,
    ) -> None:
        self.bp, self.lay, self.routes, self.theme, self.options = bp, lay, routes, theme, options
        self.prefix = prefix  # for the nodes every row of a wrapped diagram has (lane:...)
        self.plans = plans or []  # the optional rows, placed by the layout
        present = {LINES}
        if any(col.tags for col in lay.columns):
            present.add(SEGMENT)
        if any(col.channel for col in lay.columns) or any(b.channel for b in lay.boxes):
            present.add(CHANNEL)
        kinds = {EMOTION_ROW: EMOTION, METRICS: METRIC, REGULATIONS: REGULATION}
        present |= {kinds[p.name] for p in self.plans if not p.note}
        if routes:
            present.add(FLOW)
        if any(_flagged(r, options.flagged) for r in routes):
            present.add(FLAGGED)
        if any(stub.action in lay.by_id for stub in options.stubs):
            present.add(STUB)
        seen = options.observed
        if seen is not None:
            present |= {seen.step(col.step.id).kind for col in lay.columns}
            if any(
                m.fail_point and seen.occurred(m.fail_point.id) for b in lay.boxes for m in b.badges
            ):
                present.add(obs.OCCURRED)
        if options.changes is not None:
            keys = {b.key for b in lay.boxes} | {f"step:{c.step.id}" for c in lay.columns}
            present |= options.changes.present(keys)
        self.present = present  # the marks drawn, beside the badges
        self.linked = options.legend  # badges link to their rows of the table
        self.out: list[str] = []
        self.offset = 0.0  # where this diagram starts on the canvas (rows of --wrap)
        self.plan(present)

    def plan(self, present: set[str]) -> None:
        """The legend for the marks present, and the size of the canvas."""
        lay, options = self.lay, self.options
        self.legend_plan: Legend = plan_legend(
            lay,
            lay.grid_bottom + LEGEND_GAP,
            present,
            options.bands,
            list(options.draft),
            with_table=options.legend,
            observed=options.observed,
            extra_notes=options.changes.notes if options.changes else None,
        )
        shown = options.legend or bool(options.draft)
        self.width = max(lay.width, self.legend_plan.width + 2 * MARGIN if shown else 0)
        bottom = lay.grid_bottom
        if shown:
            bottom = self.legend_plan.top + self.legend_plan.height
        self.height = bottom + MARGIN
        self.canvas = self.height  # the canvas's height

    # coordinates: the layout's y grows downwards, Graphviz's upwards
    def p(self, x: float, y: float) -> str:
        return f"{x:.2f},{self.canvas - self.offset - y:.2f}"

    def k(self, key: str) -> str:
        """A node's name on the canvas: the row's prefix unless the blueprint's id makes
        it unique already."""
        return key if not self.prefix or key.startswith(_OWN_KEYS) else self.prefix + key

    def emit(self, line: str) -> None:
        self.out.append(line)

    def graph(self, width: float, height: float) -> tuple[str, ...]:
        t = self.theme
        return (
            f"bb={dot_string(f'0,0,{width:.2f},{height:.2f}')}",
            "outputorder=edgesfirst",
            f"bgcolor={dot_string(t.background)}",
            "pad=0.1",
            f"fontname={dot_string(t.font)}",
        )

    def defaults(self) -> None:
        t = self.theme
        self.emit(
            f"  node [fontname={dot_string(t.font)}, fontsize={FONT:g}, "
            f"fontcolor={dot_string(t.text)}, fixedsize=true, penwidth=1];"
        )
        self.emit(
            f"  edge [fontname={dot_string(t.font)}, fontsize={SMALL_FONT:g}, "
            f"color={dot_string(t.edge)}, fontcolor={dot_string(t.muted)}, arrowsize=0.7, "
            "penwidth=1.1];"
        )

    def write(self) -> Diagram:
        self.defaults()
        self.body()
        cuts = tuple(self.lay.channel_x(k) for k in range(1, len(self.lay.columns)))
        grid = (self.lay.header_top, self.lay.grid_bottom)
        gaps = self.gaps()
        under = self.legend_plan.width + 2 * MARGIN if gaps else 0.0
        return Diagram(
            self.graph(self.width, self.height),
            tuple(self.out),
            self.width,
            self.height,
            self.lay.title,
            cuts,
            grid,
            gaps,
            under,
        )

    def body(self) -> None:
        self.bands()
        self.rows()
        self.title()
        self.header()
        self.separators()
        self.reminders()
        for box in self.lay.boxes:
            self.box(box)
        if self.options.changes is not None:
            self.change_tags()
        for i, route in enumerate(self.routes):
            self.edge(i, route)
        for stub in self.options.stubs:
            self.stub(stub)
        if self.options.legend:
            self.key()
            self.table()
            self.notes()
        if self.options.draft:
            self.errors()

    def gaps(self) -> tuple[float, ...]:
        """The y of the gaps under the grid where a page may end: around the key, between
        the table's rows (CELLSPACING 1), around a draft's errors."""
        plan = self.legend_plan
        at: list[float] = []
        if plan.key:
            at += [plan.top, plan.top + plan.key_h]
        if plan.rows:
            y = plan.table_top + 0.5
            at.append(y)
            y += plan.header_h
            at.append(y)
            for row in plan.rows:
                y += row.height + 1
                at.append(y)
        if plan.notes:
            at += [plan.notes_top, plan.notes_top + plan.notes_h]
        if self.options.draft:
            at += [plan.errors_top, plan.errors_top + plan.errors_h]
        return tuple(at)

    def node(self, key: str, x: float, y: float, w: float, h: float, attrs: list[str]) -> None:
        key = self.k(key)
        base = [f"id={dot_string(key)}", f'pos="{self.p(x, y)}!"']
        if "shape=plain" in attrs:
            base.append("fixedsize=false")  # text only: Graphviz sizes it around its centre
        else:
            base += [f"width={w / 72:.4f}", f"height={h / 72:.4f}"]
        self.emit(f"  {dot_string(key)} [{', '.join(base + attrs)}];")

    def bands(self) -> None:
        # the grid's width: a wider table under it does not widen the lanes
        left, right = (
            MARGIN,
            self.lay.width - MARGIN,
        )  # the grid: a wide table below does not widen it
        for lane, band in self.lay.bands.items():
            style = self.theme.lanes[lane]
            x1, y1 = left, self.canvas - self.offset - band.bottom
            x2, y2 = right, self.canvas - self.offset - band.top
            # a cluster's name must start with "cluster": the row's prefix goes after it
            self.emit(f"  subgraph {dot_string('cluster_' + self.prefix + 'lane_' + lane)} {{")
            self.emit(
                f"    graph [bb={dot_string(f'{x1:.2f},{y1:.2f},{x2:.2f},{y2:.2f}')}, "
                f"style=filled, fillcolor={dot_string(style.band)}, "
                f'color={dot_string(style.border)}, label=""];'
            )
            self.emit("  }")
            label = "<BR/>".join(f"<B>{html(line)}</B>" for line in band.lines)
            h = len(band.lines) * 14 + 6
            self.node(
                f"lane:{lane}",
                left + LANE_TITLE_W / 2 + 2,
                band.top + 10 + h / 2,
                LANE_TITLE_W - 8,
                h,
                [
                    "shape=plain",
                    f"label=<{label}>",
                    f"fontsize={FONT + 1:g}",
                    f"tooltip={tooltip_string(band.title)}",
                ],
            )

    # -- the optional rows (render --rows): emotion above the lanes, metrics and
    # regulations below them

    def rows(self) -> None:
        left, right = MARGIN, self.lay.width - MARGIN
        t = self.theme
        for plan in self.plans:
            strip = plan.strip
            y1, y2 = self.canvas - self.offset - strip.bottom, self.canvas - self.offset - strip.top
            self.emit(f"  subgraph {dot_string('cluster_' + self.prefix + 'row_' + plan.name)} {{")
            self.emit(
                f"    graph [bb={dot_string(f'{left:.2f},{y1:.2f},{right:.2f},{y2:.2f}')}, "
                f"style=filled, fillcolor={dot_string(t.row_band)}, "
                f'color={dot_string(t.row_border)}, label=""];'
            )
            self.emit("  }")
            head = f"<B>{html(strip.title)}</B>"
            lines = 1
            if plan.name == EMOTION_ROW:
                key = [("──●", t.feeling, "customer")]
                if plan.staff:
                    key.append(("- -◆", t.staff_feeling, "staff"))
                for glyph, colour, who in key:
                    head += (
                        f'<BR/><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{colour}">'
                        f"{html(glyph)} {who}</FONT>"
                    )
                    lines += 1
            for line in plan.side:
                head += f'<BR/><FONT POINT-SIZE="{SMALL_FONT:g}">{html(line)}</FONT>'
                lines += 1
            h = lines * 12 + 6
            self.node(
                f"row:{plan.name}",
                left + LANE_TITLE_W / 2 - 6,
                strip.top + 8 + h / 2,
                LANE_TITLE_W - 20,
                h,
                [
                    "shape=plain",
                    f"label=<{head}>",
                    f"fontsize={FONT + 1:g}",
                    f"tooltip={tooltip_string(strip.title)}",
                ],
            )
            if plan.note:
                x = (self.lay.channel_x(0) + right) / 2
                w = text_width(plan.note, SMALL_FONT + 1) + 8
                mid = (strip.top + strip.bottom) / 2
                self.aside(f"row:{plan.name}:note", x, mid, w, 11, plan.note)
            if plan.name == EMOTION_ROW:
                self.emotion(plan)
            else:
                self.tags(plan)

    def emotion(self, plan: RowPlan) -> None:
        t = self.theme
        x0 = MARGIN + LANE_TITLE_W
        x1 = self.lay.width - MARGIN - 4
        for value in (2, 0, -2):
            self.aside(
                f"row:emotion:scale:{value}",
                x0 - 9,
                plan.y_of(value),
                14,
                9,
                signed(value),
                size=SMALL_FONT - 0.5,
                tip=f"feeling {signed(value)}",
                italic=False,
            )
        # the zero line
        a, b = "row:emotion:zero:start", "row:emotion:zero:end"
        y0 = plan.y_of(0)
        for key, x in ((a, x0), (b, x1)):
            self.node(key, x, y0, 0.01, 0.01, ["shape=point", "style=invis", 'label=""'])
        start, end = self.p(x0, y0), self.p(x1, y0)
        self.emit(
            f"  {dot_string(self.k(a))} -> {dot_string(self.k(b))} "
            f'[id={dot_string(self.k("row:emotion:zero"))}, pos="{start} {start} {end} {end}", '
            f"dir=none, style=dotted, color={dot_string(t.baseline)}, "
            'tooltip="neutral (0)"];'
        )
        colours = {"customer": t.feeling, "staff": t.staff_feeling}
        for who in ("customer", "staff"):
            for run in plan.runs(who):
                if len(run) < 2:
                    continue
                pts = [(self.lay.columns[p.col].x, plan.y_of(p.value)) for p in run]
                spline = [pts[0]]
                for (xa, ya), (xb, yb) in itertools.pairwise(pts):
                    half = (xb - xa) / 2  # level at each point: no overshoot past -2/+2
                    spline += [(xa + half, ya), (xb - half, yb), (xb, yb)]
                pos = " ".join(self.p(x, y) for x, y in spline)
                first, last = run[0], run[-1]
                style = "solid" if who == "customer" else "dashed"
                self.emit(
                    f"  {dot_string(f'emo:{who}:{first.step.id}')} -> "
                    f"{dot_string(f'emo:{who}:{last.step.id}')} "
                    f"[id={dot_string(self.k(f'row:emotion:{who}:{first.step.id}'))}, "
                    f'pos="{pos}", dir=none, style={style}, penwidth=2, '
                    f"color={dot_string(colours[who])}, "
                    f"tooltip={tooltip_string(f'How the {who} feels')}];"
                )
        for p in plan.points:
            x, y = self.lay.columns[p.col].x, plan.y_of(p.value)
            size = 7.0 if p.who == "customer" else 8.0
            colour = colours[p.who]
            tip = f"{p.step.title}: the {p.who} feels {signed(p.value)}"
            if p.lowest:
                size += 4
            attrs = [
                "shape=circle" if p.who == "customer" else "shape=diamond",
                "style=filled",
                f"fillcolor={dot_string(colour if p.who == 'customer' else t.background)}",
                f"color={dot_string(t.low if p.lowest else colour)}",
                f"penwidth={2.5 if p.lowest else 1.2:g}",
                'label=""',
                f"tooltip={tooltip_string(tip + (' (lowest)' if p.lowest else ''))}",
            ]
            self.node(f"emo:{p.who}:{p.step.id}", x, y, size, size, attrs)
            text = signed(p.value) + (" lowest" if p.lowest else "")
            w = text_width(text, SMALL_FONT) + 4
            dx = 8 + w / 2 if p.who == "customer" else -(8 + w / 2)
            label = f"<B>{html(text)}</B>" if p.lowest else html(text)
            self.node(
                f"emo:{p.who}:{p.step.id}:label",
                x + dx,
                y - 8,
                w,
                9,
                [
                    "shape=plain",
                    f"label=<{label}>",
                    f"fontsize={SMALL_FONT:g}",
                    f"fontcolor={dot_string(t.low if p.lowest else colour)}",
                    f"tooltip={tooltip_string(tip)}",
                ],
            )

    def tags(self, plan: RowPlan) -> None:
        t = self.theme
        fill, border = (
            (t.metric, t.metric_border)
            if plan.name == METRICS
            else (t.regulation, t.regulation_border)
        )
        strip = plan.strip
        for col, tags in plan.tags.items():
            x = self.lay.columns[col].x
            y = (
                strip.top
                + (strip.height - sum(g.height for g in tags) - TAG_GAP * (len(tags) - 1)) / 2
            )
            for tag in tags:
                head = "<BR/>".join(f"<B>{html(line)}</B>" for line in tag.title)
                body = "".join(f"<BR/>{html(line)}" for line in tag.lines)
                self.node(
                    tag.key,
                    x,
                    y + tag.height / 2,
                    TAG_W,
                    tag.height,
                    [
                        "shape=box",
                        'style="rounded,filled"',
                        f"fillcolor={dot_string(fill)}",
                        f"color={dot_string(border)}",
                        f"label=<{head}{body}>",
                        f"fontsize={SMALL_FONT:g}",
                        f"tooltip={tooltip_string(tag.tooltip)}",
                    ],
                )
                y += tag.height + TAG_GAP

    def title(self) -> None:
        lay, t = self.lay, self.theme
        lines = lay.title_lines
        h = len(lines) * TITLE_LINE_H
        label = "<BR/>".join(f"<B>{html(line)}</B>" for line in lines)
        tooltip = lay.title + (f"\n{self.bp.description}" if self.bp.description else "")
        self.node(
            "title",
            self.lay.width / 2,
            MARGIN + 4 + h / 2,
            self.lay.width - 2 * MARGIN,
            h,
            [
                "shape=plain",
                f"label=<{label}>",
                f"fontsize={TITLE_SIZE:g}",
                f"fontcolor={dot_string(t.fail if self.options.draft else t.text)}",
                f"tooltip={tooltip_string(tooltip)}",
            ],
        )
        if lay.description_lines:
            dh = len(lay.description_lines) * 13.0
            text = "<BR/>".join(html(line) for line in lay.description_lines)
            self.node(
                "description",
                self.lay.width / 2,
                MARGIN + 8 + h + dh / 2,
                self.lay.width - 2 * MARGIN,
                dh,
                [
                    "shape=plain",
                    f"label=<<I>{text}</I>>",
                    f"fontsize={FONT:g}",
                    f"fontcolor={dot_string(t.muted)}",
                    f"tooltip={tooltip_string(self.bp.description or ' ')}",
                ],
            )

    def header(self) -> None:
        t = self.theme
        lay = self.lay
        height = lay.header_bottom - lay.header_top
        for span in lay.phases:
            w = span.right - span.left
            label = "<BR/>".join(f"<B>{html(line)}</B>" for line in span.lines)
            tooltip = span.title or " "
            if span.phase is not None and span.phase.description:
                tooltip += f"\n{span.phase.description}"
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
                    f"label=<{label}>" if label else 'label=""',
                    f"fontsize={FONT + 1:g}",
                    f"tooltip={tooltip_string(tooltip)}",
                ],
            )
        top = lay.header_top + lay.header_phase_h + 4
        for col in lay.columns:
            h = (len(col.lines) + len(col.tags) + len(col.channel)) * 12 + 4
            label = "<BR/>".join(html(line) for line in col.lines)
            if col.tags:
                tags = "<BR/>".join(html(line) for line in col.tags)
                label += (
                    f'<BR/><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{t.segment}">'
                    f"<I>{tags}</I></FONT>"
                )
            if col.channel:
                via = "<BR/>".join(html(line) for line in col.channel)
                label += f'<BR/><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{t.channel}">{via}</FONT>'
            widest = max(
                [text_width(line, FONT - 1) for line in col.lines]
                + [text_width(line, SMALL_FONT) for line in [*col.tags, *col.channel]]
            )
            step = col.step
            tooltip = f"{col.number}. {step.title}" if col.number else step.title
            if col.tags:
                tooltip += "\n" + " ".join(col.tags)
            if col.channel:
                tooltip += "\n" + " ".join(col.channel)
            if step.note:
                tooltip += f"\nNote: {step.note}"
            self.node(
                f"step:{step.id}",
                col.x,
                top + h / 2,
                widest + 8,
                h,
                self.step_changed(
                    step,
                    [
                        "shape=plain",
                        f"label=<{label}>",
                        f"fontsize={FONT - 1:g}",
                        f"tooltip={tooltip_string(tooltip)}",
                    ],
                    tooltip,
                ),
            )
            if self.options.changes is not None:
                self.step_tag(col.step, col.x, widest, top)
            if self.options.observed is not None:
                self.compliance(col.step, col.x, lay.header_bottom - 5 - obs.HEADER_EXTRA / 2)

    def step_changed(self, step: Step, attrs: list[str], tooltip: str) -> list[str]:
        """A step header in the colour of its change since the old version (--diff)."""
        changes = self.options.changes
        key = f"step:{step.id}"
        mark = changes.mark(key) if changes is not None else None
        if changes is None or mark is None:
            return attrs
        return chg.restyle(self.theme, attrs, tooltip, mark, changes.tip(key), header=True)

    def step_tag(self, step: Step, x: float, widest: float, top: float) -> None:
        """The tag of a step that changed since the old version, right of its title."""
        changes = self.options.changes
        assert changes is not None
        mark = changes.mark(f"step:{step.id}")
        if mark is None or mark not in chg.TAGS:
            return
        text = chg.TAGS[mark]
        fill, ink = chg.fill(self.theme, mark)
        w = text_width(text, SMALL_FONT - 0.5) + 8
        at = min(x + widest / 2 + w / 2 + 2, x + (BOX_W + COLUMN_GAP) / 2 - w / 2 - 2)
        tip = "\n".join(changes.tip(f"step:{step.id}")) or text
        self.node(
            f"chg:step:{step.id}",
            at,
            top + 7,
            w,
            chg.TAG_H,
            [
                "shape=box",
                'style="rounded,filled"',
                f"fillcolor={dot_string(fill)}",
                f"color={dot_string(fill)}",
                f"label=<<B>{html(text)}</B>>",
                f"fontsize={SMALL_FONT - 0.5:g}",
                f"fontcolor={dot_string(ink)}",
                f"tooltip={tooltip_string(tip)}",
            ],
        )

    def compliance(self, step: Step, x: float, y: float) -> None:
        """A step's observed compliance, at the foot of its header, in its band's colour."""
        assert self.options.observed is not None
        figure = self.options.observed.step(step.id)
        fill, ink = self.colours(figure.kind)
        self.node(
            f"obs:step:{step.id}",
            x,
            y,
            BOX_W - 10,
            obs.HEADER_EXTRA - 4,
            [
                "shape=box",
                'style="rounded,filled"',
                f"fillcolor={dot_string(fill)}",
                f"color={dot_string(ink if fill.lower() in ('#ffffff', '#eeeeee') else fill)}",
                f"label=<<B>{html(figure.text)}</B>>",
                f"fontsize={SMALL_FONT + 0.5:g}",
                f"fontcolor={dot_string(ink)}",
                f"tooltip={tooltip_string(figure.tip)}",
            ],
        )

    def separators(self) -> None:
        t = self.theme
        left, right = MARGIN + 4, self.lay.width - MARGIN - 4
        for sep in self.lay.separators:
            a, b = f"{sep.key}:start", f"{sep.key}:end"
            for key, x in ((a, left), (b, right)):
                self.node(key, x, sep.y, 0.01, 0.01, ["shape=point", "style=invis", 'label=""'])
            start, end = self.p(left, sep.y), self.p(right, sep.y)
            pts = f"{start} {start} {end} {end}"
            self.emit(
                f"  {dot_string(self.k(a))} -> {dot_string(self.k(b))} "
                f"[id={dot_string(self.k(sep.key))}, "
                f'pos="{pts}", dir=none, style=dashed, penwidth=1.4, '
                f"color={dot_string(t.line)}, tooltip={tooltip_string(sep.label)}];"
            )
            w = text_width(sep.label, SMALL_FONT + 1) + 6
            self.aside(f"{sep.key}:label", left + 12 + w / 2, sep.y - 8, w, 11, sep.label)

    def aside(
        self,
        key: str,
        x: float,
        y: float,
        w: float,
        h: float,
        text: str,
        *,
        size: float = SMALL_FONT + 1,
        tip: str | None = None,
        italic: bool = True,
    ) -> None:
        """A small muted text: a line's name, a lane's reminder, a stub's steps."""
        label = f"<I>{html(text)}</I>" if italic else html(text)
        self.node(
            key,
            x,
            y,
            w,
            h,
            [
                "shape=plain",
                f"label=<{label}>",
                f"fontsize={size:g}",
                f"fontcolor={dot_string(self.theme.muted)}",
                f"tooltip={tooltip_string(text if tip is None else tip)}",
            ],
        )

    def reminders(self) -> None:
        lay = self.lay
        if len(lay.columns) <= REMIND_EVERY + 4:
            return
        bands = list(lay.bands.values())
        # (y, text): in the gaps between the lanes, over the first, under the last
        marks = [(bands[0].top - 6, f"▼ {bands[0].title}")]
        for upper, lower in itertools.pairwise(bands):
            marks += [(upper.bottom + 6, f"▲ {upper.title}"), (lower.top - 6, f"▼ {lower.title}")]
        marks.append((bands[-1].bottom + 8, f"▲ {bands[-1].title}"))
        size = SMALL_FONT - 0.5
        for k in range(REMIND_EVERY, len(lay.columns), REMIND_EVERY):
            x = lay.channel_x(k)
            for i, (y, text) in enumerate(marks):
                text = wrap(text, BOX_W, size, 1)[0]
                w = text_width(text, size) + 6
                self.aside(f"remind:{k}:{i}", x + 4 + w / 2, y, w, 9, text, size=size, tip=text[2:])

    def box(self, box: Box) -> None:
        t = self.theme
        style = t.lanes[box.lane]
        text = "<BR/>".join(html(line) for line in box.lines)
        if box.evidence is not None:
            tooltip = box.evidence.text + (
                f"\nNote: {box.evidence.note}" if box.evidence.note else ""
            )
            self.node(
                box.key,
                box.x,
                box.y,
                box.w - 10,
                box.h,
                self.changed(
                    box,
                    [
                        "shape=note",
                        "style=filled",
                        f"fillcolor={dot_string(t.note)}",
                        f"color={dot_string(style.box_border)}",
                        f"label=<{text}>",
                        f"fontsize={FONT - 1:g}",
                        f"tooltip={tooltip_string(tooltip)}",
                    ],
                    tooltip,
                ),
            )
            return
        assert box.action is not None
        cells = f"<TD>{text}</TD>"
        if box.badges:
            badges = "".join(f"<TR>{self.badge(m)}</TR>" for m in box.badges)
            cells += (
                '<TD VALIGN="TOP"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" '
                f'CELLPADDING="0">{badges}</TABLE></TD>'
            )
        rows = f"<TR>{cells}</TR>"
        if box.channel:
            span = ' COLSPAN="2"' if box.badges else ""
            via = "<BR/>".join(html(line) for line in box.channel)
            rows += (
                f'<TR><TD{span}><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{t.channel}">'
                f"{via}</FONT></TD></TR>"
            )
        if box.actor:
            span = ' COLSPAN="2"' if box.badges else ""
            owner = "<BR/>".join(html(line) for line in box.actor)
            rows += (
                f'<TR><TD{span}><FONT POINT-SIZE="{SMALL_FONT:g}" COLOR="{t.muted}">'
                f"{owner}</FONT></TD></TR>"
            )
        label = f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{rows}</TABLE>'
        self.node(
            box.key,
            box.x,
            box.y,
            box.w,
            box.h,
            self.changed(
                box,
                [
                    "shape=box",
                    'style="rounded,filled"',
                    f"fillcolor={dot_string(style.box)}",
                    f"color={dot_string(style.box_border)}",
                    f"label=<{label}>",
                    f"tooltip={tooltip_string(self.action_tooltip(box))}",
                ],
                self.action_tooltip(box),
            ),
        )

    def changed(self, box: Box, attrs: list[str], tooltip: str) -> list[str]:
        """A box's attributes with what changed since the old version (render --diff)."""
        changes = self.options.changes
        mark = changes.mark(box.key) if changes is not None else None
        if changes is None or mark is None:
            return attrs
        return chg.restyle(self.theme, attrs, tooltip, mark, changes.tip(box.key))

    def change_tags(self) -> None:
        """The tag of each box that changed: "new", "changed", "moved", "removed"."""
        changes = self.options.changes
        assert changes is not None
        for box in self.lay.boxes:
            mark = changes.mark(box.key)
            if mark is None or mark not in chg.TAGS:
                continue
            text = chg.TAGS[mark]
            fill, ink = chg.fill(self.theme, mark)
            w = text_width(text, SMALL_FONT - 0.5) + 8
            right = box.right - (5 if box.evidence is None else 10)
            self.node(
                f"chg:{box.key}",
                right - w / 2 - 4,
                box.top + 1,
                w,
                chg.TAG_H,
                [
                    "shape=box",
                    'style="rounded,filled"',
                    f"fillcolor={dot_string(fill)}",
                    f"color={dot_string(ink if mark == chg.CHG_GHOST else fill)}",
                    f"label=<<B>{html(text)}</B>>",
                    f"fontsize={SMALL_FONT - 0.5:g}",
                    f"fontcolor={dot_string(ink)}",
                    f"tooltip={tooltip_string(chr(10).join(changes.tip(box.key)) or text)}",
                ],
            )

    def colours(self, kind: str) -> tuple[str, str]:
        """(fill, ink) of a badge of this kind."""
        t = self.theme
        return {
            FAIL_HIGH: (t.fail_high, t.fail_high_text),
            FAIL: (t.fail, t.fail_text),
            FAIL_UNSCORED: (t.unscored, t.unscored_text),
            WAIT_OVER: (t.wait_over, t.wait_over_text),
            WAIT: (t.wait, t.wait_text),
            obs.OBS_GOOD: (t.observed_good, t.observed_good_text),
            obs.OBS_FAIR: (t.observed_fair, t.observed_fair_text),
            obs.OBS_POOR: (t.observed_poor, t.observed_poor_text),
            obs.OBS_NONE: (t.observed_none, t.observed_none_text),
        }[kind]

    def swatch(self, kind: str, text: str, width: float, extra: str = "") -> str:
        fill, ink = self.colours(kind)
        return (
            f'<TD BGCOLOR="{fill}" WIDTH="{width:.0f}" HEIGHT="13" FIXEDSIZE="TRUE"{extra}>'
            f'<FONT COLOR="{ink}" POINT-SIZE="{SMALL_FONT:g}"><B>{html(text)}</B></FONT></TD>'
        )

    def badge(self, m: Marker) -> str:
        """A badge: a link to its row of the table (when there is one), and back."""
        kind = badge_kind(m, self.options.bands)
        link = ""
        if self.options.links:
            row = f"fp-{m.label}" if m.fail_point is not None else f"wait-{m.label}"
            link = f' ID="badge-{m.label}" HREF="#{row}"'
        elif self.linked:
            # Graphviz writes a cell's ID only with an HREF, as "a_" + ID
            link = f' ID="badge-{m.label}" HREF="#a_row-{m.label}"'
        tip = f' TOOLTIP="{html(clip(self.marker_text(m)))}"'
        seen = self.options.observed
        if seen is not None and m.fail_point is not None and seen.occurred(m.fail_point.id):
            link += f' BORDER="2" COLOR="{self.theme.occurred}"'
        changes = self.options.changes
        if (
            changes is not None
            and m.fail_point is not None
            and m.fail_point.id in changes.fail_points
        ):
            colour = chg.colour(self.theme, changes.fail_points[m.fail_point.id])
            link += f' BORDER="2" COLOR="{colour}"'
        return self.swatch(kind, badge_label(m), badge_width(m), link + tip)

    def marker_text(self, m: Marker) -> str:
        """A marker in words, with what the visits observed of it."""
        seen = observed_figures(m, self.options.observed)
        return "\n".join([marker_text(m), *(" ".join(seen[i]) for i in sorted(seen))])

    def action_tooltip(self, box: Box) -> str:
        assert box.action is not None
        return "\n".join([box.action.text, *action_details(self.bp, box, self.marker_text)])

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
        flagged = _flagged(route, self.options.flagged)
        if flagged:
            tip += f"\nFlagged: {flagged}"
        attrs = [
            f"id={dot_string(f'{self.prefix}flow:{index}:{flow.from_}->{flow.to}')}",
            f'pos="{pos}"',
            f"tooltip={tooltip_string(tip)}",
        ]
        if flagged:
            attrs += [
                "style=dashed",
                "penwidth=1.8",
                f"color={dot_string(self.theme.flagged)}",
                f"fontcolor={dot_string(self.theme.flagged)}",
            ]
        elif flow.implicit:
            attrs.append("style=solid")
        if self.options.changes is not None:
            attrs = chg.edge_attrs(self.theme, self.options.changes, flow, attrs)
        if flow.label and route.label_at is not None:
            text = html(label_text(flow.label))
            if route.label_on_line:
                text = (
                    f'<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0" '
                    f'BGCOLOR="{self.theme.background}"><TR><TD>{text}</TD></TR></TABLE>'
                )
            attrs += [f"label=<{text}>", f'lp="{self.p(*route.label_at)}"']
        self.emit(f"  {dot_string(src)} -> {dot_string(dst)} [{', '.join(attrs)}];")

    def stub(self, stub: Stub) -> None:
        box = self.lay.by_id.get(stub.action)
        if box is None:
            return
        t = self.theme
        length = 22.0
        if stub.outgoing:  # out of the right side, low
            y = box.bottom - 7
            start, end = (box.right, y), (box.right + length, y)
            label_x = box.right + length / 2 + 2
        else:  # into the left side, high
            y = box.top + 7
            start, end = (box.left - length, y), (box.left, y)
            label_x = box.left - length / 2 - 2
        key = f"stub:{stub.action}:{'out' if stub.outgoing else 'in'}"
        far = f"{key}:end"
        self.node(
            far,
            *(end if not stub.outgoing else start),
            0.01,
            0.01,
            ["shape=point", "style=invis", 'label=""'],
        )
        (xa, ya), (xb, yb) = start, end
        tip_at = (xb - ARROW, yb)
        pos = f"e,{self.p(xb, yb)} {self.p(xa, ya)} {self.p(xa, ya)} " + (
            f"{self.p(*tip_at)} {self.p(*tip_at)}"
        )
        steps = "; ".join(f"{n}. {title}" for n, title in zip(stub.steps, stub.titles, strict=True))
        tip = f"{'To' if stub.outgoing else 'From'} a step {stub.where}: {steps}"
        self.emit(
            f'  {dot_string(far)} -> {dot_string(far)} [id={dot_string(key)}, pos="{pos}", '
            f"arrowhead=empty, color={dot_string(t.edge)}, tooltip={tooltip_string(tip)}];"
        )
        w = text_width(stub.text, SMALL_FONT - 1) + 4
        y_label = y + (8 if stub.outgoing else -8)
        self.aside(
            f"{key}:label",
            label_x,
            y_label,
            w,
            9,
            stub.text,
            size=SMALL_FONT - 1,
            tip=tip,
            italic=False,
        )

    # -- under the grid: the key, the table, a draft's errors

    def key(self) -> None:
        plan, t = self.legend_plan, self.theme
        if not plan.key:
            return
        width = plan.width / KEY_COLUMNS
        rows = []
        for i in range(0, len(plan.key), KEY_COLUMNS):
            cells = []
            for kind in plan.key[i : i + KEY_COLUMNS]:
                cells.append(self.key_mark(kind))
                text = html(key_text(kind, plan.bands))
                cells.append(
                    f'<TD ALIGN="LEFT" WIDTH="{width - 40:.0f}" HEIGHT="{KEY_ROW_H:g}">{text}</TD>'
                )
            rows.append(f"<TR>{''.join(cells)}</TR>")
        label = (
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
            f"{''.join(rows)}</TABLE>"
        )
        self.node(
            "key",
            MARGIN + plan.width / 2,
            plan.top + plan.key_h / 2,
            plan.width,
            plan.key_h,
            [
                "shape=plain",
                f"label=<{label}>",
                f"fontsize={CELL_FONT:g}",
                f"fontcolor={dot_string(t.text)}",
                'tooltip="Key"',
            ],
        )

    def key_mark(self, kind: str) -> str:
        t = self.theme
        sample = {FAIL_HIGH: "F", FAIL: "F", FAIL_UNSCORED: "F", WAIT_OVER: "W", WAIT: "W"}
        if kind in sample:
            return self.swatch(kind, sample[kind], 34)
        observed = {obs.OBS_GOOD: "95 %", obs.OBS_FAIR: "80 %", obs.OBS_POOR: "60 %"}
        if kind in observed or kind == obs.OBS_NONE:
            return self.swatch(kind, observed.get(kind, "—"), 34)
        if kind in chg.KINDS:
            return chg.key_mark(t, kind)
        if kind == obs.OCCURRED:
            ring = f' BORDER="2" COLOR="{t.occurred}"'
            return self.swatch(FAIL, "F", 34, ring)
        glyph, colour = {
            MISSING: ("F!", t.text),
            SEGMENT: ("for …", t.segment),
            LINES: ("- - - -", t.line),
            FLOW: ("──▶", t.edge),
            FLAGGED: ("- - ▶", t.flagged),
            STUB: ("──▷", t.edge),
            CHANNEL: ("via …", t.channel),
            EMOTION: ("─●─", t.feeling),
            METRIC: ("→ ↑", t.metric_border),
            REGULATION: ("§", t.regulation_border),
        }[kind]
        return f'<TD WIDTH="34" HEIGHT="13"><FONT COLOR="{colour}"><B>{html(glyph)}</B></FONT></TD>'

    def table(self) -> None:
        plan = self.legend_plan
        if not plan.rows:
            return
        head = "".join(
            f'<TD ALIGN="LEFT" WIDTH="{w:.0f}" HEIGHT="{plan.header_h - 1:.0f}">'
            f"{f'<B>{html(name)}</B>' if name else ' '}</TD>"
            for (name, _), w in zip(COLUMNS, plan.widths, strict=True)
        )
        chunks: list[list[str]] = [[f"<TR>{head}</TR>"]]
        heights = [plan.header_h]
        for row in plan.rows:
            if len(chunks[-1]) >= LEGEND_CHUNK:
                # Graphviz lays out an HTML table in time quadratic in its rows: a long
                # table is drawn as tables of LEGEND_CHUNK rows stacked edge to edge
                chunks.append([])
                heights.append(0.0)
            chunks[-1].append(self.row(row))
            heights[-1] += row.height + 1
        top = plan.table_top
        for i, (rows, h) in enumerate(zip(chunks, heights, strict=True)):
            h += 2
            label = (
                '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
                f"{''.join(rows)}</TABLE>"
            )
            self.node(
                "legend" if i == 0 else f"legend-{i + 1}",
                MARGIN + plan.width / 2,
                top + h / 2,
                plan.width,
                h,
                [
                    "shape=plain",
                    f"label=<{label}>",
                    f"fontsize={CELL_FONT:g}",
                    'tooltip="Fail points and waits"',
                ],
            )
            top += h

    def row(self, row: Row) -> str:
        plan, t = self.legend_plan, self.theme
        m = row.marker
        fill, ink = self.colours(row.kind)
        cells = [
            f'<TD ID="row-{m.label}" HREF="#a_badge-{m.label}" '
            f'TOOLTIP="{html(clip(self.marker_text(m)))}" BGCOLOR="{fill}" VALIGN="TOP" '
            f'WIDTH="{plan.widths[0]:.0f}" HEIGHT="{row.height:.0f}">'
            f'<FONT COLOR="{ink}" POINT-SIZE="{SMALL_FONT:g}"><B>{html(row.label)}</B>'
            "</FONT></TD>"
        ]
        for i, (lines, w) in enumerate(zip(row.cells, plan.widths[1:], strict=True)):
            text = '<BR ALIGN="LEFT"/>'.join(html(line) for line in lines)
            if i == 3 and m.over_by:
                # the blueprint's figures in the colour of a wait over; the visits' plain
                own = len(wrap(marker_figures(m), w - 8, CELL_FONT))
                head = '<BR ALIGN="LEFT"/>'.join(html(line) for line in lines[:own])
                rest = "".join(f'<BR ALIGN="LEFT"/>{html(line)}' for line in lines[own:])
                text = f'<FONT COLOR="{t.wait_over}"><B>{head}</B></FONT>{rest}'
            elif i >= 4 and m.fail_point is not None and lines[:1] == ["none planned"]:
                rest = "".join(f'<BR ALIGN="LEFT"/>{html(line)}' for line in lines[1:])
                text = f'<FONT COLOR="{t.fail_high}"><B>none planned</B></FONT>{rest}'
            cells.append(
                f'<TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT" WIDTH="{w:.0f}" '
                f'HEIGHT="{row.height:.0f}">{text}</TD>'
            )
        return f"<TR>{''.join(cells)}</TR>"

    def notes(self) -> None:
        """What the visits found wrong that the blueprint does not foresee."""
        plan = self.legend_plan
        if not plan.notes:
            return
        if self.options.changes is not None:
            head = f"Removed since the old version ({self.options.changes.title}): not drawn"
            self._block("chg:removed", head, plan.notes, plan.notes_top, plan.notes_h, "Removed")
            return
        self._block(
            "obs:unplanned",
            "Observed, not in the blueprint: fail points to add",
            plan.notes,
            plan.notes_top,
            plan.notes_h,
            "Observed on the visits, not in the blueprint",
        )

    def errors(self) -> None:
        plan = self.legend_plan
        head = "Errors: this draft is drawn from what validates"
        self._block("errors", head, plan.errors, plan.errors_top, plan.errors_h, "Errors")

    def _block(
        self,
        name: str,
        head: str,
        wrapped: Sequence[Sequence[str]],
        top: float,
        height: float,
        tooltip: str,
    ) -> None:
        """A block of text under the table, the width of the legend, its head in red."""
        plan, t = self.legend_plan, self.theme
        lines = [f'<FONT COLOR="{t.fail_high}"><B>{html(head)}</B></FONT>']
        for one in wrapped:
            lines.extend(html(line) for line in one)
        label = (
            '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" WIDTH="{plan.width - 4:.0f}">'
            f"{'<BR/>'.join(lines)}</TD></TR></TABLE>"
        )
        self.node(
            name,
            MARGIN + plan.width / 2,
            top + height / 2,
            plan.width,
            height,
            [
                "shape=plain",
                f"label=<{label}>",
                f"fontsize={CELL_FONT:g}",
                f'tooltip="{tooltip}"',
            ],
        )
