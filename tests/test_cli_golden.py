"""Golden output of the command line: stdout, stderr and the exit code of each command
on the examples and on two small inputs (one broken, one weak). They prove that a change
of the code's shape changes no byte of behaviour; `make golden` regenerates them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "cli"
INPUTS = "tests/golden/inputs"

COMMANDS = [
    "lint examples/",
    f"lint {INPUTS}/",
    f"lint {INPUTS}/ --format json",
    f"lint {INPUTS}/ --format sarif",
    f"lint {INPUTS}/ --format github",
    f"lint {INPUTS}/ --format junit",
    f"lint {INPUTS}/ --format gitlab",
    f"lint {INPUTS}/ --statistics",
    f"lint {INPUTS}/ --select BP1 --fail-on warning --quiet",
    f"lint {INPUTS}/weak.yaml --ignore BP104,isolated-action",
    "lint missing.yaml examples/hotel.yaml",
    f"lint missing.yaml {INPUTS}/weak.yaml --format junit",
    "show examples/hotel.yaml --format text",
    "show examples/garage.yaml --format json",
    f"show {INPUTS}/broken.yaml",
    f"show {INPUTS}/weak.yaml --format text",
    "failpoints examples/ --format text",
    "failpoints examples/ --format csv",
    "failpoints examples/ --format json --min-risk 100",
    "failpoints examples/ --format markdown --sort step --limit 5",
    f"failpoints {INPUTS}/ --format text --missing recovery",
    "failpoints examples/hotel.yaml --format text --phase visit",
    "render examples/hotel.yaml -o - --format dot --phase visit",
    "render examples/hotel.yaml -o - --format dot --rows emotion,metrics,regulations "
    "--segment business",
    f"render {INPUTS}/broken.yaml -o - --format dot",
    "rules",
    "rules BP104",
]


def _slug(command: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", command.lower()).strip("-")


def run(command: str) -> str:
    # CI reports name files from the project root: this repository, wherever it is checked out
    env = {"COLUMNS": "100", "CI_PROJECT_DIR": str(ROOT)}
    result = CliRunner().invoke(app, command.split(), env=env)
    return (
        f"$ blueprint {command}\nexit: {result.exit_code}\n"
        f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    )


def write_golden() -> None:
    import os

    os.chdir(ROOT)
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.txt"):
        old.unlink()
    for command in COMMANDS:
        (GOLDEN / f"{_slug(command)}.txt").write_text(run(command), encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_golden(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    golden = GOLDEN / f"{_slug(command)}.txt"
    assert golden.exists(), "run `make golden`"
    assert run(command) == golden.read_text(encoding="utf-8"), "output changed: `make golden`"
