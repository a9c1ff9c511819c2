"""What a finding is about, in words that survive edits around it: the nearest node with
an id (``step check-in``, ``fail point no-reservation``, ``flow a -> b``) and the keys
below it (``action register: wait.expected``), never a list index or a line.

A baseline matches findings by it: inserting a step above a finding changes its line
and its data path (``steps.3`` becomes ``steps.4``), not what it is about.
"""

from __future__ import annotations

from collections.abc import Iterable

from blueprint_cli.model.nodes import Blueprint, identified
from blueprint_cli.positions import Path


def subjects(bp: Blueprint, paths: Iterable[Path]) -> dict[Path, str]:
    """Each data path -> what it is about in ``bp``; paths into parts the model lost (a
    pruned action) are about their nearest ancestor that it kept."""
    named = {node.path: f"{kind} {getattr(node, 'id', '')}" for kind, node, _ in identified(bp)}
    named.update((flow.path, f"flow {flow.from_} -> {flow.to}") for flow in bp.flows)
    named.pop((), None)
    out = {}
    for path in paths:
        at = len(path)
        while at > 0 and path[:at] not in named:
            at -= 1
        node = named[path[:at]] if at else "blueprint"
        keys = ".".join(str(part) for part in path[at:] if isinstance(part, str))
        out[path] = f"{node}: {keys}" if keys else node
    return out
