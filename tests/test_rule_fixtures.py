"""One YAML fixture of named pass/fail cases per rule, in tests/rules/<rule-name>.yaml.

Each case lints its ``blueprint`` text with only that rule selected (plus any
``config`` keys of the case) and compares the [line, col] of the rule's findings with
``expect`` (an empty list for a passing case).
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
            params.append(pytest.param(doc["rule"], case, id=f"{doc['rule']}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_rule_case(code: str, case: dict[str, Any]) -> None:
    only = settings(code, **case.get("config", {}))
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
