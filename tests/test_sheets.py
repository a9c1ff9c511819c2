"""`blueprint import` and `blueprint export --to xlsx|csv`: the workshop layouts, the
golden files of each, and hostile spreadsheets (one line naming file and cell, exit 2).

Regenerate the golden files: `python -m tests.test_sheets`, then review the diff.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.load.errors import Limits
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.pipeline.check import lint_bytes
from blueprint_cli.pipeline.interchange import EXPORTERS
from blueprint_cli.sheets import SheetError
from blueprint_cli.sheets.convert import export_xlsx, import_tables
from blueprint_cli.sheets.headers import lane_of
from blueprint_cli.sheets.read import read_csv, read_workbook
from blueprint_cli.sheets.values import CellError, duration, items
from tests.conftest import ROOT

runner = CliRunner()
GOLDEN = ROOT / "tests" / "golden" / "sheets"
INPUTS = GOLDEN / "inputs"
HOTEL = ROOT / "examples" / "hotel.yaml"


# ---------------------------------------------------------------------------- inputs


def _csv_rows(name: str) -> list[list[str]]:
    text = (INPUTS / name).read_text(encoding="utf-8-sig")
    delimiter = ";" if "grid" in name else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def workshop_xlsx(name: str, path: Path) -> Path:
    """The workshop's CSV as a workbook a consultant saved: a header in bold, the
    grid's phases in merged cells, a number and a date in text cells."""
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Workshop"
    rows = _csv_rows(name)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value:
                ws.cell(row=r, column=c, value=value)
    if "grid" in name:
        ws.merge_cells("B2:C2")
        ws.merge_cells("D2:E2")
        ws.merge_cells("F2:G2")
    else:
        ws.cell(row=1, column=15, value="Note")
        ws.cell(row=2, column=15, value=datetime.date(2024, 3, 12))
        ws.cell(row=9, column=6, value=None)
        ws.cell(row=3, column=9, value=6)  # a severity typed as a number
    wb.save(path)
    return path


def _import(path: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["import", str(path), "-o", "-", *args])
    return result.exit_code, result.stdout, result.stderr


CASES = {
    "grid-csv": ("workshop-grid.csv", False),
    "grid-xlsx": ("workshop-grid.csv", True),
    "list-csv": ("workshop-list.csv", False),
    "list-xlsx": ("workshop-list.csv", True),
}


def _imported(case: str, tmp: Path) -> str:
    name, xlsx = CASES[case]
    source = INPUTS / name
    if xlsx:
        source = workshop_xlsx(name, tmp / name.replace(".csv", ".xlsx"))
    code, out, err = _import(source)
    assert code == 0, err
    return out


def write_golden() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            (GOLDEN / f"{case}.yaml").write_text(_imported(case, Path(tmp)), encoding="utf-8")
    for layout in ("list", "grid"):
        out = runner.invoke(
            app, ["export", str(HOTEL), "--to", "csv", "--layout", layout, "-o", "-"]
        )
        (GOLDEN / f"hotel-{layout}.csv").write_text(out.stdout, encoding="utf-8")


# ---------------------------------------------------------------------------- golden


@pytest.mark.parametrize("case", list(CASES))
def test_import_golden(case: str, tmp_path: Path) -> None:
    assert _imported(case, tmp_path) == (GOLDEN / f"{case}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", list(CASES))
def test_imported_blueprints_lint_clean_and_render(case: str, tmp_path: Path) -> None:
    text = _imported(case, tmp_path)
    errors = [f for f in lint_bytes("t.yaml", text.encode()) if f.severity.label == "error"]
    assert errors == []
    target = tmp_path / "t.yaml"
    target.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["render", str(target), "-f", "dot", "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert "digraph" in result.stdout


def test_both_layouts_give_the_same_workshop(tmp_path: Path) -> None:
    """The grid and the list of one workshop name the same steps and phases."""
    grid = check_bytes(_imported("grid-xlsx", tmp_path).encode(), Limits()).blueprint
    listed = check_bytes(_imported("list-xlsx", tmp_path).encode(), Limits()).blueprint
    assert grid is not None and listed is not None
    assert {s.title for s in listed.steps} <= {s.title for s in grid.steps}
    assert [p.title for p in grid.phases] == [p.title for p in listed.phases]


@pytest.mark.parametrize("layout", ["list", "grid"])
def test_export_csv_golden(layout: str) -> None:
    result = runner.invoke(
        app, ["export", str(HOTEL), "--to", "csv", "--layout", layout, "-o", "-"]
    )
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / f"hotel-{layout}.csv").read_text(encoding="utf-8")
    assert "\r" not in result.stdout


