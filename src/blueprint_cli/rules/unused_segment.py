"""A customer segment declared and named by no step.

Steps list the segments they apply to (`segments: [business]`); a step that lists
none applies to all. Once some steps name segments, a declared segment that no step
names says nothing. (While no step names any, the segments describe who the whole
blueprint is for, and none is reported; a segment with standards of its own changes how
every step it goes through is judged, and is used.)

Why it matters: if a segment gets a different service, the map should show where.

FAIL:

    blueprint: 1
    segments: [Business, Family]
    steps:
      - {title: Use the business lounge, segments: [business]}

PASS:

    blueprint: 1
    segments: [Business, Family]
    steps:
      - {title: Use the business lounge, segments: [business]}
      - {title: Collect the cot, segments: [family]}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNUSED_SEGMENT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unused-segment"
SEVERITY = Severity.WARNING
SUMMARY = "a segment declared and never used"
WEIGHT = 3


def check(ctx: Context) -> Iterator[Problem]:
    used = {seg for step in ctx.blueprint.steps for seg in step.segments}
    if not used:
        return
    for segment in ctx.blueprint.segments:
        if segment.standards is not None and segment.standards.max_wait is not None:
            continue  # its expectations judge every step it goes through
        if segment.id not in used and segment.id not in ctx.dropped:
            yield ctx.problem(f"segment {quote(segment.id)} is named by no step", segment.path)
