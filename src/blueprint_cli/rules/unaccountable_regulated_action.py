"""An action bound by a regulation, with no owner or no evidence at its step.

A regulation (`regulations:`, named by an action's `regulations: [gdpr]`) is a duty the
service answers for: someone must own the action that fulfils it (`actor`), and its
step must show the evidence that it was done (`evidence`), the thing an auditor, an
inspector or the customer can check.

Why it matters: a legal duty nobody owns is not done, and one that leaves no trace
cannot be shown to be done.

FAIL:

    blueprint: 1
    regulations:
      - {id: gdpr, title: Consent for guest data}
    steps:
      - title: Check in
        customer: [Give details]
        frontstage:
          - {text: Record guest details, regulations: [gdpr]}

PASS:

    blueprint: 1
    actors: [Desk clerk]
    regulations:
      - {id: gdpr, title: Consent for guest data}
    steps:
      - title: Check in
        evidence: [Signed registration card]
        customer: [Give details]
        frontstage:
          - {text: Record guest details, actor: desk-clerk, regulations: [gdpr]}
"""

from collections.abc import Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import Context
from blueprint_cli.text import quote

CODE = codes.UNACCOUNTABLE_REGULATED_ACTION
FAMILY = codes.Family.SERVICE_DESIGN
NAME = "unaccountable-regulated-action"
SEVERITY = Severity.WARNING
SUMMARY = "an action bound by a regulation with no owner, or no evidence at its step"
WEIGHT = 7  # a duty of the service that nobody answers for, or nobody can show


def check(ctx: Context) -> Iterator[Problem]:
    bp = ctx.blueprint
    titles = {r.id: r.title for r in bp.regulations}
    for step in bp.steps:
        for action in step.actions():
            if not action.regulations:
                continue
            owned, shown = action.actor is not None, bool(step.evidence)
            if owned and shown:
                continue
            bound = dict.fromkeys(titles[r] for r in action.regulations if r in titles)
            if not bound:
                continue  # undeclared: BP006 says so
            head = f"action {quote(action.text)} is bound by {', '.join(map(quote, bound))}"
            where = f"its step {quote(step.title)} shows no evidence"
            if not owned and not shown:
                why = (
                    f"has no owner (actor) and {where}: nobody answers for it and nothing "
                    "shows it was done"
                )
            elif not owned:
                why = "has no owner (actor): nobody answers for it"
            else:
                why = f"{where} that it was done"
            yield ctx.problem(
                f"{head} but {why}",
                (*action.path, "regulations"),
                key=True,
            )
