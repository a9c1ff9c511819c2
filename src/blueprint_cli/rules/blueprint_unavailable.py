"""An observation whose blueprint cannot be read: missing, outside the project, not a
blueprint, or too broken to check against.

`blueprint:` in an observation is a path from the observation file to its blueprint,
inside the project (the folder of the configuration, else of the repository, else the
current one): a path that leaves it (`../../../etc/passwd`) is refused, never read.

Why it matters: without its blueprint, an observation's checks cannot be counted.

BLUEPRINT:

    blueprint: 1
    steps:
      - id: check-in
        title: Check in

FAIL:

    observation: 1
    blueprint: no-such-blueprint.yaml
    visit: {id: v01, date: 2026-11-28}

PASS:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
"""

from blueprint_cli import codes
from blueprint_cli.findings import Severity

CODE = codes.BLUEPRINT_UNAVAILABLE
FAMILY = codes.Family.AUDIT
NAME = "blueprint-unavailable"
SEVERITY = Severity.ERROR
SUMMARY = "an observation whose blueprint is missing, outside the project or not a blueprint"
