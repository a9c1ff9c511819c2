"""Spreadsheets in and out: workshop grids and process lists <-> blueprints.

``read`` turns an .xlsx workbook or a CSV file into tables of text cells with their
addresses, refusing what is not safe to open (zip bombs, XML entities, oversized
sheets); ``grid`` and ``process`` turn a table of either layout into the plain data of
a blueprint, ``headers`` matches column and row labels; ``write`` writes both layouts.
Nothing here imports typer, rich or pydantic: it sits beside render and views.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SheetProblem:
    """One problem at one place of a spreadsheet: ``Sheet1!C14`` (or ``C14`` in a CSV)."""

    where: str
    message: str
    #: (row, column) from 0, to list a sheet's problems in reading order
    order: tuple[int, int] = (0, 0)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class SheetError(Exception):
    """The spreadsheet cannot be imported: its problems, each at its cell."""

    def __init__(self, problems: list[SheetProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def address(sheet: str | None, row: int, col: int) -> str:
    """The address of a cell, rows and columns from 0: ``Sheet1!C14``, ``C14`` in a CSV."""
    cell = f"{column_letter(col)}{row + 1}"
    if not sheet:
        return cell
    if any(not (ch.isalnum() or ch == "_") for ch in sheet):
        sheet = "'" + sheet.replace("'", "''") + "'"
    return f"{sheet}!{cell}"
