"""`blueprint show` and `blueprint failpoints`: golden terminal text at 80 and 120
columns, JSON checked against its schema, CSV that spreadsheets read safely, and a
register over a folder of 200 blueprints."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from benchmarks.generate import generate
from blueprint_cli.analysis import FailPointRow, label_rows, placed, register, sort_register
from blueprint_cli.cli import app
from blueprint_cli.pipeline.inspect import inspect_paths
from blueprint_cli.views.show import build_report
from blueprint_cli.views.terminal import console, print_register, print_show
from tests.conftest import EXAMPLES, ROOT, example_blueprints

GOLDEN = Path(__file__).parent / "golden" / "terminal"
CASES = example_blueprints()
runner = CliRunner()


def show_text(path: Path, width: int) -> str:
    inspection = inspect_paths([str(path.relative_to(ROOT))])
    [loaded] = inspection.files
    out = io.StringIO()
    print_show(
        build_report(loaded.name, loaded.blueprint, loaded.findings),
        console(out, color=False, width=width),
    )
    return out.getvalue()


def register_text(width: int) -> str:
    inspection = inspect_paths([str(EXAMPLES.relative_to(ROOT))])
    rows: list[FailPointRow] = [
        r
        for f in inspection.files
        for r in placed(f.blueprint, register(f.blueprint, f.name, False, f.positions))
    ]
    rows = sort_register(label_rows(rows, [f.name for f in inspection.files]))
    out = io.StringIO()
    print_register(rows, console(out, color=False, width=width), many_files=True)
    return out.getvalue()


def write_golden() -> None:
    import os

    os.chdir(ROOT)
    for path in CASES:
        for width in (80, 120):
            (GOLDEN / f"show.{path.stem}.{width}.txt").write_text(show_text(path, width), "utf-8")
    for width in (80, 120):
        (GOLDEN / f"failpoints.{width}.txt").write_text(register_text(width), "utf-8")


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_show_golden(path: Path, width: int) -> None:
    text = show_text(path, width)
    assert text == (GOLDEN / f"show.{path.stem}.{width}.txt").read_text("utf-8")
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", [80, 120])
def test_failpoints_golden(width: int) -> None:
    text = register_text(width)
    assert text == (GOLDEN / f"failpoints.{width}.txt").read_text("utf-8")
    assert max(len(line) for line in text.splitlines()) <= width


def _schema(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((ROOT / "schemas" / name).read_text("utf-8")))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_show_json_matches_its_schema(path: Path) -> None:
    result = runner.invoke(app, ["show", str(path), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(_schema("show.schema.json").iter_errors(doc)) == []
    assert doc["evidence_coverage"]["customer_steps"] >= doc["evidence_coverage"]["with_evidence"]


def test_failpoints_json_matches_its_schema() -> None:
    result = runner.invoke(app, ["failpoints", "examples", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(_schema("failpoints.schema.json").iter_errors(doc)) == []
    risks = [fp["risk"] for fp in doc["fail_points"]]
    assert risks == sorted(risks, reverse=True)


def test_piped_show_is_plain_text() -> None:
    result = runner.invoke(app, ["show", "examples/hotel.yaml"])
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    assert "Evidence: 9/9 customer steps have physical evidence (100%)" in result.stdout
    assert "  F5 risk 210: Minibar or meal charged wrongly" in result.stdout


def test_csv_reads_back_with_the_right_columns() -> None:
    result = runner.invoke(app, ["failpoints", "examples", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "blueprint",
        "line",
        "label",
        "step_id",
        "step",
        "lane",
        "action_id",
        "action",
        "actor",
        "fail_point_id",
        "fail_point",
        "severity",
        "occurrence",
        "detection",
        "risk",
        "prevention",
        "recovery",
        "segments",
        "channel",
    ]
    assert rows[0]["risk"] == "720" and rows[0]["blueprint"] == "examples/dental.yaml"


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(
        'blueprint: 1\nsteps:\n  - title: \'=HYPERLINK("http://x","y")\'\n    frontstage:\n'
        "      - text: '+cmd'\n        fail_points: [{text: '@SUM(A1)', recovery: '-1'}]\n"
    )
    result = runner.invoke(app, ["failpoints", str(path), "--format", "csv"])
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["step"].startswith("'=HYPERLINK")
    assert row["fail_point"] == "'@SUM(A1)" and row["recovery"] == "'-1"


def test_filters_and_sorting() -> None:
    def labels(*args: str) -> list[str]:
        out = runner.invoke(app, ["failpoints", "examples/hotel.yaml", "--format", "json", *args])
        return [fp["label"] for fp in json.loads(out.stdout)["fail_points"]]

    assert labels() == ["F5", "F6", "F4", "F2", "F1", "F3"]
    assert labels("--min-risk", "150") == ["F5", "F6", "F4"]
    assert labels("--sort", "step") == ["F1", "F2", "F3", "F4", "F5", "F6"]
    assert labels("--sort", "severity")[0] == "F1"  # severity 8, the highest
    assert labels("--phase", "post-visit") == ["F6"]
    assert labels("--limit", "2") == ["F5", "F6"]
    shoe = runner.invoke(
        app,
        [
            "failpoints",
            "examples/textbook/shoeshine.yaml",
            "--format",
            "json",
            "--missing",
            "prevention",
        ],
    )
    assert [fp["label"] for fp in json.loads(shoe.stdout)["fail_points"]] == ["F1", "F3"]


def _line_of(text: str) -> int:
    """The line of examples/hotel.yaml that holds ``text``."""
    lines = Path("examples/hotel.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_markdown_register() -> None:
    out = runner.invoke(
        app, ["failpoints", "examples/textbook/shoeshine.yaml", "-f", "markdown"]
    ).stdout
    lines = out.splitlines()
    assert lines[0].startswith("| # | Where | Step | Lane | Segments | Channel | Action |")
    assert "| **missing** | **missing** |" in lines[2]
    hotel = runner.invoke(app, ["failpoints", "examples/hotel.yaml", "-f", "markdown"]).stdout
    first = hotel.splitlines()[2]
    # the action, and the prevention and recovery in words, as a report needs them
    at = _line_of("- id: wrong-charge")
    assert first.startswith(f"| F5 | examples/hotel.yaml:{at} | Check out and leave | frontstage ")
    assert "| Present bill and take payment |" in first
    assert first.endswith(
        "| Post charges when they happen | Remove charge at the desk, no debate |"
    )


def test_labels_are_unique_across_files_and_stable_under_filters() -> None:
    def rows(*args: str) -> list[dict[str, object]]:
        out = runner.invoke(app, ["failpoints", *args, "--format", "json"])
        return list(json.loads(out.stdout)["fail_points"])

    everything = rows("examples")
    labels = [r["label"] for r in everything]
    assert len(labels) == len(set(labels))
    assert {"hotel#F5", "garage#F5"} <= set(labels)  # two F5s, told apart
    assert all(r["label"] == f"{Path(str(r['blueprint'])).stem}#{r['marker']}" for r in everything)
    # a filter keeps the labels of the run: a row is named the same in every view of it
    assert [r["label"] for r in rows("examples", "--min-risk", "240")] == ["dental#F4", "garage#F5"]
    # one file: the marker alone, as in its diagram
    assert [r["label"] for r in rows("examples/hotel.yaml", "--limit", "1")] == ["F5"]


def test_rows_link_back_to_the_file_line_and_ids() -> None:
    [row] = json.loads(
        runner.invoke(
            app, ["failpoints", "examples/hotel.yaml", "--format", "json", "--limit", "1"]
        ).stdout
    )["fail_points"]
    at = _line_of("- id: wrong-charge")
    assert (row["blueprint"], row["line"]) == ("examples/hotel.yaml", at)
    assert (row["step_id"], row["action_id"], row["fail_point_id"]) == (
        "check-out",
        "process-checkout",
        "wrong-charge",
    )
    # the line is where lint points at the same fail point
    lint = runner.invoke(app, ["lint", "examples/hotel.yaml", "--select", "BP104"]).stdout
    assert f"examples/hotel.yaml:{at}:13: warning BP104 high-risk fail point 'Minibar" in lint


@pytest.mark.parametrize(
    ("files", "prefixes"),
    [
        (["a/hotel.yaml", "a/garage.yaml"], ["hotel", "garage"]),
        (
            ["examples/hotel.yaml", "examples/published/hotel.yaml"],
            ["examples/hotel", "published/hotel"],
        ),
        (["x/hotel.yaml", "x/hotel.yml"], ["x/hotel.yaml", "x/hotel.yml"]),
        (["hotel.review.yaml", "<stdin>"], ["hotel.review", "<stdin>"]),
    ],
)
def test_file_prefixes_are_the_shortest_that_tell_files_apart(
    files: list[str], prefixes: list[str]
) -> None:
    from blueprint_cli.analysis.facts import file_prefixes

    assert [file_prefixes(files)[f] for f in files] == prefixes


def test_a_folder_of_200_blueprints_sorts_across_files(tmp_path: Path) -> None:
    for i in range(200):
        data = generate(3 + i % 5, seed=i)
        (tmp_path / f"b{i:03}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    result = runner.invoke(app, ["failpoints", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["fail_points"]
    assert len({r["blueprint"] for r in rows}) > 50
    keys = [(-(r["risk"] or -1)) for r in rows]
    assert keys == sorted(keys)
    assert "reading blueprints" not in result.stderr  # no progress bar when not a terminal


def test_broken_files_are_drafts_or_left_out_when_strict(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "blueprint: 1\nsteps: [{title: A, evidance: [x], customer: "
        "[{text: Pay, fail_points: [{text: Card declined, severity: 5}]}]}]\n"
    )
    (tmp_path / "good.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    result = runner.invoke(app, ["failpoints", str(tmp_path), "--format", "json"])
    assert result.exit_code == 1
    assert "bad.yaml:2:20: error BP002" in result.stderr
    assert "shown as a draft with 1 error" in result.stderr
    rows = json.loads(result.stdout)["fail_points"]
    assert len(rows) == 7
    assert {r["blueprint"].rsplit("/", 1)[-1]: r["draft"] for r in rows} == {
        "bad.yaml": True,
        "good.yaml": False,
    }
    strict = runner.invoke(app, ["failpoints", str(tmp_path), "--format", "json", "--strict"])
    assert strict.exit_code == 1 and "left out" in strict.stderr
    assert len(json.loads(strict.stdout)["fail_points"]) == 6
    shown = runner.invoke(app, ["show", str(tmp_path / "bad.yaml"), "--format", "text"])
    assert shown.exit_code == 1 and "Card declined" in shown.stdout
    assert shown.stdout.startswith("Draft — 1 error")
    refused = runner.invoke(app, ["show", str(tmp_path / "bad.yaml"), "--strict"])
    assert refused.exit_code == 1 and refused.stdout == ""


def test_terminal_escapes_are_shown_not_run(tmp_path: Path) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text('blueprint: 1\ntitle: "Hotel \\e]0;pwned\\a\\e[31m"\nsteps: [Arrive]\n')
    result = runner.invoke(app, ["show", str(path), "--color", "always"])
    assert "\x1b]0;" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout


def test_show_takes_one_file() -> None:
    assert runner.invoke(app, ["show", "examples"]).exit_code == 2


def test_show_segment_holds_waits_to_that_segments_standard() -> None:
    business = runner.invoke(app, ["show", "examples/hotel.yaml", "--segment", "business"])
    leisure = runner.invoke(app, ["show", "examples/hotel.yaml", "--segment", "leisure"])
    assert business.exit_code == leisure.exit_code == 0
    w1 = "  W1 Queue at the front desk: 4m / max "
    assert f"{w1}3m (Business traveller) OVER (Check in)" in business.stdout
    assert f"{w1}10m (Leisure guest) (Check in)" in leisure.stdout
    assert "Showing segment Leisure guest: 8 of 9 steps" in leisure.stdout
    assert "Get the invoice" not in leisure.stdout.split("Journey:")[1].split("Evidence:")[0]
    # the segments section: only those in view, with the waits over their standard
    assert "  Business traveller: max wait 3m; 9 steps, own: Get the invoice;" in business.stdout
    assert "over standard: W1 Queue at the front desk 4m > 3m (Check in)" in business.stdout
    assert "  Leisure guest: max wait 10m; 8 steps, none of its own;" in leisure.stdout
    assert "Business traveller: max wait" not in leisure.stdout
    doc = json.loads(
        runner.invoke(
            app, ["show", "examples/hotel.yaml", "--segment", "leisure", "-f", "json"]
        ).stdout
    )
    assert list(_schema("show.schema.json").iter_errors(doc)) == []
    assert [w["over"] for w in doc["waits"]] == [False, False, False]
    assert [s["id"] for s in doc["segment_view"]] == ["leisure"]
    assert doc["segment_view"][0]["waits_over"] == []


def test_show_segment_unknown_is_a_usage_error_with_a_suggestion() -> None:
    result = runner.invoke(app, ["show", "examples/hotel.yaml", "--segment", "busines"])
    assert result.exit_code == 2
    assert "did you mean 'business'?" in result.stderr
    assert result.stdout == ""


def test_show_names_the_lowest_feelings_metrics_and_regulations() -> None:
    out = runner.invoke(app, ["show", "examples/hotel.yaml"]).stdout
    assert "  customer lowest: Check in (-1), Check out and leave (-1)" in out
    assert "  staff lowest: Check in (-1), Give feedback (-1)" in out
    assert ", 5 Order room service ·," in out  # no emotion written: a gap, not 0
    assert "  Time in the check-in queue: 4 → 3 min, ↓ better (at Check in)" in out
    assert "    7. Check out and leave / Present bill and take payment (Front desk clerk)" in out


def test_show_leaves_out_what_a_blueprint_does_not_have(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("blueprint: 1\nsteps:\n  - title: Arrive\n    customer: [Walk in]\n", "utf-8")
    out = runner.invoke(app, ["show", str(path)]).stdout
    for heading in ("Segments:", "Emotion", "Metrics", "Regulations"):
        assert heading not in out
    doc = json.loads(runner.invoke(app, ["show", str(path), "-f", "json"]).stdout)
    assert not {"segment_view", "emotion", "metrics", "regulations", "scope"} & set(doc)


def test_failpoints_say_the_segments_of_the_step_and_the_channel_of_the_action() -> None:
    args = ["failpoints", "examples/hotel.yaml", "--sort", "step"]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, [*args, "-f", "csv"]).stdout)))
    assert [(r["label"], r["segments"], r["channel"]) for r in rows] == [
        ("F1", "all", "In person"),
        ("F2", "all", "In person"),
        ("F3", "all", ""),  # 'Go to the room' names no channel
        ("F4", "all", "In person"),
        ("F5", "all", "In person"),
        ("F6", "Business traveller", "E-mail"),
    ]
    doc = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert list(_schema("failpoints.schema.json").iter_errors(doc)) == []
    assert [(fp["segments"], fp["channel"]) for fp in doc["fail_points"]][-2:] == [
        ("all", "In person"),
        ("Business traveller", "E-mail"),
    ]
    text = runner.invoke(app, [*args, "-f", "text"]).stdout.splitlines()
    assert text[0].endswith("\tsegments\tchannel")
    assert text[-1].endswith("\tBusiness traveller\tE-mail")
    markdown = runner.invoke(app, [*args, "-f", "markdown"]).stdout.splitlines()
    assert "| Lane | Segments | Channel |" in markdown[0]
    assert "| support | Business traveller | E-mail |" in markdown[-1]


@pytest.mark.parametrize("width", [80, 120])
def test_the_register_table_places_fail_points_at_any_width(width: int) -> None:
    text = register_text(width)
    hotel = text[text.index("hotel#F6") :]
    hotel = " ".join(hotel[: hotel.index("online-order")].split())
    if width >= 120:
        assert "Segments" in text and "Channel" in text
        assert "Business E-mail" in hotel and "traveller" in hotel
    else:
        assert "Segments" not in text
        assert "· E-mail · for Business traveller" in hotel
