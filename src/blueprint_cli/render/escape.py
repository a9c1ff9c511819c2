"""User text made safe for Graphviz: quoted DOT strings and HTML-like labels.

Every label, title and tooltip is user text. A step titled ``"]; node [shape=star`` or
``<b>x</b>`` must render as those characters and change nothing else in the graph.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_HTML = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "\n": " ", "\t": " "}
)


def html(text: str) -> str:
    """Text for an HTML-like label: entities for markup, control characters made visible
    (as ``\\xNN``), line breaks and tabs as spaces."""
    out = text.translate(_HTML)
    if _CONTROL.search(out):
        out = _CONTROL.sub(lambda m: f"&#92;x{ord(m.group()):02x}", out)
    return out


def dot_string(text: str) -> str:
    """A double-quoted DOT string: backslashes doubled (no \\N, \\G expansions), quotes
    escaped, newlines as DOT line breaks, control characters made visible."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if _CONTROL.search(out) or "\t" in out:
        out = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\\\x{ord(m.group()):02x}", out)
    return f'"{out}"'
