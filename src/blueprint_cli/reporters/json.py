"""A JSON document: summary, findings (sorted) and I/O errors. No timestamps: stable."""

from __future__ import annotations

from typing import TextIO

from blueprint_cli.findings import Report, Severity
from blueprint_cli.reporters._common import write_json


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    write_json(document(result), out)


def document(result: Report) -> dict[str, object]:
    """The report as JSON data (what ``report`` writes; the watch page serves it too)."""
    counts = result.counts()
    summary: dict[str, object] = {
        "files": len(result.files),
        "error": counts[Severity.ERROR],
        "warning": counts[Severity.WARNING],
        "info": counts[Severity.INFO],
        "failed": result.failed,
        "fail_on": result.fail_on.label,
    }
    if result.baselined is not None:  # --baseline: the findings it held, not listed
        summary["baselined"] = result.baselined
    return {
        "version": 1,
        "summary": summary,
        "findings": [
            {
                "file": f.file,
                "line": f.line,
                "column": f.col,
                "code": f.code,
                "rule": f.name,
                "severity": f.severity.label,
                "message": f.message,
            }
            for f in result.findings
        ],
        "errors": result.errors,
    }
