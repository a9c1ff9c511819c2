"""The plain data of a blueprint, built up from a spreadsheet's cells.

References (phases, owners, channels, segments, regulations) are written in sheets as
ids or titles: each is resolved against what is declared (a sheet of phases, actors...)
by id, then by title; one not declared is declared, its id a slug of the text.
"""

from __future__ import annotations

from typing import Any

from blueprint_cli.model import LANES, slugify

#: The declared lists of a blueprint, in the format's order, and their kind's name.
DECLARED: dict[str, str] = {
    "segments": "segment",
    "phases": "phase",
    "actors": "actor",
    "channels": "channel",
    "regulations": "regulation",
    "metrics": "metric",
}


class Builder:
    def __init__(self) -> None:
        self.meta: dict[str, Any] = {}
        self.declared: dict[str, list[dict[str, Any]]] = {key: [] for key in DECLARED}
        self.lanes: dict[str, str] = {}
        self.standards: dict[str, Any] = {}
        self.steps: list[dict[str, Any]] = []
        self.flows: list[Any] = []

    def declare(self, key: str, item: dict[str, Any]) -> None:
        self.declared[key].append(item)

    def resolve(self, key: str, text: str) -> str:
        """The id of the declared item ``text`` names (an id, or a title); declared now
        when there is none."""
        wanted = text.strip()
        items = self.declared[key]
        for item in items:
            if item.get("id") == wanted:
                return wanted
        for item in items:
            if item.get("title") == wanted:
                ident = item.get("id") or slugify(wanted, DECLARED[key])
                item["id"] = ident
                return str(ident)
        folded = wanted.casefold()
        for item in items:
            if str(item.get("title", "")).casefold() == folded:
                ident = item.get("id") or slugify(wanted, DECLARED[key])
                item["id"] = ident
                return str(ident)
        ident = slugify(wanted, DECLARED[key].replace(" ", "-"))
        taken = {str(i.get("id")) for i in items}
        base, n = ident, 2
        while ident in taken:
            ident = f"{base}-{n}"
            n += 1
        items.append({"id": ident, "title": wanted})
        return ident

    def data(self, title: str | None = None) -> dict[str, Any]:
        """The blueprint, keys in the format's order."""
        out: dict[str, Any] = {"blueprint": 1}
        if title is not None:
            out["title"] = title
        elif "title" in self.meta:
            out["title"] = self.meta["title"]
        if "description" in self.meta:
            out["description"] = self.meta["description"]
        for key in DECLARED:
            if self.declared[key]:
                out[key] = self.declared[key]
        if self.lanes:
            out["lanes"] = self.lanes
        if self.standards:
            out["standards"] = self.standards
        out["steps"] = [_compact(step) for step in self.steps]
        if self.flows:
            out["flows"] = self.flows
        return out


def _short(item: Any) -> Any:
    """``{text: X}`` -> ``X``: an item that is only its text, as a person writes it."""
    if isinstance(item, dict) and list(item) == ["text"] and isinstance(item["text"], str):
        return item["text"]
    return item


def _compact(step: dict[str, Any]) -> dict[str, Any]:
    out = dict(step)
    for key in LANES:
        if key in out:
            items = []
            for item in out[key]:
                if isinstance(item, dict) and "fail_points" in item:
                    item = {**item, "fail_points": [_short(f) for f in item["fail_points"]]}
                items.append(_short(item))
            out[key] = items
    return out


def to_yaml(data: dict[str, Any], source: str) -> str:
    """The blueprint as YAML: keys in the format's order, 2-space indents, block style
    with short mappings of plain values on one line."""
    import yaml

    from blueprint_cli.model.schema import SCHEMA_ID

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, *_: Any, **__: Any) -> None:
            super().increase_indent(flow, False)

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    body = yaml.dump(
        data,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    from blueprint_cli.text import name

    head = f"# yaml-language-server: $schema={SCHEMA_ID}\n"
    head += f"# Imported from {name(source)} by blueprint import.\n"
    return head + body
