"""A `# blueprint: ignore[...]` comment that suppresses nothing.

Suppressions go on the line a finding points at (`# blueprint: ignore[BP104]`), or,
for the whole file, in the comments at its top (`# blueprint: ignore-file[BP113]`).
One that matches no finding is stale: the problem was fixed, or the code is wrong.
Codes and rule names both work; several are separated by commas; a bare
`# blueprint: ignore` suppresses every rule on its line.

Why it matters: stale suppressions hide the next real problem on that line.

FAIL:

    blueprint: 1
    title: Hotel  # blueprint: ignore[BP101]

PASS:

    blueprint: 1
    steps:
      - title: Check in  # blueprint: ignore[BP101]
        customer: [Give name]
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.UNUSED_SUPPRESSION
FAMILY = codes.Family.FORMAT
NAME = "unused-suppression"
SEVERITY = Severity.INFO
SUMMARY = "a suppression comment that suppresses nothing"
WEIGHT = 2
