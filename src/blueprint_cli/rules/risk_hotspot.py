"""A step that concentrates the risk: many of the fail points, or much of the total risk.

A step is a hotspot when it holds `hotspot-fail-points` fail points or more (default
3), or, when the blueprint has at least three scored fail points in two steps or more,
when its fail points carry `hotspot-risk-share` percent (default 40) of the total risk
(the sum of the risk priority numbers of the scored fail points). The share needs two
fail points in the step: one fail point with most of the risk is a high-risk fail
point, and `high-risk-fail-point` reports it. One finding per step, at the step.

Why it matters: a redesign that starts where the risk is gathered removes most of it
with the least work; a step with many fail points is also where staff need the
clearest standards and recoveries.

FAIL:

    blueprint: 1
    steps:
      - title: Check out
        frontstage:
          - text: Print the bill
            fail_points:
              - {text: Minibar charged wrongly, severity: 6, occurrence: 5, detection: 4}
              - {text: Bill not ready, severity: 4, occurrence: 5, detection: 2}
      - title: Leave
        frontstage:
          - text: Call a taxi
            fail_points:
              - {text: Taxi late, severity: 5, occurrence: 3, detection: 2}

PASS:

    blueprint: 1
    steps:
      - title: Check out
        frontstage:
          - text: Print the bill
            fail_points:
              - {text: Minibar charged wrongly, severity: 6, occurrence: 5, detection: 4}
      - title: Pay
        frontstage:
          - text: Charge the card
            fail_points:
              - {text: Card declined, severity: 5, occurrence: 4, detection: 5}
      - title: Leave
        frontstage:
          - text: Call a taxi
            fail_points:
              - {text: Taxi late, severity: 5, occurrence: 3, detection: 2}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.RISK_HOTSPOT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "risk-hotspot"
SEVERITY = Severity.WARNING
SUMMARY = "a step with 3 or more fail points, or 40% or more of the total risk"
WEIGHT = 9
OPTIONS = {"hotspot-fail-points": 3, "hotspot-risk-share": 40}

_SCORED, _STEPS = 3, 2  # what a share of the total risk needs to mean something


def check(ctx: Context) -> Iterator[Problem]:
    least = max(int(ctx.options["hotspot-fail-points"]), 1)
    share = int(ctx.options["hotspot-risk-share"])
    per_step: list[tuple[int, int]] = []  # (fail points, risk) of each step
    scored = steps = 0  # scored fail points, and the steps that hold them
    for step in ctx.blueprint.steps:
        fps = [fp for action in step.actions() for fp in action.fail_points]
        risks = [fp.risk for fp in fps if fp.risk is not None]
        per_step.append((len(fps), sum(risks)))
        scored += len(risks)
        steps += bool(risks)
    count = sum(n for n, _ in per_step)
    total = sum(r for _, r in per_step)
    ranked = scored >= _SCORED and steps >= _STEPS and total > 0
    for step, (n, risk) in zip(ctx.blueprint.steps, per_step, strict=True):
        percent = 100 * risk / total if total else 0.0
        heavy = ranked and n >= 2 and percent >= share
        if n >= least or heavy:
            risky = f" ({percent:.0f}% of the total risk {total:,})" if ranked else ""
            # where the risk is, work starts; many small fail points: a step to redesign
            advice = "work on it first" if heavy else "much can go wrong in one step"
            yield ctx.problem(
                f"step {quote(step.title)} holds {n} of {count} fail points{risky}: {advice}",
                step.path,
            )
