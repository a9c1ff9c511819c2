"""Whole spreadsheets <-> blueprints: the layout found (or chosen), the sheet chosen,
the data built; and the export of a blueprint in either layout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprint_cli.sheets import SheetError, SheetProblem
from blueprint_cli.sheets.build import Builder
from blueprint_cli.sheets.read import Table
from blueprint_cli.text import quote

if TYPE_CHECKING:
    from blueprint_cli.model import Blueprint


def _pick(tables: list[Table], sheet: str | None) -> tuple[Table, dict[str, Table]]:
    """The sheet to import, and the others by name."""
    by_name = {t.name or "": t for t in tables}
    if sheet is not None:
        if tables and tables[0].name is None:
            raise SheetError(
                [SheetProblem("", "--sheet is for workbooks: a CSV file has one table")]
            )
        found = by_name.get(sheet) or next(
            (t for t in tables if (t.name or "").casefold() == sheet.casefold()), None
        )
        if found is None:
            import difflib

            close = difflib.get_close_matches(sheet, list(by_name), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (sheets: {', '.join(by_name)})"
            raise SheetError([SheetProblem("", f"no sheet {quote(sheet)}{hint}")])
        chosen = found
    else:
        from blueprint_cli.sheets.process import BLUEPRINT_SHEET, EXTRA_SHEETS

        aside = {BLUEPRINT_SHEET, *EXTRA_SHEETS}
        filled = [t for t in tables if not t.empty]
        candidates = [t for t in filled if (t.name or "") not in aside] or filled
        if not candidates:
            where = tables[0].at(0, 0) if tables else ""
            raise SheetError([SheetProblem(where, "the sheet is empty: nothing to import")])
        chosen = candidates[0]
    return chosen, {t.name or "": t for t in tables if t is not chosen}


def layout_of(table: Table) -> str | None:
    from blueprint_cli.sheets import grid, process

    filled = [r for r in table.rows if any(c.strip() for c in r)][:2]
    if any(process.looks_like(r) for r in filled):
        return "list"
    if grid.looks_like(table):
        return "grid"
    return None


def import_tables(
    tables: list[Table], layout: str | None = None, sheet: str | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The plain data of the blueprint the sheet holds, and warnings. Raises SheetError
    with every problem found."""
    from blueprint_cli.sheets.grid import GridReader
    from blueprint_cli.sheets.process import ListReader

    table, others = _pick(tables, sheet)
    if table.empty:
        raise SheetError([SheetProblem(table.at(0, 0), "the sheet is empty: nothing to import")])
    chosen = layout or layout_of(table)
    if chosen is None:
        raise SheetError(
            [
                SheetProblem(
                    table.at(0, 0),
                    "neither layout: a process list has a header row with step and text "
                    "columns; a grid has lanes (Customer actions, Frontstage...) in column A; "
                    "or give --layout",
                )
            ]
        )
    reader: GridReader | ListReader = (
        GridReader(table) if chosen == "grid" else ListReader(table, others)
    )
    built: Builder = reader.read()
    if reader.problems:
        raise SheetError(sorted(reader.problems, key=lambda p: p.order))
    data = built.data()
    if not data.get("steps"):
        what = "rows under its headers" if chosen == "list" else "steps in its Step row"
        raise SheetError([SheetProblem(table.at(0, 0), f"no {what}: nothing to import")])
    return data, reader.warnings


# ---------------------------------------------------------------------------- export


def sheets_of(bp: Blueprint, layout: str) -> list[Any]:
    from blueprint_cli.sheets import grid, process
    from blueprint_cli.sheets.write import Sheet

    if layout == "grid":
        rows = grid.rows(bp)
        phased = rows[0][0] == "Phase"
        merges = [(1, a + 1, b + 1) for a, b in grid.phase_spans(bp)] if phased else []
        return [
            Sheet(
                "Service blueprint",
                rows,
                freeze="B3" if phased else "B2",
                bold_column=True,
                merges=merges,
                bold_rows=2 if phased else 1,
            )
        ]
    # the process list keeps its step in view; the other sheets their header
    return [
        Sheet(name, rows, freeze="C2" if n == 0 else "A2")
        for n, (name, rows) in enumerate(process.tables(bp))
    ]


def export_xlsx(bp: Blueprint, layout: str = "list") -> bytes:
    """The blueprint as a workbook: the grid, or the process list and its sheets."""
    from blueprint_cli.sheets.write import to_xlsx

    return to_xlsx(sheets_of(bp, layout))


def export_csv(bp: Blueprint, layout: str = "list") -> str:
    """The blueprint as CSV: the grid, or the process list (its first sheet only)."""
    from blueprint_cli.sheets.write import to_csv

    return to_csv(sheets_of(bp, layout)[0].rows)
