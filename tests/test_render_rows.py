"""The optional rows (``render --rows``), the channel tags and the waits judged for the
segments in view: the plans of render/rows.py, the DOT they draw, and the command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render import THEMES, DotOptions, build
from blueprint_cli.render.rows import ROWS, figures, parse_rows, plan_rows
from tests.conftest import EXAMPLES

HOTEL = EXAMPLES / "hotel.yaml"
runner = CliRunner()


def model(raw: bytes) -> Blueprint:
    checked = check_bytes(raw)
    assert checked.blueprint is not None, checked.problems
    return checked.blueprint


def hotel() -> Blueprint:
    return model(HOTEL.read_bytes())


def dot(bp: Blueprint, **options: object) -> str:
    return build(bp, THEMES["default"], DotOptions(**options)).text()  # type: ignore[arg-type]


def node(text: str, key: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f'  "{key}" ['))


BARE = yaml.safe_dump(
    {
        "blueprint": 1,
        "steps": [
            {"title": "Arrive", "customer": ["Walk in"]},
            {"title": "Pay", "customer": ["Pay"]},
        ],
    }
).encode()


# -- --rows


def test_rows_parse_in_drawing_order() -> None:
    assert parse_rows(["regulations,emotion"]) == (("emotion", "regulations"), [])
    assert parse_rows(["metrics", "Emotion", "metrics"]) == (("emotion", "metrics"), [])
    assert parse_rows([]) == ((), [])


def test_an_unknown_row_is_named_with_the_rows_there_are() -> None:
    _, errors = parse_rows(["emotions,cost"])
    assert errors == [
        "--rows: no row 'emotions' (did you mean 'emotion'? rows: emotion, metrics, regulations)",
        "--rows: no row 'cost' (rows: emotion, metrics, regulations)",
    ]


def test_no_row_no_band() -> None:
    text = dot(hotel())
    assert "cluster_row_" not in text
    assert '"emo:' not in text and '"metric:' not in text and '"reg:' not in text


# -- emotion


def test_emotion_points_leave_gaps_and_mark_the_lowest() -> None:
    (plan,) = plan_rows(hotel(), ("emotion",))
    customer = {p.step.id: p for p in plan.points if p.who == "customer"}
    assert "order-food" not in customer  # no emotion written: a gap, not a zero
    runs = [[p.step.id for p in run] for run in plan.runs("customer")]
    assert runs == [
        ["book", "arrive", "check-in", "go-to-room"],
        ["receive-food", "check-out", "invoice", "feedback"],
    ]
    assert {k for k, p in customer.items() if p.lowest} == {"check-in", "check-out"}
    assert plan.staff
    staff = {p.step.id: p.value for p in plan.points if p.who == "staff"}
    assert staff == {"book": 0, "check-in": -1, "receive-food": 0, "check-out": 0, "feedback": -1}
    assert plan.y_of(2) < plan.y_of(0) < plan.y_of(-2)  # better is higher on the page


def test_emotion_drawn_solid_for_the_customer_dashed_for_the_staff() -> None:
    text = dot(hotel(), rows=("emotion",))
    assert "cluster_row_emotion" in text
    assert '"emo:customer:order-food"' not in text
    curve = next(line for line in text.splitlines() if "row:emotion:customer:book" in line)
    assert "style=solid" in curve
    staff = next(line for line in text.splitlines() if "row:emotion:staff:receive-food" in line)
    assert "style=dashed" in staff
    assert "penwidth=2.5" in node(text, "emo:customer:check-in")  # the lowest, ringed
    assert "penwidth=2.5" not in node(text, "emo:customer:book")
    assert "lowest" in node(text, "emo:customer:check-in:label")
    assert "row:emotion:zero" in text


def test_a_flat_curve_has_no_lowest_point() -> None:
    raw = yaml.safe_load(BARE)
    for step in raw["steps"]:
        step["emotion"] = 0
    (plan,) = plan_rows(model(yaml.safe_dump(raw).encode()), ("emotion",))
    assert not any(p.lowest for p in plan.points)
    assert not plan.staff


def test_rows_with_nothing_to_show_are_drawn_with_a_note() -> None:
    text = dot(model(BARE), rows=ROWS)
    for name, note in (
        ("emotion", "no emotion written"),
        ("metrics", "no metrics written"),
        ("regulations", "no action names a regulation"),
    ):
        assert f"cluster_row_{name}" in text
        assert note in node(text, f"row:{name}:note")
    key = node(text, "key")
    assert "feeling" not in key and "baseline" not in key  # nothing drawn, nothing keyed


# -- metrics and regulations


def test_metric_tags_show_figures_and_the_blueprint_metric_a_step_names() -> None:
    (plan,) = plan_rows(hotel(), ("metrics",))
    cols = {s.id: i for i, s in enumerate(hotel().steps)}
    (book,) = plan.tags[cols["book"]]
    assert book.title == ["Visits that end in a booking"]
    assert book.lines == ["3.1 → 4 % ↑"]
    (check_out,) = plan.tags[cols["check-out"]]
    assert check_out.title == ["Guest satisfaction"]  # `metrics: [csat]`: the blueprint's
    assert check_out.lines == ["78 → 90 % ↑"]
    (queue,) = plan.tags[cols["check-in"]]
    assert queue.lines == ["4 → 3 min ↓"]
    assert plan.side == []  # every blueprint metric is named by a step
    assert cols["arrive"] not in plan.tags


def test_a_metric_no_step_names_goes_under_the_rows_title() -> None:
    raw = yaml.safe_load(BARE)
    raw["metrics"] = [{"id": "nps", "title": "NPS", "baseline": 20, "target": 40}]
    (plan,) = plan_rows(model(yaml.safe_dump(raw).encode()), ("metrics",))
    assert plan.side == ["Whole service:", "NPS: 20 → 40"]
    assert not plan.note


def test_figures() -> None:
    bp = hotel()
    assert figures(bp.metrics[0]) == "78 → 90 % ↑"


def test_regulation_tags_name_the_actions_they_bind() -> None:
    bp = hotel()
    (plan,) = plan_rows(bp, ("regulations",))
    cols = {s.id: i for i, s in enumerate(bp.steps)}
    tags = {t.key: t for t in plan.tags[cols["check-in"]]}
    register = tags["reg:check-in:guest-register"]
    assert " ".join(register.title) == "Register of guests kept for the police"
    assert " ".join(register.lines) == "§ Register guest and issue key card"
    assert "Source: Local hotel registration law" in register.tooltip
    book = {t.key: t for t in plan.tags[cols["book"]]}
    assert set(book) == {"reg:book:gdpr", "reg:book:pci-dss"}
    assert cols["arrive"] not in plan.tags


def test_a_long_regulation_title_shows_its_id() -> None:
    raw = yaml.safe_load(BARE)
    raw["regulations"] = [{"id": "food-act", "title": "A title that runs " * 8}]
    raw["steps"][0]["customer"] = [{"text": "Walk in", "regulations": ["food-act"]}]
    (plan,) = plan_rows(model(yaml.safe_dump(raw).encode()), ("regulations",))
    assert plan.tags[0][0].title == ["food-act"]


# -- channels


def test_the_steps_channel_is_shown_once_and_an_actions_when_it_is_another() -> None:
    text = dot(hotel())
    assert "via Hotel website" in node(text, "step:book")
    assert "via E-mail" in node(text, "step:feedback")
    assert "via Phone" in node(text, "a:call-guest")  # its own channel, not the step's
    assert "via" not in node(text, "a:collect-scores").split("tooltip=")[0]
    assert "via" not in node(text, "step:go-to-room")  # no channel written
    assert "channel: the step" in node(text, "key")


def test_an_undeclared_channel_shows_as_written() -> None:
    raw = yaml.safe_load(BARE)
    raw["steps"][0]["channel"] = "kiosk"
    raw["steps"][0]["customer"] = [{"text": "Walk in", "channel": "app"}]
    text = dot(model(yaml.safe_dump(raw).encode()))
    assert "via kiosk" in node(text, "step:arrive")
    assert "via app" in node(text, "a:walk-in")


# -- the command: --rows, and waits judged for the segments in view

needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="needs Graphviz")


def render(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["render", str(HOTEL), "-f", "dot", "-o", "-", *args])
    return result.exit_code, result.stdout, result.stderr


def test_rows_repeated_or_listed_draw_the_same() -> None:
    listed = render("--rows", "emotion,metrics")
    repeated = render("--rows", "metrics", "--rows", "emotion")
    assert listed[0] == 0 and listed[1] == repeated[1]
    assert "cluster_row_emotion" in listed[1] and "cluster_row_regulations" not in listed[1]


def test_an_unknown_row_is_a_usage_error() -> None:
    code, out, err = render("--rows", "emotion,regulation")
    assert code == 2 and out == ""
    assert "--rows: no row 'regulation' (did you mean 'regulations'?" in err


@pytest.mark.parametrize(
    ("segment", "over"), [("business", True), ("leisure", False), (None, True)]
)
def test_a_wait_is_judged_by_the_standard_of_the_segment_in_view(
    segment: str | None, over: bool
) -> None:
    code, out, _ = render(*(("--segment", segment) if segment else ()))
    assert code == 0
    badge = next(line for line in out.splitlines() if line.startswith('  "a:register" ['))
    assert ("over by 1m" in badge) is over
    assert ("max 3m (Business traveller)" in badge) is over


@needs_graphviz
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_rows_in_every_format(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"hotel.{fmt}"
    result = runner.invoke(app, ["render", str(HOTEL), "--rows", ",".join(ROWS), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert target.stat().st_size > 1000


@needs_graphviz
def test_rows_wrapped_and_on_paper(tmp_path: Path) -> None:
    for extra in (["--wrap", "4"], ["--paper", "a4"]):
        target = tmp_path / "hotel.pdf"
        result = runner.invoke(
            app, ["render", str(HOTEL), "--rows", ",".join(ROWS), *extra, "-o", str(target)]
        )
        assert result.exit_code == 0, result.stderr


@needs_graphviz
def test_the_reports_diagram_takes_the_same_rows(tmp_path: Path) -> None:
    target = tmp_path / "hotel.html"
    result = runner.invoke(app, ["report", str(HOTEL), "--rows", "emotion", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    page = target.read_text("utf-8")
    assert 'id="emo:customer:arrive"' in page
    assert "cluster_row_metrics" not in page
    result = runner.invoke(app, ["report", str(HOTEL), "--rows", "emotio", "-o", str(target)])
    assert result.exit_code == 2
    assert "did you mean 'emotion'?" in result.stderr
