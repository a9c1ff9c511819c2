"""A frontstage action done by a person, with no `script`.

A script is what staff say at that moment: the greeting, the question, the apology.
Systems (actors with `kind: system`) need none.

Why it matters: scripts are the seeds of service standards; without them each member
of staff invents the moment of truth anew.

FAIL:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        frontstage: [{text: Greet guest, actor: desk-clerk}]

PASS:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        frontstage:
          - {text: Greet guest, actor: desk-clerk, script: "Good evening, welcome!"}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.NO_SCRIPT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "no-script"
SEVERITY = Severity.INFO
SUMMARY = "a frontstage action done by a person with no script"


def check(ctx: Context) -> Iterator[Problem]:
    people = {a.id: a for a in ctx.blueprint.actors if a.kind == "person"}
    for step in ctx.blueprint.steps:
        for action in step.frontstage:
            if action.actor in people and not action.script:
                who = quote(people[action.actor].title)
                yield ctx.problem(
                    f"frontstage action {quote(action.text)} by {who} has no script", action.path
                )
