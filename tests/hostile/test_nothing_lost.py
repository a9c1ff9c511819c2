"""Hostile input, round two: nothing a user wrote is lost, nothing outside the tree is
read and quoted into a log."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture
def hotel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "hotel.yaml"
    path.write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    return path


@pytest.mark.parametrize("target", ["hotel.yaml", "./hotel.yaml", "other.yaml", "x.YML"])
def test_the_report_is_never_written_onto_a_blueprint(hotel: Path, target: str) -> None:
    before = hotel.read_bytes()
    result = runner.invoke(app, ["lint", "hotel.yaml", "--format", "json", "--output-file", target])
    assert result.exit_code == 2
    assert "blueprint: error:" in result.stderr
    assert hotel.read_bytes() == before


def test_the_report_is_not_written_onto_a_file_found_in_a_folder(
    hotel: Path, tmp_path: Path
) -> None:
    (tmp_path / "blueprint.toml").write_text('include = ["*.bp"]\n')
    notes = tmp_path / "notes.bp"
    notes.write_bytes(hotel.read_bytes())
    result = runner.invoke(app, ["lint", ".", "--output-file", "notes.bp"])
    assert result.exit_code == 2 and "would overwrite the blueprint" in result.stderr
    assert notes.read_bytes() == hotel.read_bytes()


SECRET = "s3cr3t-token-value-that-must-not-leak"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_a_link_out_of_the_tree_is_not_read(tmp_path: Path, fmt: str) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "token").write_text(SECRET + "\n")
    tree = tmp_path / "repo" / "blueprints"
    tree.mkdir(parents=True)
    (tree / "plan.yaml").symlink_to(secret / "token")
    (tree / "ok.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    result = runner.invoke(app, ["lint", str(tree), "--format", fmt])
    assert SECRET not in result.output
    assert "plan.yaml: not read: a link to a file outside" in result.stderr
    named = runner.invoke(app, ["lint", str(tree / "plan.yaml"), "--format", fmt])
    assert SECRET not in named.output
    # a link inside the tree is read, and a user may allow links out of it
    (tree / "again.yaml").symlink_to(tree / "ok.yaml")
    inside = runner.invoke(app, ["lint", str(tree), "-f", "json"])
    assert "again.yaml" not in inside.stderr
    allowed = runner.invoke(app, ["lint", str(tree), "--follow-external-links", "-v"])
    assert "plan.yaml: not a blueprint" in allowed.stderr  # read, to see it is not one
    assert SECRET not in allowed.output
    named = runner.invoke(app, ["lint", str(tree / "plan.yaml"), "--follow-external-links"])
    assert "plan.yaml" in named.stdout
    assert SECRET not in named.output  # and even then, a non-blueprint is never quoted


def test_a_terminated_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM between writing and renaming: the temporary file is removed."""
    code = (
        "import sys, time\n"
        "from blueprint_cli import fileio\n"
        "from blueprint_cli.__main__ import on_signals_exit\n"
        "on_signals_exit()\n"
        "real = fileio.os.replace\n"
        "def slow(a, b):\n"
        "    print('written', flush=True); time.sleep(30); real(a, b)\n"
        "fileio.os.replace = slow\n"
        f"fileio.write_atomic({str(tmp_path / 'out.svg')!r}, b'x' * 1000)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "written"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert proc.returncode == 128 + signal.SIGTERM
    time.sleep(0.1)
    assert os.listdir(tmp_path) == []


def test_a_crash_is_one_line_and_exit_3(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    code = (
        "import sys\n"
        "import blueprint_cli.pipeline.check as check\n"
        "def boom(*a, **k):\n    raise KeyError('\\x1b[31mbug')\n"
        "check.analyse = boom\n"
        "from blueprint_cli.__main__ import main\n"
        "main()\n"
    )
    for args in (["lint", str(path)], ["show", str(path)], ["lint", "-q", str(path)]):
        proc = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 3, (args, proc.stderr)
        assert "Traceback" not in proc.stderr and "\x1b" not in proc.stderr
        first = proc.stderr.splitlines()[0]
        assert first.startswith("blueprint: internal error: KeyError")
        assert "please report it" in proc.stderr


def test_a_closed_pipe_is_not_a_crash(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(40):
        (many / f"{i}.yaml").write_text("blueprint: 1\nsteps:\n  - {title: A, evidance: [x]}\n")
    blueprint = Path(sys.executable).parent / "blueprint"
    proc = subprocess.run(
        f"'{blueprint}' lint '{many}' | head -1", shell=True, capture_output=True, text=True
    )
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_render_never_writes_outside_the_output_directory(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    src = tmp_path / "src" / "sub"
    src.mkdir(parents=True)
    (src / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere)
    result = runner.invoke(app, ["render", str(tmp_path / "src"), "-o", str(out), "-f", "dot"])
    assert result.exit_code == 2
    assert "refusing to write outside" in result.stderr
    assert os.listdir(elsewhere) == []


def test_input_roots_are_directories_not_string_prefixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("ex", "examples"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"{folder}.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["render", "ex", "examples", "-o", "build/pics/", "-f", "dot"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "build" / "pics").iterdir()) == [
        "ex.dot",
        "examples.dot",
    ]
    assert not (tmp_path / "build" / "examples").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")
def test_check_finds_a_picture_changed_by_hand(hotel: Path) -> None:
    assert runner.invoke(app, ["render", "hotel.yaml"]).exit_code == 0
    assert runner.invoke(app, ["render", "hotel.yaml", "--check"]).exit_code == 0
    svg = hotel.with_suffix(".svg")
    svg.write_text(svg.read_text().replace("</svg>", "<script>alert(1)</script></svg>"))
    result = runner.invoke(app, ["render", "hotel.yaml", "--check"])
    assert result.exit_code == 1
    assert "changed since it was drawn" in result.stderr


def test_no_configuration_from_above_the_project(tmp_path: Path) -> None:
    (tmp_path / "blueprint.toml").write_text('select = ["BP0"]\n')  # a shared parent
    project = tmp_path / "project"
    (project / "blueprints").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "blueprints" / "a.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    result = runner.invoke(app, ["lint", "-v", str(project / "blueprints")])
    assert "configuration: none found: the defaults (1 file)" in result.stderr
    assert "BP104" in result.stdout  # the parent's select = ["BP0"] did not apply
    (project / "pyproject.toml").write_text('[tool.blueprint]\nselect = ["BP0"]\n')
    result = runner.invoke(app, ["lint", "-v", str(project / "blueprints")])
    assert f"configuration: {project / 'pyproject.toml'} (1 file)" in result.stderr


def test_a_worker_that_dies_loses_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In parallel mode, one file that kills its worker (out of memory) must not cost
    the other files their findings."""
    from blueprint_cli.pipeline import run
    from blueprint_cli.pipeline.lint import lint_paths

    for i in range(40):
        (tmp_path / f"f{i:02}.yaml").write_text(
            "blueprint: 1\nsteps:\n  - {title: A, customer: [B]}\n"
        )
    real = run.check_one

    def dies_on_one(job: run.Job, models: bool = True) -> run.Checked:
        if job.source.name.endswith("f07.yaml"):
            os._exit(1)  # as the kernel's OOM killer would
        return real(job, models)

    monkeypatch.setattr(run, "check_one", dies_on_one)  # forked workers inherit it
    report = lint_paths([str(tmp_path)], run.RunOptions(jobs=2))
    assert len(report.files) == 39
    assert [e for e in report.errors if "f07.yaml" in e and "stopped the process" in e]
    assert report.exit_code == 2
