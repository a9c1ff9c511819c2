"""Hostile input, round three: the work a file costs grows linearly with it.

Each case builds a file of n hostile parts and of 2n, and counts the work of checking
(or drawing) each: the Python calls and lines run, under ``sys.settrace``, not the time,
so the tests are exact and do not flake on a busy machine. Doubling the input may at
most double the work, with a margin for what does not grow (start-up, caches).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

from blueprint_cli.load import load_bytes
from blueprint_cli.model.validation import check_bytes, validate
from blueprint_cli.pipeline.check import default_settings, lint_bytes
from blueprint_cli.render import THEMES, to_dot
from blueprint_cli.render.dot import LEGEND_CHUNK

#: how much more work twice the input may cost (2 for linear work)
GROWTH = 2.3


def work(run: Callable[[], object]) -> int:
    """Python calls and lines executed by ``run()``: a count of operations."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(previous)
    return count


def lint_work(raw: bytes) -> int:
    settings = default_settings()
    lint_bytes("warm.yaml", raw, settings)  # caches filled, modules imported
    return work(lambda: lint_bytes("t.yaml", raw, settings))


def assert_linear(measure: Callable[[int], int], n: int) -> None:
    once, twice = measure(n), measure(2 * n)
    assert twice <= GROWTH * once, f"{n} -> {once}, {2 * n} -> {twice}: x{twice / once:.2f}"


# ---------------------------------------------------------------------------- inputs


def dangling_flows(n: int) -> bytes:
    """n actions, and n flows from each to a misspelt one: n did-you-means to work out."""
    actions = "".join(f"      - {{id: act{i}, text: Act {i}}}\n" for i in range(n))
    flows = "".join(f"  - act{i} -> act{i}x\n" for i in range(n))
    return f"blueprint: 1\nsteps:\n  - title: S\n    customer:\n{actions}flows:\n{flows}".encode()


def pruned_steps(n: int) -> bytes:
    """n steps that fail validation and are pruned, and n steps that lose a value."""
    bad = "".join(f"  - {{title: [S{i}], customer: [C{i}]}}\n" for i in range(n))
    damaged = "".join(
        f"  - {{title: T{i}, backstage: [{{text: B{i}, duration: soon}}]}}\n" for i in range(n)
    )
    return f"blueprint: 1\nsteps:\n{bad}{damaged}".encode()


def unknown_keys(n: int) -> bytes:
    """One mapping with n unknown keys."""
    keys = "".join(f"    k{i}: 1\n" for i in range(n))
    return f"blueprint: 1\nsteps:\n  - title: S\n{keys}".encode()


def suppressions(n: int) -> bytes:
    """n suppression comments (each suppressing nothing), among n quoted texts."""
    steps = "".join(
        f"  - {{title: 'S{i} # blueprint: ignore'}}  # blueprint: ignore[BP101]\n" for i in range(n)
    )
    head = "# blueprint: ignore-file[BP118]\n" * n
    return f"{head}blueprint: 1\nsteps:\n{steps}".encode()


def shared_ids(n: int) -> bytes:
    """n steps whose actions all have the id x, and n flows from x to x."""
    steps = "".join(
        f"  - {{title: S{i}, customer: [{{id: x, text: C}}], frontstage: [{{id: x, text: F}}]}}\n"
        for i in range(n)
    )
    flows = "  - {from: x, to: x}\n" * n
    return f"blueprint: 1\nsteps:\n{steps}flows:\n{flows}".encode()


def wide_cell(n: int) -> bytes:
    """One step with n customer actions (chained by the implicit flows)."""
    actions = "".join(f"      - C{i}\n" for i in range(n))
    return f"blueprint: 1\nsteps:\n  - title: S\n    customer:\n{actions}".encode()


def fail_points(n: int) -> bytes:
    """One action with n fail points: n rows in the legend."""
    fps = "".join(f"          - {{text: F{i}, severity: 3}}\n" for i in range(n))
    return (
        "blueprint: 1\nsteps:\n  - title: S\n    customer:\n      - text: C\n"
        f"        fail_points:\n{fps}"
    ).encode()


