"""A workbook (.xlsx) or a CSV file -> tables of text cells, each with its address.

What is refused before openpyxl sees a byte: a file over the size limit of a blueprint
(20 MiB), something that is not a zip (an old .xls, an encrypted workbook: both are
OLE2 files), a zip of too many members, of more than 50 MiB uncompressed, or with a
member compressed more than 100 to 1 (a zip bomb). openpyxl parses the XML through
defusedxml (an entity declaration, the "billion laughs", is refused). Sheets are read
``read_only`` up to a number of rows and columns; a cell is text as the sheet shows
it: numbers as written (``5``, ``3.1``), dates as ISO 8601, a formula by its cached
result (none cached: an error at that cell, as a formula's own error value is).

In a CSV, the encoding is UTF-8 (with or without its BOM) and the delimiter the one
of ``,`` ``;`` and tab that the first lines use; NUL bytes are refused.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import zipfile
from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.load import read_limited
from blueprint_cli.sheets import SheetError, SheetProblem, address
from blueprint_cli.text import quote

MAX_FILE_BYTES = 20 * 1024 * 1024  # as a blueprint (load.errors.MAX_FILE_BYTES)
MAX_MEMBERS = 1000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_ROWS = 10_000
MAX_COLUMNS = 200
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(slots=True)
class Table:
    """One sheet: its name (None for a CSV file) and its rows of text ("" when empty)."""

    name: str | None
    rows: list[list[str]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> str:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def at(self, row: int, col: int) -> str:
        return address(self.name, row, col)

    @property
    def empty(self) -> bool:
        return not any(any(c for c in r) for r in self.rows)


def is_csv(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in CSV_SUFFIXES


def read_tables(path: str, data: bytes | None = None) -> list[Table]:
    """Every sheet of a workbook, or the one table of a CSV file. Raises SheetError,
    OSError when the file cannot be read."""
    if data is None:
        with open(path, "rb") as handle:
            data = read_limited(handle, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise SheetError([SheetProblem("", f"over {MAX_FILE_BYTES // (1024 * 1024)} MiB")])
    if is_csv(path):
        return [read_csv(data)]
    return read_workbook(data)


# ---------------------------------------------------------------------------- CSV


def read_csv(data: bytes) -> Table:
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SheetError(
            [SheetProblem(f"line {line}", "a NUL byte: not a text file (UTF-16? save as UTF-8)")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SheetError(
            [SheetProblem(f"line {line}", "not UTF-8: save the file as CSV UTF-8")]
        ) from None
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = "\t" if "\t" in sample.partition("\n")[0] else ","
    table = Table(None)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(table.rows) >= MAX_ROWS:
                raise SheetError([SheetProblem("", f"over {MAX_ROWS} rows")])
            if len(row) > MAX_COLUMNS:
                raise SheetError(
                    [SheetProblem(address(None, len(table.rows), MAX_COLUMNS), _too_wide())]
                )
            table.rows.append([_unquoted(c.strip() if c.strip() == "" else c) for c in row])
    except csv.Error as exc:
        raise SheetError([SheetProblem(f"line {len(table.rows) + 1}", str(exc))]) from None
    return table


def _unquoted(cell: str) -> str:
    """A CSV cell as its text: the quote a spreadsheet guard (ours, or Excel's habit)
    puts before a text that would be a formula taken off, once."""
    return cell[1:] if cell.startswith("'") else cell


def _too_wide() -> str:
    return f"over {MAX_COLUMNS} columns"


# ---------------------------------------------------------------------------- xlsx


def _check_zip(data: bytes) -> None:
    if data.startswith(_OLE2):
        raise SheetError(
            [
                SheetProblem(
                    "",
                    "an old .xls workbook or an encrypted one: save it as .xlsx "
                    "(Excel Workbook), without a password",
                )
            ]
        )
    if not data.startswith(_ZIP):
        raise SheetError(
            [SheetProblem("", "not an .xlsx workbook (not a zip file); a CSV file ends in .csv")]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SheetError([SheetProblem("", f"a damaged .xlsx workbook: {exc}")]) from None
    if len(members) > MAX_MEMBERS:
        raise SheetError(
            [SheetProblem("", f"{len(members)} parts in the zip, over {MAX_MEMBERS}: refused")]
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise SheetError(
            [
                SheetProblem(
                    "",
                    f"{total // (1024 * 1024)} MiB uncompressed, over "
                    f"{MAX_UNCOMPRESSED // (1024 * 1024)} MiB: refused (a zip bomb?)",
                )
            ]
        )
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise SheetError(
                [
                    SheetProblem(
                        "",
                        f"{quote(m.filename)} compressed {m.file_size // max(m.compress_size, 1)}"
                        f" to 1, over {MAX_RATIO} to 1: refused (a zip bomb?)",
                    )
                ]
            )

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for m in members:
                if m.filename.endswith((".xml", ".rels", ".vml")) and m.file_size:
                    _check_xml(m.filename, archive.read(m))
    except SheetError:
        raise
    except Exception as exc:  # zlib.error, BadZipFile (CRC), an encrypted or unknown method
        why = f"a damaged .xlsx workbook ({type(exc).__name__}: {quote(str(exc), 80)})"
        raise SheetError([SheetProblem("", why)]) from None


def _check_xml(member: str, body: bytes) -> None:
    """No DTD, no entity declaration (the "billion laughs"), and UTF-8: refused before
    any parser sees it, whatever the parser would do with it."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")) or body[:2] in (b"<\0", b"\0<"):
        why = f"{quote(member)} is not UTF-8 XML: refused"
    elif b"<!DOCTYPE" in body or b"<!ENTITY" in body:
        why = f"XML entities or a DTD in {quote(member)}: refused (an XML bomb?)"
    else:
        return
    raise SheetError([SheetProblem("", why)])


