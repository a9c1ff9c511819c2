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


FEELING = st.integers(min_value=-2, max_value=2)
CHANNELS = ["in-person", "phone", "web"]
REGULATIONS = ["gdpr", "pci-dss"]


@st.composite
def metrics(draw: st.DrawFn) -> dict[str, Any]:
    metric: dict[str, Any] = {"title": draw(TEXT)}
    for key in ("baseline", "target"):
        if draw(st.booleans()):
            metric[key] = draw(st.one_of(st.integers(0, 100), st.floats(0, 100, width=32)))
    if draw(st.booleans()):
        metric["direction"] = draw(st.sampled_from(["up", "down"]))
    if draw(st.booleans()):
        metric["unit"] = draw(st.sampled_from(["%", "min", "points"]))
    return metric


@st.composite
def actions(draw: st.DrawFn, actors: list[str], extras: bool = False) -> Any:
    if draw(st.booleans()):
        return draw(TEXT)
    action: dict[str, Any] = {"text": draw(TEXT)}
    if actors and draw(st.booleans()):
        action["actor"] = draw(st.sampled_from(actors))
    if extras and draw(st.booleans()):
        action["channel"] = draw(st.sampled_from(CHANNELS))
    if extras and draw(st.booleans()):
        action["regulations"] = draw(st.lists(st.sampled_from(REGULATIONS), max_size=2))
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
    """Valid blueprints; one in two also has segments with standards of their own,
    channels, regulations, metrics and emotions."""
    extras = draw(st.booleans())
    actors = [f"actor-{i}" for i in range(draw(st.integers(0, 3)))]
    phases = ["pre-visit", "visit", "post-visit"][: draw(st.integers(0, 3))]
    segments = ["business", "leisure"][: draw(st.integers(0, 2))] if extras else []
    steps = []
    for i in range(draw(st.integers(1, 6))):
        step: dict[str, Any] = {"id": f"step-{i}", "title": draw(TEXT)}
        if phases:
            step["phase"] = phases[min(i, len(phases) - 1)]
        if segments and draw(st.booleans()):
            step["segments"] = draw(st.lists(st.sampled_from(segments), min_size=1, max_size=2))
        if extras:
            if draw(st.booleans()):
                step["channel"] = draw(st.sampled_from(CHANNELS))
            if draw(st.booleans()):
                step["emotion"] = draw(
                    st.one_of(
                        FEELING,
                        st.fixed_dictionaries({}, optional={"customer": FEELING, "staff": FEELING}),
                    )
                )
            if draw(st.booleans()):
                step["metrics"] = draw(
                    st.lists(st.one_of(st.just("csat"), metrics()), min_size=1, max_size=2)
                )
        if draw(st.booleans()):
            step["evidence"] = draw(st.lists(TEXT, min_size=1, max_size=3))
        for lane in ("customer", "frontstage", "backstage", "support"):
            if draw(st.booleans()):
                step[lane] = draw(st.lists(actions(actors, extras), min_size=1, max_size=3))
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
    if extras:
        bp["segments"] = [
            {"id": s, "title": s.title()}
            | ({"standards": {"max_wait": draw(DURATION)}} if draw(st.booleans()) else {})
            for s in segments
        ]
        bp["channels"] = [{"id": c, "title": c.title()} for c in CHANNELS]
        bp["regulations"] = [
            {"id": r, "title": r.upper(), "source": "The law"} for r in REGULATIONS
        ]
        bp["metrics"] = [{"id": "csat", "title": "Satisfaction", "target": 90, "direction": "up"}]
    return bp
