"""A fail point whose risk is high, whatever its mitigation: it must stay visible.

Risk is the service-FMEA risk priority number, severity x occurrence x detection (each
1-10). A fail point is high-risk when its risk reaches `high-risk-rpn` (default 200)
or its severity reaches `high-risk-severity` (default 9). It is reported even when it
has a prevention and a recovery: these are the fail points to review first, and to
suppress on their line (`# blueprint: ignore[BP104]`) once reviewed.

Why it matters: a few fail points carry most of the risk; a review starts there.

FAIL:

    blueprint: 1
    steps:
      - title: Pay
        frontstage:
          - text: Charge card
            fail_points:
              - {text: Double charge, severity: 9, occurrence: 2, detection: 3}

PASS:

    blueprint: 1
    steps:
      - title: Pay
        frontstage:
          - text: Charge card
            fail_points:
              - {text: Slow terminal, severity: 4, occurrence: 5, detection: 2}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.analysis import HIGH_RISK_RPN, HIGH_RISK_SEVERITY, is_high_risk
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.HIGH_RISK_FAIL_POINT
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "high-risk-fail-point"
SEVERITY = Severity.WARNING
SUMMARY = "a fail point with risk >= 200 or severity >= 9"
WEIGHT = 9  # a risk over the threshold: the first thing to work on
OPTIONS = {"high-risk-rpn": HIGH_RISK_RPN, "high-risk-severity": HIGH_RISK_SEVERITY}


def check(ctx: Context) -> Iterator[Problem]:
    rpn = int(ctx.options["high-risk-rpn"])
    severity = int(ctx.options["high-risk-severity"])
    for _, _, fp in ctx.blueprint.fail_points():
        if is_high_risk(fp, rpn, severity):
            why = f"risk {fp.risk}" if fp.risk is not None and fp.risk >= rpn else ""
            if fp.severity is not None and fp.severity >= severity:
                why = f"{why}, severity {fp.severity}" if why else f"severity {fp.severity}"
            yield ctx.problem(f"high-risk fail point {quote(fp.text)} ({why})", fp.path)
