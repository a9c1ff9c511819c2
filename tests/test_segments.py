"""Segments with their own expectations, channels, regulations, metrics and emotion:
the model, the standards a wait is judged by, and the findings a reviewer reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_cli.analysis import channel_of, judge_wait, markers, step_segments, wait_standard
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.pipeline.check import lint_bytes

HOTEL = Path(__file__).parent.parent / "examples" / "hotel.yaml"

TWO_SEGMENTS = """\
blueprint: 1
standards: {max_wait: 5m}
segments:
  - {id: business, title: Business traveller, standards: {max_wait: 3m}}
  - {id: leisure, title: Leisure guest, standards: {max_wait: 10m}}
  - {id: group, title: Tour group}
channels: [In person, Phone]
steps:
  - title: Check in
    channel: in-person
    customer: [Give name]
    frontstage:
      - {id: a, text: Register guest, wait: {text: Queue a, expected: 4m}}
      - {id: b, text: Check the passport, wait: {text: Queue b, expected: 6m}}
      - {id: c, text: Print the card, wait: {text: Queue c, expected: 11m}}
      - {id: d, text: Call the porter, channel: phone, wait: {text: Queue d, expected: 4m, max: 5m}}
  - title: Use the lounge
    segments: [business]
    customer:
      - {id: e, text: Wait for a seat, wait: {expected: 4m}}
"""


def model(text: str) -> Blueprint:
    checked = check_bytes(text.encode())
    assert checked.blueprint is not None and not checked.problems, checked.problems
    return checked.blueprint


def messages(text: str, code: str) -> list[str]:
    return [f.message for f in lint_bytes("t.yaml", text.encode()) if f.code == code]


def test_a_segment_tolerance_replaces_the_blueprint_default_not_a_wait_own_max() -> None:
    bp = model(TWO_SEGMENTS)
    business, leisure, group = bp.segments
    a, d = bp.steps[0].frontstage[0].wait, bp.steps[0].frontstage[3].wait
    assert a is not None and d is not None
    assert [wait_standard(bp, a, s) for s in (None, business, leisure, group)] == [
        300,
        180,
        600,
        300,
    ]
    assert {wait_standard(bp, d, s) for s in (None, business, leisure, group)} == {300}


def test_a_wait_is_judged_by_the_strictest_segment_in_view() -> None:
    bp = model(TWO_SEGMENTS)
    step = bp.steps[0]
    wait = step.frontstage[0].wait
    assert wait is not None
    judged = judge_wait(bp, step, wait)
    assert judged.standard == 180 and judged.segment is not None
    assert judged.segment.id == "business"
    assert judge_wait(bp, step, wait, {"leisure"}).standard == 600
    assert judge_wait(bp, step, wait, {"group"}) == judge_wait(bp, step, wait, set())
    assert [s.id for s in step_segments(bp, bp.steps[1])] == ["business"]
    over = {m.label: m.over_by for m in markers(bp, {"leisure"}) if m.wait is not None}
    assert over == {"W1": None, "W2": None, "W3": 60, "W4": None, "W5": None}
    over = {m.label: m.over_by for m in markers(bp) if m.wait is not None}
    assert over == {"W1": 60, "W2": 180, "W3": 480, "W4": None, "W5": 60}


def test_one_finding_per_wait_names_the_segments_it_breaks() -> None:
    assert messages(TWO_SEGMENTS, "BP110") == [
        "wait 'Queue a' is expected to take 4m, over the standard of segment 'Business "
        "traveller' (3m); within it for 'Leisure guest', 'Tour group'",
        "wait 'Queue b' is expected to take 6m, over the standard of 2 segments: 'Business "
        "traveller' (3m), 'Tour group' (5m); within it for 'Leisure guest'",
        "wait 'Queue c' is expected to take 11m, over standards.max_wait of 5m (and the 3m "
        "of 'Business traveller')",
        "wait 'Wait for a seat' is expected to take 4m, over the standard of segment "
        "'Business traveller' (3m)",
    ]


def test_the_hotel_check_in_queue_is_over_for_business_travellers_only() -> None:
    found = [f for f in lint_bytes(str(HOTEL), HOTEL.read_bytes()) if f.code in ("BP110", "BP111")]
    assert [f.message for f in found] == [
        "wait 'Queue at the front desk' is expected to take 4m, over the standard of segment "
        "'Business traveller' (3m); within it for 'Leisure guest'"
    ]


def test_channel_of_an_action_is_its_own_else_its_steps() -> None:
    bp = model(TWO_SEGMENTS)
    step = bp.steps[0]
    assert [channel_of(step, a) for a in step.frontstage] == [
        "in-person",
        "in-person",
        "in-person",
        "phone",
    ]
    assert channel_of(bp.steps[1], bp.steps[1].customer[0]) is None


def test_a_segment_with_standards_of_its_own_is_used() -> None:
    text = TWO_SEGMENTS.replace("  - {id: group, title: Tour group}\n", "  - Tour group\n")
    assert messages(text, "BP117") == ["segment 'tour-group' is named by no step"]


UNKNOWN = """\
blueprint: 1
channels: [Phone, Website]
regulations:
  - {id: gdpr, title: Consent for guest data}
