"""The rendered picture read back from Graphviz (-Tjson): columns aligned, lanes ordered,
no overlapping boxes, separator lines between their lanes, arrows from box to box
through no box, no two flows along one line, each label by its own arrow — for the
examples and for generated blueprints of 1 to 480 steps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import generate
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render import THEMES, DotOptions, build
from blueprint_cli.render.graphviz import run_graphviz
from blueprint_cli.render.rows import ROWS
from tests import geometry
from tests.conftest import EXAMPLES, example_blueprints

pytestmark = pytest.mark.skipif(
    shutil.which("neato") is None, reason="Graphviz is not installed (make test installs it)"
)


def problems_of(raw: bytes, legend: bool = True, rows: tuple[str, ...] = ()) -> list[str]:
    checked = check_bytes(raw)
    assert checked.blueprint is not None, checked.problems
    diagram = build(checked.blueprint, THEMES["default"], DotOptions(legend=legend, rows=rows))
    return geometry.check(checked.blueprint, run_graphviz(diagram.text(), "json"))


@pytest.mark.parametrize("path", example_blueprints(), ids=lambda p: p.name)
def test_examples(path) -> None:  # type: ignore[no-untyped-def]
    assert problems_of(path.read_bytes()) == []


@pytest.mark.parametrize("path", example_blueprints(), ids=lambda p: p.name)
def test_examples_with_every_row(path) -> None:  # type: ignore[no-untyped-def]
    """The optional rows keep the grid honest: above the evidence lane, below the
    support lane, over no lane or row, each emotion point in its column at its height."""
    assert problems_of(path.read_bytes(), rows=ROWS) == []


@pytest.mark.parametrize("rows", [("emotion",), ("metrics",), ("regulations",)])
def test_hotel_with_one_row(rows: tuple[str, ...]) -> None:
    assert problems_of((EXAMPLES / "hotel.yaml").read_bytes(), rows=rows) == []


def test_the_checker_sees_a_wrong_feeling() -> None:
    """An emotion point moved to another step's column, or below a worse feeling, is
    found out."""
    checked = check_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    assert checked.blueprint is not None
    dot = build(checked.blueprint, THEMES["default"], DotOptions(rows=ROWS)).text()
    lines = dot.splitlines()
    book = next(i for i, line in enumerate(lines) if line.startswith('  "emo:customer:book" ['))
    arrive = next(line for line in lines if line.startswith('  "emo:customer:check-in" ['))
    pos = arrive.split('pos="')[1].split('"')[0]  # +1 drawn where -1 is, a column on
    lines[book] = lines[book].split('pos="')[0] + f'pos="{pos}"' + lines[book].split('!"', 1)[1]
    found = geometry.check(checked.blueprint, run_graphviz("\n".join(lines), "json"))
    assert any("not in its step's column" in p for p in found), found
    assert any("are drawn at" in p for p in found), found


# 480: the widest that -Tjson still writes to the point (it keeps 5 digits: < 100,000pt)
@pytest.mark.parametrize("steps", [1, 2, 7, 50, 200, 480])
def test_generated_sizes(steps: int) -> None:
    raw = yaml.safe_dump(generate(steps, seed=1), allow_unicode=True).encode()
    assert problems_of(raw) == []


# derandomized: CI must not turn red on a case found by chance; `make fuzz` and the
# known case below are where new ones are looked for
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.integers(min_value=1, max_value=40), st.integers(min_value=0, max_value=10**6), st.booleans()
)
def test_generated_random(steps: int, seed: int, legend: bool) -> None:
    raw = yaml.safe_dump(generate(steps, seed), allow_unicode=True).encode()
    assert problems_of(raw, legend) == []


@pytest.mark.xfail(
    strict=True,
    reason="known routing bug, found by the random test: in a 32-step generated blueprint "
    "(seed 252, no legend) flows share vertical segments; fix render/route.py",
)
def test_known_shared_segments() -> None:
    raw = yaml.safe_dump(generate(32, 252), allow_unicode=True).encode()
    assert problems_of(raw, False) == []


def test_the_checker_sees_a_broken_picture() -> None:
    """The geometry check can fail: move one box onto another and it says so."""
    checked = check_bytes((EXAMPLES / "textbook" / "shoeshine.yaml").read_bytes())
    assert checked.blueprint is not None
    dot = build(checked.blueprint, THEMES["default"]).text()
    lines = dot.splitlines()
    buff = next(i for i, line in enumerate(lines) if line.startswith('  "a:buff-shoes"'))
    brush = next(line for line in lines if line.startswith('  "a:brush-shoes"'))
    pos = brush.split('pos="')[1].split('"')[0]
    lines[buff] = lines[buff].split('pos="')[0] + f'pos="{pos}"' + lines[buff].split('!"', 1)[1]
    found = geometry.check(checked.blueprint, run_graphviz("\n".join(lines), "json"))
    assert any("overlap" in p for p in found)
    assert any("not in one column" in p for p in found)


def test_the_hotel_with_visits_keeps_its_geometry(tmp_path: Path) -> None:
    """The overlay moves nothing off the grid: generated visits of the hotel, every step
    observed or not, fail points that occurred ringed, with and without every row."""
    from benchmarks.audit import write_visits
    from blueprint_cli.pipeline.audit import audit
    from blueprint_cli.pipeline.run import RunOptions
    from blueprint_cli.render.observed import overlay

    (tmp_path / ".git").mkdir()
    shutil.copy(EXAMPLES / "hotel.yaml", tmp_path / "hotel.yaml")
    write_visits(tmp_path / "visits", tmp_path / "hotel.yaml", 12, seed=3)
    run = audit(str(tmp_path / "hotel.yaml"), [str(tmp_path / "visits")], RunOptions())
    assert run.tally is not None and run.visits == 12, run.left_out
    bp = check_bytes((EXAMPLES / "hotel.yaml").read_bytes()).blueprint
    assert bp is not None
    seen = overlay(run.tally, bp)
    for rows in ((), ("emotion", "metrics", "regulations")):
        diagram = build(bp, THEMES["default"], DotOptions(rows=rows, observed=seen))
        assert geometry.check(bp, run_graphviz(diagram.text(), "json")) == []


@pytest.mark.parametrize("rows", [(), ROWS])
def test_the_ghosts_of_a_diff_sit_in_their_lane_and_column(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    """render --diff: the removed action and evidence drawn where they were, inside their
    lane and their old step's column, over no box; the new boxes keep the grid."""
    from blueprint_cli.analysis.diff import diff
    from blueprint_cli.render.changes import overlay
    from tests.test_render_changes import hotel_pair

    old_path, new_path = hotel_pair(tmp_path)
    old = check_bytes(old_path.read_bytes()).blueprint
    new = check_bytes(new_path.read_bytes()).blueprint
    assert old is not None and new is not None
    # and a piece of evidence removed, beside the action
    new = new.model_copy(
        update={
            "steps": [
                s.model_copy(update={"evidence": s.evidence[1:]}) if s.id == "check-in" else s
                for s in new.steps
            ]
        }
    )
    changes = overlay(diff(old, new), old, new, new, "hotel-old.yaml")
    assert {g.key for g in changes.ghosts} >= {"a:tag-bags"}
    assert any(g.lane == "evidence" for g in changes.ghosts)
    diagram = build(new, THEMES["default"], DotOptions(rows=rows, changes=changes))
    assert geometry.check(changes.with_ghosts(new), run_graphviz(diagram.text(), "json")) == []
