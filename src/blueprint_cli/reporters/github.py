"""GitHub Actions workflow commands: an annotation on the right line of the pull request.

Chosen automatically when GITHUB_ACTIONS=true and no --format is given. GitHub places an
annotation by its path from the repository's root: files are named from the project
root, as in SARIF, so that a step with a ``working-directory`` still annotates the right
file; a file outside the project (or stdin) is named as given.
"""

from __future__ import annotations

from typing import TextIO

from blueprint_cli.findings import Report, Severity
from blueprint_cli.reporters._common import display_path, project_root, root_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    root = project_root()
    for f in result.findings:
        path = root_path(f.file, root) or display_path(f.file)
        props = ",".join(
            [
                f"file={_property(path)}",
                f"line={f.line}",
                f"col={f.col}",
                f"title={_property(f'{f.code} {f.name}')}",
            ]
        )
        out.write(f"::{_COMMAND[f.severity]} {props}::{_data(f.message)}\n")
    if not quiet:
        from blueprint_cli.reporters.text import summary

        out.write(summary(result) + "\n")
