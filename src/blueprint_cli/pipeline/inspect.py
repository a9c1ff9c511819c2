"""The blueprints of `show` and `failpoints` (and the commands to come that read models):
each file checked once, with its settings; a file with errors is reported (its errors)
and shown as a draft (what validates of it), or left out when strict; the filters are
checked against the blueprints that remain."""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.findings import Finding, Outcome
from blueprint_cli.model import Blueprint
from blueprint_cli.pipeline.filters import Filters, problems
from blueprint_cli.pipeline.run import RunOptions, check, plan
from blueprint_cli.positions import SourceMap


@dataclass(slots=True)
class Inspected:
    """A blueprint that loaded (a draft when its findings hold errors), and its findings."""

    name: str
    blueprint: Blueprint
    findings: list[Finding]
    positions: SourceMap | None = None  # where each node was written


@dataclass(slots=True)
class Inspection(Outcome):
    files: list[Inspected] = field(default_factory=list)
    broken: list[Finding] = field(default_factory=list)  # errors of files left out

    @property
    def failed(self) -> bool:
        return bool(self.broken)


def inspect_paths(
    paths: list[str],
    options: RunOptions | None = None,
    filters: Filters | None = None,
    *,
    strict: bool = False,
) -> Inspection:
    options = options or RunOptions()
    planned = plan(paths, options)
    result = Inspection(errors=planned.errors, warnings=planned.warnings)
    for checked in check(planned.jobs, models=True, progress=options.progress):
        blueprint = checked.usable(result.errors, result.broken, strict=strict)
        if blueprint is not None:
            if checked.errors:
                result.drafts.append(checked.source.name)
            result.files.append(
                Inspected(checked.source.name, blueprint, checked.findings, checked.positions)
            )
    if filters is not None and result.files:
        unknown = problems(filters, (f.blueprint for f in result.files))
        if unknown:  # a usage error: nothing is shown
            result.errors.extend(unknown)
            result.files = []
    return result
