"""Golden DOT files: the same blueprint gives the same DOT, byte for byte.

Regenerate with `make golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render import THEMES, to_dot
from tests.conftest import EXAMPLES, example_blueprints

GOLDEN = Path(__file__).parent / "golden"
CASES = example_blueprints()


def dot_of(path: Path, theme: str = "default") -> str:
    checked = check_bytes(path.read_bytes())
    assert checked.blueprint is not None
    return to_dot(checked.blueprint, THEMES[theme])


def write_golden() -> None:
    for path in CASES:
        (GOLDEN / f"{path.stem}.dot").write_text(dot_of(path), encoding="utf-8")
    (GOLDEN / "hotel.print.dot").write_text(dot_of(EXAMPLES / "hotel.yaml", "print"), "utf-8")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_dot_matches_golden(path: Path) -> None:
    golden = GOLDEN / f"{path.stem}.dot"
    assert golden.exists(), "run `make golden`"
    assert dot_of(path) == golden.read_text(encoding="utf-8"), "DOT changed: `make golden`, review"


def test_print_theme_golden() -> None:
    golden = (GOLDEN / "hotel.print.dot").read_text(encoding="utf-8")
    assert dot_of(EXAMPLES / "hotel.yaml", "print") == golden


def test_dot_is_deterministic_across_runs() -> None:
    path = EXAMPLES / "garage.yaml"
    assert dot_of(path) == dot_of(path)
