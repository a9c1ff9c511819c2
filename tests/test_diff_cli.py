"""`blueprint diff`: the command over two files, over git revisions, as git's textconv
and external diff driver; its formats (golden files), its gates and its schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from blueprint_cli.analysis.diff import GATES
from blueprint_cli.cli import app

HERE = Path(__file__).parent
ROOT = HERE.parent
PAIRS = HERE / "diff"
GOLDEN = HERE / "golden" / "diff"
BIN = Path(sys.executable).parent
runner = CliRunner()

FORMATS = {"text": "txt", "json": "json", "markdown": "md"}
CASES = {
    f"{pair}.{suffix}": (pair, fmt)
    for pair in ("restaurant", "hotel")
    for fmt, suffix in FORMATS.items()
}


def _diff(pair: str, fmt: str) -> str:
    os.chdir(ROOT)  # the names in the output are relative
    result = runner.invoke(
        app,
        ["diff", f"tests/diff/{pair}-v1.yaml", f"tests/diff/{pair}-v2.yaml", "--format", fmt],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def write_golden() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, args in CASES.items():
        (GOLDEN / name).write_text(_diff(*args), encoding="utf-8")


@pytest.mark.parametrize("name", list(CASES))
def test_each_format_of_each_pair_is_its_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert _diff(*CASES[name]) == expected, "run `make golden` and review the diff"


def test_the_text_is_the_lines_of_the_changes_then_review_and_totals() -> None:
    lines = _diff("hotel", "text").splitlines()
    assert lines[0] == "+ evidence check-in: Queue time display"
    assert lines[-2].startswith("= review: ")
    assert lines[-1] == "= total risk 896 → 864; unmitigated fail points 0 → 1"


def test_a_file_against_itself_has_no_change() -> None:
    hotel = str(PAIRS / "hotel-v1.yaml")
    result = runner.invoke(app, ["diff", hotel, hotel])
    assert (result.exit_code, result.stdout) == (0, "no change in the service\n")


def _schema() -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "schemas" / "diff.schema.json").read_text()))


@pytest.mark.parametrize("pair", ["restaurant", "hotel"])
def test_the_json_matches_its_schema(pair: str) -> None:
    doc = json.loads(_diff(pair, "json"))
    assert list(_schema().iter_errors(doc)) == []
    assert len(doc["new"]["sha256"]) == 64
    assert doc["changes"][0].keys() == {"sign", "kind", "id", "what", "tags", "path"}


def test_the_schema_lists_every_gate() -> None:
    schema = json.loads((ROOT / "schemas" / "diff.schema.json").read_text())
    assert schema["$defs"]["gate"]["enum"] == list(GATES)


def test_fail_on_risk_up_exits_1_on_a_risk_increase_and_0_without() -> None:
    v1, v2 = str(PAIRS / "hotel-v1.yaml"), str(PAIRS / "hotel-v2.yaml")
    up = runner.invoke(app, ["diff", v2, v1, "--fail-on", "risk-up"])
    assert up.exit_code == 1
    assert "risk-up" in up.stderr and "no-reservation" in up.stderr
    assert len(up.stderr.splitlines()) == 1
    down = runner.invoke(app, ["diff", v1, v2, "--fail-on", "risk-up"])
    assert down.exit_code == 0, down.stderr
    removed = runner.invoke(app, ["diff", v1, v2, "--fail-on", "risk-up,evidence-removed"])
    assert removed.exit_code == 1 and "evidence-removed" in removed.stderr


def test_an_unknown_gate_is_a_usage_error_with_did_you_mean() -> None:
    v1 = str(PAIRS / "hotel-v1.yaml")
    result = runner.invoke(app, ["diff", v1, v1, "--fail-on", "risk-upp"])
    assert result.exit_code == 2
    assert "did you mean risk-up?" in result.stderr
    assert "evidence-removed" in result.stderr


def test_a_missing_file_and_wrong_arguments_exit_2(tmp_path: Path) -> None:
    v1 = str(PAIRS / "hotel-v1.yaml")
    assert runner.invoke(app, ["diff", v1, str(tmp_path / "none.yaml")]).exit_code == 2
    assert runner.invoke(app, ["diff", v1]).exit_code == 2
    directory = runner.invoke(app, ["diff", str(PAIRS), v1])
    assert directory.exit_code == 2 and "is a directory" in directory.stderr


def test_a_version_with_errors_is_reported_and_still_compared(tmp_path: Path) -> None:
    text = (PAIRS / "hotel-v1.yaml").read_text("utf-8")
    broken = text.replace(
        "      - Registration card\n", "      - Registration card\n    evidance: x\n", 1
    )
    assert broken != text
    (tmp_path / "v2.yaml").write_text(broken, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "diff",
            str(PAIRS / "hotel-v1.yaml"),
            str(tmp_path / "v2.yaml"),
            "--fail-on",
            "new-errors",
        ],
    )
    assert result.exit_code == 1
    assert "v2.yaml:" in result.stderr and "BP002" in result.stderr
    assert "= review: " in result.stdout and "+1 BP002" in result.stdout


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=t@x", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "blueprints").mkdir(parents=True)
    git(repo, "init", "-q")
    target = repo / "blueprints" / "hotel.blueprint.yaml"
    target.write_bytes((PAIRS / "hotel-v1.yaml").read_bytes())
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    target.write_bytes((PAIRS / "hotel-v2.yaml").read_bytes())
    git(repo, "commit", "-qam", "v2")
    target.write_bytes((PAIRS / "hotel-v1.yaml").read_bytes())  # the work tree: v1 again
    return repo


def _cli(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "NO_COLOR": "1",
        **(env or {}),
    }
    return subprocess.run(
        [str(BIN / "blueprint"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_git_rev_file_reads_the_old_version_from_git(repo: Path) -> None:
    proc = _cli(repo, "diff", "--git", "HEAD~1", "blueprints/hotel.blueprint.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "no change in the service\n"  # the work tree is v1 again
    proc = _cli(repo, "diff", "--git", "HEAD", "blueprints/hotel.blueprint.yaml", "-f", "json")
    doc = json.loads(proc.stdout)
    assert doc["old"]["file"] == "blueprints/hotel.blueprint.yaml@HEAD"
    assert "+ evidence" not in proc.stdout
    assert any(c["what"] == "Queue time display" and c["sign"] == "-" for c in doc["changes"])


def test_git_rev1_dot_dot_rev2_reads_both_from_git(repo: Path) -> None:
    proc = _cli(repo / "blueprints", "diff", "--git", "HEAD~1..HEAD", "hotel.blueprint.yaml")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "+ evidence check-in: Queue time display"


def test_git_a_file_new_since_rev_is_all_added_and_a_bad_rev_exits_2(repo: Path) -> None:
    (repo / "new.yaml").write_bytes((PAIRS / "restaurant-v1.yaml").read_bytes())
    proc = _cli(repo, "diff", "--git", "HEAD", "new.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "new.yaml did not exist at HEAD" in proc.stderr
    assert all(line.startswith(("+", "=")) for line in proc.stdout.splitlines())
    bad = _cli(repo, "diff", "--git", "no-such-rev", "new.yaml")
    assert bad.returncode == 2 and "unknown revision 'no-such-rev'" in bad.stderr
    assert len(bad.stderr.splitlines()) == 1


def test_git_outside_a_repository_exits_2(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes((PAIRS / "restaurant-v1.yaml").read_bytes())
    proc = _cli(tmp_path, "diff", "--git", "HEAD", "a.yaml")
    assert proc.returncode == 2 and "not in a git repository" in proc.stderr


def test_textconv_makes_git_diff_an_id_keyed_outline(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.blueprint.yaml diff=blueprint\n")
    out = git(
        repo,
        "-c",
        f"diff.blueprint.textconv={BIN / 'blueprint'} diff --textconv",
        "diff",
        "HEAD~1",
        "HEAD",
    )
    assert "+  evidence queue-time-display" in out or "+  evidence" in out
    assert "-    fail point no-reservation risk 96 (8×3×4) prevention=yes recovery=yes" in out
    assert "+    fail point no-reservation risk 64 (8×2×4) prevention=yes recovery=yes" in out


def test_textconv_outline_is_one_line_a_node() -> None:
    result = runner.invoke(app, ["diff", "--textconv", str(PAIRS / "restaurant-v1.yaml")])
    assert result.exit_code == 0
    assert "step arrive 'Arrive'" in result.stdout
    assert "  action seat [frontstage] 'Seat guests'" in result.stdout


def test_the_external_driver_shows_the_semantic_diff(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.blueprint.yaml diff=blueprint\n")
    out = git(
        repo,
        "-c",
        f"diff.blueprint.command={BIN / 'blueprint'} diff --git-external",
        "diff",
        "HEAD~1",
        "HEAD",
    )
    assert "diff blueprints/hotel.blueprint.yaml" in out
    assert "+ evidence check-in: Queue time display" in out
    assert "~ fail point no-reservation: risk 96 → 64 (occurrence 3 → 2)" in out


def test_the_external_driver_takes_dev_null_as_added(tmp_path: Path) -> None:
    new = str(PAIRS / "restaurant-v1.yaml")
    args = ["x.yaml", "/dev/null", ".", ".", new, "0" * 40, "100644"]
    result = runner.invoke(app, ["diff", "--git-external", *args])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("diff x.yaml\n+ ")


@pytest.mark.parametrize("pair", ["restaurant", "hotel"])
def test_the_readme_shows_the_text_of_each_pair(pair: str) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    command = f"$ blueprint diff tests/diff/{pair}-v1.yaml tests/diff/{pair}-v2.yaml\n"
    assert f"```console\n{command}{_diff(pair, 'text')}```" in readme


def test_the_readme_lists_every_gate() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for gate in GATES:
        assert f"| `{gate}` |" in readme, gate


def test_the_format_choices_are_the_writers() -> None:
    from blueprint_cli.cli import DiffFormat
    from blueprint_cli.views.diff import WRITERS

    assert [f.value for f in DiffFormat] == list(WRITERS)


def test_colour_only_when_asked_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    v1, v2 = str(PAIRS / "hotel-v1.yaml"), str(PAIRS / "hotel-v2.yaml")
    coloured = runner.invoke(app, ["diff", v1, v2, "--color", "always"]).stdout
    assert "\x1b[32m+ evidence check-in: Queue time display\x1b[0m" in coloured
    assert "\x1b[31m- evidence arrive: Bell cart\x1b[0m" in coloured
    assert "\x1b[33m~ wait" in coloured
    assert "\x1b[" not in runner.invoke(app, ["diff", v1, v2]).stdout  # not a terminal
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in runner.invoke(app, ["diff", v1, v2, "--color", "auto"]).stdout


def test_output_to_a_file_and_never_over_an_input(tmp_path: Path) -> None:
    v1, v2 = str(PAIRS / "hotel-v1.yaml"), str(PAIRS / "hotel-v2.yaml")
    out = tmp_path / "diff.md"
    result = runner.invoke(app, ["diff", v1, v2, "-f", "markdown", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text("utf-8") == (GOLDEN / "hotel.md").read_text("utf-8").replace(
        "tests/diff/", str(PAIRS) + "/"
    )
    before = (PAIRS / "hotel-v2.yaml").read_bytes()
    assert runner.invoke(app, ["diff", v1, v2, "-o", v2]).exit_code == 2
    assert (PAIRS / "hotel-v2.yaml").read_bytes() == before


def test_the_fail_on_help_lists_every_gate() -> None:
    result = runner.invoke(app, ["diff", "--help"], terminal_width=400)
    flat = " ".join(result.stdout.split())
    for gate in GATES:
        assert gate in flat.replace("- ", "-"), gate


def test_the_external_driver_names_errors_by_the_path_in_the_repository(tmp_path: Path) -> None:
    old = tmp_path / "tmp_old.yaml"
    old.write_bytes((PAIRS / "restaurant-v1.yaml").read_bytes())
    new = tmp_path / "tmp_new.yaml"
    new.write_text(
        old.read_text("utf-8").replace("title: Book\n", "title: Book\n    evidance: x\n")
    )
    args = ["menu.yaml", str(old), "1" * 40, "100644", str(new), "2" * 40, "100644"]
    result = runner.invoke(app, ["diff", "--git-external", *args])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("menu.yaml:5:5: BP002")
    assert "BP002" in result.stderr


def test_a_version_with_no_usable_model_exits_2_with_its_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("blueprint: 1\nsteps: [\n")
    result = runner.invoke(app, ["diff", str(PAIRS / "restaurant-v1.yaml"), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad}:3:1: BP001 invalid YAML: did not find expected node content "
        "(while parsing a flow node)",
        f"blueprint: error: {bad}: no usable model",
    ]


@pytest.mark.parametrize("pair", ["hotel", "restaurant"])
def test_the_fast_diff_path_is_the_typer_path(pair: str) -> None:
    """``blueprint diff OLD NEW`` starts without typer: same output, same exit code."""
    from tests.test_cli import _main_in_a_process

    files = [str(PAIRS / f"{pair}-v1.yaml"), str(PAIRS / f"{pair}-v2.yaml")]
    fast = _main_in_a_process("diff", *files)
    slow = _main_in_a_process("diff", *files, "--color", "auto")
    assert fast[:3] == slow[:3] and fast[1]
    assert "typer" not in fast[3] and "typer" in slow[3]


def _broken(tmp_path: Path) -> Path:
    text = (PAIRS / "hotel-v1.yaml").read_text("utf-8")
    (tmp_path / "draft.yaml").write_text(
        text.replace("      - Registration card\n", "      - Registration card\n    evidance: x\n"),
        encoding="utf-8",
    )
    return tmp_path / "draft.yaml"


@pytest.mark.parametrize("case", ["pair", "old-draft", "new-draft", "old-missing", "git"])
def test_reading_the_old_version_in_a_child_changes_nothing(
    case: str, tmp_path: Path, repo: Path
) -> None:
    """The old version is read in a forked process: the output, the errors and the exit
    code are those of reading both here (BLUEPRINT_DIFF_SERIAL)."""
    v1, v2 = str(PAIRS / "hotel-v1.yaml"), str(PAIRS / "hotel-v2.yaml")
    args = {
        "pair": [v1, v2],
        "old-draft": [str(_broken(tmp_path)), v2],
        "new-draft": [v1, str(_broken(tmp_path))],
        "old-missing": [str(tmp_path / "none.yaml"), v2],
        "git": ["--git", "HEAD~1..HEAD", "blueprints/hotel.blueprint.yaml"],
    }[case]
    where = repo if case == "git" else ROOT
    forked = _cli(where, "diff", *args, "-f", "json")
    serial = _cli(where, "diff", *args, "-f", "json", env={"BLUEPRINT_DIFF_SERIAL": "1"})
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        serial.returncode,
        serial.stdout,
        serial.stderr,
    )
    assert forked.returncode == (2 if case == "old-missing" else 0)


def test_the_model_rebuilt_from_the_childs_data_is_the_model_read_here() -> None:
    from blueprint_cli.pipeline.diff import _forked, _from_file
    from blueprint_cli.pipeline.run import RunOptions
    from blueprint_cli.views.diff import outline

    path = str(PAIRS / "hotel-v2.yaml")
    here = _from_file(path, RunOptions())
    handed = _forked(lambda: _from_file(path, RunOptions()))()
    assert handed is not None and handed.data is not None
    assert handed.blueprint == here.blueprint
    assert outline(handed.blueprint) == outline(here.blueprint)  # ids and paths too
    assert (handed.codes, handed.errors, handed.sha256) == (here.codes, here.errors, here.sha256)


@pytest.mark.parametrize("serial", [False, True])
def test_a_file_new_since_rev_that_cannot_be_compared_still_says_it_is_new(
    repo: Path, serial: bool
) -> None:
    """The old version's note comes before the new version's error, forked or not."""
    (repo / "new.yaml").write_text("[1, 2]\n")  # a list, not a blueprint's mapping
    env = {"BLUEPRINT_DIFF_SERIAL": "1"} if serial else {}
    proc = _cli(repo, "diff", "--git", "HEAD", "new.yaml", env=env)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    said = next(i for i, line in enumerate(lines) if "did not exist at HEAD" in line)
    assert said < next(i for i, line in enumerate(lines) if line.startswith("blueprint: error"))
