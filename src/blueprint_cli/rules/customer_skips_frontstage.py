"""A flow between a customer action and a backstage or support action.

The customer reaches the organisation through the frontstage: people and systems
they see. An arrow from a customer action straight to a backstage or support action
(or back) crosses the line of visibility without passing anyone the customer meets.

When the hidden end is done by a `kind: system` actor, or reads as technology the
customer uses (an app, a website, a kiosk), the finding adds that self-service technology
the customer uses is frontstage: it may be drawn in the wrong lane rather than skipped.

Why it matters: either a frontstage step is missing from the map (who takes the
request?), or the customer is doing the back office's work.

FAIL:

    blueprint: 1
    steps:
      - title: Order
        customer: [{id: order, text: Order food}]
        backstage: [{id: cook, text: Cook meal}]
    flows:
      - order -> cook

PASS:

    blueprint: 1
    steps:
      - title: Order
        customer: [{id: order, text: Order food}]
        frontstage: [{id: take-order, text: Take order}]
        backstage: [{id: cook, text: Cook meal}]
    flows:
      - order -> take-order
      - take-order -> cook
"""

import re
from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import LANES, LINES, Action
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.CUSTOMER_SKIPS_FRONTSTAGE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "customer-skips-frontstage"
SEVERITY = Severity.WARNING
SUMMARY = "a flow from a customer action straight to backstage or support, or back"
WEIGHT = 7  # the customer wired into the back office
DRAWN = True  # the picture draws the flow it flags distinctly

_HIDDEN = ("backstage", "support")


def check(ctx: Context) -> Iterator[Problem]:
    graph = ctx.facts.graph
    actions: dict[str, Action] | None = None
    systems = {a.id: a.title for a in ctx.blueprint.actors if a.kind == "system"}
    for flow in graph.resolved:
        lanes = (graph.lane(flow.from_), graph.lane(flow.to))
        if ("customer" in lanes) and any(lane in _HIDDEN for lane in lanes):
            if actions is None:
                actions = {a.id: a for a in ctx.blueprint.actions()}
            hidden = actions[flow.to if lanes[1] in _HIDDEN else flow.from_]
            yield ctx.problem(
                f"flow {quote(flow.from_)} -> {quote(flow.to)} goes straight from a "
                f"{lanes[0]} action to a {lanes[1]} action: it crosses the "
                f"{crossed(*lanes)} without the frontstage" + _self_service(hidden, systems),
                flow.path,
            )


_SELF_SERVICE = re.compile(
    r"\b(app|website|web|online|kiosk|portal|self[- ]?service|machine|terminal|atm|chatbot|"
    r"e-?mail|sms|text message)\b",
    re.IGNORECASE,
)


def _self_service(action: Action, systems: dict[str, str]) -> str:
    """A hint when the hidden end is technology the customer uses themselves: that is
    frontstage (what the customer sees and touches), not a line-of-visibility breach."""
    if action.actor in systems:
        what = quote(systems[action.actor])
    elif _SELF_SERVICE.search(action.text):
        what = quote(action.text)
    else:
        return ""
    return (
        f"; if {what} is self-service technology the customer uses, model it as "
        "frontstage technology"
    )


def crossed(a: str, b: str) -> str:
    """The lines between two lanes, top to bottom: ``lines of interaction and
    visibility``."""
    upper, lower = sorted((LANES.index(a), LANES.index(b)))
    names = [LINES[lane].removeprefix("Line of ") for lane in LANES[upper:lower] if lane in LINES]
    if len(names) == 1:
        return f"line of {names[0]}"
    return f"lines of {', '.join(names[:-1])} and {names[-1]}"
