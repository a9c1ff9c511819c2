"""A wait with no `max` and no blueprint-wide `standards.max_wait`.

Every wait point needs a standard: the longest the customer should wait before the
service has failed them (Shostack's tolerance).

Why it matters: without a standard nobody can say whether today's wait was too long.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 2m}

PASS:

    blueprint: 1
    standards: {max_wait: 5m}
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 2m}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import wait_standard
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.WAIT_WITHOUT_STANDARD
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "wait-without-standard"
SEVERITY = Severity.WARNING
SUMMARY = "a wait with no max and no blueprint default"


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    for action in bp.actions():
        if action.wait is not None and wait_standard(bp, action.wait) is None:
            name = quote(action.wait.text or action.text)
            yield ctx.problem(
                f"wait {name} has no max and the blueprint has no standards.max_wait",
                action.wait.path,
                key=True,
            )
