"""`make bench`: blueprint measured against the tools its users would pick instead.

Every figure is for whole processes, several runs, median and spread, beside its
baseline measured in the same run (the machines are shared and noisy: read the ratios).

- lint throughput over 1,000 generated files of ~200 lines: `blueprint lint` (all
  rules) vs `check-jsonschema` (schema only) vs `yamllint -d relaxed` (syntax only) vs
  the floor: one Python process that only parses the files with PyYAML's C loader;
- cold start: `blueprint --version` and `blueprint lint` of one small file vs
  `python -c "import typer"` and `python -c pass`;
- render to SVG of 20, 100, 500 and 2,000 steps: the whole process, and Python's and
  Graphviz's shares measured in-process;
- `blueprint report` of 20, 100 and 500 steps beside `blueprint render` of the same file;
- peak memory (max RSS) of each process;
- watch: from a save of a 100-step file to the updated page (benchmarks/watch.py),
  beside the rebuild alone and `blueprint render` of the same file;
- audit: 10,000 generated visits of examples/hotel.yaml counted in one process
  (``pipeline.audit.audit``) and checked by `blueprint audit check`, against `blueprint
  lint` of 10,000 generated blueprints of about their size; and the audit's peak memory
  over 1,000 visits and over 10,000 (benchmarks/audit.py);
- diff: two versions of a generated 500-step blueprint compared in a whole process (the
  engine through ``check_bytes``, and `blueprint diff` when it exists), against `blueprint
  lint` of the two files in the same rounds (benchmarks/diff.py; bound: <= 0.5 s).

    .venv/bin/python -m benchmarks.run [--quick] [--json benchmarks/results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.audit import bench_audit
from benchmarks.audit import table as audit_table
from benchmarks.diff import bench_diff
from benchmarks.diff import table as diff_table
from benchmarks.generate import generate
from benchmarks.watch import bench_watch
from benchmarks.watch import table as watch_table

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

FLOOR = (
    "import glob, sys, yaml\n"
    "for f in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
    "    yaml.load(open(f, 'rb'), Loader=yaml.CSafeLoader)\n"
)


def run_once(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def measure(cmd: list[str], runs: int) -> dict[str, float]:
    samples = [run_once(cmd) for _ in range(runs)]
    times = [t for t, _ in samples]
    return {
        "median_s": statistics.median(times),
        "spread_s": max(times) - min(times),
        "peak_mb": max(m for _, m in samples),
    }


def tool(name: str) -> str | None:
    path = BIN / name
    return str(path) if path.exists() else shutil.which(name)


def bench_lint(files: int, steps: int, runs: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        lines = 0
        for i in range(files):
            text = yaml.safe_dump(generate(steps, seed=i), allow_unicode=True)
            lines += text.count("\n")
            Path(tmp, f"bp{i:05}.yaml").write_text(text, encoding="utf-8")
        paths = sorted(str(p) for p in Path(tmp).glob("*.yaml"))
        cases: dict[str, list[str] | None] = {
            "parse floor (PyYAML C loader, 1 process)": [sys.executable, "-c", FLOOR, tmp],
            "blueprint lint (all rules)": [str(BIN / "blueprint"), "lint", tmp, "-f", "json"],
        }
        jsonschema = tool("check-jsonschema")
        yamllint = tool("yamllint")
        cases["check-jsonschema (schema only)"] = (
            [jsonschema, "--schemafile", str(ROOT / "schemas" / "blueprint.schema.json"), *paths]
            if jsonschema
            else None
        )
        cases["yamllint -d relaxed (syntax only)"] = (
            [yamllint, "-d", "relaxed", *paths] if yamllint else None
        )
        results: dict[str, Any] = {}
        for name, cmd in cases.items():
            results[name] = measure(cmd, runs) if cmd else None
    floor = results["parse floor (PyYAML C loader, 1 process)"]["median_s"]
    for value in results.values():
        if value is not None:
            value["files_per_s"] = files / value["median_s"]
            value["vs_floor"] = value["median_s"] / floor
    return {"files": files, "lines_per_file": lines // files, "results": results}


PYDANTIC_FLOOR = (
    "from blueprint_cli.__main__ import without_pydantic_plugins\n"
    "without_pydantic_plugins()\n"
    "import yaml\n"
    "from pydantic import BaseModel\n"
    "class M(BaseModel):\n"
    "    x: int\n"
    "M(x=1)\n"
)

#: `blueprint lint one.yaml` against yamllint on the same file (the issue's target).
START_TARGET = 1.25


def bench_start(runs: int) -> dict[str, Any]:
    """Cold start, each case run in turn in every round (interleaved: a burst of noise
    hits all of them alike), against yamllint on the same small file."""
    small = str(ROOT / "examples" / "textbook" / "shoeshine.yaml")
    yamllint = tool("yamllint")
    jsonschema = tool("check-jsonschema")
    schema = str(ROOT / "schemas" / "blueprint.schema.json")
    blueprint = str(BIN / "blueprint")
    cases: dict[str, list[str] | None] = {
        'python -c "pass"': [sys.executable, "-c", "pass"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "yamllint (one small file)": [yamllint, small] if yamllint else None,
        "check-jsonschema (one small file)": (
            [jsonschema, "--schemafile", schema, small] if jsonschema else None
        ),
        "floor: yaml + one pydantic model": [sys.executable, "-c", PYDANTIC_FLOOR],
        "blueprint --version": [blueprint, "--version"],
        "blueprint lint (one small file)": [blueprint, "lint", small],
        "blueprint lint --quiet (through typer)": [blueprint, "lint", "--quiet", small],
    }
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k, c in cases.items() if c}
    for _ in range(runs):
        for name, cmd in cases.items():
            if cmd is not None:
                samples[name].append(run_once(cmd))
    results: dict[str, Any] = {}
    for name in cases:
        if name not in samples:
            results[name] = None
            continue
        times = [t for t, _ in samples[name]]
        results[name] = {
            "median_s": statistics.median(times),
            "spread_s": max(times) - min(times),
            "min_s": min(times),
            "peak_mb": max(m for _, m in samples[name]),
        }
    typer = results['python -c "import typer"']["median_s"]
    base = results["yamllint (one small file)"]
    for value in results.values():
        if value is None:
            continue
        value["vs_import_typer"] = value["median_s"] / typer
        value["vs_yamllint"] = value["median_s"] / base["median_s"] if base else None
    return results


def bench_render(sizes: list[int], runs: int) -> dict[str, Any]:
    from benchmarks.render import measure as measure_in_process

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for steps in sizes:
            raw = yaml.safe_dump(generate(steps, seed=7), allow_unicode=True).encode()
            path = Path(tmp, f"gen{steps}.yaml")
            path.write_bytes(raw)
            whole = measure(
                [
                    str(BIN / "blueprint"),
                    "render",
                    str(path),
                    "-o",
                    str(Path(tmp, f"gen{steps}.svg")),
                ],
                runs,
            )
            split = measure_in_process(steps, runs)
            results[str(steps)] = {
                **whole,
                "python_s": split["load_and_python_s"],
                "graphviz_s": split["graphviz_s"],
                "size_kb": len(raw) / 1024,
            }
    return results


def bench_report(sizes: list[int], runs: int) -> dict[str, Any]:
    """`blueprint report` of a generated blueprint, beside `blueprint render` of the same
    file to SVG in the same rounds (the report draws that SVG and adds its tables)."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for steps in sizes:
            path = Path(tmp, f"gen{steps}.yaml")
            path.write_text(yaml.safe_dump(generate(steps, seed=7), allow_unicode=True))
            page, picture = Path(tmp, f"gen{steps}.html"), Path(tmp, f"gen{steps}.svg")
            report_cmd = [str(BIN / "blueprint"), "report", str(path), "-o", str(page)]
            render_cmd = [str(BIN / "blueprint"), "render", str(path), "-o", str(picture)]
            samples: dict[str, list[tuple[float, float]]] = {"report": [], "render": []}
            for _ in range(runs):  # interleaved: both see the same machine
                samples["report"].append(run_once(report_cmd))
                samples["render"].append(run_once(render_cmd))
            report = [t for t, _ in samples["report"]]
            render = [t for t, _ in samples["render"]]
            results[str(steps)] = {
                "median_s": statistics.median(report),
                "spread_s": max(report) - min(report),
                "render_median_s": statistics.median(render),
                "vs_render": statistics.median(report) / statistics.median(render),
                "peak_mb": max(m for _, m in samples["report"]),
                "page_kb": page.stat().st_size / 1024 if page.exists() else 0.0,
            }
    return results


