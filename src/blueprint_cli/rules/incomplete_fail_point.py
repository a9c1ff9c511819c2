"""A fail point missing its prevention, its recovery or its scores: one line naming all it lacks.

A fail point is worked on through its *prevention* (what stops it happening: a poka-yoke,
a check, a confirmation), its *recovery* (what staff do when it happens anyway:
apologise, upgrade, refund, fetch a manager) and its service-FMEA scores, 1-10 each:
`severity` (how bad for the customer), `occurrence` (how often) and `detection` (how
hard to catch before it hurts), whose product, the risk priority number, ranks it.

When the same thing is missing from every fail point of the file (four or more: a published
blueprint that marks fail points and scores none of them), it is said once, for the
file, and each fail point's line names only what else it lacks.

Replaces BP102 fail-point-without-prevention, BP103 fail-point-without-recovery and
BP105 unscored-fail-point: those codes and names still select, ignore and suppress it.

Why it matters: a fail point without a prevention stays as likely as it was; without a
recovery it is improvised, differently by each member of staff; unscored, it sinks to
the bottom of every register.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - {text: Reservation not found, severity: 6}

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            fail_points:
              - text: Reservation not found
                prevention: Confirm bookings by email the day before
                recovery: Offer an upgrade and apologise
                severity: 6
                occurrence: 3
                detection: 2
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import FailPoint
from blueprint_cli.rules.base import WHOLE_FILE, Context
from blueprint_cli.text import quote

CODE = codes.INCOMPLETE_FAIL_POINT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "incomplete-fail-point"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point with no prevention, no recovery or missing scores"
WEIGHT = 8  # an unplanned prevention or recovery is work to do

_SCORES = ("severity", "occurrence", "detection")


def _lacks(fp: FailPoint) -> dict[str, str]:
    """What a fail point lacks: aspect -> the words for it."""
    out: dict[str, str] = {}
    if not fp.prevention:
        out["prevention"] = "no prevention"
    if not fp.recovery:
        out["recovery"] = "no recovery"
    missing = [k for k in _SCORES if getattr(fp, k) is None]
    if len(missing) == len(_SCORES):
        out["scores"] = "no scores (severity, occurrence, detection)"
    elif missing:
        out["scores"] = f"no {_and(missing, 'or')} score"
    return out


def _and(words: list[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def check(ctx: Context) -> Iterator[Problem]:
    points = [fp for _, _, fp in ctx.blueprint.fail_points()]
    lacks = [_lacks(fp) for fp in points]
    # a lack shared by every fail point (two or more) is the file's: said once
    shared = [
        aspect
        for aspect in ("prevention", "recovery", "scores")
        if len(points) >= WHOLE_FILE
        and all(
            aspect in lack and (aspect != "scores" or lack[aspect].startswith("no scores"))
            for lack in lacks
        )
    ]
    if shared:
        words = {
            "prevention": "a prevention",
            "recovery": "a recovery",
            "scores": "scores (severity, occurrence, detection)",
        }
        yield ctx.problem(
            f"none of the {len(points)} fail points has "
            f"{_and([words[a] for a in shared], 'or')}: " + _why(shared),
            ("steps",),
            key=True,
        )
    for fp, lack in zip(points, lacks, strict=True):
        said = [words for aspect, words in lack.items() if aspect not in shared]
        if said:
            tail = ": it cannot be ranked" if "scores" in lack and "scores" not in shared else ""
            yield ctx.problem(f"fail point {quote(fp.text)} has {_and(said)}{tail}", fp.path)


def _why(shared: list[str]) -> str:
    reasons = {
        "prevention": "nothing is planned to make them less likely",
        "recovery": "staff improvise when they happen",
        "scores": "they cannot be ranked",
    }
    return "; ".join(reasons[a] for a in shared)
