"""A phase that no step belongs to.

Why it matters: a declared phase with no steps is either unfinished work or a leftover
that makes the diagram's header lie.

FAIL:

    blueprint: 1
    phases: [Before, During]
    steps:
      - {title: Eat, phase: during}

PASS:

    blueprint: 1
    phases: [Before, During]
    steps:
      - {title: Book, phase: before}
      - {title: Eat, phase: during}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.EMPTY_PHASE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "empty-phase"
SEVERITY = Severity.WARNING
SUMMARY = "a phase declared and never used"
WEIGHT = 3


def check(ctx: Context) -> Iterator[Problem]:
    used = {step.phase for step in ctx.blueprint.steps}
    for phase in ctx.blueprint.phases:
        if phase.id not in used and phase.id not in ctx.dropped:
            yield ctx.problem(f"phase {quote(phase.id)} has no steps", phase.path)
