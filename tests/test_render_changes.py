"""`blueprint render NEW --diff OLD`: what changed since an older version, drawn over the
new one: added green and tagged "new", changed amber, moved tagged, removed ghosted where
it was (render/changes.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render import THEMES
from tests.conftest import EXAMPLES

ROOT = Path(__file__).parent / "diff"
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")


def node(dot: str, key: str) -> str:
    """The DOT line of the node ``key``."""
    return next(line for line in dot.splitlines() if line.startswith(f'  "{key}" ['))


def render(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["render", *args])
    return result.exit_code, result.stdout


def hotel_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The hotel, and a new version of it: an action removed (tag-bags), evidence added
    (at book), a fail point rescored, an action moved to another lane (assign-room), a
    flow removed and one added."""
    old = tmp_path / "hotel-old.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", old)
    doc: dict[str, Any] = yaml.safe_load(old.read_text(encoding="utf-8"))
    steps = {s["id"]: s for s in doc["steps"]}
    steps["arrive"]["backstage"] = [
        a for a in steps["arrive"]["backstage"] if a["id"] != "tag-bags"
    ]
    if not steps["arrive"]["backstage"]:
        del steps["arrive"]["backstage"]
    doc["flows"] = [f for f in doc.get("flows", []) if "tag-bags" not in str(f)]
    # a flow removed whose ends both stay, and one added
    doc["flows"].remove("process-checkout -> close-folio")
    doc["flows"].append({"from": "check-minibar", "to": "close-folio", "label": "minibar total"})
    steps["book"]["evidence"].append("Price comparison page")
    fp = steps["check-in"]["frontstage"][0]["fail_points"][0]
    fp["severity"] = 1 if fp.get("severity") != 1 else 2
    moved = steps["check-in"]["backstage"].pop(0)
    assert moved["id"] == "assign-room"
    steps["check-in"].setdefault("support", []).append(moved)
    if not steps["check-in"]["backstage"]:
        del steps["check-in"]["backstage"]
    new = tmp_path / "hotel-new.yaml"
    new.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return old, new


def test_the_restaurant_changes_are_marked() -> None:
    code, dot = render(
        str(ROOT / "restaurant-v2.yaml"),
        "--diff",
        str(ROOT / "restaurant-v1.yaml"),
        "-o",
        "-",
        "-f",
        "dot",
    )
    assert code == 0
    t = THEMES["default"]
    assert "changes since restaurant-v1.yaml" in dot
    seat = node(dot, "a:seat")
    assert f'color="{t.changed}"' in seat and "frontstage → backstage" in seat
    assert "moved" in node(dot, "chg:a:seat")
    assert "changed" in node(dot, "chg:a:print")
    assert "owner none → waiter" in node(dot, "a:print")
    assert f'fontcolor="{t.changed}"' in node(dot, "step:arrive")
    assert "moved" in node(dot, "chg:step:arrive") and "retitled" in node(dot, "step:arrive")
    assert "moved: an action to another lane or step" in dot  # the key


def test_the_hotel_changes_are_marked(tmp_path: Path) -> None:
    old, new = hotel_pair(tmp_path)
    code, dot = render(str(new), "--diff", str(old), "-o", "-", "-f", "dot")
    assert code == 0, dot
    t = THEMES["default"]
    ghost = node(dot, "a:tag-bags")
    assert "dashed" in ghost and f'color="{t.ghost}"' in ghost
    assert "removed" in node(dot, "chg:a:tag-bags")
    assert "moved" in node(dot, "chg:a:assign-room")
    added = [line for line in dot.splitlines() if line.startswith('  "chg:e:') and "new" in line]
    assert len(added) == 1
    assert f'BORDER="2" COLOR="{t.changed}"' in node(dot, "a:register")  # rescored
    assert "fail point" in node(dot, "a:register")
    edges = dot.splitlines()
    ghost_flow = next(e for e in edges if '"a:process-checkout" -> "a:close-folio"' in e)
    assert "style=dashed" in ghost_flow and f'color="{t.ghost}"' in ghost_flow
    added_flow = next(e for e in edges if '"a:check-minibar" -> "a:close-folio"' in e)
    assert f'color="{t.added}"' in added_flow
    assert "flow removed since the old version" in dot  # the key


