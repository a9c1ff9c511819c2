"""User text made safe to print: control characters (terminal escapes, NUL, bells,
line separators) shown as escapes, never emitted raw; long text cut for one-line
messages. Every message, view and report that quotes a blueprint goes through here."""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: object) -> str:
    """Text with control characters (terminal escapes, NUL, bells) shown as escapes:
    safe to print anywhere. Newlines and tabs are kept."""
    s = "" if text is None else str(text)
    if not _CONTROL.search(s):
        return s
    out = []
    for ch in s:
        o = ord(ch)
        if (o < 0x20 and ch not in "\n\t") or o == 0x7F or 0x80 <= o < 0xA0:
            out.append(f"\\x{o:02x}")
        else:
            out.append(ch)
    return "".join(out)


def quote(text: object, limit: int = 60) -> str:
    """User text made safe and short for a one-line message.

    Control characters (terminal escapes, newlines, NUL) are shown escaped, never
    emitted raw; long text is cut with an ellipsis.
    """
    s = str(text)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    if not _UNSAFE.search(s):
        return "'" + s + "'"
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0 or ch in "\u2028\u2029":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"
