"""The observation format's JSON Schema agrees with the loader, as the blueprint's does."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from blueprint_cli.load import load_bytes
from blueprint_cli.model.observation import Observation
from blueprint_cli.model.schema import observation_schema_text
from blueprint_cli.model.validation import validate_as
from tests.conftest import ROOT

SCHEMA = ROOT / "schemas" / "observation.schema.json"
VISITS = ROOT / "examples" / "audits"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_schema_file_is_generated_from_the_model() -> None:
    assert SCHEMA.read_text("utf-8") == observation_schema_text()


def base() -> dict[str, Any]:
    return {
        "observation": 1,
        "blueprint": "../hotel.yaml",
        "visit": {"id": "v07", "date": "2026-11-28", "method": "mystery"},
        "steps": {
            "check-in": {
                "evidence": {"key-card": "yes"},
                "actions": {"register": {"done": "yes", "wait": "7m", "script": "partial"}},
                "fail_points": {"no-reservation": {"occurred": "yes", "recovered": "no"}},
            }
        },
    }


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


STEP = ("steps", "check-in")
CASES = [
    ((*STEP,), "not-observed", True),
    ((*STEP,), "skipped", False),
    ((*STEP, "evidence", "key-card"), "no", True),
    ((*STEP, "evidence", "key-card"), True, True),
    ((*STEP, "evidence", "key-card"), "partial", False),
    ((*STEP, "evidence", "key-card"), "Yes", False),
    ((*STEP, "evidence", "key-card"), {"present": "no", "note": "gone"}, True),
    ((*STEP, "actions", "register"), "partial", True),
    ((*STEP, "actions", "register"), 1, False),
    ((*STEP, "actions", "register", "wait"), "7", False),
    ((*STEP, "actions", "register", "colour"), "red", False),
    ((*STEP, "fail_points", "no-reservation"), "no", True),
    ((*STEP, "fail_points", "no-reservation", "detected"), "maybe", False),
    (("visit", "date"), "28/11/2026", False),
    (("visit", "method"), "phone call", False),
    (("visit", "segment"), "a b", False),
    (("observation",), 2, False),
    (("blueprint_sha256",), "abc", False),
    (("blueprint_sha256",), "a" * 64, True),
    (("unplanned",), [{"step": "check-out", "text": "Card reader offline", "severity": 6}], True),
    (("unplanned",), [{"step": "check-out", "text": "Card reader offline", "severity": 11}], False),
]


@pytest.mark.parametrize(("path", "value", "accepted"), CASES, ids=lambda v: repr(v)[:30])
def test_schema_and_loader_follow_one_policy(
    validator: Draft202012Validator, path: tuple[Any, ...], value: Any, accepted: bool
) -> None:
    data = _set(base(), path, value)
    text = yaml.safe_dump(data, sort_keys=False)
    loaded = load_bytes(text.encode())
    model, problems, _ = validate_as(loaded, Observation)
    errors = [p for p in problems if p.code != "BP007"]
    schema_ok = not list(validator.iter_errors(loaded.data))
    assert (schema_ok, model is not None and not errors) == (accepted, accepted), errors


def test_the_example_visits_validate(validator: Draft202012Validator) -> None:
    for path in sorted(VISITS.rglob("*.yaml")):
        data = load_bytes(path.read_bytes()).data
        assert list(validator.iter_errors(data)) == [], path
