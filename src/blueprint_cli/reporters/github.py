"""GitHub Actions workflow commands: an annotation on the right line of the pull request.

Chosen automatically when GITHUB_ACTIONS=true and no --format is given.
"""

from __future__ import annotations

from typing import TextIO

from blueprint_cli.findings import Report, Severity
from blueprint_cli.reporters._common import display_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    for f in result.findings:
        props = ",".join(
            [
                f"file={_property(display_path(f.file))}",
                f"line={f.line}",
                f"col={f.col}",
                f"title={_property(f'{f.code} {f.name}')}",
            ]
        )
        out.write(f"::{_COMMAND[f.severity]} {props}::{_data(f.message)}\n")
    if not quiet:
        from blueprint_cli.reporters.text import summary

        out.write(summary(result) + "\n")
