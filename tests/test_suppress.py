"""Suppression comments on a line and for the whole file, and unused ones reported."""

from __future__ import annotations

from blueprint_cli.pipeline.check import lint_bytes
from tests.conftest import dedent, settings

TEXT = """
# blueprint: ignore-file[BP113]
blueprint: 1
actors: [Clerk]
steps:
  - title: Check in  # blueprint: ignore[BP101]
    customer: [Give name]
  - title: Pay
    customer: [Pay]
    frontstage: [{text: Take payment, actor: clerk}]
"""


def run(text: str, *select: str) -> list[tuple[str, int, int]]:
    only = settings(*(select or ("BP008", "BP101", "BP113")))
    return [(f.code, f.line, f.col) for f in lint_bytes("s.yaml", dedent(text).encode(), only)]


def test_line_and_file_suppressions() -> None:
    # BP101 on line 5 is suppressed, on line 7 it is not; BP113 is suppressed file-wide.
    assert run(TEXT) == [("BP101", 7, 5)]


def test_unused_suppressions_are_reported() -> None:
    text = TEXT.replace("ignore-file[BP113]", "ignore-file[BP113, BP118]").replace(
        "title: Pay", "title: Pay  # blueprint: ignore[missing-evidence, BP999]"
    )
    # missing-evidence is used on line 7; BP999 is unknown; BP118 is not selected, so its
    # unused suppression is not reported
    assert run(text) == [("BP008", 7, 17)]
    messages = [
        f.message for f in lint_bytes("s", dedent(text).encode(), settings("BP008", "BP101"))
    ]
    assert "unknown rule 'BP999' in 'ignore'" in messages


def test_bare_ignore_suppresses_everything_on_its_line() -> None:
    assert run(TEXT.replace("ignore[BP101]", "ignore")) == [("BP101", 7, 5)]
    assert run("blueprint: 1  # blueprint: ignore\n") == [("BP008", 1, 15)]


def test_ignore_file_below_the_top_is_not_honoured() -> None:
    text = "blueprint: 1\n# blueprint: ignore-file[BP101]\nsteps: [{title: A, customer: [a]}]\n"
    assert run(text) == [("BP008", 2, 1), ("BP101", 3, 9)]


def test_directive_inside_text_needs_whitespace_before_the_hash() -> None:
    assert run("blueprint: 1\ntitle: a#blueprint: ignore\n") == []
