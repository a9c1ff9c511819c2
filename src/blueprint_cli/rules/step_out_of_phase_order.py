"""A step whose phase comes before the phase of the step written before it.

Steps are columns in time order, and the phases group them in the order they are
declared under `phases:`. A step is out of order when its phase is declared earlier
than the phase of the step before it (a post-visit follow-up call written between two
visit steps), or when its phase's stage (pre-visit, visit, post-visit; written or
inferred, as `phase-coverage` says) comes before the previous one's. Steps with no
declared phase are passed over.

Segments are alternatives ("Book by phone" or "Book online"), but the document order is
still the journey's: alternatives are written side by side in the phase they belong to,
so each step is compared with the step written before it, whatever its segments.

Why it matters: the picture draws the columns, and the chain of customer actions, in the
order written: a step out of order makes the journey go back in time, and the phase
headers split.

FAIL:

    blueprint: 1
    phases: [Before, During, After]
    steps:
      - {title: Book a table, phase: before}
      - {title: Eat, phase: during}
      - {title: Leave a review, phase: after}
      - {title: Pay, phase: during}

PASS:

    blueprint: 1
    phases: [Before, During, After]
    steps:
      - {title: Book a table, phase: before}
      - {title: Eat, phase: during}
      - {title: Pay, phase: during}
      - {title: Leave a review, phase: after}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import stage_of
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import Phase, Step
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.STEP_OUT_OF_PHASE_ORDER
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "step-out-of-phase-order"
SEVERITY = Severity.WARNING
SUMMARY = "a step whose phase comes before the previous step's phase"
WEIGHT = 6

_STAGES = {"pre-visit": 0, "visit": 1, "post-visit": 2}
_WORDS = {"pre-visit": "before the visit", "visit": "the visit", "post-visit": "after the visit"}

#: a declared phase: its place in the declared order, its stage's place, the phase
_Place = tuple[int, int, Phase]


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    phases: dict[str, _Place] = {}
    for index, phase in enumerate(bp.phases):
        phases.setdefault(phase.id, (index, _STAGES[stage_of(phase)], phase))
    previous: tuple[Step, _Place] | None = None
    for step in bp.steps:
        here = phases.get(step.phase or "")
        if here is None:
            continue
        if previous is not None:
            before_step, before = previous
            if here[0] < before[0] or here[1] < before[1]:
                yield ctx.problem(_message(step, here, before_step, before), _at(step))
        previous = (step, here)


def _message(step: Step, here: _Place, prev: Step, before: _Place) -> str:
    phase, later = here[2], before[2]
    if here[0] < before[0]:
        where = f"in {quote(later.title)}, a later phase"
        this = quote(phase.title)
    else:  # declared in order, but the stages go back: the phases are out of order
        where = f"in phase {quote(later.title)} ({_WORDS[stage_of(later)]})"
        this = f"{quote(phase.title)} ({_WORDS[stage_of(phase)]})"
    return (
        f"step {quote(step.title)} in phase {this} is written after step "
        f"{quote(prev.title)} {where}: the journey goes back in time"
    )


def _at(step: Step) -> tuple[str | int, ...]:
    return step.path if step.phase_inherited else (*step.path, "phase")
