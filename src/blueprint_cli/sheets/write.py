"""Tables -> an .xlsx workbook or a CSV file, the same bytes for the same blueprint.

The workbook: a header row (and, in the grid, the label column) in bold, frozen
panes, column widths from the text, wrapped text at the top of each cell; a phase
merged over its steps in the grid. Its properties carry a fixed date and the zip's
members a fixed time, so that two exports of one blueprint are byte-identical. Text
that starts with ``=`` stays text, never a formula. The CSV: UTF-8, ``,``, ``\\n``.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

#: The date every workbook's properties carry: the format's, not the export's.
FIXED_DATE = datetime.datetime(2024, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_WIDTH = 60


@dataclass(slots=True)
class Sheet:
    name: str
    rows: list[list[Any]]
    #: the cell the panes freeze at (``B2``: the first row and column stay in view)
    freeze: str = "A2"
    bold_column: bool = False  # the first column holds labels
    #: ranges merged in one row: (row, first column, last column), all from 1
    merges: list[tuple[int, int, int]] = field(default_factory=list)
    bold_rows: int = 1


#: What makes a spreadsheet read a CSV cell as a formula; a text that starts so is
#: written after a quote ("'=HYPERLINK(...)" is shown, never run), and so is one that
#: starts with a quote: the import takes one quote off, and gives the text back.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in _trimmed(row)])
    return out.getvalue()


def _trimmed(row: list[Any]) -> list[Any]:
    end = len(row)
    while end and row[end - 1] in ("", None):
        end -= 1
    return row[:end]


def to_xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    for blank in list(wb.worksheets):
        wb.remove(blank)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        widths: dict[int, int] = {}
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value in ("", None):
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=SUM(...)" written by a user is text, not a formula
                cell.alignment = wrap
                if r <= spec.bold_rows or (spec.bold_column and c == 1):
                    cell.font = bold
                longest = max((len(line) for line in str(value).split("\n")), default=0)
                widths[c] = max(widths.get(c, 8), min(longest + 2, MAX_WIDTH))
        for c, width in widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
        for r, first, last in spec.merges:
            if last > first:
                ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
        ws.freeze_panes = spec.freeze
    wb.properties.creator = "blueprint"
    wb.properties.created = FIXED_DATE
    wb.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_times(buffer.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same zip, every member dated 1980-01-01 (zipfile dates them now)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
