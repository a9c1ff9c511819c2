"""A wait whose `expected` time exceeds its standard.

The standard is the wait's own `max` when it has one, else the blueprint-wide default
`standards.max_wait`. Waiting longer than the tolerated maximum is a failure the
customer feels every time, not a risk.

Segments may expect more, or tolerate more: a segment's `standards: {max_wait: 3m}`
replaces the blueprint's default for the steps it goes through (a wait's own `max` is
the same for everyone). A wait is judged for every segment its step happens to; the
one finding names the segments whose standard it breaks.

Why it matters: a standard the service is designed to miss is not a standard.

FAIL:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 8m, max: 5m}

PASS:

    blueprint: 1
    steps:
      - title: Check in
        frontstage:
          - text: Register guest
            wait: {text: Queue at the desk, expected: 2m, max: 5m}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import step_segments, wait_standard
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.model import Action, Blueprint, Segment, Step, Wait, format_duration
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.WAIT_OVER_STANDARD
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "wait-over-standard"
SEVERITY = Severity.WARNING
SUMMARY = "a wait whose expected time exceeds its max, the blueprint's or a segment's max_wait"
WEIGHT = 8  # the service breaks its own standard


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    for step in bp.steps:
        for action in step.actions():
            wait = action.wait
            if wait is None or wait.expected is None:
                continue
            message = _verdict(bp, step, action, wait, wait.expected)
            if message is not None:
                yield ctx.problem(message, (*wait.path, "expected"))


def _verdict(bp: Blueprint, step: Step, action: Action, wait: Wait, expected: float) -> str | None:
    took = f"wait {quote(wait.text or action.text)} is expected to take {format_duration(expected)}"
    base = wait_standard(bp, wait)
    segments = [s for s in step_segments(bp, step) if s.standards and s.standards.max_wait]
    if not segments:  # every customer is held to the same standard
        if base is None or expected <= base:
            return None
        return f"{took}, over {_source(wait)} of {format_duration(base)}"
    serves = step_segments(bp, step)
    over: list[tuple[Segment, float]] = []
    for segment in serves:
        standard = wait_standard(bp, wait, segment)
        if standard is not None and expected > standard:
            over.append((segment, standard))
    if not over:
        return None
    if len(over) == len(serves) and base is not None and expected > base:
        stricter = [(s, t) for s, t in over if t < base]
        extra = ", ".join(f"the {format_duration(t)} of {quote(s.title)}" for s, t in stricter)
        extra = f" (and {extra})" if extra else ""
        return f"{took}, over {_source(wait)} of {format_duration(base)}{extra}"
    fine = [s for s in serves if all(s is not o for o, _ in over)]
    within = f"; within it for {', '.join(quote(s.title) for s in fine)}" if fine else ""
    if len(over) == 1:
        segment, standard = over[0]
        what = f"segment {quote(segment.title)} ({format_duration(standard)})"
    else:
        what = f"{len(over)} segments: {_list(over)}"
    return f"{took}, over the standard of {what}{within}"


def _source(wait: Wait) -> str:
    return "its max" if wait.max is not None else "standards.max_wait"


def _list(over: list[tuple[Segment, float]]) -> str:
    return ", ".join(f"{quote(s.title)} ({format_duration(t)})" for s, t in over)
