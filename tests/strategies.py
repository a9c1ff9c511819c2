"""Hypothesis strategies: valid blueprints as plain data, ready for yaml.safe_dump."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

WORDS = st.sampled_from(
    ["Greet", "guest", "Pay", "bill", "Check", "room", "Order", "meal", "Café", "😀", "ñ", "a b"]
)
TEXT = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
SCORE = st.one_of(st.none(), st.integers(min_value=1, max_value=10))
DURATION = st.sampled_from(["30s", "2m", "5m", "1h", "1h30m", "PT5M"])


@st.composite
def fail_points(draw: st.DrawFn) -> dict[str, Any]:
    fp: dict[str, Any] = {"text": draw(TEXT)}
    for key in ("severity", "occurrence", "detection"):
        value = draw(SCORE)
        if value is not None:
            fp[key] = value
    for key in ("prevention", "recovery"):
        if draw(st.booleans()):
            fp[key] = draw(TEXT)
    return fp


@st.composite
def actions(draw: st.DrawFn, actors: list[str]) -> Any:
    if draw(st.booleans()):
        return draw(TEXT)
    action: dict[str, Any] = {"text": draw(TEXT)}
    if actors and draw(st.booleans()):
        action["actor"] = draw(st.sampled_from(actors))
    if draw(st.booleans()):
        action["duration"] = draw(DURATION)
    if draw(st.booleans()):
        wait: dict[str, Any] = {"text": draw(TEXT), "expected": draw(DURATION)}
        if draw(st.booleans()):
            wait["max"] = draw(DURATION)
        action["wait"] = wait
    if draw(st.booleans()):
        action["fail_points"] = draw(st.lists(fail_points(), max_size=2))
    return action


@st.composite
def blueprints(draw: st.DrawFn) -> dict[str, Any]:
    actors = [f"actor-{i}" for i in range(draw(st.integers(0, 3)))]
    phases = ["pre-visit", "visit", "post-visit"][: draw(st.integers(0, 3))]
    steps = []
    for i in range(draw(st.integers(1, 6))):
        step: dict[str, Any] = {"id": f"step-{i}", "title": draw(TEXT)}
        if phases:
            step["phase"] = phases[min(i, len(phases) - 1)]
        if draw(st.booleans()):
            step["evidence"] = draw(st.lists(TEXT, min_size=1, max_size=3))
        for lane in ("customer", "frontstage", "backstage", "support"):
            if draw(st.booleans()):
                step[lane] = draw(st.lists(actions(actors), min_size=1, max_size=3))
        steps.append(step)
    bp: dict[str, Any] = {"blueprint": 1, "title": draw(TEXT), "steps": steps}
    if phases:
        bp["phases"] = [{"id": p, "title": p.title()} for p in phases]
    if actors:
        bp["actors"] = [
            {"id": a, "title": a, "kind": draw(st.sampled_from(["person", "system"]))}
            for a in actors
        ]
    if draw(st.booleans()):
        bp["standards"] = {"max_wait": draw(DURATION)}
    return bp
