"""A frontstage or backstage action with no `actor`.

Every action has an owner: a role, down to the person who cleans the floors. Customer
actions are the customer's; support processes may be a system's or a team's.

Why it matters: an action nobody owns is an action nobody is trained for.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage: [Register guest]

PASS:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        frontstage: [{text: Register guest, actor: desk-clerk}]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.ACTION_WITHOUT_OWNER
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "action-without-owner"
SEVERITY = Severity.WARNING
SUMMARY = "a frontstage or backstage action with no actor"


def check(ctx: Context) -> Iterator[Problem]:
    for step in ctx.blueprint.steps:
        for lane in ("frontstage", "backstage"):
            for action in step.lane(lane):
                if action.actor is None:
                    yield ctx.problem(
                        f"{lane} action {quote(action.text)} has no actor", action.path
                    )
