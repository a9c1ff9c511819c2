"""`blueprint init`: starters that lint clean and draw, written only where nothing is."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.fileio import write_new
from blueprint_cli.pipeline.init import ALIASES, STARTERS, resolve, with_title
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "init"
TEMPLATES = list(STARTERS)
runner = CliRunner()
needs_graphviz = pytest.mark.skipif(shutil.which("dot") is None, reason="no Graphviz")


def init(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


def write_golden() -> None:
    """tests/golden/init/: what `blueprint init --template NAME` writes, and --list."""
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for old in GOLDEN.iterdir():
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        for name in TEMPLATES:
            target = Path(folder) / f"{name}.yaml"
            result = runner.invoke(app, ["init", "--template", name, str(target)])
            assert result.exit_code == 0, result.stderr
            (GOLDEN / f"{name}.yaml").write_bytes(target.read_bytes())
    (GOLDEN / "list.txt").write_text(runner.invoke(app, ["init", "--list"]).stdout)


# ---------------------------------------------------------------------- the starters


def test_every_shipped_starter_is_listed_and_every_listed_one_shipped() -> None:
    shipped = {p.name for p in (files("blueprint_cli") / "starters").iterdir()}
    assert shipped == {f"{name}.yaml" for name in STARTERS}
    assert {resolve(alias) for alias in ALIASES} <= set(STARTERS)


def test_the_package_data_ships_the_starters() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"starters/*"' in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_init_writes_the_golden_starter(name: str, tmp_path: Path) -> None:
    target = tmp_path / f"{name}.yaml"
    code, out, err = init("--template", name, str(target))
    assert code == 0, err
    assert out == ""
    assert target.read_bytes() == (GOLDEN / f"{name}.yaml").read_bytes(), "run `make golden`"


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_starter_lints_with_no_finding_at_all(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only no errors: no warning and no info either, with the default rules."""
    monkeypatch.chdir(tmp_path)  # no project configuration around it
    assert init("--template", name, "x.yaml")[0] == 0
    result = runner.invoke(app, ["lint", "--format", "json", "x.yaml"])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"]] == []
    text = runner.invoke(app, ["lint", "x.yaml", "--fail-on", "info"])
    assert text.exit_code == 0
    assert text.stdout == "ok: 1 file checked, no problems\n"


@pytest.mark.parametrize("name", TEMPLATES)
def test_each_starter_is_a_full_blueprint(name: str) -> None:
    """Before, during and after the visit; five to eight steps; every lane used; owners,
    times, waits with standards, scripts, scored fail points with their remedies."""
    data = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    steps = data["steps"]
    assert 5 <= len(steps) <= 8
    assert {p["id"] for p in data["phases"]} == {"pre-visit", "visit", "post-visit"}
    for lane in ("evidence", "customer", "frontstage", "backstage", "support"):
        assert any(step.get(lane) for step in steps), lane
    actions = [
        a for s in steps for lane in ("frontstage", "backstage", "support") for a in s.get(lane, [])
    ]
    assert all(a["actor"] and a["duration"] for a in actions)
    assert any("script" in a for a in actions)
    waits = [a["wait"] for a in actions if "wait" in a]
    assert waits
    assert all("max" in w for w in waits) or "max_wait" in data["standards"]
    fail_points = [fp for a in actions for fp in a.get("fail_points", [])]
    assert len(fail_points) >= 3
    keys = {"severity", "occurrence", "detection", "prevention", "recovery"}
    assert all(keys <= fp.keys() for fp in fail_points)
    assert data["flows"]


def test_the_starters_are_not_one_file_with_words_swapped() -> None:
    fail_points = {
        name: {
            fp["text"]
            for step in yaml.safe_load((GOLDEN / f"{name}.yaml").read_text())["steps"]
            for lane in ("customer", "frontstage", "backstage", "support")
            for action in step.get(lane, [])
            for fp in action.get("fail_points", [])
        }
        for name in TEMPLATES
    }
    for name, texts in fail_points.items():
        others = set().union(*(t for n, t in fail_points.items() if n != name))
        assert not texts & others, name


