"""The JSON Schema agrees with the loader: examples pass it, typos fail it."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from blueprint_cli.load import load_bytes
from blueprint_cli.model.schema import json_schema
from tests.conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / "blueprint.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_validate_against_the_schema(validator: Draft202012Validator, path) -> None:  # type: ignore[no-untyped-def]
    data = load_bytes(path.read_bytes()).data
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    "text",
    [
        "blueprint: 1\nsteps: [{title: A, evidance: [x]}]\n",
        "blueprint: 2\n",
        "blueprint: 1\nflows: ['a => b']\n",
        "blueprint: 1\nsteps: [{title: A, frontstage: [{text: x, duration: 5 minutes}]}]\n",
        "blueprint: 1\nsteps: [{id: a b, title: A}]\n",
    ],
)
def test_schema_rejects_what_lint_rejects(validator: Draft202012Validator, text: str) -> None:
    data = load_bytes(text.encode()).data
    assert list(validator.iter_errors(data)) != []


def test_shorthands_are_in_the_schema() -> None:
    action = json_schema()["$defs"]["Action"]
    assert action["anyOf"][0]["type"] == "string"
    assert action["anyOf"][1]["additionalProperties"] is False
