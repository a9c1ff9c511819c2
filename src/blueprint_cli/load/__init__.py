"""Bytes -> plain data and a source map: the YAML loader with positions.

``decode`` (bytes -> text), ``scalars`` (YAML 1.2 values, YAML 1.1 traps, tags),
``events`` (the one pass over the parser's events: the hot loop), ``errors`` (limits and
the one error a file that cannot be read gets).
"""

from blueprint_cli.load.decode import decode, read_limited
from blueprint_cli.load.errors import (
    DEFAULT_LIMITS,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    Limits,
    Loaded,
    LoadError,
)
from blueprint_cli.load.events import load_bytes, parse
from blueprint_cli.load.scalars import YamlFloat, YamlInt

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Limits",
    "LoadError",
    "Loaded",
    "YamlFloat",
    "YamlInt",
    "decode",
    "load_bytes",
    "parse",
    "read_limited",
]
