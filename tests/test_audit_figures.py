"""The audit's figures, computed by hand for three visits and asserted."""

from __future__ import annotations

import pytest

from blueprint_cli.analysis.audit import (
    OCCURRENCE_SCALE,
    Tally,
    WaitFigures,
    suggested_occurrence,
    visit_checks,
)
from blueprint_cli.analysis.observed import index, resolve
from blueprint_cli.load import load_bytes
from blueprint_cli.model.observation import Observation
from blueprint_cli.model.validation import check_bytes, validate_as

BLUEPRINT = """\
blueprint: 1
standards: {max_wait: 5m}
segments:
  - {id: business, title: Business, standards: {max_wait: 3m}}
  - {id: leisure, title: Leisure}
phases: [{id: visit, title: Visit}]
actors: [{id: clerk, title: Clerk}]
steps:
  - id: check-in
    phase: visit
    title: Check in
    evidence: [Key card]
    customer: [{id: give, text: Give name}]
    frontstage:
      - id: register
        text: Register guest
        actor: clerk
        duration: 3m
        script: Welcome
        wait: {text: Queue}
        fail_points:
          - {id: lost, text: Booking lost, severity: 8, occurrence: 2, detection: 3}
"""

HEAD = "observation: 1\nblueprint: bp.yaml\n"
A = (
    HEAD
    + """\
visit: {id: a, date: 2026-01-10, segment: business}
steps:
  check-in:
    evidence: {key-card: yes}
    actions:
      give: yes
      register: {done: yes, duration: 2m, wait: 4m, script: partial, note: Rushed}
    fail_points:
      lost: {occurred: yes, detected: yes, recovered: no, note: No room left}
"""
)
B = (
    HEAD
    + """\
visit: {id: b, date: 2026-01-20, segment: leisure}
steps:
  check-in:
    evidence: {key-card: {present: no, note: Paper key}}
    actions:
      register: {done: yes, duration: 4m, wait: 4m, script: yes}
    fail_points: {lost: no}
"""
)
C = (
    HEAD
    + """\
visit: {id: c, date: 2026-02-05, segment: business}
steps:
  check-in: not-observed
unplanned:
  - {step: check-in, text: Lift broken, severity: 5}
"""
)


def tally(**options: object) -> Tally:
    bp = check_bytes(BLUEPRINT.encode()).blueprint
    assert bp is not None
    idx = index(bp)
    result = Tally(bp, **options)  # type: ignore[arg-type]
    for text in (A, B, C):
        observation, problems, _ = validate_as(load_bytes(text.encode()), Observation)
        assert observation is not None, problems
        result.add(observation, resolve(observation, idx))
    return result


def test_each_check_of_a_visit_by_hand() -> None:
    bp = check_bytes(BLUEPRINT.encode()).blueprint
    assert bp is not None
    observation, _, _ = validate_as(load_bytes(A.encode()), Observation)
    assert observation is not None
    checks = [
        (c.kind, c.id, c.score)
        for c in visit_checks(observation, resolve(observation, index(bp)), bp)
    ]
    assert checks == [
        ("evidence", "key-card", 1.0),
        ("action", "give", 1.0),
        ("action", "register", 1.0),
        ("time", "register", 1.0),  # 2m within 3m
        ("wait", "register", 0.0),  # 4m over the business traveller's 3m
        ("script", "register", 0.5),  # partial
        ("fail point", "lost", 0.0),  # occurred and not recovered
    ]


