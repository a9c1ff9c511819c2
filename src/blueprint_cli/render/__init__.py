"""Rendering: model -> layout -> routes -> DOT (pure), then Graphviz (``run``)."""

from blueprint_cli.render.dot import (
    Diagram,
    DotOptions,
    Stub,
    build,
    build_wrapped,
    stubs,
    to_dot,
)
from blueprint_cli.render.layout import Heading
from blueprint_cli.render.legend import RiskBands
from blueprint_cli.render.theme import THEMES, Theme

__all__ = [
    "THEMES",
    "Diagram",
    "DotOptions",
    "Heading",
    "RiskBands",
    "Stub",
    "Theme",
    "build",
    "build_wrapped",
    "stubs",
    "to_dot",
]
