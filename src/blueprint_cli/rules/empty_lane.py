"""A staff lane left empty: in every step, or in a long run of steps.

Each step shows what happens in every lane. A blueprint whose frontstage or backstage
lane is empty in all its steps (at least `empty-lane-steps` of them, default 5: a
restaurant drawn with customer actions only) shows the customer's journey, not the
service behind it. Where the lane is used, a run of `empty-lane-run` (default 4)
consecutive steps without it, while that lane's staff act in the other steps, is
reported too: nobody is seen serving the customer there, or the work behind those
steps is missing. One finding per lane: the whole blueprint, or its longest run.

Support processes are judged leniently, as small services often have none: only an
empty support lane across the whole of a larger blueprint (`empty-support-steps`,
default 10) is reported, and no run. A rule has one severity, so the leniency is in
when it speaks, not in how loudly. The customer and evidence lanes have rules of their
own (`step-without-customer-action`, `missing-evidence`).

Why it matters: a blueprint differs from a journey map by what it shows below the
line of interaction; an empty lane is either a gap in the map or a step drawn
without the people who deliver it.

FAIL:

    blueprint: 1
    steps:
      - {title: Book a table, customer: [Phone the restaurant]}
      - {title: Arrive, customer: [Arrive]}
      - {title: Order, customer: [Order], backstage: [Cook the meal]}
      - {title: Eat, customer: [Eat]}
      - {title: Pay, customer: [Pay]}

PASS:

    blueprint: 1
    steps:
      - {title: Book a table, customer: [Phone], frontstage: [Take the booking]}
      - {title: Arrive, customer: [Arrive], frontstage: [Seat guests]}
      - {title: Order, customer: [Order], frontstage: [Take the order]}
      - {title: Eat, customer: [Eat], frontstage: [Serve], backstage: [Cook the meal]}
      - {title: Pay, customer: [Pay], frontstage: [Bring the bill]}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.EMPTY_LANE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "empty-lane"
SEVERITY = Severity.WARNING
SUMMARY = "a frontstage, backstage or support lane empty in every step, or in a long run"
WEIGHT = 6
OPTIONS = {"empty-lane-steps": 5, "empty-lane-run": 4, "empty-support-steps": 10}

_WHOLE = {
    "frontstage": "no frontstage action in any of the {n} steps: the blueprint does not "
    "show what staff do in front of the customer",
    "backstage": "no backstage action in any of the {n} steps: the blueprint does not "
    "show the work the customer does not see",
    "support": "no support process in any of the {n} steps: the blueprint does not show "
    "the systems and people behind the staff (bookings, stock, billing)",
}
_RUN = {
    "frontstage": "though frontstage staff act in the other steps: who serves the customer there?",
    "backstage": "though the other steps have backstage work: what happens behind them?",
}


def check(ctx: Context) -> Iterator[Problem]:
    steps = ctx.blueprint.steps
    least = int(ctx.options["empty-lane-steps"])
    run = max(int(ctx.options["empty-lane-run"]), 1)
    for lane in ("frontstage", "backstage", "support"):
        used = [bool(step.lane(lane)) for step in steps]
        if not any(used):
            needed = int(ctx.options["empty-support-steps"]) if lane == "support" else least
            if len(steps) >= needed:
                yield ctx.problem(_WHOLE[lane].format(n=len(steps)), ("steps",), key=True)
            continue
        if lane == "support":
            continue
        start, length = _longest_gap(used)
        if length >= run:
            first, last = steps[start], steps[start + length - 1]
            yield ctx.problem(
                f"no {lane} action in the {length} steps from {quote(first.title)} to "
                f"{quote(last.title)}, {_RUN[lane]}",
                first.path,
            )


def _longest_gap(used: list[bool]) -> tuple[int, int]:
    """(start, length) of the first longest run of steps without the lane."""
    best = (0, 0)
    start = 0
    for i, here in enumerate([*used, True]):
        if here:
            if i - start > best[1]:
                best = (start, i - start)
            start = i + 1
    return best
