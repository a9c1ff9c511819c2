"""import(export(x)) gives x back.

The process list in a workbook carries everything a blueprint has: the equality is
of the validated models (``Blueprint.model_dump()``). In CSV, the list carries the
steps and their items (references by their titles); the grid carries the steps, their
phases, the lanes' actions and the evidence, in both formats.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from blueprint_cli.load.errors import Limits
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.sheets.build import to_yaml
from blueprint_cli.sheets.convert import export_csv, export_xlsx, import_tables
from blueprint_cli.sheets.read import read_csv, read_workbook
from tests import strategies
from tests.conftest import ROOT, example_blueprints

EXAMPLES = example_blueprints()


def _load(raw: bytes) -> Blueprint:
    checked = check_bytes(raw, Limits())
    assert checked.blueprint is not None, checked.problems[:3]
    return checked.blueprint


def _back(bp: Blueprint, fmt: str, layout: str) -> Blueprint:
    if fmt == "xlsx":
        tables = read_workbook(export_xlsx(bp, layout))
    else:
        tables = [read_csv(export_csv(bp, layout).encode("utf-8"))]
    data, _ = import_tables(tables, layout)
    return _load(to_yaml(data, f"x.{fmt}").encode("utf-8"))


def _carried_by_csv(bp: Blueprint) -> list[dict[str, Any]]:
    """The steps and their items, each reference as the list writes it: by its title
    (its id when the title is not one item's only, or holds a comma)."""
    from blueprint_cli.sheets.process import namer

    titles = {
        key: {item.id: namer(getattr(bp, key))(item.id) for item in getattr(bp, key)}
        for key in ("phases", "actors", "channels", "segments", "regulations")
    }
    steps = []
    for step in bp.steps:
        dumped = step.model_dump()
        dumped["phase"] = titles["phases"].get(step.phase or "", step.phase)
        dumped["channel"] = titles["channels"].get(step.channel or "", step.channel)
        dumped["segments"] = [titles["segments"].get(s, s) for s in step.segments]
        dumped["metrics"] = [m["id"] for m in dumped["metrics"] if m["title"] is None]
        for lane in ("customer", "frontstage", "backstage", "support"):
            for action in dumped[lane]:
                action["actor"] = titles["actors"].get(action["actor"] or "", action["actor"])
                action["channel"] = titles["channels"].get(
                    action["channel"] or "", action["channel"]
                )
                action["regulations"] = [
                    titles["regulations"].get(r, r) for r in action["regulations"]
                ]
        steps.append(dumped)
    return steps


def _grid_of(bp: Blueprint) -> list[tuple[Any, ...]]:
    phases = {p.id: p.title for p in bp.phases}
    return [
        (
            step.title,
            phases.get(step.phase or "", step.phase),
            [e.text for e in step.evidence],
            *([a.text for a in step.lane(lane)] for lane in ("customer", "frontstage")),
            *([a.text for a in step.lane(lane)] for lane in ("backstage", "support")),
        )
        for step in bp.steps
    ]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_list_xlsx_gives_the_blueprint_back(path: Path) -> None:
    bp = _load(path.read_bytes())
    assert _back(bp, "xlsx", "list").model_dump() == bp.model_dump()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_list_csv_gives_the_steps_back(path: Path) -> None:
    bp = _load(path.read_bytes())
    assert _carried_by_csv(_back(bp, "csv", "list")) == _carried_by_csv(bp)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_grid_gives_steps_lanes_and_phases_back(path: Path, fmt: str) -> None:
    bp = _load(path.read_bytes())
    back = _back(bp, fmt, "grid")
    assert _grid_of(back) == _grid_of(bp)
    assert back.lanes.model_dump() == bp.lanes.model_dump()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.blueprints())
def test_any_valid_blueprint_comes_back_from_a_workbook(data: dict[str, Any]) -> None:
    import yaml

    for step in data.get("steps", []):
        if isinstance(step, dict):
            # not carried: an empty emotion mapping; a step's own metrics before the ids of
            # blueprint metrics (the list puts the ids first)
            if step.get("emotion") == {}:
                del step["emotion"]
            if "metrics" in step:
                step["metrics"].sort(key=lambda m: not isinstance(m, str))
    checked = check_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), Limits())
    if checked.blueprint is None or checked.problems:
        return
    bp = checked.blueprint
    assert _back(bp, "xlsx", "list").model_dump() == bp.model_dump()


@pytest.mark.parametrize("layout", ["list", "grid"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_csv_export_imports_without_errors(path: Path, layout: str) -> None:
    """What CSV does not carry (declarations) is declared again: no unknown references."""
    from blueprint_cli.pipeline.check import lint_bytes

    bp = _load(path.read_bytes())
    data, _ = import_tables([read_csv(export_csv(bp, layout).encode("utf-8"))], layout)
    text = to_yaml(data, "x.csv").encode("utf-8")
    assert [f for f in lint_bytes("x.yaml", text) if f.severity.label == "error"] == []


def test_csv_cells_are_never_formulas_and_still_come_back() -> None:
    """A text that a spreadsheet would run (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM``,
    ``-2+3``) is written after a quote; the import takes the quote off: the same text."""
    import csv
    import io

    from blueprint_cli.sheets.read import read_csv
    from blueprint_cli.sheets.write import to_csv

    texts = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "'quoted", "plain"]
    written = to_csv([texts])
    cells = next(csv.reader(io.StringIO(written)))
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert read_csv(written.encode()).rows[0] == texts
