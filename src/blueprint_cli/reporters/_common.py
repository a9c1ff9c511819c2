"""What several reporters share: display paths, and rule metadata without importing rules."""

from __future__ import annotations

import os

from blueprint_cli.findings import Severity


def display_path(name: str) -> str:
    """A path relative to the current directory when it is under it, with forward slashes,
    so that reports are the same on every machine."""
    if name.startswith("<"):
        return name
    path = os.path.normpath(name)
    if os.path.isabs(path):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            rel = path
        if not rel.startswith(".."):
            path = rel
    return path.replace(os.sep, "/")


LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