# ---------------------------------------------------------------------------- lint


@pytest.mark.parametrize(
    ("make", "n"),
    [(dangling_flows, 200), (pruned_steps, 300), (suppressions, 300), (shared_ids, 300)],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_lint_work_is_linear(
    make: Callable[[int], bytes], n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from blueprint_cli.rules import unknown_reference

    # the did-you-means of a file are bounded by a budget of comparisons: a smaller one
    # here, so that the files that exceed it are small enough to trace
    monkeypatch.setattr(unknown_reference, "_SUGGEST_BUDGET", 10_000)
    assert_linear(lambda k: lint_work(make(k)), n)


def _counting(kind: type, copied: list[int]) -> type:
    """A stand-in for ``dict`` or ``list`` in a module: isinstance() as the type's, and a
    call (a copy) adds the items it copies to ``copied``; a copy is work done in C."""

    class Meta(type):
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, kind)

        def __call__(cls, *args: Any, **kwargs: Any) -> Any:
            made = kind(*args, **kwargs)
            copied[0] += len(made)
            return made

    return Meta(kind.__name__, (), {})


def test_unknown_keys_in_one_mapping_are_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprint_cli.model import validation

    copied = [0]
    monkeypatch.setattr(validation, "dict", _counting(dict, copied), raising=False)
    monkeypatch.setattr(validation, "list", _counting(list, copied), raising=False)

    def measure(n: int) -> int:
        loaded = load_bytes(unknown_keys(n))
        copied[0] = 0
        return work(lambda: validate(loaded)) + copied[0]

    assert_linear(measure, 1000)


def test_findings_stay_the_same() -> None:
    """The bounds change nothing for a file of ordinary size."""
    messages = [f.message for f in lint_bytes("t.yaml", dangling_flows(3))]
    # 'act1' is the flow's other end: suggested, it would make a loop
    assert "unknown action 'act1x' (did you mean 'act2'?)" in messages
    raw = unknown_keys(2).replace(b"k1", b"titel")
    assert [p.message for p in check_bytes(raw).problems] == [
        "unknown key 'k0' in step 'S' (allowed: id, title, phase, segments, channel, emotion, "
        "metrics, evidence, customer, "
        "frontstage, backstage, support, note)",
        "unknown key 'titel' in step 'S' (did you mean 'title'?)",
    ]
    kept = lint_bytes("t.yaml", b"blueprint: 1\nsteps:\n  - title: S  # blueprint: ignore\n")
    assert [f.code for f in kept] == ["BP114", "BP127"]  # the file's own, not the line's


# ---------------------------------------------------------------------------- render


def _dot(raw: bytes) -> str:
    bp = check_bytes(raw).blueprint
    assert bp is not None
    return to_dot(bp, THEMES["default"])


def test_render_of_a_wide_cell_is_linear() -> None:
    def measure(n: int) -> int:
        raw = wide_cell(n)
        _dot(raw)
        bp = check_bytes(raw).blueprint
        assert bp is not None
        return work(lambda: to_dot(bp, THEMES["default"]))

    assert_linear(measure, 400)


def test_legend_is_drawn_in_tables_graphviz_lays_out_in_linear_time() -> None:
    """Graphviz's work on the legend's HTML table grows with the square of its rows (16,000
    fail points: 19 s in neato): the legend's tables hold at most LEGEND_CHUNK rows, so
    the sum of the squares grows linearly."""

    def measure(n: int) -> int:
        legend = [line for line in _dot(fail_points(n)).splitlines() if 'id="legend' in line]
        return sum(line.count("<TR>") ** 2 for line in legend)

    assert_linear(measure, 2 * LEGEND_CHUNK)
    assert _dot(fail_points(10)).count('id="legend') == 1  # an ordinary legend: one table
