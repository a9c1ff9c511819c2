"""Watch benchmark: from a save to the updated page, for a generated blueprint.

Starts ``blueprint watch FILE --no-open`` as a process, listens to its event stream,
rewrites the file (a new title each time) several times, and times each save until
(1) the ``update`` event arrives and (2) ``/diagram.svg`` returns the new picture (its
``X-Blueprint-Version``). Beside it, measured in the same run: the rebuild alone in this
process (plan, check, ``svg_of``), and ``blueprint render`` of the same file as a
process. Median and spread (max - min) of each.

    .venv/bin/python -m benchmarks.watch [--steps 100] [--saves 9]
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: the issue's aim: from save to updated page, for a 100-step blueprint
TARGET_S = 0.5


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": statistics.median(samples),
        "spread_s": max(samples) - min(samples),
        "runs": len(samples),
    }


class _Events:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(f"GET /events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buffer = b""

    def update(self) -> dict[str, Any]:
        while True:
            while b"\n\n" not in self.buffer:
                data = self.sock.recv(65536)
                if not data:
                    raise RuntimeError("the event stream ended")
                self.buffer += data
            block, _, self.buffer = self.buffer.partition(b"\n\n")
            lines = block.decode("utf-8", "replace").split("\n")
            if "event: update" in lines:
                data = "\n".join(line[6:] for line in lines if line.startswith("data: "))
                return dict(json.loads(data))


def _picture_version(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/diagram.svg")
        response = conn.getresponse()
        response.read()
        return int(response.getheader("X-Blueprint-Version") or 0)
    finally:
        conn.close()


def _rebuild_alone(path: Path, runs: int) -> list[float]:
    from blueprint_cli.pipeline.render import RenderOptions
    from blueprint_cli.pipeline.watch import build

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        built = build(str(path), RenderOptions())
        times.append(time.perf_counter() - start)
        assert built.ok and built.svg is not None
    return times


def _render_process(path: Path, runs: int) -> list[float]:
    cmd = [str(BIN / "blueprint"), "render", str(path), "-o", str(path.with_suffix(".svg"))]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def bench_watch(steps: int, saves: int) -> dict[str, Any]:
    doc = generate(steps, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, f"gen{steps}.yaml")
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        proc = subprocess.Popen(
            [str(BIN / "blueprint"), "watch", str(path), "--no-open"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            port = int(line.split("127.0.0.1:")[1].split("/")[0])
            events = _Events(port)
            version = int(events.update()["version"])
            to_event, to_picture = [], []
            for i in range(saves):
                time.sleep(0.5)  # each save on its own, as a person saves
                doc["title"] = f"Generated service, save {i}"
                text = yaml.safe_dump(doc, allow_unicode=True)
                start = time.perf_counter()
                path.write_text(text, encoding="utf-8")
                update = events.update()
                to_event.append(time.perf_counter() - start)
                assert update["ok"] and update["version"] > version, update
                version = int(update["version"])
                while _picture_version(port) < version:
                    time.sleep(0.005)
                to_picture.append(time.perf_counter() - start)
            events.sock.close()
        finally:
            proc.terminate()
            proc.wait(30)
        rebuild = _rebuild_alone(path, saves)
        render = _render_process(path, max(3, saves // 2))
    return {
        "steps": steps,
        "save_to_event": _summary(to_event),
        "save_to_picture": _summary(to_picture),
        "baseline_rebuild_in_process": _summary(rebuild),
        "baseline_render_process": _summary(render),
    }


def table(result: dict[str, Any]) -> str:
    out = [f"watch: {result['steps']} steps, saves timed until the page could show them"]
    out.append(f"  {'':44} {'median':>8} {'spread':>7}")
    for key, label in (
        ("save_to_event", "save -> update event"),
        ("save_to_picture", "save -> /diagram.svg has the new picture"),
        ("baseline_rebuild_in_process", "baseline: rebuild alone (plan, check, svg_of)"),
        ("baseline_render_process", "baseline: blueprint render (a process)"),
    ):
        r = result[key]
        out.append(f"  {label:44} {r['median_s']:>7.3f}s {r['spread_s']:>6.3f}s")
    picture = result["save_to_picture"]["median_s"]
    verdict = "met" if picture <= TARGET_S else "NOT met"
    out.append(f"  save to page: {picture:.3f}s (target <= {TARGET_S}s: {verdict})")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()
    print(table(bench_watch(args.steps, args.saves)), end="")


if __name__ == "__main__":
    main()
