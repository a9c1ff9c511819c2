"""A step where the customer acts but has nothing tangible to see or touch.

Physical evidence is what the customer sees at a step: signage, a web page, an email,
a receipt, the state of the room. A step with customer actions and no evidence leaves
the customer nothing to judge the service by, and staff nothing to keep to standard.

Why it matters: customers judge an intangible service by its tangibles; a step
without evidence is a moment the service cannot show it happened.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        customer: [Give name and card]

PASS:

    blueprint: 1
    steps:
      - title: Check in
        evidence: [Registration form, Key card]
        customer: [Give name and card]
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import evidence_coverage
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context, each_or_once
from blueprint_cli.text import quote

CODE = codes.MISSING_EVIDENCE
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "missing-evidence"
SEVERITY = Severity.WARNING
SUMMARY = "a step with customer actions and no physical evidence"
WEIGHT = 6


def check(ctx: Context) -> Iterator[Problem]:
    covered, without = evidence_coverage(ctx.blueprint)
    misses = [
        (f"step {quote(s.title)} has customer actions but no physical evidence", s.path)
        for s in without
    ]
    yield from each_or_once(
        ctx,
        misses,
        len(covered) + len(without),
        f"no physical evidence at any of the {len(without)} steps: the blueprint does not "
        "show what the customer sees, hears or holds",
    )
