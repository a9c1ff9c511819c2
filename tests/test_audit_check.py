"""`blueprint audit check`: observation files of audit visits, validated like blueprints
and resolved against the blueprint each names; hostile ones get one clear line each."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.load.sniff import is_blueprint_text, is_observation_text
from blueprint_cli.pipeline.audit import analyse_observation
from blueprint_cli.pipeline.check import default_settings

HOTEL = Path(__file__).parent.parent / "examples" / "hotel.yaml"

GOOD = """\
observation: 1
blueprint: ../hotel.yaml
visit: {id: v07, date: 2026-11-28, auditor: J. Doe, method: mystery, segment: business}
steps:
  check-in:
    evidence: {front-desk: yes, registration-card: no, key-card: yes}
    actions:
      register: {done: yes, duration: 4m, wait: 7m, script: partial, note: Name asked twice}
    fail_points:
      no-reservation: {occurred: yes, detected: yes, recovered: yes, note: Upgrade offered}
    note: Busy evening, one clerk
  receive-food: not-observed
unplanned:
  - {step: check-out, text: Card reader offline, severity: 6}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(HOTEL, tmp_path / "hotel.yaml")
    (tmp_path / "visits").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(project: Path, text: str, name: str = "v.yaml") -> list[str]:
    path = project / "visits" / name
    path.write_text(text, encoding="utf-8")
    observed = analyse_observation(f"visits/{name}", str(path), text.encode(), default_settings())
    return [f"{f.line}:{f.col} {f.code} {f.message}" for f in observed.findings]


def test_a_good_visit_has_no_finding(project: Path) -> None:
    assert check(project, GOOD) == []


def test_the_cli_checks_a_folder_of_visits_and_fails_on_errors(project: Path) -> None:
    (project / "visits" / "v07.yaml").write_text(GOOD, encoding="utf-8")
    bad = GOOD.replace("register:", "registr:")
    (project / "visits" / "v08.yaml").write_text(bad, encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", "check", "visits/"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "visits/v08.yaml:8:7: error BP201 step 'check-in' has no action 'registr' "
        "(did you mean 'register'?)",
        "failed: 2 files checked, 1 error",
    ]
    assert CliRunner().invoke(app, ["audit", "check", "visits/v07.yaml"]).exit_code == 0


def test_a_walk_for_blueprints_skips_observations_and_one_for_visits_skips_blueprints(
    project: Path,
) -> None:
    (project / "visits" / "v07.yaml").write_text(GOOD, encoding="utf-8")
    lint = CliRunner().invoke(app, ["lint", "."])
    assert lint.exit_code == 0 and "1 file checked" in lint.stdout
    audit = CliRunner().invoke(app, ["audit", "check", "."])
    assert audit.exit_code == 0 and "1 file checked" in audit.stdout
    assert is_observation_text(GOOD.encode()) and not is_blueprint_text(GOOD.encode())


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("check-in:", "chek-in:"),
            "5:3 BP201 blueprint '../hotel.yaml' has no step 'chek-in' (did you mean 'check-in'?)",
        ),
        (
            ("key-card: yes", "key-crd: yes"),
            "6:56 BP201 step 'check-in' has no evidence 'key-crd' (did you mean "
            "'key-card-in-a-folder'?)",
        ),
        (
            ("      register:", "      greet:"),
            "8:7 BP201 action 'greet' is in step 'arrive', not 'check-in'",
        ),
        (
            ("no-reservation:", "bags-wrong-room:"),
            "10:7 BP201 fail point 'bags-wrong-room' is in step 'go-to-room', not 'check-in'",
        ),
        (
            ("segment: business", "segment: busines"),
            "3:79 BP201 blueprint '../hotel.yaml' has no segment 'busines' (did you mean "
            "'business'?)",
        ),
        (
            ("step: check-out", "step: checkout"),
            "14:12 BP201 blueprint '../hotel.yaml' has no step 'checkout' (did you mean "
            "'check-out'?)",
        ),
        (
            ("date: 2026-11-28", "date: 2026-11-31"),
            "3:24 BP003 'date' is not a date of the calendar, not text '2026-11-31'",
        ),
        (
            ("date: 2026-11-28", "date: 28/11/2026"),
            "3:24 BP003 'date' must be a date written YYYY-MM-DD, not text '28/11/2026'",
        ),
        (
            ("wait: 7m", "wait: 7"),
            "8:49 BP003 'wait' in action 'register' at step 'check-in': a duration needs a "
            "unit, e.g. 7m or 7s",
        ),
        (
            ("script: partial", "script: kind of"),
            "8:61 BP003 'script' in action 'register' at step 'check-in' must be yes, "
            "partial, no or n/a, not text 'kind of'",
        ),
        (
            ("observation: 1", "observation: 2"),
            "1:14 BP003 unsupported format version the number 2: this tool reads 'observation: 1'",
        ),
        (
            ("severity: 6", "severity: 60"),
            "14:60 BP003 'severity' in unplanned fail point 'Card reader offline' must be "
            "from 1 to 10, not 60",
        ),
    ],
)
def test_each_problem_is_one_line_at_its_place(
    project: Path, edit: tuple[str, str], expected: str
) -> None:
    assert check(project, GOOD.replace(*edit)) == [expected]


