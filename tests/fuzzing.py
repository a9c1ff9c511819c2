"""Mutations of the example blueprints, and the check that every command survives them.

Used by tests/test_fuzz.py (a small fixed budget in CI) and by `make fuzz` (long runs:
`python -m tests.fuzzing --minutes 25`), which prints how many inputs it tried.
"""

from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.analysis import register, sort_register
from blueprint_cli.model.validation import check_bytes
from blueprint_cli.pipeline.check import lint_bytes
from blueprint_cli.render import THEMES, DotOptions, build
from blueprint_cli.views.register import to_csv, to_json, to_markdown, to_text
from blueprint_cli.views.show import build_report, plain_text
from blueprint_cli.views.show import to_json as show_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = [yaml.safe_load(p.read_text("utf-8")) for p in sorted(EXAMPLES.rglob("*.yaml"))]

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
    st.sampled_from(
        [
            "5m",
            "-1m",
            "PT5M",
            "1e309s",
            "no",
            "on",
            "12:30",
            "a -> b",
            "->",
            "",
            "\x1b[31m",
            "<b>",
            '"]; node [',
            "=HYPERLINK(1)",
            "💥" * 50,
        ]
    ),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _paths(v, (*prefix, i))
    return found


def _parent(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        root = root[part]
    return root


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        key = path[-1]
        op = draw(st.sampled_from(["drop", "retype", "rename", "duplicate", "junk-key"]))
        if op == "drop":
            del parent[key]
        elif op == "retype":
            parent[key] = draw(JUNK)
        elif op == "rename" and isinstance(parent, dict):
            parent[str(key)[::-1] or "x"] = parent.pop(key)
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "junk-key" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(JUNK)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=30)) + text[at:]
    return text.encode("utf-8", errors="surrogatepass")


def run_everything(raw: bytes) -> None:
    """Every command's core, in-process. Any exception escaping here is a bug."""
    lint_bytes("fuzz.yaml", raw)
    checked = check_bytes(raw)
    bp = checked.blueprint
    if bp is None:
        return
    findings = lint_bytes("fuzz.yaml", raw)
    if not any(f.severity.label == "error" for f in findings):
        build(bp, THEMES["default"], DotOptions()).text()
        build(bp, THEMES["print"], DotOptions(legend=False)).text(dpi=72)
    report = build_report("fuzz.yaml", bp, findings)
    plain_text(report)
    show_json(report)
    rows = sort_register(register(bp, "fuzz.yaml"))
    for fmt in (to_text, to_json, to_csv, to_markdown):
        fmt(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fuzz every command with mutated examples.")
    parser.add_argument("--minutes", type=float, default=20.0)
    args = parser.parse_args()
    tried = 0
    start = time.monotonic()

    @settings(
        max_examples=500, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated())
    def once(raw: bytes) -> None:
        nonlocal tried
        tried += 1
        run_everything(raw)

    rounds = 0
    while time.monotonic() - start < args.minutes * 60:
        once()
        rounds += 1
        elapsed = time.monotonic() - start
        print(f"{elapsed / 60:6.1f} min  {tried:>9,} inputs  no failure", flush=True)
    print(
        f"fuzzing done: {tried:,} inputs in {(time.monotonic() - start) / 60:.1f} minutes, "
        f"{rounds} rounds, no failure"
    )


if __name__ == "__main__":
    main()
