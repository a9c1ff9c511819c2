"""One truth for the format: the JSON Schema editors use and `blueprint lint` accept and
reject the same files.

Two other implementations judge the schema's side: ``jsonschema`` (with format
checking) in process, and check-jsonschema, which reads the YAML itself and matches
patterns as ECMA-262 does, as editors do; lint's side is its structural findings
(BP001-BP003). ``make clients`` adds ajv and the YAML language server (test_clients.py).
They are compared on the issue's named cases, on the examples, and on hundreds of
variants of the examples that hypothesis makes by mutating types, durations, ids,
scores and flows.

What JSON Schema cannot express is left out on purpose, and lint alone checks it: unique
ids and keys, references between items (BP004-BP006), and the ten-year bound on a
duration (a typo, not a shape).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from blueprint_cli.load import load_bytes
from blueprint_cli.model.validation import check_bytes
from tests.conftest import EXAMPLES, ROOT

STRUCTURAL = {"BP001", "BP002", "BP003"}
SCHEMA = json.loads((ROOT / "schemas" / "blueprint.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
SOURCES = sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*/*.yaml")])


def plain(value: Any) -> Any:
    """The loader's data as JSON types (its numbers remember their source text)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    return float(value)


def schema_accepts(data: Any) -> bool:
    return not any(True for _ in VALIDATOR.iter_errors(data))


def lint_accepts(text: str) -> tuple[bool, list[str]]:
    problems = check_bytes(text.encode()).problems
    structural = [f"{p.code} {p.message}" for p in problems if p.code in STRUCTURAL]
    return not structural, structural


def dump(data: Any) -> str:
    # PyYAML quotes every string a YAML 1.1 reader would take for something else, so the
    # text means the same to lint's YAML 1.2 reader; checked below.
    return yaml.dump(
        data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000
    )


def verdicts(data: Any) -> tuple[bool, bool, list[str]]:
    text = dump(data)
    assert plain(load_bytes(text.encode()).data) == data, text
    lint_ok, why = lint_accepts(text)
    return schema_accepts(data), lint_ok, why


def base() -> dict[str, Any]:
    return {
        "blueprint": 1,
        "phases": [{"id": "visit", "title": "Visit"}],
        "actors": [{"id": "clerk", "title": "Clerk"}],
        "steps": [
            {
                "id": "pay",
                "title": "Pay",
                "phase": "visit",
                "customer": [{"id": "give-card", "text": "Give card"}],
                "frontstage": [
                    {
                        "id": "charge",
                        "text": "Charge",
                        "actor": "clerk",
                        "duration": "1m",
                        "wait": {"expected": "2m", "max": "5m"},
                        "fail_points": [{"id": "declined", "text": "Declined", "severity": 5}],
                    }
                ],
            }
        ],
        "flows": ["give-card -> charge"],
    }


