"""Baselines: --write-baseline records today's findings, --baseline reports only new ones.

The fixtures are this file's own; the rules used (BP101 missing evidence, BP104 high-risk
fail point, BP006 unknown reference, BP008 unused suppression) are selected explicitly,
so rules added later do not change what these tests see. No rule's wording is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.pipeline.baseline import Baseline, Entry, about, file_key
from tests.conftest import dedent

SELECT = ["--select", "BP101,BP104,BP006"]

HOTEL = """
blueprint: 1
title: Hotel
steps:
  - id: check-in
    title: Check in
    customer: [Give name]
    frontstage:
      - id: register
        text: Register
        fail_points:
          - {id: no-reservation, text: No reservation, severity: 9, occurrence: 2, detection: 3}
  - id: stay
    title: Stay
    evidence: [Room]
    customer: [Sleep]
flows:
  - register -> nowhere
"""
#: HOTEL's findings: BP101 (step check-in), BP104 (fail point no-reservation), BP006 (flow)
RECORDED = 3

A_STEP_ABOVE = """
  - id: arrive
    title: Arrive
    evidence: [Door]
    customer: [Walk in]
"""


def lint(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["lint", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def codes(stdout: str) -> list[str]:
    """The rule codes of the text report's finding lines."""
    return [line.split()[2] for line in stdout.splitlines() if ": " in line and "BP" in line]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one blueprint folder, the current directory at its root."""
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "hotel.yaml").write_text(dedent(HOTEL), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_baseline(*args: str, select: list[str] = SELECT) -> None:
    code, out, err = lint("--write-baseline", "baseline.json", *select, *args)
    assert code == 0, err
    assert out == ""


# ------------------------------------------------------------------------ the round trip


def test_a_baseline_holds_every_finding_of_today(repo: Path) -> None:
    code, out, err = lint("--write-baseline", "baseline.json", *SELECT, "blueprints")
    assert code == 0
    assert out == ""  # the findings went to the file, not to the report
    assert f"{RECORDED} findings of 1 file recorded in baseline.json" in err
    assert lint(*SELECT, "--fail-on", "warning", "blueprints")[0] == 1  # without: failing
    code, out, err = lint("--baseline", "baseline.json", *SELECT, "--fail-on", "info", "blueprints")
    assert (code, codes(out), err) == (0, [], "")
    assert f"({RECORDED} findings in the baseline not shown)" in out


def test_a_step_inserted_above_keeps_every_finding_matched(repo: Path) -> None:
    write_baseline("blueprints")
    edit(repo / "blueprints" / "hotel.yaml", "steps:\n", "steps:" + A_STEP_ABOVE)
    code, out, err = lint("--baseline", "baseline.json", *SELECT, "--fail-on", "info", "blueprints")
    assert (code, codes(out), err) == (0, [], "")


def test_an_action_and_a_fail_point_inserted_above_keep_them_matched(repo: Path) -> None:
    write_baseline("blueprints")
    hotel = repo / "blueprints" / "hotel.yaml"
    edit(hotel, "    frontstage:\n", "    frontstage:\n      - {id: greet, text: Greet}\n")
    edit(
        hotel,
        "        fail_points:\n",
        "        fail_points:\n          - {text: Slow, severity: 2}\n",
    )
    code, out, _ = lint("--baseline", "baseline.json", *SELECT, "--fail-on", "info", "blueprints")
    assert (code, codes(out)) == (0, [])


def test_a_re_scored_fail_point_is_still_the_same_finding(repo: Path) -> None:
    """The message is not part of the match: BP104's numbers may change."""
    write_baseline("blueprints")
    edit(
        repo / "blueprints" / "hotel.yaml",
        "severity: 9, occurrence: 2",
        "severity: 10, occurrence: 8",
    )
    code, out, _ = lint("--baseline", "baseline.json", *SELECT, "--fail-on", "info", "blueprints")
    assert (code, codes(out)) == (0, [])


