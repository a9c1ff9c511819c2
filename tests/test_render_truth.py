"""The picture tells the truth, read back from the SVG Graphviz draws: every text a user
wrote is there in full, badges stay inside their boxes, the key explains exactly the
marks present, and every link in the picture has a target — for the examples and for
generated blueprints of 1 to 500 steps."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from benchmarks.generate import generate
from blueprint_cli.analysis import markers
from blueprint_cli.cli import app
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render.layout import badge_label
from blueprint_cli.render.legend import (
    CHANNEL,
    FLAGGED,
    FLOW,
    KEY_ORDER,
    LINES,
    MISSING,
    SEGMENT,
    RiskBands,
    badge_kind,
    key_text,
)
from tests.conftest import example_blueprints

pytestmark = pytest.mark.skipif(shutil.which("neato") is None, reason="needs Graphviz")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
runner = CliRunner()
CASES = example_blueprints()


def squeeze(text: str) -> str:
    """Text without its white space: a wrapped line break or a cut long word is not a
    change of the text."""
    return "".join(text.split())


def svg_of(path: Path) -> ET.Element:
    result = runner.invoke(app, ["render", str(path), "--format", "svg", "-o", "-"])
    assert result.exit_code == 0, result.stderr
    return ET.fromstring(result.stdout_bytes)


def nodes(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "node"}


def text_of(g: ET.Element) -> str:
    return "".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))


def model(path: Path) -> Blueprint:
    bp = check_bytes(path.read_bytes()).blueprint
    assert bp is not None
    return bp


def user_texts(bp: Blueprint) -> list[tuple[str, str]]:
    """(node id, text) of every text a user wrote that the picture must show in full."""
    actors = {a.id: a.title for a in bp.actors}
    out = [("title", bp.title or "Service blueprint")]
    if bp.description:
        out.append(("description", bp.description))
    for i, step in enumerate(bp.steps, 1):
        out.append((f"step:{step.id}", f"{i}. {step.title}"))
        for ev in step.evidence:
            out.append((f"e:{ev.id}", ev.text))
        for action in step.actions():
            out.append((f"a:{action.id}", action.text))
            if action.actor and action.lane != "customer":
                out.append((f"a:{action.id}", actors.get(action.actor, action.actor)))
    for lane in ("evidence", "customer", "frontstage", "backstage", "support"):
        out.append((f"lane:{lane}", bp.lanes.title(lane)))
    return out


def table_texts(bp: Blueprint) -> list[str]:
    texts = []
    for m in markers(bp):
        texts += [m.step.title, m.action.text]
        if m.fail_point is not None:
            fp = m.fail_point
            texts += [fp.text, fp.prevention or "none planned", fp.recovery or "none planned"]
        elif m.wait is not None and m.wait.text:
            texts.append(m.wait.text)
    return texts


def check_truth(root: ET.Element, bp: Blueprint, flagged: bool = False) -> None:
    found = nodes(root)
    # every user text, in full, in its node
    for key, text in user_texts(bp):
        assert key in found, key
        assert squeeze(text) in squeeze(text_of(found[key])), (key, text)
    legend = "".join(text_of(g) for k, g in found.items() if k.startswith("legend"))
    for text in table_texts(bp):
        assert squeeze(text) in squeeze(legend), text
    # badges inside their box, one per marker
    marks = markers(bp)
    for m in marks:
        box = found[f"a:{m.action.id}"]
        outline = box.find(f".//{SVG}path")  # the box's outline comes first
        assert outline is not None
        bx = _bounds(outline)
        badge = [g for g in box.iter(f"{SVG}g") if g.get("id") == f"a_badge-{m.label}"]
        assert len(badge) == 1, m.label
        shape = badge[0].find(f".//{SVG}polygon")
        assert shape is not None
        x1, y1, x2, y2 = _bounds(shape)
        assert bx[0] <= x1 and x2 <= bx[2] and bx[1] <= y1 and y2 <= bx[3], m.label
        assert x2 - x1 < 40 and y2 - y1 < 20, f"{m.label} stretched: {x2 - x1} x {y2 - y1}"
        assert badge_label(m) in text_of(badge[0])
    # the key: an entry for each mark present, and for no other
    bands = RiskBands()
    present = {LINES}
    present |= {badge_kind(m, bands) for m in marks}
    if any(
        m.fail_point is not None and not (m.fail_point.prevention and m.fail_point.recovery)
        for m in marks
    ):
        present.add(MISSING)
    if any(step.segments for step in bp.steps):
        present.add(SEGMENT)
    if any(
        step.channel is not None
        or any(a.channel not in (None, step.channel) for a in step.actions())
        for step in bp.steps
    ):
        present.add(CHANNEL)
    edges = [g.get("id") or "" for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]
    if any(e.startswith("flow:") for e in edges):
        present.add(FLOW)
    if flagged:
        present.add(FLAGGED)
    key = squeeze(text_of(found["key"]))
    for kind in KEY_ORDER:
        shown = squeeze(key_text(kind, bands)) in key
        assert shown == (kind in present), kind
    # every link has a target
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for a in root.iter(f"{SVG}a"):
        href = a.get(XLINK) or ""
        if href.startswith("#"):
            assert href[1:] in ids, href


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _bounds(shape: ET.Element) -> tuple[float, float, float, float]:
    values = [float(v) for v in _NUMBER.findall(shape.get("d") or shape.get("points") or "")]
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_examples_tell_the_truth(path: Path) -> None:
    # a flow a rule flags (BP106: dental's web form goes straight to the nurse, the
    # published express delivery's phone order to a backstage order-taker) is in the key
    result = runner.invoke(app, ["lint", str(path), "--select", "BP106"])
    check_truth(svg_of(path), model(path), flagged="BP106" in result.stdout)


@pytest.mark.parametrize(("steps", "seed"), [(1, 1), (10, 2), (60, 3), (500, 4)])
def test_generated_blueprints_tell_the_truth(tmp_path: Path, steps: int, seed: int) -> None:
    path = tmp_path / "generated.yaml"
    path.write_text(yaml.safe_dump(generate(steps, seed), allow_unicode=True), "utf-8")
    bp = model(path)
    result = runner.invoke(app, ["lint", str(path), "--select", "BP106"])
    check_truth(svg_of(path), bp, flagged="BP106" in result.stdout)


def test_a_long_text_wraps_and_is_never_cut(tmp_path: Path) -> None:
    long = "Explain the treatment options, what each costs and how long it lasts " * 3
    path = tmp_path / "long.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "blueprint": 1,
                "title": "A title long enough to need two lines " * 6,
                "actors": [{"id": "tech", "title": "Decontamination and sterilisation technician"}],
                "steps": [
                    {
                        "title": "Check-up examination, gum charting and bitewing X-rays",
                        "customer": [{"text": long}],
                        "backstage": [
                            {
                                "text": "Clean",
                                "actor": "tech",
                                "fail_points": [{"text": long, "severity": 3}],
                            }
                        ],
                    }
                ],
            }
        )
    )
    root = svg_of(path)
    assert "…" not in "".join(root.itertext())
    check_truth(root, model(path))
