"""A fail point with no `recovery`: nobody knows what to do when it happens anyway.

The recovery (contingency) is what staff do when the fail point happens despite its
prevention: apologise, upgrade, refund, fetch a manager.

Why it matters: the service is judged by how it recovers; an unplanned recovery is
improvised, differently by each member of staff.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - {text: Reservation not found, prevention: Confirm bookings by email}

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - text: Reservation not found
                prevention: Confirm bookings by email
                recovery: Offer an upgrade and apologise
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.FAIL_POINT_WITHOUT_RECOVERY
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "fail-point-without-recovery"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point with no recovery (contingency)"


def check(ctx: Context) -> Iterator[Problem]:
    for _, _, fp in ctx.blueprint.fail_points():
        if not fp.recovery:
            yield ctx.problem(f"fail point {quote(fp.text)} has no recovery", fp.path)
