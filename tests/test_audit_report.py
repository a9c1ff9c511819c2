"""`blueprint audit report`: the three visits of tests/test_audit_figures.py through the
command line in every format, the figures computed there by hand found in each; the CI
gate (--fail-under, critical checks), the configuration, visits left out, the JSON
Schema, and the section `blueprint report --visits` adds. Golden files under
tests/golden/audit/ (regenerate with `make golden`)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.config import ConfigError, Overrides, Resolver
from blueprint_cli.pipeline.audit import audit
from blueprint_cli.pipeline.run import RunOptions
from blueprint_cli.views.audit import WRITERS, build, summary, tables
from blueprint_cli.views.terminal import console, print_audit
from tests.conftest import ROOT
from tests.test_audit_figures import BLUEPRINT, A, B, C

GOLDEN = Path(__file__).parent / "golden" / "audit"
FORMATS = ("text", "json", "csv", "markdown", "html")
runner = CliRunner()

OTHER = "blueprint: 1\nsteps:\n  - {id: arrive, title: Arrive, customer: [Walk in]}\n"


def project(root: Path, config: str = "") -> Path:
    """The blueprint and the visits A, B and C in a project (a .git folder) at ``root``."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "bp.yaml").write_text(BLUEPRINT, "utf-8")
    visits = root / "visits"
    visits.mkdir(exist_ok=True)
    for name, text in (("a", A), ("b", B), ("c", C)):
        (visits / f"{name}.yaml").write_text(text.replace("bp.yaml", "../bp.yaml"), "utf-8")
    if config:
        (root / "blueprint.toml").write_text(config, "utf-8")
    return root


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = project(tmp_path / "p")
    monkeypatch.chdir(root)
    return root


def report(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", "report", "bp.yaml", "visits", *args])
    return result.exit_code, result.stdout, result.stderr


def rendered(fmt: str, width: int = 80) -> str:
    """The report of the fixture visits (the current directory) in ``fmt``."""
    run = audit("bp.yaml", ["visits"], RunOptions())
    assert run.tally is not None and run.blueprint is not None
    doc = build(run.tally, run.blueprint.name, run.blueprint.sha256, run.left_out)
    out = io.StringIO()
    if fmt == "table":
        print_audit(summary(doc), tables(doc), console(out, color=False, width=width))
    else:
        WRITERS[fmt](doc, out, color=False)
    return out.getvalue()


def write_golden() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(project(Path(tmp) / "p"))
        try:
            for fmt in (*FORMATS, "table"):
                suffix = {"markdown": "md", "table": "80.txt"}.get(fmt, fmt)
                (GOLDEN / f"hotel-fixture.{suffix}").write_text(rendered(fmt), "utf-8")
        finally:
            os.chdir(here)


@pytest.mark.parametrize("fmt", [*FORMATS, "table"])
def test_every_format_matches_its_golden(here: Path, fmt: str) -> None:
    suffix = {"markdown": "md", "table": "80.txt"}.get(fmt, fmt)
    golden = GOLDEN / f"hotel-fixture.{suffix}"
    assert golden.exists(), "run `make golden`"
    text = rendered(fmt)
    assert text == golden.read_text("utf-8"), "audit report changed: `make golden`, review"
    if fmt == "table":
        assert max(len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("fmt", ["table", "text", "markdown", "html"])
def test_the_hand_computed_figures_appear_in_every_format(here: Path, fmt: str) -> None:
    code, out, err = report("-f", fmt)
    assert (code, err) == (0, "")
    flat = " ".join(out.split())
    assert "65.4%" in flat  # 8.5 of 13
    for kind, score in (
        ("evidence", "50.0%"),
        ("action", "100.0%"),
        ("time", "50.0%"),
        ("wait", "50.0%"),
        ("script", "75.0%"),
        ("fail point", "50.0%"),
    ):
        assert kind in flat and score in flat
    assert "10 vs 2 revise" in flat  # a rate of 1/2 suggests 10; the blueprint says 2
    assert "0.0%" in flat  # recovered 0 of 1
    assert "Lift broken" in flat
    assert "3 visits counted" in flat


def test_json_holds_the_figures_and_matches_its_schema(here: Path) -> None:
    code, out, _ = report("-f", "json")
    assert code == 0
    doc = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "audit-report.schema.json").read_text("utf-8"))
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert doc["overall"] == {
        "percent": 65.4,
        "points": 8.5,
        "possible": 13.0,
        "checks": 13,
        "missed": 5,
    }
    kinds = {k["key"]: k["percent"] for k in doc["compliance"]["kind"]}
    assert kinds == {
        "evidence": 50.0,
        "action": 100.0,
        "time": 50.0,
        "wait": 50.0,
        "script": 75.0,
        "fail point": 50.0,
    }
    [lost] = doc["fail_points"]
    assert (lost["rate_percent"], lost["suggested_occurrence"], lost["occurrence"]) == (50.0, 10, 2)
    assert (lost["detection_percent"], lost["recovery_percent"]) == (100.0, 0.0)
    assert lost["occurrence_differs"] is True
    waits = {w["segment"]: (w["standard"], w["within_percent"]) for w in doc["waits"]}
    assert waits == {"business": (180, 0.0), "leisure": (300, 100.0)}
    assert [(u["text"], u["times"], u["severity"]) for u in doc["unplanned"]] == [
        ("Lift broken", 1, 5)
    ]
    assert [(p["period"], p["visits"], p["percent"]) for p in doc["trend"]["periods"]] == [
        ("2026-01", 2, 65.4),
        ("2026-02", 1, None),  # nothing observed: n/a, not 0
    ]
    assert doc["visits"] | {"segments": None} == {
        "counted": 3,
        "left_out": 0,
        "first": "2026-01-10",
        "last": "2026-02-05",
        "segments": None,
        "listed": 3,
    }


