"""Diff benchmark: two versions of a generated 500-step blueprint, the second a revision
(about 5 % of the steps moved and 5 % retitled, actions moved between lanes and between
steps, fail points re-scored), compared in a whole process; beside `blueprint lint` of the
same two files in the same rounds (the baseline: load, validate and check both).

- the engine: ``python -c`` that loads both files through ``check_bytes`` and diffs them;
- ``blueprint diff OLD NEW``, when the command exists.

The issue's bound: the whole diff process in at most 0.5 s.

    .venv/bin/python -m benchmarks.diff [--steps 500] [--runs 9]
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generate import generate

BIN = Path(sys.executable).parent
BOUND_S = 0.5

ENGINE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from blueprint_cli.analysis.diff import diff, totals, totals_change\n"
    "from blueprint_cli.model.validation import check_bytes\n"
    "from blueprint_cli.pipeline import gcpolicy\n"
    "gcpolicy.for_batch()  # as the blueprint command sets the collector\n"
    "a = check_bytes(Path(sys.argv[1]).read_bytes()).blueprint\n"
    "b = check_bytes(Path(sys.argv[2]).read_bytes()).blueprint\n"
    "assert a is not None and b is not None\n"
    "changes = diff(a, b).changes\n"
    "lines = [c.line for c in [*changes, *totals_change(totals(a), totals(b))]]\n"
    "print(len(lines))\n"
)

LANES = ("customer", "frontstage", "backstage", "support")


def revise(data: dict[str, Any], seed: int = 1) -> dict[str, Any]:
    """A consultant's revision of a generated blueprint, deterministic for a seed."""
    rng = random.Random(seed)
    out = copy.deepcopy(data)
    steps: list[dict[str, Any]] = out["steps"]
    share = max(1, len(steps) // 20)
    for step in rng.sample(steps, share):
        step["title"] = f"{step['title']} (revised)"
    for step in rng.sample(steps, share):
        steps.remove(step)
        steps.insert(rng.randrange(len(steps) + 1), step)
    cells = [(s, lane) for s in steps for lane in LANES if s.get(lane)]
    for step, lane in rng.sample(cells, share):
        if not step.get(lane):
            continue
        action = step[lane].pop()
        if not step[lane]:
            del step[lane]
        to = lane
        if rng.random() < 0.5:  # to another lane of its step
            to = rng.choice([x for x in LANES if x != lane])
            step.setdefault(to, []).append(action)
        else:  # to another step, its lane kept
            rng.choice(steps).setdefault(lane, []).append(action)
        if to == "customer":  # a customer's action has no owner or duration
            action.pop("actor", None)
            action.pop("duration", None)
    fps = [
        fp
        for s in steps
        for lane in LANES
        for a in s.get(lane, [])
        for fp in a.get("fail_points", [])
    ]
    for fp in rng.sample(fps, min(len(fps), share)):
        fp["occurrence"] = rng.randint(1, 10)
        fp["detection"] = rng.randint(1, 10)
    return out


def run_once(cmd: list[str]) -> float:
    """Seconds of one whole process."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def bench_diff(steps: int, runs: int) -> dict[str, Any]:
    """Each case in turn in every round (interleaved), medians and spreads, ratios to lint."""
    with tempfile.TemporaryDirectory() as tmp:
        old_data = generate(steps, seed=11)
        old, new = Path(tmp, "v1.yaml"), Path(tmp, "v2.yaml")
        old.write_text(yaml.safe_dump(old_data, allow_unicode=True), encoding="utf-8")
        new.write_text(yaml.safe_dump(revise(old_data), allow_unicode=True), encoding="utf-8")
        blueprint = str(BIN / "blueprint")
        engine = [sys.executable, "-c", ENGINE, str(old), str(new)]
        counted = subprocess.run(engine, capture_output=True, text=True, check=True)
        cases: dict[str, list[str]] = {
            "blueprint lint OLD NEW (baseline)": [blueprint, "lint", str(old), str(new)],
            "diff engine (python -c, check_bytes x2)": engine,
        }
        has_diff = (
            subprocess.run(
                [blueprint, "diff", "--help"], capture_output=True, check=False
            ).returncode
            == 0
        )
        if has_diff:
            cases["blueprint diff OLD NEW"] = [blueprint, "diff", str(old), str(new)]
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, cmd in cases.items():
                samples[name].append(run_once(cmd))
    base = statistics.median(samples["blueprint lint OLD NEW (baseline)"])
    results = {
        name: {
            "median_s": statistics.median(times),
            "spread_s": max(times) - min(times),
            "vs_lint": statistics.median(times) / base,
        }
        for name, times in samples.items()
    }
    return {
        "steps": steps,
        "lines": int(counted.stdout.strip()),
        "has_command": has_diff,
        "results": results,
    }


def table(doc: dict[str, Any]) -> str:
    out = [
        f"diff: two versions of {doc['steps']} steps, {doc['lines']} lines of changes "
        "(interleaved rounds)",
        f"  {'':44} {'median':>8} {'spread':>7} {'vs lint':>8}",
    ]
    for name, r in doc["results"].items():
        out.append(
            f"  {name:44} {r['median_s']:>7.3f}s {r['spread_s']:>6.3f}s {r['vs_lint']:>7.2f}x"
        )
    if not doc["has_command"]:
        out.append("  blueprint diff OLD NEW                       (no such command yet)")
    name = "blueprint diff OLD NEW" if doc["has_command"] else "diff engine"
    key = next(k for k in doc["results"] if k.startswith(name))
    median = doc["results"][key]["median_s"]
    verdict = "met" if median <= BOUND_S else "NOT met"
    out.append(f"  {name}: {median:.3f}s whole process (bound <= {BOUND_S}s: {verdict})")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(table(bench_diff(args.steps, args.runs)), end="")


if __name__ == "__main__":
    main()
