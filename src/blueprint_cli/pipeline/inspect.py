"""Loading blueprints for `show` and `failpoints`: each file linted once, with its
configuration; a file with errors is reported (its errors) and left out."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from blueprint_cli.config import Overrides, Resolver
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model import Blueprint
from blueprint_cli.pipeline.discover import discover


@dataclass(slots=True)
class Loaded:
    name: str
    blueprint: Blueprint
    findings: list[Finding]


@dataclass(slots=True)
class Inspection:
    files: list[Loaded] = field(default_factory=list)
    broken: list[Finding] = field(default_factory=list)  # errors of files left out
    errors: list[str] = field(default_factory=list)  # I/O, usage: exit 2
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.broken else 0


def inspect_paths(
    paths: list[str],
    stdin_name: str = "<stdin>",
    progress: Callable[[int, int], None] | None = None,
) -> Inspection:
    from blueprint_cli.pipeline.lint import analyse, read_source

    result = Inspection()
    found = discover(paths, stdin_name)
    result.errors.extend(found.errors)
    result.warnings.extend(f"{d}: no *.yaml or *.yml files found" for d in found.empty_dirs)
    resolver = Resolver(Overrides())
    total = len(found.sources)
    for done, source in enumerate(found.sources, start=1):
        if progress is not None:
            progress(done, total)
        read = read_source(source, resolver)
        if isinstance(read, str):
            result.errors.append(read)
            continue
        settings, raw = read
        checked, findings = analyse(source.name, raw, settings)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors or checked.blueprint is None:
            result.broken.extend(errors)
            continue
        result.files.append(Loaded(source.name, checked.blueprint, findings))
    return result


def stderr_is_terminal() -> bool:
    return bool(getattr(sys.stderr, "isatty", None) and sys.stderr.isatty())
