"""An id in an observation that its blueprint does not have.

An audit visit names the blueprint's steps, and under each step its evidence, actions
and fail points; the visit's `segment` and `channel`, and each unplanned fail point's
`step`, are the blueprint's ids too. Every one must resolve in the blueprint, in the
step it is written under. Evidence may be named by its id, its text's slug, or the
first words of either when they name one piece of the step's evidence alone
(`key-card` for "Key card in a folder").

Why it matters: an observation of something the blueprint does not have counts for
nothing, and the check it was meant for is reported as never made.

BLUEPRINT:

    blueprint: 1
    steps:
      - id: check-in
        title: Check in
        evidence: [Key card in a folder]
        customer:
          - {id: give-details, text: Give name and card}

FAIL:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
    steps:
      check-in:
        evidence: {key-card: yes}
        actions: {give-detials: yes}

PASS:

    observation: 1
    blueprint: blueprint.yaml
    visit: {id: v01, date: 2026-11-28}
    steps:
      check-in:
        evidence: {key-card: yes}
        actions: {give-details: yes}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from blueprint_cli import codes
from blueprint_cli.findings import Problem, Severity
from blueprint_cli.rules.base import ObservationContext
from blueprint_cli.text import quote

CODE = codes.UNKNOWN_OBSERVED_ID
FAMILY = codes.Family.AUDIT
NAME = "unknown-observed-id"
SEVERITY = Severity.ERROR
SUMMARY = "an observed step, evidence, action, fail point, segment or channel not in the blueprint"


def _mean(wanted: str, known: Iterable[str]) -> str:
    candidates = sorted(set(known))
    close = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
    if not close:  # the first words of a longer id, misspelt: key-crd for key-card-in-a-folder
        words = wanted.count("-") + 1
        heads = {"-".join(c.split("-")[:words]): c for c in reversed(candidates)}
        close = [heads[h] for h in difflib.get_close_matches(wanted, list(heads), n=1)]
    if close:
        return f" (did you mean {quote(close[0])}?)"
    if 0 < len(candidates) <= 6:
        return f" (it has: {', '.join(candidates)})"
    return ""


def observe(ctx: ObservationContext) -> Iterator[Problem]:
    from blueprint_cli.analysis.observed import evidence_names  # the audit's, not lint's

    obs, bp, idx, res = ctx.observation, ctx.blueprint, ctx.index, ctx.resolved
    blueprint = quote(ctx.blueprint_name)
    for key, seen in obs.steps.items():
        at = ("steps", key)
        step = res.steps.get(key)
        if step is None:
            message = f"blueprint {blueprint} has no step {quote(key)}{_mean(key, idx.steps)}"
            yield ctx.problem(message, at, key=True)
            continue
        for name in seen.evidence:
            if res.evidence.get((key, name)) is not None:
                continue
            prefix = name + "-"
            several = [
                e.id for e in step.evidence if any(n.startswith(prefix) for n in evidence_names(e))
            ]
            if len(several) > 1:
                message = (
                    f"evidence {quote(name)} at step {quote(key)} could be any of "
                    f"{', '.join(map(quote, several))}: write one of them"
                )
            else:
                names = [n for e in step.evidence for n in evidence_names(e)]
                message = f"step {quote(key)} has no evidence {quote(name)}{_mean(name, names)}"
                if not step.evidence:
                    message = f"step {quote(key)} has no evidence in the blueprint"
            yield ctx.problem(message, (*at, "evidence", name), key=True)
        for name in seen.actions:
            if res.actions.get((key, name)) is not None:
                continue
            other = idx.actions.get(name)
            if other is not None:
                message = f"action {quote(name)} is in step {quote(other[0].id)}, not {quote(key)}"
            else:
                ids = [a.id for a in step.actions()]
                message = f"step {quote(key)} has no action {quote(name)}{_mean(name, ids)}"
            yield ctx.problem(message, (*at, "actions", name), key=True)
        for name in seen.fail_points:
            if res.fail_points.get((key, name)) is not None:
                continue
            hit = idx.fail_points.get(name)
            if hit is not None:
                message = (
                    f"fail point {quote(name)} is in step {quote(hit[0].id)}, not {quote(key)}"
                )
            else:
                ids = [fp.id for a in step.actions() for fp in a.fail_points]
                message = f"step {quote(key)} has no fail point {quote(name)}{_mean(name, ids)}"
            yield ctx.problem(message, (*at, "fail_points", name), key=True)
    visit = obs.visit
    for what, value, known in (
        ("segment", visit.segment, [s.id for s in bp.segments]),
        ("channel", visit.channel, [c.id for c in bp.channels]),
    ):
        if value is not None and value not in known:
            message = f"blueprint {blueprint} has no {what} {quote(value)}{_mean(value, known)}"
            yield ctx.problem(message, ("visit", what))
    for i, item in enumerate(obs.unplanned):
        if item.step not in idx.steps:
            message = (
                f"blueprint {blueprint} has no step {quote(item.step)}{_mean(item.step, idx.steps)}"
            )
            yield ctx.problem(message, (*item.path, "step") if item.path else ("unplanned", i))
