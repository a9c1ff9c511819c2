"""A fail point with no `prevention`: nothing planned to stop it happening.

Why it matters: a fail point is only useful when it leads to a change in the service
(a poka-yoke, a check, a confirmation) that makes it less likely.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - {text: Reservation not found, recovery: Offer an upgrade}

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - text: Reservation not found
                prevention: Confirm bookings by email the day before
                recovery: Offer an upgrade
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.FAIL_POINT_WITHOUT_PREVENTION
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "fail-point-without-prevention"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point with no prevention"


def check(ctx: Context) -> Iterator[Problem]:
    for _, _, fp in ctx.blueprint.fail_points():
        if not fp.prevention:
            yield ctx.problem(f"fail point {quote(fp.text)} has no prevention", fp.path)
