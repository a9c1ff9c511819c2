"""Schema problems: code, position and a message written for the author."""

from __future__ import annotations

import os
import subprocess
import sys

from blueprint_cli.model.validation import check_bytes
from blueprint_cli.pipeline.check import lint_bytes
from tests.conftest import FORMAT, codes_at, dedent


def messages(text: str) -> list[str]:
    return [
        f"{f.line}:{f.col} {f.code} {f.message}"
        for f in lint_bytes("t", dedent(text).encode(), FORMAT)
    ]


def test_issue_example_three_findings() -> None:
    """A misspelt key, a dangling flow end and a duplicate id: three findings, exit 1."""
    text = dedent(
        """
        blueprint: 1
        steps:
          - id: check-in
            title: Check in
            evidance: [Front desk]
            customer:
              - {id: give-details, text: Give details}
            frontstage:
              - {id: register, text: Register guest}
              - {id: give-details, text: Check details}
        flows:
          - give-details -> registr
        """
    )
    assert codes_at(text) == [("BP002", 5, 5), ("BP005", 10, 14), ("BP006", 12, 5)]
    out = messages(text)
    assert "unknown key 'evidance' in step 'check-in' (did you mean 'evidence'?)" in out[0]
    assert "duplicate id 'give-details': already used by the action at line 7" in out[1]
    assert "unknown action 'registr' (did you mean 'register'?)" in out[2]


def test_empty_file_and_wrong_top_level() -> None:
    assert codes_at("") == [("BP003", 1, 1)]
    assert codes_at("# only a comment\n") == [("BP003", 1, 1)]
    assert codes_at("- a\n- b\n") == [("BP003", 1, 1)]
    assert "not a list" in messages("- a\n")[0]
    assert "not text or a number" in messages("hello\n")[0]
    assert "hello" not in messages("hello\n")[0]  # the content of a non-blueprint: never quoted


def test_version_missing_or_unsupported() -> None:
    assert "missing key 'blueprint'" in messages("title: x\n")[0]
    assert "unsupported format version the number 2" in messages("blueprint: 2\n")[0]
    assert codes_at("blueprint: 2\n") == [("BP003", 1, 12)]


def test_type_errors_point_at_the_value() -> None:
    text = """
        blueprint: 1
        title: [a, b]
        steps:
          - title: Check in
            frontstage:
              - text: Register
                duration: 5
                fail_points:
                  - {text: x, severity: 0, occurrence: "a lot"}
        """
    out = messages(text)
    assert out == [
        "2:8 BP003 'title' must be text, not a list",
        "7:19 BP003 'duration' in frontstage action 'Register': a duration needs a unit, "
        "e.g. 5m or 5s",
        "9:33 BP003 'severity' in fail point 'x' must be from 1 to 10, not 0",
        "9:48 BP003 'occurrence' in fail point 'x' must be a whole number, not text 'a lot'",
    ]


def test_boolean_where_text_is_expected() -> None:
    out = messages("blueprint: 1\ntitle: true\n")
    assert out == [
        "2:8 BP003 'title' must be text, not the boolean true (put it in quotes to make it text)"
    ]


def test_yaml11_boolean_title_is_text_with_a_warning() -> None:
    assert codes_at("blueprint: 1\ntitle: no\n") == [("BP007", 2, 8)]


def test_bad_items_and_ids() -> None:
    text = """
        blueprint: 1
        steps:
          - [a, b]
          - {id: a b, title: T}
        flows:
          - a => b
        """
    assert messages(text) == [
        "3:5 BP003 step #1 must be a mapping or text, not a list",
        "4:10 BP003 'id' in step 'a b': 'a b' is not a valid id (use letters, digits, '-', "
        "'_', '.'; no spaces; start with a letter or digit): did you mean 'a-b'?",
        "6:5 BP003 flow #1: a flow is written 'from -> to', not 'a => b'",
    ]


