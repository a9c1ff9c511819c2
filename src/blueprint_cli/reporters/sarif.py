"""SARIF 2.1.0 for code-scanning tabs: every rule in ``tool.driver.rules`` with its help,
relative paths, no timestamps, so two runs give the same bytes."""

from __future__ import annotations

import hashlib
from typing import Any, TextIO

from blueprint_cli import __version__
from blueprint_cli.findings import Report, RuleInfo
from blueprint_cli.reporters._common import LEVEL, display_path, write_json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/blueprint-cli/blueprint"


def _rules(infos: list[RuleInfo]) -> list[dict[str, Any]]:
    rules = []
    for rule in infos:
        first = rule.doc.split("\n\n", 1)[0].replace("\n", " ")
        rules.append(
            {
                "id": rule.code,
                "name": "".join(part.capitalize() for part in rule.name.split("-")),
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": first},
                "help": {"text": rule.doc, "markdown": rule.doc},
                "defaultConfiguration": {"level": LEVEL[rule.severity]},
                "properties": {"tags": [rule.family.value]},
            }
        )
    return rules


def document(report: Report) -> dict[str, Any]:
    rules = _rules(report.rules)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    seen: dict[tuple[str, str, str], int] = {}
    for f in report.findings:
        path = display_path(f.file)
        key = (path, f.code, f.message)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256(f"{path}\0{f.code}\0{f.message}\0{seen[key]}".encode())
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": f.line, "startColumn": f.col},
                        }
                    }
                ],
                "partialFingerprints": {"blueprintFinding/v1": digest.hexdigest()[:32]},
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "blueprint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    write_json(document(result), out)
