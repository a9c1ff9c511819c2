"""Configuration files, found by walking up; command-line options override them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.config import ConfigError, Overrides, Resolver, build_settings
from blueprint_cli.findings import Severity

runner = CliRunner()

STEP_WITHOUT_EVIDENCE = """\
blueprint: 1
phases: [Before, During, After]
steps:
  - {title: Book, phase: before, evidence: [Site], customer: [Book]}
  - {title: Check in, phase: during, customer: [Give name]}
  - {title: Leave, phase: after, evidence: [Bill], customer: [Pay]}
"""


def lint_json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["lint", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def codes(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["code"] for f in doc["findings"]]


def test_defaults_enable_every_rule_at_its_default_severity() -> None:
    s = build_settings({}, Overrides(), None)
    assert "BP101" in s.enabled and s.severity["BP101"] is Severity.WARNING
    assert s.fail_on is Severity.ERROR
    assert s.options["BP104"] == {"high-risk-rpn": 200, "high-risk-severity": 9}


def test_select_ignore_prefixes_and_names() -> None:
    s = build_settings(
        {"select": ["BP1"], "ignore": ["isolated-action", "BP113"]}, Overrides(), None
    )
    assert "BP001" not in s.enabled and "BP101" in s.enabled
    assert "BP118" not in s.enabled and "BP113" not in s.enabled


def test_command_line_replaces_configuration() -> None:
    s = build_settings({"select": ["BP1"]}, Overrides(select=["BP0"], fail_on=Severity.INFO), None)
    assert "BP101" not in s.enabled and "BP001" in s.enabled
    assert s.fail_on is Severity.INFO


@pytest.mark.parametrize(
    ("toml", "where", "message"),
    [
        (
            'fail-on = "error"\nselct = ["BP1"]\n',
            "2:1",
            "unknown key 'selct' (did you mean 'select'?)",
        ),
        ('select = "BP1"\n', "1:1", "'select' must be a list"),
        ('ignore = ["BP999"]\n', "1:1", "ignore: unknown rule 'BP999'"),
        ('ignore = ["missing-evidnce"]\n', "1:1", "(did you mean 'missing-evidence'?)"),
        ('[severity]\nBP101 = "fatal"\n', "1:2", "unknown severity 'fatal'"),
        ('severity = {nope = "error"}\n', "1:1", "severity: unknown rule 'nope'"),
        ('\n\nhigh-risk-rpn = "high"\n', "3:1", "'high-risk-rpn' must be int"),
        ("pain-point-emotion = 2\n", "1:1", "'pain-point-emotion' must be from -2 to 1, not 2"),
        ("  fail-on = 3\n", "1:3", "fail-on: must be one of"),
        ('[per-file-ignores]\n"a/*" = "BP1"\n', "1:2", "must be a list of rule codes"),
        ('select = ["BP1"\n', "2:1", "invalid TOML"),
        ("select = [\n  'BP1',,\n]\n", "2:9", "invalid TOML"),
    ],
)
def test_bad_configuration_is_an_error_at_its_line(
    tmp_path: Path, toml: str, where: str, message: str
) -> None:
    config = tmp_path / "blueprint.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError) as info:
        Resolver(Overrides()).for_path(str(tmp_path / "a.yaml"))
    assert str(info.value).startswith(f"{config}:{where}: ")
    assert message in str(info.value)


def test_a_malformed_pyproject_is_an_error_not_ignored(tmp_path: Path) -> None:
    """Whether it would have configured blueprint, nobody can tell: a CI gate must not
    change without notice."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = 1.0.0\n')
    (tmp_path / "a.yaml").write_text(STEP_WITHOUT_EVIDENCE)
    result = runner.invoke(app, ["lint", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'pyproject.toml'}:3:" in result.stderr
    assert "invalid TOML" in result.stderr
    bad = tmp_path / "b"
    bad.mkdir()
    (bad / "pyproject.toml").write_bytes(b"[tool.blueprint]\nselect = ['\xff']\n")
    (bad / "a.yaml").write_text(STEP_WITHOUT_EVIDENCE)
    result = runner.invoke(app, ["lint", str(bad / "a.yaml")])
    assert result.exit_code == 2 and f"{bad / 'pyproject.toml'}:2:" in result.stderr


def test_table_errors_without_a_file_name_the_key() -> None:
    with pytest.raises(ConfigError, match=r"^unknown key 'selct'"):
        build_settings({"selct": ["BP1"]}, Overrides(), None)


def test_per_file_ignores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.yaml").write_text(STEP_WITHOUT_EVIDENCE)
    (tmp_path / "new.yaml").write_text(STEP_WITHOUT_EVIDENCE)
    (tmp_path / "blueprint.toml").write_text(
        '[per-file-ignores]\n"legacy/*" = ["missing-evidence"]\n"*.yml" = ["BP1"]\n'
    )
    monkeypatch.chdir(tmp_path)
    _, doc = lint_json(".")
    found = {(f["file"].removeprefix("./"), f["code"]) for f in doc["findings"]}
    assert ("new.yaml", "BP101") in found
    assert ("legacy/old.yaml", "BP101") not in found
    # relative to the configuration file, from wherever the command runs
    monkeypatch.chdir(tmp_path / "legacy")
    _, doc = lint_json("old.yaml")
    assert "BP101" not in codes(doc)


def test_force_exclude_applies_exclude_to_named_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wip.yaml").write_text("not: [a blueprint\n")
    (tmp_path / "blueprint.toml").write_text('exclude = ["drafts/*"]\n')
    monkeypatch.chdir(tmp_path)
    named = runner.invoke(app, ["lint", "drafts/wip.yaml"])
    assert named.exit_code == 1  # named explicitly: checked
    forced = runner.invoke(app, ["lint", "--force-exclude", "drafts/wip.yaml"])
    assert forced.exit_code == 0 and "0 files checked" in forced.stdout
    walked = runner.invoke(app, ["lint", "."])
    assert walked.exit_code == 0


def test_nearest_configuration_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.blueprint]\nselect = ["BP1"]\n')
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "blueprint.toml").write_text('ignore = ["BP101"]\n')
    (tmp_path / "other").mkdir()
    # a project of its own: its pyproject.toml does not configure blueprint, and the
    # search stops there (the project's root), never taking the parent's
    (tmp_path / "other" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    resolver = Resolver()
    team = resolver.for_path(str(tmp_path / "team" / "a.yaml"))
    other = resolver.for_path(str(tmp_path / "other" / "b.yaml"))
    assert team.path == str(tmp_path / "team" / "blueprint.toml")
    assert "BP101" not in team.enabled and "BP001" in team.enabled
    assert other.path is None
    assert "BP001" in other.enabled


def test_severity_override_and_fail_on_from_config(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "blueprint.toml").write_text(
        'fail-on = "warning"\n[severity]\nmissing-evidence = "error"\n'
    )
    path = tmp_path / "a.yaml"
    path.write_text(STEP_WITHOUT_EVIDENCE)
    monkeypatch.chdir(tmp_path)
    code, doc = lint_json(str(path))
    assert code == 1
    [finding] = [f for f in doc["findings"] if f["code"] == "BP101"]
    assert finding["severity"] == "error"
    assert doc["summary"]["fail_on"] == "warning"


def test_threshold_option_from_config(tmp_path: Path) -> None:
    (tmp_path / "blueprint.toml").write_text("high-risk-rpn = 50\n")
    path = tmp_path / "a.yaml"
    path.write_text(
        "blueprint: 1\nsteps:\n  - title: Pay\n    frontstage:\n      - text: Charge\n"
        "        fail_points: [{text: x, severity: 5, occurrence: 5, detection: 2}]\n"
    )
    assert "BP104" in codes(lint_json(str(path), "--select", "BP104")[1])
    (tmp_path / "blueprint.toml").write_text("high-risk-rpn = 51\n")
    assert "BP104" not in codes(lint_json(str(path), "--select", "BP104")[1])


def test_broken_configuration_exits_2(tmp_path: Path) -> None:
    (tmp_path / "blueprint.toml").write_text("select = [\n")
    path = tmp_path / "a.yaml"
    path.write_text(STEP_WITHOUT_EVIDENCE)
    result = runner.invoke(app, ["lint", str(path), "--config", str(tmp_path / "blueprint.toml")])
    assert result.exit_code == 2
    assert "blueprint.toml:2:1: invalid TOML" in result.output
    assert "Traceback" not in result.output


def test_cli_select_and_ignore(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(STEP_WITHOUT_EVIDENCE)
    assert codes(lint_json(str(path), "--select", "BP101")[1]) == ["BP101"]
    assert codes(lint_json(str(path), "--select", "BP1", "--ignore", "BP101,BP118,BP127")[1]) == []
    result = runner.invoke(app, ["lint", str(path), "--select", "BP999"])
    assert result.exit_code == 2
    assert "unknown rule 'BP999'" in result.output