def test_a_removed_step_is_drawn_and_an_old_draft_compared(tmp_path: Path) -> None:
    old, new = hotel_pair(tmp_path)
    doc: dict[str, Any] = yaml.safe_load(new.read_text(encoding="utf-8"))
    doc["steps"] = [s for s in doc["steps"] if s["id"] != "go-to-room"]
    gone = {"walk-up", "receive-bags", "deliver-bags", "take-bags"}
    doc["flows"] = [f for f in doc["flows"] if not any(g in str(f) for g in gone)]
    new.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    broken = old.read_text(encoding="utf-8") + "\nflows_x: 1\n"
    draft = tmp_path / "draft.yaml"
    draft.write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["render", str(new), "--diff", str(draft), "-o", "-", "-f", "dot"]
    )
    assert result.exit_code == 0, result.output
    assert "dashed" in node(result.stdout, "step:go-to-room") or "removed" in node(
        result.stdout, "chg:step:go-to-room"
    )
    # the flow from an action removed from its step to one of the removed step: drawn
    assert "Removed: flow tag-bags → take-bags" not in result.stdout
    assert "what validates of it is compared" in result.stderr


def test_an_old_draft_that_lost_a_step_is_compared_by_where_things_were_written(
    tmp_path: Path,
) -> None:
    """A step of the old version that fails validation is left out of its model: the
    steps after it are found by the paths they were written at, not by list index."""
    old, new = hotel_pair(tmp_path)
    doc: dict[str, Any] = yaml.safe_load(old.read_text(encoding="utf-8"))
    del doc["steps"][0]["title"]  # the whole first step is pruned from the draft's model
    draft = tmp_path / "draft.yaml"
    draft.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["render", str(new), "--diff", str(draft), "-o", "-", "-f", "dot"]
    )
    assert result.exit_code == 0, result.output
    assert "changes since draft.yaml" in result.stdout
    ghost = node(result.stdout, "a:tag-bags")  # the action removed from the second step
    assert "dashed" in ghost and "removed" in node(result.stdout, "chg:a:tag-bags")


def test_nothing_changes_without_diff(tmp_path: Path) -> None:
    _, new = hotel_pair(tmp_path)
    _, plain = render(str(new), "-o", "-", "-f", "dot")
    assert "chg:" not in plain and "changes since" not in plain


def test_an_unreadable_old_version_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = render(str(ROOT / "restaurant-v2.yaml"), "--diff", str(tmp_path / "no.yaml"))
    assert code == 2


def test_the_ghosts_of_steps_not_in_view_are_not_drawn(tmp_path: Path) -> None:
    old, new = hotel_pair(tmp_path)
    bp = check_bytes(new.read_bytes()).blueprint
    assert bp is not None
    phase = next(s.phase for s in bp.steps if s.id == "book")
    assert phase is not None
    code, dot = render(str(new), "--diff", str(old), "-o", "-", "-f", "dot", "--phase", phase)
    assert code == 0
    if not any(s.id == "arrive" and s.phase == phase for s in bp.steps):
        assert '"a:tag-bags"' not in dot


@needs_graphviz
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot"])
@pytest.mark.parametrize("theme", list(THEMES))
def test_every_format_and_theme(tmp_path: Path, fmt: str, theme: str) -> None:
    old, new = hotel_pair(tmp_path)
    out = tmp_path / f"out.{fmt}"
    code, _ = render(
        str(new), "--diff", str(old), "-o", str(out), "--theme", theme, "--rows", "emotion"
    )
    assert code == 0
    assert out.stat().st_size > 0


