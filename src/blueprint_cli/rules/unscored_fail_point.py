"""A fail point missing `severity`, `occurrence` or `detection`: it cannot be ranked.

Service FMEA scores each fail point 1-10 on how bad it is for the customer
(severity), how often it happens (occurrence) and how hard it is to catch before it
hurts (detection); their product, the risk priority number, orders the work.

Why it matters: an unscored fail point sinks to the bottom of every register.

FAIL:

    blueprint: 1
    steps:
      - title: Pay
        frontstage:
          - text: Charge card
            fail_points:
              - {text: Card declined, severity: 5}

PASS:

    blueprint: 1
    steps:
      - title: Pay
        frontstage:
          - text: Charge card
            fail_points:
              - {text: Card declined, severity: 5, occurrence: 3, detection: 1}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNSCORED_FAIL_POINT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unscored-fail-point"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point missing severity, occurrence or detection"


def check(ctx: Context) -> Iterator[Problem]:
    for _, _, fp in ctx.blueprint.fail_points():
        missing = [k for k in ("severity", "occurrence", "detection") if getattr(fp, k) is None]
        if missing:
            yield ctx.problem(
                f"fail point {quote(fp.text)} has no {', '.join(missing)}: it cannot be ranked",
                fp.path,
            )
