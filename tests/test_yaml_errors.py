"""libyaml's syntax errors in a consultant's words, at the line to look at (BP001)."""

from __future__ import annotations

import pytest

from blueprint_cli.pipeline.check import lint_bytes

HEAD = "blueprint: 1\nsteps:\n  - title: Check in\n    customer: [Give name]\n"

CASES = [
    (
        "blueprint: 1\ntitle: @home\n",
        (2, 8),
        "'@' cannot start a value in YAML: put the whole value in quotes",
    ),
    (
        HEAD + "   - title: Pay\n",
        (5, 4),
        "this line is indented differently from the list above it (3 spaces here, 2 spaces "
        "for the list's items at line 3)",
    ),
    (
        HEAD + "      frontstage: [Register guest]\n",
        (5, 7),
        "'frontstage' is indented further than the keys above it (6 spaces here, 4 spaces "
        "at line 3): indented too far?",
    ),
    (
        "blueprint: 1\ntitle: Hotel: the stay\n",
        (2, 13),
        "a ': ' inside a value: put the whole value in quotes (\"Hotel: the stay\")",
    ),
    (
        HEAD + "    frontstage:\n      - text: Greet: smile  # warmly\n",
        (6, 20),
        "a ': ' inside a value: put the whole value in quotes (\"Greet: smile\")",
    ),
    (
        "blueprint: 1\ntitle: Hotel\n  description: A stay\n",
        (3, 3),
        "'description' is indented further than the line above it: indented too far?",
    ),
    (
        'blueprint: 1\ntitle: "Hotel\nsteps: []\n',
        (2, 8),
        "the quote opened at line 2, column 8 is never closed",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), CASES)
def test_syntax_error_in_words(text: str, where: tuple[int, int], message: str) -> None:
    findings = [f for f in lint_bytes("t.yaml", text.encode()) if f.code == "BP001"]
    assert [((f.line, f.col), f.message) for f in findings] == [(where, message)]


def test_an_unrecognised_error_keeps_libyaml_words() -> None:
    findings = lint_bytes("t.yaml", b"blueprint: 1\ntitle: [a, b\n")
    assert [f.code for f in findings] == ["BP001"]
    assert findings[0].message.startswith("invalid YAML: ")
