"""A frontstage action with no flow to or from a backstage or support action.

What the customer sees is usually held up by something they do not: a booking system,
a kitchen, a colleague in the back office. A frontstage action linked to nothing below
the line of visibility may be missing its support.

A blueprint with no flows at all is left to BP118 (isolated-action), which says it once.

Why it matters: the invisible work is where most fail points hide; the map should
show what each visible action depends on.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        customer: [{id: give, text: Give name}]
        frontstage: [{id: register, text: Register guest}]
    flows:
      - give -> register

PASS:

    blueprint: 1
    steps:
      - title: Check in
        customer: [{id: give, text: Give name}]
        frontstage: [{id: register, text: Register guest}]
        support: [{id: pms, text: Look up booking}]
    flows:
      - give -> register
      - register -> pms
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNSUPPORTED_FRONTSTAGE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unsupported-frontstage"
SEVERITY = Severity.INFO
SUMMARY = "a frontstage action with no flow to or from backstage or support"
WEIGHT = 3


def check(ctx: Context) -> Iterator[Problem]:
    if not ctx.blueprint.flows:
        return  # a blueprint with no flows at all: BP118 says it once, for the file
    graph = ctx.facts.graph
    for step in ctx.blueprint.steps:
        for action in step.frontstage:
            lanes = graph.neighbour_lanes(action.id)
            if not lanes & {"backstage", "support"}:
                yield ctx.problem(
                    f"frontstage action {quote(action.text)} has no flow to or from "
                    "a backstage or support action",
                    action.path,
                )
