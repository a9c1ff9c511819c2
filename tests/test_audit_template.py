"""`blueprint audit template`: the checklist of an audit visit in four forms, the YAML one
an observation skeleton that `audit check` accepts as written; and the example visits
of examples/audits/hotel/, which check clean and show what an audit records."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.pipeline.audit import analyse_observation
from blueprint_cli.pipeline.check import default_settings
from tests.conftest import EXAMPLES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "audit"
HOTEL = EXAMPLES / "hotel.yaml"
VISITS = EXAMPLES / "audits" / "hotel"
DATE = "2026-11-28"
CASES = {
    "hotel.md": ["--format", "markdown"],
    "hotel.html": ["--format", "html"],
    "hotel.csv": ["--format", "csv"],
    "hotel.yaml": ["--format", "yaml", "--date", DATE],
    "hotel-business.md": ["--segment", "business", "--date", DATE],
}

runner = CliRunner()


def template(*args: str) -> str:
    """The command's stdout, run from the repository as the goldens are."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(app, ["audit", "template", "examples/hotel.yaml", *args])
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return result.stdout


def write_golden() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, args in CASES.items():
        (GOLDEN / name).write_text(template(*args), encoding="utf-8")


@pytest.mark.parametrize("name", list(CASES))
def test_each_format_of_the_hotel_is_its_golden_file(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert template(*CASES[name]) == expected, "run `make golden` and review the diff"


def test_the_checklist_is_in_journey_order_with_every_check() -> None:
    text = template()
    titles = [line for line in text.splitlines() if line.startswith("### ")]
    assert [t.split(" (`")[0] for t in titles] == [
        "### 1. Book the room",
        "### 2. Arrive at the hotel",
        "### 3. Check in",
        "### 4. Go to the room",
        "### 5. Order room service",
        "### 6. Receive the meal",
        "### 7. Check out and leave",
        "### 8. Get the invoice",
        "### 9. Give feedback",
    ]
    assert "- [ ] `key-card-in-a-folder` Key card in a folder" in text
    assert "“Welcome! May I have your name and a card for incidentals?”" in text
    assert "max 3m (Business traveller)" in text
    assert "recovery staff should perform: Honour the rate, upgrade and apologise" in text
    assert "(severity 8, risk 96; at `register`)" in text


def test_a_steps_phase_before_the_visit_comes_first_whatever_the_order_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = HOTEL.read_text(encoding="utf-8")
    book = text.index("  - id: book\n")
    stay = text.index(
        "  # -----------------------------------------------------------------" + "- the stay"
    )
    flows = text.index("\nflows:")
    moved = text[:book] + text[stay:flows] + text[book:stay] + text[flows:]
    (tmp_path / "hotel.yaml").write_text(moved, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["audit", "template", "hotel.yaml"])
    assert result.exit_code == 0, result.output
    titles = [line for line in result.stdout.splitlines() if line.startswith("### ")]
    assert titles[0].startswith("### 1. Book the room") and "Arrive" in titles[1]
    assert titles[-1].startswith("### 9. Give feedback")


def test_the_skeleton_validates_as_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    shutil.copy(HOTEL, tmp_path / "hotel.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["audit", "template", "hotel.yaml", "-f", "yaml", "-o", "visits/v01.yaml"]
    )
    assert result.exit_code == 0, result.output
    assert "hotel.yaml -> visits/v01.yaml" in result.stderr
    path = tmp_path / "visits" / "v01.yaml"
    raw = path.read_bytes()
    assert b"\nblueprint: ../hotel.yaml\n" in raw
    observed = analyse_observation("visits/v01.yaml", str(path), raw, default_settings())
    assert [f.message for f in observed.findings] == []
    assert observed.observation is not None and observed.resolved is not None
    assert None not in observed.resolved.steps.values()
    assert None not in observed.resolved.evidence.values()
    assert None not in observed.resolved.actions.values()
    assert None not in observed.resolved.fail_points.values()
    assert runner.invoke(app, ["audit", "check", "visits/"]).exit_code == 0
    # the same file again: a visit is never overwritten
    again = runner.invoke(
        app, ["audit", "template", "hotel.yaml", "-f", "yaml", "-o", "visits/v01.yaml"]
    )
    assert again.exit_code == 2 and "over a visit's observations" in again.stderr


def test_the_format_comes_from_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "checklist.csv"
    result = runner.invoke(app, ["audit", "template", str(HOTEL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("step,phase,kind,id,what,standard,")


def test_segment_changes_the_wait_standard_shown() -> None:
    every = template("-f", "csv")
    leisure = template("-f", "csv", "--segment", "leisure")

    def register_wait(text: str) -> str:
        rows = csv.DictReader(io.StringIO(text))
        return next(r["standard"] for r in rows if r["kind"] == "wait" and r["id"] == "register")

    assert register_wait(every) == "max 3m (Business traveller)"
    assert register_wait(leisure) == "max 10m (Leisure guest)"
    assert register_wait(template("-f", "csv", "--segment", "business")) == (
        "max 3m (Business traveller)"
    )
    assert "invoice" not in {r["step"] for r in csv.DictReader(io.StringIO(leisure))}
    skeleton = template("-f", "yaml", "--segment", "leisure", "--date", DATE)
    assert "  segment: leisure\n" in skeleton and "wait max 10m (Leisure guest)" in skeleton


def test_an_unknown_segment_is_a_usage_error() -> None:
    result = runner.invoke(app, ["audit", "template", str(HOTEL), "--segment", "busines"])
    assert result.exit_code == 2
    assert "did you mean 'business'?" in result.stderr


def test_a_blueprint_with_errors_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("blueprint: 1\nsteps:\n  - title: A\n    customer: [{actor: x}]\n")
    out = tmp_path / "c.md"
    result = runner.invoke(app, ["audit", "template", str(broken), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "error BP" in result.stderr and "no checklist written" in result.stderr
    assert not out.exists()


def test_a_missing_blueprint_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "template", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert runner.invoke(app, ["audit", "template", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["audit", "template", str(HOTEL), "--date", "28/11"]).exit_code == 2


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "yaml"])
def test_the_blueprint_itself_is_never_overwritten(tmp_path: Path, fmt: str) -> None:
    bp = tmp_path / "hotel.yaml"
    shutil.copy(HOTEL, bp)
    before = bp.read_bytes()
    result = runner.invoke(app, ["audit", "template", str(bp), "-f", fmt, "-o", str(bp)])
    assert result.exit_code == 2, result.output
    assert bp.read_bytes() == before
    other = tmp_path / "other.yaml"
    shutil.copy(HOTEL, other)
    result = runner.invoke(app, ["audit", "template", str(bp), "-f", "yaml", "-o", str(other)])
    assert result.exit_code == 2 and "over a blueprint" in result.stderr


def hostile(tmp_path: Path) -> Path:
    text = HOTEL.read_text(encoding="utf-8")
    text = text.replace("title: Overnight hotel stay", 'title: "<script>alert(1)</script> & co"')
    text = text.replace("- Registration card", '- "=HYPERLINK(\\"http://x\\")"')
    script = "script: Welcome! May I have your name and a card for incidentals?"
    assert script in text
    text = text.replace(script, "script: \"+cmd|' /C calc'!A0 <b>Welcome</b>! May I have?\"")
    path = tmp_path / "hotel.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_cells_are_never_formulas(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "template", str(hostile(tmp_path)), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "step",
        "phase",
        "kind",
        "id",
        "what",
        "standard",
        "owner",
        "channel",
        "result",
        "note",
    ]
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert any(c.startswith("'+cmd|") for c in cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_html_escapes_everything_and_requests_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "template", str(hostile(tmp_path)), "-f", "html"])
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "default-src 'none'" in page
    assert not re.search(r"""(?:src|href|url)\s*[=(]\s*["']?(?!["']|data:)""", page)
    markdown = runner.invoke(app, ["audit", "template", str(hostile(tmp_path))]).stdout
    assert "\\<script\\>" in markdown


# ---------------------------------------------------------------------------- the examples


def visits() -> list[Path]:
    return sorted(VISITS.glob("*.yaml"))


def test_there_are_six_visits_or_more_over_several_months() -> None:
    assert len(visits()) >= 6
    months = {p.name[:7] for p in visits()}
    assert len(months) >= 4


@pytest.mark.parametrize("path", visits(), ids=lambda p: p.name)
def test_every_example_visit_checks_clean(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    name = str(path.relative_to(ROOT))
    settings = default_settings()
    observed = analyse_observation(name, str(path), path.read_bytes(), settings)
    assert [f"{f.line}:{f.col} {f.code} {f.message}" for f in observed.findings] == []
    assert observed.usable


def test_the_visits_record_what_an_audit_must() -> None:
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        seen = [
            analyse_observation(str(p), str(p), p.read_bytes(), default_settings()).observation
            for p in visits()
        ]
    finally:
        os.chdir(here)
    obs = [o for o in seen if o is not None]
    assert len(obs) == len(seen)
    steps = [s for o in obs for s in o.steps.values()]
    fails = [f for s in steps for f in s.fail_points.values()]
    assert any(not s.observed for s in steps), "a step not observed"
    assert any(o.unplanned for o in obs), "an unplanned fail point"
    unplanned = [u.text for o in obs for u in o.unplanned]
    assert len(unplanned) > len(set(unplanned)), "the same unplanned one again"
    assert any(f.occurred == "yes" and f.recovered == "no" for f in fails), "a failed recovery"
    assert any(f.occurred == "yes" and f.detected == "no" for f in fails), "one not detected"
    assert {o.visit.method for o in obs} >= {"mystery", "walk-through"}
    assert {o.visit.segment for o in obs} >= {"business", "leisure"}
    assert len({o.visit.auditor for o in obs}) >= 2
    result = runner.invoke(app, ["audit", "check", str(VISITS)])
    assert result.exit_code == 0 and "no problems" in result.stdout, result.output


# ---------------------------------------------------------------------------- the README

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_observation_checks_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    block = next(
        b
        for b in re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)
        if b.startswith("observation: 1")
    )
    (tmp_path / ".git").mkdir()
    shutil.copy(HOTEL, tmp_path / "hotel.yaml")
    path = tmp_path / "audits" / "hotel" / "v01.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(block, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    observed = analyse_observation("v01.yaml", str(path), block.encode(), default_settings())
    assert [f.message for f in observed.findings] == []


def test_the_readme_audit_output_is_real() -> None:
    start = README.index("### `blueprint audit`")
    section = README[start : README.index("### `blueprint audit report")]
    blocks = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 2
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        check = runner.invoke(app, ["audit", "check", "examples/audits/hotel/"])
    finally:
        os.chdir(here)
    assert blocks[0] == f"$ blueprint audit check examples/audits/hotel/\n{check.stdout}"
    shown = blocks[1].split("$ blueprint audit template examples/hotel.yaml -f yaml")
    markdown = template("--segment", "business")
    skeleton = template("-f", "yaml")
    for line in shown[0].splitlines()[1:]:
        assert line == "..." or line in markdown.splitlines(), line
    for line in shown[1].splitlines()[1:]:
        assert line == "..." or line in skeleton.splitlines(), line
