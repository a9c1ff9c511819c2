"""Hostile input, round two: every cost bounded. Aliases are bounded in text as well as
in nodes, messages never repeat a long value, limits have sane maxima, reads are
bounded, and durations are finite."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.pipeline.check import lint_bytes

runner = CliRunner()
BIG = "x" * 1_000_000


def test_a_large_scalar_aliased_many_times_is_stopped_at_once() -> None:
    text = (
        "blueprint: 1\nsteps:\n  - title: &a "
        + BIG
        + "\n    customer: [Pay]\n"
        + "".join("  - {title: *a, customer: [{text: B, duration: *a}]}\n" for _ in range(3000))
    )
    findings = lint_bytes("x", text.encode())
    assert [f.code for f in findings] == ["BP001"]
    assert "aliases expand to more than 5 MiB of text" in findings[0].message
    assert findings[0].line == 7  # the sixth alias of 1 MB crosses 5 MiB


def test_a_few_aliases_of_long_text_are_fine() -> None:
    text = "blueprint: 1\nsteps:\n  - title: &a " + "y" * 1000 + "\n    customer: [Pay]\n"
    text += "".join("  - {title: *a, customer: [Pay]}\n" for _ in range(10))
    assert "BP001" not in {f.code for f in lint_bytes("x", text.encode())}


@pytest.mark.parametrize(
    "text",
    [
        "blueprint: 1\nsteps:\n  - {title: A, customer: [{text: B, duration: '" + BIG + "'}]}\n",
        "blueprint: 1\nsteps:\n  - {title: A, customer: [B]}\nflows: ['" + BIG + "']\n",
        "# blueprint: ignore-file[" + "z" * 100_000 + "]\nblueprint: 1\nsteps: [{title: A}]\n",
    ],
)
def test_messages_never_repeat_a_long_value(text: str) -> None:
    findings = lint_bytes("x", text.encode())
    assert findings
    assert all(len(f.message) < 1000 for f in findings), [len(f.message) for f in findings]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999999999d", "longer than ten years"),
        ("P" + "9" * 302 + "W", "longer than ten years"),
    ],
)
def test_durations_are_finite_and_sane(value: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        f"blueprint: 1\nsteps:\n  - {{title: A, customer: [{{text: B, duration: '{value}'}}]}}\n"
    )
    findings = lint_bytes("x", path.read_bytes())
    assert any(message in f.message for f in findings)
    result = runner.invoke(app, ["show", str(path), "--format", "json"])
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
