"""`blueprint audit template`: one blueprint -> the one check -> the checklist of a visit.

The blueprint is found and checked as every command finds and checks one (``run.plan``,
``run.check``, with its settings); one with errors is refused, its errors listed (a
checklist of a broken blueprint would send an auditor after ids that are not there).
The checklist is written atomically, never onto the blueprint; the observation skeleton
(``yaml``) is a YAML file, so it is never written onto a blueprint or a visit either,
and names its blueprint by the path from where it is written.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field, replace

from blueprint_cli.fileio import refusal, same_file
from blueprint_cli.findings import Finding, Outcome
from blueprint_cli.load.sniff import is_blueprint_text, is_observation_text
from blueprint_cli.pipeline.audit import project_of
from blueprint_cli.pipeline.filters import Filters, problems
from blueprint_cli.pipeline.render import STDOUT, emit
from blueprint_cli.pipeline.run import RunOptions, check, plan
from blueprint_cli.text import name as safe


@dataclass(slots=True)
class TemplateOptions:
    path: str
    output: str | None = None  # a file, or None / "-" for stdout
    fmt: str | None = None  # None: from the output's suffix, else markdown
    segment: str | None = None  # its steps and its standards; None: every segment
    date: datetime.date | None = None  # the visit's; None: blank (the skeleton: today)
    run: RunOptions = field(default_factory=RunOptions)


@dataclass(slots=True)
class TemplateResult(Outcome):
    written: tuple[str, str] | None = None  # (input, output)
    findings: list[Finding] = field(default_factory=list)  # the refused blueprint's errors

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def format_of(fmt: str | None, output: str | None) -> str:
    from blueprint_cli.views.audit_template import SUFFIX_FORMATS

    if fmt is not None:
        return fmt
    if output is None or output == STDOUT:
        return "markdown"
    return SUFFIX_FORMATS.get(os.path.splitext(output)[1].lower(), "markdown")


def _target_problem(target: str, source: str | None, fmt: str) -> str | None:
    """Why the checklist may not be written to ``target``."""
    inputs = [source] if source is not None else []
    if fmt != "yaml":
        return refusal(target, inputs, "checklist")
    if source is not None and same_file(source, target):
        return f"{safe(target)}: writing the skeleton there would overwrite the blueprint itself"
    if os.path.isfile(target):
        try:
            with open(target, "rb") as handle:
                head = handle.read(1 << 20)
        except OSError:
            return None  # the write says why
        if is_blueprint_text(head):
            return f"{safe(target)}: refusing to write the skeleton over a blueprint"
        if is_observation_text(head):
            return (
                f"{safe(target)}: refusing to write the skeleton over a visit's observations "
                "(move it, or name another file)"
            )
    return None


def template_path(options: TemplateOptions) -> TemplateResult:
    from blueprint_cli.views.audit_template import build, text_of

    if os.path.isdir(options.path):
        return TemplateResult(
            errors=[f"{safe(options.path)} is a directory: audit template takes one blueprint"]
        )
    fmt = format_of(options.fmt, options.output)
    target = options.output if options.output is not None else STDOUT
    planned = plan([options.path], options.run)
    result = TemplateResult(errors=planned.errors, warnings=planned.warnings)
    if result.errors or not planned.jobs:
        return result
    job = replace(planned.jobs[0], digest=True)
    source = job.source
    if fmt == "yaml" and source.path is None:
        result.errors.append(
            "a skeleton names its blueprint's file: give the blueprint's path, not stdin"
        )
        return result
    if target != STDOUT:
        problem = _target_problem(target, source.path, fmt)
        if problem is not None:
            result.errors.append(problem)
            return result
    checked = next(check([job], models=True))
    bp = checked.usable(result.errors, result.findings, strict=True)
    if bp is None:
        return result
    if options.segment is not None:
        result.errors.extend(problems(Filters(segments=(options.segment,)), [bp]))
        if result.errors:
            return result
    reference = ""
    if source.path is not None:
        here = os.path.dirname(os.path.abspath(target)) if target != STDOUT else os.getcwd()
        reference = os.path.relpath(os.path.abspath(source.path), here).replace(os.sep, "/")
        if fmt == "yaml":
            project = project_of(target if target != STDOUT else None, checked.settings)
            real = os.path.realpath(source.path)
            if os.path.commonpath([project, real]) != project:
                result.warnings.append(
                    f"{safe(source.path)} is outside the project of the skeleton "
                    f"({safe(project)}): blueprint audit check will refuse it there"
                )
    checklist = build(bp, source.name, checked.sha256 or "", options.segment, options.date)
    data = text_of(checklist, fmt, reference).encode("utf-8")
    problem = emit(target, data)
    if problem is not None:
        result.errors.append(problem)
        return result
    result.written = (source.name, safe(target))
    return result
