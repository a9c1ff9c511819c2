"""Golden diffs: pairs of the examples revised by hand (tests/diff/*-v1.yaml and -v2.yaml),
their change lines and totals in tests/golden/diff/<pair>.txt; and a coverage table: each
kind of change appears in some golden."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from blueprint_cli.analysis.diff import diff, totals, totals_change
from blueprint_cli.model import Blueprint
from blueprint_cli.model.validation import check_bytes

HERE = Path(__file__).parent
PAIRS = HERE / "diff"
GOLDEN = HERE / "golden" / "diff" / "engine"

#: pair name -> (old, new): the restaurant, the hotel and the garage revised, then the
#: hotel's second revision on top of its first.
CASES = {
    "restaurant": ("restaurant-v1", "restaurant-v2"),
    "hotel": ("revisions/hotel-v1", "revisions/hotel-v2"),
    "hotel-revisit": ("revisions/hotel-v2", "revisions/hotel-v3"),
    "garage": ("revisions/garage-v1", "revisions/garage-v2"),
}


def model(name: str) -> Blueprint:
    checked = check_bytes((PAIRS / f"{name}.yaml").read_bytes())
    assert checked.blueprint is not None and not checked.problems, checked.problems
    return checked.blueprint


def diff_text(pair: str) -> str:
    old, new = (model(n) for n in CASES[pair])
    lines = [c.line for c in [*diff(old, new).changes, *totals_change(totals(old), totals(new))]]
    return "\n".join(lines) + "\n"


def write_golden() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for pair in CASES:
        (GOLDEN / f"{pair}.txt").write_text(diff_text(pair), encoding="utf-8")


@pytest.mark.parametrize("pair", CASES)
def test_diff_golden(pair: str) -> None:
    assert diff_text(pair) == (GOLDEN / f"{pair}.txt").read_text("utf-8")


#: each kind of change the goldens must show, as a pattern on a change line
COVERAGE = {
    "step added": r"^\+ step ",
    "step removed": r"^- step ",
    "step moved": r"^~ step [^:]+: moved ",
    "step retitled": r"^~ step [^:]+: retitled ",
    "step phase": r"^~ step [^:]+: phase ",
    "step segments": r"^~ step [^:]+: segments ",
    "step channel": r"^~ step [^:]+: channel ",
    "step emotion": r"^~ step [^:]+: customer emotion ",
    "action added": r"^\+ action ",
    "action removed": r"^- action ",
    "action renamed": r"^~ action [^:]+: renamed from ",
    "action lane, behind a line": r"^~ action [^:]+: \w+ → \w+ \(now behind ",
    "action lane, in front of a line": r"^~ action [^:]+: \w+ → \w+ \(now in front of ",
    "action moved between steps": r"^~ action [^:]+: moved from step ",
    "action text": r"^~ action [^:]+: text ",
    "action owner": r"^~ action [^:]+: owner ",
    "action channel": r"^~ action [^:]+: channel ",
    "action time": r"^~ action [^:]+: time ",
    "script added": r"^~ action [^:]+: script added",
    "script removed": r"^~ action [^:]+: script removed",
    "script reworded": r"^~ action [^:]+: script reworded",
    "action regulations": r"^~ action [^:]+: regulations ",
    "evidence added": r"^\+ evidence ",
    "evidence removed": r"^- evidence ",
    "evidence renamed": r"^~ evidence [^:]+: renamed from ",
    "evidence moved": r"^~ evidence [^:]+: moved from step ",
    "wait added": r"^\+ wait ",
    "wait removed": r"^- wait ",
    "wait expected": r"^~ wait [^:]+: expected ",
    "wait max tightened": r"^~ wait [^:]+: max .*\(standard tightened\)",
    "wait max loosened": r"^~ wait [^:]+: max .*\(standard loosened\)",
    "wait max set": r"^~ wait [^:]+: max .*\(standard set\)",
    "fail point added": r"^\+ fail point ",
    "fail point removed": r"^- fail point ",
    "fail point renamed": r"^~ fail point [^:]+: renamed from ",
    "fail point risk up": r"^~ fail point [^:]+: risk (\d+) → (\d+)",
    "fail point risk down": r"^~ fail point [^:]+: risk (\d+) → (\d+)",
    "prevention added": r"^~ fail point .*prevention added",
    "prevention removed": r"^~ fail point .*prevention removed",
    "prevention changed": r"^~ fail point .*prevention changed",
    "recovery added": r"^~ fail point .*recovery added",
    "recovery removed": r"^~ fail point .*recovery removed",
    **{
        f"{kind} {verb}": rf"^{sign} {kind} [^:]+: {rest}"
        for kind in ("phase", "segment", "actor", "channel", "regulation", "metric")
        for verb, sign, rest in (
            ("added", r"\+", r"\("),
            ("removed", "-", r"\("),
            ("retitled", "~", "retitled "),
        )
    },
    "flow added": r"^\+ flow ",
    "flow removed": r"^- flow ",
    "flow label": r"^~ flow [^:]+: label ",
    "standards max_wait": r"^~ standard max_wait: ",
    "a segment's max_wait": r"^~ standard \S+ max_wait: ",
    "totals": r"^= total risk ",
}


def _shown(name: str, pattern: str, lines: list[str]) -> bool:
    for line in lines:
        match = re.search(pattern, line)
        if match is None:
            continue
        if name == "fail point risk up" and int(match[2]) <= int(match[1]):
            continue
        if name == "fail point risk down" and int(match[2]) >= int(match[1]):
            continue
        return True
    return False


def test_each_kind_of_change_appears_in_some_golden() -> None:
    lines = [
        line
        for path in sorted(GOLDEN.glob("*.txt"))
        for line in path.read_text("utf-8").splitlines()
    ]
    missing = [name for name, pattern in COVERAGE.items() if not _shown(name, pattern, lines)]
    assert missing == []
