"""The same key twice in one mapping.

YAML parsers disagree on what this means and PyYAML silently keeps the last one; this
tool keeps the first and reports the second.

Why it matters: half of what was written is silently lost.

FAIL:

    blueprint: 1
    title: Hotel stay
    title: Overnight hotel stay

PASS:

    blueprint: 1
    title: Overnight hotel stay
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.DUPLICATE_KEY
FAMILY = codes.Family.FORMAT
NAME = "duplicate-key"
SEVERITY = Severity.ERROR
SUMMARY = "the same key twice in one mapping"
