"""`blueprint import` and `blueprint export`: blueprints to and from other formats.

Export: one blueprint -> the one check -> a writer named in ``EXPORTERS`` (imported
when used), written atomically beside the blueprint or where ``-o`` says, never onto
it or onto any YAML file. A blueprint with errors is refused, its errors listed.

Import: a spreadsheet -> the plain data of a blueprint -> YAML text -> the one check
(the file's findings, as ``lint`` reports them), written atomically. Any problem in
the sheet stops the import (exit 2), each named by its cell; the input is never
written over, nor an existing file without ``force``.
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from blueprint_cli.fileio import refusal, same_file
from blueprint_cli.findings import Finding, Outcome, Severity
from blueprint_cli.pipeline.render import STDOUT, emit
from blueprint_cli.pipeline.run import RunOptions, check, plan
from blueprint_cli.text import name as safe


@dataclass(frozen=True, slots=True)
class Exporter:
    """A target of ``blueprint export --to``: ``function(blueprint[, layout])`` of
    ``module`` returns the file's bytes (``binary``) or text."""

    module: str
    function: str
    suffix: str  # the default output's, with its dot
    binary: bool
    layouts: tuple[str, ...] = ()  # the --layout values it takes; () none, the first default
    summary: str = ""
    #: a drawing: it takes the view's keywords (source_name, phases, segments, theme,
    #: bands), as `render` draws the blueprint
    drawing: bool = False


#: ``--to`` name -> its exporter; the command's choices and help are this table.
EXPORTERS: dict[str, Exporter] = {
    "xlsx": Exporter(
        "blueprint_cli.sheets.convert",
        "export_xlsx",
        ".xlsx",
        True,
        ("list", "grid"),
        "an Excel workbook: the process list and its sheets, or the grid",
    ),
    "csv": Exporter(
        "blueprint_cli.sheets.convert",
        "export_csv",
        ".csv",
        False,
        ("list", "grid"),
        "CSV: the process list (steps and their items only), or the grid",
    ),
    "drawio": Exporter(
        "blueprint_cli.render.drawio",
        "to_drawio",
        ".drawio",
        False,
        summary="diagrams.net (draw.io): swimlanes at the positions render draws, editable",
        drawing=True,
    ),
    "mermaid": Exporter(
        "blueprint_cli.render.mermaid",
        "to_mermaid",
        ".mmd",
        False,
        summary="a Mermaid flowchart, one subgraph per lane, for Markdown and GitHub",
        drawing=True,
    ),
}


