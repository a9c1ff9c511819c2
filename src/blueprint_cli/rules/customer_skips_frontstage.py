"""A flow between a customer action and a backstage or support action.

The customer reaches the organisation through the frontstage: people and systems
they see. An arrow from a customer action straight to a backstage or support action
(or back) crosses the line of visibility without passing anyone the customer meets.

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

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import LANES, LINES
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
    for flow in graph.resolved:
        lanes = (graph.lane(flow.from_), graph.lane(flow.to))
        if ("customer" in lanes) and any(lane in _HIDDEN for lane in lanes):
            yield ctx.problem(
                f"flow {quote(flow.from_)} -> {quote(flow.to)} goes straight from a "
                f"{lanes[0]} action to a {lanes[1]} action: it crosses the "
                f"{crossed(*lanes)} without the frontstage",
                flow.path,
            )


def crossed(a: str, b: str) -> str:
    """The lines between two lanes, top to bottom: ``lines of interaction and
    visibility``."""
    upper, lower = sorted((LANES.index(a), LANES.index(b)))
    names = [LINES[lane].removeprefix("Line of ") for lane in LANES[upper:lower] if lane in LINES]
    if len(names) == 1:
        return f"line of {names[0]}"
    return f"lines of {', '.join(names[:-1])} and {names[-1]}"
