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
    assert action["anyOf"][0]["type"] == ["string", "number"]  # text, or a number as written
    assert action["anyOf"][1]["additionalProperties"] is False


def _properties(node: object, where: str = "") -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    found = []
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            found.append((f"{where}.{key}", prop))
        for key, value in node.items():
            found.extend(_properties(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for value in node:
            found.extend(_properties(value, where))
    return found


def test_every_property_is_documented_for_hover_and_completion() -> None:
    schema = json_schema()
    properties = _properties(schema)
    assert len(properties) > 50
    for where, prop in properties:
        assert prop.get("description"), where
        assert prop["markdownDescription"].startswith(prop["description"]), where
        assert "```yaml\n" in prop["markdownDescription"], where


def test_examples_and_defaults_are_valid_values(validator: Draft202012Validator) -> None:
    """Completion inserts defaults and examples: each must pass its own property's schema
    (an `id: ""` default failed the id pattern)."""
    schema = json_schema()
    for where, prop in _properties(schema):
        sub = Draft202012Validator({**prop, "$defs": schema["$defs"]})
        for value in [*prop.get("examples", []), *([prop["default"]] if "default" in prop else [])]:
            assert list(sub.iter_errors(value)) == [], (where, value)


def test_schema_is_ready_for_schemastore() -> None:
    schema = json_schema()
    assert schema["$id"].startswith("https://") and schema["$id"].endswith(".json")
    assert schema["title"] and schema["description"]
    Draft202012Validator.check_schema(schema)
    entry = json.loads((ROOT / "schemas" / "schemastore-catalog-entry.json").read_text("utf-8"))
    assert entry["url"] == schema["$id"]
    assert "*.blueprint.yaml" in entry["fileMatch"] and "blueprints/*.yaml" in entry["fileMatch"]