def exporter(name: str) -> Exporter | str:
    """The exporter named, or why there is none (with a did-you-mean)."""
    found = EXPORTERS.get(name.strip().lower())
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(name.lower(), list(EXPORTERS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown target {name!r}{hint} (targets: {', '.join(EXPORTERS)})"


@dataclass(slots=True)
class ExportOptions:
    path: str
    to: str
    layout: str | None = None
    output: str | None = None  # None: beside the blueprint, its suffix changed; "-": stdout
    run: RunOptions = field(default_factory=RunOptions)
    # for the drawings (drawio, mermaid): the view, as render --phase/--segment/--theme
    phases: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    theme: str = "default"
    force: bool = False  # write over an existing output file


@dataclass(slots=True)
class ExportResult(Outcome):
    written: tuple[str, str] | None = None  # (input, output)
    findings: list[Finding] = field(default_factory=list)  # the refused blueprint's errors

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def export_path(options: ExportOptions) -> ExportResult:
    found = exporter(options.to)
    if isinstance(found, str):
        return ExportResult(errors=[found])
    layout = options.layout
    if layout is not None and layout not in found.layouts:
        takes = f"it takes {', '.join(found.layouts)}" if found.layouts else "it has no layouts"
        return ExportResult(errors=[f"--layout {layout}: not for --to {options.to} ({takes})"])
    if os.path.isdir(options.path):
        return ExportResult(
            errors=[f"{safe(options.path)} is a directory: export takes one blueprint"]
        )
    planned = plan([options.path], options.run)
    result = ExportResult(errors=planned.errors, warnings=planned.warnings)
    if result.errors or not planned.jobs:
        return result
    job = replace(planned.jobs[0])
    source = job.source
    target = options.output
    if target is None:
        if source.path is None:
            result.errors.append("reading stdin: name the output with -o FILE (or - for stdout)")
            return result
        target = os.path.splitext(source.path)[0] + found.suffix
    if target == STDOUT and found.binary and sys.stdout.isatty():
        result.errors.append(f"{options.to} is binary: name a file with -o, or pipe stdout to one")
        return result
    if target != STDOUT:
        problem = refusal(target, [source.path] if source.path else [], f"{options.to} export")
        if problem is None and os.path.lexists(target) and not options.force:
            # a workbook or a diagram may have been edited since it was exported, or be
            # the workshop's own sheet a blueprint was imported from
            problem = f"{safe(target)} exists: give --force to write over it, or another -o"
        if problem is not None:
            result.errors.append(problem)
            return result
    checked = next(check([job], models=True))
    bp = checked.usable(result.errors, result.findings, strict=True)
    if bp is None:
        return result
    keywords: dict[str, Any] = {}
    if found.drawing:
        keywords = _view(options, bp, checked.settings, source.name, result)
        if result.errors:
            return result
    elif options.phases or options.segments or options.theme != "default":
        result.errors.append(
            f"--phase, --segment and --theme are for drawings (drawio, mermaid), not {options.to}"
        )
        return result
    write = getattr(importlib.import_module(found.module), found.function)
    if keywords:
        import inspect

        accepted = inspect.signature(write).parameters
        keywords = {k: v for k, v in keywords.items() if k in accepted}
    out: Any = (
        write(bp, layout or found.layouts[0], **keywords)
        if found.layouts
        else write(bp, **keywords)
    )
    data = out if isinstance(out, bytes) else str(out).encode("utf-8")
    problem = emit(target, data)
    if problem is not None:
        result.errors.append(problem)
        return result
    result.written = (source.name, safe(target))
    return result


def _view(
    options: ExportOptions, bp: Any, settings: Any, name: str, result: ExportResult
) -> dict[str, Any]:
    """A drawing's keywords: the steps in view (unknown ids and an empty view are errors,
    as for render), the theme and the configured risk bands."""
    from blueprint_cli.pipeline.filters import Filters, problems
    from blueprint_cli.pipeline.render import risk_bands

    filters = Filters(options.phases, options.segments)
    result.errors.extend(problems(filters, [bp]))
    if not result.errors and filters.steps_filtered and not filters.select(bp).steps:
        result.errors.append(f"{name}: no step matches {filters.describe(bp, 0).split(':')[0]}")
    return {
        "source_name": name,
        "phases": options.phases,
        "segments": options.segments,
        "theme": options.theme,
        "bands": risk_bands(settings),
    }


# ---------------------------------------------------------------------------- import


@dataclass(slots=True)
class ImportOptions:
    path: str
    output: str | None = None  # None: beside the spreadsheet, as .yaml; "-": stdout
    layout: str | None = None  # grid or list; None: told by the headers
    sheet: str | None = None  # a workbook's sheet; None: the first with a table
    title: str | None = None  # the blueprint's title; None: the sheet's, if any
    force: bool = False  # write over an existing output file
    run: RunOptions = field(default_factory=RunOptions)


@dataclass(slots=True)
class ImportResult(Outcome):
    written: tuple[str, str] | None = None  # (input, output)
    findings: list[Finding] = field(default_factory=list)  # the imported blueprint's
    steps: int = 0

    @property
    def failed(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def _canonical(text: bytes) -> bytes:
    """The imported blueprint in the layout `blueprint fmt` gives (proven to mean the
    same); as dumped if the formatter declines it."""
    from blueprint_cli.fmt import Refused, Unformattable, format_bytes

    try:
        return format_bytes(text)
    except (Refused, Unformattable):  # pragma: no cover - plain data always formats
        return text


def import_path(options: ImportOptions) -> ImportResult:
    from blueprint_cli.load.errors import MAX_FILE_BYTES
    from blueprint_cli.pipeline.check import analyse
    from blueprint_cli.sheets import SheetError
    from blueprint_cli.sheets.build import to_yaml
    from blueprint_cli.sheets.convert import import_tables
    from blueprint_cli.sheets.read import read_tables

    path = options.path
    shown = safe(path)
    result = ImportResult()
    if path == STDOUT:
        result.errors.append("import reads a file: name the spreadsheet (.xlsx or .csv)")
        return result
    if os.path.isdir(path):
        result.errors.append(f"{shown} is a directory: import takes one spreadsheet")
        return result
    target = options.output or os.path.splitext(path)[0] + ".yaml"
    if target != STDOUT:
        if not target.lower().endswith((".yaml", ".yml")):
            result.errors.append(f"{safe(target)}: a blueprint is a .yaml or .yml file (or -)")
            return result
        if same_file(path, target):
            result.errors.append(f"{safe(target)}: writing there would overwrite the spreadsheet")
            return result
        if os.path.exists(target) and not options.force:
            result.errors.append(
                f"{safe(target)} exists: give --force to write over it, or another -o"
            )
            return result
    try:
        with open(path, "rb") as handle:
            from blueprint_cli.load import read_limited

            raw = read_limited(handle, MAX_FILE_BYTES)
        tables = read_tables(path, raw)
        data, warnings = import_tables(tables, options.layout, options.sheet)
    except OSError as exc:
        result.errors.append(f"{shown}: {exc.strerror or exc}")
        return result
    except SheetError as exc:
        shown_problems = exc.problems[:50]
        result.errors.extend(f"{shown}: {p}" if str(p) else shown for p in shown_problems)
        if len(exc.problems) > len(shown_problems):
            result.errors.append(f"{shown}: {len(exc.problems) - 50} more problems")
        return result
    result.warnings.extend(f"{shown}: {w}" for w in warnings)
    if options.title is not None:
        data = {
            "blueprint": 1,
            "title": options.title,
            **{k: v for k, v in data.items() if k not in ("blueprint", "title")},
        }
    text = _canonical(to_yaml(data, os.path.basename(path)).encode("utf-8"))
    name = safe(target) if target != STDOUT else "<stdout>"
    settings = _settings(target, options.run)
    if isinstance(settings, str):
        result.errors.append(settings)
        return result
    checked, findings = analyse(name, text, settings)
    if checked.blueprint is None:  # never: the YAML is made from plain data
        result.findings = findings
        return result
    result.findings = findings
    result.steps = len(checked.blueprint.steps)
    problem = emit(target, text)
    if problem is not None:
        result.errors.append(problem)
        result.findings = []  # of a file that was not written: not to be fixed anywhere
        return result
    result.written = (shown, safe(target))
    return result


def _settings(target: str, run: RunOptions) -> Any:
    """The settings that apply to the imported file where it is written."""
    from blueprint_cli.config import ConfigError, Resolver

    try:
        return Resolver(run.overrides).for_path(None if target == STDOUT else target)
    except ConfigError as exc:
        return str(exc)
