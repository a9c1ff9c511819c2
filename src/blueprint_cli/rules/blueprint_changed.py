"""An observation recorded against another version of its blueprint.

An observation may carry the SHA-256 of the blueprint it was planned on
(`blueprint_sha256`; `blueprint audit template --format yaml` writes it). When the
blueprint has changed since, the visit's checks may not be the blueprint's any more:
steps renamed, standards tightened.

Why it matters: an audit compares a service with its blueprint; against a blueprint
that has moved, the comparison may be with something nobody wrote.

BLUEPRINT:

    blueprint: 1
    steps:
      - id: check-in
        title: Check in

FAIL:

    observation: 1
    blueprint: blueprint.yaml
    blueprint_sha256: 0000000000000000000000000000000000000000000000000000000000000000
    visit: {id: v01, date: 2026-11-28}

PASS:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.BLUEPRINT_CHANGED
FAMILY = codes.Family.AUDIT
NAME = "blueprint-changed"
SEVERITY = Severity.WARNING
SUMMARY = "an observation whose blueprint changed since the visit was planned"
