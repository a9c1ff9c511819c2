"""Every rule: a unique stable code, documentation with a FAIL and a PASS example that work."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from blueprint_cli.codes import Family
from blueprint_cli.pipeline.check import lint_bytes
from blueprint_cli.rules import RULES, Rule

CODE = re.compile(r"BP\d{3}")


def example(rule: Rule, label: str) -> str:
    match = re.search(rf"^{label}:\n\n((?:    .*\n|\n)+)", rule.doc + "\n", re.MULTILINE)
    assert match, f"{rule.code} has no {label} example"
    return textwrap.dedent(match.group(1))


def test_codes_and_names_are_unique_and_well_formed() -> None:
    names = [rule.name for rule in RULES.values()]
    assert len(set(names)) == len(names)
    for code, rule in RULES.items():
        assert CODE.fullmatch(code) and rule.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert rule.summary and not rule.summary.endswith(".")


@pytest.mark.parametrize("code", sorted(RULES))
def test_documentation_has_why_and_examples(code: str) -> None:
    rule = RULES[code]
    assert "Why it matters" in rule.doc


@pytest.mark.parametrize("code", sorted(RULES))
def test_fail_example_fails_and_pass_example_passes(code: str, tmp_path: Path) -> None:
    rule = RULES[code]
    if rule.family is Family.AUDIT:  # an observation, checked against the BLUEPRINT example
        failing, passing = (_observed(rule, label, tmp_path) for label in ("FAIL", "PASS"))
    else:
        failing = [f.code for f in lint_bytes("fail.yaml", example(rule, "FAIL").encode())]
        passing = [f.code for f in lint_bytes("pass.yaml", example(rule, "PASS").encode())]
    assert code in failing
    assert code not in passing


def _observed(rule: Rule, label: str, tmp_path: Path) -> list[str]:
    from blueprint_cli.pipeline.audit import analyse_observation
    from blueprint_cli.pipeline.check import default_settings

    (tmp_path / "blueprint.yaml").write_text(example(rule, "BLUEPRINT"), encoding="utf-8")
    (tmp_path / ".git").mkdir(exist_ok=True)  # the project the blueprint must be in
    visit = tmp_path / f"{label.lower()}.yaml"
    raw = example(rule, label).encode()
    visit.write_bytes(raw)
    observed = analyse_observation(visit.name, str(visit), raw, default_settings())
    return [f.code for f in observed.findings]


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    from blueprint_cli.views.rules import markdown
    from tests.conftest import ROOT

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(), (
        "docs/rules.md is stale: run `blueprint rules --format markdown > docs/rules.md`"
    )


def test_rules_command_lists_and_documents() -> None:
    from typer.testing import CliRunner

    from blueprint_cli.cli import app

    runner = CliRunner()
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert len(listing.output.splitlines()) >= len(RULES) + 1
    page = runner.invoke(app, ["rules", "high-risk-fail-point"])
    assert page.exit_code == 0
    assert page.output.startswith("BP104 high-risk-fail-point (default severity: warning)")
    assert "Option high-risk-rpn = 200" in page.output
    unknown = runner.invoke(app, ["rules", "BP1O4"])
    assert unknown.exit_code == 2 and "did you mean 'BP104'?" in unknown.stderr
    assert runner.invoke(app, ["rules", "BP999"]).exit_code == 2


def test_rules_table_fits_the_terminal() -> None:
    from blueprint_cli.views.rules import table

    for width in (60, 80, 120):
        text = table(width)
        assert max(len(line) for line in text.splitlines()) <= width
        assert sum(1 for line in text.splitlines() if line.startswith("BP")) == len(RULES)


def test_rules_as_json() -> None:
    import json

    from typer.testing import CliRunner

    from blueprint_cli.cli import app

    doc = json.loads(CliRunner().invoke(app, ["rules", "--format", "json"]).stdout)
    assert [r["code"] for r in doc["rules"]] == list(RULES)
    assert {r["family"] for r in doc["rules"]} == {"format", "service-design", "audit"}
    one = json.loads(CliRunner().invoke(app, ["rules", "BP104", "-f", "json"]).stdout)
    assert one["rules"][0]["options"] == {"high-risk-rpn": 200, "high-risk-severity": 9}
