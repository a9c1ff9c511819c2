"""The command line end to end: exit codes, output formats, many files, stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli import __version__
from blueprint_cli.cli import app
from blueprint_cli.load import MAX_FILE_BYTES
from tests.conftest import EXAMPLES, ROOT

runner = CliRunner()

GOOD = """
blueprint: 1
title: Coffee
phases: [Before, During, After]
steps:
  - {title: Find the cafe, phase: before, evidence: [Street sign], customer: [Walk in]}
  - title: Order
    phase: during
    evidence: [Menu board]
    customer:
      - text: Order a coffee
        fail_points:
          - text: Order misheard
            severity: 3
            occurrence: 3
            detection: 2
            prevention: Read the order back
            recovery: Remake the coffee at once
  - {title: Leave, phase: after, evidence: [Receipt], customer: [Leave a tip]}
"""

BAD = """
blueprint: 1
steps:
  - id: check-in
    title: Check in
    evidance: [Front desk]
    customer:
      - {id: give-details, text: Give details}
    frontstage:
      - {id: give-details, text: Register}
flows:
  - give-details -> registr
"""


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_version() -> None:
    code, out = run("--version")
    assert code == 0
    first, python, graphviz = out.strip().splitlines()
    assert first == f"blueprint {__version__}"
    assert python.startswith("Python 3.")
    assert graphviz.startswith("Graphviz ")


def test_help_has_examples() -> None:
    code, out = run("--help")
    assert code == 0
    assert "blueprint lint examples/" in out


def test_clean_file_gives_an_ok_summary(write) -> None:  # type: ignore[no-untyped-def]
    path = write("good.yaml", GOOD)
    code, out = run("lint", str(path))
    assert code == 0
    assert out == "ok: 1 file checked, no problems\n"


def test_bad_file_exit_1_with_positions(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", BAD)
    code, out = run("lint", "--select", "BP0", str(path))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        f"{path}:5:5: error BP002 unknown key 'evidance' in step 'check-in' "
        "(did you mean 'evidence'?)"
    )
    assert lines[1].startswith(f"{path}:9:14: error BP005 duplicate id 'give-details'")
    assert lines[2].startswith(f"{path}:11:5: error BP006 unknown action 'registr'")
    assert lines[3] == "failed: 1 file checked, 3 errors"


def test_json_output(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", BAD)
    code, out = run("lint", "--format", "json", "--select", "BP0", str(path))
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"] == {
        "files": 1,
        "error": 3,
        "warning": 0,
        "info": 0,
        "failed": True,
        "fail_on": "error",
    }
    assert [(f["line"], f["column"], f["code"]) for f in doc["findings"]] == [
        (5, 5, "BP002"),
        (9, 14, "BP005"),
        (11, 5, "BP006"),
    ]
    assert doc["findings"][0]["rule"] == "unknown-key"


def test_fail_on_warning(write) -> None:  # type: ignore[no-untyped-def]
    path = write("w.yaml", "blueprint: 1\ntitle: no\n")
    assert run("lint", str(path))[0] == 0
    code, out = run("lint", "--fail-on", "warning", str(path))
    assert code == 1
    assert "warning BP007" in out


def test_missing_path_exits_2_and_still_checks_the_rest(write) -> None:  # type: ignore[no-untyped-def]
    good = write("good.yaml", GOOD)
    result = runner.invoke(app, ["lint", "nope.yaml", str(good)])
    assert result.exit_code == 2
    assert "blueprint: error: nope.yaml: no such file or directory" in result.output
    # a failed run never says "ok"
    assert "failed: 1 file checked, no problems" not in result.output
    assert "failed: 1 file checked; 1 error above stopped the run" in result.output
    assert "ok:" not in result.output


@pytest.mark.parametrize(
    "args",
    [["lint", "--format", "xml", "x"], ["lint", "--fail-on", "fatal", "x"], ["lint"], ["nope"]],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2


def test_stdin(write) -> None:  # type: ignore[no-untyped-def]
    code, out = run(
        "lint",
        "-",
        "--stdin-filename",
        "hotel.yaml",
        "--select",
        "BP0",
        stdin="blueprint: 1\nx: 1\n",
    )
    assert code == 1
    assert out.startswith("hotel.yaml:2:1: error BP002 unknown key 'x'")


def test_directory_walk_is_sorted_and_skips_hidden(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write("b/z.yaml", GOOD)
    write("a.yml", GOOD)
    write("b/notes.txt", "not yaml")
    write(".hidden/x.yaml", "broken: [")
    code, out = run("lint", "--format", "json", str(tmp_path))
    assert code == 0
    assert json.loads(out)["summary"]["files"] == 2


def test_hostile_files_get_one_finding_each_and_do_not_stop_the_run(
    write,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # each names the format on its first line: a directory walk takes blueprints only
    write("1-binary.yaml", b"blueprint: 1\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    bomb = ["blueprint: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    bomb += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    write("2-bomb.yaml", "\n".join(bomb) + "\n")
    big = tmp_path / "3-big.yaml"
    with big.open("wb") as handle:
        handle.write(b"blueprint: 1\n")
        line = b"# " + b"x" * 1000 + b"\n"
        for _ in range(50 * 1024):
            handle.write(line)
    assert big.stat().st_size > MAX_FILE_BYTES
    write("4-good.yaml", GOOD)
    code, out = run("lint", "--format", "json", str(tmp_path))
    assert code == 1
    doc = json.loads(out)
    by_file = {}
    for f in doc["findings"]:
        by_file.setdefault(Path(f["file"]).name, []).append(f["code"])
    assert by_file == {
        "1-binary.yaml": ["BP001"],
        "2-bomb.yaml": ["BP001"],
        "3-big.yaml": ["BP001"],
    }
    assert doc["summary"]["files"] == 4


def test_schema_command_matches_the_committed_schema() -> None:
    code, out = run("schema")
    assert code == 0
    committed = (ROOT / "schemas" / "blueprint.schema.json").read_text(encoding="utf-8")
    assert out == committed, (
        "schema drifted: run `blueprint schema > schemas/blueprint.schema.json`"
    )
    code, out = run("schema", "--catalog")
    committed = (ROOT / "schemas" / "schemastore-catalog-entry.json").read_text("utf-8")
    assert (code, out) == (0, committed), (
        "run `blueprint schema --catalog > schemas/schemastore-catalog-entry.json`"
    )


def test_examples_lint_clean_of_errors() -> None:
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) >= 3
    code, out = run("lint", "--format", "json", *map(str, files))
    assert code == 0, out
    doc = json.loads(out)
    assert doc["summary"]["error"] == 0
    # the showcase examples are clean of everything but their high-risk fail points, and
    # the findings the dental example keeps on purpose: a flow that skips the frontstage,
    # a wait over its standard, a fail point without prevention and one without recovery;
    # the hotel's check-in queue is over what a business traveller tolerates (BP110)
    deliberate = {"dental.yaml": {"BP104", "BP106", "BP110", "BP119"}, "hotel.yaml": {"BP110"}}
    found: dict[str, set[str]] = {}
    for f in doc["findings"]:
        found.setdefault(Path(f["file"]).name, set()).add(f["code"])
    for name, codes in found.items():
        assert codes <= {"BP104"} | deliberate.get(name, set()), name
    assert found["dental.yaml"] == deliberate["dental.yaml"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    return env


def test_real_process_piped_output_has_no_escapes_and_no_rich(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", BAD)
    code = (
        "import sys; from blueprint_cli.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n"
        "    print('rich' in sys.modules, file=sys.stderr); raise\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "lint", "--select", "BP0", str(path)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert proc.returncode == 1
    assert "\x1b[" not in proc.stdout
    assert proc.stdout.count("\n") == 4
    assert proc.stderr.strip() == "False"  # a plain run does not import rich at all


def test_color_always_uses_escapes(write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.yaml", BAD)
    code, out = run("lint", "--color", "always", str(path))
    assert code == 1
    assert "\x1b[" in out


def test_empty_directory_warns(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lint", str(tmp_path)])
    assert result.exit_code == 0
    assert (
        f"blueprint: warning: {tmp_path}: no matching *.yaml or *.yml files found" in result.output
    )


def _main_in_a_process(*args: str, cwd: str | None = None) -> tuple[int, str, str, list[str]]:
    """Run ``blueprint ARGS`` through __main__ in a real process; also say which of
    typer, rich and importlib.metadata it imported."""
    code = (
        "import sys; from blueprint_cli.__main__ import main\n"
        "try:\n    main()\nfinally:\n"
        "    mods = ('typer', 'rich', 'importlib.metadata')\n"
        "    print('MODULES', *[m for m in mods if m in sys.modules], file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
        cwd=cwd,
    )
    err, _, modules = proc.stderr.rpartition("MODULES")
    return proc.returncode, proc.stdout, err, modules.split()


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "GOOD"],
        ["lint", "BAD", "GOOD"],
        ["lint", "--force-exclude", "BAD"],
        ["lint", "--only-blueprints", "--force-exclude", "OTHER", "BAD"],
        ["lint", "OTHER"],
        ["lint", "nope.yaml", "GOOD"],
        ["lint", "-"],
    ],
)
def test_the_fast_lint_path_is_the_typer_path(write, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    """``blueprint lint FILE...`` starts without typer: same output, same exit code."""
    files = {
        "GOOD": str(write("good.yaml", GOOD)),
        "BAD": str(write("bad.yaml", BAD)),
        "OTHER": str(write("compose.yaml", "services: {web: {}}\n")),
    }
    args = [files.get(a, a) for a in args]
    fast = _main_in_a_process(*args)
    # the same request through typer: an option that changes nothing takes that path
    slow = _main_in_a_process(*args, "--color", "auto")
    assert fast[:3] == slow[:3]
    assert "typer" not in fast[3] and "typer" in slow[3]
    assert "importlib.metadata" not in fast[3]  # pydantic's plugin finder is not loaded
    assert "rich" not in fast[3]


def test_fast_path_only_for_plain_paths() -> None:
    from blueprint_cli.__main__ import fast_lint_args

    assert fast_lint_args(["lint", "a.yaml", "-"]) == ["a.yaml", "-"]
    assert fast_lint_args(["lint", "--force-exclude", "a.yaml"]) == ["a.yaml"]
    assert fast_lint_args(["lint", "--only-blueprints", "a.yaml"]) == ["a.yaml"]
    for argv in (["lint"], ["lint", "-q", "a.yaml"], ["render", "a.yaml"], ["lint", "--help"]):
        assert fast_lint_args(argv) is None


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", [["init", "-"], ["lint", "examples/hotel.yaml"]])
def test_a_full_disk_is_one_line_and_exit_2_not_a_bug(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "blueprint_cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            check=False,
            cwd=ROOT,
        )
    assert proc.returncode == 2
    assert proc.stderr == "blueprint: error: cannot write: No space left on device\n"
