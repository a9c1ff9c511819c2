"""The draw.io export: valid against the published mxfile schema, shaped as draw.io reads
it (cells 0 and 1, unique ids, parents that exist, edges between vertices), swimlanes for
the lanes with every box at the layout's position inside its lane, an edge for every
flow, and the same file byte for byte for the same blueprint.

Regenerate the golden files with `make golden` and review the diff.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import xmlschema
import yaml
from hypothesis import HealthCheck, given, settings

from blueprint_cli.model import LANES, LINES, Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render.drawio import LINE_IDS, label, placed, to_drawio
from blueprint_cli.text import visible
from tests.conftest import EXAMPLES, ROOT, example_blueprints
from tests.strategies import blueprints
from tests.test_render_hostile import HOSTILE
from tests.test_render_hostile import blueprint as hostile_blueprint

GOLDEN = Path(__file__).parent / "golden" / "export"
SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "mxfile.xsd")
CASES = example_blueprints()
MORE_HOSTILE = [
    "<>&\"' ]]> <!-- --> &#0; %s {x} $1",
    "line one\nline two\r\nline three",
    "a" * 700,
    "مرحبا بالعالم — שלום עולם",
    "emoji 🏨🛎️ 👩🏽‍💼 and CJK 受付で鍵を渡す",
    "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\ \x7f \x9b",
    "\ufeffBOM and \u2028 line separator",
]


def blueprint_of(path: Path) -> Blueprint:
    checked = check_bytes(path.read_bytes())
    assert checked.blueprint is not None, checked.problems
    return checked.blueprint


def export(path: Path) -> str:
    return to_drawio(blueprint_of(path), source_name=path.name)


def write_golden() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path in CASES:
        (GOLDEN / f"{path.stem}.drawio").write_text(export(path), encoding="utf-8")


# -- reading a draw.io file back


@dataclass
class Cell:
    id: str
    value: str
    style: dict[str, str]
    parent: str | None
    vertex: bool
    edge: bool
    source: str | None
    target: str | None
    geometry: ET.Element | None
    data: dict[str, str] = field(default_factory=dict)

    @property
    def box(self) -> tuple[float, float, float, float]:
        assert self.geometry is not None
        g = self.geometry
        return (
            float(g.get("x", "0")),
            float(g.get("y", "0")),
            float(g.get("width", "0")),
            float(g.get("height", "0")),
        )


def _style(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        if part:
            key, _, value = part.partition("=")
            out[key] = value
    return out


def cells(xml: str) -> list[Cell]:
    """The cells of the file's one page, in order, a UserObject's data on its cell."""
    root = ET.fromstring(xml)
    assert root.tag == "mxfile"
    diagrams = root.findall("diagram")
    assert len(diagrams) == 1
    model = diagrams[0].find("mxGraphModel")
    assert model is not None
    top = model.find("root")
    assert top is not None
    out = []
    for element in top:
        if element.tag == "UserObject":
            inner = element.find("mxCell")
            assert inner is not None and inner.get("id") is None
            data = {k: v for k, v in element.attrib.items() if k not in ("id", "label")}
            cell_id, value, mx = element.get("id", ""), element.get("label", ""), inner
        else:
            assert element.tag == "mxCell"
            data, cell_id, value, mx = {}, element.get("id", ""), element.get("value", ""), element
        out.append(
            Cell(
                cell_id,
                value,
                _style(mx.get("style", "")),
                mx.get("parent"),
                mx.get("vertex") == "1",
                mx.get("edge") == "1",
                mx.get("source"),
                mx.get("target"),
                mx.find("mxGeometry"),
                data,
            )
        )
    return out


def check_structure(xml: str) -> dict[str, Cell]:
    """What draw.io needs of a file to open it as drawn, whatever the blueprint: the
    root and layer cells first, unique ids, parents that exist (and come first), a
    geometry for every vertex and edge, edges between vertices, children inside their
    containers. Returns the cells by id."""
    SCHEMA.validate(xml)
    found = cells(xml)
    assert [(c.id, c.parent) for c in found[:2]] == [("0", None), ("1", "0")]
    by_id: dict[str, Cell] = {}
    for cell in found:
        assert cell.id and cell.id not in by_id, f"duplicate id {cell.id!r}"
        if cell.id != "0":
            assert cell.parent in by_id, f"{cell.id}: parent {cell.parent!r} not before it"
        by_id[cell.id] = cell
    for cell in found[2:]:
        assert cell.vertex != cell.edge, cell.id
        assert cell.geometry is not None, f"{cell.id}: no mxGeometry"
        if cell.edge:
            assert cell.geometry.get("relative") == "1"
            for end in (cell.source, cell.target):
                if end is not None:
                    assert by_id[end].vertex, f"{cell.id}: {end} is no vertex"
            if cell.source is None or cell.target is None:
                roles = {p.get("as") for p in cell.geometry.findall("mxPoint")}
                assert {"sourcePoint", "targetPoint"} <= roles, cell.id
            continue
        x, y, w, h = cell.box
        assert w > 0 and h > 0, cell.id
        parent = by_id[cell.parent or ""]
        if parent.vertex:  # a child: inside its parent, in the parent's coordinates
            _, _, pw, ph = parent.box
            assert x >= -0.01 and x + w <= pw + 0.01, f"{cell.id} sticks out of {parent.id}"
            assert y >= -0.01 and y + h <= ph + 0.01, f"{cell.id} sticks out of {parent.id}"
    return by_id


# -- the examples


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_export_matches_golden(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.drawio"
    assert golden.exists(), "run `make golden`"
    assert export(path) == golden.read_text(encoding="utf-8"), "export changed: `make golden`"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_examples_are_valid_and_drawn_where_the_layout_puts_them(path: Path) -> None:
    bp = blueprint_of(path)
    xml = to_drawio(bp, source_name=path.name)
    by_id = check_structure(xml)
    _check_against_layout(bp, by_id)


def _check_against_layout(
    bp: Blueprint, by_id: dict[str, Cell], segments: tuple[str, ...] = ()
) -> None:
    view, lay, routes = placed(bp, segments)
    # the lanes: swimlane containers on the layer, in their order, one under the other
    lanes = [by_id[f"lane-{lane}"] for lane in LANES]
    assert [c.id for c in by_id.values() if c.id.startswith("lane-")] == [c.id for c in lanes]
    for lane, cell in zip(LANES, lanes, strict=True):
        assert "swimlane" in cell.style and cell.style["horizontal"] == "0"
        assert cell.parent == "1" and cell.value == visible(view.lanes.title(lane))
        band = lay.bands[lane]
        assert cell.box[1] == pytest.approx(band.top, abs=0.01)
        assert cell.box[3] == pytest.approx(band.bottom - band.top, abs=0.01)
    for upper, lower in itertools.pairwise(lanes):
        assert upper.box[1] + upper.box[3] < lower.box[1]
    # every box: a child of its lane's container, at the layout's place, past the header
    for box in lay.boxes:
        cell_id = f"act-{box.action.id}" if box.action else f"ev-{box.evidence.id}"  # type: ignore[union-attr]
        cell = by_id[cell_id]
        container = by_id[f"lane-{box.lane}"]
        assert cell.parent == container.id
        x, y, w, h = cell.box
        cx, cy = container.box[0], container.box[1]
        assert cx + x + w / 2 == pytest.approx(box.x, abs=0.01)
        assert cy + y == pytest.approx(box.top, abs=0.01)
        assert h == pytest.approx(box.h, abs=0.01)
        assert x >= float(container.style["startSize"])
        for m in box.badges:
            badge = by_id[f"badge-{m.label}"]
            assert badge.parent == cell_id and badge.value.startswith(m.label)
    # every flow drawn is an edge between its two boxes, along the route's bends
    edges = [c for c in by_id.values() if c.edge and c.id.startswith("flow-")]
    assert len(edges) == len(routes)
    for edge, route in zip(edges, routes, strict=True):
        assert (edge.source, edge.target) == (f"act-{route.flow.from_}", f"act-{route.flow.to}")
        assert edge.style["edgeStyle"] == "orthogonalEdgeStyle"
        assert edge.geometry is not None
        array = edge.geometry.find("Array")
        bends = (
            [] if array is None else [(float(p.get("x", "")), float(p.get("y", ""))) for p in array]
        )
        assert [c for p in bends for c in p] == pytest.approx(
            [c for p in route.points[1:-1] for c in p], abs=0.01
        )
        assert edge.value == (label(route.flow.label) if route.flow.label else "")
    # the three lines: named, dashed, in the gap between their lanes
    for lane, name in LINES.items():
        line = by_id[LINE_IDS[lane]]
        assert line.value == name and line.style["dashed"] == "1"
        assert line.geometry is not None
        ys = {
            float(p.get("y", ""))
            for p in line.geometry.findall("mxPoint")
            if p.get("as") != "offset"
        }
        below = LANES[LANES.index(lane) + 1]
        (y,) = ys
        assert lay.bands[lane].bottom < y < lay.bands[below].top
    # the step headers, in order, over their columns
    for col in lay.columns:
        header = by_id[f"step-{col.step.id}"]
        assert header.value == visible(f"{col.number}. {col.step.title}")
        assert header.box[0] + header.box[2] / 2 == pytest.approx(col.x, abs=0.01)


def test_every_flow_of_the_hotel_is_an_edge() -> None:
    bp = blueprint_of(EXAMPLES / "hotel.yaml")
    by_id = check_structure(to_drawio(bp, source_name="hotel.yaml"))
    edges = {(c.source, c.target) for c in by_id.values() if c.edge and c.source}
    flows = {(f"act-{f.from_}", f"act-{f.to}") for f in bp.all_flows()}
    assert edges == flows and len(flows) > 20


def test_export_is_deterministic_and_has_no_timestamp() -> None:
    path = EXAMPLES / "garage.yaml"
    assert export(path) == export(path)
    root = ET.fromstring(export(path))
    assert root.get("modified") is None and root.get("etag") is None
    assert root.get("host") == "blueprint-cli"
    assert "compressed" not in root.attrib or root.get("compressed") == "false"


def test_segment_and_phase_keep_their_steps() -> None:
    bp = blueprint_of(EXAMPLES / "hotel.yaml")
    xml = to_drawio(bp, source_name="hotel.yaml", segments=("leisure",))
    by_id = check_structure(xml)
    _check_against_layout(bp, by_id, ("leisure",))
    steps = [
        c.data["blueprint-id"]
        for c in by_id.values()
        if c.id.startswith("step-") and "+" not in c.id
    ]
    assert steps == [s.id for s in bp.steps if not s.segments or "leisure" in s.segments]
    assert "segment Leisure guest" in by_id["title"].value
    xml = to_drawio(bp, source_name="hotel.yaml", phases=("post-visit",))
    by_id = check_structure(xml)
    steps = [
        c.data["blueprint-id"]
        for c in by_id.values()
        if c.id.startswith("step-") and "+" not in c.id
    ]
    assert steps == [s.id for s in bp.steps if s.phase == "post-visit"]
    # the flows to the steps left out end in stubs, as in the render: "from 7"
    stubs = {c.id: c for c in by_id.values() if c.id.startswith("stub-")}
    assert stubs and all(re.fullmatch(r"(to|from) \d+(, \d+)*", c.value) for c in stubs.values())
    for stub in stubs.values():
        assert (stub.source or stub.target or "").startswith("act-")
        assert "not in this view" in stub.data["tooltip"]
    # fail points keep the numbers of the whole blueprint
    numbers = sorted(c.id for c in by_id.values() if c.id.startswith("badge-"))
    assert numbers and all(n not in ("badge-F1", "badge-W1") for n in numbers)


def test_print_theme_is_greyscale() -> None:
    bp = blueprint_of(EXAMPLES / "hotel.yaml")
    xml = to_drawio(bp, source_name="hotel.yaml", theme="print")
    by_id = check_structure(xml)
    colours = {c.style.get("fillColor", "#000000").lower() for c in by_id.values() if c.vertex}
    colours.discard("none")
    assert all(len({c[1:3], c[3:5], c[5:7]}) == 1 for c in colours), colours


# -- hostile text


@pytest.mark.parametrize("text", HOSTILE + MORE_HOSTILE)
def test_hostile_text_survives_as_text(text: str) -> None:
    checked = check_bytes(hostile_blueprint(text))
    assert checked.blueprint is not None, checked.problems
    xml = to_drawio(checked.blueprint, source_name="x\x1b.yaml")
    by_id = check_structure(xml)
    plain = check_structure(
        to_drawio(check_bytes(hostile_blueprint("plain")).blueprint, source_name="x.yaml")  # type: ignore[arg-type]
    )
    assert list(by_id) == list(plain), "the text changed the cells"
    shown = label(checked.blueprint.steps[0].customer[0].text)
    assert "\x1b" not in xml and "\u202e" not in xml
    for cell_id in ("act-c1", "act-f1", "ev-ev1", "lane-frontstage"):
        assert by_id[cell_id].value == shown, cell_id
    assert by_id["flow-c1->f1"].value == shown
    assert by_id["title"].value == shown


def test_label_keeps_text_and_shows_what_is_invisible() -> None:
    assert label("a < b & \"c\" 'd'") == "a < b & \"c\" 'd'"
    assert label("two\nlines") == "two\nlines"
    assert label("\x1b[31m\u202e") == "\\x1b[31m\\u202e"
    assert label("\ufffe") == "\\ufffe"


# -- any valid blueprint


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_generated_blueprints_export_valid_files(data: dict[str, object]) -> None:
    checked = check_bytes(yaml.safe_dump(data, allow_unicode=True).encode())
    assert checked.blueprint is not None, checked.problems
    bp = checked.blueprint
    by_id = check_structure(to_drawio(bp, source_name="generated.yaml"))
    _check_against_layout(bp, by_id)
    segments = tuple(s.id for s in bp.segments[:1])
    if segments:
        check_structure(to_drawio(bp, source_name="generated.yaml", segments=segments))


def test_lint_does_not_import_the_exports() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "blueprint_cli", "lint", "examples/hotel.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = result.stderr
    assert "blueprint_cli.pipeline.lint" in imported  # the import times are there to read
    for module in ("blueprint_cli.render.drawio", "blueprint_cli.render.mermaid", "xml.etree"):
        assert module not in imported


def test_the_source_name_is_optional() -> None:
    bp = blueprint_of(EXAMPLES / "textbook" / "shoeshine.yaml").model_copy(update={"title": None})
    root = ET.fromstring(to_drawio(bp))
    assert root.find("diagram").get("name") == "Service blueprint"  # type: ignore[union-attr]
    root = ET.fromstring(to_drawio(bp, source_name="shoe\nshine.yaml"))
    assert root.find("diagram").get("name") == "shoe\\nshine.yaml"  # type: ignore[union-attr]