@pytest.mark.parametrize(("fail_on", "exit_code"), [("error", 0), ("warning", 1)])
def test_only_a_new_problem_is_reported_and_fails_per_fail_on(
    repo: Path, fail_on: str, exit_code: int
) -> None:
    write_baseline("blueprints")
    # a new step without evidence: one new BP101 (warning), the old one still baselined
    edit(
        repo / "blueprints" / "hotel.yaml",
        "flows:",
        "  - {id: pay, title: Pay, customer: [Pay]}\nflows:",
    )
    code, out, _ = lint("--baseline", "baseline.json", *SELECT, "--fail-on", fail_on, "blueprints")
    assert code == exit_code
    assert codes(out) == ["BP101"]
    assert "blueprints/hotel.yaml:" in out
    assert f"({RECORDED} findings in the baseline not shown)" in out


def test_a_new_error_fails_the_run(repo: Path) -> None:
    write_baseline("blueprints")
    edit(
        repo / "blueprints" / "hotel.yaml",
        "  - register -> nowhere",
        "  - register -> nowhere\n  - register -> gone",
    )
    code, out, _ = lint("--baseline", "baseline.json", *SELECT, "blueprints")
    assert (code, codes(out)) == (1, ["BP006"])


def test_a_fixed_finding_leaves_a_stale_entry_that_is_said_not_failed(repo: Path) -> None:
    write_baseline("blueprints")
    edit(
        repo / "blueprints" / "hotel.yaml",
        "    customer: [Give name]\n",
        "    evidence: [Desk]\n    customer: [Give name]\n",
    )
    code, out, err = lint("--baseline", "baseline.json", *SELECT, "--fail-on", "info", "blueprints")
    assert (code, codes(out)) == (0, [])
    assert "baseline.json: 1 entry no longer matches any finding" in err
    assert "--write-baseline" in err
    assert f"({RECORDED - 1} findings in the baseline not shown)" in out
    _, _, err = lint("--baseline", "baseline.json", *SELECT, "--verbose", "blueprints")
    assert "not found: blueprints/hotel.yaml: BP101 step check-in" in err
    write_baseline("blueprints")  # written again: the entry is gone
    _, _, err = lint("--baseline", "baseline.json", *SELECT, "blueprints")
    assert "no longer match" not in err


def test_duplicates_are_counted(repo: Path) -> None:
    """Two findings about the same thing need two entries: one entry matches one finding."""
    hotel = repo / "blueprints" / "hotel.yaml"
    edit(hotel, "title: Hotel\n", "title: Hotel  # blueprint: ignore[BP104]\n")
    only = ["--select", "BP008,BP104"]
    write_baseline("blueprints", select=only)
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert [e["code"] for e in entries] == ["BP008", "BP104"]
    edit(hotel, "title: Stay\n", "title: Stay  # blueprint: ignore[BP104]\n")
    code, out, _ = lint("--baseline", "baseline.json", *only, "--fail-on", "info", "blueprints")
    assert code == 1
    assert codes(out) == ["BP008"]
    assert "(2 findings in the baseline not shown)" in out  # BP008 and BP104


def test_duplicates_are_counted_below_the_command_line() -> None:
    f = Finding("a.yaml", 1, 1, "BP101", Severity.WARNING, "m", "", ("steps", 0))
    subjects = {("steps", 0): "step s"}
    baseline = Baseline("b.json", [Entry("a.yaml", "BP101", "step s")] * 2)
    kept = baseline.sift(
        "a.yaml", [f, f._replace(line=5), f._replace(line=9)], subjects, frozenset()
    )
    assert [k.line for k in kept] == [9]
    assert (baseline.matched, baseline.stale) == (2, [])
    baseline = Baseline("b.json", [Entry("a.yaml", "BP101", "step s")] * 3)
    baseline.sift("a.yaml", [f], subjects, frozenset({"BP101"}))
    assert baseline.stale == [Entry("a.yaml", "BP101", "step s")] * 2


# ---------------------------------------------------------------------- what is compared


