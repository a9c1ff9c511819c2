"""The Mermaid export: every line of it in the small grammar it is written in (so that no
text can end a label, a subgraph or the Markdown fence around it), one subgraph per lane
in use in the lanes' order, every action in its lane's subgraph, an arrow for every
flow, fail points marked, and the same text for the same blueprint.

Regenerate the golden files with `make golden` and review the diff.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from blueprint_cli.model import LANES, LINES, Blueprint
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render.mermaid import text, to_mermaid
from blueprint_cli.text import visible
from tests.conftest import EXAMPLES, example_blueprints
from tests.strategies import blueprints
from tests.test_export_drawio import MORE_HOSTILE
from tests.test_render_hostile import HOSTILE
from tests.test_render_hostile import blueprint as hostile_blueprint

GOLDEN = Path(__file__).parent / "golden" / "export"
CASES = example_blueprints()

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"(?P<label>[^"\[\]{}<>|`]*)"'
GRAMMAR = {
    "subgraph": re.compile(rf"  subgraph (?P<id>{ID})\[{LABEL}\]"),
    "direction": re.compile(r"    direction LR"),
    "action": re.compile(rf"    (?P<id>a_[A-Za-z0-9_]*)\({LABEL}\)"),
    "evidence": re.compile(rf"    (?P<id>e_[A-Za-z0-9_]*)\[/{LABEL}/\]"),
    "order": re.compile(rf"    (?P<a>{ID}) ~~~ (?P<b>{ID})"),
    "end": re.compile(r"  end"),
    "line": re.compile(r"  %% ---- (?P<name>[A-Za-z ]+) ----"),
    "flow": re.compile(rf"  (?P<a>a_[A-Za-z0-9_]*) -->(?:\|{LABEL}\|)? (?P<b>a_[A-Za-z0-9_]*)"),
    "classDef": re.compile(rf"  classDef (?P<id>{ID}) [a-z-]+:[^ ;]+(?:,[a-z-]+:[^;,]+)*"),
    "class": re.compile(rf"  class (?P<ids>{ID}(?:,{ID})*) (?P<id>{ID})"),
    "style": re.compile(
        rf"  style (?P<id>{ID}) fill:#[0-9a-f]{{6}},stroke:#[0-9a-f]{{6}},color:#[0-9a-f]{{6}}"
    ),
}


def decode(label: str) -> str:
    """A label's text as Mermaid shows it: its entity codes read. Nothing else in it is
    markup: no raw ``&``, and ``#`` only in entity codes."""
    code = re.compile(r"#(\d+|[a-z]+);")
    assert "&" not in label and "#" not in code.sub("", label), label

    def read(m: re.Match[str]) -> str:
        name = m.group(1)
        return chr(int(name)) if name.isdigit() else html.unescape(f"&{name};")

    return code.sub(read, label)


@dataclass
class Chart:
    title: str
    lanes: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    nodes: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id: lane, kind, text
    flows: list[tuple[str, str, str | None]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)  # (name, the lane below it)
    classes: dict[str, set[str]] = field(default_factory=dict)


def parse(chart: str) -> Chart:
    """The chart read back, every line checked against the grammar."""
    lines = chart.split("\n")
    assert lines[-1] == ""
    if lines[0] == "---":  # the title in front matter, or in a comment when it has markup
        assert lines[1].startswith('title: "') and lines[2] == "---"
        out = Chart(yaml.safe_load(lines[1])["title"])
        assert not re.search("[<>&]", out.title)
        del lines[:3]
    else:
        assert lines[0].startswith("%% ") and re.search("[<>&]", lines[0])
        out = Chart(lines[0][3:])
        del lines[:1]
    assert lines[0] == "flowchart LR"
    lane: str | None = None
    pending_line: str | None = None
    for line in lines[1:-1]:
        kind, match = next(
            ((k, m) for k, rx in GRAMMAR.items() if (m := rx.fullmatch(line))), (None, None)
        )
        assert kind is not None and match is not None, f"not in the grammar: {line!r}"
        if kind == "subgraph":
            assert lane is None
            lane = match["id"]
            out.lanes.append((lane, decode(match["label"])))
            if pending_line:
                out.lines.append((pending_line, lane))
                pending_line = None
        elif kind == "end":
            assert lane is not None
            lane = None
        elif kind in ("action", "evidence"):
            assert lane is not None and match["id"] not in out.nodes
            out.nodes[match["id"]] = (lane, kind, decode(match["label"]))
        elif kind == "order":
            assert lane is not None
            assert out.nodes[match["a"]][0] == out.nodes[match["b"]][0] == lane
        elif kind == "line":
            assert lane is None
            pending_line = match["name"]
        elif kind == "flow":
            assert lane is None and match["a"] in out.nodes and match["b"] in out.nodes
            label = match["label"]
            out.flows.append((match["a"], match["b"], None if label is None else decode(label)))
        elif kind == "class":
            out.classes.setdefault(match["id"], set()).update(match["ids"].split(","))
    assert lane is None
    return out


