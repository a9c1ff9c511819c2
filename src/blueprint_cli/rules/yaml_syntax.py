"""The file cannot be read as one YAML document.

Reported by the loader, once per file, at the first place it cannot read: broken YAML
syntax, a tab where YAML expects indentation, a file that is not UTF-8 text (UTF-16,
binary), several documents in one file, nesting deeper than 100 levels, aliases that
expand to more than 50,000 nodes (an "alias bomb"), tags other than the standard
ones, and files over 20 MiB. Nothing else in the file is checked until it reads.

Why it matters: a blueprint that does not load cannot be drawn or reviewed.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        customer: [Give name
PASS:

    blueprint: 1
    steps:
      - title: Check in
        customer: [Give name]
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.YAML_SYNTAX
FAMILY = codes.Family.FORMAT
NAME = "yaml-syntax"
SEVERITY = Severity.ERROR
SUMMARY = "the file cannot be read as one YAML document"
