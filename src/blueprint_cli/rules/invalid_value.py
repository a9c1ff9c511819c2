"""A value of the wrong type or out of range, or a required key that is missing.

Examples: text where a list is expected, a score outside 1-10, a duration without a
unit (`5` instead of `5m`), an id with spaces, a flow not written `from -> to`, an empty
file, a file whose top level is a list, a missing or unsupported `blueprint:` version.

Why it matters: the diagram and the reports are built from these values.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            duration: 5

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            duration: 5m
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.INVALID_VALUE
FAMILY = codes.Family.FORMAT
NAME = "invalid-value"
SEVERITY = Severity.ERROR
SUMMARY = "a value of the wrong type or range, or a missing required key"
