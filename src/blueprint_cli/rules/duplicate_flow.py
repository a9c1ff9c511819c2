"""The same flow written twice: the same two actions, in the same direction.

Reported at the second (and any later) copy, with the line of the first; when the two
copies carry different labels, the message says so, as the fix is then to merge the
labels into one arrow. Only written flows are compared: the implicit chain of customer
actions in step order is not written, and a written flow that repeats one of its links
(often to give it a label) is left alone.

Why it matters: a copy draws a second arrow over the first, and is often a flow that
was meant to go somewhere else.

FAIL:

    blueprint: 1
    steps:
      - title: Order
        customer: [{id: order, text: Order food}]
        frontstage: [{id: take, text: Take the order}]
    flows:
      - order -> take
      - order -> take

PASS:

    blueprint: 1
    steps:
      - title: Order
        customer: [{id: order, text: Order food}]
        frontstage: [{id: take, text: Take the order}]
    flows:
      - order -> take
      - take -> order
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import Flow
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.DUPLICATE_FLOW
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "duplicate-flow"
SEVERITY = Severity.WARNING
SUMMARY = "the same flow written twice"
WEIGHT = 4


def check(ctx: Context) -> Iterator[Problem]:
    first: dict[tuple[str, str], Flow] = {}
    for flow in ctx.blueprint.flows:
        key = (flow.from_, flow.to)
        original = first.setdefault(key, flow)
        if original is flow:
            continue
        line = ctx.source.value(original.path).line
        message = f"flow {quote(flow.from_)} -> {quote(flow.to)} is already written at line {line}"
        if flow.label and original.label and flow.label != original.label:
            message += (
                f", labelled {quote(original.label)} there and {quote(flow.label)} here: "
                "one arrow can carry both"
            )
        elif flow.label and not original.label:
            message += f", here with the label {quote(flow.label)}: move it to the first"
        yield ctx.problem(message, flow.path)
