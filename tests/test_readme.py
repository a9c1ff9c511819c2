"""The README's console examples are real runs: they must stay true."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n\$ blueprint (lint [^\n]+)\n(.*?)```", README, re.DOTALL)


def test_readme_has_lint_examples() -> None:
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize(("command", "output"), BLOCKS, ids=[b[0] for b in BLOCKS])
def test_readme_lint_output_is_real(command: str, output: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, command.split())
    assert result.output == output


def test_the_readme_picture_is_drawn_from_the_example_as_it_is(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """docs/dental.svg, the picture the README shows, is what render draws today."""
    from typer.testing import CliRunner

    from blueprint_cli.cli import app

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app, ["render", "examples/dental.yaml", "-o", "docs/dental.svg", "--check"]
    )
    assert result.exit_code == 0, result.stderr
