"""One pipeline under every command: the same files, settings, filters and outcome for
lint, render, show and failpoints; and a command line that follows the conventions."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli import cli
from blueprint_cli.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.yaml").write_text("not: [a blueprint\n")
    (tmp_path / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nexclude = ["drafts/*"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "."],
        ["failpoints", ".", "--format", "text"],
        ["render", ".", "--format", "dot", "-o", "out/"],
    ],
)
def test_every_command_honours_the_configuration_exclude(project: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "drafts" not in result.output


@pytest.mark.parametrize("command", ["failpoints", "render"])
def test_an_unknown_phase_is_a_usage_error_everywhere(project: Path, command: str) -> None:
    result = runner.invoke(app, [command, "hotel.yaml", "--phase", "visti", "--format", "text"])
    if command == "render":
        result = runner.invoke(app, [command, "hotel.yaml", "--phase", "visti", "-f", "dot"])
    assert result.exit_code == 2
    assert "--phase: no phase 'visti' (did you mean 'visit'?" in result.stderr
    assert result.stdout == ""  # no empty register that looks like success


def test_a_phase_known_to_some_files_of_a_folder_is_fine(project: Path) -> None:
    (project / "garage.yaml").write_bytes((EXAMPLES / "garage.yaml").read_bytes())
    (project / "other.yaml").write_text("blueprint: 1\nsteps:\n  - {title: A, customer: [B]}\n")
    result = runner.invoke(app, ["failpoints", ".", "--phase", "visit", "-f", "text"])
    assert result.exit_code == 0, result.output


def test_an_unknown_segment_in_failpoints(project: Path) -> None:
    result = runner.invoke(app, ["failpoints", "hotel.yaml", "--segment", "busines"])
    assert result.exit_code == 2
    assert "no segment 'busines' (did you mean 'business'?" in result.stderr


def test_failpoints_segment_filter(project: Path) -> None:
    every = runner.invoke(app, ["failpoints", "hotel.yaml", "-f", "text"]).stdout.splitlines()
    some = runner.invoke(
        app, ["failpoints", "hotel.yaml", "--segment", "business", "-f", "text"]
    ).stdout.splitlines()
    assert 1 < len(some) <= len(every)


def test_explicit_table_is_obeyed_in_a_pipe(project: Path) -> None:
    auto = runner.invoke(app, ["show", "hotel.yaml"]).stdout
    table = runner.invoke(app, ["show", "hotel.yaml", "--format", "table"]).stdout
    assert auto.startswith("Overnight hotel stay\n") and "Journey:" in auto  # plain text
    assert "Journey" in table and "Journey:" not in table and "\x1b[" not in table
    register = runner.invoke(app, ["failpoints", "hotel.yaml", "--format", "table"]).stdout
    assert "S·O·D" in register


def test_missing_and_bad_paths_are_one_line_errors_for_every_command(project: Path) -> None:
    for args in (["lint"], ["render", "-f", "dot"], ["show"], ["failpoints"]):
        result = runner.invoke(app, [*args, "nope.yaml"])
        assert result.exit_code == 2
        assert "blueprint: error: nope.yaml: no such file or directory" in result.stderr
        assert "Traceback" not in result.output


def test_a_malformed_configuration_stops_every_command(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.blueprint\nexclude = 1\n")
    for args in (["lint", "."], ["render", ".", "-f", "dot"], ["show", "hotel.yaml"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert f"{project / 'pyproject.toml'}:1:" in result.stderr


# ---------------------------------------------------------------- the command line


def test_choices_are_the_tables_they_name() -> None:
    from blueprint_cli.analysis import SORTS
    from blueprint_cli.pipeline.render import FORMATS
    from blueprint_cli.render import THEMES
    from blueprint_cli.reporters import REPORTERS
    from blueprint_cli.views import register, show

    assert [f.value for f in cli.LintFormat] == list(REPORTERS)
    assert [f.value for f in cli.PictureFormat] == list(FORMATS)
    assert [f.value for f in cli.Theme] == list(THEMES)
    assert [f.value for f in cli.ShowFormat] == ["auto", *show.WRITERS]
    assert [f.value for f in cli.RegisterFormat] == ["auto", *register.WRITERS]
    assert [f.value for f in cli.Sort] == list(SORTS)


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (
            "lint",
            ["[text|json|sarif|github|junit|gitlab]", "[error|warning|info]", "[tool.blueprint]"],
        ),
        ("render", ["[svg|png|pdf|dot]", "[default|print]", "--phase ID", "-o, --output PATH"]),
        ("show", ["[auto|table|text|json]", "[auto|always|never]"]),
        ("failpoints", ["[prevention|recovery]", "[risk|severity|step]", "--min-risk N"]),
        ("rules", ["[text|markdown|json]"]),
    ],
)
def test_help_shows_choices_and_metavars(command: str, shown: list[str]) -> None:
    result = runner.invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0
    for text in shown:
        assert text in result.stdout, text
    assert "<str>" not in result.stdout and "{paths}" not in result.stdout
    if command != "lint":
        assert "--fail-on" not in result.stdout


def test_help_offers_shell_completion_and_keeps_examples() -> None:
    out = runner.invoke(app, ["--help"], terminal_width=100).stdout
    assert "--install-completion" in out and "--show-completion" in out
    assert "\n    blueprint lint examples/\n    blueprint lint --format json hotel.yaml\n" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--select", "BP9", "x.yaml"], "unknown rule 'BP9'"),
        (["lint", "--ignore", "missing-evidnce", "x.yaml"], "did you mean 'missing-evidence'?"),
        (["lint", "--select", "BP1O1", "x.yaml"], "did you mean 'BP101'?"),
        (["rules", "BP999"], "unknown rule 'BP999'"),
    ],
)
def test_unknown_rules_are_usage_errors_with_a_suggestion(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
