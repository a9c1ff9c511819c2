"""Positions in a source file: 1-based line and column, and a map from data paths to them."""

from __future__ import annotations

from typing import Any, NamedTuple

# A path into the loaded data: mapping keys and list indexes, from the top.
Path = tuple[str | int, ...]


class Span(NamedTuple):
    """A position in a file, 1-based, as editors and compilers print it."""

    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


START = Span(1, 1)


def span_of(mark: Any) -> Span:
    """A parser's mark (0-based ``line`` and ``column``) -> a Span."""
    return Span(mark.line + 1, mark.column + 1)


class Marks:
    """Where the children of one mapping or list were written.

    ``values`` holds a mark for each child (a dict by key, or a list by index) and, for
    a mapping, ``keys`` a mark for each key. A mark is anything with 0-based ``line``
    and ``column``: the parser's own marks are kept as they come, because the loader
    stores one per node and a finding asks for a handful.
    """

    __slots__ = ("keys", "values")

    def __init__(self, values: dict[Any, Any] | list[Any], keys: dict[Any, Any] | None) -> None:
        self.values = values
        self.keys = keys


class SourceMap:
    """Where each node of the loaded data was written.

    ``value(path)`` is where the value at ``path`` starts; ``key(path)`` is where its
    mapping key was written (the value's position for list items). A path with no
    entry of its own (a value produced by a default, or inside an expanded alias)
    resolves to its nearest ancestor that has one.
    """

    __slots__ = ("root", "tables")

    def __init__(self) -> None:
        self.root: Any = None  # the mark of the top node
        self.tables: dict[Path, Marks] = {}  # the path of each mapping and list -> its Marks

    def value(self, path: Path) -> Span:
        while path:
            table = self.tables.get(path[:-1])
            if table is not None:
                mark = _lookup(table.values, path[-1])
                if mark is not None:
                    return span_of(mark)
            path = path[:-1]
        return START if self.root is None else span_of(self.root)

    def key(self, path: Path) -> Span:
        """The key's position when there is one, else the value's."""
        if path:
            table = self.tables.get(path[:-1])
            if table is not None and table.keys is not None:
                mark = table.keys.get(path[-1])
                if mark is not None:
                    return span_of(mark)
        return self.value(path)


def _lookup(values: dict[Any, Any] | list[Any], part: str | int) -> Any:
    if isinstance(values, dict):
        return values.get(part)
    if isinstance(part, int) and 0 <= part < len(values):
        return values[part]
    return None
