"""A deterministic generator of realistic blueprints, for geometry tests and benchmarks.

``generate(steps, seed)`` returns plain data (dump it with yaml.safe_dump): phases across
pre-visit / visit / post-visit, evidence, 0-3 actions per cell (empty cells included),
actors, fail points, waits, flows across lanes and backwards, unicode text.
"""

from __future__ import annotations

import bisect
import random
from typing import Any

VERBS = [
    "Check",
    "Confirm",
    "Prepare",
    "Review",
    "Send",
    "Greet",
    "Collect",
    "Print",
    "Clean",
    "Deliver",
    "Record",
    "Update",
    "Call",
    "Explain",
    "Inspect",
    "Pack",
    "Schedule",
]
NOUNS = [
    "booking",
    "guest",
    "invoice",
    "order",
    "room",
    "car",
    "parcel",
    "payment",
    "key card",
    "menu",
    "receipt",
    "reminder",
    "estimate",
    "survey",
    "refund",
    "label",
    "café crème",
    "Überweisung",
    "予約",
    "🚗 loan car",
    "façade",
]
EVIDENCE = [
    "Website",
    "Email",
    "Receipt",
    "Sign",
    "Desk",
    "Form",
    "Text message",
    "Letter",
    "Parcel",
    "Brochure",
    "Invoice PDF",
    "Menu board",
]


def _text(rng: random.Random) -> str:
    words = [rng.choice(VERBS), rng.choice(NOUNS)]
    if rng.random() < 0.3:
        words += ["and", rng.choice(NOUNS)]
    if rng.random() < 0.1:
        words += ["for", "the", "second", "time", "today"]
    return " ".join(words)


def generate(steps: int, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed * 100_003 + steps)
    actors = [
        {"id": f"role-{i}", "title": f"Role {i}", "kind": "person" if i % 4 else "system"}
        for i in range(max(3, steps // 10))
    ]
    phases = [
        {"id": "pre-visit", "title": "Before"},
        {"id": "visit", "title": "Visit"},
        {"id": "post-visit", "title": "After"},
    ]
    out_steps: list[dict[str, Any]] = []
    actions_by_lane: dict[str, list[str]] = {
        "customer": [],
        "frontstage": [],
        "backstage": [],
        "support": [],
    }
    counter = 0
    for i in range(steps):
        phase = "pre-visit" if i < steps * 0.2 else "visit" if i < steps * 0.8 else "post-visit"
        step: dict[str, Any] = {
            "id": f"s{i}",
            "title": f"Step {i + 1}: {_text(rng)}",
            "phase": phase,
        }
        if rng.random() < 0.85:
            step["evidence"] = rng.sample(EVIDENCE, rng.randint(1, 3))
        for lane, chance in (
            ("customer", 0.9),
            ("frontstage", 0.8),
            ("backstage", 0.6),
            ("support", 0.5),
        ):
            if rng.random() > chance:
                continue
            cell = []
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                counter += 1
                action: dict[str, Any] = {"id": f"x{counter}", "text": _text(rng)}
                if lane != "customer":
                    action["actor"] = rng.choice(actors)["id"]
                    action["duration"] = rng.choice(["30s", "2m", "5m", "15m", "1h"])
                if rng.random() < 0.15:
                    action["fail_points"] = [
                        {
                            "text": f"{_text(rng)} fails",
                            "severity": rng.randint(1, 10),
                            "occurrence": rng.randint(1, 10),
                            "detection": rng.randint(1, 10),
                            "prevention": _text(rng),
                            "recovery": _text(rng),
                        }
                    ]
                if rng.random() < 0.1:
                    action["wait"] = {"text": "Queue", "expected": "2m", "max": "5m"}
                cell.append(action)
                actions_by_lane[lane].append(action["id"])
            step[lane] = cell
        out_steps.append(step)
    all_ids = [a for ids in actions_by_lane.values() for a in ids]
    position = {a: i for i, a in enumerate(all_ids)}
    flows: list[Any] = []
    for lane_a, lane_b in (
        ("customer", "frontstage"),
        ("frontstage", "backstage"),
        ("backstage", "support"),
        ("frontstage", "support"),
        ("frontstage", "frontstage"),
        ("backstage", "backstage"),
    ):
        a_ids, b_ids = actions_by_lane[lane_a], actions_by_lane[lane_b]
        b_positions = [position[b] for b in b_ids]  # increasing: lanes are filled in order
        for a in a_ids:
            if b_ids and rng.random() < 0.5:
                # mostly nearby, sometimes far, sometimes backwards
                index = position[a]
                lo = bisect.bisect_left(b_positions, index - 7)
                hi = bisect.bisect_right(b_positions, index + 7)
                near = [b for b in b_ids[lo:hi] if b != a]
                target = rng.choice(near) if near and rng.random() < 0.8 else rng.choice(b_ids)
                if target != a:
                    flow: Any = f"{a} -> {target}"
                    if rng.random() < 0.2:
                        flow = {"from": a, "to": target, "label": rng.choice(NOUNS)}
                    flows.append(flow)
    return {
        "blueprint": 1,
        "title": f"Generated service ({steps} steps)",
        "phases": phases,
        "actors": actors,
        "standards": {"max_wait": "10m"},
        "steps": out_steps,
        "flows": flows,
    }