def test_csv_is_one_long_table(here: Path) -> None:
    code, out, _ = report("-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == ["section", "dimension", "key", "metric", "value"]
    found = {(r["section"], r["dimension"], r["key"], r["metric"]): r["value"] for r in rows}
    assert found["overall", "", "", "percent"] == "65.4"
    assert found["compliance", "kind", "script", "percent"] == "75.0"
    assert found["fail_points", "check-in", "lost", "recovery_percent"] == "0.0"
    assert found["fail_points", "check-in", "lost", "suggested_occurrence"] == "10"
    assert found["unplanned", "check-in", "Lift broken", "times"] == "1"
    assert found["trend", "month", "2026-02", "percent"] == ""  # n/a


def test_csv_cells_are_never_formulas(here: Path) -> None:
    visit = here / "visits" / "c.yaml"
    visit.write_text(visit.read_text().replace("Lift broken", "=HYPERLINK(1)"), "utf-8")
    _, out, _ = report("-f", "csv")
    assert "'=HYPERLINK(1)" in out and ",=HYPERLINK" not in out


def test_fail_under_is_a_ci_gate(here: Path) -> None:
    code, _, err = report("--fail-under", "70", "-f", "json")
    assert code == 1
    assert "compliance 65.4% is below --fail-under 70%" in err
    assert report("--fail-under", "60", "-f", "json")[0] == 0


def test_a_failed_critical_check_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project(tmp_path, '[audit]\ncritical = ["lost", "nope"]\n'))
    code, out, err = report("-f", "json")
    assert code == 1
    assert "a critical check failed on 1 of 3 visits: a (fail point lost)" in err
    assert "critical 'nope' is not the id of evidence" in err
    doc = json.loads(out)
    assert doc["failed_critical"]["listed"] == [
        {"id": "a", "date": "2026-01-10", "checks": ["fail point lost"]}
    ]


