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
from blueprint_cli.analysis import judge_wait
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import format_duration, suggest_duration
from blueprint_cli.rules.base import Context, each_or_once
from blueprint_cli.text import quote

CODE = codes.WAIT_WITHOUT_STANDARD
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "wait-without-standard"
SEVERITY = Severity.WARNING
SUMMARY = "a wait with no max and no blueprint default"


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    waits = [(st, a, a.wait) for st in bp.steps for a in st.actions() if a.wait is not None]
    misses = []
    for step, action, wait in waits:
        if wait.expected is None and wait.text and suggest_duration(wait.text) is not None:
            continue  # 'wait: 10 min': a duration in words, BP009's to say
        if judge_wait(bp, step, wait).standard is None:  # none for anyone, segments too
            has = (
                f"is expected to take {format_duration(wait.expected)} but has no max"
                if wait.expected is not None
                else "has no expected time and no max"
            )
            misses.append(
                (
                    f"wait {quote(wait.text or action.text)} {has}, and the blueprint has no "
                    "standards.max_wait: nobody can tell when it is too long",
                    wait.path,
                )
            )
    yield from each_or_once(
        ctx,
        misses,
        len(waits),
        f"no wait standards: none of the {len(waits)} waits has a max, and the blueprint has "
        "no standards.max_wait (e.g. standards: {max_wait: 10m})",
        key=True,
    )
