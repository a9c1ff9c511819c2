"""analysis/journey.py: per-segment summaries, the emotion curve, metric status,
regulation bindings and where a fail point happens, on a small blueprint whose figures
are worked out by hand."""

from __future__ import annotations

import pytest

from blueprint_cli.analysis import (
    emotion_curve,
    markers,
    metric_rows,
    metric_status,
    placed,
    register,
    regulation_bindings,
    segment_summaries,
)
from blueprint_cli.model import Blueprint, Metric

SMALL = {
    "blueprint": 1,
    "segments": [
        {"id": "fast", "title": "In a hurry", "standards": {"max_wait": "2m"}},
        {"id": "slow", "title": "Has time"},
    ],
    "channels": [{"id": "desk", "title": "At the desk"}, {"id": "web", "title": "Website"}],
    "regulations": [
        {"id": "law", "title": "The law", "source": "Act 1"},
        {"id": "unused", "title": "Binds nothing"},
    ],
    "actors": [{"id": "clerk", "title": "Clerk"}],
    "metrics": [
        {"id": "csat", "title": "Satisfaction", "baseline": 70, "target": 80, "direction": "up"},
        {"id": "done", "title": "Already there", "baseline": 5, "target": 6, "direction": "down"},
    ],
    "standards": {"max_wait": "5m"},
    "steps": [
        {
            "id": "a",
            "title": "Arrive",
            "channel": "desk",
            "emotion": {"customer": 1, "staff": 0},
            "metrics": ["csat"],
            "evidence": ["Sign"],
            "customer": ["Walk in"],
            "frontstage": [
                {
                    "id": "greet",
                    "text": "Greet",
                    "actor": "clerk",
                    "duration": "1m",
                    "regulations": ["law"],
                    # 3m: over 2m for 'fast', within 5m for 'slow'
                    "wait": {"expected": "3m"},
                    "fail_points": ["Nobody there"],
                }
            ],
        },
        {
            "id": "b",
            "title": "Book online",
            "segments": ["slow"],
            "channel": "web",
            "emotion": -1,
            "customer": [
                {
                    "id": "book",
                    "text": "Book",
                    "duration": "10m",
                    "channel": "desk",
                    # 6m: over the blueprint's 5m, which 'slow' keeps
                    "wait": {"expected": "6m"},
                    "fail_points": ["Site down"],
                }
            ],
        },
        {"id": "c", "title": "Queue", "segments": ["fast"], "customer": ["Wait"]},
        {
            "id": "d",
            "title": "Leave",
            "emotion": {"customer": -1, "staff": -2},
            "metrics": [{"id": "tips", "title": "Tips", "unit": "EUR", "baseline": 3}],
            "customer": [{"id": "go", "text": "Go", "duration": "2m", "regulations": ["law"]}],
        },
    ],
}


@pytest.fixture
def bp() -> Blueprint:
    return Blueprint.model_validate(SMALL)


def test_each_segment_is_held_to_its_own_standard(bp: Blueprint) -> None:
    fast, slow = segment_summaries(bp)
    assert (fast.segment.id, fast.max_wait, fast.tolerated) == ("fast", 120, 120)
    assert (slow.max_wait, slow.tolerated) == (None, 300)
    # fast: Arrive, Queue, Leave; slow: Arrive, Book online, Leave
    assert (fast.steps, [s.id for s in fast.own_steps]) == (3, ["c"])
    assert (slow.steps, [s.id for s in slow.own_steps]) == (3, ["b"])
    # arrive: 1m + 3m wait; book: 10m + 6m wait; leave: 2m
    assert fast.seconds == 4 * 60 + 2 * 60
    assert slow.seconds == 4 * 60 + 16 * 60 + 2 * 60
    assert [m.step.id for m in fast.waits_over] == ["a"]  # 3m over 2m
    assert [m.step.id for m in slow.waits_over] == ["b"]  # 3m within 5m; 6m over 5m
    assert [s.segment.id for s in segment_summaries(bp, ["slow"])] == ["slow"]


def test_the_emotion_curve_has_gaps_and_names_its_lowest_points(bp: Blueprint) -> None:
    curve = emotion_curve(bp)
    assert curve is not None
    assert [p.customer for p in curve.points] == [1, -1, None, -1]
    assert [p.staff for p in curve.points] == [0, None, None, -2]
    assert [p.step.id for p in curve.lowest_customer] == ["b", "d"]
    assert [p.step.id for p in curve.lowest_staff] == ["d"]
    assert curve.has_staff


def test_no_emotion_no_curve() -> None:
    assert emotion_curve(Blueprint.model_validate({"blueprint": 1, "steps": ["A"]})) is None


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "status"),
    [
        (70, 80, "up", "open"),
        (80, 80, "up", "met"),
        (90, 80, "up", "met"),
        (5, 6, "down", "met"),
        (7, 6, "down", "open"),
        (3, None, "up", "no target"),
        (None, 3, "up", "no baseline"),
        (3, 3, None, "met"),
        (2, 3, None, "no direction"),
    ],
)
def test_metric_status(
    baseline: float | None, target: float | None, direction: str | None, status: str
) -> None:
    metric = Metric.model_validate(
        {"title": "m", "baseline": baseline, "target": target, "direction": direction}
    )
    assert metric_status(metric) == status


def test_metric_rows_blueprint_first_then_the_steps_own(bp: Blueprint) -> None:
    rows = metric_rows(bp)
    assert [(r.title, r.step.id if r.step else None, r.status) for r in rows] == [
        ("Satisfaction", None, "open"),
        ("Already there", None, "met"),
        ("Tips", "d", "no target"),
    ]
    assert [s.id for s in rows[0].tracked_at] == ["a"]


def test_regulations_bind_actions_with_their_owners_and_evidence(bp: Blueprint) -> None:
    law, unused = regulation_bindings(bp)
    assert [(b.number, b.action.id, b.owner, b.evidence) for b in law.bindings] == [
        (1, "greet", "Clerk", ("Sign",)),
        (4, "go", None, ()),
    ]
    assert unused.bindings == ()


def test_a_fail_point_is_placed_in_its_segments_and_channel(bp: Blueprint) -> None:
    rows = placed(bp, register(bp, "small.yaml"))
    assert [(r.marker, r.segments_text, r.channel) for r in rows] == [
        ("F1", "all", "At the desk"),  # the step's channel
        ("F2", "Has time", "At the desk"),  # the action's own, over the step's web
    ]


def test_a_segment_more_lenient_than_the_blueprint_is_held_to_its_own() -> None:
    data = {
        **SMALL,
        "segments": [
            *SMALL["segments"][:1],
            {"id": "slow", "title": "Has time", "standards": {"max_wait": "10m"}},
        ],
    }  # type: ignore[index]
    bp = Blueprint.model_validate(data)
    waits = {m.step.id: m for m in markers(bp, ["slow"]) if m.wait is not None}
    assert waits["a"].standard == 600 and waits["a"].standard_segment is not None
    assert waits["b"].standard == 600 and waits["b"].over_by is None  # 6m within 10m
    [slow] = segment_summaries(bp, ["slow"])
    assert slow.waits_over == ()
    # for every segment, the strictest: 'fast' holds Arrive's wait to 2m
    every = {m.step.id: m.standard for m in markers(bp) if m.wait is not None}
    assert every == {"a": 120, "b": 600}
