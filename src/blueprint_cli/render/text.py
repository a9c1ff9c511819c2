"""User text made safe for Graphviz: quoted DOT strings and HTML-like labels.

Every label, title and tooltip is user text. A step titled ``"]; node [shape=star`` or
``<b>x</b>`` must render as those characters and change nothing else in the graph.
"""

from __future__ import annotations

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def _visible(ch: str) -> str:
    """Control characters (escapes, NUL, bells) are shown as \\xNN, never passed on."""
    o = ord(ch)
    if o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0:
        return f"\\x{o:02x}"
    return ch


def html(text: str) -> str:
    """Text for an HTML-like label: entities for markup, control characters made visible."""
    out = []
    for ch in text:
        if ch in ("\n", "\t"):
            out.append(" ")
            continue
        ch = _visible(ch)
        out.append(_HTML.get(ch, ch) if len(ch) == 1 else ch.replace("\\", "&#92;"))
    return "".join(out)


def dot_string(text: str) -> str:
    """A double-quoted DOT string: backslashes doubled (no \\N, \\G expansions), quotes
    escaped, newlines as DOT line breaks, control characters made visible."""
    out = ['"']
    for ch in text:
        if ch == "\n":
            out.append("\\n")
        elif ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        else:
            visible = _visible(ch)
            out.append(visible.replace("\\", "\\\\") if len(visible) > 1 else visible)
    out.append('"')
    return "".join(out)
