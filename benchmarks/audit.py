"""The audit over many visits, against lint over as many blueprints (issue 19).

``visits(bp, n, seed)`` makes ``n`` observation files of a blueprint, deterministically:
each step observed or not (one in eight is not), every evidence, action and fail point
of an observed step answered (yes mostly, some no and partial, each with a note, some
n/a), durations and waits drawn around their standards, fail points that occur and are
detected and recovered or not, a segment and a channel per visit, and now and then
something unplanned.

``bench_audit`` measures whole processes on the same machine in the same rounds:

- the baseline: ``blueprint lint`` over as many generated blueprints of about the size
  of an observation file (benchmarks/generate.py);
- ``blueprint audit report`` over the visits (the figure the issue sets: at least half
  lint's files per second), the same audit without the report in one process
  (``pipeline.audit.audit``: walk, check each visit against the cached blueprint, count
  into the Tally), and ``blueprint audit check`` over the same visits;
- the report's peak memory (max RSS) over a tenth of the visits and over all of them:
  the Tally holds counters, so the two should be the same.

    .venv/bin/python -m benchmarks.audit [--visits 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOTEL = ROOT / "examples" / "hotel.yaml"

#: The audit in one process, as ``audit report`` runs it: print the figures it counted.
AUDIT = (
    "import sys\n"
    "from blueprint_cli.pipeline.audit import audit\n"
    "from blueprint_cli.pipeline.run import RunOptions\n"
    "run = audit(sys.argv[1], [sys.argv[2]], RunOptions())\n"
    "assert not run.errors, run.errors\n"
    "print(run.visits, len(run.left_out), run.tally.overall.percent if run.tally else None)\n"
)

#: about the lines of one observation file of the hotel (~170)
BLUEPRINT_STEPS = 4


def _minutes(rng: random.Random, around: float) -> str:
    seconds = max(5, int(rng.gauss(around, around * 0.45)))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _answer(rng: random.Random, graded: bool = False) -> str:
    r = rng.random()
    if r < 0.78:
        return "yes"
    if r < 0.9:
        return "no"
    if graded and r < 0.96:
        return "partial"
    return "n/a"


def visit(bp: Any, i: int, rng: random.Random, blueprint: str) -> dict[str, Any]:
    """One visit of ``bp`` (a Blueprint), as the data of its observation file."""
    from blueprint_cli.analysis.observed import evidence_names

    segments = [s.id for s in bp.segments] or [None]
    channels = [c.id for c in bp.channels] or [None]
    head: dict[str, Any] = {
        "id": f"v{i:05}",
        "date": f"2026-{1 + i % 12:02}-{1 + (i * 7) % 28:02}",
        "auditor": rng.choice(["J. Doe", "A. Lee", "M. Rossi"]),
        "method": rng.choice(["mystery", "walk-through", "observation"]),
    }
    segment = rng.choice(segments)
    if segment is not None:
        head["segment"] = segment
    channel = rng.choice(channels)
    if channel is not None:
        head["channel"] = channel
    steps: dict[str, Any] = {}
    for step in bp.steps:
        if rng.random() < 0.125:
            steps[step.id] = "not-observed"
            continue
        seen: dict[str, Any] = {}
        evidence = {}
        for ev in step.evidence:
            answer = _answer(rng)
            name = evidence_names(ev)[1]
            evidence[name] = {"present": answer, "note": "Not seen"} if answer == "no" else answer
        if evidence:
            seen["evidence"] = evidence
        actions: dict[str, Any] = {}
        fail_points: dict[str, Any] = {}
        for action in step.actions():
            act: dict[str, Any] = {"done": _answer(rng, graded=True)}
            if action.duration is not None:
                act["duration"] = _minutes(rng, action.duration)
            if action.wait is not None:
                act["wait"] = _minutes(rng, action.wait.expected or 240)
            if action.script is not None:
                act["script"] = _answer(rng, graded=True)
            if "no" in act.values() or "partial" in act.values():
                act["note"] = "Slower than the standard, staff short"
            actions[action.id] = act
            for fp in action.fail_points:
                if rng.random() < 0.15:
                    recovered = rng.choice(["yes", "yes", "no"])
                    fail_points[fp.id] = {
                        "occurred": "yes",
                        "detected": rng.choice(["yes", "no"]),
                        "recovered": recovered,
                        "note": "Put right by the duty manager"
                        if recovered == "yes"
                        else "Guest left unhappy",
                    }
                else:
                    fail_points[fp.id] = "no"
        if actions:
            seen["actions"] = actions
        if fail_points:
            seen["fail_points"] = fail_points
        if rng.random() < 0.2:
            seen["note"] = "Busy at the time of the visit"
        steps[step.id] = seen
    doc: dict[str, Any] = {
        "observation": 1,
        "blueprint": blueprint,
        "visit": head,
        "steps": steps,
    }
    if rng.random() < 0.1:
        step = rng.choice(bp.steps)
        text = rng.choice(["Card reader offline", "Lift out of order", "No hot water"])
        doc["unplanned"] = [{"step": step.id, "text": text, "severity": rng.randint(3, 8)}]
    return doc


def write_visits(folder: Path, blueprint: Path, count: int, seed: int = 19) -> int:
    """``count`` observation files of ``blueprint`` in ``folder``; their total lines."""
    from blueprint_cli.model.validation import check_bytes

    bp = check_bytes(blueprint.read_bytes()).blueprint
    assert bp is not None, f"{blueprint} has errors"
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = str(Path("..") / blueprint.name)
    lines = 0
    for i in range(count):
        text = yaml.safe_dump(visit(bp, i, rng, written), sort_keys=False, allow_unicode=True)
        lines += text.count("\n")
        (folder / f"v{i:05}.yaml").write_text(text, encoding="utf-8")
    return lines


def bench_audit(visits: int, runs: int) -> dict[str, Any]:
    """lint over ``visits`` blueprints (the baseline) vs the audit over ``visits`` visits:
    files per second, their ratio, and the audit's peak memory over a tenth of the visits
    and over all of them. Whole processes, interleaved rounds."""
    from benchmarks.run import run_once

    small = max(1, visits // 10)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp, "project")
        (project / ".git").mkdir(parents=True)
        shutil.copy(HOTEL, project / "hotel.yaml")
        lines = write_visits(project / "visits", project / "hotel.yaml", visits)
        few = project / "few"
        few.mkdir()
        for path in sorted((project / "visits").iterdir())[:small]:
            shutil.copy(path, few / path.name)
        blueprints = Path(tmp, "blueprints")
        blueprints.mkdir()
        bp_lines = 0
        for i in range(visits):
            text = yaml.safe_dump(generate(BLUEPRINT_STEPS, seed=i), allow_unicode=True)
            bp_lines += text.count("\n")
            (blueprints / f"bp{i:05}.yaml").write_text(text, encoding="utf-8")
        hotel = str(project / "hotel.yaml")
        cases = {
            "blueprint lint (baseline)": [str(BIN / "blueprint"), "lint", str(blueprints)],
            "blueprint audit report": [
                str(BIN / "blueprint"),
                "audit",
                "report",
                hotel,
                str(project / "visits"),
                "--format",
                "json",
            ],
            "audit (pipeline.audit.audit, 1 process)": [
                sys.executable,
                "-c",
                AUDIT,
                hotel,
                str(project / "visits"),
            ],
            "blueprint audit check": [
                str(BIN / "blueprint"),
                "audit",
                "check",
                str(project / "visits"),
            ],
            f"audit report of {small:,} visits (memory)": [
                str(BIN / "blueprint"),
                "audit",
                "report",
                hotel,
                str(few),
                "--format",
                "json",
            ],
        }
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, cmd in cases.items():
                samples[name].append(run_once(cmd))
    results: dict[str, Any] = {}
    for name, got in samples.items():
        times = [t for t, _ in got]
        files = small if name.startswith(f"audit report of {small:,}") else visits
        results[name] = {
            "median_s": statistics.median(times),
            "spread_s": max(times) - min(times),
            "files_per_s": files / statistics.median(times),
            "peak_mb": max(m for _, m in got),
        }
    lint = results["blueprint lint (baseline)"]
    audit = results["blueprint audit report"]
    for value in results.values():
        value["vs_lint"] = value["files_per_s"] / lint["files_per_s"]
    return {
        "visits": visits,
        "lines_per_visit": lines // visits,
        "lines_per_blueprint": bp_lines // visits,
        "results": results,
        "audit_vs_lint": audit["files_per_s"] / lint["files_per_s"],
        "memory_ratio": audit["peak_mb"]
        / results[f"audit report of {small:,} visits (memory)"]["peak_mb"],
        "small": small,
    }


def table(doc: dict[str, Any]) -> str:
    out = [
        f"audit: {doc['visits']:,} visits of examples/hotel.yaml (~{doc['lines_per_visit']} "
        f"lines each) vs lint of {doc['visits']:,} generated blueprints "
        f"(~{doc['lines_per_blueprint']} lines each)",
        f"  {'':44} {'median':>8} {'spread':>7} {'files/s':>8} {'vs lint':>8} {'peak MB':>8}",
    ]
    for name, r in doc["results"].items():
        out.append(
            f"  {name:44} {r['median_s']:>7.2f}s {r['spread_s']:>6.2f}s "
            f"{r['files_per_s']:>8.0f} {r['vs_lint']:>7.2f}x {r['peak_mb']:>8.0f}"
        )
    ratio = doc["audit_vs_lint"]
    verdict = "met" if ratio >= 0.5 else "NOT met"
    out.append(f"  audit report: {ratio:.2f}x lint's files/s (target >= 0.5x: {verdict})")
    memory = doc["memory_ratio"]
    out.append(
        f"  peak memory, {doc['visits']:,} / {doc['small']:,} visits: {memory:.2f}x "
        f"(target ~1.0: {'met' if memory <= 1.15 else 'NOT met'})"
    )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    doc = bench_audit(args.visits, args.runs)
    print(table(doc), end="")
    if args.json is not None:
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