def test_compliance_overall_and_by_kind_and_segment() -> None:
    t = tally()
    # A: 4.5 of 7; B: evidence 0, action 1, time 0 (4m > 3m), wait 1 (4m within the
    # leisure guest's 5m, the blueprint's), script 1, fail point 1 (did not occur): 4 of 6;
    # C observed nothing: in no denominator
    assert (t.overall.points, t.overall.possible) == (8.5, 13.0)
    assert t.overall.percent == pytest.approx(65.3846, abs=1e-4)
    kinds = {k: (s.points, s.possible) for k, s in t.by["kind"].items()}
    assert kinds == {
        "evidence": (1.0, 2.0),
        "action": (3.0, 3.0),
        "time": (1.0, 2.0),
        "wait": (1.0, 2.0),
        "script": (1.5, 2.0),
        "fail point": (1.0, 2.0),
    }
    segments = {k: (s.points, s.possible) for k, s in t.by["segment"].items()}
    assert segments == {"business": (4.5, 7.0), "leisure": (4.0, 6.0)}
    # the clerk owns register: its action, time, wait, script and fail point, on A and B
    assert {k: s.possible for k, s in t.by["actor"].items()} == {"Clerk": 10.0}
    assert {k: s.possible for k, s in t.by["phase"].items()} == {"Visit": 13.0}
    assert [(v.id, v.share.points, v.share.possible) for v in t.visits] == [
        ("a", 4.5, 7.0),
        ("b", 4.0, 6.0),
        ("c", 0.0, 0.0),
    ]


def test_waits_against_each_segments_standard() -> None:
    t = tally()
    business, leisure = t.waits["register", "business"], t.waits["register", "leisure"]
    assert (business.standard, business.n, business.median, business.within) == (180, 1, 240, 0)
    assert (leisure.standard, leisure.n, leisure.median, leisure.within) == (300, 1, 240, 1)
    assert (business.share_within, leisure.share_within) == (0.0, 100.0)


def test_wait_quantiles_by_hand() -> None:
    w = WaitFigures(300)
    for seconds in (120, 240, 300, 600):
        w.seconds[seconds] += 1
    assert (w.median, w.quantile(0.9), w.longest, w.quantile(0.5)) == (270, 600, 600, 240)
    w.seconds[240] += 1  # 120 240 240 300 600
    assert (w.median, w.quantile(0.9)) == (240, 600)


def test_fail_point_rates_and_the_occurrence_they_suggest() -> None:
    lost = tally().fail_points["lost"]
    assert (lost.observed, lost.occurred, lost.rate) == (2, 1, 0.5)
    assert (lost.detection_rate, lost.recovery_rate) == (1.0, 0.0)
    assert suggested_occurrence(0.5) == 10
    assert [suggested_occurrence(r) for r in (0.4, 0.2, 0.05, 0.02, 0.004, 0)] == [9, 8, 7, 6, 5, 1]
    assert OCCURRENCE_SCALE[0] == (0.5, 10)


def test_unplanned_fail_points_are_grouped() -> None:
    unplanned = tally().unplanned
    assert [(u.step, u.text, u.count, u.severity, u.first) for u in unplanned.values()] == [
        ("check-in", "Lift broken", 1, 5, "2026-02-05")
    ]


def test_weights_and_critical_checks() -> None:
    t = tally(weights={"fail point": 3.0}, critical=frozenset({"lost"}))
    # A: 4.5 + 0 x 3 of 6 + 3; B: 3 + 1 x 3 of 5 + 3
    assert [(v.id, v.share.points, v.share.possible) for v in t.visits[:2]] == [
        ("a", 4.5, 9.0),
        ("b", 6.0, 8.0),
    ]
    assert (t.overall.points, t.overall.possible) == (10.5, 17.0)
    assert (t.visits[0].failed_critical, t.visits[1].failed_critical) == (("fail point lost",), ())
    assert t.failed_visits == 1


def test_trend_per_month_and_per_visits() -> None:
    t = tally()
    assert [(p, n, s.points, s.possible) for p, n, s in t.trend("month")] == [
        ("2026-01", 2, 8.5, 13.0),
        ("2026-02", 1, 0.0, 0.0),
    ]
    assert [(p, n) for p, n, _ in t.trend_every(2)] == [
        ("2026-01-10 – 2026-01-20", 2),
        ("2026-02-05", 1),
    ]
    missed = [(k, s.missed) for k, s in t.missed_again(at_least=1)]
    assert (("wait", "check-in", "register"), 1) in missed
    assert len(missed) == 5  # wait, script, fail point (A); evidence, time (B)
