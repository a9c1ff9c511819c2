"""Lint throughput over many generated blueprints, as whole processes, against the floor
of parsing the same files with PyYAML's C loader in one process (measured in the same
run, so the ratio holds on a noisy shared machine).

    .venv/bin/python benchmarks/lint.py [--files 1000] [--steps 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.generate import generate  # noqa: E402

BIN = Path(sys.executable).parent

FLOOR = (
    "import glob, sys, yaml\n"
    "for f in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
    "    yaml.load(open(f, 'rb'), Loader=yaml.CSafeLoader)\n"
)


def timed(cmd: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times) - min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lines = 0
        for i in range(args.files):
            text = yaml.safe_dump(generate(args.steps, seed=i), allow_unicode=True)
            lines += text.count("\n")
            Path(tmp, f"bp{i:05}.yaml").write_text(text, encoding="utf-8")
        cases = {
            "blueprint lint (all rules, parallel)": [
                str(BIN / "blueprint"),
                "lint",
                tmp,
                "-f",
                "json",
            ],
            "parse floor (yaml.load, C loader)": [sys.executable, "-c", FLOOR, tmp],
            "python -c pass": [sys.executable, "-c", "pass"],
        }
        results = {name: timed(cmd, args.runs) for name, cmd in cases.items()}
    floor = results["parse floor (yaml.load, C loader)"][0]
    print(f"{args.files} files, {lines // args.files} lines each on average, {args.runs} runs")
    print(f"{'':40} {'median':>8} {'spread':>8} {'files/s':>9} {'vs floor':>9}")
    for name, (median, spread) in results.items():
        print(
            f"{name:40} {median:>7.2f}s {spread:>7.2f}s {args.files / median:>9.0f} "
            f"{median / floor:>8.2f}x"
        )


if __name__ == "__main__":
    main()
