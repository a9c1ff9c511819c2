"""A check an audit visit failed, with no note to say what happened.

A piece of evidence that was not there (`no`), an action not done or done in part, a
script not followed or followed in part, a fail point that occurred and was not
detected or not recovered: each is a finding for the service, and the team acting on
it needs to know what the auditor saw. A note on the entry, or on its step, explains
it.

Why it matters: "no" alone cannot be acted on; the action list of an audit is made of
what went wrong and how.

BLUEPRINT:

    blueprint: 1
    steps:
      - id: check-in
        title: Check in
        customer:
          - {id: give-details, text: Give name and card}

FAIL:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
    steps:
      check-in:
        actions: {give-details: partial}

PASS:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
    steps:
      check-in:
        actions:
          give-details: {done: partial, note: Card asked for twice}
"""

from __future__ import annotations

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import ObservationContext
from blueprint_cli.text import quote

CODE = codes.UNEXPLAINED_MISS
FAMILY = codes.Family.AUDIT
NAME = "unexplained-miss"
SEVERITY = Severity.WARNING
SUMMARY = "a no or a partial in an observation, with no note saying what happened"

_SAID = {"no": "was not", "partial": "was in part"}


def observe(ctx: ObservationContext) -> Iterator[Problem]:
    for key, seen in ctx.observation.steps.items():
        if not seen.observed or seen.note is not None:
            continue
        at = ("steps", key)
        for name, evidence in seen.evidence.items():
            if evidence.present == "no" and evidence.note is None:
                yield ctx.problem(
                    f"evidence {quote(name)} at step {quote(key)} was not there, and no note "
                    "says what was seen instead",
                    (*at, "evidence", name),
                )
        for name, action in seen.actions.items():
            if action.note is not None:
                continue
            for what, verb in (("done", "done"), ("script", "followed (script)")):
                answer = getattr(action, what)
                if answer in _SAID:
                    yield ctx.problem(
                        f"action {quote(name)} at step {quote(key)} {_SAID[answer]} {verb}, "
                        "and no note says what happened",
                        (*at, "actions", name, what),  # a shorthand's: the entry's
                    )
        for name, fp in seen.fail_points.items():
            if fp.occurred != "yes" or fp.note is not None:
                continue
            missed = [w for w in ("detected", "recovered") if getattr(fp, w) == "no"]
            if missed:
                yield ctx.problem(
                    f"fail point {quote(name)} at step {quote(key)} occurred and was not "
                    f"{' or '.join(missed)}, and no note says what happened",
                    (*at, "fail_points", name, missed[0]),
                )
