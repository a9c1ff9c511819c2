"""An observation's ids -> the blueprint's nodes: which step, evidence, action and fail
point each entry of an audit visit is about.

Steps, actions and fail points are named by their ids. Evidence is named by its id, by
its text's slug (``Key card in a folder`` -> ``key-card-in-a-folder``), or by the first
words of either when they name one piece of evidence of the step alone (``key-card``):
auditors write evidence as they see it, and the blueprint's evidence rarely has ids of
its own. Every name is looked up in the step it is written under; a name that is a node
of another step is told so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.model import Action, Blueprint, Evidence, FailPoint, Step, slugify
from blueprint_cli.model.observation import Observation


@dataclass(slots=True)
class Resolved:
    """Where each entry of an observation points in its blueprint; None: nowhere."""

    steps: dict[str, Step | None] = field(default_factory=dict)
    evidence: dict[tuple[str, str], Evidence | None] = field(default_factory=dict)
    actions: dict[tuple[str, str], Action | None] = field(default_factory=dict)
    fail_points: dict[tuple[str, str], tuple[Action, FailPoint] | None] = field(
        default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class Index:
    """A blueprint's nodes by id, for resolving many observations of it."""

    steps: dict[str, Step]
    step_of: dict[int, Step]  # id() of an action, an evidence or a fail point -> its step
    actions: dict[str, tuple[Step, Action]]
    fail_points: dict[str, tuple[Step, Action, FailPoint]]


def index(bp: Blueprint) -> Index:
    steps: dict[str, Step] = {}
    step_of: dict[int, Step] = {}
    actions: dict[str, tuple[Step, Action]] = {}
    fail_points: dict[str, tuple[Step, Action, FailPoint]] = {}
    for step in bp.steps:
        steps.setdefault(step.id, step)
        for evidence in step.evidence:
            step_of[id(evidence)] = step
        for action in step.actions():
            actions.setdefault(action.id, (step, action))
            for fp in action.fail_points:
                fail_points.setdefault(fp.id, (step, action, fp))
    return Index(steps, step_of, actions, fail_points)


def evidence_names(evidence: Evidence) -> tuple[str, str]:
    """The names an auditor may give a piece of evidence: its id and its text's slug."""
    return evidence.id, slugify(evidence.text, evidence.id)


def find_evidence(step: Step, name: str) -> Evidence | None:
    """The step's evidence called ``name``: by id or slug, else the one piece whose id or
    slug starts with the words of ``name`` (``key-card`` for ``key-card-in-a-folder``)."""
    for evidence in step.evidence:
        if name in evidence_names(evidence):
            return evidence
    prefix = name + "-"
    found = [e for e in step.evidence if any(n.startswith(prefix) for n in evidence_names(e))]
    return found[0] if len(found) == 1 else None


def resolve(observation: Observation, idx: Index) -> Resolved:
    out = Resolved()
    for key, seen in observation.steps.items():
        step = idx.steps.get(key)
        out.steps[key] = step
        for name in seen.evidence:
            out.evidence[key, name] = find_evidence(step, name) if step is not None else None
        for name in seen.actions:
            found = idx.actions.get(name)
            out.actions[key, name] = found[1] if found and found[0] is step else None
        for name in seen.fail_points:
            hit = idx.fail_points.get(name)
            out.fail_points[key, name] = (hit[1], hit[2]) if hit and hit[0] is step else None
    return out
