"""A blueprint with steps and not one fail point.

Why it matters: naming where the service can go wrong is the point of a review
(Shostack's fail points); a blueprint with none has not been reviewed yet, or reads as
if nothing can fail.

FAIL:

    blueprint: 1
    steps:
      - title: Pay
        frontstage: [Charge card]

PASS:

    blueprint: 1
    steps:
      - title: Pay
        frontstage:
          - text: Charge card
            fail_points: [Card declined]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context

CODE = codes.NO_FAIL_POINTS
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "no-fail-points"
SEVERITY = Severity.INFO
SUMMARY = "a blueprint with steps and no fail point"
WEIGHT = 3


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    if not bp.steps or next(bp.fail_points(), None) is not None:
        return
    if any("fail_points" in path for path in ctx.source.tables):
        return  # written, but empty or in a part that failed validation
    steps = "its one step" if len(bp.steps) == 1 else f"the {len(bp.steps)} steps"
    yield ctx.problem(
        f"no fail points in {steps}: a review names where the service can go wrong",
        ("steps",),
        key=True,
    )
