"""Fuzzing every command: mutated examples in-process, and whole scenarios as real
processes.

Used by tests/test_fuzz.py (a small fixed budget in CI) and by `make fuzz` (long runs:
`python -m tests.fuzzing --minutes 25`), which prints how many inputs it tried.

Families (``--families``, the time shared out evenly among them):

- ``inprocess``: the examples mutated (keys dropped, retyped, renamed, duplicated, text
  spliced in) through every command's core: no exception escapes.
- ``size``: a long scalar (100 KB-1 MB) anchored once and aliased into many fields,
  validated ones too (``duration: *a``, ids, flows); thousands of steps, actions, flows,
  fail points; nesting at the max-depth limit; anchors that nest one another deeper.
- ``names``: files and folders named with terminal escapes, CR, LF, ``::`` workflow
  commands, bidi overrides, zero-width characters, bytes that are not UTF-8, long names,
  a path longer than PATH_MAX; ``--stdin-filename`` and ``-o`` names likewise.
- ``links``: links out of the tree (to a secret, a device, a FIFO, a 3 GB file), dangling,
  looping, to folders; output written through a link.

Every command and format runs as a process under a 2 GB address-space cap and a time
limit. The oracle: exit 0, 1 or 2, no traceback or signal; JSON parses, JUnit is XML;
nothing changed but the outputs, nothing written outside; no secret printed. For names:
no raw ESC, CR, C0/C1 control, bidi or zero-width character and no bytes that are not
UTF-8 on stdout or stderr, and no line starting with ``::`` but a well-formed
``--format github`` annotation. Failures go to a JSON file (``--failures``), one per
(command, kind), with the scenario's recipe and a shrunk one; ``--replay FILE`` rebuilds
them in a folder and prints the command that fails.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import json
import math
import os
import random
import re
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

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
SEEDS = [
    yaml.safe_load(p.read_text("utf-8"))
    for p in sorted(EXAMPLES.rglob("*.yaml"))
    if p.relative_to(EXAMPLES).parts[0] != "audits"  # visits, not blueprints
]

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


# --------------------------------------------------------------------------------------
# Scenarios: whole directories (sizes, names, links) through every command as a real
# process, under a memory cap and a time limit, with an oracle on what reaches the
# terminal. A scenario is a *recipe*, plain JSON: it is recorded with each failure and
# rebuilt by `python -m tests.fuzzing --replay FAILURES.json --into DIR`.
# --------------------------------------------------------------------------------------

BLUEPRINT = Path(sys.executable).parent / "blueprint"
MARKER = "S3CR3T-7f3a9c-must-not-leak"
MEMORY_CAP = 2 * 1024**3
HUGE_OUTPUT = 64 * 1024**2  # more on stdout or stderr than this is a failure of its own
FAMILIES = ("size", "names", "links")
EXAMPLE_BYTES = {p.stem: p.read_bytes() for p in sorted(EXAMPLES.glob("*.yaml"))}
EXAMPLE_DATA = {
    p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))
}

# -- what may not reach a terminal or a CI log (the name-based oracle) ----------------
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
ODD = re.compile(f"[{BIDI}{ZERO_WIDTH}]")
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")  # but TAB LF CR ESC
C1_CHARS = re.compile("[\x80-\x9f]")
UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8 (surrogateescape)
ANNOTATION = re.compile(
    rb"::(error|warning|notice) file=[^,:\r\n]*(,(line|col|endLine|endColumn|title)=[^,:\r\n]*)*::"
)
EXCEPTION = re.compile(r"^(\w+(?:Error|Exception|Exit|Interrupt|Warning))\b", re.MULTILINE)
#: failure kinds of the name-escaping oracle (the others are about surviving the input)
ESCAPING = (
    "raw-esc",
    "raw-cr",
    "raw-bidi-or-zero-width",
    "raw-control",
    "raw-c1",
    "fake-annotation",
    "malformed-annotation",
    "raw-invalid-utf8",
)

#: pieces of hostile file and directory names; no "/" and no NUL (a name cannot hold them)
NAME_PARTS = [
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;https:evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b]0;pwned\x07",
    "\x1b[2J\x1b[H",
    "cr\rhidden",
    "lf\nnext",
    "\n::warning::injected",
    "\n::error file=fake.yaml,line=1::forged",
    "::warning::start",
    "\r\n::notice::crlf",
    "\u202eevil\u202c",
    "\u2066iso\u2069",
    "\u200frlm\u200e",
    "zero\u200bwidth",
    "zwj\u200d\u2060",
    "\ufeffbom",
    "\x9b31mc1",
    "\x07bell\x08bs\x7fdel",
    "tab\there",
    os.fsdecode(b"bad\xff"),
    os.fsdecode(b"\xc3\x28"),
    os.fsdecode(b"\xed\xa0\x80surrogate"),
    os.fsdecode(b"caf\xe9-latin1"),
    "%0A%25%3A,",
    "<b>&amp;\"'</b>]]>",
    '"]; node [shape=star',
    "=HYPERLINK(1)",
    "# | *md* `x`",
    "trailing space ",
    "日本語",
    "e\u0301",
]


def _fit(name: str, limit: int = 255) -> str:
    """``name`` cut (before its extension) to ``limit`` bytes, the longest a name may be."""
    stem, dot, ext = name.rpartition(".") if "." in name[-6:] else (name, "", "")
    tail = dot + ext
    while len(os.fsencode(stem + tail)) > limit:
        stem = stem[:-1]
    return stem + tail


def _hostile_name(rng: random.Random, ext: str) -> str:
    parts = [rng.choice(["", "a", "x-", "-dash", "::"])]
    parts += rng.sample(NAME_PARTS, rng.randint(1, 3))
    if rng.random() < 0.15:
        parts.append("L" * 300)  # cut to the longest a name may be
    return _fit("".join(parts) + ext)


# -- YAML text with anchors, aliases and deep nesting, written by hand ----------------


class Long:
    """The long scalar: anchored (``&a``) where first written, ``*a`` everywhere after."""

    def __init__(self, value: str, block: bool) -> None:
        self.value, self.block, self.written = value, block, False


class Deep:
    """Nesting written inline until the document is ``total`` collections deep."""

    def __init__(self, total: int, shape: str) -> None:
        self.total, self.shape = total, shape


class Shared:
    """A collection anchored where first written (``&name``), aliased after."""

    def __init__(self, name: str, node: Any) -> None:
        self.name, self.node, self.written = name, node, False


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _deep_text(levels: int, shape: str) -> str:
    opens, closes = [], []
    for i in range(levels):
        as_map = shape == "map" or (shape == "mixed" and i % 2 == 1)
        opens.append("{k: " if as_map else "[")
        closes.append("}" if as_map else "]")
    return "".join(opens) + '"leaf"' + "".join(reversed(closes))


def emit(node: Any, indent: int = 0, depth: int = 0) -> list[str]:
    """Block YAML for ``node`` (mappings and lists), ``depth`` collections deep."""
    pad = " " * indent
    lines: list[str] = []
    items = list(node.items()) if isinstance(node, dict) else [(None, v) for v in node]
    for key, value in items:
        head = f"{pad}{key}:" if key is not None else f"{pad}-"
        lines += _entry(head, value, indent, depth + 1)
    return lines


def _entry(head: str, value: Any, indent: int, depth: int) -> list[str]:
    if isinstance(value, Shared):
        if value.written:
            return [f"{head} *{value.name}"]
        value.written = True
        inner = _entry(head + f" &{value.name}", value.node, indent, depth)
        return inner
    if isinstance(value, Long):
        if value.written:
            return [f"{head} *a"]
        value.written = True
        if value.block:
            body = " " * (indent + 2)
            return [f"{head} &a |-", *(body + line for line in value.value.split("\n"))]
        return [f"{head} &a {_scalar(value.value)}"]
    if isinstance(value, Deep):
        return [f"{head} {_deep_text(max(1, value.total - depth), value.shape)}"]
    if isinstance(value, (dict, list)):
        if not value:
            return [f"{head} {'{}' if isinstance(value, dict) else '[]'}"]
        return [head, *emit(value, indent + 2, depth)]
    if isinstance(value, str) and value.startswith("*"):  # a raw alias
        return [f"{head} {value}"]
    return [f"{head} {_scalar(value)}"]


def to_yaml(node: dict[str, Any]) -> bytes:
    return ("\n".join(emit(node)) + "\n").encode("utf-8", errors="surrogatepass")


# -- contents ------------------------------------------------------------------------

FILLS = ("letters", "words", "duration", "iso", "arrow", "lines", "unicode", "markup", "id")
#: where the long scalar goes; each is a path pattern in a blueprint
SITES = (
    "title",
    "description",
    "step.title",
    "step.id",
    "step.note",
    "step.phase",
    "step.evidence",
    "action.text",
    "action.id",
    "action.actor",
    "action.duration",
    "action.script",
    "wait.text",
    "wait.expected",
    "wait.max",
    "fp.text",
    "fp.prevention",
    "fp.severity",
    "flow",
    "flow.from",
    "flow.label",
    "phase.title",
    "actor.title",
    "standards.max_wait",
    "lanes.frontstage",
)


def _fill(kind: str, length: int) -> str:
    pieces = {
        "letters": "abcdefghijklmnopqrstuvwxyz",
        "words": "lorem ipsum dolor sit amet ",
        "arrow": "a -> ",
        "unicode": "é日本e\u0301ß",
        "markup": '<b>&"]; \\N %0A | * ',
        "id": "step-",
    }
    if kind == "duration":
        return "1" * (length - 1) + "m"
    if kind == "iso":
        return "PT" + "9" * (length - 3) + "M"
    if kind == "lines":
        line = "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod"
        return "\n".join([line] * max(1, length // (len(line) + 1)))
    piece = pieces[kind]
    return (piece * (length // len(piece) + 1))[:length]


def _actions(step: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        a
        for lane in ("customer", "frontstage", "backstage", "support")
        for a in step.get(lane, [])
        if isinstance(a, dict)
    ]


def _copies(seed: str, copies: int) -> dict[str, Any]:
    """The example with its steps (and flows) repeated, ids made unique per copy."""
    data = copy.deepcopy(EXAMPLE_DATA[seed])
    steps, flows = data.get("steps", []), data.get("flows", [])
    data["steps"], data["flows"] = [], []
    for c in range(copies):
        suffix = f"-{c}" if c else ""
        for step in copy.deepcopy(steps):
            step["id"] = step.get("id", "s") + suffix
            for action in _actions(step):
                if "id" in action:
                    action["id"] += suffix
                for fp in action.get("fail_points", []):
                    if isinstance(fp, dict) and "id" in fp:
                        fp["id"] += suffix
            data["steps"].append(step)
        for flow in flows:
            if isinstance(flow, str):
                a, _, b = flow.partition("->")
                data["flows"].append(f"{a.strip()}{suffix} -> {b.strip()}{suffix}")
            else:
                flow = dict(flow)
                flow["from"] += suffix
                flow["to"] += suffix
                data["flows"].append(flow)
    return data


def _places(data: dict[str, Any], site: str) -> list[tuple[Any, Any]]:
    """(container, key) pairs where ``site`` is in ``data`` (creating the key if need be)."""
    steps = [s for s in data.get("steps", []) if isinstance(s, dict)]
    actions = [a for s in steps for a in _actions(s)]
    fps = [f for a in actions for f in a.get("fail_points", []) if isinstance(f, dict)]
    flows = data.get("flows", [])
    kind, _, field = site.partition(".")
    if kind in ("title", "description"):
        return [(data, kind)]
    if kind == "standards":
        return [(data.setdefault("standards", {}), field)]
    if kind == "lanes":
        return [(data.setdefault("lanes", {}), field)]
    if kind == "flow" and not field:
        return [(flows, i) for i in range(len(flows))]
    if kind == "step" and field == "evidence":
        return [(s.setdefault("evidence", [""]), 0) for s in steps]
    if kind == "wait":  # the waits there are, or new ones
        waits = [a["wait"] for a in actions if isinstance(a.get("wait"), dict)]
        return [(w, field) for w in waits or [a.setdefault("wait", {}) for a in actions[:50]]]
    group = {
        "step": steps,
        "action": actions,
        "fp": fps,
        "flow": [f for f in flows if isinstance(f, dict)],
        "phase": [p for p in data.get("phases", []) if isinstance(p, dict)],
        "actor": [a for a in data.get("actors", []) if isinstance(a, dict)],
    }[kind]
    return [(item, field) for item in group]


def _alias_scalar(spec: dict[str, Any]) -> bytes:
    data = _copies(spec["seed"], spec["copies"])
    long = Long(_fill(spec["fill"], spec["length"]), block=spec["fill"] == "lines")
    uses = 0
    for site in spec["sites"]:
        for container, key in _places(data, site):
            if uses >= spec["uses"]:
                break
            container[key] = long
            uses += 1
    return to_yaml(data)


def _alias_collection(spec: dict[str, Any]) -> bytes:
    acts = [
        {"id": f"shared-{i}", "text": f"Shared action {i}", "actor": "clerk", "duration": "1m"}
        for i in range(spec["actions"])
    ]
    shared = Shared("acts", acts)
    steps = [
        {"id": f"s{i}", "title": f"Step {i}", "customer": [f"Do {i}"], "frontstage": shared}
        for i in range(spec["steps"])
    ]
    data = {"blueprint": 1, "actors": [{"id": "clerk", "title": "Clerk"}], "steps": steps}
    return to_yaml(data)


def _many(spec: dict[str, Any]) -> bytes:
    n_phases, n_actors = spec["phases"], spec["actors"]
    data: dict[str, Any] = {
        "blueprint": 1,
        "title": "Many",
        "phases": [{"id": f"p{i}", "title": f"Phase {i}"} for i in range(n_phases)],
        "actors": [{"id": f"a{i}", "title": f"Actor {i}"} for i in range(n_actors)],
        "steps": [],
        "flows": [],
    }
    previous = None
    for i in range(spec["steps"]):
        front = []
        for j in range(spec["actions"]):
            fps = [
                {
                    "id": f"fp{i}-{j}-{k}",
                    "text": f"Fails {i} {j} {k}",
                    "severity": 1 + (i + k) % 10,
                    "occurrence": 1 + j % 10,
                    "detection": 1 + k % 10,
                    "prevention": "Check" if k % 2 else None,
                }
                for k in range(spec["fail_points"])
            ]
            action = {
                "id": f"f{i}-{j}",
                "text": f"Front {i} {j}",
                "actor": f"a{(i + j) % n_actors}",
            }
            action["duration"] = f"{1 + j % 9}m"
            if fps:
                action["fail_points"] = [
                    {k: v for k, v in fp.items() if v is not None} for fp in fps
                ]
            front.append(action)
        step = {
            "id": f"s{i}",
            "title": f"Step {i}",
            "phase": f"p{i % n_phases}",
            "evidence": [f"Evidence {i}"],
            "customer": [{"id": f"c{i}", "text": f"Customer {i}"}],
            "frontstage": front,
        }
        data["steps"].append(step)
        if len(data["flows"]) < spec["flows"]:
            data["flows"].append(f"c{i} -> f{i}-0" if front else f"c{i} -> c{i}")
            if previous is not None:
                data["flows"].append({"from": previous, "to": f"c{i}", "label": "next"})
        previous = f"c{i}"
    return to_yaml(data)


def _deep(spec: dict[str, Any]) -> bytes:
    data = _copies("garage", 1)
    deep = Deep(spec["depth"], spec["shape"])
    if spec["site"] == "unknown":
        data["x-deep"] = deep
    else:
        places = _places(data, spec["site"])
        container, key = places[len(places) // 2]
        container[key] = deep
    if spec.get("block"):  # nesting written as indented mappings, not inline
        node: Any = "leaf"
        for _ in range(spec["depth"] - 1):
            node = {"k": node}
        data["x-block"] = node
    return to_yaml(data)


def _alias_depth_chain(spec: dict[str, Any]) -> bytes:
    """Each anchor nests the previous alias ``each`` levels deeper: a document within
    max-depth as written, thousands of levels deep once the aliases are expanded."""
    each, lines = spec["each"], ["blueprint: 1", "steps:"]
    for i in range(spec["links"]):
        inner = f"*d{i - 1}" if i else '"leaf"'
        lines += [
            f"  - title: Step {i}",
            f"    {spec['site']}: &d{i} " + "[" * each + inner + "]" * each,
        ]
    lines.append(f"flows: [*d{spec['links'] - 1}]")
    return ("\n".join(lines) + "\n").encode()


def _broken(spec: dict[str, Any]) -> bytes:
    raw = EXAMPLE_BYTES[spec["seed"]]
    how = spec["how"]
    if how == "syntax":
        return raw.replace(b"steps:", b"steps: [", 1)
    if how == "duration":
        return raw.replace(b"duration: ", b"duration: 5 mins ", 1)
    if how == "unknown-key":
        return raw.replace(b"title:", b"titel:", 1)
    if how == "dangling-flow":
        return raw + b"  - nowhere -> nobody\n"
    if how == "top-level-list":
        return b"- blueprint: 1\n"
    return b""  # empty


#: a blueprint small to check, with a finding and a fail point (so every command names it)
TINY = (
    b"blueprint: 1\nsteps:\n  - title: Look\n    customer: [Look]\n    frontstage:\n"
    b"      - text: Greet\n        fail_points: [{text: Late, severity: 9, occurrence: 9, "
    b"detection: 9}]\n"
)

SECRET_FORMS = {
    "scalar": f"ghp_{MARKER}\n",
    "list": f"- {MARKER}\n",
    "env": f"API_KEY={MARKER}\n",
    "pem": f"-----BEGIN PRIVATE KEY-----\n{MARKER}\n-----END PRIVATE KEY-----\n",
    "kv": f"password: {MARKER}\n",
    "key": f"{MARKER}: x\n",  # a mapping: read as a (wrong) blueprint once followed
    "blueprint": f"blueprint: 1\ntitle: {MARKER}\nsteps: [Look]\n",  # likewise
}
#: forms whose content is never quoted even when a link to them is followed
NEVER_QUOTED = ("scalar", "list", "env", "pem", "kv")


def content(spec: dict[str, Any]) -> bytes:
    """The bytes a content recipe stands for (deterministic)."""
    kind = spec["kind"]
    if kind == "example":
        return EXAMPLE_BYTES[spec["seed"]]
    if kind == "secret":
        return SECRET_FORMS[spec["form"]].encode()
    if kind == "tiny":
        return TINY
    makers = {
        "broken": _broken,
        "alias-scalar": _alias_scalar,
        "alias-collection": _alias_collection,
        "alias-depth-chain": _alias_depth_chain,
        "many": _many,
        "deep": _deep,
    }
    return makers[kind](spec)


# -- recipes ---------------------------------------------------------------------------


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    return int(math.exp(rng.uniform(math.log(low), math.log(high))))


def _size_content(rng: random.Random, ci: bool) -> dict[str, Any]:
    kind = rng.choices(
        ["alias-scalar", "many", "deep", "alias-depth-chain", "alias-collection"], [5, 3, 2, 2, 1]
    )[0]
    seed = rng.choice(sorted(EXAMPLE_DATA))
    if kind == "alias-scalar":
        return {
            "kind": kind,
            "seed": seed,
            "fill": rng.choice(FILLS),
            "length": 100_000 if ci else _log_uniform(rng, 100_000, 1_000_000),
            "copies": rng.randint(1, 3) if ci else _log_uniform(rng, 1, 300),
            "sites": rng.sample(SITES, rng.randint(1, 5)),
            "uses": rng.choice([50, 300] if ci else [100, 1000, 10_000, 45_000, 60_000]),
        }
    if kind == "many":
        one_cell = rng.random() < 0.2
        return {
            "kind": kind,
            "steps": 1 if one_cell else (300 if ci else _log_uniform(rng, 1000, 5000)),
            "actions": (500 if ci else _log_uniform(rng, 1000, 5000))
            if one_cell
            else rng.randint(1, 4),
            "fail_points": rng.choice([0, 1, 2, 5]),
            "flows": rng.choice([0, 100, 10_000, 100_000]),
            "phases": rng.choice([1, 3, 50, 2000]),
            "actors": rng.choice([1, 10, 2000]),
        }
    if kind == "deep":
        return {
            "kind": kind,
            "depth": rng.choice([98, 99, 100, 101, 102, rng.randint(90, 110)]),
            "shape": rng.choice(["list", "map", "mixed"]),
            "site": rng.choice(
                [
                    "title",
                    "step.note",
                    "action.text",
                    "fp.text",
                    "flow",
                    "unknown",
                    "step.evidence",
                    "wait.text",
                    "action.duration",
                ]
            ),
            "block": rng.random() < 0.3,
        }
    if kind == "alias-depth-chain":
        return {
            "kind": kind,
            "each": rng.randint(50, 97),
            "links": rng.randint(3, 10) if ci else rng.randint(5, 60),
            "site": rng.choice(["note", "evidence", "customer", "title"]),
        }
    return {
        "kind": kind,
        "actions": rng.choice([10, 100, 500]),
        "steps": rng.choice([10, 50] if ci else [10, 99, 500, 5000]),
    }


def _names_recipe(rng: random.Random) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    folder = ""
    if rng.random() < 0.4:
        folder = _hostile_name(rng, "")
        if rng.random() < 0.3:
            folder += "/" + _hostile_name(rng, "")
    files = []
    for _ in range(rng.randint(1, 4)):
        name = _hostile_name(rng, rng.choice([".yaml", ".yml"]))
        path = f"{folder}/{name}" if folder else name
        if rng.random() < 0.3:
            spec = {"kind": "tiny"}
        elif rng.random() < 0.5:
            spec = {"kind": "example", "seed": rng.choice(sorted(EXAMPLE_BYTES))}
        else:
            how = ["syntax", "duration", "unknown-key", "dangling-flow", "top-level-list", "empty"]
            spec = {
                "kind": "broken",
                "seed": rng.choice(sorted(EXAMPLE_BYTES)),
                "how": rng.choice(how),
            }
        entries.append({"type": "file", "path": path, "content": spec})
        files.append(path)
    if rng.random() < 0.1:  # a path longer than PATH_MAX
        entries.append(
            {
                "type": "deep-dir",
                "path": "long",
                "levels": 20,
                "segment": "d" * 250,
                "file": "deep.yaml",
                "content": {"kind": "example", "seed": "garage"},
            }
        )
    recipe: dict[str, Any] = {"family": "names", "entries": entries, "follow": False}
    choice = rng.random()
    if choice < 0.15:
        recipe["stdin"] = {"name": _hostile_name(rng, ".yaml"), "content": entries[0]["content"]}
        recipe["targets"], recipe["show"] = ["-"], "-"
    else:
        if choice < 0.45:
            targets = ["."]
        elif choice < 0.6 and folder:
            targets = [folder.split("/")[0]]
        else:
            targets = rng.sample(files, rng.randint(1, len(files)))
        recipe["targets"], recipe["show"] = targets, files[0]
    if len(recipe["targets"]) == 1 and recipe["targets"][0] in ([*files, "-"]):
        recipe["output"] = (
            "out/" + _hostile_name(rng, ".dot") if rng.random() < 0.5 else "out/x.dot"
        )
    else:
        recipe["output"] = "out/"
    return recipe


def _links_recipe(rng: random.Random) -> dict[str, Any]:
    form = rng.choice(sorted(SECRET_FORMS))
    entries: list[dict[str, Any]] = [
        {"type": "file", "path": "tree/ok.yaml", "content": {"kind": "example", "seed": "garage"}},
        {
            "type": "file",
            "path": "../outside/secret.yaml",
            "content": {"kind": "secret", "form": form},
        },
        {
            "type": "file",
            "path": "../outside/bp.yaml",
            "content": {"kind": "example", "seed": "hotel"},
        },
    ]
    menu: list[list[dict[str, Any]]] = [
        [{"type": "link", "path": "tree/secret.yaml", "to": "../../outside/secret.yaml"}],
        [{"type": "link", "path": "tree/abs-secret.yaml", "to": "@/outside/secret.yaml"}],
        [{"type": "link", "path": "tree/outbp.yaml", "to": "../../outside/bp.yaml"}],
        [{"type": "link", "path": "tree/dangling.yaml", "to": "nowhere.yaml"}],
        [{"type": "link", "path": "tree/dangling-out.yaml", "to": "@/outside/missing.yaml"}],
        [{"type": "link", "path": "tree/self.yaml", "to": "self.yaml"}],
        [
            {"type": "link", "path": "tree/a.yaml", "to": "b.yaml"},
            {"type": "link", "path": "tree/b.yaml", "to": "a.yaml"},
        ],
        [{"type": "link", "path": "tree/loop", "to": "."}],
        [{"type": "link", "path": "tree/up", "to": ".."}],
        [{"type": "link", "path": "tree/outdir", "to": "../../outside"}],
        [{"type": "link", "path": "tree/zero.yaml", "to": "/dev/zero"}],
        [
            {"type": "fifo", "path": "../outside/fifo"},
            {"type": "link", "path": "tree/fifo.yaml", "to": "../../outside/fifo"},
        ],
        [
            {"type": "sparse", "path": "../outside/big.yaml", "size": 3 * 1024**3},
            {"type": "link", "path": "tree/big.yaml", "to": "../../outside/big.yaml"},
        ],
        [
            {"type": "link", "path": "tree/c1.yaml", "to": "c2.yaml"},
            {"type": "link", "path": "tree/c2.yaml", "to": "../../outside/secret.yaml"},
        ],
        [{"type": "link", "path": "tree/inner.yaml", "to": "ok.yaml"}],
        [{"type": "link", "path": "tree/sub/deeper.yaml", "to": "../../../outside/secret.yaml"}],
    ]
    groups = rng.sample(menu, rng.randint(1, 5))
    if rng.random() < 0.2 and menu[9] not in groups:  # a link to a folder out of the tree
        groups.append(menu[9])
    for group in groups:
        entries += group
    paths = [e["path"] for e in entries if e["path"].startswith("tree/")]
    choice = rng.random()
    if choice < 0.4:
        targets = ["tree"]
    elif choice < 0.6 and any(p in paths for p in ("tree/outdir", "tree/up", "tree/loop")):
        targets = [p for p in ("tree/outdir", "tree/up", "tree/loop") if p in paths][:1]
        if targets == ["tree/outdir"] and rng.random() < 0.5:
            targets = ["tree/outdir/secret.yaml"]  # a file named through a link to a folder
    else:
        targets = rng.sample(paths, rng.randint(1, min(3, len(paths))))
    recipe: dict[str, Any] = {
        "family": "links",
        "entries": entries,
        "targets": targets,
        "show": rng.choice(targets) if targets != ["tree"] else "tree/ok.yaml",
        "follow": rng.random() < 0.5,
        "secret": form,
    }
    single = len(targets) == 1 and targets[0].endswith(".yaml")
    if rng.random() < 0.4:  # output written through a link: onto the blueprint, the secret, nowhere
        to = rng.choice(["ok.yaml", "../../outside/secret.yaml", "@/outside/new.dot", "gone.dot"])
        entries.append({"type": "link", "path": "tree/outlink.dot", "to": to})
        recipe["output"] = "tree/outlink.dot" if single else "out/"
        recipe["report_to"] = "tree/outlink.dot"
    else:
        recipe["output"] = "out/x.dot" if single else "out/"
    return recipe


def recipe_for(family: str, seed: int, ci: bool = False) -> dict[str, Any]:
    """The scenario ``seed`` of ``family``: the same recipe every time."""
    rng = random.Random(f"{family}:{seed}")
    if family == "names":
        recipe = _names_recipe(rng)
    elif family == "links":
        recipe = _links_recipe(rng)
    else:
        spec = _size_content(rng, ci)
        direct = rng.random() < 0.7
        recipe = {
            "family": "size",
            "entries": [{"type": "file", "path": "tree/big.yaml", "content": spec}],
            "targets": ["tree/big.yaml" if direct else "tree"],
            "show": "tree/big.yaml",
            "output": "out/x.dot" if direct else "out/",
            "follow": False,
        }
    recipe["seed"] = seed
    return recipe


# -- building a scenario ---------------------------------------------------------------


def build_scenario(recipe: dict[str, Any], base: Path) -> Path:
    """Write the recipe under ``base``; return the working directory (``base/work``)."""
    work = base / "work"
    (work / "out").mkdir(parents=True)
    (base / "outside").mkdir()
    for entry in recipe["entries"]:
        path = os.fsencode(work) + b"/" + os.fsencode(entry["path"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        kind = entry["type"]
        if kind == "file":
            with open(path, "wb") as handle:
                handle.write(content(entry["content"]))
        elif kind == "link":
            to = entry["to"]
            target = os.fsencode(str(base) + to[1:]) if to.startswith("@") else os.fsencode(to)
            with contextlib.suppress(FileExistsError):
                os.symlink(target, path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "sparse":
            with open(path, "wb") as handle:
                handle.truncate(entry["size"])
        elif kind == "deep-dir":
            _deep_dir(path, entry)
    if "stdin" in recipe:
        (base / "stdin.yaml").write_bytes(content(recipe["stdin"]["content"]))
    return work


def _deep_dir(path: bytes, entry: dict[str, Any]) -> None:
    """Folders nested until the path is longer than PATH_MAX (made through folder fds)."""
    os.mkdir(path)
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    segment = os.fsencode(entry["segment"])
    try:
        for _ in range(entry["levels"]):
            os.mkdir(segment, dir_fd=fd)
            inner = os.open(segment, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(os.fsencode(entry["file"]), os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, content(entry["content"]))
        os.close(out)
    finally:
        os.close(fd)


def _snapshot(base: Path) -> dict[bytes, object]:
    """What every regular file under ``base`` holds (but ``out/``), by path."""
    seen: dict[bytes, object] = {}
    for root, dirs, files in os.walk(os.fsencode(base)):
        dirs[:] = [d for d in dirs if not (root.endswith(b"/work") and d == b"out")]
        for name in files:
            full = os.path.join(root, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                seen[full] = ("link", os.readlink(full)) if stat.S_ISLNK(info.st_mode) else "other"
            elif info.st_size > HUGE_OUTPUT:
                seen[full] = (info.st_size, info.st_mtime_ns)
            else:
                with open(full, "rb") as handle:
                    seen[full] = hashlib.sha256(handle.read()).hexdigest()
    return seen


# -- commands and the oracle ---------------------------------------------------------


@dataclass
class Command:
    signature: str  # the command without its paths: what failures are de-duplicated by
    argv: list[str]
    stdin: Path | None = None
    parse: str = ""  # "xml" or "json": what a non-empty stdout must parse as
    closed: bool = False  # stdout a pipe whose reader has gone (`blueprint lint | head`)


def commands(recipe: dict[str, Any], base: Path) -> list[Command]:
    targets = [("./" + t if t.startswith("-") and t != "-" else t) for t in recipe["targets"]]
    show = recipe["show"]
    show = "./" + show if show.startswith("-") and show != "-" else show
    extra: list[str] = []
    stdin = None
    tag = ""
    if "stdin" in recipe:
        extra = ["--stdin-filename", recipe["stdin"]["name"]]
        stdin, tag = base / "stdin.yaml", " [stdin]"
    if recipe.get("follow"):
        extra.append("--follow-external-links")
        tag += " [follow]"
    cmds = [
        Command(
            f"lint --format {fmt}{tag}",
            ["lint", *targets, "--format", fmt, *extra],
            stdin,
            {"junit": "xml", "json": "json", "sarif": "json", "gitlab": "json"}.get(fmt, ""),
        )
        for fmt in ("text", "json", "sarif", "github", "junit", "gitlab")
    ]
    cmds += [
        Command(
            f"show --format {fmt}{tag}",
            ["show", show, "--format", fmt, *extra],
            stdin,
            "json" if fmt == "json" else "",
        )
        for fmt in ("text", "json")
    ]
    cmds += [
        Command(
            f"failpoints --format {fmt}{tag}",
            ["failpoints", *targets, "--format", fmt, *extra],
            stdin,
            "json" if fmt == "json" else "",
        )
        for fmt in ("text", "json", "csv", "markdown")
    ]
    out = recipe["output"]
    cmds.append(
        Command(
            f"render --format dot -o {'DIR' if out.endswith('/') else 'FILE'}{tag}",
            ["render", *targets, "--format", "dot", "-o", out, *extra],
            stdin,
        )
    )
    if recipe.get("report_to"):
        cmds.append(
            Command(
                f"lint --format json --output-file LINK{tag}",
                [
                    "lint",
                    *targets,
                    "--format",
                    "json",
                    "--output-file",
                    recipe["report_to"],
                    *extra,
                ],
                stdin,
            )
        )
    if not recipe.get("follow"):  # no options: the fast path (how pre-commit runs the hook)
        cmds.append(Command("lint (fast path)", ["lint", *targets], stdin))
        cmds.append(
            Command("closed-stdout: lint (fast path)", ["lint", *targets], stdin, closed=True)
        )
    cmds.append(
        Command(
            f"closed-stdout: lint --format json{tag}",
            ["lint", *targets, "--format", "json", *extra],
            stdin,
            closed=True,
        )
    )
    only = recipe.get("commands")  # signatures, or their beginnings
    return [c for c in cmds if only is None or c.signature.startswith(tuple(only))]


@dataclass
class Outcome:
    command: Command
    code: int
    elapsed: float
    stdout: bytes
    stderr: bytes
    sizes: tuple[int, int]
    timed_out: bool


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_FSIZE, (2 * MEMORY_CAP, 2 * MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI", "FORCE_COLOR")},
    "NO_COLOR": "1",
    "LC_ALL": "C.UTF-8",
    "COLUMNS": "100",
}


def run(cmd: Command, work: Path, timeout: float) -> Outcome:
    """One command as a real process in ``work``: under the memory cap, killed at ``timeout``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdin = open(cmd.stdin, "rb") if cmd.stdin else subprocess.DEVNULL  # noqa: SIM115
        start = time.monotonic()
        proc = subprocess.Popen(
            [str(BLUEPRINT), *cmd.argv],
            cwd=work,
            stdin=stdin,
            stdout=subprocess.PIPE if cmd.closed else out,
            stderr=err,
            preexec_fn=_capped,
            env=ENV,
            start_new_session=True,
        )
        if proc.stdout is not None:
            proc.stdout.close()  # the reader is gone before the first write
        timed_out = False
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
        finally:
            if cmd.stdin:
                stdin.close()  # type: ignore[union-attr]
        elapsed = time.monotonic() - start
        sizes = (out.tell(), err.tell())
        out.seek(0)
        err.seek(0)
        return Outcome(
            cmd,
            code,
            elapsed,
            out.read(HUGE_OUTPUT + 1),
            err.read(HUGE_OUTPUT + 1),
            sizes,
            timed_out,
        )


