"""Positions in a source file: 1-based line and column, and a map from data paths to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

# A path into the loaded data: mapping keys and list indexes, from the top.
Path = tuple[str | int, ...]


class Span(NamedTuple):
    """A position in a file, 1-based, as editors and compilers print it. A tuple: the
    loader makes one for every node, so it must be cheap."""

    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


START = Span(1, 1)


@dataclass(slots=True)
class SourceMap:
    """Where each node of the loaded data was written.

    ``values[path]`` is where the value at ``path`` starts; ``keys[path]`` is where its
    mapping key was written (only for values held in a mapping). A path with no entry of
    its own (a value produced by a default, or inside an expanded alias) resolves to its
    nearest ancestor that has one.
    """

    values: dict[Path, Span] = field(default_factory=dict)
    keys: dict[Path, Span] = field(default_factory=dict)

    def value(self, path: Path) -> Span:
        return self._nearest(self.values, path)

    def key(self, path: Path) -> Span:
        """The key's position when there is one, else the value's."""
        span = self.keys.get(path)
        return span if span is not None else self._nearest(self.values, path)

    def _nearest(self, table: dict[Path, Span], path: Path) -> Span:
        while True:
            span = table.get(path)
            if span is not None:
                return span
            if not path:
                return START
            path = path[:-1]
