"""A blueprint with no step before the visit, or none after it.

The service starts when the idea of a visit first occurs to the customer and does not
end when they leave: the classic audit span is pre-visit, visit, post-visit. A phase's
place in it is its `stage`, or is inferred from its id and title (`pre-visit`,
"Before ...", "Booking" come before; `post-visit`, "After ...", "Follow-up" after).
A blueprint with no phases is judged by its steps' titles ("Book a table" comes
before the visit, "Follow-up call" after).

Why it matters: booking, directions, invoices and follow-ups shape the experience as
much as the visit itself, and are where many fail points are.

FAIL:

    blueprint: 1
    phases: [{id: visit, title: Visit}]
    steps:
      - {title: Eat, phase: visit}

PASS:

    blueprint: 1
    phases:
      - {id: pre-visit, title: Before}
      - {id: visit, title: Visit}
      - {id: post-visit, title: After}
    steps:
      - {title: Book a table, phase: pre-visit}
      - {title: Eat, phase: visit}
      - {title: Leave a review, phase: post-visit}
"""

from collections.abc import Collection, Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import stage_of, step_stage
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context

CODE = codes.PHASE_COVERAGE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "phase-coverage"
SEVERITY = Severity.INFO
SUMMARY = "no step before the visit, or none after it"


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    if not bp.steps:
        return
    if not bp.phases:  # the steps' titles say it: "Book a table", "Follow-up call"
        stages = {step_stage(s) for s in bp.steps}
        missing = _missing(stages, {"pre-visit": "booking", "post-visit": "follow-up"})
        if missing:
            yield ctx.problem(
                f"no phases, and no step reads as {' or '.join(missing)}: the blueprint "
                "does not show what happens before or after the visit",
                ("steps",),
                key=True,
            )
        return
    phases = {p.id: p for p in bp.phases}
    stages = {stage_of(phases[s.phase]) for s in bp.steps if s.phase in phases}
    missing = _missing(stages, {"pre-visit": "before", "post-visit": "after"})
    if missing:
        yield ctx.problem(
            f"no step {' or '.join(missing)} the visit: the service starts before the "
            "customer arrives and does not end when they leave",
            ("phases",),
            key=True,
        )


def _missing(stages: Collection[str], words: dict[str, str]) -> list[str]:
    return [word for stage, word in words.items() if stage not in stages]
