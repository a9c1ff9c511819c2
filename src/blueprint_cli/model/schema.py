"""The JSON Schema of the format, generated from the models.

``schemas/blueprint.schema.json`` is this output; a test fails when the two drift. Items
that may be written as plain text get ``anyOf: [string, object]``, as the loader accepts.

For editors (the YAML language server, JetBrains IDEs), every property carries a
``description`` (from the model) and a ``markdownDescription`` with an example (from
``EXAMPLES`` below); defaults that are not values a user would write (an empty id, null)
are left out, so that completion never inserts a value that fails its own pattern.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from blueprint_cli.model import (
    DURATION_HELP,
    DURATION_PATTERN,
    FLOW_PATTERN,
    ID_PATTERN,
    Blueprint,
    Emotion,
    Flow,
    Node,
    StepMetric,
)

#: Where the schema is published: stable, the same for every release of format 1.
SCHEMA_ID = (
    "https://raw.githubusercontent.com/blueprint-cli/blueprint/main/schemas/blueprint.schema.json"
)
#: The files an editor applies it to without being told (SchemaStore's ``fileMatch``).
#: ``blueprints/*.yaml`` and not ``**/blueprints/**``: Home Assistant keeps its own
#: "blueprints" in subfolders of a ``blueprints/`` folder.
FILE_MATCH = ("*.blueprint.yaml", "*.blueprint.yml", "blueprints/*.yaml", "blueprints/*.yml")
DESCRIPTION = (
    "A service blueprint for blueprint-cli: steps as columns; evidence, customer, frontstage, "
    "backstage and support lanes as rows; fail points, waits and standards."
)

_ID = {"Segment": "business", "Phase": "visit", "Actor": "receptionist", "Step": "check-in"}
_ID |= {"Action": "register", "Evidence": "key-card", "FailPoint": "no-reservation"}
_ID |= {"Channel": "phone", "Regulation": "gdpr", "Metric": "csat", "StepMetric": "queue-time"}

#: One example value for each property of each definition: shown on hover and checked
#: against the schema by the tests.
EXAMPLES: dict[str, dict[str, Any]] = {
    "Service blueprint": {
        "blueprint": 1,
        "title": "Hotel stay",
        "description": "A one-night stay, from booking to the follow-up e-mail.",
        "segments": [{"id": "business", "title": "Business traveller"}],
        "phases": [{"id": "visit", "title": "Visit", "stage": "visit"}],
        "actors": [{"id": "receptionist", "title": "Receptionist"}],
        "channels": [{"id": "phone", "title": "Phone"}],
        "regulations": [{"id": "gdpr", "title": "Consent for guest data"}],
        "metrics": [{"id": "csat", "title": "Guest satisfaction", "target": 90, "direction": "up"}],
        "lanes": {"frontstage": "Onstage"},
        "standards": {"max_wait": "5m"},
        "steps": [{"id": "check-in", "title": "Check in", "customer": ["Give name"]}],
        "flows": ["register -> hand-key"],
    },
    "Segment": {
        "title": "Business traveller",
        "description": "Travels for work, alone.",
        "standards": {"max_wait": "3m"},
    },
    "Channel": {"title": "Phone", "description": "The reservations line, 24 hours."},
    "Regulation": {
        "title": "Consent for guest data",
        "description": "Guests agree before their data is kept.",
        "source": "Regulation (EU) 2016/679 (GDPR), art. 7",
    },
    "Metric": {
        "title": "Guest satisfaction",
        "description": "Share of guests rating the stay 4 or 5 of 5.",
        "unit": "%",
        "baseline": 78,
        "target": 90,
        "direction": "up",
    },
    "StepMetric": {
        "title": "Time in the check-in queue",
        "description": "Measured by the desk's queue camera.",
        "unit": "min",
        "baseline": 4,
        "target": 3,
        "direction": "down",
    },
    "Emotion": {"customer": -1, "staff": 0},
    "Phase": {"title": "Visit", "description": "At the hotel.", "stage": "visit"},
    "Actor": {"title": "Receptionist", "description": "Front desk, day shift.", "kind": "person"},
    "LaneNames": {
        "evidence": "What the guest sees",
        "customer": "Guest",
        "frontstage": "Onstage",
        "backstage": "Backstage",
        "support": "Systems and suppliers",
    },
    "Standards": {"max_wait": "5m"},
    "Wait": {"text": "Queue at the desk", "expected": "4m", "max": "5m"},
    "FailPoint": {
        "text": "Reservation not found",
        "severity": 8,
        "occurrence": 3,
        "detection": 4,
        "prevention": "Confirm the booking by e-mail the day before",
        "recovery": "Offer the next free room at the booked rate",
    },
    "Evidence": {"text": "Key card", "note": "In a sleeve with the room number"},
    "Action": {
        "text": "Register the guest",
        "actor": "receptionist",
        "channel": "in-person",
        "regulations": ["gdpr"],
        "duration": "3m",
        "script": "Welcome! May I have your name?",
        "wait": {"expected": "4m", "max": "5m"},
        "fail_points": [{"text": "Reservation not found", "severity": 8}],
        "note": "Peak at 3 pm",
    },
    "Step": {
        "title": "Check in",
        "phase": "visit",
        "segments": ["business"],
        "channel": "in-person",
        "emotion": {"customer": -1, "staff": 0},
        "metrics": ["csat", {"title": "Time in queue", "target": 3, "direction": "down"}],
        "evidence": ["Front desk", "Key card"],
        "customer": ["Give name and card"],
        "frontstage": [{"text": "Register the guest", "actor": "receptionist"}],
        "backstage": ["Assign a room"],
        "support": ["Property management system"],
        "note": "The desk is shared with the concierge",
    },
    "Flow": {"from": "register", "to": "assign-room", "label": "room type"},
}
for _name, _example in _ID.items():
    EXAMPLES[_name]["id"] = _example


#: What an editor says when a pattern fails (``patternErrorMessage``, read by VS Code's
#: JSON and YAML language servers), instead of printing the regex.
PATTERN_MESSAGES = {
    ID_PATTERN: "Not a valid id: use letters, digits, '-', '_', '.', ':' or '/', no spaces, "
    "starting with a letter or digit (e.g. check-in).",
    DURATION_PATTERN: f"Not a duration: {DURATION_HELP}.",
    FLOW_PATTERN: "A flow is written 'from -> to', with the ids of two actions "
    "(e.g. register -> assign-room).",
}


def _explain_patterns(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("pattern") in PATTERN_MESSAGES:
            node["patternErrorMessage"] = PATTERN_MESSAGES[node["pattern"]]
        for value in node.values():
            _explain_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _explain_patterns(value)


def _subclasses(cls: type[Node]) -> dict[str, type[Node]]:
    found = {}
    for sub in cls.__subclasses__():
        found[sub.__name__] = sub
        found.update(_subclasses(sub))
    return found


def _example_text(key: str, value: Any) -> str:
    """``key: value`` as a user would write it: short lists and mappings in flow style."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False
    )
    return f"```yaml\n{key}: {text.removesuffix(chr(10)).removesuffix('...').strip()}\n```"