def _escaping(stream: str, data: bytes, github: bool) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    text = data.decode("utf-8", errors="surrogateescape")
    if b"\x1b" in data:
        found.append(("raw-esc", _around(data, b"\x1b")))
    if b"\r" in data:
        found.append(("raw-cr", _around(data, b"\r")))
    odd = ODD.search(text)
    if odd:
        found.append(("raw-bidi-or-zero-width", f"U+{ord(odd.group()):04X}"))
    control = CONTROL.search(data)
    if control:
        found.append(("raw-control", f"0x{control.group()[0]:02x}"))
    if C1_CHARS.search(text):
        found.append(("raw-c1", "a C1 control character (U+0080-U+009F)"))
    bad = UNDECODABLE.search(text)
    if bad:
        found.append(("raw-invalid-utf8", repr(text[max(0, bad.start() - 30) : bad.start() + 30])))
    for line in data.split(b"\n"):
        if not line.startswith(b"::"):
            continue
        if not (
            github and stream == "stdout" and re.match(rb"::(error|warning|notice) file=", line)
        ):
            found.append(("fake-annotation", repr(line[:120])))
            break
        if not ANNOTATION.match(line):
            found.append(("malformed-annotation", repr(line[:160])))
            break
    return [(f"{kind} ({stream})", detail) for kind, detail in found]