def test_missing_required_key_points_at_the_mapping() -> None:
    assert messages("blueprint: 1\nsteps:\n  - {id: x}\n") == [
        "3:5 BP003 missing key 'title' in step 'x'"
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_ones() -> None:
    [out] = messages("blueprint: 1\nlanes: {xyz: Q}\n")
    assert "unknown key 'xyz'" in out
    assert "allowed: evidence, customer, frontstage, backstage, support" in out


def test_recovery_keeps_checking_the_valid_parts() -> None:
    """Bad parts are pruned, so references elsewhere are still checked."""
    text = """
        blueprint: 1
        actors: [Clerk]
        steps:
          - title: Broken
            customer: 5
          - title: Fine
            frontstage:
              - {text: Do it, actor: clerc}
        """
    assert codes_at(text) == [("BP003", 5, 15), ("BP006", 8, 30)]


def test_after_pruning_list_items_every_node_keeps_its_position() -> None:
    """Items removed from lists (at two depths, over two rounds) do not shift the
    positions of the items after them: findings and node paths point at the file."""
    text = dedent(
        """
        blueprint: 1
        actors: [Clerk]
        steps:
          - {id: no-title}
          - title: Fine
            customer:
              - {text: [Broken]}
              - {text: Kept, actor: clerc}
            frontstage:
              - {text: Serve, actor: clerk}
          - title: Last
            customer: [Pay]
        """
    )
    checked = check_bytes(text.encode())
    assert [(p.code, p.span.line) for p in checked.problems] == [("BP003", 4), ("BP003", 7)]
    assert checked.blueprint is not None
    where = {
        node.text: (node.path, checked.source.value(node.path).line)
        for node in checked.blueprint.actions()
    }
    assert where == {
        "Kept": (("steps", 1, "customer", 1), 8),
        "Serve": (("steps", 1, "frontstage", 0), 10),
        "Pay": (("steps", 2, "customer", 0), 12),
    }
    assert [s.path for s in checked.blueprint.steps] == [("steps", 1), ("steps", 2)]
    assert codes_at(text) == [("BP003", 4, 5), ("BP003", 7, 16), ("BP006", 8, 29)]


def test_references_of_the_wrong_kind() -> None:
    text = """
        blueprint: 1
        phases: [Visit]
        segments: [Business]
        steps:
          - id: s1
            title: S
            phase: business
            segments: [visit]
            customer: [{id: c, text: C}]
        flows:
          - c -> s1
        """
    out = messages(text)
    assert "unknown phase 'business': 'business' is a segment, not a phase" in out[0]
    assert "unknown segment 'visit': 'visit' is a phase, not a segment" in out[1]
    assert "unknown action 's1': 's1' is a step, not an action" in out[2]


def test_comma_in_flow_mapping_gets_a_hint() -> None:
    [out] = messages("blueprint: 1\nsteps:\n  - {title: Fuel, clean and check car}\n")
    assert out.startswith("3:19 BP002 unknown key 'clean and check car'")
    assert "put text with commas in quotes" in out


def test_recovery_removes_the_items_that_failed_whatever_the_error_order() -> None:
    """Two items of one list failing on the same key: both go, the valid one after them
    stays. The errors come as a set, so the result once depended on the hash seed."""
    text = dedent(
        """
        blueprint: 1
        steps:
          - title: S
            customer: [{text: []}, {text: []}, Pay]
        """
    )
    script = (
        "import sys; from blueprint_cli.model.validation import check_bytes; "
        "bp = check_bytes(sys.stdin.buffer.read()).blueprint; "
        "print([a.text for a in bp.actions()], [a.path for a in bp.actions()])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            input=text.encode(),
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert outputs == {b"['Pay'] [('steps', 0, 'customer', 2)]\n"}


def test_recovery_keeps_a_valid_key_of_the_next_item() -> None:
    text = """
        blueprint: 1
        phases: [P]
        steps:
          - {customer: [x]}
          - {title: B, phase: [bad]}
          - {title: C, phase: p, customer: [Pay]}
        """
    codes = [f.code for f in lint_bytes("t", dedent(text).encode())]  # every rule
    assert "BP003" in codes
    assert "BP115" not in codes  # phase 'p' has step C


def test_a_node_reached_through_an_alias_is_reported_at_the_alias() -> None:
    text = """
        blueprint: 1
        steps:
          - &s
            id: a
            title: A
            customer: [Greet]
          - *s
        """
    found = codes_at(text)
    assert ("BP005", 7, 5) in found  # the second 'a' is the alias, not the anchor again


def test_booleans_are_not_numbers() -> None:
    """`blueprint: true` and `severity: true` were read as 1, which the schema rejects."""
    from blueprint_cli.pipeline.check import lint_bytes

    raw = (
        b"blueprint: true\nsteps:\n  - title: A\n    customer:\n      - text: X\n"
        b"        fail_points: [{text: F, severity: true, occurrence: 3, detection: 2}]\n"
    )
    found = [(f.code, f.line, f.col) for f in lint_bytes("b.yaml", raw) if f.code < "BP100"]
    assert found == [("BP003", 1, 12), ("BP003", 6, 43)]
