"""Build a generated blueprint's diagram N times, for instruction counts of the render's
Python share (valgrind cachegrind: N=1 minus N=0 is one build).

    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        .venv/bin/python benchmarks/build_once.py STEPS N
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from blueprint_cli.model.validation import check_bytes  # noqa: E402
from blueprint_cli.render import THEMES, build  # noqa: E402


def main() -> None:
    steps, times = int(sys.argv[1]), int(sys.argv[2])
    raw = yaml.safe_dump(generate(steps, seed=7), allow_unicode=True).encode()
    bp = check_bytes(raw).blueprint
    assert bp is not None
    for _ in range(times):
        build(bp, THEMES["default"])


if __name__ == "__main__":
    main()
