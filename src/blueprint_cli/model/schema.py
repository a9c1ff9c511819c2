"""The JSON Schema of the format, generated from the models.

``schemas/blueprint.schema.json`` is this output; a test fails when the two drift. Items
that may be written as plain text get ``anyOf: [string, object]``, as the loader accepts.
"""

from __future__ import annotations

import json
from typing import Any

from blueprint_cli.model import FLOW_PATTERN, Blueprint, Flow, Node


def _subclasses(cls: type[Node]) -> dict[str, type[Node]]:
    found = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
        found.update(_subclasses(sub))
    return found


def json_schema() -> dict[str, Any]:
    schema = Blueprint.model_json_schema(by_alias=True)
    models = _subclasses(Node)
    for name, definition in schema.get("$defs", {}).items():
        cls = models.get(name)
        if cls is None or cls.SHORTHAND is None:
            continue
        text: dict[str, Any] = {"type": "string"}
        if cls is Flow:
            text = {"type": "string", "pattern": FLOW_PATTERN, "description": "from -> to"}
        else:
            text["description"] = f"Shorthand for {{{cls.SHORTHAND}: ...}}"
        obj = {k: v for k, v in definition.items() if k not in ("title", "description")}
        head = {k: definition[k] for k in ("title", "description") if k in definition}
        definition.clear()
        definition.update(head)
        definition["anyOf"] = [text, obj]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
