"""Instructions per file, counted by valgrind: a figure a noisy machine cannot blur.

Counts what one process executes to check N generated files (~200 lines each), minus
the same process checking one: the difference over N is the cost of a file, without
start-up. ``lint`` is ``analyse`` (load, validate, rules, suppressions) with the
collector set as lint's workers set it; ``floor`` is PyYAML's C loader (``yaml.load``).
Needs valgrind (``apt-get install valgrind``); takes about a minute.

    .venv/bin/python benchmarks/icount.py [--files 100]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402

WORKLOADS = {
    "lint": (
        "import sys\n"
        "from blueprint_cli.pipeline import gcpolicy\n"
        "from blueprint_cli.pipeline.check import default_settings as _defaults, analyse\n"
        "raws = [open(p, 'rb').read() for p in sys.argv[1:]]\n"
        "settings = _defaults()\n"
        "gcpolicy.for_batch()\n"
        "for raw in raws:\n"
        "    analyse('f', raw, settings)\n"
    ),
    "floor": (
        "import sys, yaml\n"
        "for p in sys.argv[1:]:\n"
        "    yaml.load(open(p, 'rb'), Loader=yaml.CSafeLoader)\n"
    ),
}


def instructions(code: str, files: list[str]) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            sys.executable,
            "-c",
            code,
            *files,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(args.files + 1):
            path = Path(tmp, f"bp{i:05}.yaml")
            path.write_text(
                yaml.safe_dump(generate(5, seed=i), allow_unicode=True), encoding="utf-8"
            )
            paths.append(str(path))
        for name, code in WORKLOADS.items():
            one = instructions(code, paths[:1])
            many = instructions(code, paths)
            per_file = (many - one) / args.files
            print(f"{name:6} {per_file / 1e6:6.2f} M instructions a file")


if __name__ == "__main__":
    main()
