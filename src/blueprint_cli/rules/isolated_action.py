"""An action that no flow reaches or leaves.

Customer actions are chained in step order without being listed, so this mostly finds
staff and system actions that are on the map but connected to nothing.

Why it matters: an action with no arrows does not say what triggers it or what it
feeds; the map shows a task, not a process.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        customer: [{id: give, text: Give name}]
        frontstage: [{id: register, text: Register guest}]
        backstage: [{id: clean, text: Clean lobby}]
    flows:
      - give -> register

PASS:

    blueprint: 1
    steps:
      - title: Check in
        customer: [{id: give, text: Give name}]
        frontstage: [{id: register, text: Register guest}]
        backstage: [{id: clean, text: Clean lobby}]
    flows:
      - give -> register
      - register -> clean
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.ISOLATED_ACTION
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "isolated-action"
SEVERITY = Severity.INFO
SUMMARY = "an action no flow reaches or leaves"


def check(ctx: Context) -> Iterator[Problem]:
    graph = ctx.facts.graph
    for action in ctx.blueprint.actions():
        if not graph.outgoing.get(action.id) and not graph.incoming.get(action.id):
            yield ctx.problem(
                f"{action.lane} action {quote(action.text)} is on no flow", action.path
            )