@pytest.mark.parametrize("name", TEMPLATES)
def test_starters_teach_the_format_in_comments(name: str) -> None:
    text = (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    for word in ("frontstage", "backstage", "severity", "occurrence", "detection", "risk"):
        assert word in comments, word
    assert "blueprint lint" in comments
    assert "blueprint render" in comments
    assert text.startswith("# yaml-language-server: $schema=https://")


@pytest.mark.parametrize("name", TEMPLATES)
def test_starters_are_written_in_two_space_indents(name: str) -> None:
    for line in (GOLDEN / f"{name}.yaml").read_text(encoding="utf-8").splitlines():
        body = line.lstrip(" ")
        assert (len(line) - len(body)) % 2 == 0, line
        assert "\t" not in line
        assert line == line.rstrip(), line
        assert len(line) <= 100 or line.startswith("# yaml-language-server:"), line


def _in_model_order(data: object, model: type, where: str) -> None:
    if not isinstance(data, dict):
        return
    fields = {(f.alias or name): f for name, f in model.model_fields.items()}  # type: ignore[attr-defined]
    order = list(fields)
    assert list(data) == sorted(data, key=order.index), where
    for key, value in data.items():
        child = getattr(fields[key].annotation, "__args__", (fields[key].annotation,))
        kinds = [k for k in child if isinstance(k, type) and hasattr(k, "model_fields")]
        inner = [a for k in child for a in getattr(k, "__args__", ()) if hasattr(a, "model_fields")]
        for kind in kinds + inner:
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                _in_model_order(item, kind, f"{where}.{key}[{i}]")


@pytest.mark.parametrize("name", TEMPLATES)
def test_starters_write_keys_in_the_models_order(name: str) -> None:
    """As `blueprint fmt` lays a file out: the keys in the order the model declares."""
    from blueprint_cli.model.nodes import Blueprint

    data = yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8"))
    _in_model_order(data, Blueprint, name)


@needs_graphviz
@pytest.mark.parametrize("name", TEMPLATES)
def test_each_starter_renders_to_svg(name: str, tmp_path: Path) -> None:
    target = tmp_path / f"{name}.yaml"
    assert init("--template", name, str(target))[0] == 0
    result = runner.invoke(app, ["render", str(target)])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr.lower()
    svg = ET.parse(target.with_suffix(".svg")).getroot()
    assert svg.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in svg.iter() if t.tag.endswith("text"))
    title = yaml.safe_load(target.read_text(encoding="utf-8"))["title"]
    assert title in texts


# ---------------------------------------------------------------------- the command


def test_done_when_clinic_inits_and_lints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert init("--template", "clinic", "x.yaml")[0] == 0
    assert runner.invoke(app, ["lint", "x.yaml"]).exit_code == 0


def test_default_is_the_service_starter_in_blueprint_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = init()
    assert code == 0, err
    assert out == ""
    assert (tmp_path / "blueprint.yaml").read_bytes() == (GOLDEN / "service.yaml").read_bytes()
    assert err.splitlines() == [
        "created blueprint.yaml from the 'service' template",
        "next:",
        "  blueprint lint blueprint.yaml    # check it: no findings to start with",
        "  blueprint render blueprint.yaml  # draw it: blueprint.svg",
        "  blueprint show blueprint.yaml    # read it as a table in the terminal",
    ]


def test_next_commands_quote_a_path_for_the_shell(tmp_path: Path) -> None:
    target = tmp_path / "my service.yaml"
    code, _, err = init(str(target))
    assert code == 0
    assert f"blueprint lint '{target}'" in err


def test_list_is_the_golden_listing() -> None:
    code, out, err = init("--list")
    assert code == 0
    assert err == ""
    assert out == (GOLDEN / "list.txt").read_text(encoding="utf-8")
    names = [line.split()[0] for line in out.splitlines()]
    assert names == TEMPLATES
    starts = {
        line.index(STARTERS[name]) for line, name in zip(out.splitlines(), names, strict=True)
    }
    assert len(starts) == 1  # the descriptions are aligned


def test_list_takes_no_file() -> None:
    code, _, err = init("--list", "x.yaml")
    assert code == 2
    assert "--list takes no FILE" in err


def test_unknown_template_suggests_the_closest_and_lists_them(tmp_path: Path) -> None:
    code, out, err = init("--template", "clnic", str(tmp_path / "x.yaml"))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "unknown template 'clnic'; did you mean 'clinic'?" in err
    assert all(name in err for name in STARTERS)
    assert not (tmp_path / "x.yaml").exists()


def test_unknown_template_far_from_any_has_no_guess(tmp_path: Path) -> None:
    code, _, err = init("--template", "zzz", str(tmp_path / "x.yaml"))
    assert code == 2
    assert "did you mean" not in err


