"""User text and names made safe to print.

Nothing a file or a file name contains reaches a terminal, a CI log or a report raw:
control characters (terminal escapes, NUL, bells, CR), the characters that reorder or
hide text (bidi overrides and isolates, zero-width spaces and joiners, the BOM) and,
in names, newlines and bytes that are not UTF-8 are all shown as escapes. Every
message, view and report that quotes a blueprint or names a file goes through here.
"""

from __future__ import annotations

import re

#: Characters that change how the text around them is shown, or are not shown at all.
INVISIBLE = (
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}\ud800-\udfff]")
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{INVISIBLE}\ud800-\udfff]")
_LINE = re.compile(f"[\t{_UNSAFE.pattern[1:-1]}]")


def _escape(ch: str) -> str:
    o = ord(ch)
    if 0xDC80 <= o <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{o - 0xDC00:02x}"
    if o < 0x100:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{o:02x}")
    return f"\\u{o:04x}"


def visible(text: object) -> str:
    """Text with control and invisible characters shown as escapes: safe to print
    anywhere. Newlines and tabs are kept (see ``one_line`` and ``name``)."""
    s = "" if text is None else str(text)
    if not _CONTROL.search(s):
        return s
    return _CONTROL.sub(lambda m: _escape(m.group()), s)


def one_line(text: object) -> str:
    """Text for one line of output: ``visible``, and newlines, CR and tabs escaped too."""
    s = "" if text is None else str(text)
    if not _LINE.search(s):
        return s
    return _LINE.sub(lambda m: _escape(m.group()), s)


def name(path: object) -> str:
    """A file or directory name as it may be printed: every control character (newlines
    and CR too: a name must not start a line of a CI log), invisible character and byte
    that is not UTF-8 escaped; and one that starts with ``::`` (a GitHub workflow
    command, when it begins a line of a log) is shown as ``./::...``, the same file."""
    shown = one_line(path)
    return "./" + shown if shown.startswith("::") else shown


def quote(text: object, limit: int = 60) -> str:
    """User text made safe and short for a one-line message, in quotes.

    Control and invisible characters (terminal escapes, newlines, NUL, bidi overrides)
    are shown escaped, never emitted raw; long text is cut with an ellipsis.
    """
    s = str(text)
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    if not _UNSAFE.search(s):
        return "'" + s + "'"
    out = []
    for ch in s:
        o = ord(ch)
        if 0xD800 <= o <= 0xDFFF or ch in INVISIBLE:
            out.append(_escape(ch))
        elif o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0 or ch in "\u2028\u2029":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


#: What a JSON encoder (ensure_ascii=False) leaves raw but a terminal may act on or hide:
#: DEL, the C1 controls (U+009B is CSI), line separators, bidi and zero-width characters.
_JSON_RAW = re.compile(f"[\x7f-\x9f\u2028\u2029{INVISIBLE}]")


def json_safe(text: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: the same data
    for a parser, nothing a terminal acts on for a reader. They can only stand in
    strings, where the escape means the same character."""
    if not _JSON_RAW.search(text):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
