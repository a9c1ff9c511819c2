"""CI formats: the same findings come out of every reporter; SARIF is valid and stable;
GitHub annotations are chosen under GITHUB_ACTIONS; many files give the same report
whatever the parallelism."""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmarks.generate import generate
from blueprint_cli.cli import app
from blueprint_cli.pipeline.lint import lint_paths
from blueprint_cli.pipeline.run import RunOptions
from blueprint_cli.reporters._common import write_json
from tests.conftest import EXAMPLES, ROOT

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
    """A project (a git work tree: CI reports name files from its top) with two blueprints."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "broken.yaml").write_text(BROKEN)
    (tmp_path / "blueprints" / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
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
    for failure in root.iter("failure"):  # one a file: a line a finding
        for line in (failure.text or "").splitlines():
            m = re.match(r"^(.+?):(\d+):(\d+): \w+ (BP\d{3}) ", line)
            assert m, line
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


SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"


def sarif_errors(doc: object) -> list[str]:
    """What the official SARIF 2.1.0 schema (tests/schemas/README.md) says is wrong with a
    document, formats checked: ``uri-reference`` by rfc3986-validator. The schema is
    draft-04, whose own format checker knows no ``uri-reference``: ``FormatChecker()``
    holds every format jsonschema knows."""
    from jsonschema import Draft4Validator, FormatChecker

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


ODD_NAMES = ["my blueprint.yaml", "100%#x.yaml", "café.yaml", "a:b?.yaml"]


def test_sarif_of_oddly_named_files_is_valid_by_the_official_schema(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in ODD_NAMES:
        (project / "blueprints" / name).write_text(BROKEN, encoding="utf-8")
    outside = tmp_path_factory.mktemp("elsewhere") / "far away.yaml"
    outside.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(
        app,
        ["lint", "blueprints", str(outside), "-", "--format", "sarif"],
        input=BROKEN,
    )
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    assert sarif_errors(doc) == []
    run = doc["runs"][0]
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True)
        for r in run["results"]
    }
    relative = {
        "blueprints/broken.yaml",
        "blueprints/hotel.yaml",
        "blueprints/my%20blueprint.yaml",
        "blueprints/100%25%23x.yaml",
        "blueprints/caf%C3%A9.yaml",
        "blueprints/a%3Ab%3F.yaml",
    }
    assert locations == {
        *(json.dumps({"uri": uri, "uriBaseId": "%SRCROOT%"}, sort_keys=True) for uri in relative),
        json.dumps({"uri": outside.as_uri()}, sort_keys=True),  # no base: absolute
        json.dumps(
            {"uri": "%3Cstdin%3E", "description": {"text": "standard input"}}, sort_keys=True
        ),
    }
    assert "%20" in outside.as_uri()
    # the base is declared, without this machine's folder: the same bytes everywhere
    assert set(run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert "uri" not in run["originalUriBaseIds"]["%SRCROOT%"]
    assert str(project) not in result.stdout


def test_the_schema_check_catches_a_raw_path(project: Path) -> None:
    """The validation above would prove nothing if the uri-reference check did not fire."""
    doc = json.loads(lint("--format", "sarif")[1])
    assert sarif_errors(doc) == []
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    for raw in ["100%#x.yaml", "my blueprint.yaml", "café.yaml", "<stdin>"]:
        location["artifactLocation"]["uri"] = raw
        errors = sarif_errors(doc)
        assert len(errors) == 1 and "uri-reference" in errors[0], (raw, errors)


def test_sarif_rules_link_to_their_section_of_the_docs() -> None:
    from blueprint_cli.pipeline.check import rule_infos
    from blueprint_cli.reporters.sarif import INFO_URI, _rules

    # the anchors GitHub gives the headings of docs/rules.md: lower case, punctuation but
    # hyphens and underscores dropped, spaces as hyphens
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", docs, flags=re.MULTILINE)
    anchors = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    rules = _rules(rule_infos())
    assert len(rules) > 30
    for rule in rules:
        page, _, anchor = rule["helpUri"].partition("#")
        assert page == f"{INFO_URI}/blob/main/docs/rules.md"
        assert anchor in anchors and anchor.startswith(rule["id"].lower() + "-"), rule["helpUri"]


def test_ci_paths_are_from_the_project_root_wherever_lint_runs(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SARIF, GitLab Code Quality, GitHub annotations and JUnit's ``file`` name files from
    the project root: GitLab's CI_PROJECT_DIR, else the top of the git work tree, else
    the current directory."""
    (project / "blueprints" / "my blueprint.yaml").write_text(BROKEN, encoding="utf-8")
    (project.parent / "elsewhere.yaml").write_text(BROKEN, encoding="utf-8")
    expected = {"blueprints/broken.yaml", "blueprints/hotel.yaml", "blueprints/my blueprint.yaml"}

    def paths() -> tuple[set[str], set[str]]:
        sarif = runner.invoke(app, ["lint", ".", "--fail-on", "info", "-f", "sarif"]).stdout
        gitlab = runner.invoke(app, ["lint", ".", "--fail-on", "info", "-f", "gitlab"]).stdout
        github = runner.invoke(app, ["lint", ".", "--fail-on", "info", "-f", "github"]).stdout
        junit = runner.invoke(app, ["lint", ".", "--fail-on", "info", "-f", "junit"]).stdout
        sarif_paths = {unquote(uri) for uri, *_ in from_sarif(sarif)}
        assert {path for path, *_ in from_github(github)} == sarif_paths  # annotations too
        files = {case.get("file") for case in ET.fromstring(junit).iter("testcase")}
        assert files == sarif_paths  # and JUnit's file attribute
        return (sarif_paths, {path for path, *_ in from_gitlab(gitlab)})

    def fingerprints() -> list[str]:
        out = runner.invoke(app, ["lint", ".", "-f", "gitlab"]).stdout
        return sorted(issue["fingerprint"] for issue in json.loads(out))

    assert paths() == (expected, expected)  # from the root
    at_root = fingerprints()
    monkeypatch.chdir(project / "blueprints")
    assert paths() == (expected, expected)  # from a folder below: the git work tree's top
    assert fingerprints() == at_root  # the same findings, wherever lint runs
    outside = runner.invoke(app, ["lint", "../../elsewhere.yaml", "-f", "gitlab"])
    assert json.loads(outside.stdout)[0]["location"]["path"] == str(
        (project.parent / "elsewhere.yaml").resolve()
    ).replace(os.sep, "/")  # outside the project: absolute
    (project / ".git").rmdir()
    assert paths() == ({p.removeprefix("blueprints/") for p in expected},) * 2  # no git: here
    monkeypatch.setenv("CI_PROJECT_DIR", str(project))
    assert paths() == (expected, expected)  # GitLab says where the project is
    # a text report still names files from where lint runs
    text = runner.invoke(app, ["lint", "."]).stdout
    assert {line.split(":")[0] for line in text.splitlines()[:-1]} == {
        "./" + p.removeprefix("blueprints/") for p in expected
    }


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


