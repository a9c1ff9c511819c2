"""An action that no flow reaches or leaves.

Customer actions are chained in step order without being listed, so this mostly finds
staff and system actions that are on the map but connected to nothing.

A blueprint with no flows at all gets one finding for the file instead.

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
SEVERITY = Severity.WARNING
SUMMARY = "an action no flow reaches or leaves"
WEIGHT = 4


def check(ctx: Context) -> Iterator[Problem]:
    graph = ctx.facts.graph
    isolated = [
        action
        for action in ctx.blueprint.actions()
        if not graph.outgoing.get(action.id) and not graph.incoming.get(action.id)
    ]
    if not ctx.blueprint.flows and isolated:  # the cause is the file's: one finding
        n = len(isolated)
        yield ctx.problem(
            f"no flows: {n} action{'s are' if n != 1 else ' is'} on no flow; the map shows "
            "tasks, not what triggers them or what they feed",
            (),
        )
        return
    for action in isolated:
        yield ctx.problem(f"{action.lane} action {quote(action.text)} is on no flow", action.path)