def test_what_a_finding_is_about_comes_from_the_nearest_node_with_an_id() -> None:
    text = dedent(
        """
        blueprint: 1
        steps:
          - title: Check in
            customer: [Give name]
            frontstage:
              - text: Register
                wait: 5m
                fail_points: [No reservation]
        flows: [give-name -> register]
        """
    )
    bp = check_bytes(text.encode()).blueprint
    assert bp is not None
    from blueprint_cli.model.subjects import subjects

    paths = [
        ("steps", 0),
        ("steps", 0, "frontstage", 0, "wait", "expected"),
        ("steps", 0, "frontstage", 0, "fail_points", 0, "severity"),
        ("steps", 0, "frontstage", 7, "text"),  # a part the model does not hold: the step
        ("flows", 0),
        ("title",),
    ]
    assert list(subjects(bp, paths).values()) == [
        "step check-in",  # the id derived from the title
        "action register: wait.expected",
        "fail point no-reservation: severity",
        "step check-in: frontstage.text",
        "flow give-name -> register",
        "blueprint: title",
    ]


def test_a_finding_the_model_cannot_place_is_about_its_message_without_numbers() -> None:
    f = Finding("a.yaml", 3, 7, "BP001", Severity.ERROR, "bad at line 3, column 7")
    assert about(f, {}) == "bad at line #, column #"
    assert about(f._replace(path=("steps", 0)), {("steps", 0): "step a"}) == "step a"


def test_broken_yaml_stays_baselined_when_lines_move(repo: Path) -> None:
    broken = repo / "blueprints" / "broken.yaml"
    broken.write_text("blueprint: 1\nsteps: [\n", encoding="utf-8")
    write_baseline("blueprints", select=["--select", "BP0"])
    broken.write_text("# a comment\n\nblueprint: 1\nsteps: [\n", encoding="utf-8")
    code, out, _ = lint("--baseline", "baseline.json", "--select", "BP0", "blueprints")
    assert (code, codes(out)) == (0, [])


# ----------------------------------------------------------------------------- the file


def test_the_file_is_versioned_sorted_one_entry_a_line_and_the_same_every_time(
    repo: Path,
) -> None:
    (repo / "blueprints" / "a.yaml").write_text(dedent(HOTEL), encoding="utf-8")
    write_baseline("blueprints")
    first = (repo / "baseline.json").read_bytes()
    write_baseline("blueprints/hotel.yaml", "blueprints/a.yaml")  # another order
    assert (repo / "baseline.json").read_bytes() == first
    doc = json.loads(first)
    assert doc["version"] == 1
    entries = doc["findings"]
    assert len(entries) == 2 * RECORDED
    keys = [(e["file"], e["code"], e["about"], e["message"]) for e in entries]
    assert keys == sorted(keys)
    assert {e["file"] for e in entries} == {"blueprints/a.yaml", "blueprints/hotel.yaml"}
    lines = first.decode().splitlines()
    assert sum(1 for line in lines if line.strip().startswith('{"file"')) == len(entries)
    assert [p.name for p in repo.iterdir() if p.name.startswith(".")] == []  # no temporary


def test_an_empty_baseline_is_valid(repo: Path) -> None:
    (repo / "blueprints" / "hotel.yaml").write_text("blueprint: 1\n", encoding="utf-8")
    write_baseline("blueprints")
    assert json.loads((repo / "baseline.json").read_text()) == {"version": 1, "findings": []}
    assert lint("--baseline", "baseline.json", *SELECT, "blueprints")[0] == 0


def test_paths_are_relative_to_the_baseline_so_it_works_from_any_folder(repo: Path) -> None:
    write_baseline("blueprints")  # from the root, as CI runs it
    os.chdir(repo / "blueprints")  # a designer, in the folder of the blueprints
    code, out, _ = lint("--baseline", "../baseline.json", *SELECT, "--fail-on", "info", ".")
    assert (code, codes(out)) == (0, [])
    code, out, _ = lint(
        "--baseline", str(repo / "baseline.json"), *SELECT, "--fail-on", "info", "hotel.yaml"
    )
    assert (code, codes(out)) == (0, [])
    # and written from there, it names the same files
    code, _, _ = lint("--write-baseline", "../baseline2.json", *SELECT, "hotel.yaml")
    assert code == 0
    assert (repo / "baseline2.json").read_bytes() == (repo / "baseline.json").read_bytes()


