"""Hostile input, round two: no file, name or text forges output. Names with terminal
escapes, CR, newlines (a name that starts a GitHub workflow command), bidi overrides,
zero-width characters or bytes that are not UTF-8 are shown escaped in every command
and format; Graphviz's own escapes and Markdown's autolinks stay text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app

runner = CliRunner()
BLUEPRINT = Path(sys.executable).parent / "blueprint"

BROKEN = "blueprint: 1\nsteps:\n  - {title: A, evidance: [x], customer: [Pay]}\n"
WEAK = (
    "blueprint: 1\nphases: [Visit]\nsteps:\n  - title: A\n    phase: visit\n"
    "    customer: [Pay]\n    frontstage:\n      - text: Greet\n"
    "        fail_points: [{text: Nobody there, severity: 8, occurrence: 5, detection: 6}]\n"
)
NAMES = [
    "esc\x1b[31mred\x1b]8;;evil\x07.yaml",
    "line\n::warning file=x::forged.yaml",
    "cr\rhidden.yaml",
    "bidi\u202eloot.exe.yaml",
    "zero\u200bwidth.yaml",
    os.fsdecode(b"bytes\xff\xfe.yaml"),
    "::warning file=x::begins-a-line.yaml",
]
FORBIDDEN = ["\x1b", "\r", "\u202e", "\u200b", "\x07"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for i, name in enumerate(NAMES):
        (tmp_path / name).write_text(BROKEN if i % 2 else WEAK)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _clean(text: str, github: bool = False) -> None:
    for ch in FORBIDDEN:
        assert ch not in text, repr(ch)
    for line in text.splitlines():
        if line.startswith("::"):
            assert github and re.match(r"::(error|warning|notice) file=", line), line
        assert not re.search(r"[\ud800-\udfff]", line)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_lint_in_every_format(tree: Path, fmt: str) -> None:
    result = runner.invoke(app, ["lint", ".", "--format", fmt])
    assert result.exit_code == 1
    _clean(result.stdout, github=fmt == "github")
    _clean(result.stderr)
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(result.stdout)
    if fmt == "junit":
        ET.fromstring(result.stdout)  # well-formed XML
    # shown, not hidden (in SARIF, the escape percent-encoded, as a URI holds it)
    shown = "%5Cx1b" if fmt == "sarif" else "\\x1b"
    assert shown in result.stdout or "\\\\x1b" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["render", ".", "--format", "dot", "-o", "out/"],
        ["render", ".", "--format", "dot", "--check"],
        ["show", NAMES[0], "--format", "text"],
        ["show", NAMES[1]],
        ["failpoints", ".", "--format", "text"],
        ["failpoints", ".", "--format", "markdown"],
        ["failpoints", ".", "--format", "csv"],
        ["failpoints", ".", "--format", "json"],
        ["lint", "nope\x1b[2J.yaml"],
    ],
)
def test_other_commands(tree: Path, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1, 2)
    _clean(result.stdout)
    _clean(result.stderr)


def test_a_configuration_file_in_a_hostile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "cfg\x1b[31m\n::error::x"
    folder.mkdir()
    (folder / "blueprint.toml").write_text("selct = 1\n")
    (folder / "a.yaml").write_text(WEAK)
    result = runner.invoke(app, ["lint", str(folder)])
    assert result.exit_code == 2
    _clean(result.stderr)
    assert "unknown key 'selct'" in result.stderr


def test_non_utf8_names_under_a_strict_encoding(tree: Path) -> None:
    """PYTHONIOENCODING=utf-8 (strict) must not crash on a name that is not UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    for args in (["lint", "."], ["lint", ".", "-f", "json", "--output-file", "r.json"]):
        proc = subprocess.run(
            [str(BLUEPRINT), *args], capture_output=True, env=env, check=False, timeout=60
        )
        assert proc.returncode == 1, proc.stderr[-500:]
        assert b"Traceback" not in proc.stderr
    json.loads((tree / "r.json").read_text(encoding="utf-8"))


def test_show_text_keeps_titles_on_their_line(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        'blueprint: 1\ntitle: "Hotel\\n::warning::forged"\nsteps:\n'
        '  - {title: "A\\rB", customer: ["Pay\\u202e"]}\n'
    )
    result = runner.invoke(app, ["show", str(path), "--format", "text"])
    _clean(result.stdout)
    assert result.stdout.startswith("Hotel\\n::warning::forged\n")


def test_markdown_register_makes_no_links_and_no_strikethrough(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "blueprint: 1\nsteps:\n  - title: A\n    customer:\n      - text: Pay\n"
        "        fail_points:\n"
        "          - {text: 'See https://evil.example/x or www.evil.com, bob@evil.com ~~no~~',"
        " severity: 3}\n"
    )
    out = runner.invoke(app, ["failpoints", str(path), "--format", "markdown"]).stdout
    assert "https\\://evil.example" in out and "www\\.evil.com" in out
    assert "bob\\@evil.com" in out and "\\~\\~no\\~\\~" in out


def test_graphviz_escapes_stay_text(tmp_path: Path) -> None:
    from blueprint_cli.render.escape import dot_string, html

    assert html("Pay 20\\G") == "Pay 20&#92;&#92;G"
    assert dot_string("tip \\N") == '"tip \\\\\\\\N"'
    if shutil.which("dot") is None:
        pytest.skip("Graphviz not installed")
    path = tmp_path / "g.yaml"
    path.write_text(
        "blueprint: 1\ntitle: 'T \\G'\nsteps:\n  - title: 'Pay 20\\G'\n"
        "    evidence: ['Bill \\N']\n    customer:\n      - {text: 'Pays \\L', note: 'x \\E'}\n"
    )
    result = runner.invoke(app, ["render", str(path), "-o", str(tmp_path / "g.svg")])
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "g.svg").read_text()
    assert "Pay 20\\G" in svg and "Bill \\N" in svg and "Pays \\L" in svg
    assert "20blueprint" not in svg and "Bill bill" not in svg


def test_json_outputs_escape_what_a_terminal_would_act_on(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        'blueprint: 1\ntitle: "CSI \\u009b31m here \\u202e\\u200b"\nsteps:\n'
        '  - title: "A \\x7f"\n    customer:\n      - text: Pay\n'
        '        fail_points: [{text: "\\u0085 NEL", severity: 3}]\n'
    )
    for args in (["show", "--format", "json"], ["failpoints", "--format", "json"]):
        out = runner.invoke(app, [*args, str(path)]).stdout
        for ch in ("\x9b", "\x7f", "\x85", "\u202e", "\u200b"):
            assert ch not in out, (args, repr(ch))
        json.loads(out)
    doc = json.loads(runner.invoke(app, ["show", "--format", "json", str(path)]).stdout)
    assert doc["title"] == "CSI \x9b31m here \u202e\u200b"  # the same data for a parser
