"""Blueprint -> Mermaid flowchart: the service as text that GitHub, GitLab and most
Markdown viewers draw, in a fenced ``mermaid`` block.

``flowchart LR`` with one subgraph per lane in use, in the lanes' fixed order and titled
as the render titles them; in each, the lane's evidence or actions in step order (kept in
that order by invisible links, ``~~~``); the flows as arrows, with their labels; fail
points and waits as the badges of their actions (``F1``, ``W2``, in the numbers of the
render and the report) and the classes ``fail`` and ``wait``; the three lines as comments
between the lanes they separate (Mermaid draws no free line).

A pure function: the same blueprint gives the same text. Node ids derive from blueprint
ids (``a_check_in`` for the action ``check-in``, ``e_key_card`` for evidence); labels
are quoted and every character Mermaid or Markdown would read (``"``, ``#``, ``<``,
``>``, ``&``, a backtick, ``|``) is written as a Mermaid entity code (``#quot;``).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence

from blueprint_cli.analysis import Marker, markers
from blueprint_cli.analysis.subset import describe, select
from blueprint_cli.model import ACTION_LANES, LANES, LINES, Blueprint
from blueprint_cli.render.layout import badge_label
from blueprint_cli.render.legend import FAIL_HIGH, RiskBands, badge_kind
from blueprint_cli.render.theme import THEMES
from blueprint_cli.text import visible

#: the entity code of each character a label must not hold raw
_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "|": "#124;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
}
_SPECIAL = re.compile("[" + re.escape("".join(_ENTITIES)) + "]")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile("[<>&]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]+")
LABEL_MAX = 300  # characters of a label: a pasted page does not make a node a page tall


def text(value: str, limit: int = LABEL_MAX) -> str:
    """User text as the inside of a quoted Mermaid label: one line (line breaks and runs
    of spaces as one space), control and invisible characters shown as escapes, at most
    ``limit`` characters, and the characters Mermaid or Markdown read as entity codes."""
    one = visible(_SPACES.sub(" ", value).strip())
    if len(one) > limit:
        one = one[: limit - 1] + "…"
    return _SPECIAL.sub(lambda m: _ENTITIES[m.group()], one)


class _Ids:
    """Node ids from blueprint ids: ASCII letters, digits and ``_`` only (``check-in`` ->
    ``check_in``; ``受付`` -> ``u53d7_u4ed8``), a prefix per kind, and a number where two
    ids would meet (``a_check_in_2``)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.of: dict[tuple[str, str], str] = {}

    def __call__(self, prefix: str, node_id: str) -> str:
        key = (prefix, node_id)
        if key in self.of:
            return self.of[key]
        ascii_id = "".join(ch if ch.isascii() else f"_u{ord(ch):04x}_" for ch in node_id)
        base = f"{prefix}_{_NOT_ID.sub('_', ascii_id).strip('_')}".rstrip("_")
        base = re.sub("__+", "_", base)
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name)
        self.of[key] = name
        return name


