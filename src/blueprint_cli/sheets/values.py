"""Cell text -> the values of the format, each problem at its cell."""

from __future__ import annotations

import re

from blueprint_cli.model import format_duration, parse_duration, slugify, suggest_duration
from blueprint_cli.text import quote

_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_BULLET = re.compile(r"^\s*(?:[\u2022\u25aa\u25cf\u2023\u2043*\-\u2013]|\d{1,3}[.)])\s+")


class CellError(ValueError):
    """A cell's value is not what its column takes: the message, without the address."""


def duration(text: str) -> str:
    """A duration as the format writes it: ``5m``, ``1h30m``. ``10 min`` and ``0:05:00``
    (a time cell) are read as they mean; a range or a bare number is an error."""
    value = text.strip()
    clock = _CLOCK.fullmatch(value)
    if clock:
        h, m, s = (int(g) if g else 0 for g in clock.groups())
        seconds = float(h * 3600 + m * 60 + s)
        if seconds <= 0:
            raise CellError(f"invalid duration {quote(text)}: {_help()}")
        return format_duration(seconds)
    try:
        return format_duration(parse_duration(value))
    except ValueError:
        pass
    hint = suggest_duration(value)
    if hint is not None and "(" not in hint:
        return hint
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", value):
        raise CellError(f"a duration needs a unit: {value}m or {value}s?")
    if hint is not None:
        raise CellError(f"invalid duration {quote(text)}: did you mean {hint}?")
    raise CellError(f"invalid duration {quote(text)}: {_help()}")


def is_duration(text: str) -> bool:
    try:
        duration(text)
    except CellError:
        return False
    return True


def _help() -> str:
    from blueprint_cli.model import DURATION_HELP

    return DURATION_HELP


def integer(text: str, low: int, high: int, what: str) -> int:
    value = text.strip().lstrip("+")
    try:
        number = float(value)
    except ValueError:
        raise CellError(
            f"{what} is a whole number from {low} to {high}, not {quote(text)}"
        ) from None
    if not number.is_integer() or not low <= number <= high:
        raise CellError(f"{what} is a whole number from {low} to {high}, not {quote(text)}")
    return int(number)


def figure(text: str, what: str) -> int | float:
    value = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text
    try:
        number = float(value.strip().rstrip("%").strip())
    except ValueError:
        raise CellError(f"{what} is a number, not {quote(text)}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"{what} is a number, not {quote(text)}")
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def items(text: str) -> list[str]:
    """The items of a grid cell: one a line, or one a bullet (``•``, ``-``, ``*``, ``1.``);
    with bullets, a line without one continues the item above."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    if not any(_BULLET.match(line) for line in lines):
        return [line.strip() for line in lines]
    out: list[str] = []
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet or not out:
            out.append(line[bullet.end() :].strip() if bullet else line.strip())
        else:
            out[-1] += "\n" + line.strip()
    return [item for item in out if item]


def needs_bullets(texts: list[str]) -> bool:
    """Whether a grid cell of these items must bullet them to be read back the same."""
    return any("\n" in t or _BULLET.match(t) or t != t.strip() for t in texts)


def id_list(text: str) -> list[str]:
    """``a, b; c`` -> ``[a, b, c]``."""
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def slug(text: str, kind: str) -> str:
    return slugify(text, kind)