def test_weights_from_the_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project(tmp_path, '[audit]\nweights = {"fail point" = 3}\n'))
    code, out, _ = report("-f", "json")
    doc = json.loads(out)
    assert code == 0
    assert (doc["overall"]["percent"], doc["overall"]["points"], doc["overall"]["possible"]) == (
        61.8,
        10.5,
        17.0,
    )
    assert doc["scoring"]["weights"]["fail point"] == 3.0


def test_config_option_and_occurrence_scale(here: Path, tmp_path: Path) -> None:
    config = tmp_path / "audit.toml"
    config.write_text("[audit]\noccurrence-scale = [[0.6, 9], [0.4, 4]]\n", "utf-8")
    code, out, _ = report("-f", "json", "--config", str(config))
    assert code == 0
    assert json.loads(out)["fail_points"][0]["suggested_occurrence"] == 4  # 0.5: below 0.6


@pytest.mark.parametrize(
    ("toml", "where", "message"),
    [
        (
            "[audit]\nweigths = {wait = 2}\n",
            "2:1",
            "unknown key 'weigths' (did you mean 'weights'?)",
        ),
        ("[audit]\nweights = {wiat = 2}\n", "2:1", "unknown kind 'wiat' (did you mean 'wait'?)"),
        ("[audit]\nweights = {wait = 0}\n", "2:1", "audit.weights.wait must be a positive number"),
        ("[audit]\nweights = {wait = true}\n", "2:1", "must be a positive number"),
        ("[audit]\nweights = 2\n", "2:1", "must be a table of kind = weight"),
        ('[audit]\ncritical = "lost"\n', "2:1", "audit.critical must be a list of ids"),
        ("\n[audit]\n  critical = [1]\n", "3:3", "audit.critical must be a list of ids"),
        ("[audit]\noccurrence-scale = [0.5, 10]\n", "2:1", "a list of [rate, score] pairs"),
        ("[audit]\noccurrence-scale = [[2, 10]]\n", "2:1", "a rate is from 0 to 1"),
        ("[audit]\noccurrence-scale = [[0.5, 11]]\n", "2:1", "a score is a whole number"),
        (
            "[audit]\noccurrence-scale = [[0.1, 8], [0.5, 10]]\n",
            "2:1",
            "rates and scores must both descend",
        ),
        ("audit = 3\n", "1:1", "'audit' must be a table"),
        ("audit = {weights = {wait = -1}}\n", "1:1", "must be a positive number"),
    ],
)
def test_bad_audit_configuration_is_an_error_at_its_line(
    tmp_path: Path, toml: str, where: str, message: str
) -> None:
    config = tmp_path / "blueprint.toml"
    config.write_text(toml)
    with pytest.raises(ConfigError) as info:
        Resolver(Overrides()).for_path(str(tmp_path / "a.yaml"))
    assert str(info.value).startswith(f"{config}:{where}: ")
    assert message in str(info.value)


def test_pyproject_audit_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.blueprint]\nselect = ["ALL"]\n\n[tool.blueprint.audit]\ncritical = ["x"]\n'
        "weights = {evidence = 0.5, fail-point = 2}\n"
    )
    settings = Resolver(Overrides()).for_path(str(tmp_path / "a.yaml"))
    assert settings.audit.critical == {"x"}
    assert settings.audit.weights == (("evidence", 0.5), ("fail point", 2.0))
    (tmp_path / "pyproject.toml").write_text("[tool.blueprint.audit]\ncritcal = []\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:2:1: unknown key 'critcal'"):
        Resolver(Overrides()).for_path(str(tmp_path / "a.yaml"))