def machine() -> dict[str, Any]:
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "graphviz": (dot.stderr or dot.stdout).strip(),
    }


def table(doc: dict[str, Any]) -> str:
    out = [f"machine: {doc['machine']}", ""]
    lint = doc["lint"]
    out.append(f"lint: {lint['files']} files of ~{lint['lines_per_file']} lines")
    out.append(
        f"  {'':44} {'median':>8} {'spread':>7} {'files/s':>8} {'vs floor':>9} {'peak MB':>8}"
    )
    for name, r in lint["results"].items():
        if r is None:
            out.append(f"  {name:44} (not installed: make bench installs it)")
            continue
        out.append(
            f"  {name:44} {r['median_s']:>7.2f}s {r['spread_s']:>6.2f}s "
            f"{r['files_per_s']:>8.0f} {r['vs_floor']:>8.2f}x {r['peak_mb']:>8.0f}"
        )
    out.append("")
    out.append("cold start (interleaved rounds)")
    out.append(
        f"  {'':44} {'median':>8} {'spread':>7} {'vs yamllint':>12} {'vs typer':>9} {'peak MB':>8}"
    )
    for name, r in doc["start"].items():
        if r is None:
            out.append(f"  {name:44} (not installed: make bench installs it)")
            continue
        vs_yamllint = f"{r['vs_yamllint']:>11.2f}x" if r.get("vs_yamllint") else f"{'-':>12}"
        out.append(
            f"  {name:44} {r['median_s']:>7.3f}s {r['spread_s']:>6.3f}s {vs_yamllint} "
            f"{r['vs_import_typer']:>8.2f}x {r['peak_mb']:>8.0f}"
        )
    lint = doc["start"]["blueprint lint (one small file)"]
    if lint.get("vs_yamllint"):
        verdict = "met" if lint["vs_yamllint"] <= START_TARGET else "NOT met"
        floor = doc["start"]["floor: yaml + one pydantic model"]["vs_yamllint"]
        out.append(
            f"  one-file lint: {lint['vs_yamllint']:.2f}x yamllint (target <= {START_TARGET}x: "
            f"{verdict}; the yaml + pydantic floor alone is {floor:.2f}x)"
        )
    out.append("")
    out.append("render to SVG")
    out.append(
        f"  {'steps':>6} {'whole':>8} {'spread':>7} {'python':>8} {'graphviz':>9} {'peak MB':>8}"
    )
    for steps, r in doc["render"].items():
        out.append(
            f"  {steps:>6} {r['median_s']:>7.2f}s {r['spread_s']:>6.2f}s "
            f"{r['python_s']:>7.2f}s {r['graphviz_s']:>8.2f}s {r['peak_mb']:>8.0f}"
        )
    if doc.get("report"):
        out.append("")
        out.append("report (one HTML page) beside render to SVG, same rounds")
        out.append(
            f"  {'steps':>6} {'report':>8} {'spread':>7} {'render':>8} {'vs render':>10} "
            f"{'page KB':>8} {'peak MB':>8}"
        )
        for steps, r in doc["report"].items():
            out.append(
                f"  {steps:>6} {r['median_s']:>7.2f}s {r['spread_s']:>6.2f}s "
                f"{r['render_median_s']:>7.2f}s {r['vs_render']:>9.2f}x "
                f"{r['page_kb']:>8.0f} {r['peak_mb']:>8.0f}"
            )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer files, runs and sizes")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args()
    runs = 3 if args.quick else 5
    doc = {
        "machine": machine(),
        "lint": bench_lint(200 if args.quick else 1000, 5, runs),
        "start": bench_start(runs * 4),
        "render": bench_render([20, 100] if args.quick else [20, 100, 500, 2000], runs),
        "report": bench_report([20, 100] if args.quick else [20, 100, 500], runs),
        "watch": bench_watch(100, 5 if args.quick else 9),
        "audit": bench_audit(1000 if args.quick else 10_000, 1 if args.quick else 3),
        "diff": bench_diff(500, 5 if args.quick else 9),
    }
    text = table(doc) + "\n" + watch_table(doc["watch"]) + "\n" + audit_table(doc["audit"])
    text += "\n" + diff_table(doc["diff"])
    print(text, end="")
    args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()