def junit_counts(out: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The counts our JUnit report states on <testsuites> and <testsuite>, and those
    junitparser (a JUnit client) recounts from the test cases."""
    from junitparser import JUnitXml

    names = ("tests", "failures", "errors", "skipped")
    root = ET.fromstring(out)
    stated = [{n: int(elem.get(n, "0")) for n in names} for elem in (root, root[0])]
    xml = JUnitXml.fromstring(out)
    xml.update_statistics()
    recounted = {n: getattr(xml, n) for n in names}
    return stated[0], stated[1], recounted


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="a named pipe: POSIX")
def test_junit_counts_are_what_a_client_recounts(project: Path) -> None:
    from junitparser import Error, Failure, JUnitXml

    def results(out: str) -> list[object]:
        return [r for suite in JUnitXml.fromstring(out) for case in suite for r in case.result]

    def junit(*paths: str, fail_on: str = "error") -> tuple[int, str]:
        result = runner.invoke(app, ["lint", *paths, "-f", "junit", "--fail-on", fail_on])
        return result.exit_code, result.stdout

    # a clean run
    code, out = junit("blueprints/hotel.yaml")
    assert code == 0
    outer, inner, recounted = junit_counts(out)
    assert outer == inner == recounted == {"tests": 1, "failures": 0, "errors": 0, "skipped": 0}
    # findings in several files, several in a file: one failed test case each
    (project / "blueprints" / "again.yaml").write_text(BROKEN)
    code, out = junit("blueprints", fail_on="info")
    assert code == 1
    outer, inner, recounted = junit_counts(out)
    assert outer == inner == recounted == {"tests": 3, "failures": 3, "errors": 0, "skipped": 0}
    failures = results(out)
    assert len(failures) == 3 and all(isinstance(r, Failure) for r in failures)
    assert any(
        "findings at or above info; the first: 2:1: BP114" in r.message  # type: ignore[attr-defined]
        for r in failures
    )
    # I/O errors (a missing file, one that cannot be read) fail the run, not only its exit code
    os.mkfifo(project / "pipe.yaml")
    code, out = junit("nope.yaml", "pipe.yaml", "blueprints/hotel.yaml")
    assert code == 2
    outer, inner, recounted = junit_counts(out)
    assert outer == inner == recounted == {"tests": 3, "failures": 0, "errors": 2, "skipped": 0}
    errors = results(out)
    assert all(isinstance(r, Error) for r in errors)
    assert {r.message for r in errors} == {  # type: ignore[attr-defined]
        "nope.yaml: no such file or directory",
        "pipe.yaml: not a regular file",
    }


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


def _unescape_data(text: str) -> str:
    """How the Actions runner reads a command's message (toolkit's unescapeData)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    """How the runner reads a property (unescapeProperty): the data escapes and : ,"""
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    name=st.lists(st.sampled_from([*"ab %:,\r\n#.", "%25", "%0A"]), min_size=1).map("".join),
    message=st.lists(st.sampled_from([*"xy %:,\r\n", "::", "%3A"]), max_size=30).map("".join),
)
def test_github_annotations_round_trip(name: str, message: str) -> None:
    """Whatever a file name or a message holds, the runner reads back exactly it: one
    command per line, and no text that ends a property or starts a command."""
    from io import StringIO

    from blueprint_cli.findings import Finding, Report, Severity
    from blueprint_cli.reporters import github

    finding = Finding(f"<{name}>", 3, 4, "BP101", Severity.WARNING, message, "missing-evidence")
    out = StringIO()
    github.report(Report(findings=[finding]), out, color=False, quiet=True)
    line = out.getvalue()
    assert line.endswith("\n") and line.count("\n") == 1 and "\r" not in line
    m = re.fullmatch(r"::warning file=([^,:]*),line=3,col=4,title=([^,:]*)::(.*)\n", line)
    assert m, line
    assert _unescape_property(m[1]) == f"<{name}>"
    assert _unescape_property(m[2]) == "BP101 missing-evidence"
    assert _unescape_data(m[3]) == message
