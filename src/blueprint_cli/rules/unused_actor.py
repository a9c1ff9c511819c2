"""An actor declared and never given an action.

Why it matters: a role on the list with nothing to do is either missing from the map
or gone from the service.

FAIL:

    blueprint: 1
    actors: [Desk clerk, Porter]
    steps:
      - title: Check in
        frontstage: [{text: Register guest, actor: desk-clerk}]

PASS:

    blueprint: 1
    actors: [Desk clerk]
    steps:
      - title: Check in
        frontstage: [{text: Register guest, actor: desk-clerk}]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import actors_used
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNUSED_ACTOR
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unused-actor"
SEVERITY = Severity.WARNING
SUMMARY = "an actor declared and never used"
WEIGHT = 3


def check(ctx: Context) -> Iterator[Problem]:
    used = actors_used(ctx.blueprint)
    for actor in ctx.blueprint.actors:
        if actor.id not in used and actor.id not in ctx.dropped:
            yield ctx.problem(f"actor {quote(actor.id)} owns no action", actor.path)
