"""One YAML fixture of named pass/fail cases per rule, in tests/rules/<rule-name>.yaml.

Each case lints its ``blueprint`` text with only that rule selected (plus any
``config`` keys of the case) and compares the [line, col] of the rule's findings with
``expect`` (an empty list for a passing case). An audit rule's fixture (BP2xx) has one
``blueprint`` for all its cases, and each case an ``observation`` of it, checked as
``blueprint audit check`` checks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from blueprint_cli.pipeline.check import lint_bytes
from blueprint_cli.rules import RULES
from tests.conftest import settings

FIXTURES = Path(__file__).parent / "rules"


def _cases() -> list[Any]:
    params = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in doc["cases"]:
            if "observation" in case:
                case = {**case, "blueprint": doc["blueprint"]}
            params.append(pytest.param(doc["rule"], case, id=f"{doc['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path) -> None:
    only = settings(code, **case.get("config", {}))
    if "observation" in case:
        from blueprint_cli.pipeline.audit import analyse_observation

        (tmp_path / ".git").mkdir()  # the project the blueprint must be in
        (tmp_path / "blueprint.yaml").write_text(case["blueprint"], encoding="utf-8")
        visit = tmp_path / "visit.yaml"
        visit.write_text(case["observation"], encoding="utf-8")
        raw = visit.read_bytes()
        findings = analyse_observation("visit.yaml", str(visit), raw, only).findings
    else:
        findings = lint_bytes("case.yaml", case["blueprint"].encode(), only)
    got = [[f.line, f.col] for f in findings if f.code == code]
    assert got == case["expect"], [f"{f.line}:{f.col} {f.code} {f.message}" for f in findings]


def test_every_rule_has_a_fixture_with_passing_and_failing_cases() -> None:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(FIXTURES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == RULES[doc["rule"]].name, f"{path.name} should be named by its rule"
        by_rule[doc["rule"]] = doc["cases"]
    assert sorted(by_rule) == sorted(RULES)
    for code, cases in by_rule.items():
        assert any(c["expect"] for c in cases), f"{code}: no failing case"
        assert any(not c["expect"] for c in cases), f"{code}: no passing case"


def test_customer_skips_frontstage_says_the_direction_and_the_lines_crossed() -> None:
    from blueprint_cli.pipeline.check import lint_bytes

    text = (
        "blueprint: 1\nsteps:\n  - title: Order\n    customer: [{id: order, text: Order}]\n"
        "    support: [{id: charge, text: Charge}]\n    backstage: [{id: cook, text: Cook}]\n"
        "flows: [cook -> order, order -> charge]\n"
    )
    messages = [f.message for f in lint_bytes("x.yaml", text.encode()) if f.code == "BP106"]
    assert messages == [
        "flow 'cook' -> 'order' goes straight from a backstage action to a customer action: "
        "it crosses the lines of interaction and visibility without the frontstage",
        "flow 'order' -> 'charge' goes straight from a customer action to a support action: "
        "it crosses the lines of interaction, visibility and internal interaction without "
        "the frontstage",
    ]


def test_did_you_mean_knows_texts_and_titles_and_never_suggests_a_loop() -> None:
    from blueprint_cli.pipeline.check import lint_bytes

    text = (
        "blueprint: 1\nphases: [{id: visit, title: At the practice}]\nsteps:\n"
        "  - title: Arrive\n    phase: at-the-practice\n"
        "    customer: [{id: check-in, text: Check in}]\n"
        "    frontstage: [{id: greet, text: Greet and check in}]\n"
        "flows: [check-in -> greet-and-check-in, check-in -> check-inn]\n"
    )
    messages = [f.message for f in lint_bytes("x.yaml", text.encode()) if f.code == "BP006"]
    assert messages == [
        "unknown phase 'at-the-practice' (did you mean 'visit'?)",  # its title
        "unknown action 'greet-and-check-in' (did you mean 'greet'?)",  # its text
        "unknown action 'check-inn'",  # 'check-in' is the other end: a loop
    ]


def test_replaced_codes_and_names_still_select_ignore_and_suppress() -> None:
    from typer.testing import CliRunner

    from blueprint_cli.cli import app
    from blueprint_cli.rules import lookup

    assert lookup("BP102") is lookup("fail-point-without-recovery") is lookup("BP119")
    text = (
        "blueprint: 1\nsteps:\n  - title: Pay\n    frontstage:\n      - text: Charge\n"
        "        fail_points: [Declined]\n"
    )
    assert "BP119" in [f.code for f in lint_bytes("x.yaml", text.encode(), settings("BP103"))]
    suppressed = text.replace("[Declined]", "[Declined]  # blueprint: ignore[BP105]")
    assert "BP119" not in [f.code for f in lint_bytes("x.yaml", suppressed.encode())]
    ignored = settings("ALL", ignore=["unscored-fail-point"])
    assert "BP119" not in [f.code for f in lint_bytes("x.yaml", text.encode(), ignored)]
    result = CliRunner().invoke(app, ["rules", "BP102"])
    assert result.exit_code == 0 and result.stdout.startswith("BP119 incomplete-fail-point")
    assert "BP102 is now part of BP119" in result.stderr


def test_no_actors_and_no_flows_are_one_finding_each_for_the_file() -> None:
    staff = "\n".join(f"      - Do task {i}" for i in range(30))
    text = (
        f"blueprint: 1\nsteps:\n  - title: Serve\n    customer: [Order]\n    backstage:\n{staff}\n"
    )
    findings = lint_bytes("x.yaml", text.encode())
    messages = {f.code: f.message for f in findings if f.code in {"BP112", "BP118", "BP109"}}
    assert messages == {
        "BP112": "no actors declared: 30 frontstage and backstage actions have no owner "
        "(declare the roles under 'actors' and name one on each action)",
        "BP118": "no flows: 31 actions are on no flow; the map shows tasks, not what "
        "triggers them or what they feed",
    }
    assert len(findings) <= 6, [f.message for f in findings]


def test_did_you_mean_knows_the_audit_span_and_ids_written_in_other_words() -> None:
    text = (
        "blueprint: 1\nphases: [pre-visit, visit, {id: post, title: Afterwards}]\nsteps:\n"
        "  - title: Arrive\n    phase: pre-visit\n    customer: [{id: ask, text: Ask}]\n"
        "    frontstage: [{id: issues-refund-to-original-payment-method, text: Refund}]\n"
        "  - {title: Follow up, phase: after-visit}\n"
        "flows: [ask -> refund-issued-to-card, ask -> card-refund-paid]\n"
    )
    messages = [f.message for f in lint_bytes("x.yaml", text.encode()) if f.code == "BP006"]
    assert messages == [
        "unknown phase 'after-visit' (did you mean 'post'?)",  # not 'pre-visit'
        "unknown action 'refund-issued-to-card' "
        "(did you mean 'issues-refund-to-original-payment-method'?)",
        "unknown action 'card-refund-paid'",  # one word shared of three: no guess
    ]


def test_customer_to_self_service_system_gets_the_frontstage_hint() -> None:
    text = (
        "blueprint: 1\nactors: [{id: web, title: Booking website, kind: system}]\nsteps:\n"
        "  - title: Book\n    customer: [{id: book, text: Book a room}, {id: tap, text: Tap}]\n"
        "    support:\n      - {id: take, text: Take the booking, actor: web}\n"
        "      - {id: open, text: Open the door via the app}\n"
        "      - {id: pms, text: Update the PMS}\n"
        "flows: [book -> take, tap -> open, tap -> pms]\n"
    )
    messages = [f.message for f in lint_bytes("x.yaml", text.encode()) if f.code == "BP106"]
    tail = "is self-service technology the customer uses, model it as frontstage technology"
    assert [m.partition("; if ")[2] for m in messages] == [
        f"'Booking website' {tail}",
        f"'Open the door via the app' {tail}",
        "",
    ]


def _messages(code: str, text: str) -> list[str]:
    from tests.conftest import dedent

    return [f.message for f in lint_bytes("x.yaml", dedent(text).encode()) if f.code == code]


def test_duration_as_text_suggests_what_the_format_suggests() -> None:
    text = """
        blueprint: 1
        steps:
          - title: Check in
            customer:
              - text: Queue
                duration: 5 min
                wait: 10 min
              - text: Wait for the key
                wait: 5-10 mins
        """
    assert _messages("BP009", text) == [
        "wait '10 min' is not a duration (did you mean 10m?): it is read as the wait's "
        "description, and the wait has no expected time",
        "wait '5-10 mins' is not a duration (did you mean 10m (the top of the range)?): it is "
        "read as the wait's description, and the wait has no expected time",
    ]
    assert _messages("BP003", text) == [
        "'duration' in customer action 'Queue': invalid duration '5 min': did you mean 5m?"
    ]


def test_step_out_of_phase_order_names_the_step_its_phase_and_the_one_before() -> None:
    text = """
        blueprint: 1
        phases: [Before, Visit, Follow-up]
        steps:
          - {title: Drop off the car, phase: visit}
          - {title: Follow-up call, phase: follow-up}
          - {title: Collect the car, phase: visit}
        """
    assert _messages("BP120", text) == [
        "step 'Collect the car' in phase 'Visit' is written after step 'Follow-up call' in "
        "'Follow-up', a later phase: the journey goes back in time"
    ]


def test_empty_lane_says_what_the_blueprint_does_not_show() -> None:
    text = """
        blueprint: 1
        steps:
          - {title: Book a table, customer: [Phone]}
          - {title: Arrive, customer: [Arrive]}
          - {title: Order, customer: [Order], backstage: [Cook]}
          - {title: Eat, customer: [Eat]}
          - {title: Pay, customer: [Pay]}
          - {title: Leave, customer: [Leave]}
        """
    assert _messages("BP121", text) == [
        "no frontstage action in any of the 6 steps: the blueprint does not show what staff "
        "do in front of the customer"
    ]


def test_no_visible_contact_names_the_step_and_the_back_office_work() -> None:
    text = """
        blueprint: 1
        steps:
          - title: Reserve by phone
            customer: [Call the restaurant]
            backstage: [Note the booking in the diary]
        """
    assert _messages("BP122", text) == [
        "step 'Reserve by phone': the customer reaches the back office (backstage 'Note the "
        "booking in the diary') with nobody visibly in contact: no frontstage action in the "
        "step, and no flow to or from one in another step"
    ]


def test_step_without_phase_counts_the_steps_in_no_phase() -> None:
    text = """
        blueprint: 1
        phases: [Before, During]
        steps:
          - {title: Find us}
          - {title: Book a table}
          - {title: Eat, phase: during}
        """
    assert _messages("BP123", text) == [
        "the 2 steps from 'Find us' to 'Book a table' come before the first 'phase:' and "
        "belong to no phase: give step 'Find us' a phase"
    ]


def test_self_loop_and_duplicate_flow_name_the_flow() -> None:
    text = """
        blueprint: 1
        steps:
          - title: Order
            customer: [{id: order, text: Order food}]
            frontstage: [{id: take, text: Take the order}]
        flows:
          - order -> take
          - {from: order, to: take, label: the order}
          - take -> take
        """
    assert _messages("BP124", text) == [
        "flow 'take' -> 'take' goes from frontstage action 'Take the order' back to itself: "
        "a typo for another action?"
    ]
    assert _messages("BP125", text) == [
        "flow 'order' -> 'take' is already written at line 7, here with the label "
        "'the order': move it to the first"
    ]


def test_risk_hotspot_gives_the_share_of_the_fail_points_and_of_the_risk() -> None:
    text = """
        blueprint: 1
        steps:
          - title: Check out
            frontstage:
              - text: Print the bill
                fail_points:
                  - {text: Minibar charged wrongly, severity: 6, occurrence: 5, detection: 4}
                  - {text: Bill not ready, severity: 4, occurrence: 5, detection: 2}
                  - {text: Card declined, severity: 5, occurrence: 2, detection: 2}
          - title: Leave
            frontstage:
              - text: Call a taxi
                fail_points:
                  - {text: Taxi late, severity: 10, occurrence: 10, detection: 10}
        """
    assert _messages("BP126", text) == [
        "step 'Check out' holds 3 of 4 fail points (15% of the total risk 1,180): "
        "much can go wrong in one step"
    ]
    text = text.replace(
        "severity: 10, occurrence: 10, detection: 10", "severity: 2, occurrence: 2, detection: 2"
    )
    assert _messages("BP126", text) == [
        "step 'Check out' holds 3 of 4 fail points (96% of the total risk 188): work on it first"
    ]


def test_no_fail_points_counts_the_steps() -> None:
    assert _messages("BP127", "blueprint: 1\nsteps: [Book, Eat]\n") == [
        "no fail points in the 2 steps: a review names where the service can go wrong"
    ]
    assert _messages("BP127", "blueprint: 1\nsteps: [Book]\n") == [
        "no fail points in its one step: a review names where the service can go wrong"
    ]


def test_recovery_repeats_prevention_quotes_the_prevention() -> None:
    text = """
        blueprint: 1
        steps:
          - title: Order
            frontstage:
              - text: Take the order
                fail_points:
                  - text: Wrong dish
                    prevention: Read the order back
                    recovery: read the order back.
        """
    assert _messages("BP128", text) == [
        "fail point 'Wrong dish': its recovery repeats its prevention ('Read the order "
        "back'): prevention stops it happening, recovery is what staff do when it happens "
        "anyway"
    ]
