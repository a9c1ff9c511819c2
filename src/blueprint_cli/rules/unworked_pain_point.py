"""A step where the customer feels very bad, and no fail point is identified.

A step's `emotion` says how the customer feels there, from -2 (very bad) to +2 (very
good). A step at the lowest level (`pain-point-emotion`, -2 unless configured) is a
pain point; the blueprint should say what goes wrong there: at least one fail point on
one of its actions, with what prevents it and how staff recover.

Why it matters: the lowest point of the journey is where the service loses customers;
a pain point with no fail point is one nobody works on.

FAIL:

    blueprint: 1
    steps:
      - title: Wait for the doctor
        emotion: -2
        customer: [Sit in the waiting room]

PASS:

    blueprint: 1
    steps:
      - title: Wait for the doctor
        emotion: -2
        customer:
          - text: Sit in the waiting room
            fail_points:
              - {text: Nobody says how long the wait is, prevention: Show the queue on a screen}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNWORKED_PAIN_POINT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unworked-pain-point"
SEVERITY = Severity.WARNING
SUMMARY = "a step where the customer's emotion is -2 and no fail point is identified"
WEIGHT = 7  # the lowest point of the journey, unexamined
OPTIONS = {"pain-point-emotion": -2}
OPTION_RANGES = {"pain-point-emotion": (-2, 1)}  # +2 would make every step a pain point

_FEELING = {-2: "very bad", -1: "bad", 0: "neutral", 1: "good", 2: "very good"}


def check(ctx: Context) -> Iterator[Problem]:
    level = int(ctx.options["pain-point-emotion"])
    for step in ctx.blueprint.steps:
        emotion = step.emotion
        if emotion is None or emotion.customer is None or emotion.customer > level:
            continue
        if any(action.fail_points for action in step.actions()):
            continue
        feeling = _FEELING.get(emotion.customer, str(emotion.customer))
        yield ctx.problem(
            f"step {quote(step.title)} feels {feeling} to the customer (emotion "
            f"{emotion.customer:+d}) and no fail point is identified there: a pain point "
            "nobody works on",
            (*emotion.path, "customer"),
        )