def test_stdin_is_matched_by_its_stdin_filename(repo: Path) -> None:
    write_baseline("blueprints")
    text = (repo / "blueprints" / "hotel.yaml").read_text()
    args = ["--baseline", "baseline.json", *SELECT, "--fail-on", "info", "-"]
    code, out, _ = lint(*args, "--stdin-filename", "blueprints/hotel.yaml", stdin=text)
    assert (code, codes(out)) == (0, [])
    code, out, _ = lint(*args, "--stdin-filename", "elsewhere.yaml", stdin=text)
    assert code == 1
    assert len(codes(out)) == RECORDED


def test_files_not_checked_this_run_keep_their_entries_quietly(repo: Path) -> None:
    """pre-commit names only the files changed: the others' entries are not stale. A
    file that is gone, or a rule not run this time, is another matter."""
    (repo / "blueprints" / "other.yaml").write_text(dedent(HOTEL), encoding="utf-8")
    write_baseline("blueprints")
    _, _, err = lint("--baseline", "baseline.json", *SELECT, "blueprints/hotel.yaml")
    assert err == ""
    _, _, err = lint("--baseline", "baseline.json", "--select", "BP101", "blueprints")
    assert err == ""  # the entries of BP104 and BP006: their rules did not run
    (repo / "blueprints" / "other.yaml").unlink()
    _, _, err = lint("--baseline", "baseline.json", *SELECT, "blueprints/hotel.yaml")
    assert f"{RECORDED} entries no longer match" in err


# --------------------------------------------------------------- formats and other options


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_every_format_reports_only_the_new_findings(repo: Path, fmt: str) -> None:
    write_baseline("blueprints")
    edit(
        repo / "blueprints" / "hotel.yaml",
        "flows:",
        "  - {id: pay, title: Pay, customer: [Pay]}\nflows:",
    )
    code, out, _ = lint(
        "--baseline", "baseline.json", *SELECT, "--fail-on", "warning", "-f", fmt, "blueprints"
    )
    assert code == 1
    if fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        assert [r["ruleId"] for r in results] == ["BP101"]
        return
    assert out.count("BP101") >= 1
    assert "BP104" not in out
    assert "BP006" not in out
    if fmt == "json":
        doc = json.loads(out)
        assert doc["summary"]["baselined"] == RECORDED
        assert [f["code"] for f in doc["findings"]] == ["BP101"]
    if fmt == "gitlab":
        assert len(json.loads(out)) == 1


def test_without_a_baseline_the_json_report_is_as_before(repo: Path) -> None:
    _, out, _ = lint(*SELECT, "-f", "json", "blueprints")
    assert "baselined" not in json.loads(out)["summary"]


def test_suppressed_and_ignored_findings_are_not_recorded(repo: Path) -> None:
    hotel = repo / "blueprints" / "hotel.yaml"
    edit(hotel, "  - id: check-in\n", "  - id: check-in  # blueprint: ignore[BP101]\n")
    write_baseline("blueprints", select=["--ignore", "BP006", *SELECT])
    entries = json.loads((repo / "baseline.json").read_text())["findings"]
    assert [e["code"] for e in entries] == ["BP104"]


