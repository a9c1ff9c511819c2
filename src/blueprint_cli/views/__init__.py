"""What the inspecting commands show (show, the fail-point register, the rules): data
first, then writers chosen by name from each view's ``WRITERS``; the rich terminal
writer (views/terminal.py) is the only rich here."""

from __future__ import annotations

from typing import TextIO

#: ``--format auto`` (the default): the rich table on a terminal, plain text in a pipe.
AUTO = "auto"


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def choose(name: str, stream: TextIO, color: str = "auto") -> str:
    """The writer to use: ``auto`` is ``table`` on a terminal (or with ``--color
    always``), else ``text``; any other name is taken as given, even in a pipe."""
    if name != AUTO:
        return name
    return "table" if color == "always" or is_terminal(stream) else "text"
