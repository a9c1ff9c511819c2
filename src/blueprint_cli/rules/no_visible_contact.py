"""A step where the customer acts and the back office works, with nobody in between.

A step with customer actions and backstage or support actions, but no frontstage action
and no flow between one of its customer actions and a frontstage action of another
step: the customer reaches the back office with nobody visibly in contact (a phone
reservation drawn as the caller and the booking system only). Who answers, what does
the customer see or hear?

Left to other rules: a flow straight from a customer action to a backstage or support
action (`customer-skips-frontstage` reports that flow); a frontstage action with no
customer (`frontstage-without-customer`); a step with no customer action
(`step-without-customer-action`).

Why it matters: the line of interaction is where the service is experienced; a step
that never crosses it hides the moment of truth, and its fail points with it.

FAIL:

    blueprint: 1
    steps:
      - title: Reserve by phone
        customer: [{id: call, text: Call the restaurant}]
        backstage: [{id: note, text: Note the booking in the diary}]

PASS:

    blueprint: 1
    steps:
      - title: Reserve by phone
        customer: [{id: call, text: Call the restaurant}]
        frontstage: [{id: answer, text: Answer and take the booking}]
        backstage: [{id: note, text: Note the booking in the diary}]
    flows:
      - call -> answer
      - answer -> note
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.NO_VISIBLE_CONTACT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "no-visible-contact"
SEVERITY = Severity.WARNING
SUMMARY = "a step with customer and back-office actions and no frontstage contact"
WEIGHT = 7

_HIDDEN = frozenset(("backstage", "support"))
_SEEN = frozenset(("frontstage",))


def check(ctx: Context) -> Iterator[Problem]:
    graph = ctx.facts.graph
    for step in ctx.blueprint.steps:
        if not step.customer or step.frontstage or not (step.backstage or step.support):
            continue
        lanes = frozenset().union(*(graph.neighbour_lanes(a.id) for a in step.customer))
        if lanes & _SEEN or lanes & _HIDDEN:  # contact elsewhere, or BP106's flow
            continue
        hidden = "backstage" if step.backstage else "support"
        work = step.lane(hidden)[0]
        yield ctx.problem(
            f"step {quote(step.title)}: the customer reaches the back office "
            f"({hidden} {quote(work.text)}) with nobody visibly in contact: no frontstage "
            "action in the step, and no flow to or from one in another step",
            step.path,
        )
