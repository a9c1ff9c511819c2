"""User text made safe for Graphviz: quoted DOT strings and HTML-like labels.

Every label, title and tooltip is user text. A step titled ``"]; node [shape=star`` or
``<b>x</b>`` must render as those characters and change nothing else in the graph.
"""

from __future__ import annotations

import re

from blueprint_cli.text import INVISIBLE

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters that would reorder or hide text in the picture: drawn as their escapes.
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
# Graphviz reads its escapes (\\G the graph's name, \\N the node's, \\L, \\E, \\H, \\T ...)
# in label text, HTML-like labels included, and reads a tooltip's text twice: a backslash
# is written as two in a label and as four in a tooltip, so that it is drawn as one.
_HTML = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "\n": " ",
        "\t": " ",
        "\\": "&#92;&#92;",
    }
)


def html(text: str) -> str:
    """Text for an HTML-like label: entities for markup, a backslash drawn as itself,
    control characters made visible (as ``\\xNN``), line breaks and tabs as spaces."""
    out = text.translate(_HTML)
    if _CONTROL.search(out):
        out = _CONTROL.sub(lambda m: f"&#92;&#92;x{ord(m.group()):02x}", out)
    if _INVISIBLE.search(out):
        out = _INVISIBLE.sub(lambda m: f"&#92;&#92;u{ord(m.group()):04x}", out)
    return out


def dot_string(text: str) -> str:
    """A double-quoted DOT string for an attribute Graphviz shows (a tooltip): a
    backslash drawn as itself (no \\N, \\G expansions), quotes escaped, newlines as line
    breaks, control characters made visible. Ids and colours never hold a backslash."""
    out = text.replace("\\", "\\\\\\\\").replace('"', '\\"').replace("\n", "\\n")
    if _CONTROL.search(out) or "\t" in out:
        out = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\\\\\\\x{ord(m.group()):02x}", out)
    if _INVISIBLE.search(out):
        out = _INVISIBLE.sub(lambda m: f"\\\\\\\\u{ord(m.group()):04x}", out)
    return f'"{out}"'
