"""The pydantic model: shorthands, durations, derived ids, paths, phases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from blueprint_cli.model import Blueprint, format_duration, parse_duration, slugify
from blueprint_cli.model.validation import check_bytes
from tests.conftest import dedent


def model(text: str) -> Blueprint:
    checked = check_bytes(dedent(text).encode())
    assert checked.problems == [], checked.problems
    assert checked.blueprint is not None
    return checked.blueprint


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("5m", 300),
        ("1h30m", 5400),
        ("2d", 172800),
        ("PT5M", 300),
        ("P1DT2H", 93600),
        ("1.5h", 5400),
        ("1h 30m", 5400),
        ("P1W", 604800),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5 minutes", "-1m", "1e309s", "", "P", "PT", "5", "m5"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_bare_number_duration_asks_for_a_unit() -> None:
    with pytest.raises(ValueError, match="needs a unit"):
        parse_duration(5)


@given(st.integers(min_value=0, max_value=10**7))
def test_format_duration_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_format_duration() -> None:
    assert format_duration(5400) == "1h30m"
    assert format_duration(0) == "0s"
    assert format_duration(math.inf) == "?"


def test_shorthand_items_and_derived_ids() -> None:
    bp = model(
        """
        blueprint: 1
        actors: [Front desk clerk]
        steps:
          - Arrive
          - title: Check in
            evidence: [Key card]
            customer: [Give details, Give details]
            frontstage:
              - {text: Register guest, actor: front-desk-clerk, wait: Queue}
        flows:
          - give-details -> register-guest
        """
    )
    assert [s.id for s in bp.steps] == ["arrive", "check-in"]
    assert [a.id for a in bp.steps[1].customer] == ["give-details", "give-details-2"]
    assert bp.actors[0].id == "front-desk-clerk"
    assert bp.steps[1].evidence[0].id == "key-card"
    assert bp.steps[1].frontstage[0].wait is not None
    assert bp.steps[1].frontstage[0].wait.text == "Queue"
    assert bp.flows[0].from_ == "give-details"


def test_derived_ids_avoid_explicit_ones_written_later() -> None:
    bp = model(
        """
        blueprint: 1
        steps:
          - title: Pay
          - {id: pay, title: Pay again}
        """
    )
    assert [s.id for s in bp.steps] == ["pay-2", "pay"]


def test_slugify() -> None:
    assert slugify("Café crème!", "x") == "cafe-creme"
    assert slugify("🙂🙂", "action") == "action"
    assert slugify("Приём гостя", "x") == "прием-гостя"  # other scripts keep their letters


def test_nodes_know_their_paths() -> None:
    bp = model(
        """
        blueprint: 1
        steps:
          - title: Check in
            customer:
              - Give details
              - text: Sign
                fail_points: [Pen missing]
        """
    )
    step = bp.steps[0]
    sign = step.customer[1]
    assert step.path == ("steps", 0)
    assert step.customer[0].path == ("steps", 0, "customer", 0)
    assert sign.fail_points[0].path == ("steps", 0, "customer", 1, "fail_points", 0)
    assert sign.lane == "customer"


def test_phase_carries_over_to_following_steps() -> None:
    bp = model(
        """
        blueprint: 1
        phases: [Before, During]
        steps:
          - {title: Book, phase: before}
          - Confirm
          - {title: Arrive, phase: during}
          - Leave
        """
    )
    assert [s.phase for s in bp.steps] == ["before", "before", "during", "during"]
    assert [s.phase_inherited for s in bp.steps] == [False, True, False, True]


def test_risk_and_implicit_customer_chain() -> None:
    bp = model(
        """
        blueprint: 1
        steps:
          - title: A
            customer: [a1, a2]
            frontstage:
              - text: f
                fail_points: [{text: x, severity: 8, occurrence: 3, detection: 4}, y]
          - title: B
            customer: [b1]
        """
    )
    risks = [fp.risk for _, _, fp in bp.fail_points()]
    assert risks == [96, None]
    chain = [(f.from_, f.to) for f in bp.all_flows() if f.implicit]
    assert chain == [("a1", "a2"), ("a2", "b1")]


SEGMENTED = """
    blueprint: 1
    segments: [Phone, Online, Walk-in]
    steps:
      - title: Need care
        customer: [{text: notice, duration: 1m}]
      - title: Book by phone
        segments: [phone]
        customer: [{text: call, duration: 5m}, {text: confirm, duration: 1m}]
      - title: Book online
        segments: [online]
        customer: [{text: pick, duration: 3m}]
      - title: At the practice
        customer: [{text: arrive, duration: 2m}]
      - title: Rebook online
        segments: [online]
        customer: [{text: rebook, duration: 1m}]
    """


def test_segments_are_alternatives_in_the_customer_chain() -> None:
    """Steps of disjoint segments are never chained; each segment's steps are, and a
    declared segment that no step names (walk-in) keeps the path through the steps for all."""
    bp = model(SEGMENTED)
    chain = [(f.from_, f.to) for f in bp.all_flows() if f.implicit]
    assert chain == [
        ("notice", "call"),
        ("call", "confirm"),
        ("notice", "pick"),
        ("notice", "arrive"),  # walk-in: neither phone nor online
        ("confirm", "arrive"),
        ("pick", "arrive"),
        ("arrive", "rebook"),
    ]
    assert ("confirm", "pick") not in chain


def test_segment_times_are_critical_paths_never_sums_of_alternatives() -> None:
    from blueprint_cli.analysis import journey_time, phase_times, segment_times

    bp = model(SEGMENTED)
    assert [(t.segment, t.seconds) for t in segment_times(bp)] == [
        ("Phone", 9 * 60),
        ("Online", 7 * 60),
        ("Walk-in", 3 * 60),
    ]
    assert journey_time(bp) == 9 * 60  # not 14m: nobody books by phone and online
    assert [t.seconds for t in phase_times(bp)] == [9 * 60]


def test_no_segments_one_chain() -> None:
    bp = model(SEGMENTED.replace("segments: [phone]", "").replace("segments: [online]", ""))
    from blueprint_cli.analysis import journey_time, segment_times

    chain = [(f.from_, f.to) for f in bp.all_flows() if f.implicit]
    assert chain == [
        ("notice", "call"),
        ("call", "confirm"),
        ("confirm", "pick"),
        ("pick", "arrive"),
        ("arrive", "rebook"),
    ]
    assert segment_times(bp) == []
    assert journey_time(bp) == 13 * 60


def test_numbers_in_text_fields_keep_their_written_form() -> None:
    bp = model("blueprint: 1\ntitle: 1.10\nsteps: [2024]\n")
    assert bp.title == "1.10"
    assert bp.steps[0].title == "2024"


def test_the_tree_table_is_the_model() -> None:
    """TREE lists every list of nodes of every model, in field order, so that what walks
    it (paths, derived ids, message names) cannot drift from the model."""
    import typing

    from blueprint_cli.model import TREE, nodes

    for cls in (nodes.Blueprint, nodes.Step, nodes.Action, nodes.FailPoint, nodes.Evidence):
        lists = []
        for name, info in cls.model_fields.items():
            args = typing.get_args(info.annotation)
            is_list = typing.get_origin(info.annotation) is list and args
            if is_list and isinstance(args[0], type) and issubclass(args[0], nodes.Node):
                lists.append((info.alias or name, args[0].__name__))
        assert tuple(lists) == TREE.get(cls.__name__, ()), cls.__name__


def test_copies_keep_their_slots() -> None:
    import copy

    bp = Blueprint.model_validate(
        {"blueprint": 1, "steps": [{"title": "A", "frontstage": ["Greet"]}]}
    )
    action = bp.steps[0].frontstage[0]
    for copied in (action.model_copy(), copy.copy(action), copy.deepcopy(action)):
        assert copied.path == ("steps", 0, "frontstage", 0)
        assert copied.lane == "frontstage"
    deep = bp.model_copy(deep=True)
    assert deep.steps[0].frontstage[0].path == ("steps", 0, "frontstage", 0)
    assert deep.steps[0].phase_inherited is False


def test_a_step_takes_its_longest_chain_in_whatever_lane_order_it_runs() -> None:
    """The kitchen cooks (backstage), then the waiter serves (frontstage): a chain that
    runs up the lanes counts in full; a cycle of flows is cut, each action counted once."""
    from blueprint_cli.analysis import flow_graph, step_time

    bp = model(
        """
        blueprint: 1
        steps:
          - title: Dinner
            customer:
              - {id: order, text: Order, duration: 1m}
              - {id: eat, text: Eat, duration: 20m}
            frontstage: [{id: serve, text: Serve, duration: 2m}]
            backstage: [{id: cook, text: Cook, duration: 15m}]
            support: [{id: count, text: Count stock, duration: 30m}]
        flows: [order -> cook, cook -> serve, serve -> eat, eat -> order]
        """
    )
    assert step_time(bp.steps[0], flow_graph(bp)) == 38 * 60  # not the 30m alone, not 68m
