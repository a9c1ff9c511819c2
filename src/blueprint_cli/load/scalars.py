"""Plain scalars as YAML 1.2 reads them, and how YAML 1.1 tools would read them instead.

Numbers keep how they were written (``010``, ``1.10``), so that where the format expects
text, the text is what the user wrote. Only the standard tags are accepted.
"""

from __future__ import annotations

import math
import re
from typing import Any

from blueprint_cli.load.errors import LoadError
from blueprint_cli.positions import Span
from blueprint_cli.text import quote


class YamlInt(int):
    """An int read from a plain scalar, remembering how it was written (``010``, ``+3``).
    As text, it is what was written: where the format expects text, that is what is kept."""

    source: str

    def __str__(self) -> str:
        return self.source


class YamlFloat(float):
    """A float read from a plain scalar, remembering how it was written (``1.10``)."""

    source: str

    def __str__(self) -> str:
        return self.source


_NULL12 = re.compile(r"~|null|Null|NULL|")
_BOOL12 = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT12 = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT12 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

# How PyYAML (YAML 1.1) resolves plain scalars: a value it reads differently is a trap.
_BOOL11 = {
    **{w: True for w in ("yes", "Yes", "YES", "on", "On", "ON")},
    **{w: False for w in ("no", "No", "NO", "off", "Off", "OFF")},
    **_BOOL12,
}
_INT11 = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT11 = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)

# YAML 1.1's timestamp type (PyYAML's resolver): 1.2 has none, so this is text there.
_TIMESTAMP11 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)


#: A plain scalar longer than this is text, never a number: no number in a blueprint is
#: that long, and Python refuses to turn more than 4,300 digits into an int.
MAX_NUMBER_CHARS = 400


def resolve12(s: str) -> Any:
    if len(s) > MAX_NUMBER_CHARS:
        return s
    if _NULL12.fullmatch(s):
        return None
    if s in _BOOL12:
        return _BOOL12[s]
    if _INT12.fullmatch(s):
        base = 8 if s.startswith("0o") else 16 if s.startswith("0x") else 10
        v = YamlInt(int(s[2:] if base != 10 else s, base))
        v.source = s
        return v
    if _INF.fullmatch(s):
        f = YamlFloat(-math.inf if s.startswith("-") else math.inf)
    elif _NAN.fullmatch(s):
        f = YamlFloat(math.nan)
    elif _FLOAT12.fullmatch(s):
        f = YamlFloat(s)
    else:
        return s
    f.source = s
    return f


def describe11(s: str) -> str | None:
    """What YAML 1.1 reads ``s`` as, when that is not plain text."""
    if s in _BOOL11:
        return "the boolean " + ("true" if _BOOL11[s] else "false")
    if _INT11.fullmatch(s):
        return "a number" + (" (base 60)" if ":" in s else " (octal)" if _is_old_octal(s) else "")
    if _FLOAT11.fullmatch(s):
        return "a number" + (" (base 60)" if ":" in s else "")
    if _TIMESTAMP11.fullmatch(s):
        return "a date" if len(s) == 10 else "a timestamp"
    return None


def _is_old_octal(s: str) -> bool:
    digits = s.lstrip("+-")
    return len(digits) > 1 and digits[0] == "0" and digits[1:2] not in ("x", "b", "o", ".")


def same(v12: Any, s: str) -> bool:
    """Does YAML 1.1 read the plain scalar ``s`` as the same value as YAML 1.2 does?"""
    if v12 is None or isinstance(v12, bool):
        return s not in _BOOL11 or _BOOL11[s] is v12
    if isinstance(v12, int):
        return bool(_INT11.fullmatch(s)) and "_" not in s and not _is_old_octal(s)
    if isinstance(v12, float):
        return bool(_FLOAT11.fullmatch(s)) and "_" not in s and ":" not in s
    return describe11(s) is None


STD = "tag:yaml.org,2002:"

# First characters after which a plain scalar is text in YAML 1.1 and 1.2 alike: no null,
# boolean or number starts with them. Most of a blueprint is such text: skip the regexes.
TEXT_START = frozenset(
    ch for ch in map(chr, range(0x41, 0x7B)) if ch.isalpha() and ch not in "tTfFnNoOyY"
)


def check_tag(tag: str | None, kind: str, span: Span) -> None:
    if tag is None or tag == "!" or tag == STD + kind:
        return
    raise bad_tag(tag, span)


def bad_tag(tag: str, span: Span) -> LoadError:
    shown = "!!" + tag[len(STD) :] if tag.startswith(STD) else tag
    return LoadError(f"unsupported tag {quote(shown)}: only plain YAML data is allowed", span)


def plain(value: str) -> tuple[Any, str | None]:
    """A plain scalar that may not be text -> (its value as YAML 1.2 reads it, and the
    warning when YAML 1.1 tools read it otherwise, in which case it is kept as text)."""
    if value[:1] in TEXT_START or (value[:1] > "\x7f"):
        return value, None
    if (
        value.isdigit()
        and value.isascii()
        and (value[0] != "0" or value == "0")
        and len(value) <= MAX_NUMBER_CHARS
    ):
        decimal = YamlInt(value)  # a plain decimal (scores, the version): 1.1 agrees
        decimal.source = value
        return decimal, None
    resolved = resolve12(value)
    if same(resolved, value):
        return resolved, None
    reading = describe11(value)
    if isinstance(resolved, str) and reading is not None:
        message = f"{quote(value)} is text here, but YAML 1.1 tools read it as {reading}"
    else:
        shown = str(int(resolved)) if isinstance(resolved, int) else f"{resolved:g}"
        message = (
            f"{quote(value)} is ambiguous: YAML 1.2 reads the number {shown}, "
            f"YAML 1.1 reads {reading or 'text'}; it is kept as text"
        )
    return value, message + ": quote it to make the intent plain"


def tagged(value: str, tag: str, span: Span) -> Any:
    """A scalar with an explicit tag: one of the standard five, and a value that fits it."""
    name = tag[len(STD) :] if tag.startswith(STD) else ""
    if name not in ("str", "int", "float", "bool", "null"):
        raise bad_tag(tag, span)
    if name == "str":
        return value
    resolved = resolve12(value)
    number = isinstance(resolved, int | float) and not isinstance(resolved, bool)
    if (name == "null" and resolved is None) or (name == "bool" and isinstance(resolved, bool)):
        return resolved
    if name == "int" and number and isinstance(resolved, int):
        return resolved
    if name == "float" and number:
        return float(resolved)
    raise LoadError(f"{quote(value)} is not a valid !!{name}", span)
