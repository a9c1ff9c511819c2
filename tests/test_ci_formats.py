"""CI formats: the same findings come out of every reporter; SARIF is valid and stable;
GitHub annotations are chosen under GITHUB_ACTIONS; many files give the same report
whatever the parallelism."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.generate import generate
from blueprint_cli.cli import app
from blueprint_cli.pipeline.lint import lint_paths
from blueprint_cli.pipeline.run import RunOptions
from blueprint_cli.reporters._common import write_json
from tests.conftest import EXAMPLES

runner = CliRunner()

BROKEN = """\
blueprint: 1
phases: [Before, During, After]
actors: [Clerk]
steps:
  - {id: a, title: Arrive, phase: before, customer: [{id: walk, text: "Walk in, smile"}]}
  - id: b
    title: Pay
    phase: during
    evidance: [Bill]
    customer: [{id: pay, text: Pay}]
    backstage: [{id: till, text: "Count: the till"}]
    frontstage:
      - text: Charge
        fail_points: [{text: "Double charge, 100%", severity: 9}]
flows:
  - pay -> till
  - walk -> nowhere
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "broken.yaml").write_text(BROKEN)
    (tmp_path / "blueprints" / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def lint(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["lint", "blueprints", "--fail-on", "info", *args])
    return result.exit_code, result.stdout


def from_json(out: str) -> list[tuple[str, int, int, str]]:
    return [(f["file"], f["line"], f["column"], f["code"]) for f in json.loads(out)["findings"]]


def from_text(out: str) -> list[tuple[str, int, int, str]]:
    found = []
    for line in out.splitlines():
        m = re.match(r"^(.+?):(\d+):(\d+): \w+ (BP\d{3}) ", line)
        if m:
            found.append((m[1], int(m[2]), int(m[3]), m[4]))
    return found


def from_github(out: str) -> list[tuple[str, int, int, str]]:
    found = []
    for line in out.splitlines():
        m = re.match(
            r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(BP\d{3})", line
        )
        if m:
            found.append(
                (
                    m[2].replace("%2C", ",").replace("%3A", ":").replace("%25", "%"),
                    int(m[3]),
                    int(m[4]),
                    m[5],
                )
            )
    return found


def from_sarif(out: str) -> list[tuple[str, int, int, str]]:
    run = json.loads(out)["runs"][0]
    found = []
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        found.append(
            (
                loc["artifactLocation"]["uri"],
                loc["region"]["startLine"],
                loc["region"]["startColumn"],
                r["ruleId"],
            )
        )
    return found


def from_junit(out: str) -> list[tuple[str, int, int, str]]:
    root = ET.fromstring(out)
    found = []
    for failure in root.iter("failure"):
        m = re.match(r"^(.+?):(\d+):(\d+): \w+ (BP\d{3}) ", failure.text or "")
        assert m, failure.text
        found.append((m[1], int(m[2]), int(m[3]), m[4]))
    return found


def from_gitlab(out: str) -> list[tuple[str, int, str]]:
    return [
        (i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"].split()[0])
        for i in json.loads(out)
    ]


def test_every_format_gives_the_same_findings(project: Path) -> None:
    code, out = lint("--format", "json")
    assert code == 1
    expected = from_json(out)
    assert len(expected) > 10 and {f[0] for f in expected} == {
        "blueprints/broken.yaml",
        "blueprints/hotel.yaml",
    }
    assert from_text(lint("--format", "text")[1]) == expected
    assert from_github(lint("--format", "github")[1]) == expected
    assert from_sarif(lint("--format", "sarif")[1]) == expected
    assert from_junit(lint("--format", "junit")[1]) == expected
    assert from_gitlab(lint("--format", "gitlab")[1]) == [(f, ln, c) for f, ln, _, c in expected]


def test_sarif_is_valid_stable_and_relative(project: Path) -> None:
    from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as Sarif

    _, first = lint("--format", "sarif")
    _, second = lint("--format", "sarif")
    assert first == second
    Sarif.model_validate(json.loads(first))
    doc = json.loads(first)
    driver = doc["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]][:2] == ["BP001", "BP002"]
    assert all(r["help"]["text"] for r in driver["rules"])
    assert str(project) not in first  # relative paths only
    for result in doc["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_github_format_is_automatic_in_actions(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out = lint()
    lines = out.splitlines()
    expected = (
        "::error file=blueprints/broken.yaml,line=9,col=5,title=BP002 unknown-key::unknown "
        "key 'evidance' in step 'b' (did you mean 'evidence'?)"
    )
    assert expected in lines
    # properties are escaped: a comma or colon in a message cannot break the command
    assert "::warning file=blueprints/broken.yaml" in out


def test_gitlab_fingerprints_are_stable_when_lines_move(project: Path) -> None:
    _, before = lint("--format", "gitlab")
    path = project / "blueprints" / "broken.yaml"
    path.write_text("# a comment pushes everything down\n" + path.read_text())
    _, after = lint("--format", "gitlab")
    prints = lambda out: sorted(i["fingerprint"] for i in json.loads(out))  # noqa: E731
    assert prints(before) == prints(after)
    assert len(set(prints(before))) == len(prints(before))


def test_output_file_and_terminal_text(project: Path) -> None:
    code, out = lint("--format", "sarif", "--output-file", "reports/blueprint.sarif")
    assert code == 1
    assert json.loads((project / "reports" / "blueprint.sarif").read_text())["version"] == "2.1.0"
    assert out.splitlines()[-1].startswith("failed: 2 files checked")


def test_exit_zero_quiet_statistics(project: Path) -> None:
    code, out = lint("--exit-zero")
    assert code == 0 and out.splitlines()[-1].startswith("failed:")
    _, quiet = lint("--quiet")
    assert not quiet.splitlines()[-1].startswith(("failed", "ok"))
    _, stats = lint("--statistics")
    lines = stats.splitlines()
    assert re.match(r"^\s*\d+  BP\d{3}  \S+", lines[0])
    assert sum(int(line.split()[0]) for line in lines[:-1]) == len(from_json(lint("-f", "json")[1]))
    missing = runner.invoke(app, ["lint", "nope.yaml", "--exit-zero"])
    assert missing.exit_code == 2


def test_include_and_exclude_from_configuration(project: Path) -> None:
    (project / "blueprints" / "drafts").mkdir()
    (project / "blueprints" / "drafts" / "wip.yaml").write_text("blueprint: 1\nnot: [a blueprint\n")
    (project / "blueprints" / "notes.bp").write_bytes((EXAMPLES / "garage.yaml").read_bytes())
    (project / "blueprint.toml").write_text(
        'include = ["*.yaml", "*.bp"]\nexclude = ["blueprints/drafts/*"]\n'
    )
    files = {f for f, *_ in from_json(lint("--format", "json")[1])}
    assert files == {"blueprints/broken.yaml", "blueprints/hotel.yaml", "blueprints/notes.bp"}
    # a glob with a folder is relative to the configuration file, wherever lint runs
    (project / "blueprint.toml").write_text('exclude = ["drafts/*"]\n')
    files = {f for f, *_ in from_json(lint("--format", "json")[1])}
    assert "blueprints/drafts/wip.yaml" in files
    # a bare name matches a file or folder of that name anywhere below
    (project / "blueprint.toml").write_text('exclude = ["drafts"]\n')
    files = {f for f, *_ in from_json(lint("--format", "json")[1])}
    assert files == {"blueprints/broken.yaml", "blueprints/hotel.yaml"}


def test_a_thousand_files_same_report_whatever_the_parallelism(tmp_path: Path) -> None:
    for i in range(1000):
        data = generate(1 + i % 3, seed=i)
        if i % 97 == 0:
            data["steps"][0]["evidance"] = ["typo"]
        (tmp_path / f"bp{i:04}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    one = lint_paths([str(tmp_path)], RunOptions(jobs=1))
    many = lint_paths([str(tmp_path)], RunOptions(jobs=2))
    assert len(one.files) == 1000
    assert one.files == many.files and one.findings == many.findings
    assert sum(1 for f in one.findings if f.code == "BP002") == len(range(0, 1000, 97))


def test_progress_never_in_logs(project: Path) -> None:
    result = runner.invoke(app, ["lint", "blueprints"])
    assert "linting" not in result.stderr


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(_json_values)
def test_write_json_is_byte_for_byte_json_dump_with_indent(doc: object) -> None:
    """The reporters' fast JSON writer changes nothing but the time it takes, and the
    characters a terminal would act on, written as \\u escapes (the same data)."""
    from blueprint_cli.text import json_safe

    out = io.StringIO()
    write_json(doc, out)
    assert out.getvalue() == json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"
    assert json.loads(out.getvalue()) == json.loads(json.dumps(doc))


def test_write_json_in_pieces_is_the_same_document() -> None:
    """Large reports are written in pieces; the pieces join to the same bytes."""
    doc = {
        "findings": [{"file": "a ü 🚗", "line": i, "ok": i % 2 == 0} for i in range(9000)],
        "nested": [[{"x": [i, {"y": None}]}] for i in range(3000)],
    }
    out = io.StringIO()
    write_json(doc, out)
    assert out.getvalue() == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
