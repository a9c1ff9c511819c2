"""Which YAML files are blueprints: a directory walk, and files named with
``--only-blueprints`` (pre-commit's hooks), take only those with a top-level
``blueprint`` key; a file named without it is linted, and told it lacks the key."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.load.sniff import HEAD, is_blueprint_file, is_blueprint_text
from tests.conftest import EXAMPLES

runner = CliRunner()

BLUEPRINTS = [
    "blueprint: 1\n",
    "# a comment first\n\nblueprint: 1\n",
    "title: Hotel\nblueprint: 1\n",  # the key need not come first
    "\ufeffblueprint: 1\n",  # a UTF-8 BOM
    "---\nblueprint: 1\n",
    "--- blueprint: 1\n",
    '"blueprint": 1\n',
    "'blueprint': 1\n",
    "blueprint: 1\r\n",
    "blueprint:\n",  # no value: still a blueprint, whose version is wrong
    "blueprint : 1\n",
    "blueprint: 1  # the format\n",
    'blueprint: 1\nsteps: [{title: "broken\n',  # broken YAML: still ours, with its error
    '{"blueprint": 1, "steps": []}\n',  # JSON
    '# JSON\n{\n  "blueprint": 1\n}\n',
    "{blueprint: 1}\n",
]
OTHERS = [
    "repos: []\n",
    "# blueprint: 1\nrepos: []\n",  # in a comment
    "jobs:\n  x:\n    blueprint: 1\n",  # nested
    "blueprints: 1\n",
    "blueprint:1\n",  # a string, not a key
    "- blueprint: 1\n",  # a list
    "run: |\n  blueprint: 1\n",  # inside a block scalar
    '{"name": "x", "blueprint": 1}\n',  # JSON whose first key is another
    "",
]


@pytest.mark.parametrize("text", BLUEPRINTS)
def test_recognised_as_a_blueprint(text: str) -> None:
    assert is_blueprint_text(text.encode("utf-8"))


@pytest.mark.parametrize("text", OTHERS)
def test_not_a_blueprint(text: str) -> None:
    assert not is_blueprint_text(text.encode("utf-8"))


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])
def test_a_wide_encoding_is_recognised_so_that_the_loader_can_say_so(bom: bytes) -> None:
    encoding = {
        codecs.BOM_UTF16_LE: "utf-16-le",
        codecs.BOM_UTF16_BE: "utf-16-be",
        codecs.BOM_UTF32_LE: "utf-32-le",
    }[bom]
    assert is_blueprint_text(bom + "blueprint: 1\n".encode(encoding))


def test_the_key_is_found_past_the_first_read(tmp_path: Path) -> None:
    late = tmp_path / "late.yaml"
    late.write_text("# " + "x" * HEAD + "\nblueprint: 1\n")
    assert is_blueprint_file(str(late), 20 * 1024 * 1024)
    assert not is_blueprint_file(str(late), HEAD // 2)  # but not past the size limit
    assert is_blueprint_file(str(tmp_path / "gone.yaml"), 100)  # unreadable: the read says why


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (tmp_path / "blueprints" / "compose.yaml").write_text("services:\n  web: {}\n")
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "app.yml").write_text("debug: true\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_a_walk_takes_blueprints_only(repo: Path) -> None:
    result = runner.invoke(app, ["lint", ".", "-v"])
    assert result.exit_code == 0, result.output
    assert "ok: 1 file checked" in result.stdout
    assert "compose.yaml" not in result.stdout
    assert (
        "blueprint: skipped: ./blueprints/compose.yaml: not a blueprint "
        "(no top-level 'blueprint:' key)"
    ) in result.stderr


def test_a_folder_with_no_blueprint_says_what_it_skipped(repo: Path) -> None:
    result = runner.invoke(app, ["lint", "configs"])
    assert result.exit_code == 0
    assert (
        "blueprint: warning: configs: no blueprints found (1 YAML file without a "
        "top-level 'blueprint:' key skipped)"
    ) in result.stderr


def test_a_file_named_is_linted_and_told_what_it_lacks(repo: Path) -> None:
    result = runner.invoke(app, ["lint", "configs/app.yml"])
    assert result.exit_code == 1
    assert "configs/app.yml:1:1: error BP003 missing key 'blueprint'" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["lint"],
        ["failpoints", "--format", "json"],
        ["render", "--check"],
    ],
)
def test_only_blueprints_skips_files_named(repo: Path, args: list[str]) -> None:
    result = runner.invoke(
        app, [*args, "--only-blueprints", "configs/app.yml", "blueprints/compose.yaml"]
    )
    assert result.exit_code == 0, result.output
    assert "app.yml" not in result.output and "compose.yaml" not in result.output


def test_only_blueprints_still_checks_blueprints_and_stdin(repo: Path) -> None:
    bad = repo / "blueprints" / "bad.yaml"
    bad.write_text("blueprint: 1\nsteps: [{title: Pay, evidance: [Bill]}]\n")
    result = runner.invoke(app, ["lint", "--only-blueprints", str(bad), "configs/app.yml"])
    assert result.exit_code == 1
    assert "unknown key 'evidance'" in result.stdout and "app.yml" not in result.stdout
    piped = runner.invoke(app, ["lint", "--only-blueprints", "-"], input="debug: true\n")
    assert piped.exit_code == 1  # stdin is always what was asked for
    assert "BP003" in piped.stdout


def test_a_walk_still_reports_a_broken_blueprint(repo: Path) -> None:
    (repo / "blueprints" / "broken.yaml").write_text("blueprint: 1\nsteps: [\n")
    result = runner.invoke(app, ["lint", "blueprints"])
    assert result.exit_code == 1
    assert "blueprints/broken.yaml" in result.stdout and "BP001" in result.stdout
