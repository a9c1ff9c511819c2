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
from blueprint_cli.rules.base import Context, each_or_once
from blueprint_cli.text import quote

CODE = codes.NO_SCRIPT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "no-script"
SEVERITY = Severity.INFO
SUMMARY = "a frontstage action done by a person with no script"
WEIGHT = 4


def check(ctx: Context) -> Iterator[Problem]:
    people = {a.id: a for a in ctx.blueprint.actors if a.kind == "person"}
    scripted = [
        action
        for step in ctx.blueprint.steps
        for action in step.frontstage
        if action.actor in people
    ]
    misses = [
        (
            f"frontstage action {quote(a.text)} by {quote(people[a.actor].title)} has no script",
            a.path,
        )
        for a in scripted
        if not a.script and a.actor is not None
    ]
    yield from each_or_once(
        ctx,
        misses,
        len(scripted),
        f"no scripts: none of the {len(scripted)} frontstage actions done by people says "
        "what staff say to the customer",
    )
