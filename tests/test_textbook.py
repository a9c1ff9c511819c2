"""Shostack's corner shoeshine (HBR 1984), transcribed: the review a designer would give."""

from __future__ import annotations

from blueprint_cli.pipeline.check import lint_bytes
from tests.conftest import EXAMPLES

SHOESHINE = EXAMPLES / "textbook" / "shoeshine.yaml"


def test_shoeshine_review() -> None:
    findings = lint_bytes("shoeshine.yaml", SHOESHINE.read_bytes())
    got = sorted((f.code, f.line) for f in findings)
    expected = sorted(
        [
            # no physical evidence at any of the four customer steps: said once
            ("BP101", 25),
            # fail points, one line each naming all it lacks: two without prevention,
            # all three without recovery
            ("BP119", 44),
            ("BP119", 49),
            ("BP119", 74),
            # only the shine itself: nothing before or after the visit
            ("BP114", 16),
            # suggestions: scripts for the shoeshiner (none has one: said once), support
            # behind three actions
            ("BP113", 25),
            ("BP109", 32),
            ("BP109", 61),
            ("BP109", 68),
            # two of the three fail points, and most of the risk, are in applying polish
            ("BP126", 34),
        ]
    )
    assert got == expected
    # what it does well is left alone: owners, execution times, scores, customer flows
    codes = {f.code for f in findings}
    assert not codes & {"BP104", "BP106", "BP107", "BP108", "BP112", "BP118"}
    messages = {f.line: f.message for f in findings if f.code == "BP119"}
    assert messages == {
        44: "fail point 'Wrong colour polish applied' has no prevention and no recovery",
        49: "fail point 'Polish soils the customer's socks' has no recovery",
        74: "fail point 'Polish or cloth runs out' has no prevention and no recovery",
    }
    assert not [f for f in findings if f.severity.label == "error"]
