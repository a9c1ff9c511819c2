"""Mutated examples (drop, duplicate, retype, rename keys; random text spliced in) through
every command in-process: no exception escapes. Then a few fixed scenarios through every
command as real processes, under a memory cap and a time limit (tests/fuzzing.py):

- sizes: a long scalar anchored once and aliased into validated fields, thousands of
  items, nesting at the max-depth limit, aliases that nest deeper than it;
- names: files and folders named with terminal escapes, CR, LF, ``::`` workflow
  commands, bidi overrides, zero-width characters, bytes that are not UTF-8, long names;
- links: out of the tree, dangling, looping, to a device and a FIFO, written through.

A fixed budget here (seconds, no randomness); `make fuzz` runs the generators long."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzzing import ESCAPING, NAME_PARTS, Failure, mutated, run_everything, run_scenario


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@given(mutated())
def test_mutated_examples_never_crash(raw: bytes) -> None:
    run_everything(raw)


def _file(path: str, kind: str = "example", **spec: Any) -> dict[str, Any]:
    return {"type": "file", "path": path, "content": {"kind": kind, **spec}}


def _link(path: str, to: str) -> dict[str, Any]:
    return {"type": "link", "path": path, "to": to}


#: a few commands, one format each: where a scenario is about the input, not the output
FEW = ("lint --format text", "show --format text", "failpoints --format csv", "render")

SIZES = {
    "family": "size",
    "entries": [
        _file(
            "tree/alias.yaml",
            "alias-scalar",
            seed="hotel",
            fill="duration",
            length=100_000,
            copies=1,
            sites=["action.duration", "title", "flow", "fp.text", "step.id"],
            uses=10,
        ),
        _file("tree/deep-100.yaml", "deep", depth=100, shape="mixed", site="action.text"),
        _file("tree/deep-101.yaml", "deep", depth=101, shape="list", site="flow", block=True),
        _file("tree/chain.yaml", "alias-depth-chain", each=97, links=12, site="note"),
        _file("tree/shared.yaml", "alias-collection", actions=50, steps=10),
    ],
    "targets": ["tree"],
    "show": "tree/alias.yaml",
    "output": "out/",
    "commands": (*FEW, "lint --format sarif", "lint --format junit", "lint (fast path)"),
}
MANY = {
    "family": "size",
    "entries": [
        _file(
            "many.yaml",
            "many",
            steps=1000,
            actions=1,
            fail_points=1,
            flows=2000,
            phases=50,
            actors=20,
        ),
    ],
    "targets": ["many.yaml"],
    "show": "many.yaml",
    "output": "out/many.dot",
    "commands": ("lint --format sarif", "render --format dot -o FILE"),
}

#: every hostile piece in a file name: the ones that are UTF-8, and the bytes that are not
UTF8_NAMES = [p for p in NAME_PARTS if os.fsencode(p).decode("utf-8", "replace") == p]


def _names() -> dict[str, Any]:
    """Every piece in the name of a file in a folder walked (some files broken, so that
    errors name them too), a long name in a long folder name; show and render -o get
    a hostile name of their own."""
    kinds = [
        {"kind": "tiny"},
        {"kind": "broken", "seed": "garage", "how": "duration"},
        {"kind": "broken", "seed": "hotel", "how": "syntax"},
    ]
    entries = [
        {
            "type": "file",
            "path": f"d\x1b[7m/{i:02d}{''.join(NAME_PARTS[i : i + 5])}.yaml",
            "content": kinds[i // 5 % 3],
        }
        for i in range(0, len(NAME_PARTS), 5)
    ]
    entries.append(_file("x" * 200 + "/" + "L" * 250 + ".yaml", "tiny"))
    return {
        "family": "names",
        "entries": entries,
        "targets": ["d\x1b[7m", "x" * 200],
        "show": entries[1]["path"],
        "output": "out/",
        "follow": False,
        "commands": ("lint", "show", "failpoints", "render"),  # every format
    }


STDIN_NAME = {
    "family": "names",
    "entries": [],
    "stdin": {
        "name": "\x1b[31m\n::warning::x\u202e\u200b.yaml",
        "content": {"kind": "broken", "seed": "garage", "how": "duration"},
    },
    "targets": ["-"],
    "show": "-",
    "output": "out/\x1b]0;t\x07\r.dot",
    "follow": False,
    "commands": (
        "lint --format text",
        "lint --format github",
        "lint --format junit",
        "render --format dot -o FILE",
    ),
}


def _links(form: str, follow: bool) -> dict[str, Any]:
    return {
        "family": "links",
        "secret": form,
        "entries": [
            _file("tree/ok.yaml", seed="garage"),
            _file("../outside/secret.yaml", "secret", form=form),
            _link("tree/secret.yaml", "../../outside/secret.yaml"),
            _link("tree/abs-secret.yaml", "@/outside/secret.yaml"),
            _link("tree/dangling.yaml", "nowhere.yaml"),
            _link("tree/self.yaml", "self.yaml"),
            _link("tree/a.yaml", "b.yaml"),
            _link("tree/b.yaml", "a.yaml"),
            _link("tree/loop", "."),
            _link("tree/zero.yaml", "/dev/zero"),
            {"type": "fifo", "path": "../outside/fifo"},
            _link("tree/fifo.yaml", "../../outside/fifo"),
            _link("tree/c1.yaml", "c2.yaml"),
            _link("tree/c2.yaml", "../../outside/secret.yaml"),
            _link("tree/out.dot", "ok.yaml"),  # the report written through it? never
        ],
        "targets": ["tree", "tree/secret.yaml", "tree/dangling.yaml", "tree/self.yaml"],
        "show": "tree/c1.yaml",
        "output": "out/",
        "report_to": "tree/out.dot",
        "follow": follow,
        "commands": (*FEW, "lint --format json --output-file LINK")[follow:],
    }


#: a folder named on the command line that is a link out of the tree
LINKED_FOLDER = {
    **_links("key", False),
    "targets": ["tree/outdir"],
    "show": "tree/outdir/secret.yaml",
    "commands": ("lint --format text", "show --format text"),
}
LINKED_FOLDER["entries"] = [*LINKED_FOLDER["entries"], _link("tree/outdir", "../../outside")]

#: `blueprint lint FILE | head -1`: the reader gone before the first line is written
CLOSED_STDOUT = {
    "family": "size",
    "entries": [_file("t.yaml", "tiny")],
    "targets": ["t.yaml"],
    "show": "t.yaml",
    "output": "out/t.dot",
    "commands": ("closed-stdout",),
}

SCENARIOS: dict[str, dict[str, Any]] = {
    "sizes": SIZES,
    "many": MANY,
    "names": _names(),
    "stdin-name": STDIN_NAME,
    "links": _links("key", False),
    "links-followed": _links("kv", True),
    "linked-folder": LINKED_FOLDER,
    "closed-stdout": CLOSED_STDOUT,
}
for _name, _recipe in SCENARIOS.items():
    _recipe["seed"] = _name


@pytest.fixture(scope="module")
def failures() -> dict[str, list[Failure]]:
    """Every scenario through every command, four at a time."""
    with ThreadPoolExecutor(4) as pool:
        done = {n: pool.submit(run_scenario, r, 60.0) for n, r in SCENARIOS.items()}
        return {n: future.result()[0] for n, future in done.items()}


def _report(found: list[Failure]) -> str:
    return "\n".join(
        sorted({f"{f.kind}: {f.command} (exit {f.exit_code}) {f.detail[:120]}" for f in found})
    )


def _escaping(f: Failure) -> bool:
    return f.kind.split(" ")[0] in ESCAPING


SIZE_ONLY = ("overlong-line", "output-amplification", "slow")


SIZE_ONLY = ("overlong-line", "output-amplification", "slow")
PARSES = ("json-invalid", "junit-not-xml")


def _survival(f: Failure) -> bool:
    return not _escaping(f) and f.kind.split(" ")[0] not in SIZE_ONLY and f.kind not in PARSES


@pytest.mark.parametrize("scenario", ["sizes", "many", "links", "links-followed"])
def test_every_command_survives(scenario: str, failures: dict[str, list[Failure]]) -> None:
    """exit 0, 1 or 2; no traceback, no signal; within 2 GB and the time limit; nothing
    written through a link or outside the tree; no secret read through a link."""
    found = [f for f in failures[scenario] if _survival(f)]
    assert not found, _report(found)


@pytest.mark.parametrize("scenario", ["sizes", "many", "links", "links-followed"])
def test_machine_readable_output_parses(scenario: str, failures: dict[str, list[Failure]]) -> None:
    found = [f for f in failures[scenario] if f.kind in PARSES]
    assert not found, _report(found)


@pytest.mark.parametrize("scenario", ["names", "stdin-name"])
def test_every_command_survives_hostile_names(
    scenario: str, failures: dict[str, list[Failure]]
) -> None:
    found = [f for f in failures[scenario] if _survival(f)]
    assert not found, _report(found)


@pytest.mark.parametrize("scenario", ["names", "stdin-name"])
def test_names_reach_no_terminal_raw(scenario: str, failures: dict[str, list[Failure]]) -> None:
    """No raw ESC, CR, bidi or zero-width character on stdout or stderr, no line that
    starts with '::' but genuine --format github annotations; JUnit and JSON parse."""
    found = [f for f in failures[scenario] if _escaping(f) or f.kind in PARSES]
    assert not found, _report(found)


def test_long_values_are_not_quoted_whole(failures: dict[str, list[Failure]]) -> None:
    found = [f for f in failures["sizes"] if f.kind.split(" ")[0] in SIZE_ONLY]
    assert not found, _report(found)


def test_a_linked_folder_out_of_the_tree_is_not_read(
    failures: dict[str, list[Failure]],
) -> None:
    found = failures["linked-folder"]
    assert not found, _report(found)


def test_a_closed_stdout_is_no_traceback(failures: dict[str, list[Failure]]) -> None:
    found = failures["closed-stdout"]
    assert not found, _report(found)
