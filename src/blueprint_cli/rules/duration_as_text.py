"""A wait whose text is a time written in words (`wait: 10 min`).

A wait written as text is its expected time when the text is a duration (`wait: 10m`),
else its description (`wait: Queue at the desk`). `10 min`, `3 minutes`, `1 hour` or
`5-10 mins` are not durations of the format, so today they silently become the wait's
description: the wait has no expected time, and nothing checks it against its standard.
The suggestion is the one `duration: 5 min` gets from the format itself; a range
suggests its top (the wait to plan for). Only text that is just a quantity of time
(a number and a unit word: sec, min, hr, hour, day ..., optionally a range) is reported;
`Queue at the desk` or `10 people ahead` are descriptions.

Why it matters: a wait with no expected time cannot be over its standard, so a
20-minute queue written `20 minutes` never shows up as too long.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        customer:
          - text: Queue at the desk
            wait: 10 min

PASS:

    blueprint: 1
    steps:
      - title: Check in
        customer:
          - text: Queue at the desk
            wait: 10m
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import suggest_duration
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.DURATION_AS_TEXT
FAMILY = codes.Family.FORMAT
NAME = "duration-as-text"
SEVERITY = Severity.WARNING
SUMMARY = "a wait written as a time in words (10 min), read as its description"


def check(ctx: Context) -> Iterator[Problem]:
    for action in ctx.blueprint.actions():
        wait = action.wait
        if wait is None or wait.text is None or wait.expected is not None:
            continue
        hint = suggest_duration(wait.text)
        if hint is None:
            continue
        # written as text (`wait: 10 min`) or as a mapping (`wait: {text: 10 min}`)
        written_as_mapping = wait.path in ctx.source.tables
        at = (*wait.path, "text") if written_as_mapping else wait.path
        yield ctx.problem(
            f"wait {quote(wait.text)} is not a duration (did you mean {hint}?): it is read "
            "as the wait's description, and the wait has no expected time",
            at,
        )
