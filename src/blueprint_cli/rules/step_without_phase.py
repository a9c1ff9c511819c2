"""Phases are declared, but the first steps name none.

A step with no `phase:` belongs to the phase of the step before it, so a blueprint names
a step's phase where a new phase starts. The steps before the first `phase:` have no
step before them: they belong to no phase, and the diagram draws them under no header.
One finding, at the first step, with how many steps are left out.

Why it matters: a step in no phase is not counted in the phase's times, not shown by
`render --phase`, and a reader cannot tell whether it is before, during or after the
visit.

FAIL:

    blueprint: 1
    phases: [Before, During]
    steps:
      - {title: Book a table}
      - {title: Eat, phase: during}

PASS:

    blueprint: 1
    phases: [Before, During]
    steps:
      - {title: Book a table, phase: before}
      - {title: Eat, phase: during}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.STEP_WITHOUT_PHASE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "step-without-phase"
SEVERITY = Severity.WARNING
SUMMARY = "phases declared, but the first steps are in none"
WEIGHT = 4


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    if not bp.phases or not bp.steps or bp.steps[0].phase is not None:
        return
    first = bp.steps[0]
    table = ctx.source.tables.get(first.path)
    if table is not None and isinstance(table.keys, dict) and "phase" in table.keys:
        return  # written, but not valid: the format's error says so
    count = next((i for i, s in enumerate(bp.steps) if s.phase is not None), len(bp.steps))
    if count == len(bp.steps):
        where = f"no step names a phase, so none of the {count} steps is in a declared phase"
        if count == 1:
            where = f"step {quote(first.title)} names no phase and belongs to none"
    elif count == 1:
        where = f"step {quote(first.title)} comes before the first 'phase:' and belongs to no phase"
    else:
        last = bp.steps[count - 1]
        where = (
            f"the {count} steps from {quote(first.title)} to {quote(last.title)} come before "
            "the first 'phase:' and belong to no phase"
        )
    yield ctx.problem(f"{where}: give step {quote(first.title)} a phase", first.path)