@pytest.mark.parametrize(("alias", "name"), [("hotel-stay", "hotel"), ("Clinic", "clinic")])
def test_aliases_and_case(alias: str, name: str, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    code, _, err = init("-t", alias, str(target))
    assert code == 0
    assert f"from the '{name}' template" in err
    assert target.read_bytes() == (GOLDEN / f"{name}.yaml").read_bytes()


def test_dash_writes_to_stdout_and_nothing_else() -> None:
    code, out, err = init("-t", "garage", "-")
    assert code == 0
    assert err == ""
    assert out == (GOLDEN / "garage.yaml").read_text(encoding="utf-8")


# ---------------------------------------------------------------------- never overwrites


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("mine\n")
    code, _, err = init(str(target))
    assert code == 2
    assert (
        err
        == f"blueprint: error: {target}: already exists; not overwritten (choose another name)\n"
    )
    assert target.read_text() == "mine\n"
    assert sorted(os.listdir(tmp_path)) == ["x.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_dangling_symlink_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.symlink_to(tmp_path / "elsewhere.yaml")
    code, _, err = init(str(target))
    assert code == 2
    assert "already exists; not overwritten" in err
    assert not (tmp_path / "elsewhere.yaml").exists()
    assert target.is_symlink()


def test_a_directory_is_refused_with_a_file_name_to_use(tmp_path: Path) -> None:
    code, _, err = init(str(tmp_path))
    assert code == 2
    assert err.strip().endswith(
        f"is a directory; name the file to create (e.g. {tmp_path / 'blueprint.yaml'})"
    )
    assert os.listdir(tmp_path) == []


def test_a_missing_folder_is_not_created(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "x.yaml"
    code, _, err = init(str(target))
    assert code == 2
    folder = tmp_path / "nope"
    assert err == f"blueprint: error: {target}: folder {folder} does not exist (create it first)\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = init(str(folder / "x.yaml"))
    finally:
        folder.chmod(0o700)
    assert code == 2
    assert err.count("\n") == 1
    assert "Permission denied" in err


def test_write_new_refuses_a_file_that_appeared_meanwhile(tmp_path: Path) -> None:
    """The check before writing can be raced; the exclusive link cannot."""
    target = tmp_path / "x.yaml"
    target.write_bytes(b"theirs")
    with pytest.raises(FileExistsError):
        write_new(str(target), b"ours")
    assert target.read_bytes() == b"theirs"
    assert os.listdir(tmp_path) == ["x.yaml"]  # no temporary file left


def test_write_new_without_hard_links_still_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    fresh = tmp_path / "new.yaml"
    write_new(str(fresh), b"data")
    assert fresh.read_bytes() == b"data"
    with pytest.raises(FileExistsError):
        write_new(str(fresh), b"other")
    assert fresh.read_bytes() == b"data"
    assert sorted(os.listdir(tmp_path)) == ["new.yaml"]


def test_the_new_file_has_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    assert init(str(target))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_name_that_lint_would_not_find_in_a_folder_warns(tmp_path: Path) -> None:
    target = tmp_path / "blueprint.txt"
    code, _, err = init(str(target))
    assert code == 0
    assert "warning: " in err and "not named .yaml or .yml" in err
    assert target.exists()


# ---------------------------------------------------------------------- --title


@pytest.mark.parametrize(
    "title",
    [
        "Dental check-up",
        "Check-in: the desk",
        "#1 service",
        "yes",
        "2024",
        "a 'quoted' \"one\"",
        "Café à Paris",
        "0x1F",
        "Null",
        " padded ",
        "two\nlines",
    ],
)
def test_title_replaces_the_starters_and_reads_back_the_same(
    title: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = init("--title", title, "x.yaml")
    assert code == 0, err
    text = Path("x.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["title"] == title
    lint = runner.invoke(app, ["lint", "x.yaml", "--fail-on", "info"])
    assert lint.exit_code == 0, lint.stdout
    golden = (GOLDEN / "service.yaml").read_text(encoding="utf-8").splitlines()
    changed = [a for a, b in zip(text.splitlines(), golden, strict=True) if a != b]
    assert len(changed) == 1 and changed[0].startswith("title: ")


def test_an_empty_title_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = init("--title", " ", str(tmp_path / "x.yaml"))
    assert code == 2
    assert "--title" in err
    assert not (tmp_path / "x.yaml").exists()


def test_with_title_only_touches_the_top_level_title() -> None:
    text = "blueprint: 1\ntitle: Old\nsteps:\n  - title: Step\n"
    assert with_title(text, "New") == "blueprint: 1\ntitle: New\nsteps:\n  - title: Step\n"


# ---------------------------------------------------------------------- start-up


def test_lint_does_not_import_init_and_init_does_not_import_the_model(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from blueprint_cli.__main__ import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(*sorted(m for m in sys.modules if m.startswith('blueprint_cli')), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    target = tmp_path / "x.yaml"
    made = subprocess.run(
        [sys.executable, "-c", code, "init", str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    modules = made.stderr.splitlines()[-1].split()
    assert "blueprint_cli.pipeline.init" in modules
    assert not [m for m in modules if m.startswith(("blueprint_cli.model", "blueprint_cli.rules"))]
    linted = subprocess.run(
        [sys.executable, "-c", code, "lint", str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert linted.returncode == 0, linted.stderr
    assert "blueprint_cli.pipeline.init" not in linted.stderr.splitlines()[-1].split()


# ---------------------------------------------------------------------- the README


README_BLOCKS = re.findall(
    r"```console\n\$ blueprint (init [^\n]+)\n(.*?)```",
    (ROOT / "README.md").read_text(encoding="utf-8"),
    re.DOTALL,
)


def test_the_readme_shows_init() -> None:
    assert [command for command, _ in README_BLOCKS] == [
        "init --template clinic clinic.yaml",
        "init --list",
    ]


@pytest.mark.parametrize(("command", "shown"), README_BLOCKS, ids=[c for c, _ in README_BLOCKS])
def test_the_readme_init_output_is_real(
    command: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README shows is what a run prints: stdout, then stderr."""
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, command.split())
    assert result.exit_code == 0
    assert result.stdout + result.stderr == shown
