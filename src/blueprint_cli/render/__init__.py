"""Rendering: model -> layout -> routes -> DOT (pure), then Graphviz (``run``)."""

from blueprint_cli.render.dot import Diagram, DotOptions, build, to_dot
from blueprint_cli.render.layout import Heading
from blueprint_cli.render.legend import RiskBands
from blueprint_cli.render.theme import THEMES, Theme

__all__ = [
    "THEMES",
    "Diagram",
    "DotOptions",
    "Heading",
    "RiskBands",
    "Theme",
    "build",
    "to_dot",
]
