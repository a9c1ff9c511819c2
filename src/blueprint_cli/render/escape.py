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
    if text.isascii() and text.isprintable():
        return out  # no control character, nothing invisible: most text
    if _CONTROL.search(out):
        out = _CONTROL.sub(lambda m: f"&#92;&#92;x{ord(m.group()):02x}", out)
    if _INVISIBLE.search(out):
        out = _INVISIBLE.sub(lambda m: f"&#92;&#92;u{ord(m.group()):04x}", out)
    return out


def dot_string(text: str) -> str:
    """A double-quoted DOT string for an attribute Graphviz shows (a tooltip): a
    backslash drawn as itself (no \\N, \\G expansions), quotes escaped, newlines as line
    breaks, control characters made visible. Ids and colours never hold a backslash."""
    if text.isascii() and text.isprintable() and "\\" not in text and '"' not in text:
        return f'"{text}"'  # most ids, colours and text: nothing to escape
    out = text.replace("\\", "\\\\\\\\").replace('"', '\\"').replace("\n", "\\n")
    if _CONTROL.search(out) or "\t" in out:
        out = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\\\\\\\x{ord(m.group()):02x}", out)
    if _INVISIBLE.search(out):
        out = _INVISIBLE.sub(lambda m: f"\\\\\\\\u{ord(m.group()):04x}", out)
    return f'"{out}"'


#: Graphviz reads no quoted or HTML string longer than 16,384 bytes. A label is wrapped
#: to at most MAX_LINES lines, but a tooltip holds the whole text: it is cut to this many
#: characters, which stay under the limit however they are escaped (at most 10 bytes each).
TIP_MAX = 1500


def clip(text: str, limit: int = TIP_MAX) -> str:
    """Text for a tooltip or a name: at most ``limit`` characters, "…" where cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tooltip_string(text: str) -> str:
    """A tooltip attribute's DOT string: the text, clipped, escaped."""
    return dot_string(clip(text))
