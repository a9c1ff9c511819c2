"""GitLab Code Quality JSON: paths relative to the project root (``$CI_PROJECT_DIR``, where
GitLab looks a path up, wherever in it lint runs), and stable fingerprints (path, rule,
message and occurrence, not the line, so a finding keeps its identity when lines above
it move)."""

from __future__ import annotations

import hashlib
import os
from typing import TextIO

from blueprint_cli.codes import Family
from blueprint_cli.findings import Report, Severity
from blueprint_cli.reporters._common import display_path, project_root, root_path, write_json

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
_CATEGORY = {Family.FORMAT: "Bug Risk", Family.SERVICE_DESIGN: "Style"}


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    family = {rule.code: rule.family for rule in result.rules}
    issues = []
    root = project_root()
    paths: dict[str, str] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for f in result.findings:
        path = paths.get(f.file)
        if path is None:
            path = paths[f.file] = root_path(f.file, root) or _outside(f.file)
        key = (path, f.code, f.message)
        seen[key] = seen.get(key, 0) + 1
        fingerprint = hashlib.sha256(
            f"{path}\0{f.code}\0{f.message}\0{seen[key]}".encode()
        ).hexdigest()
        issues.append(
            {
                "description": f"{f.code} {f.message}",
                "check_name": f"{f.code} {f.name}",
                "fingerprint": fingerprint,
                "severity": _SEVERITY[f.severity],
                "location": {"path": path, "lines": {"begin": f.line}},
                "categories": [_CATEGORY[family[f.code]]],
                "type": "issue",
            }
        )
    write_json(issues, out)


def _outside(name: str) -> str:
    """A file outside the project as an absolute path (a relative one would be relative
    to the current directory, not the root the other paths are from); stdin as named."""
    return display_path(name if name.startswith("<") else os.path.abspath(name))
