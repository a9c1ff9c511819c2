"""GitLab Code Quality JSON: stable fingerprints (path, rule, message and occurrence, not
the line, so a finding keeps its identity when lines above it move)."""

from __future__ import annotations

import hashlib
from typing import TextIO

from blueprint_cli.codes import Family
from blueprint_cli.findings import Report, Severity
from blueprint_cli.reporters._common import display_path, write_json

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
_CATEGORY = {Family.FORMAT: "Bug Risk", Family.SERVICE_DESIGN: "Style"}


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    family = {rule.code: rule.family for rule in result.rules}
    issues = []
    seen: dict[tuple[str, str, str], int] = {}
    for f in result.findings:
        path = display_path(f.file)
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
