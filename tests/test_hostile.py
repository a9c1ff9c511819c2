"""Hostile input: every command survives anything a file or a user can throw at it.

Every file of the corpus (tests/hostile/) goes through every command: no traceback, an
exit code of 0, 1 or 2 as documented, the file named in the message. The large files run
as real processes under a memory cap and a time limit."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.hostile.make_corpus import large, small, write

CORPUS = Path(__file__).parent / "hostile" / "corpus"
SMALL = sorted(CORPUS.glob("*.yaml"))
runner = CliRunner()
BLUEPRINT = Path(sys.executable).parent / "blueprint"
HAS_GRAPHVIZ = shutil.which("neato") is not None

#: lint's exit code for each file of the small corpus (1: a finding at error severity)
EXPECTED_LINT = {
    "alias-bomb.yaml": 1,
    "binary.yaml": 1,
    "control-characters.yaml": 0,
    "crlf.yaml": 1,
    "duplicate-keys.yaml": 1,
    "empty.yaml": 1,
    "flow-cycle-and-self.yaml": 0,
    "injection.yaml": 0,
    "invalid-utf8.yaml": 1,
    "only-comments.yaml": 1,
    "out-of-range.yaml": 1,
    "several-documents.yaml": 1,
    "slug-collisions.yaml": 0,
    "tabs.yaml": 1,
    "top-level-list.yaml": 1,
    "top-level-scalar.yaml": 1,
    "unicode-everywhere.yaml": 0,
    "unknown-keys.yaml": 1,
    "utf16-bom.yaml": 1,
    "utf8-bom.yaml": 0,
    "yaml11-surprises.yaml": 0,
}


def commands(path: str, out: Path) -> list[list[str]]:
    cmds = [
        ["lint", path, "--format", fmt]
        for fmt in ("text", "json", "sarif", "github", "junit", "gitlab")
    ]
    cmds += [
        ["render", path, "--format", "dot", "-o", str(out / "x.dot")],
        ["show", path, "--format", "text"],
        ["show", path, "--format", "json"],
    ]
    cmds += [["failpoints", path, "--format", fmt] for fmt in ("text", "json", "csv", "markdown")]
    cmds.append(["report", path, "-o", str(out / "x.html")])  # a notice without Graphviz
    cmds.append(["audit", "check", path])  # a hostile file taken for an observation
    if HAS_GRAPHVIZ:
        cmds.append(["render", path, "--format", "svg", "-o", str(out / "x.svg")])
    return cmds


def test_corpus_is_up_to_date(tmp_path: Path) -> None:
    write(tmp_path, with_large=False)
    for name in small():
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), (
            f"{name}: run `python tests/hostile/make_corpus.py tests/hostile/corpus`"
        )
    assert sorted(EXPECTED_LINT) == sorted(small())


@pytest.mark.parametrize("path", SMALL, ids=lambda p: p.name)
def test_every_command_on_the_small_corpus(path: Path, tmp_path: Path) -> None:
    name = str(path)
    for args in commands(name, tmp_path):
        result = runner.invoke(app, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert result.exit_code in (0, 1, 2), (args, result.exit_code)
        text = result.stdout + result.stderr
        assert "Traceback" not in text
        assert "\x1b" not in result.stdout, args  # escapes are shown, never passed on
        if result.exit_code != 0:
            assert path.name in text, (args, text[:300])
    lint = runner.invoke(app, ["lint", name])
    assert lint.exit_code == EXPECTED_LINT[path.name], lint.stdout
    if lint.exit_code == 1:
        first = lint.stdout.splitlines()[0]
        assert first.startswith(f"{name}:") and first.split(":")[1].isdigit()


def test_crlf_positions_are_right() -> None:
    out = runner.invoke(app, ["lint", str(CORPUS / "crlf.yaml"), "--select", "BP0"]).stdout
    assert f"{CORPUS / 'crlf.yaml'}:5:33: error BP002 unknown key 'evidance'" in out


def test_schema_command() -> None:
    assert runner.invoke(app, ["schema"]).exit_code == 0


def _capped() -> None:
    limit = 2 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("large")
    for name, data in large().items():
        (directory / name).write_bytes(data)
    return directory


@pytest.mark.parametrize("name", sorted(large()))
def test_large_files_in_bounded_time_and_memory(name: str, large_corpus: Path) -> None:
    path = str(large_corpus / name)
    out = large_corpus / f"out-{name}"
    out.mkdir(exist_ok=True)
    for args in [
        ["lint", path],
        ["lint", path, "--format", "sarif"],
        ["render", path, "--format", "dot", "-o", str(out / "x.dot")],
        ["show", path],
        ["failpoints", path, "--format", "csv"],
        ["report", path, "-o", str(out / "x.html")],
    ]:
        proc = subprocess.run(
            [str(BLUEPRINT), *args],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_capped,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert proc.returncode in (0, 1, 2), (args, proc.returncode, proc.stderr[-500:])
        assert "Traceback" not in proc.stderr + proc.stdout[-2000:]
        if proc.returncode != 0:
            assert name in proc.stdout + proc.stderr, args


def test_symlink_loop_fifo_and_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "ok.yaml").write_bytes((CORPUS / "utf8-bom.yaml").read_bytes())
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 0, result.output  # the walk neither loops nor blocks
    assert "1 file checked" in result.stdout
    fifo = runner.invoke(app, ["lint", str(tmp_path / "fifo.yaml")])
    assert fifo.exit_code == 2 and "not a regular file" in fifo.stderr


def test_unreadable_and_vanishing_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprint_cli.pipeline import discover as sources

    good = tmp_path / "a.yaml"
    good.write_bytes((CORPUS / "utf8-bom.yaml").read_bytes())
    gone = tmp_path / "b.yaml"
    gone.write_bytes(good.read_bytes())
    real_read = sources.Source.read

    def read(self: sources.Source, max_bytes: int = 0) -> bytes:
        if self.path == str(gone):
            raise FileNotFoundError(2, "No such file or directory")
        if self.path == str(good) and os.environ.get("DENY"):
            raise PermissionError(13, "Permission denied")
        return real_read(self, max_bytes) if max_bytes else real_read(self)

    monkeypatch.setattr(sources.Source, "read", read)
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{gone}: No such file or directory" in result.stderr
    assert "1 file checked" in result.stdout  # the other file was still checked
    monkeypatch.setenv("DENY", "1")
    denied = runner.invoke(app, ["show", str(good)])
    assert denied.exit_code == 2 and "Permission denied" in denied.stderr


def test_output_into_a_read_only_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprint_cli.pipeline import render as renderjob

    def denied(target: str, data: bytes) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(renderjob, "write_atomic", denied)
    path = tmp_path / "a.yaml"
    path.write_bytes((CORPUS / "utf8-bom.yaml").read_bytes())
    result = runner.invoke(
        app, ["render", str(path), "--format", "dot", "-o", str(tmp_path / "ro" / "a.dot")]
    )
    assert result.exit_code == 2
    assert "a.dot: Permission denied" in result.stderr
    assert not (tmp_path / "ro" / "a.dot").exists()


def test_injection_stays_text_in_every_register_format() -> None:
    import csv
    import io
    import json

    path = str(CORPUS / "injection.yaml")
    md = runner.invoke(app, ["failpoints", path, "--format", "markdown"]).stdout.splitlines()
    columns = md[0].count(" | ")
    assert all(line.count(" | ") == columns for line in md[2:])
    assert any("\\# Heading \\| pipe \\| \\*bold\\*" in line for line in md)
    rows = list(
        csv.DictReader(
            io.StringIO(runner.invoke(app, ["failpoints", path, "--format", "csv"]).stdout)
        )
    )
    formulas = [r["fail_point"] for r in rows if r["fail_point"].lstrip("'").startswith(("=", "+"))]
    assert formulas and all(f.startswith("'") for f in formulas)
    data = json.loads(runner.invoke(app, ["failpoints", path, "--format", "json"]).stdout)
    texts = {fp["fail_point"] for fp in data["fail_points"]}
    assert '"]; node [shape=star' in texts and "\x1b]0;owned\x07\x1b[31mred\x1b[0m" in texts