def _without_step(tmp_path: Path, step_id: str) -> Path:
    """examples/hotel.yaml with one step (and the flows to its actions) removed."""
    doc: dict[str, Any] = yaml.safe_load((EXAMPLES / "hotel.yaml").read_text("utf-8"))
    step = next(s for s in doc["steps"] if s["id"] == step_id)
    ids = {
        a["id"]
        for lane in ("customer", "frontstage", "backstage", "support")
        for a in step.get(lane, [])
    }
    doc["steps"].remove(step)
    doc["flows"] = [
        f
        for f in doc["flows"]
        if not any(i in str(f).replace("->", " ").split() or f"'{i}'" in str(f) for i in ids)
    ]
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return new


def test_a_removed_step_is_a_ghost_column_where_it_was_and_numbers_stay(tmp_path: Path) -> None:
    new = _without_step(tmp_path, "go-to-room")
    code, dot = render(str(new), "--diff", str(EXAMPLES / "hotel.yaml"), "-o", "-", "-f", "dot")
    assert code == 0
    header = node(dot, "step:go-to-room")
    assert "Go to the room" in header and "4. Go" not in header
    assert "removed" in node(dot, "chg:step:go-to-room")
    for key in ("a:walk-up", "a:deliver-bags", "a:take-bags", "e:lifts-and-corridors"):
        assert "dashed" in node(dot, key), key
    # after check-in and before room service, which keeps its number (4, not 5)
    x = {
        key: float(node(dot, key).split('pos="')[1].split(",")[0])
        for key in ("step:check-in", "step:go-to-room", "step:order-food")
    }
    assert x["step:check-in"] < x["step:go-to-room"] < x["step:order-food"]
    assert "4. Order room service" in node(dot, "step:order-food")
    # the flows between its actions were removed with it: dashed grey, drawn
    edges = [line for line in dot.splitlines() if "->" in line and "take-bags" in line]
    assert edges and all("style=dashed" in e for e in edges)
    assert "Removed: step go-to-room" not in dot  # drawn, not listed


def test_a_removed_flow_between_rows_of_a_wrapped_picture_is_listed(tmp_path: Path) -> None:
    doc: dict[str, Any] = yaml.safe_load((EXAMPLES / "hotel.yaml").read_text("utf-8"))
    before = len(doc["flows"])
    doc["flows"] = [
        f
        for f in doc["flows"]
        if not (
            isinstance(f, dict) and (f["from"], f["to"]) == ("update-profile", "create-reservation")
        )
    ]
    assert len(doc["flows"]) == before - 1
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old = str(EXAMPLES / "hotel.yaml")
    code, dot = render(str(new), "--diff", old, "-o", "-", "-f", "dot", "--wrap", "4")
    assert code == 0
    assert "Removed: flow update-profile → create-reservation (between rows)" in dot
    code, whole = render(str(new), "--diff", old, "-o", "-", "-f", "dot")
    assert "between rows" not in whole  # one row: drawn dashed
    assert any(
        '"a:update-profile" -> "a:create-reservation"' in e and "dashed" in e
        for e in whole.splitlines()
    )


def test_the_optional_rows_stay_under_their_steps_beside_a_ghost_column(tmp_path: Path) -> None:
    """The emotion curve and the metrics are the new version's, in the new version's
    columns: the ghost column of a removed step shifts nothing and draws none of them."""
    new = _without_step(tmp_path, "go-to-room")
    code, dot = render(
        str(new), "--diff", str(EXAMPLES / "hotel.yaml"), "-o", "-", "-f", "dot",
        "--rows", "emotion,metrics",
    )  # fmt: skip
    assert code == 0

    def x(key: str) -> float:
        return float(node(dot, key).split('pos="')[1].split(",")[0])

    for step in ("check-in", "receive-food", "check-out", "feedback"):
        assert abs(x(f"emo:customer:{step}") - x(f"step:{step}")) < 1, step
    assert abs(x("metric:check-out:0") - x("step:check-out")) < 100
    assert "emo:customer:go-to-room" not in dot and "metric:go-to-room" not in dot