# ------------------------------------------------------------------------- what is refused


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "missing.json: no such baseline file"),
        ('{"version": 1,\n  "findings": [}\n', "bad.json:2:16: not a baseline: invalid JSON"),
        (b"\xff\xfe", "bad.json: not a baseline: not UTF-8"),
        ('{"version": 99, "findings": []}', "bad.json: baseline version 99 is not supported"),
        ('{"findings": []}', "bad.json: not a blueprint baseline: no 'version'"),
        ("[1, 2]", "bad.json: not a blueprint baseline: no 'version'"),
        ('{"version": 1, "findings": {}}', "bad.json: not a blueprint baseline: 'findings' is not"),
        (
            '{"version": 1, "findings": [{"file": "a.yaml"}]}',
            "bad.json: findings[0] has no 'code' text",
        ),
        ('{"version": true, "findings": []}', "bad.json: baseline version true is not"),
    ],
)
def test_a_bad_baseline_is_one_line_and_exit_2(
    repo: Path, content: str | bytes | None, expected: str
) -> None:
    name = "missing.json" if content is None else "bad.json"
    if isinstance(content, bytes):
        (repo / name).write_bytes(content)
    elif content is not None:
        (repo / name).write_text(content, encoding="utf-8")
    code, out, err = lint("--baseline", name, "blueprints")
    assert code == 2
    assert out == ""
    assert err.startswith(f"blueprint: error: {expected}")
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_directory_is_not_a_baseline(repo: Path) -> None:
    code, _, err = lint("--baseline", "blueprints", "blueprints")
    assert (code, err) == (2, "blueprint: error: blueprints: is a directory, not a baseline file\n")


def test_baseline_and_write_baseline_together_are_a_usage_error(repo: Path) -> None:
    code, _, err = lint("--baseline", "a.json", "--write-baseline", "b.json", "blueprints")
    assert code == 2
    assert "not both" in err
    assert not (repo / "b.json").exists()


def test_a_baseline_is_never_written_over_a_blueprint(repo: Path) -> None:
    before = (repo / "blueprints" / "hotel.yaml").read_bytes()
    for target in ("blueprints/hotel.yaml", "new.yaml"):
        code, _, err = lint("--write-baseline", target, "blueprints")
        assert code == 2
        assert err.startswith("blueprint: error: ")
    assert (repo / "blueprints" / "hotel.yaml").read_bytes() == before
    assert not (repo / "new.yaml").exists()


def test_a_run_stopped_by_an_error_writes_no_baseline(repo: Path) -> None:
    code, _, err = lint("--write-baseline", "baseline.json", "blueprints", "nope.yaml")
    assert code == 2
    assert "nope.yaml" in err
    assert "baseline.json: not written" in err
    assert not (repo / "baseline.json").exists()


def test_a_real_process_round_trip(repo: Path) -> None:
    blueprint = [sys.executable, "-m", "blueprint_cli", "lint", *SELECT]
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [*blueprint, "--write-baseline", "baseline.json", "blueprints"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")
    done = subprocess.run(
        [*blueprint, "--baseline", "baseline.json", "--fail-on", "info", "blueprints"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("ok: 1 file checked, no problems")
    assert file_key(str(repo / "blueprints" / "hotel.yaml"), str(repo)) == "blueprints/hotel.yaml"


def test_files_checked_in_parallel_say_what_their_findings_are_about(repo: Path) -> None:
    """Subjects travel back from the worker processes with the findings."""
    from blueprint_cli.config import Overrides
    from blueprint_cli.pipeline.lint import lint_paths
    from blueprint_cli.pipeline.run import RunOptions

    for i in range(20):
        (repo / "blueprints" / f"h{i:02}.yaml").write_text(dedent(HOTEL), encoding="utf-8")
    options = RunOptions(Overrides(select=["BP101", "BP104", "BP006"]), jobs=2)
    recorder = Baseline("baseline.json", recording=True)
    lint_paths(["blueprints"], options, recorder)
    assert len(recorder.entries) == 21 * RECORDED
    abouts = {e.about.partition(":")[0] for e in recorder.entries}
    assert abouts == {"step check-in", "fail point no-reservation", "flow register -> nowhere"}
    one_by_one = Baseline("baseline.json", recording=True)
    lint_paths(["blueprints"], RunOptions(options.overrides, jobs=1), one_by_one)
    assert one_by_one.text() == recorder.text()


def test_an_entry_of_a_replaced_rule_matches_the_rule_that_replaced_it(tmp_path: Path) -> None:
    from blueprint_cli.pipeline.baseline import load

    base = tmp_path / "b.json"
    base.write_text(
        '{"version": 1, "findings": [\n'
        '{"file": "a.yaml", "code": "BP103", "about": "fail point x", "message": ""}\n]}\n',
        encoding="utf-8",
    )
    assert [e.code for e in load(str(base)).entries] == ["BP119"]
