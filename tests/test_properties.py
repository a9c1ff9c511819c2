"""Properties of the rules over generated blueprints."""

from __future__ import annotations

import copy
import re
from collections import Counter
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.pipeline.check import lint_bytes
from tests.strategies import blueprints

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def counts(bp: dict[str, Any]) -> Counter[str]:
    raw = yaml.safe_dump(bp, allow_unicode=True, sort_keys=False).encode()
    return Counter(f.code for f in lint_bytes("p.yaml", raw))


def fail_point_dicts(bp: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for step in bp["steps"]:
        for lane in ("customer", "frontstage", "backstage", "support"):
            for action in step.get(lane, []):
                if isinstance(action, dict):
                    found.extend(action.get("fail_points", []))
    return found


@FAST
@given(blueprints())
def test_generated_blueprints_have_no_format_errors(bp: dict[str, Any]) -> None:
    assert not [c for c in counts(bp) if c < "BP100"], counts(bp)


@FAST
@given(blueprints(), st.data())
def test_adding_a_recovery_never_adds_a_finding(bp: dict[str, Any], data: st.DataObject) -> None:
    fps = [fp for fp in fail_point_dicts(bp) if "recovery" not in fp]
    if not fps:
        return
    before = counts(bp)
    changed = copy.deepcopy(bp)
    index = data.draw(st.integers(0, len(fps) - 1))
    [fp for fp in fail_point_dicts(changed) if "recovery" not in fp][index]["recovery"] = (
        "Apologise"
    )
    after = counts(changed)
    others = [code for code in after if code != "BP119"]
    assert all(after[code] <= before[code] for code in others), (before, after)
    assert without_recovery(changed) == without_recovery(bp) - 1


def without_recovery(bp: dict[str, Any]) -> int:
    """How many fail points the review says lack a recovery: one per line, or N in the
    file's one line ("none of the N fail points has ... a recovery")."""
    raw = yaml.safe_dump(bp, allow_unicode=True, sort_keys=False).encode()
    said = 0
    for f in lint_bytes("p.yaml", raw):
        if f.code != "BP119":
            continue
        whole = re.match(r"none of the (\d+) fail points has ([^:]*)", f.message)
        if whole:
            said += int(whole.group(1)) if "a recovery" in whole.group(2) else 0
        elif "no recovery" in f.message:
            said += 1
    return said


@FAST
@given(blueprints(), st.data())
def test_removing_evidence_from_a_customer_step_adds_a_finding(
    bp: dict[str, Any], data: st.DataObject
) -> None:
    steps = [s for s in bp["steps"] if s.get("customer") and s.get("evidence")]
    if not steps:
        return
    changed = copy.deepcopy(bp)
    target = data.draw(st.sampled_from([s["id"] for s in steps]))
    for step in changed["steps"]:
        if step["id"] == target:
            del step["evidence"]
    assert without_evidence(changed) == without_evidence(bp) + 1


def without_evidence(bp: dict[str, Any]) -> int:
    """How many steps the review says lack evidence: one per line, or N in the file's one
    line ("no physical evidence at any of the N steps")."""
    raw = yaml.safe_dump(bp, allow_unicode=True, sort_keys=False).encode()
    said = 0
    for f in lint_bytes("p.yaml", raw):
        if f.code == "BP101":
            whole = re.match(r"no physical evidence at any of the (\d+) steps", f.message)
            said += int(whole.group(1)) if whole else 1
    return said
