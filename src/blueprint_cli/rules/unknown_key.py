"""A key that the format does not know, usually a typo.

Every mapping of the format has a fixed set of keys. A misspelt key must not silently
become "no evidence", so it is an error, with the closest known key suggested.

Why it matters: `evidance: [Receipt]` would otherwise drop the receipt from the map.

FAIL:

    blueprint: 1
    steps:
      - title: Pay
        evidance: [Receipt]

PASS:

    blueprint: 1
    steps:
      - title: Pay
        evidence: [Receipt]
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.UNKNOWN_KEY
FAMILY = codes.Family.FORMAT
NAME = "unknown-key"
SEVERITY = Severity.ERROR
SUMMARY = "a key the format does not know (a typo?)"
