"""A wait whose `expected` time exceeds its standard.

The standard is the wait's own `max` when it has one, else the blueprint-wide default
`standards.max_wait`. Waiting longer than the tolerated maximum is a failure the
customer feels every time, not a risk.

Why it matters: a standard the service is designed to miss is not a standard.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 8m, max: 5m}

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 2m, max: 5m}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import wait_standard
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import format_duration
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.WAIT_OVER_STANDARD
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "wait-over-standard"
SEVERITY = Severity.WARNING
SUMMARY = "a wait whose expected time exceeds its max or the blueprint's max_wait"
WEIGHT = 8  # the service breaks its own standard


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    for action in bp.actions():
        wait = action.wait
        if wait is None or wait.expected is None:
            continue
        standard = wait_standard(bp, wait)
        if standard is not None and wait.expected > standard:
            source = "its max" if wait.max is not None else "standards.max_wait"
            name = quote(wait.text or action.text)
            yield ctx.problem(
                f"wait {name} is expected to take {format_duration(wait.expected)}, over "
                f"{source} of {format_duration(standard)}",
                (*wait.path, "expected"),
            )