def _around(data: bytes, needle: bytes) -> str:
    at = data.find(needle)
    return repr(data[max(0, at - 40) : at + 40])


SLOW = 20.0  # seconds: a command slower than this is reported (kind "slow"), not failed
LONG_LINE = 20_000  # bytes: a line of text output longer than this quotes a whole value


def judge(
    outcome: Outcome, recipe: dict[str, Any], timeout: float, input_bytes: int = 0
) -> list[tuple[str, str]]:
    """(kind, detail) for everything wrong with one command's run."""
    cmd, found = outcome.command, []
    if outcome.timed_out:
        return [("timeout", f"killed after {timeout:.0f} s")]
    if outcome.elapsed > SLOW:
        found.append(("slow", f"{outcome.elapsed:.1f} s"))
    err = outcome.stderr.decode("utf-8", errors="replace")
    out_tail = outcome.stdout[-4000:].decode("utf-8", errors="replace")
    if "Traceback (most recent call last)" in err + out_tail:
        raised = EXCEPTION.findall(err) or ["?"]
        found.append((f"traceback:{raised[-1]}", err.strip()[-200:]))
    elif "MemoryError" in err:
        found.append(("memory-error", err[-200:]))
    if outcome.code not in (0, 1, 2):
        meaning = f"signal {-outcome.code}" if outcome.code < 0 else f"exit {outcome.code}"
        found.append((f"exit-code {outcome.code}", meaning))
    for stream, size in zip(("stdout", "stderr"), outcome.sizes, strict=True):
        if size > HUGE_OUTPUT:
            found.append((f"huge-output ({stream})", f"{size:,} bytes"))
        elif size > 8 * 1024**2 and size > 10 * input_bytes:
            found.append(
                (f"output-amplification ({stream})", f"{size:,} bytes from {input_bytes:,}")
            )
    for stream, data in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        if stream == "stdout" and cmd.parse == "json":
            continue  # one line may be the whole document
        longest = max((len(line) for line in data.split(b"\n")), default=0)
        if longest > LONG_LINE:
            found.append((f"overlong-line ({stream})", f"a line of {longest:,} bytes"))
    if recipe["family"] == "names":
        github = "--format github" in cmd.signature
        found += _escaping("stdout", outcome.stdout, github)
        found += _escaping("stderr", outcome.stderr, github)
    if cmd.parse and outcome.stdout.strip() and outcome.sizes[0] <= HUGE_OUTPUT:
        try:
            if cmd.parse == "xml":
                ElementTree.fromstring(outcome.stdout)
            else:
                json.loads(outcome.stdout)
        except (ElementTree.ParseError, ValueError) as exc:
            kind = "junit-not-xml" if cmd.parse == "xml" else "json-invalid"
            found.append((kind, str(exc)[:200]))
    if recipe["family"] == "links" and MARKER.encode() in outcome.stdout + outcome.stderr:
        form = recipe["secret"]
        if not recipe.get("follow"):
            found.append(("secret-leak", f"the {form} secret, a link not followed"))
        elif form in NEVER_QUOTED:
            found.append(("secret-leak-followed", f"the {form} secret quoted"))
    return found


