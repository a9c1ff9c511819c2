"""A frontstage or backstage action with no `actor`.

Every action has an owner: a role, down to the person who cleans the floors. Customer
actions are the customer's; support processes may be a system's or a team's.

When the blueprint declares no actors at all, that is said once, for the file.

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
from blueprint_cli.rules.base import Context, each_or_once
from blueprint_cli.text import quote

CODE = codes.ACTION_WITHOUT_OWNER
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "action-without-owner"
SEVERITY = Severity.WARNING
SUMMARY = "a frontstage or backstage action with no actor"
WEIGHT = 6


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    staff = [a for s in bp.steps for lane in ("frontstage", "backstage") for a in s.lane(lane)]
    misses = [
        (f"{a.lane} action {quote(a.text)} has no actor", a.path) for a in staff if a.actor is None
    ]
    if not bp.actors and misses:  # the cause is the file's: one finding, where actors go
        n = len(misses)
        yield ctx.problem(
            f"no actors declared: {n} frontstage and backstage action{'s' * (n != 1)} "
            f"{'have' if n != 1 else 'has'} no owner (declare the roles under 'actors' "
            "and name one on each action)",
            (),
        )
        return
    yield from each_or_once(
        ctx,
        misses,
        len(staff),
        f"no frontstage or backstage action names its actor ({len(staff)} actions): "
        "nobody owns the work",
    )