def read_workbook(data: bytes) -> list[Table]:
    _check_zip(data)
    try:
        return _read_workbook(data)
    except SheetError:
        raise
    except Exception as exc:  # openpyxl's errors are many and undocumented
        name = type(exc).__name__
        if "Entities" in name or "DTD" in name or "Forbidden" in name:
            why = "XML entities or a DTD in the workbook: refused (an XML bomb?)"
        else:
            why = f"not a readable .xlsx workbook ({name}: {quote(str(exc), 80)})"
        raise SheetError([SheetProblem("", why)]) from None


def _read_workbook(data: bytes) -> list[Table]:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Data Validation extension is not supported"
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        tables = []
        for sheet, raw in zip(values.worksheets, formulas.worksheets, strict=True):
            tables.append(_read_sheet(sheet, raw))
        return tables
    finally:
        values.close()
        formulas.close()


def _read_sheet(sheet: Any, raw: Any) -> Table:
    table = Table(str(sheet.title))
    problems: list[SheetProblem] = []
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    raws = raw.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    blank = 0
    for r, (row, formula_row) in enumerate(zip(rows, raws, strict=False)):
        texts: list[str] = []
        for c, value in enumerate(row):
            formula = formula_row[c] if c < len(formula_row) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    SheetProblem(
                        table.at(r, c),
                        f"a formula ({quote(formula, 40)}) without a saved result: open and "
                        "save the workbook in Excel or LibreOffice, or paste it as values",
                    )
                )
                texts.append("")
                continue
            if value is not None and c >= MAX_COLUMNS:
                raise SheetError([SheetProblem(table.at(r, c), _too_wide())])
            texts.append(_text(value, table.at(r, c), problems))
        while texts and not texts[-1]:
            texts.pop()
        if not texts:
            blank += 1
            if r >= MAX_ROWS:
                continue  # formatted, empty rows at the end: harmless
            table.rows.append([])
            continue
        if r >= MAX_ROWS:
            raise SheetError([SheetProblem(table.at(r, 0), f"over {MAX_ROWS} rows")])
        table.rows.append(texts)
        if len(problems) > 50:
            break
    while table.rows and not table.rows[-1]:
        table.rows.pop()
    if problems:
        raise SheetError(problems)
    return table


def _text(value: Any, where: str, problems: list[SheetProblem]) -> str:
    """A cell's value as the sheet shows it, as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        from blueprint_cli.model import format_duration

        return format_duration(value.total_seconds())
    text = str(value)
    if text.startswith("#") and text.rstrip("!?0/").upper() in _ERRORS:
        problems.append(SheetProblem(where, f"the formula's result is an error ({text})"))
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_ERRORS = {"#NULL", "#DIV", "#VALUE", "#REF", "#NAME", "#NUM", "#N/A", "#GETTING_DATA"}
