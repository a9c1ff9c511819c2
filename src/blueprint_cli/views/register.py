"""The fail-point register as JSON, CSV, Markdown or plain text (the rich table is in
terminal.py). CSV and text have the same columns; JSON has them all and the marker and
draft flag; Markdown is for a report: the texts, and file:line to link back."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any, TextIO

from blueprint_cli.analysis import FailPointRow, PlacedRow
from blueprint_cli.text import json_safe, visible
from blueprint_cli.views.cells import markdown_text, spreadsheet_cell

#: The columns of CSV and text: where the fail point is written (file and line), its
#: label, and the ids and texts of its step, action and itself, to link back. The file
#: comes first: a line of text never starts with a label made of a file's name (a file
#: named ``::error::x.yaml`` must not make a CI log read a command).
COLUMNS = (
    "blueprint",
    "line",
    "label",
    "step_id",
    "step",
    "lane",
    "action_id",
    "action",
    "actor",
    "fail_point_id",
    "fail_point",
    "severity",
    "occurrence",
    "detection",
    "risk",
    "prevention",
    "recovery",
    "segments",
    "channel",
)


def record(r: FailPointRow) -> dict[str, Any]:
    """One row as data: the CSV and text columns, and the diagram's marker (``F5``,
    which ``label`` holds after the file's name in a run of several files) and whether
    the file is a draft. Where it happens (segments and channel) is known of a row
    ``placed`` in its blueprint; else it is for all segments, through no channel."""
    fp = r.fail_point
    segments, channel = (r.segments_text, r.channel) if isinstance(r, PlacedRow) else ("all", None)
    return {
        "blueprint": r.blueprint,
        "line": r.line,
        "label": r.label or r.marker,
        "marker": r.marker,
        "step_id": r.step.id,
        "step": r.step.title,
        "lane": r.action.lane,
        "action_id": r.action.id,
        "action": r.action.text,
        "actor": r.actor,
        "fail_point_id": fp.id,
        "fail_point": fp.text,
        "severity": fp.severity,
        "occurrence": fp.occurrence,
        "detection": fp.detection,
        "risk": r.risk,
        "prevention": fp.prevention,
        "recovery": fp.recovery,
        "segments": segments,
        "channel": channel,
        "draft": r.draft,
    }


def to_json(rows: list[FailPointRow]) -> str:
    doc = {"version": 1, "fail_points": [record(r) for r in rows]}
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def to_csv(rows: list[FailPointRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        rec = record(r)
        writer.writerow([spreadsheet_cell(rec[c]) for c in COLUMNS])
    return out.getvalue()


def to_markdown(rows: list[FailPointRow]) -> str:
    """A table for a report: where (file:line), the fail point and the action it is
    on, its scores, and the prevention and recovery planned, in words."""
    head = [
        "#",
        "Where",
        "Step",
        "Lane",
        "Segments",
        "Channel",
        "Action",
        "Actor",
        "Fail point",
        "S",
        "O",
        "D",
        "Risk",
        "Prevention",
        "Recovery",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        rec = record(r)
        where = rec["blueprint"] if rec["line"] is None else f"{rec['blueprint']}:{rec['line']}"
        cells = [
            markdown_text(rec["label"]),
            markdown_text(where),
            markdown_text(rec["step"]),
            rec["lane"],
            markdown_text(rec["segments"]),
            markdown_text(rec["channel"]),
            markdown_text(rec["action"]),
            markdown_text(rec["actor"]),
            markdown_text(rec["fail_point"]),
            markdown_text(rec["severity"]),
            markdown_text(rec["occurrence"]),
            markdown_text(rec["detection"]),
            markdown_text(rec["risk"] if rec["risk"] is not None else "unscored"),
            markdown_text(rec["prevention"]) if rec["prevention"] else MISSING,
            markdown_text(rec["recovery"]) if rec["recovery"] else MISSING,
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


#: A Markdown cell for a prevention or recovery not planned: in bold, as a report's gap.
MISSING = "**missing**"


def to_text(rows: list[FailPointRow]) -> str:
    """One fail point per line, tab-separated: for grep, cut and awk."""
    out = ["\t".join(COLUMNS)]
    for r in rows:
        rec = record(r)
        values = []
        for c in COLUMNS:
            v = rec[c]
            if c in ("prevention", "recovery"):
                v = "yes" if v else "missing"
            values.append(visible(" ".join(str("" if v is None else v).split())))
        out.append("\t".join(values))
    return "\n".join(out) + "\n"


def _writer(render: Callable[[list[FailPointRow]], str]) -> Callable[..., None]:
    def write(rows: list[FailPointRow], out: TextIO, *, color: bool) -> None:
        out.write(render(rows))

    return write


def write_table(rows: list[FailPointRow], out: TextIO, *, color: bool) -> None:
    from blueprint_cli.views.terminal import console, print_register

    many = len({r.blueprint for r in rows}) > 1 or any(r.label != r.marker for r in rows)
    print_register(rows, console(out, color), many_files=many)


#: ``failpoints --format NAME``: the writers, by name.
WRITERS: dict[str, Callable[..., None]] = {
    "table": write_table,
    "text": _writer(to_text),
    "json": _writer(to_json),
    "csv": _writer(to_csv),
    "markdown": _writer(to_markdown),
}