@dataclass
class Failure:
    command: str
    kind: str
    detail: str
    argv: list[str]
    recipe: dict[str, Any]
    exit_code: int
    elapsed: float
    stderr: str
    stdout: str


def run_scenario(
    recipe: dict[str, Any], timeout: float, only: str | None = None
) -> tuple[list[Failure], int]:
    """Build the recipe, run its commands (or only the one whose signature is ``only``);
    every failure, and how many commands ran."""
    failures: list[Failure] = []
    ran = 0
    with tempfile.TemporaryDirectory(prefix="bpfuzz-") as tmp:
        base = Path(tmp)
        work = build_scenario(recipe, base)
        before = _snapshot(base)
        input_bytes = sum(
            os.stat(k).st_size for k, v in before.items() if isinstance(v, str) and v != "other"
        )
        outside = set(os.listdir(base / "outside"))
        # what the commands write (a link there is replaced, never written through)
        written = {
            os.fsencode(work / recipe["output"]),
            os.fsencode(work / recipe.get("report_to", "out")),
        }
        for cmd in commands(recipe, base):
            if only is not None and cmd.signature != only:
                continue
            outcome = run(cmd, work, timeout)
            ran += 1
            found = judge(outcome, recipe, timeout, input_bytes)
            after = _snapshot(base)
            changed = [
                os.path.relpath(k, os.fsencode(base))
                for k in sorted(set(before) | set(after))
                if before.get(k) != after.get(k) and k not in written
            ]
            if changed:
                found.append(("input-modified", repr(changed[:5])))
            before = after
            now = set(os.listdir(base / "outside"))
            if now - outside:
                found.append(("wrote-outside", repr(sorted(now - outside))))
                outside = now
            failures += [
                Failure(
                    cmd.signature,
                    kind,
                    detail,
                    cmd.argv,
                    recipe,
                    outcome.code,
                    round(outcome.elapsed, 2),
                    outcome.stderr[:300].decode("utf-8", errors="backslashreplace"),
                    outcome.stdout[:300].decode("utf-8", errors="backslashreplace"),
                )
                for kind, detail in found
            ]
    return failures, ran


