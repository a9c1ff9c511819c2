"""A frontstage action in a step where the customer does nothing, and no flow joins them.

Frontstage actions are what the customer sees staff or systems do. One in a step with
no customer action, and with no arrow from or to a customer action, is seen by nobody.

Why it matters: either it is really backstage, or the customer's part is missing.

FAIL:

    blueprint: 1
    steps:
      - title: Prepare room
        frontstage: [Make the bed]

PASS:

    blueprint: 1
    steps:
      - title: Prepare room
        backstage: [Make the bed]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.FRONTSTAGE_WITHOUT_CUSTOMER
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "frontstage-without-customer"
SEVERITY = Severity.WARNING
SUMMARY = "a frontstage action in a step with no customer action and no flow with one"


def check(ctx: Context) -> Iterator[Problem]:
    graph = ctx.facts.graph
    for step in ctx.blueprint.steps:
        if step.customer:
            continue
        for action in step.frontstage:
            lanes = graph.neighbour_lanes(action.id)
            if "customer" not in lanes:
                yield ctx.problem(
                    f"frontstage action {quote(action.text)} has no customer in step "
                    f"{quote(step.title)} and no flow from or to a customer action",
                    action.path,
                )
