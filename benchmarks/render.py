"""Render benchmark: generated blueprints of 20, 100, 500 (and 2,000) steps to SVG.

Times Python (layout, routes, DOT) and Graphviz (neato -n2) apart, several runs each,
and reports medians with the spread. Not a test: run it before and after a change.

    .venv/bin/python benchmarks/render.py [--sizes 20,100,500] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from blueprint_cli.model.validation import check_bytes  # noqa: E402
from blueprint_cli.pipeline import gcpolicy  # noqa: E402
from blueprint_cli.render import THEMES, build  # noqa: E402
from blueprint_cli.render.graphviz import run_graphviz  # noqa: E402


def measure(steps: int, runs: int) -> dict[str, float]:
    """Load + validate, layout + routes + DOT, and Graphviz, timed apart in this process,
    with the collector set as the ``blueprint`` command sets it."""
    gcpolicy.for_batch()
    raw = yaml.safe_dump(generate(steps, seed=7), allow_unicode=True).encode()
    load, python, graphviz = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        checked = check_bytes(raw)
        t1 = time.perf_counter()
        assert checked.blueprint is not None
        dot = build(checked.blueprint, THEMES["default"]).text()
        t2 = time.perf_counter()
        run_graphviz(dot, "svg")
        t3 = time.perf_counter()
        load.append(t1 - t0)
        python.append(t2 - t1)
        graphviz.append(t3 - t2)
    total = [a + b + c for a, b, c in zip(load, python, graphviz, strict=True)]
    return {
        "steps": steps,
        "load_s": statistics.median(load),
        "python_s": statistics.median(python),
        "load_and_python_s": statistics.median(a + b for a, b in zip(load, python, strict=True)),
        "graphviz_s": statistics.median(graphviz),
        "total_s": statistics.median(total),
        "total_spread_s": max(total) - min(total),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,500")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    rows = [measure(int(n), args.runs) for n in args.sizes.split(",")]
    print(f"{'steps':>6} {'load':>8} {'python':>8} {'graphviz':>9} {'total':>8} {'spread':>8}")
    for r in rows:
        print(
            f"{r['steps']:>6} {r['load_s']:>7.3f}s {r['python_s']:>7.3f}s "
            f"{r['graphviz_s']:>8.3f}s {r['total_s']:>7.3f}s {r['total_spread_s']:>7.3f}s"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