# -- shrinking: a smaller recipe that fails the same way -------------------------------

_HALVE = (
    "length",
    "copies",
    "uses",
    "steps",
    "actions",
    "fail_points",
    "flows",
    "phases",
    "actors",
    "links",
    "levels",
)


def _renamed(recipe: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The recipe with the file or folder ``old`` called ``new`` wherever it is named."""

    def move(path: str) -> str:
        if path == old:
            return new
        return new + path[len(old) :] if path.startswith(old + "/") else path

    out = copy.deepcopy(recipe)
    for entry in out["entries"]:
        entry["path"] = move(entry["path"])
    out["targets"] = [move(t) for t in out["targets"]]
    out["show"] = move(out["show"])
    out["output"] = "out/" + move(out["output"][4:]) if out["output"] != "out/" else "out/"
    return out


def _plainer(name: str) -> list[str]:
    """Names with less in them: one hostile piece alone, or none."""
    ext = next((e for e in (".yaml", ".yml", ".dot") if name.endswith(e)), "")
    found = [part for part in NAME_PARTS if part in name]
    out = [f"a{part}{ext}" for part in found if f"a{part}{ext}" != name]
    return [*out, f"plain{ext}"] if name != f"plain{ext}" else out


def _simpler_names(recipe: dict[str, Any]) -> list[dict[str, Any]]:
    if recipe["family"] != "names":
        return []
    out: list[dict[str, Any]] = []
    names = {e["path"] for e in recipe["entries"]}
    if recipe["output"] != "out/":
        names.add(recipe["output"][4:])
    for path in sorted(names):
        parts = path.split("/")
        for i, part in enumerate(parts):
            prefix = "/".join(parts[:i])
            old = "/".join(parts[: i + 1])
            if i == 0 and len(parts) > 1 and path in recipe["targets"]:  # the folder: drop it
                out.append(_renamed(recipe, path, parts[-1]))
            for simpler in _plainer(part):
                new = f"{prefix}/{simpler}" if prefix else simpler
                if new not in names:
                    out.append(_renamed(recipe, old, new))
    if "stdin" in recipe:
        for simpler in _plainer(recipe["stdin"]["name"]):
            out.append({**recipe, "stdin": {**recipe["stdin"], "name": simpler}})
    return out


def _smaller(recipe: dict[str, Any]) -> list[dict[str, Any]]:
    """Candidates one step smaller: an entry or a target dropped, a number halved."""
    out: list[dict[str, Any]] = []
    entries = recipe["entries"]
    needed = set(recipe["targets"]) | {recipe["show"]}
    for i, entry in enumerate(entries):
        if entry["path"] in needed or len(entries) == 1:
            continue
        out.append({**recipe, "entries": entries[:i] + entries[i + 1 :]})
    if len(recipe["targets"]) > 1:
        for t in recipe["targets"]:
            out.append({**recipe, "targets": [x for x in recipe["targets"] if x != t]})
    for i, entry in enumerate(entries):
        spec = entry.get("content", {})
        for key in _HALVE:
            if isinstance(spec.get(key), int) and spec[key] > 1:
                smaller = {**spec, key: max(1, spec[key] // 2)}
                if key == "length":
                    smaller[key] = max(16, spec[key] // 4)
                if smaller[key] != spec[key]:
                    out.append(
                        {
                            **recipe,
                            "entries": [
                                *entries[:i],
                                {**entry, "content": smaller},
                                *entries[i + 1 :],
                            ],
                        }
                    )
        if isinstance(spec.get("sites"), list) and len(spec["sites"]) > 1:
            for site in spec["sites"]:
                less = [s for s in spec["sites"] if s != site]
                out.append(
                    {
                        **recipe,
                        "entries": [
                            *entries[:i],
                            {**entry, "content": {**spec, "sites": less}},
                            *entries[i + 1 :],
                        ],
                    }
                )
    return out + _simpler_names(recipe)


def shrink(failure: Failure, timeout: float, budget: float) -> dict[str, Any]:
    """Greedily the smallest recipe on which the same command fails the same way."""
    recipe, deadline = failure.recipe, time.monotonic() + budget
    progress = True
    while progress and time.monotonic() < deadline:
        progress = False
        for candidate in _smaller(recipe):
            if time.monotonic() > deadline:
                break
            try:
                again, _ = run_scenario(candidate, min(timeout, 30.0), only=failure.command)
            except OSError:
                continue
            if any(f.kind == failure.kind for f in again):
                recipe, progress = candidate, True
                break
    return recipe


# -- the record --------------------------------------------------------------------------


class Record:
    """Failures de-duplicated by (command, kind), kept in a JSON file as they come."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.by_key: dict[tuple[str, str], dict[str, Any]] = {}
        self.lock = threading.Lock()

    def add(self, failure: Failure) -> bool:
        """Count the failure; True when (command, kind) is new."""
        key = (failure.command, failure.kind)
        with self.lock:
            if key in self.by_key:
                self.by_key[key]["count"] += 1
                return False
            self.by_key[key] = {
                "command": failure.command,
                "kind": failure.kind,
                "count": 1,
                "first": asdict(failure),
            }
            return True

    def minimal(self, failure: Failure, recipe: dict[str, Any]) -> None:
        with self.lock:
            self.by_key[(failure.command, failure.kind)]["minimal_recipe"] = recipe

    def save(self, totals: dict[str, Any]) -> None:
        if self.path is None:
            return
        with self.lock:
            data = {
                "totals": totals,
                "failures": sorted(self.by_key.values(), key=lambda f: (f["kind"], f["command"])),
            }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        tmp.replace(self.path)


def shell_quote(arg: str) -> str:
    """``arg`` for bash: quoted as usual, or as $'...' with escapes when not printable."""
    raw = os.fsencode(arg)
    if all(0x20 <= b < 0x7F for b in raw):
        return shlex.quote(arg)
    out = []
    for b in raw:
        ch = chr(b)
        out.append("\\" + ch if ch in "\\'" else ch if 0x20 <= b < 0x7F else f"\\x{b:02x}")
    return "$'" + "".join(out) + "'"


def replay(failures: Path, into: Path) -> None:
    """Rebuild each recorded failure's (minimal) recipe under ``into``, print how to run it."""
    data = json.loads(failures.read_text("utf-8"))
    for i, failure in enumerate(data["failures"]):
        recipe = failure.get("minimal_recipe") or failure["first"]["recipe"]
        base = into / f"{i:03d}"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        work = build_scenario(recipe, base)
        cmd = next((c for c in commands(recipe, base) if c.signature == failure["command"]), None)
        argv = " ".join(shell_quote(a) for a in (cmd.argv if cmd else failure["first"]["argv"]))
        feed = " < ../stdin.yaml" if cmd and cmd.stdin else ""
        print(f"{i:03d} {failure['kind']}: cd {shlex.quote(str(work))} && blueprint {argv}{feed}")


# --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Fuzz every command: mutated examples in-process, and scenarios (sizes, "
        "names, links) as real processes under a memory cap and a time limit."
    )
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument(
        "--families",
        default="inprocess," + ",".join(FAMILIES),
        help="comma-separated: inprocess, size, names, links",
    )
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="scenarios run at once"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per command")
    parser.add_argument(
        "--seed", type=int, default=int(time.time()), help="the first scenario's seed"
    )
    parser.add_argument("--failures", type=Path, default=Path("build/fuzz-failures.json"))
    parser.add_argument(
        "--shrink-seconds",
        type=float,
        default=60.0,
        help="time to shrink each new failure (0: none)",
    )
    parser.add_argument("--replay", type=Path, help="rebuild the failures of this file's recipes")
    parser.add_argument("--into", type=Path, default=Path("build/fuzz-replay"))
    args = parser.parse_args()
    if args.replay:
        replay(args.replay, args.into)
        return
    families = [f for f in args.families.split(",") if f]
    scenario_families = [f for f in families if f in FAMILIES]
    record = Record(args.failures)
    totals: dict[str, Any] = {
        "inputs": 0,
        "inprocess_inputs": 0,
        "scenarios": 0,
        "command_runs": 0,
        "first_seed": args.seed,
        "families": families,
    }
    start = time.monotonic()
    end = start + args.minutes * 60

    spent = dict.fromkeys(families, 0.0)  # seconds each family has had: shared out evenly
    shrunk: dict[tuple[str, str], dict[str, Any]] = {}

    def one_scenario(family: str, seed: int) -> None:
        began = time.monotonic()
        recipe = recipe_for(family, seed)
        failures, ran = run_scenario(recipe, args.timeout)
        with record.lock:
            totals["scenarios"] += 1
            totals["inputs"] += 1
            totals["command_runs"] += ran
            totals[f"scenarios_{family}"] = totals.get(f"scenarios_{family}", 0) + 1
            totals[f"command_runs_{family}"] = totals.get(f"command_runs_{family}", 0) + ran
        for failure in failures:
            if record.add(failure):
                print(f"NEW {failure.kind}: {failure.command} ({family} seed {seed})", flush=True)
                key = (family, failure.kind)
                if key not in shrunk and args.shrink_seconds > 0 and time.monotonic() < end:
                    shrunk[key] = shrink(failure, args.timeout, args.shrink_seconds)
                if key in shrunk:
                    record.minimal(failure, shrunk[key])
                record.save(totals)
        with record.lock:
            spent[family] += time.monotonic() - began

    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    pending: set[Future[None]] = set()
    seed = args.seed
    last_report = 0.0

    @settings(
        max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(mutated())
    def once(raw: bytes) -> None:
        with record.lock:
            totals["inprocess_inputs"] += 1
            totals["inputs"] += 1
        try:
            run_everything(raw)
        except Exception as exc:
            failure = Failure(
                "in-process run_everything",
                f"exception:{type(exc).__name__}",
                str(exc)[:200],
                [],
                {"family": "inprocess", "raw": raw[:2000].decode("utf-8", "backslashreplace")},
                -1,
                0.0,
                traceback.format_exc()[-300:],
                "",
            )
            if record.add(failure):
                print(f"NEW {failure.kind}: in-process", flush=True)
                record.save(totals)

    running: dict[str, int] = dict.fromkeys(families, 0)

    def least_served(names: list[str]) -> str:
        return min(names, key=lambda f: (spent[f] + 30 * running[f], names.index(f)))

    def finished(family: str) -> Any:
        def callback(_: Future[None]) -> None:
            with record.lock:
                running[family] -= 1

        return callback

    while time.monotonic() < end:
        while scenario_families and len(pending) < max(1, args.jobs):
            family = least_served(scenario_families)
            with record.lock:
                running[family] += 1
            future = pool.submit(one_scenario, family, seed)
            future.add_done_callback(finished(family))
            pending.add(future)
            seed += 1
        if "inprocess" in families and least_served(families) == "inprocess":
            began = time.monotonic()
            once()
            spent["inprocess"] += time.monotonic() - began
        if pending:
            done, pending = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()
        if time.monotonic() - last_report > 60:
            last_report = time.monotonic()
            record.save(totals)
            print(
                f"{(last_report - start) / 60:6.1f} min  {totals['inputs']:>9,} inputs  "
                f"{totals['command_runs']:>7,} command runs  "
                f"{len(record.by_key)} distinct failures",
                flush=True,
            )
    for future in pending:
        future.result()
    pool.shutdown()
    totals["minutes"] = round((time.monotonic() - start) / 60, 1)
    record.save(totals)
    print(
        f"fuzzing done: {totals['inputs']:,} inputs ({totals['inprocess_inputs']:,} in-process, "
        f"{totals['scenarios']:,} scenarios, {totals['command_runs']:,} command runs) in "
        f"{totals['minutes']} minutes; {len(record.by_key)} distinct failures"
        + (f", in {args.failures}" if record.by_key else "")
    )


if __name__ == "__main__":
    main()