metrics:
  - {id: csat, title: Guest satisfaction, target: 90, direction: up}
steps:
  - title: Check in
    channel: phnoe
    metrics: [cast, website]
    customer:
      - {text: Give details, channel: web-site, regulations: [gpdr, gdpr]}
"""


def test_unknown_channels_regulations_and_metrics_get_a_did_you_mean() -> None:
    assert messages(UNKNOWN, "BP006") == [
        "unknown channel 'phnoe' (did you mean 'phone'?)",
        "unknown metric 'cast' (did you mean 'csat'?)",
        "unknown metric 'website': 'website' is a channel, not a metric",
        "unknown channel 'web-site' (did you mean 'website'?)",
        "unknown regulation 'gpdr' (did you mean 'gdpr'?)",
    ]


def test_nothing_declared_is_said_so() -> None:
    text = "blueprint: 1\nsteps:\n  - {title: Call us, channel: phone}\n"
    assert messages(text, "BP006") == ["unknown channel 'phone' (no channels are declared)"]


@pytest.mark.parametrize(
    ("emotion", "message"),
    [
        ("-3", "'emotion.customer' in step 'x' must be from -2 to +2, not -3"),
        ("{staff: 5}", "'emotion.staff' in step 'x' must be from -2 to +2, not 5"),
        (
            '"-1"',
            "'emotion' in step 'x' must be a mapping or a whole number from -2 to +2, "
            "not text '-1'",
        ),
        ("{mood: 1}", "unknown key 'mood' in step 'x' (allowed: customer, staff)"),
    ],
)
def test_emotion_errors_say_the_range(emotion: str, message: str) -> None:
    checked = check_bytes(f"blueprint: 1\nsteps:\n  - title: x\n    emotion: {emotion}\n".encode())
    assert [p.message for p in checked.problems] == [message]


def test_emotion_as_a_number_is_the_customers() -> None:
    bp = model("blueprint: 1\nsteps:\n  - {title: x, emotion: -1}\n")
    assert bp.steps[0].emotion is not None
    assert (bp.steps[0].emotion.customer, bp.steps[0].emotion.staff) == (-1, None)


def test_a_step_metric_refers_to_a_blueprint_metric_or_is_its_own() -> None:
    bp = model(
        "blueprint: 1\nmetrics: [{id: csat, title: CSAT, target: 90, direction: up}]\n"
        "steps:\n  - title: x\n    metrics: [csat, {title: Time in queue, target: 3}]\n"
    )
    ref, own = bp.steps[0].metrics
    assert (ref.refers, ref.id, own.refers, own.id) == (True, "csat", False, "time-in-queue")
    assert ref.path == ("steps", 0, "metrics", 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "metrics: [{title: x, baseline: .nan}]",
            "'baseline' in metric 'x' must be a finite number, not .nan",
        ),
        (
            "metrics: [{title: x, target: '90'}]",
            "'target' in metric 'x' must be a whole number, not text '90' (write 90 without "
            "quotes)",
        ),
        (
            "segments: [{title: B, standards: 3m}]",
            "'standards' in segment 'B' must be a mapping, not text '3m'",
        ),
        (
            "segments: [{title: B, standards: {min_wait: 1m}}]",
            "unknown key 'min_wait' in segment 'B' (did you mean 'max_wait'?)",
        ),
        (
            "steps: [{title: x, metrics: [{unit: min}]}]",
            "metric #1: a metric needs a title, or the id of a blueprint metric",
        ),
        (
            "steps: [{title: x, metrics: [7]}]",
            "metric #1: an id is text, not the number 7: write it in quotes ('7')",
        ),
        (
            "steps: [{title: x, customer: [{text: a, regulations: gdpr}]}]",
            "'regulations' in customer action 'a' must be a list, not text 'gdpr'",
        ),
        (
            "steps: [{title: x, emotion: -1.5}]",
            "'emotion.customer' in step 'x' must be a whole number, not the number -1.5",
        ),
    ],
)
def test_hostile_values_of_the_new_fields_get_one_clear_line(text: str, message: str) -> None:
    checked = check_bytes(f"blueprint: 1\n{text}\n".encode())
    assert [p.message for p in checked.problems] == [message]