def blueprint_of(path: Path) -> Blueprint:
    checked = check_bytes(path.read_bytes())
    assert checked.blueprint is not None, checked.problems
    return checked.blueprint


def write_golden() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for path in CASES:
        (GOLDEN / f"{path.stem}.mmd").write_text(to_mermaid(blueprint_of(path)), encoding="utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_export_matches_golden(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.mmd"
    assert golden.exists(), "run `make golden`"
    assert to_mermaid(blueprint_of(path)) == golden.read_text(encoding="utf-8")


def check_chart(bp: Blueprint, chart: str) -> Chart:
    """The chart against the blueprint: lanes, nodes, flows, lines and fail points."""
    read = parse(chart)
    used = [
        lane
        for lane in LANES
        if any(step.evidence if lane == "evidence" else step.lane(lane) for step in bp.steps)
    ]
    assert [title for _, title in read.lanes] == [
        decode(text(bp.lanes.title(lane))) for lane in used
    ]
    lane_of = {lane_id: lane for (lane_id, _), lane in zip(read.lanes, used, strict=True)}
    for lane_id, kind, _ in read.nodes.values():
        assert (kind == "evidence") == (lane_of[lane_id] == "evidence")
    actions = {a.id: a for a in bp.actions()}
    declared = {n: v for n, v in read.nodes.items() if v[1] == "action"}
    assert len(declared) == len(actions)
    # the actions in their lanes, in step order
    order = [(lane, a.text) for lane in LANES[1:] for step in bp.steps for a in step.lane(lane)]
    badges = re.compile(r" · [FW]\d+!?(?: [FW]\d+!?)*$")
    got = [(lane_of[lane_id], badges.sub("", label)) for lane_id, _, label in declared.values()]
    assert got == [(lane, decode(text(t))) for lane, t in order]
    # the flows, with their labels
    written = [a.id for lane in LANES[1:] for step in bp.steps for a in step.lane(lane)]
    index = dict(zip(written, declared, strict=True))
    assert read.flows == [
        (index[f.from_], index[f.to], decode(text(f.label, 80)) if f.label else None)
        for f in bp.all_flows()
    ]
    # fail points: their actions in the class fail (or fail_high), with their numbers
    failing = {index[a.id] for a in actions.values() if a.fail_points}
    assert read.classes.get("fail", set()) | read.classes.get("fail_high", set()) == failing
    for node in failing:
        assert re.search(r" · F\d+", read.nodes[node][2])
    # the lines between the lanes they separate
    for name, below in read.lines:
        key = next(k for k, v in LINES.items() if v == name)
        assert LANES.index(key) < LANES.index(lane_of[below])
    return read


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_examples_follow_their_blueprints(path: Path) -> None:
    bp = blueprint_of(path)
    check_chart(bp, to_mermaid(bp))


def test_hotel_has_the_three_lines_and_its_titles() -> None:
    bp = blueprint_of(EXAMPLES / "hotel.yaml")
    read = check_chart(bp, to_mermaid(bp))
    assert [name for name, _ in read.lines] == list(LINES.values())
    assert read.title == "Overnight hotel stay"
    assert ("lane_frontstage", "Onstage contact employee actions") in read.lanes
    assert decode(text('say "hi" <b>#1</b> & `x`')) == 'say "hi" <b>#1</b> & `x`'


def test_segment_keeps_its_steps_and_numbers() -> None:
    bp = blueprint_of(EXAMPLES / "hotel.yaml")
    chart = to_mermaid(bp, segments=("leisure",))
    read = parse(chart)
    assert "segment Leisure guest" in read.title
    kept = [s for s in bp.steps if not s.segments or "leisure" in s.segments]
    assert len([n for n in read.nodes.values() if n[1] == "action"]) == sum(
        len(s.actions()) for s in kept
    )
    assert to_mermaid(bp, phases=("visit",)) != to_mermaid(bp)


@pytest.mark.parametrize("value", HOSTILE + MORE_HOSTILE)
def test_hostile_text_stays_in_its_label(value: str) -> None:
    checked = check_bytes(hostile_blueprint(value))
    assert checked.blueprint is not None
    bp = checked.blueprint
    chart = to_mermaid(bp)
    read = check_chart(bp, chart)
    plain = parse(to_mermaid(check_bytes(hostile_blueprint("plain")).blueprint))  # type: ignore[arg-type]
    assert list(read.nodes) == list(plain.nodes) and len(read.flows) == len(plain.flows)
    assert "```" not in chart and "\x1b" not in chart and "\u202e" not in chart
    assert read.title == visible(re.sub(r"\s+", " ", bp.title or "").strip())
    one_line = re.sub(r"\s+", " ", bp.steps[0].customer[0].text).strip()
    shown = read.nodes["a_c1"][2]
    if len(one_line) < 300 and one_line.isprintable():
        assert shown == one_line


def test_label_text() -> None:
    assert text('say "hi" <b>#1</b> & `x` | [y] {z}') == (
        "say #quot;hi#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; #96;x#96; #124; #91;y#93; #123;z#125;"
    )
    assert text("two\n  lines") == "two lines"
    assert text("x" * 400).endswith("…") and len(text("x" * 400)) == 300


def test_ids_are_plain_and_unique() -> None:
    data = {
        "blueprint": 1,
        "steps": [
            {
                "id": "s",
                "title": "S",
                "customer": [
                    {"id": "check-in", "text": "a"},
                    {"id": "check_in", "text": "b"},
                    {"id": "受付", "text": "c"},
                    {"id": "end", "text": "d"},
                ],
            }
        ],
    }
    bp = check_bytes(yaml.safe_dump(data, allow_unicode=True).encode()).blueprint
    assert bp is not None
    read = check_chart(bp, to_mermaid(bp))
    assert list(read.nodes) == ["a_check_in", "a_check_in_2", "a_u53d7_u4ed8", "a_end"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blueprints())
def test_generated_blueprints_give_charts_that_parse(data: dict[str, object]) -> None:
    checked = check_bytes(yaml.safe_dump(data, allow_unicode=True).encode())
    assert checked.blueprint is not None, checked.problems
    bp = checked.blueprint
    check_chart(bp, to_mermaid(bp))
    for segment in bp.segments[:1]:
        view = bp.model_copy(
            update={"steps": [s for s in bp.steps if not s.segments or segment.id in s.segments]}
        )
        chart = parse(to_mermaid(bp, segments=(segment.id,)))
        assert len(chart.nodes) == len(parse(to_mermaid(view)).nodes)


README = Path(__file__).parent.parent / "README.md"
#: the README's example chart: the export of this blueprint, as it is
README_EXAMPLE = EXAMPLES / "textbook" / "shoeshine.yaml"
README_BLOCK = re.compile(
    r"(`examples/textbook/shoeshine.yaml`:\n\n```mermaid\n)(.*?)(```\n)", re.S
)


def write_readme() -> None:
    text_ = README.read_text(encoding="utf-8")
    chart = to_mermaid(blueprint_of(README_EXAMPLE))
    README.write_text(
        README_BLOCK.sub(lambda m: m.group(1) + chart + m.group(3), text_, count=1),
        encoding="utf-8",
    )


def test_the_readme_chart_is_the_export_of_its_example() -> None:
    match = README_BLOCK.search(README.read_text(encoding="utf-8"))
    assert match is not None, "the README's Mermaid example is gone"
    assert match.group(2) == to_mermaid(blueprint_of(README_EXAMPLE)), "`make golden`"
