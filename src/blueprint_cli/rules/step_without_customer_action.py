"""A step (a column) with nothing the customer does.

A blueprint is drawn from the customer's point of view: each column is a step of the
customer's journey. A column with no customer action is a process step, not a step of
the journey.

Why it matters: the journey reads as a story only if every column says what the
customer does; pure back-office work belongs under a customer step.

FAIL:

    blueprint: 1
    steps:
      - title: Restock minibar
        backstage: [Restock minibar]

PASS:

    blueprint: 1
    steps:
      - title: Use minibar
        evidence: [Minibar]
        customer: [Take a drink]
        backstage: [Restock minibar]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.STEP_WITHOUT_CUSTOMER_ACTION
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "step-without-customer-action"
SEVERITY = Severity.WARNING
SUMMARY = "a step with nothing the customer does"
WEIGHT = 6


def check(ctx: Context) -> Iterator[Problem]:
    for step in ctx.blueprint.steps:
        if not step.customer:
            yield ctx.problem(f"step {quote(step.title)} has no customer action", step.path)
