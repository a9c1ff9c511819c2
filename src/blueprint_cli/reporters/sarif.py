"""SARIF 2.1.0 for code-scanning tabs: every rule in ``tool.driver.rules`` with its help
and a link to its section of docs/rules.md, paths relative to the project root, no
timestamps and no machine's folder, so two runs on two machines give the same bytes.

Where a file is (``artifactLocation``):

- under the project root (``project_root``: the GitLab checkout, else the top of the
  git work tree, else the current directory): its path from there, percent-encoded
  (RFC 3986: UTF-8, every character but letters, digits, ``-._~`` and the ``/``
  between segments), with ``uriBaseId`` ``%SRCROOT%``;
- outside it: an absolute ``file:///`` URI, with no ``uriBaseId`` (SARIF allows a base
  only under a relative reference);
- stdin: the name it was given, ``<stdin>`` encoded, with no ``uriBaseId``: it is no
  file of the project (``--stdin-filename`` gives it one).

``run.originalUriBaseIds`` declares ``%SRCROOT%`` with a description and *no* ``uri``.
SARIF allows that (3.14.14: an absolute ``uri`` may be omitted, its note names
deterministic output as a reason), and it keeps the machine's folder (and user name)
out of the report, whose bytes golden files and fingerprints rely on. GitHub code
scanning never reads ``originalUriBaseIds`` (nor ``uriBaseId``): it reads a relative
path from the repository's root, which is our root; CodeQL, the producer it is built
for, does not write them either. A viewer on another machine asks for the folder, as
it would anyway. ``%SRCROOT%`` is the name CodeQL uses.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import PurePath
from typing import Any, TextIO
from urllib.parse import quote

from blueprint_cli import __version__
from blueprint_cli.codes import RULES_DOC, anchor
from blueprint_cli.findings import Report, RuleInfo
from blueprint_cli.reporters._common import LEVEL, project_root, root_path, write_json

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/blueprint-cli/blueprint"
SRCROOT = "%SRCROOT%"
_ROOT_DESCRIPTION = (
    "The project root: $CI_PROJECT_DIR, else the top of the git work tree, else the "
    "folder blueprint lint ran in. Left out of the report, which is the same on every machine."
)


def _uri(path: str) -> str:
    """A path as a URI reference: RFC 3986 percent-encoding of its UTF-8 bytes, the ``/``
    between segments kept. ``quote`` keeps letters, digits and ``-._~`` (unreserved) and,
    told so, ``/``; everything else is encoded, ``%`` and ``#`` and ``?`` too, and a ``:``
    (which would make a first segment look like a scheme)."""
    return quote(path, safe="/", errors="surrogateescape")


def artifact_location(name: str, root: str) -> dict[str, Any]:
    """Where a finding's file is, for SARIF (see the module's docstring)."""
    rel = root_path(name, root)
    if rel is not None:
        return {"uri": _uri(rel), "uriBaseId": SRCROOT}
    if name.startswith("<"):  # stdin
        return {"uri": _uri(name), "description": {"text": "standard input"}}
    return {"uri": PurePath(os.path.abspath(name)).as_uri()}


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
                "helpUri": f"{INFO_URI}/blob/main/{RULES_DOC}#{anchor(rule.code, rule.name)}",
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
    root = project_root()
    locations: dict[str, dict[str, Any]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for f in report.findings:
        location = locations.get(f.file)
        if location is None:
            location = locations[f.file] = artifact_location(f.file, root)
        path = location["uri"]
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
                            "artifactLocation": location,
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
                "originalUriBaseIds": {SRCROOT: {"description": {"text": _ROOT_DESCRIPTION}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    write_json(document(result), out)
