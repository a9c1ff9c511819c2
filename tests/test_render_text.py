"""Text measuring and wrapping for boxes: the fast paths agree with the plain definitions."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from blueprint_cli.render.layout import CHAR_W, MAX_LINES, text_width, wrap


def width_by_definition(text: str, size: float) -> float:
    units = 0.0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        units += 2.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
    return units * CHAR_W * size


def wrap_by_definition(text: str, width: float, size: float) -> list[str]:
    """Greedy wrap that measures every candidate line anew."""
    per_line = max(1, int(width / (CHAR_W * size)))
    budget = (MAX_LINES + 1) * per_line * 2
    if len(text) > budget:
        text = text[:budget] + " …"
    lines: list[str] = []
    current = ""
    for word in " ".join(text.split()).split(" "):
        while width_by_definition(word, size) > width:
            cut = min(len(word), per_line)
            while cut > 1 and width_by_definition(word[:cut], size) > width:
                cut -= 1
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if width_by_definition(candidate, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        last = lines[-1]
        while last and width_by_definition(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


_text = st.text(
    alphabet=st.sampled_from([*"ab cdéf  ghij klmnop", "漢", "字", "🚗", "\u0301", "\u200b"]),
    max_size=120,
)


@given(_text, st.sampled_from([8.0, 10.0]), st.sampled_from([40.0, 118.0, 150.0]))
def test_wrap_matches_measuring_every_line_anew(text: str, size: float, width: float) -> None:
    assert wrap(text, width, size) == wrap_by_definition(text, width, size)


@given(_text, st.sampled_from([8.0, 10.0]))
def test_text_width_matches_its_definition(text: str, size: float) -> None:
    assert text_width(text, size) == width_by_definition(text, size)


def test_a_wait_is_judged_against_the_standard_lint_uses() -> None:
    """A wait without its own max is drawn against standards.max_wait, as lint and show
    judge it, and a wait over its standard says by how much."""
    from blueprint_cli.analysis import markers
    from blueprint_cli.model import Blueprint
    from blueprint_cli.render.legend import marker_figures

    bp = Blueprint.model_validate(
        {
            "blueprint": 1,
            "standards": {"max_wait": "15m"},
            "steps": [
                {
                    "title": "Wait",
                    "customer": [
                        {"text": "Sit", "wait": {"expected": "3m"}},
                        {"text": "Queue", "wait": {"expected": "20m"}},
                        {"text": "Call", "wait": {"expected": "2m", "max": "5m"}},
                    ],
                }
            ],
        }
    )
    figures = [marker_figures(m) for m in markers(bp)]
    assert figures == [
        "3m / max 15m (standard)",
        "20m / max 15m (standard), over by 5m",
        "2m / max 5m",
    ]
