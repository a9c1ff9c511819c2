"""The semantic diff of two versions of a blueprint: changes keyed by id, in service terms."""

from __future__ import annotations

from pathlib import Path

from blueprint_cli.analysis.diff import diff, totals, totals_change
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes

HERE = Path(__file__).parent
HOTEL = HERE.parent / "examples" / "hotel.yaml"


def model(path: Path) -> Blueprint:
    checked = check_bytes(path.read_bytes())
    assert checked.blueprint is not None and not checked.problems, checked.problems
    return checked.blueprint


def test_a_blueprint_against_itself_has_no_change() -> None:
    hotel = model(HOTEL)
    assert diff(hotel, hotel).changes == []
    assert list(totals_change(totals(hotel), totals(hotel))) == []


def test_moves_renames_lanes_and_owners_in_service_terms() -> None:
    lines = [
        (c.line, sorted(c.tags))
        for c in diff(
            model(HERE / "diff" / "restaurant-v1.yaml"), model(HERE / "diff" / "restaurant-v2.yaml")
        ).changes
    ]
    assert lines == [
        ("+ actor waiter: (Waiter)", []),
        ("~ step arrive: moved before book (2 → 1)", []),
        ("~ step arrive: retitled 'Arrive' → 'Arrive at the door'", []),
        ("~ action seat: frontstage → backstage (now behind the line of visibility)", []),
        ("~ action pay-now: renamed from p1", []),
        ("~ action print: owner none → waiter", []),
    ]


def test_evidence_waits_fail_points_flows_and_totals(tmp_path: Path) -> None:
    text = HOTEL.read_text("utf-8")
    edits = [
        (
            "wait: {text: Queue at the front desk, expected: 2m, max: 5m}\n        fail_points:\n"
            "          - id: wrong-charge",
            "wait: {text: Queue at the front desk, expected: 2m, max: 3m}\n        fail_points:\n"
            "          - id: wrong-charge",
        ),
        ("      - Registration card\n", "      - Registration card\n      - Queue time display\n"),
        ("      - Bell cart\n", ""),
        (
            "            occurrence: 3\n            detection: 4\n",
            "            occurrence: 2\n            detection: 4\n",
        ),
        ("            prevention: Write room number on the bag tag\n", ""),
        ("  - tag-bags -> take-bags\n", ""),
    ]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    (tmp_path / "v2.yaml").write_text(text, encoding="utf-8")
    before, after = model(HOTEL), model(tmp_path / "v2.yaml")
    lines = [(c.line, sorted(c.tags)) for c in diff(before, after).changes]
    assert lines == [
        ("+ evidence check-in: Queue time display", []),
        ("- evidence arrive: Bell cart", ["evidence-removed"]),
        ("~ wait process-checkout: max 5m → 3m (standard tightened)", []),
        ("~ fail point no-reservation: risk 96 → 64 (occurrence 3 → 2)", []),
        ("~ fail point bags-wrong-room: prevention removed", ["mitigation-removed"]),
        ("- flow tag-bags -> take-bags", []),
    ]
    assert [c.line for c in totals_change(totals(before), totals(after))] == [
        "= total risk 896 → 864; unmitigated fail points 0 → 1"
    ]


def test_a_step_moved_does_not_move_the_evidence_and_fail_points_whose_ids_renumber() -> None:
    """Derived ids are numbered in document order: moving a step past another with the
    same evidence or fail point text swaps "website" and "website-2". Found by
    benchmarks/diff.py (hundreds of "evidence moved" lines for 25 steps moved)."""

    def version(*order: str) -> Blueprint:
        steps = {
            name: (
                f"  - id: {name}\n    title: {name.title()}\n    evidence: [Website]\n"
                f"    customer:\n      - id: do-{name}\n        text: Do {name}\n"
                "        fail_points:\n          - {text: Page down, severity: 5,"
                f" occurrence: {len(name)}, detection: 2}}\n"
            )
            for name in ("one", "three", "four")
        }
        raw = "blueprint: 1\ntitle: T\nsteps:\n" + "".join(steps[n] for n in order)
        checked = check_bytes(raw.encode())
        assert checked.blueprint is not None and not checked.problems, checked.problems
        return checked.blueprint

    before, after = version("one", "three", "four"), version("three", "four", "one")
    assert [e.id for e in after.steps[2].evidence] == ["website-3"]  # was "website"
    assert [c.line for c in diff(before, after).changes] == ["~ step one: moved to the end (1 → 3)"]


def test_a_step_moved_does_not_move_the_actions_whose_derived_ids_renumber() -> None:
    """Actions without ids and with the same text in several steps ("Greet the guest"
    at arrival and at check-out): moving one step past another swaps "greet-the-guest"
    and "greet-the-guest-2"; the diff pairs them by text in their step, not by id."""

    def version(*order: str) -> Blueprint:
        steps = {
            name: (
                f"  - id: {name}\n    title: {name.title()}\n"
                "    frontstage:\n      - text: Greet the guest\n"
                f"      - text: Serve {name}\n"
            )
            for name in ("arrive", "stay", "leave")
        }
        raw = "blueprint: 1\ntitle: T\nsteps:\n" + "".join(steps[n] for n in order)
        checked = check_bytes(raw.encode())
        assert checked.blueprint is not None
        return checked.blueprint

    before, after = version("arrive", "stay", "leave"), version("leave", "arrive", "stay")
    assert after.steps[0].frontstage[0].id == "greet-the-guest"  # was arrive's
    assert [c.line for c in diff(before, after).changes] == [
        "~ step leave: moved before arrive (3 → 1)"
    ]
    # a real move of one of them is still a move
    moved = version("arrive", "stay", "leave")
    moved.steps[1].frontstage.append(moved.steps[0].frontstage.pop(0))
    lines = [c.line for c in diff(before, moved).changes]
    assert any("moved from step arrive to stay" in line for line in lines), lines