def test_grid_xlsx_merges_its_cells_and_is_read_as_written(tmp_path: Path) -> None:
    source = workshop_xlsx("workshop-grid.csv", tmp_path / "w.xlsx")
    data, _ = import_tables(read_workbook(source.read_bytes()))
    phases = [s.get("phase") for s in data["steps"]]
    assert phases == ["before-the-visit"] * 2 + ["at-the-shop"] * 2 + ["after-the-visit"] * 2
    assert data["title"] == "Bike service: workshop of 12 March"
    assert data["steps"][0]["customer"] == ["Choose a service", "Pick a slot\nfor the morning"]
    assert data["steps"][3]["backstage"] == ["Inspect the bike", "Price the parts"]


# ---------------------------------------------------------------------------- export


def test_export_xlsx_is_deterministic_and_formatted(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for target in (a, b):
        result = runner.invoke(app, ["export", str(HOTEL), "--to", "xlsx", "-o", str(target)])
        assert result.exit_code == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    wb = openpyxl.load_workbook(a)
    ws = wb["Process"]
    assert ws.freeze_panes == "C2"
    assert ws["A1"].font.b and not ws["A2"].font.b
    assert ws["A2"].alignment.wrap_text
    assert ws.column_dimensions["L"].width > 10
    assert wb.sheetnames == [
        "Process", "Blueprint", "Segments", "Phases", "Actors",
        "Channels", "Regulations", "Metrics", "Flows",
    ]  # fmt: skip
    assert wb.properties.created.year == 2024


def test_export_grid_xlsx_merges_phases(tmp_path: Path) -> None:
    target = tmp_path / "g.xlsx"
    result = runner.invoke(
        app, ["export", str(HOTEL), "--to", "xlsx", "--layout", "grid", "-o", str(target)]
    )
    assert result.exit_code == 0
    ws = openpyxl.load_workbook(target).active
    assert ws is not None
    assert "C1:H1" in {str(m) for m in ws.merged_cells.ranges}
    assert ws.freeze_panes == "B3"
    assert ws["A3"].value == "Physical evidence"


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    bp = check_bytes(
        b"blueprint: 1\nsteps:\n  - title: '=HYPERLINK(\"http://x\")'\n    customer: [Pay]\n",
        Limits(),
    ).blueprint
    assert bp is not None
    wb = openpyxl.load_workbook(io.BytesIO(export_xlsx(bp, "grid")))
    cell = wb.active["B1"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_export_default_output_and_refusals(tmp_path: Path) -> None:
    source = tmp_path / "hotel.yaml"
    source.write_bytes(HOTEL.read_bytes())
    result = runner.invoke(app, ["export", str(source), "--to", "csv"])
    assert result.exit_code == 0 and (tmp_path / "hotel.csv").is_file()
    onto = runner.invoke(app, ["export", str(source), "--to", "csv", "-o", str(source)])
    assert onto.exit_code == 2 and "overwrite the blueprint" in onto.stderr
    unknown = runner.invoke(app, ["export", str(source), "--to", "xslx"])
    assert unknown.exit_code == 2 and "did you mean 'xlsx'?" in unknown.stderr
    bad_layout = runner.invoke(app, ["export", str(source), "--to", "csv", "--layout", "tree"])
    assert bad_layout.exit_code == 2


def test_export_refuses_a_blueprint_with_errors(tmp_path: Path) -> None:
    broken = tmp_path / "b.yaml"
    broken.write_text(
        "blueprint: 1\nsteps:\n  - title: A\n    customer: [{text: x, actor: nobody}]\n"
    )
    result = runner.invoke(
        app, ["export", str(broken), "--to", "csv", "-o", str(tmp_path / "b.csv")]
    )
    assert result.exit_code == 1
    assert "nothing written" in result.stderr
    assert not (tmp_path / "b.csv").exists()


def test_the_to_help_lists_the_table() -> None:
    result = runner.invoke(app, ["export", "--help"])
    for name in EXPORTERS:
        assert f"{name}:" in result.stdout


def test_lint_does_not_import_the_sheets() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from blueprint_cli.cli import app\n"
        "try:\n    app(['lint', 'examples/hotel.yaml'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if 'sheets' in m or 'openpyxl' in m "
        "or 'interchange' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


# ---------------------------------------------------------------------------- import


def test_import_refuses_to_overwrite(tmp_path: Path) -> None:
    source = INPUTS / "workshop-list.csv"
    target = tmp_path / "out.yaml"
    assert runner.invoke(app, ["import", str(source), "-o", str(target)]).exit_code == 0
    again = runner.invoke(app, ["import", str(source), "-o", str(target)])
    assert again.exit_code == 2 and "--force" in again.stderr
    forced = runner.invoke(app, ["import", str(source), "-o", str(target), "--force"])
    assert forced.exit_code == 0


def test_import_default_output_and_title(tmp_path: Path) -> None:
    source = tmp_path / "shop.csv"
    source.write_bytes((INPUTS / "workshop-list.csv").read_bytes())
    result = runner.invoke(app, ["import", str(source), "--title", "Bike shop"])
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "shop.yaml").read_text(encoding="utf-8")
    assert "\ntitle: Bike shop\n" in text
    assert "shop.csv -> " in result.stderr and "(3 steps)" in result.stderr


def test_import_reports_the_blueprints_errors(tmp_path: Path) -> None:
    """What the sheet says is kept; what the format refuses is a finding, exit 1."""
    source = tmp_path / "x.csv"
    source.write_text("step,lane,text,id\nA,customer,Pay,pay\nB,customer,Pay again,pay\n")
    target = tmp_path / "x.yaml"
    result = runner.invoke(app, ["import", str(source), "-o", str(target)])
    assert result.exit_code == 1
    assert f"{target}:" in result.stderr and "BP" in result.stderr
    assert target.is_file()


def test_layout_is_told_and_can_be_forced(tmp_path: Path) -> None:
    grid = INPUTS / "workshop-grid.csv"
    code, _, err = _import(grid, "--layout", "list")
    assert code == 2 and "no 'text' column" in err
    code, out, _ = _import(grid, "--layout", "grid")
    assert code == 0 and "Book a service" in out


def test_sheet_option(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Notes"
    first["A1"] = "just notes"
    second = wb.create_sheet("Map")
    for row in (["Step", "Pay"], ["Customer actions", "Hand over the card"]):
        second.append(row)
    wb.save(path)
    code, out, err = _import(path, "--sheet", "Map")
    assert code == 0 and "Hand over the card" in out, err
    code, _, err = _import(path, "--sheet", "Mapp")
    assert code == 2 and "did you mean 'Map'?" in err


@pytest.mark.parametrize(
    ("label", "lane"),
    [
        ("Physical evidence", "evidence"),
        ("TOUCHPOINT", "evidence"),
        ("Props", "evidence"),
        ("customer_actions", "customer"),
        ("Onstage", "frontstage"),
        ("Front-stage actions:", "frontstage"),
        ("Backstage", "backstage"),
        ("Support processes", "support"),
        ("Onstage contact employee actions", "frontstage"),
        ("Backstge", None),
    ],
)
def test_lane_labels(label: str, lane: str | None) -> None:
    assert lane_of(label) == lane


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one\ntwo", ["one", "two"]),
        ("\u2022 one\n\u2022 two", ["one", "two"]),
        ("- one\n  more\n- two", ["one\nmore", "two"]),
        ("1. one\n2) two", ["one", "two"]),
        ("* one\r\n* two", ["one", "two"]),
        ("  \n", []),
    ],
)
def test_items_of_a_cell(text: str, expected: list[str]) -> None:
    assert items(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5m", "5m"), ("PT5M", "5m"), ("90s", "1m30s"), ("10 min", "10m"), ("0:05:00", "5m")],
)
def test_durations(text: str, expected: str) -> None:
    assert duration(text) == expected