def at(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


ACTION = ("steps", 0, "frontstage", 0)
FAIL = (*ACTION, "fail_points", 0)

#: The issue's cases, with the policy both follow (True: accepted).
#: Text is a string or a number kept as written; ids, references and durations are
#: strings; scores are whole numbers, never text or booleans; ids may use the letters
#: of any script, durations ASCII digits only.
CASES = [
    (("blueprint",), True, False),
    (("blueprint",), "1", False),
    ((*FAIL, "severity"), True, False),
    ((*FAIL, "severity"), "7", False),
    ((*FAIL, "severity"), 7.0, True),
    ((*FAIL, "severity"), 7.5, False),
    ((*FAIL, "severity"), 11, False),
    ((*ACTION, "duration"), "", False),
    ((*ACTION, "duration"), "   ", False),
    ((*ACTION, "duration"), "P", False),
    ((*ACTION, "duration"), "PT", False),
    ((*ACTION, "duration"), "P1DT", False),
    ((*ACTION, "duration"), "P1DT2H", True),
    ((*ACTION, "duration"), " 1h 30m ", True),
    ((*ACTION, "duration"), "５m", False),
    ((*ACTION, "duration"), 5, False),
    ((*ACTION, "wait"), 10, False),
    ((*ACTION, "wait"), "10m", True),
    ((*ACTION, "wait"), "Queue at the desk", True),
    (("flows", 0), "a->b->c", False),
    (("flows", 0), "a -> b!", False),
    (("flows", 0), "give-card->charge", True),
    (("flows", 0), "give-card-->charge", True),
    (("title",), 2024, True),
    (("title",), 1.5, True),
    (("title",), True, False),
    ((*ACTION, "text"), 3, True),
    (("steps", 0, "id"), 42, False),
    (("steps", 0, "id"), "42", True),
    (("steps", 0, "id"), "café", True),
    (("steps", 0, "id"), "прием-гостя", True),
    (("steps", 0, "id"), "🙂", False),
    (("steps", 0, "id"), "a b", False),
    (("steps", 0, "id"), "", False),
    (("steps", 0, "evidence"), [42], True),
    (("steps", 0, "phase"), 1, False),
    (("actors", 0, "kind"), "robot", False),
    # the segments' standards, emotion and metrics follow the same policy
    (("steps", 0, "emotion"), -2, True),
    (("steps", 0, "emotion"), 3, False),
    (("steps", 0, "emotion"), "-1", False),
    (("steps", 0, "emotion"), True, False),
    (("steps", 0, "emotion"), 1.5, False),
    (("steps", 0, "emotion"), {"customer": -1, "staff": 2}, True),
    (("steps", 0, "emotion"), {"customer": -1, "mood": 2}, False),
    (("steps", 0, "metrics"), ["csat"], True),
    (("steps", 0, "metrics"), [5], False),
    (("steps", 0, "metrics"), ["a b"], False),
    (("steps", 0, "metrics"), [{"unit": "min"}], False),
    (("steps", 0, "metrics"), [{"title": "Queue", "target": 3, "direction": "down"}], True),
    (("steps", 0, "metrics"), [{"title": "Queue", "target": "3"}], False),
    (("steps", 0, "metrics"), [{"title": "Queue", "direction": "sideways"}], False),
    (("steps", 0, "channel"), "phone", True),
    (("steps", 0, "channel"), 7, False),
    ((*ACTION, "regulations"), ["gdpr"], True),
    ((*ACTION, "regulations"), "gdpr", False),
    (("segments",), [{"title": "Business", "standards": {"max_wait": "3m"}}], True),
    (("segments",), [{"title": "Business", "standards": {"max_wait": 3}}], False),
]


@pytest.mark.parametrize(("path", "value", "accepted"), CASES, ids=lambda v: repr(v)[:30])
def test_schema_and_lint_follow_one_policy(
    path: tuple[Any, ...], value: Any, accepted: bool
) -> None:
    data = at(base(), path, value)
    schema_ok, lint_ok, why = verdicts(data)
    assert (schema_ok, lint_ok) == (accepted, accepted), why


def test_the_base_blueprint_is_clean() -> None:
    assert verdicts(base())[:2] == (True, True)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_examples_pass_both(path: Path) -> None:
    data = plain(load_bytes(path.read_bytes()).data)
    assert schema_accepts(data)
    assert lint_accepts(path.read_text("utf-8"))[0]


# ---------------------------------------------------------------------------- variants

#: Values that have tripped one side or the other: every type, durations right and
#: wrong, ids in scripts, scores out of range, flows of every shape.
POOL: list[Any] = [
    None, True, False, 0, 1, 7, 10, 11, -1, 42, 7.0, 7.5, 1e3,
    "", "   ", "x", "7", "10", "true", "2024-01-01",
    "5m", "90s", "1h30m", "1h 30m", "2d", "PT5M", "P1W", "P", "PT", "P1DT", "PT5M ",
    "５m", "5 m", "10 min", "5", "1.5h", "1.h",
    "café", "прием", "受付", "🙂", "a b", "a.b:c/d", "-a", "_a",
    "a -> b", "a->b", "a->b->c", "a -> b!", "-> b", "a ->", "a => b",
    "person", "system", "visit", "pre-visit",
    [], ["x"], [1], [None], {}, {"text": "x"}, {"title": "x"}, {"from": "a", "to": "b"},
    {"bogus": 1}, {"expected": "5m"}, {"severity": 3, "text": "x"},
]  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found.extend(_paths(value, (*prefix, i)))
    return found


def _mappings(data: Any) -> list[tuple[Any, ...]]:
    return [p for p in [(), *_paths(data)] if isinstance(_get(data, p), dict)]


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _originals() -> list[dict[str, Any]]:
    return [base(), *(plain(load_bytes(p.read_bytes()).data) for p in SOURCES[:3])]


ORIGINALS = _originals()
KEYS = ["id", "title", "text", "severity", "duration", "wait", "max", "phase", "kind", "from"]


@st.composite
def variants(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(draw(st.sampled_from(ORIGINALS))))
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["replace", "replace", "replace", "add", "delete"]))
        value = json.loads(json.dumps(draw(st.sampled_from(POOL))))  # a fresh copy
        if op == "replace":
            at(data, draw(st.sampled_from(_paths(data))), value)
            continue
        target = _get(data, draw(st.sampled_from(_mappings(data))))
        if op == "add":
            target[draw(st.sampled_from(KEYS))] = value
        elif target:
            del target[draw(st.sampled_from(sorted(target)))]
    return data


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(variants())
def test_schema_and_lint_agree_on_generated_variants(data: dict[str, Any]) -> None:
    schema_ok, lint_ok, why = verdicts(data)
    errors = [e.message for e in VALIDATOR.iter_errors(data)][:3]
    assert schema_ok == lint_ok, (errors, why, dump(data)[:2000])


def documents(count: int = 300) -> list[tuple[str, Any, bool]]:
    """The named cases and ``count`` generated variants, each with lint's verdict: the
    documents the other clients of the schema are checked on."""
    docs = [
        (f"case-{i:02d}", at(base(), path, value), accepted)
        for i, (path, value, accepted) in enumerate(CASES)
    ]
    found: list[Any] = []

    @settings(max_examples=count, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(variants())
    def collect(data: Any) -> None:
        found.append(data)

    collect()
    docs += [(f"variant-{i:03d}", d, lint_accepts(dump(d))[0]) for i, d in enumerate(found)]
    return docs


def test_check_jsonschema_agrees(tmp_path: Path) -> None:
    """check-jsonschema reads the YAML itself (ruamel.yaml, YAML 1.2) and matches patterns
    as ECMA-262 does (regress), as editors do: a third reading of the same files."""
    docs = documents(150)  # a process over every file: fewer than in-process
    files = []
    for name, data, _ in docs:
        files.append(tmp_path / f"{name}.yaml")
        files[-1].write_text(dump(data), encoding="utf-8")
    tool = Path(sys.executable).with_name("check-jsonschema")
    run = subprocess.run(
        [str(tool), "--schemafile", str(ROOT / "schemas" / "blueprint.schema.json"),
         "-o", "json", *map(str, files)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    result = json.loads(run.stdout)
    rejected = {Path(e["filename"]).stem for e in result["errors"] + result["parse_errors"]}
    disagree = [(n, ok, d) for n, d, ok in docs if (n not in rejected) != ok]
    assert len(docs) > 150
    assert not disagree, disagree[:5]