def to_mermaid(
    blueprint: Blueprint,
    *,
    segments: Sequence[str] = (),
    phases: Sequence[str] = (),
    theme: str = "default",
    bands: RiskBands | None = None,
) -> str:
    """The blueprint as a Mermaid flowchart, as text (no Markdown fence around it).

    ``segments`` and ``phases`` keep only their steps, as ``render --segment`` and
    ``--phase`` do; fail points and waits keep their numbers in the whole blueprint.
    ``theme`` names a render theme (the lanes' colours); ``bands`` are the configured
    high-risk thresholds (a high-risk fail point's class is ``fail_high``)."""
    segments, phases = tuple(segments), tuple(phases)
    view = select(blueprint, segments, phases)
    kept = {s.id for s in view.steps}
    badges: dict[str, list[Marker]] = {}
    for m in markers(blueprint, segments or None):
        if m.step.id in kept:
            badges.setdefault(m.action.id, []).append(m)
    for marks in badges.values():
        marks.sort(key=lambda m: (m.label[0] != "F", int(m.label[1:])))
    bands = bands or RiskBands()
    t = THEMES[theme]
    ids = _Ids()
    title = blueprint.title or "Service blueprint"
    shows = describe(blueprint, view, segments, phases)
    if shows:
        title = f"{title} ({shows})"
    one_line = visible(_SPACES.sub(" ", title).strip())
    if _MARKUP.search(one_line):
        # Mermaid reads a title as HTML, and shows "&amp;" for "&": a comment says it
        out = [f"%% {one_line}", "flowchart LR"]
    else:  # YAML front matter: a JSON string is a YAML string
        out = ["---", f"title: {json.dumps(one_line, ensure_ascii=False)}", "---", "flowchart LR"]
    classes: dict[str, list[str]] = {}
    shown_lanes: list[str] = []
    for lane in LANES:
        # the lane's nodes, step by step: (node id, its declaration)
        columns: list[list[tuple[str, str]]] = []
        for step in view.steps:
            column: list[tuple[str, str]] = []
            if lane == "evidence":
                for ev in step.evidence:
                    node = ids("e", ev.id)
                    column.append((node, f'{node}[/"{text(ev.text)}"/]'))
                    classes.setdefault("evidence", []).append(node)
            for action in step.lane(lane) if lane != "evidence" else []:
                node = ids("a", action.id)
                marks = badges.get(action.id, [])
                body = text(action.text)
                if marks:
                    body += " · " + " ".join(text(badge_label(m)) for m in marks)
                column.append((node, f'{node}("{body}")'))
                classes.setdefault(lane, []).append(node)
                kinds = {badge_kind(m, bands) for m in marks}
                if any(m.fail_point is not None for m in marks):
                    high = FAIL_HIGH in kinds
                    classes.setdefault("fail_high" if high else "fail", []).append(node)
                elif marks:
                    classes.setdefault("wait", []).append(node)
            if column:
                columns.append(column)
        if not columns:
            continue
        if shown_lanes:
            above = shown_lanes[-1]
            for key, name in LINES.items():
                # a line between two lanes shown: the last line above this lane
                if LANES.index(above) <= LANES.index(key) < LANES.index(lane):
                    out.append(f"  %% ---- {name} ----")
        shown_lanes.append(lane)
        out.append(f'  subgraph {ids("lane", lane)}["{text(view.lanes.title(lane))}"]')
        out.append("    direction LR")
        out.extend(f"    {decl}" for column in columns for _, decl in column)
        # step order: each node after the first node of the lane's step before it, by an
        # invisible link (the nodes of one step may stand one above the other)
        for before, column in itertools.pairwise(columns):
            out.extend(f"    {before[0][0]} ~~~ {node}" for node, _ in column)
        out.append("  end")
    shown = {a.id for a in view.actions()}
    for flow in view.all_flows():
        if flow.from_ not in shown or flow.to not in shown:
            continue  # a flow to a step this view leaves out
        a, b = ids("a", flow.from_), ids("a", flow.to)
        out.append(f'  {a} -->|"{text(flow.label, 80)}"| {b}' if flow.label else f"  {a} --> {b}")
    styles = {
        lane: f"fill:{t.lanes[lane].box},stroke:{t.lanes[lane].box_border},color:{t.text}"
        for lane in ACTION_LANES
    }
    styles["evidence"] = f"fill:{t.note},stroke:{t.lanes['evidence'].box_border},color:{t.text}"
    styles["fail"] = f"stroke:{t.fail_high},stroke-width:2px"
    styles["fail_high"] = f"stroke:{t.fail_high},stroke-width:3px,stroke-dasharray:6 3"
    styles["wait"] = f"stroke:{t.wait_over},stroke-width:2px,stroke-dasharray:3 3"
    for name, style in styles.items():
        if name in classes:
            out.append(f"  classDef {name} {style}")
    for name in styles:
        if name in classes:
            out.append(f"  class {','.join(classes[name])} {name}")
    for lane in shown_lanes:
        band = t.lanes[lane]
        out.append(
            f"  style {ids('lane', lane)} fill:{band.band},stroke:{band.border},color:{t.text}"
        )
    return "\n".join(out) + "\n"
