"""A flow whose two ends are the same action (`confirm -> confirm`).

Why it matters: an arrow says what an action leads to; one back to itself says nothing,
and is most often a typo for another action's id. A task that repeats is one action
with a note (or a wait), not a loop.

FAIL:

    blueprint: 1
    steps:
      - title: Book
        customer: [{id: ask, text: Ask for a table}]
        frontstage: [{id: confirm, text: Confirm the booking}]
    flows:
      - ask -> confirm
      - confirm -> confirm

PASS:

    blueprint: 1
    steps:
      - title: Book
        customer: [{id: ask, text: Ask for a table}]
        frontstage: [{id: confirm, text: Confirm the booking}]
    flows:
      - ask -> confirm
      - confirm -> ask
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.SELF_LOOP
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "self-loop"
SEVERITY = Severity.WARNING
SUMMARY = "a flow from an action to itself"


def check(ctx: Context) -> Iterator[Problem]:
    actions = ctx.facts.graph.actions
    for flow in ctx.blueprint.flows:
        action = actions.get(flow.from_) if flow.from_ == flow.to else None
        if action is not None:
            yield ctx.problem(
                f"flow {quote(flow.from_)} -> {quote(flow.to)} goes from {action.lane} "
                f"action {quote(action.text)} back to itself: a typo for another action?",
                flow.path,
            )