def test_a_no_or_partial_without_a_note_is_a_warning(project: Path) -> None:
    text = GOOD.replace("    note: Busy evening, one clerk\n", "").replace(
        " note: Name asked twice", ""
    )
    assert check(project, text) == [
        "6:52 BP202 evidence 'registration-card' at step 'check-in' was not there, and no "
        "note says what was seen instead",
        "8:61 BP202 action 'register' at step 'check-in' was in part followed (script), and "
        "no note says what happened",
    ]


@pytest.mark.parametrize(
    ("blueprint", "message"),
    [
        ("../../../../etc/passwd", "is outside the project"),
        ("/etc/passwd", "is outside the project"),
        ("../nothing.yaml", "'../nothing.yaml': no such file"),
        ("..", "'..': not a file"),
        ("../visits/other.yaml", "cannot be audited: not a blueprint"),
        ("''", "'blueprint' must name the blueprint's file"),
    ],
)
def test_a_blueprint_that_cannot_be_read_is_one_error(
    project: Path, blueprint: str, message: str
) -> None:
    (project / "visits" / "other.yaml").write_text("title: not a blueprint\n", encoding="utf-8")
    found = check(project, GOOD.replace("blueprint: ../hotel.yaml", f"blueprint: {blueprint}"))
    assert len(found) == 1 and found[0].startswith("2:12 BP204 "), found
    assert message in found[0]


def test_a_blueprint_with_errors_cannot_be_audited(project: Path) -> None:
    (project / "hotel.yaml").write_text("blueprint: 1\nsteps: 3\n", encoding="utf-8")
    assert check(project, GOOD) == [
        "2:12 BP204 blueprint '../hotel.yaml' cannot be audited: it has 1 error (blueprint "
        "lint hotel.yaml)"
    ]


def test_a_changed_blueprint_is_a_warning(project: Path) -> None:
    digest = hashlib.sha256((project / "hotel.yaml").read_bytes()).hexdigest()
    pinned = GOOD.replace("visit:", f"blueprint_sha256: {digest}\nvisit:")
    assert check(project, pinned) == []
    (project / "hotel.yaml").write_text(HOTEL.read_text("utf-8") + "\n# edited\n", "utf-8")
    found = check(project, pinned)
    assert len(found) == 1 and " BP203 blueprint '../hotel.yaml' has changed since" in found[0]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "- a list\n",
        "observation: 1\n",
        "observation: 1\nblueprint: ../hotel.yaml\nvisit: 3\n",
        "observation: 1\nblueprint: ../hotel.yaml\nvisit: {id: v, date: 2026-01-01}\nsteps: []\n",
        "observation: 1\nblueprint: [a]\nvisit: {id: v, date: 2026-01-01}\n",
        "observation: 1\nblueprint: ../hotel.yaml\nvisit: {id: v, date: 2026-01-01}\n"
        + "unplanned: [{text: x}]\n",
        "observation: 1\nblueprint: ../hotel.yaml\nvisit: {id: v, date: 2026-01-01}\n"
        + "steps: {check-in: {actions: {register: {done: maybe}}, evidence: [a]}}\n",
        "\t- tab\n",
        "observation: 1\n" + "x: &a [*a]\n",
        "observation: 1\nblueprint: ../hotel.yaml\n" + "steps:\n" * 3,
    ],
)
def test_hostile_observations_get_errors_never_tracebacks(project: Path, text: str) -> None:
    found = check(project, text)
    assert found and all(" BP0" in f or " BP2" in f for f in found), found


def test_a_huge_observation_is_refused_by_the_size_limit(project: Path) -> None:
    text = GOOD + "#" + "x" * (21 * 1024 * 1024) + "\n"
    found = check(project, text)
    assert len(found) == 1 and "BP001" in found[0] and "MiB" in found[0], found


def test_a_blueprint_given_to_audit_check_is_told_so(project: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "check", "hotel.yaml"])
    assert result.exit_code == 1
    assert "this is a blueprint, not an observation" in result.stdout
