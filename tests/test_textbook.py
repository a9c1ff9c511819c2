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
            # no physical evidence at any of the four customer steps
            ("BP101", 26),
            ("BP101", 34),
            ("BP101", 56),
            ("BP101", 63),
            # fail points: two without prevention, all three without recovery
            ("BP102", 44),
            ("BP102", 74),
            ("BP103", 44),
            ("BP103", 49),
            ("BP103", 74),
            # only the shine itself: nothing before or after the visit
            ("BP114", 16),
            # suggestions: scripts for the shoeshiner, support behind three actions
            ("BP113", 32),
            ("BP113", 39),
            ("BP113", 61),
            ("BP113", 68),
            ("BP109", 32),
            ("BP109", 61),
            ("BP109", 68),
        ]
    )
    assert got == expected
    # what it does well is left alone: owners, execution times, scores, customer flows
    codes = {f.code for f in findings}
    assert not codes & {"BP104", "BP105", "BP106", "BP107", "BP108", "BP112", "BP118"}
    assert not [f for f in findings if f.severity.label == "error"]
