"""A metric with no target or no direction.

A metric (`metrics:` on the blueprint or on a step) is managed when the team knows
where it should be (`target`) and which way is better (`direction: up` for
satisfaction, `down` for time in a queue). A step that names a blueprint metric by its
id (`metrics: [csat]`) takes the blueprint's.

Why it matters: a figure without a target or a direction is measured, not managed;
nobody can tell whether it is on track.

FAIL:

    blueprint: 1
    metrics:
      - {id: csat, title: Guest satisfaction, unit: "%", baseline: 78}
    steps:
      - title: Check in
        metrics:
          - {title: Time in queue, unit: min, target: 3}

PASS:

    blueprint: 1
    metrics:
      - {id: csat, title: Guest satisfaction, unit: "%", baseline: 78, target: 90, direction: up}
    steps:
      - title: Check in
        metrics:
          - csat
          - {title: Time in queue, unit: min, target: 3, direction: down}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import Metric
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.INCOMPLETE_METRIC
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "incomplete-metric"
SEVERITY = Severity.WARNING
SUMMARY = "a metric with no target or no direction"
WEIGHT = 4


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    own: list[Metric] = [m for step in bp.steps for m in step.metrics if not m.refers]
    for metric in [*bp.metrics, *own]:
        lacks = []
        if metric.target is None:
            lacks.append("no target")
        if metric.direction is None:
            lacks.append("no direction (up or down)")
        if lacks:
            yield ctx.problem(
                f"metric {quote(metric.title or metric.id)} has {' and '.join(lacks)}: "
                "nobody can tell whether it is on track",
                metric.path,
            )