def _document(definition: dict[str, Any], examples: dict[str, Any]) -> None:
    for key, prop in definition.get("properties", {}).items():
        if prop.get("default", 0) in ("", None):
            del prop["default"]  # completion would insert a value that fails its own pattern
        if key in examples:
            prop["examples"] = [examples[key]]
            prop["markdownDescription"] = (
                f"{prop['description']}\n\n{_example_text(key, examples[key])}"
            )


def json_schema() -> dict[str, Any]:
    schema = Blueprint.model_json_schema(by_alias=True)
    _document(schema, EXAMPLES[schema["title"]])
    models = _subclasses(Node)
    for name, definition in schema.get("$defs", {}).items():
        _document(definition, EXAMPLES.get(name, {}))
        cls = models.get(name)
        if cls is Emotion:  # a number alone is the customer's feeling
            feeling = dict(definition["properties"]["customer"]["anyOf"][0])
            feeling["description"] = "Shorthand for {customer: ...}"
            obj = {k: v for k, v in definition.items() if k not in ("title", "description")}
            head = {k: definition[k] for k in ("title", "description") if k in definition}
            definition.clear()
            definition.update(head)
            definition["anyOf"] = [feeling, obj]
            continue
        if cls is None or cls.SHORTHAND is None:
            continue
        text: dict[str, Any]
        if cls is Flow:
            text = {"type": "string", "pattern": FLOW_PATTERN, "description": "from -> to"}
        elif cls.SHORTHAND == "id":
            text = {
                "type": "string",
                "pattern": ID_PATTERN,
                "description": "The id of a blueprint metric",
            }
        else:
            text = {
                "type": ["string", "number"] if cls.SHORTHAND_NUMBERS else "string",
                "description": f"Shorthand for {{{cls.SHORTHAND}: ...}}",
            }
        obj = {k: v for k, v in definition.items() if k not in ("title", "description")}
        if cls is StepMetric:  # a title of its own, or the id of a blueprint metric
            obj["anyOf"] = [{"required": ["title"]}, {"required": ["id"]}]
        head = {k: definition[k] for k in ("title", "description") if k in definition}
        definition.clear()
        definition.update(head)
        definition["anyOf"] = [text, obj]
    _explain_patterns(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "description": DESCRIPTION,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def catalog_entry() -> dict[str, Any]:
    """The schema's entry in SchemaStore's ``catalog.json``: editors that read the catalog
    (VS Code's YAML extension, JetBrains IDEs) apply it to matching files by themselves."""
    return {
        "name": "blueprint-cli service blueprint",
        "description": DESCRIPTION,
        "fileMatch": list(FILE_MATCH),
        "url": SCHEMA_ID,
    }


def catalog_text() -> str:
    return json.dumps(catalog_entry(), indent=2, ensure_ascii=False) + "\n"


#: Where the observation format's schema is published.
OBSERVATION_SCHEMA_ID = SCHEMA_ID.replace("blueprint.schema.json", "observation.schema.json")
_ANSWER = {"enum": ["yes", "no", "n/a", True, False]}
#: The short forms of the observation format's entries (``register: yes``).
_OBSERVATION_SHORT: dict[str, dict[str, Any]] = {
    "EvidenceSeen": {**_ANSWER, "description": "Shorthand for {present: ...}"},
    "ActionSeen": {
        "enum": ["yes", "partial", "no", "n/a", True, False],
        "description": "Shorthand for {done: ...}",
    },
    "FailPointSeen": {**_ANSWER, "description": "Shorthand for {occurred: ...}"},
    "StepSeen": {
        "enum": ["not-observed", "n/a"],
        "description": "The step was not observed: left out of every figure.",
    },
}


def observation_schema() -> dict[str, Any]:
    """The JSON Schema of an audit visit's observation file (``observation: 1``)."""
    from blueprint_cli.model.observation import Observation

    schema = Observation.model_json_schema(by_alias=True)
    for name, short in _OBSERVATION_SHORT.items():
        definition = schema["$defs"][name]
        obj = {k: v for k, v in definition.items() if k not in ("title", "description")}
        head = {k: definition[k] for k in ("title", "description") if k in definition}
        definition.clear()
        definition.update(head)
        definition["anyOf"] = [short, obj]
    for definition in [schema, *schema["$defs"].values()]:
        for prop in definition.get("properties", {}).values():
            if prop.get("default", 0) in ("", None):
                prop.pop("default", None)
    _explain_patterns(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": OBSERVATION_SCHEMA_ID,
        **schema,
        "title": "Audit visit (blueprint-cli observation)",
        "description": "One audit visit of a real service, recorded against its blueprint: "
        "evidence seen, actions done and timed, waits, scripts, fail points, what the "
        "blueprint does not foresee.",
    }


def observation_schema_text() -> str:
    return json.dumps(observation_schema(), indent=2, ensure_ascii=False) + "\n"