def test_a_visit_of_another_blueprint_and_one_with_errors_are_left_out(here: Path) -> None:
    (here / "other.yaml").write_text(OTHER, "utf-8")
    (here / "visits" / "o.yaml").write_text(
        "observation: 1\nblueprint: ../other.yaml\nvisit: {id: o, date: 2026-01-11}\n", "utf-8"
    )
    (here / "visits" / "x.yaml").write_text(
        A.replace("bp.yaml", "../bp.yaml").replace("give: yes", "gvie: yes"), "utf-8"
    )
    code, out, err = report("-f", "text")
    assert code == 0
    lines = err.splitlines()
    assert "blueprint: warning: left out: visits/o.yaml: a visit of other.yaml" in lines
    assert any(
        line.startswith("blueprint: warning: left out: visits/x.yaml: 1 error") for line in lines
    )
    assert "3 visits counted, 2 left out" in out
    assert "65.4%" in out  # the figures of A, B and C alone


def test_usage_errors_exit_2_without_a_traceback(here: Path) -> None:
    result = runner.invoke(app, ["audit", "report", "nope.yaml", "visits"])
    assert result.exit_code == 2 and "nope.yaml" in result.stderr
    (here / "broken.yaml").write_text("blueprint: 1\nsteps: 3\n", "utf-8")
    result = runner.invoke(app, ["audit", "report", "broken.yaml", "visits"])
    assert result.exit_code == 2
    assert "broken.yaml: cannot be audited: it has 1 error" in result.stderr
    (here / "empty").mkdir()
    result = runner.invoke(app, ["audit", "report", "bp.yaml", "empty"])
    assert result.exit_code == 2 and "no visit of bp.yaml to count" in result.stderr
    result = runner.invoke(app, ["audit", "report", "bp.yaml", "visits", "--trend", "week"])
    assert result.exit_code == 2 and "not month, day, or a number" in result.stderr
    result = runner.invoke(app, ["audit", "report", "bp.yaml", "visits", "-o", "bp.yaml"])
    assert result.exit_code == 2 and "overwrite the blueprint" in result.stderr
    assert "Traceback" not in result.output


def test_trend_per_day_and_per_n_visits(here: Path) -> None:
    doc = json.loads(report("-f", "json", "--trend", "2")[1])
    assert doc["trend"]["per"] == "2 visits"
    assert [(p["period"], p["visits"]) for p in doc["trend"]["periods"]] == [
        ("2026-01-10 – 2026-01-20", 2),
        ("2026-02-05", 1),
    ]
    doc = json.loads(report("-f", "json", "--trend", "day")[1])
    assert [p["period"] for p in doc["trend"]["periods"]] == [
        "2026-01-10",
        "2026-01-20",
        "2026-02-05",
    ]


def test_output_file_takes_its_format_from_the_suffix(here: Path) -> None:
    code, out, err = report("-o", "audit.json")
    assert (code, out) == (0, "")
    assert "bp.yaml -> audit.json" in err
    assert json.loads((here / "audit.json").read_text("utf-8"))["overall"]["percent"] == 65.4


def test_html_is_self_contained_and_escapes_a_hostile_title(here: Path) -> None:
    hostile = BLUEPRINT.replace(
        "blueprint: 1\n", 'blueprint: 1\ntitle: "<script>alert(1)</script>"\n'
    )
    (here / "bp.yaml").write_text(hostile, "utf-8")
    code, out, _ = report("-f", "html")
    assert code == 0
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "http://" not in out.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in out and '<section id="audit">' in out


def test_report_with_visits_adds_the_audit_section(here: Path) -> None:
    plain = runner.invoke(app, ["report", "bp.yaml", "-o", "-"])
    assert 'id="audit"' not in plain.stdout and "#audit" not in plain.stdout
    result = runner.invoke(app, ["report", "bp.yaml", "--visits", "visits", "-o", "-"])
    assert result.exit_code == plain.exit_code
    page = result.stdout
    assert '<a href="#audit">Audit</a>' in page
    section = page[page.index('<section id="audit">') :]
    assert "65.4%" in section and "Lift broken" in section and "10 vs 2 revise" in section


def test_the_format_choices_are_the_writers() -> None:
    from blueprint_cli import cli
    from blueprint_cli.views import audit as view

    assert [f.value for f in cli.AuditFormat] == ["auto", *view.WRITERS]
