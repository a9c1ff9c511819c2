"""A fail point whose recovery says the same as its prevention.

Compared after folding case, punctuation and spaces; nearly the same (a similarity of
0.9 or more) counts too, so that `Check the order twice` and `Check the order twice.`
are the same text.

Why it matters: prevention stops the failure happening; recovery is what staff do when
it happens anyway. A recovery that repeats the prevention leaves staff with nothing to
do once the failure is in front of the customer.

FAIL:

    blueprint: 1
    steps:
      - title: Order
        frontstage:
          - text: Take the order
            fail_points:
              - text: Allergy not passed to the kitchen
                prevention: Read the allergies back to the guest
                recovery: Read the allergies back to the guest.

PASS:

    blueprint: 1
    steps:
      - title: Order
        frontstage:
          - text: Take the order
            fail_points:
              - text: Allergy not passed to the kitchen
                prevention: Read the allergies back to the guest
                recovery: Take the dish back, apologise, cook it again
"""

import difflib
import re
from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.RECOVERY_REPEATS_PREVENTION
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "recovery-repeats-prevention"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point whose recovery is the same as its prevention"
WEIGHT = 7

_NEARLY = 0.9
_COMPARED = 500  # longer texts are compared exactly: similarity is quadratic in length
_NOT_WORD = re.compile(r"[\W_]+")


def check(ctx: Context) -> Iterator[Problem]:
    for _, _, fp in ctx.blueprint.fail_points():
        if fp.prevention and fp.recovery and _same(fp.prevention, fp.recovery):
            yield ctx.problem(
                f"fail point {quote(fp.text)}: its recovery repeats its prevention "
                f"({quote(fp.prevention)}): prevention stops it happening, recovery is what "
                "staff do when it happens anyway",
                (*fp.path, "recovery"),
            )


def _same(a: str, b: str) -> bool:
    x, y = _fold(a), _fold(b)
    if x == y:
        return True
    if not x or not y or max(len(x), len(y)) > _COMPARED:
        return False
    matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
    return (
        matcher.real_quick_ratio() >= _NEARLY
        and matcher.quick_ratio() >= _NEARLY
        and matcher.ratio() >= _NEARLY
    )


def _fold(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
