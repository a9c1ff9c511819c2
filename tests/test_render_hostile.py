"""Every label is user text: markup in a title changes nothing but the text."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
import yaml

from blueprint_cli.model.validation import check_bytes
from blueprint_cli.render import THEMES, to_dot
from blueprint_cli.render.graphviz import run_graphviz
from tests import geometry

HOSTILE = [
    '"]; node [shape=star',
    "<b>x</b>",
    "</TD></TR></TABLE>>];",
    "back\\slash \\N \\G \\L",
    "& &amp; &#39; &lt;",
    "<script>alert(1)</script>",
    "\u202eRTL override ‏עברית‏ مرحبا",
    "zero\u200bwidth, combining e\u0301, emoji 👩‍👩‍👧",
    "tab\there",
    "bell\x07 escape\x1b[31m nul-free",
]


def blueprint(text: str) -> bytes:
    data = {
        "blueprint": 1,
        "title": text,
        "phases": [{"id": "visit", "title": text}],
        "actors": [{"id": "clerk", "title": text}],
        "lanes": {"frontstage": text},
        "steps": [
            {
                "id": "s1",
                "title": text,
                "phase": "visit",
                "evidence": [{"id": "ev1", "text": text}],
                "customer": [{"id": "c1", "text": text}],
                "frontstage": [
                    {
                        "id": "f1",
                        "text": text,
                        "actor": "clerk",
                        "script": text,
                        "wait": {"text": text, "expected": "1m", "max": "2m"},
                        "fail_points": [
                            {"id": "fp1", "text": text, "prevention": text, "recovery": text}
                        ],
                    }
                ],
            }
        ],
        "flows": [{"from": "c1", "to": "f1", "label": text}],
    }
    return yaml.safe_dump(data, allow_unicode=True).encode()


def dot(text: str) -> str:
    checked = check_bytes(blueprint(text))
    assert checked.blueprint is not None, checked.problems
    return to_dot(checked.blueprint, THEMES["default"])


def _shape(dot_text: str) -> list[str]:
    """The graph's structure: node and edge statements, with their labels (and the
    graph's name, the title) taken out."""
    lines = dot_text.splitlines()
    assert lines[0].startswith('digraph "') and lines[0].endswith('" {')
    return ["digraph {", *(line.split(" [", 1)[0] for line in lines[1:])]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_changes_only_the_text(text: str) -> None:
    assert _shape(dot(text)) == _shape(dot("plain text"))


needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")


@needs_graphviz
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_to_the_same_graph(text: str) -> None:
    plain = geometry.parse(run_graphviz(dot("plain text"), "json"))
    hostile = geometry.parse(run_graphviz(dot(text), "json"))
    assert len(hostile["objects"]) == len(plain["objects"])
    assert len(hostile["edges"]) == len(plain["edges"])
    assert [o.get("shape") for o in hostile["objects"]] == [
        o.get("shape") for o in plain["objects"]
    ]


@needs_graphviz
def test_svg_shows_markup_as_text_and_adds_no_element() -> None:
    plain = ET.fromstring(run_graphviz(dot("plain text"), "svg"))
    svg_bytes = run_graphviz(dot("<script>alert(1)</script>"), "svg")
    hostile = ET.fromstring(svg_bytes)

    def groups(root: ET.Element) -> list[str | None]:
        return [e.get("id") for e in root.iter() if e.tag.endswith("}g")]

    assert groups(hostile) == groups(plain)
    assert {e.tag for e in hostile.iter()} == {e.tag for e in plain.iter()}
    assert b"<script" not in svg_bytes
    texts = "".join(e.text or "" for e in hostile.iter() if e.tag.endswith("text"))
    assert "<script>alert(1)</script>" in texts


def test_control_characters_are_shown_not_passed_on() -> None:
    out = dot("bell\x07 escape\x1b[31m")
    assert "\x07" not in out and "\x1b" not in out
    assert "\\\\x1b" in out or "\\x1b" in out


@pytest.mark.skipif(shutil.which("neato") is None, reason="needs Graphviz")
def test_texts_past_graphviz_string_limit_still_render() -> None:
    """Graphviz reads no string past 16 kB: a 100 kB text in any field is wrapped in its
    label and clipped in its tooltip, and the picture is drawn."""
    big = "Wordy " * 20000 + '\\ & < "'
    doc = {
        "blueprint": 1,
        "title": big,
        "description": big,
        "actors": [{"id": "x", "title": big}],
        "steps": [
            {
                "title": big,
                "note": big,
                "evidence": [{"text": big, "note": big}],
                "customer": [
                    {
                        "id": "c",
                        "text": big,
                        "note": big,
                        "wait": {"text": big, "expected": "5m"},
                        "fail_points": [{"text": big, "prevention": big, "recovery": big}],
                    }
                ],
                "frontstage": [{"id": "f", "text": "f", "actor": "x", "script": big}],
            }
        ],
        "flows": [{"from": "c", "to": "f", "label": big}],
    }
    checked = check_bytes(yaml.safe_dump(doc).encode())
    assert checked.blueprint is not None
    svg = run_graphviz(to_dot(checked.blueprint, THEMES["default"]), "svg")
    ET.fromstring(svg)