@pytest.mark.parametrize("text", ["5", "5-10 min", "soon", "0:00"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(CellError):
        duration(text)


# ---------------------------------------------------------------------------- problems


LIST_HEAD = "step,phase,lane,text,owner,duration,severity,fail point\n"
PROBLEMS = {
    "unknown lane": (
        LIST_HEAD + "A,,Backstge,Do it,,,,\n",
        "C2: unknown lane 'Backstge'; did you mean 'backstage'?",
    ),
    "unknown column": (
        "step,lane,text,ownr\nA,customer,Pay,x\n",
        "D1: unknown column 'ownr'; did you mean 'owner'?",
    ),
    "bad duration": (
        LIST_HEAD + "A,,customer,Pay,,5,,\n",
        "F2: a duration needs a unit: 5m or 5s?",
    ),
    "bad score": (
        LIST_HEAD + "A,,customer,Pay,,,high,Card refused\n",
        "G2: severity is a whole number",
    ),
    "score without fail point": (
        LIST_HEAD + "A,,customer,Pay,,,8,\n",
        "G2: a severity without a fail point",
    ),
    "no lane": (LIST_HEAD + "A,,,Pay,,,,\n", "C2: which lane?"),
    "no text column": ("step,lane\nA,customer\n", "A1: no 'text' column"),
    "two phases": (
        LIST_HEAD + "A,Before,customer,Pay,,,,\nA,After,customer,Leave,,,,\n",
        "B3: the step's phase is 'before' at B2",
    ),
    "neither layout": ("a,b\nc,d\n", "A1: neither layout"),
    "empty": ("", "the sheet is empty"),
    "grid unknown row": (
        "Step,Pay\nCustomer actions,Hand over the card\nBackstge,Count\n",
        "A3: unknown row 'Backstge'; did you mean 'backstage'?",
    ),
    "grid column without step": (
        "Step,Pay,\nCustomer actions,Hand over the card,Leave\n",
        "C1: a column of actions without a step title (customer)",
    ),
    "grid second lane row": (
        "Step,Pay\nCustomer actions,Hand over\nCustomer,Leave\n",
        "A3: a second customer row (the first is A2)",
    ),
}


@pytest.mark.parametrize("case", list(PROBLEMS))
def test_sheet_problems_name_the_cell(case: str, tmp_path: Path) -> None:
    text, message = PROBLEMS[case]
    path = tmp_path / "s.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = _import(path)
    assert code == 2, err
    assert out == ""
    assert f"{path}: " in err and message in err, err
    assert "Traceback" not in err


def test_problems_in_a_workbook_name_the_sheet(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    for row in (["Step", "Lane", "Text"], ["A", "Backstge", "Count"]):
        ws.append(row)
    wb.save(path)
    code, _, err = _import(path)
    assert code == 2
    assert err.strip() == (
        f"blueprint: error: {path}: Sheet1!B2: unknown lane 'Backstge'; did you mean 'backstage'?"
    )


def test_unknown_column_far_from_any_is_ignored_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("step,lane,text,Sticky note colour\nA,customer,Pay,yellow\n")
    code, out, err = _import(path)
    assert code == 0 and "Pay" in out
    assert "D1: column 'Sticky note colour' ignored" in err


def test_read_errors_are_sheet_errors() -> None:
    with pytest.raises(SheetError):
        read_csv(b"a,b\n\x00")
    with pytest.raises(SheetError):
        read_workbook(b"not a zip")


if __name__ == "__main__":
    os.chdir(ROOT)
    write_golden()


# ---------------------------------------------------------------------------- hostile


def _small_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    for row in (["Step", "Pay"], ["Customer actions", "Hand over the card"]):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SMALL_XLSX = _small_xlsx()


def _patched(data: bytes, member: str, change: object) -> bytes:
    """The workbook with one member's XML changed (``change(text) -> text``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == member:
                body = change(body.decode("utf-8")).encode("utf-8")  # type: ignore[operator]
            target.writestr(info, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


def _too_big_unzipped() -> bytes:
    out = io.BytesIO()
    bits = bytes(48 + (i & 1) for i in range(256))  # one random bit a byte: about 7 to 1
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(3):
            z.writestr(f"xl/media/image{n}.bin", os.urandom(1024 * 1024).translate(bits))
    return out.getvalue()


def _many_members() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in range(1001):
            z.writestr(f"xl/part{n}.xml", "<a/>")
    return out.getvalue()


def _formula_without_result() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["Step", "Pay", "Leave"])
    ws.append(["Customer actions", "Hand over the card", None])
    ws["C2"] = '=CONCAT("Le", "ave")'  # openpyxl saves no cached result
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _formula_error() -> bytes:
    def error(xml: str) -> str:
        cell = '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        return xml.replace("</row></sheetData>", cell + "</row></sheetData>")

    return _patched(_small_xlsx(), "xl/worksheets/sheet1.xml", error)


def _entities() -> bytes:
    def bomb(xml: str) -> str:
        doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        return doctype + xml.replace("Pay", "&b;")

    return _patched(_small_xlsx(), "xl/worksheets/sheet1.xml", bomb)


def _huge_sheet() -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["step", "lane", "text"])
    for n in range(101):
        ws.append([f"Step {n}", "customer", "Pay"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _wide_sheet() -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["Step", *(f"S{n}" for n in range(300))])
    ws.append(["Customer actions", *("Pay" for _ in range(300))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _wrong_types() -> bytes:
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["step", "lane", "text", "duration", "severity", "fail point"])
    ws.append(["Pay", "customer", "Hand over the card", datetime.time(0, 5), 8, "Card refused"])
    ws.append(["Pay", "customer", "Sign", 5, None, None])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _empty_workbook() -> bytes:
    wb = openpyxl.Workbook()
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HOSTILE: dict[str, tuple[str, object, str]] = {
    "zip bomb": ("bomb.xlsx", _zip_bomb, "compressed"),
    "over 50 MiB unzipped": ("big.xlsx", _too_big_unzipped, "3 MiB uncompressed, over 2 MiB"),
    "too many members": ("many.xlsx", _many_members, "1001 parts in the zip, over 1000"),
    "not a zip": ("text.xlsx", lambda: b"step,lane,text\n", "not an .xlsx workbook"),
    "old xls or encrypted": (
        "old.xlsx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "an old .xls workbook or an encrypted one",
    ),
    "damaged zip": ("damaged.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 100, "workbook"),
    "formula without a result": (
        "formula.xlsx",
        _formula_without_result,
        'Sheet1!C2: a formula (\'=CONCAT("Le", "ave")\') without a saved result',
    ),
    "formula error": ("error.xlsx", _formula_error, "Sheet1!C2: the formula's result is an error"),
    "xml entities": ("entities.xlsx", _entities, "XML entities or a DTD"),
    "huge sheet": ("huge.xlsx", _huge_sheet, "Sheet1!A101: over 100 rows"),
    "wide sheet": ("wide.xlsx", _wide_sheet, "over 200 columns"),
    "wrong types": ("types.xlsx", _wrong_types, "Sheet1!D3: a duration needs a unit: 5m or 5s?"),
    "empty workbook": ("empty.xlsx", _empty_workbook, "the sheet is empty: nothing to import"),
    "csv with nul": ("nul.csv", lambda: b"step,lane,text\nA,customer,\x00Pay\n", "line 2: a NUL"),
    "csv not utf-8": (
        "latin.csv",
        lambda: "step,lane,text\nCaf\u00e9,customer,Pay\n".encode("latin-1"),
        "line 2: not UTF-8",
    ),
    "csv utf-16": (
        "utf16.csv",
        lambda: "step,lane,text\n".encode("utf-16"),
        "a NUL byte",
    ),
    "csv bad quoting": ("quote.csv", lambda: b'step,lane,text\nA,"cust"omer,Pay\n', "line"),
}


#: Limits lowered for a case, so that the test need not build a sheet of 10,000 rows.
LOWERED = {
    "over 50 MiB unzipped": ("MAX_UNCOMPRESSED", 2 * 1024 * 1024),
    "huge sheet": ("MAX_ROWS", 100),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_spreadsheets(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprint_cli.sheets import read

    name, make, message = HOSTILE[case]
    if case in LOWERED:
        monkeypatch.setattr(read, *LOWERED[case])
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    code, out, err = _import(path)
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"blueprint: error: {path}: ") and message in lines[0], err
    assert "Traceback" not in err


def test_over_the_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    code, _, err = _import(path)
    assert code == 2 and "over 20 MiB" in err


def test_wrong_types_that_are_fine(tmp_path: Path) -> None:
    """A time cell is a duration, a number cell is a score."""
    path = tmp_path / "ok.xlsx"
    data = _wrong_types()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws is not None
    ws.delete_rows(3)
    wb.save(path)
    code, out, err = _import(path)
    assert code == 0, err
    assert "duration: 5m" in out and "severity: 8" in out


def test_the_layout_choices_are_the_exporters_layouts() -> None:
    from blueprint_cli.cli import SheetLayout

    layouts = {layout for e in EXPORTERS.values() for layout in e.layouts}
    assert {c.value for c in SheetLayout} == layouts


def test_merged_cells_down_a_process_list(tmp_path: Path) -> None:
    """A step (and a lane) merged down its rows: the value is in the first cell only,
    and the rows under it belong to it."""
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in (
        ["Step", "Lane", "Action", "Role"],
        ["Check in", "Frontstage", "Greet the guest", "Clerk"],
        [None, None, "Hand over the key", "Clerk"],
        [None, "Backstage", "Assign a room", "Clerk"],
        ["Leave", "Customer", "Leave the key", None],
    ):
        ws.append(row)
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B3")
    wb.save(path)
    data, _ = import_tables(read_workbook(path.read_bytes()))
    first, second = data["steps"]
    assert [a["text"] for a in first["frontstage"]] == ["Greet the guest", "Hand over the key"]
    assert [a["text"] for a in first["backstage"]] == ["Assign a room"]
    assert second == {"title": "Leave", "customer": ["Leave the key"]}


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.xlsx", "x.csv"]))
def test_any_bytes_give_an_error_line_never_a_traceback(raw: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        result = runner.invoke(app, ["import", str(path), "-o", "-"])
    assert result.exit_code in (0, 1, 2), result.exception
    assert result.exception is None or isinstance(result.exception, SystemExit)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_damaged_workbooks_never_give_a_traceback(data: st.DataObject) -> None:
    """A real workbook with bytes changed here and there."""
    raw = bytearray(SMALL_XLSX)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    with contextlib.suppress(SheetError):  # an error line; anything else fails the test
        read_workbook(bytes(raw))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_lane_titles_come_back_from_the_grid(fmt: str) -> None:
    from blueprint_cli.sheets.convert import export_csv

    bp = check_bytes(
        b"blueprint: 1\nlanes: {customer: Guest, frontstage: Onstage, backstage: Back office}\n"
        b"steps:\n  - title: Pay\n    customer: [Pay]\n",
        Limits(),
    ).blueprint
    assert bp is not None
    if fmt == "xlsx":
        tables = read_workbook(export_xlsx(bp, "grid"))
    else:
        tables = [read_csv(export_csv(bp, "grid").encode())]
    data, _ = import_tables(tables, "grid")
    assert data["lanes"] == {
        "customer": "Guest",
        "frontstage": "Onstage",
        "backstage": "Back office",
    }


def test_headers_without_rows_import_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "headers.csv"
    sheet.write_text("Step,Lane,Action\n")
    result = CliRunner().invoke(app, ["import", str(sheet), "-o", "-"])
    assert result.exit_code == 2
    assert "A1: no rows under its headers: nothing to import" in result.stderr
    assert result.stdout == ""


def test_an_import_that_cannot_be_written_lists_no_findings(tmp_path: Path) -> None:
    """The findings of a file that was not written would point at lines of nothing."""
    (tmp_path / "out.yaml").mkdir()
    source = Path(__file__).parent / "golden" / "sheets" / "inputs" / "workshop-grid.csv"
    result = CliRunner().invoke(
        app, ["import", str(source), "-o", str(tmp_path / "out.yaml"), "--force"]
    )
    assert result.exit_code == 2
    assert "warning" not in result.stderr and "out.yaml" in result.stderr


def test_an_empty_title_is_a_usage_error() -> None:
    source = INPUTS / "workshop-grid.csv"
    result = CliRunner().invoke(app, ["import", str(source), "-o", "-", "--title", "  "])
    assert result.exit_code == 2 and "the title is empty" in result.stderr


def test_a_step_named_again_after_another_is_said(tmp_path: Path) -> None:
    sheet = tmp_path / "again.csv"
    sheet.write_text("Step,Lane,Text\nA,customer,x\nB,customer,y\nA,customer,z\n")
    result = CliRunner().invoke(app, ["import", str(sheet), "-o", "-"])
    assert result.exit_code == 0
    assert "A4: step 'A' again after 'B'" in result.stderr
