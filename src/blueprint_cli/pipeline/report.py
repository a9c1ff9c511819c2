"""The report pipeline: sources -> the one check -> an HTML page each (and an index).

Each file is read and checked once (``run.check``), with every rule of its settings (the
page lists the lint findings); the diagram is drawn from the same check as ``render``
draws it (``render.svg_of``: the picture's rules only), its badges linked to the page's
rows. Targets are planned as ``render`` plans them (``render.place``), never onto an
input, and written atomically. A blueprint with errors is reported as a draft, its errors
listed (``strict`` refuses it); without Graphviz the page is written with a notice where
the diagram would be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from blueprint_cli.fileio import refusal
from blueprint_cli.findings import Finding, Outcome
from blueprint_cli.pipeline.render import (
    STDOUT,
    RenderOptions,
    UsageError,
    emit,
    escapes,
    place,
    risk_bands,
    rows_of,
    svg_of,
    target_problem,
)
from blueprint_cli.pipeline.run import Checked, RunOptions, check, picture_rules, plan
from blueprint_cli.text import name as safe

SUFFIXES = ("html", "htm")
INDEX = "index.html"


@dataclass(slots=True)
class ReportOptions:
    output: str | None = None  # a file, a directory (one page each and an index), or "-"
    paper: str = "a4"  # the printed page (views/report.py PAPERS), landscape
    strict: bool = False  # refuse a blueprint with errors; else it is reported as a draft
    rows: tuple[str, ...] = ()  # the diagram's optional rows, as ``render --rows``
    visits: tuple[str, ...] = ()  # observation files or folders: an audit section
    run: RunOptions = field(default_factory=RunOptions)


@dataclass(slots=True)
class ReportResult(Outcome):
    written: list[tuple[str, str]] = field(default_factory=list)  # (input, output)
    index: str | None = None  # the index page written, when the output is a directory
    findings: list[Finding] = field(default_factory=list)  # errors of drafts and refused files

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def report_paths(paths: list[str], options: ReportOptions) -> ReportResult:
    from blueprint_cli.views.report import PAPERS

    if options.paper not in PAPERS:
        return ReportResult(errors=[f"unknown paper {options.paper!r}: use {', '.join(PAPERS)}"])
    _, row_errors = rows_of(RenderOptions(rows=options.rows))
    if row_errors:
        return ReportResult(errors=row_errors)
    planned = plan(paths, options.run)
    result = ReportResult(errors=planned.errors, warnings=planned.warnings)
    out = options.output
    sources = [job.source for job in planned.jobs]
    try:
        targets = place(
            sources, out, "html", planned.roots, SUFFIXES, ("report", "reported", "site/")
        )
    except UsageError as exc:
        result.errors.append(str(exc))
        return result
    to_dir = out not in (None, STDOUT) and any(target != out for _, target in targets)
    claimed: dict[str, str] = {}
    index = None
    if to_dir and out is not None:
        index = os.path.join(out, INDEX)
        inputs = [s.path for s in sources if s.path is not None]
        problem = refusal(index, inputs, "index") or escapes(index, out)
        if problem is not None:
            result.errors.append(problem)
            return result
        claimed[os.path.abspath(index)] = "the index page"
    jobs, kept = [], []
    for job, (source, target) in zip(planned.jobs, targets, strict=True):
        problem = target_problem(source, target, claimed, "report") or escapes(target, out)
        if problem is not None:
            result.errors.append(problem)
            continue
        jobs.append(replace(job, digest=True))
        kept.append(target)
    from blueprint_cli.views.report import IndexRow, index_page, page

    drawing = Drawing(options.rows)
    rows: list[IndexRow] = []
    for checked, target in zip(check(jobs, models=True), kept, strict=True):
        bp = checked.usable(result.errors, result.findings, strict=options.strict)
        if bp is None:
            continue
        if checked.errors:
            result.drafts.append(checked.source.name)
        svg, notice = drawing.svg(checked)
        audited = _audit_section(checked, options, result)
        content = page(
            checked.source.name,
            checked.sha256 or "",
            bp,
            checked.findings,
            checked.positions,
            risk_bands(checked.settings),
            svg,
            notice,
            options.paper,
            audited,
        )
        if _write(target, content.html.encode("utf-8"), checked.source.name, result):
            href = os.path.relpath(target, out) if to_dir and out is not None else target
            rows.append(replace(content.row, href=href.replace(os.sep, "/")))
    if drawing.missing is not None:
        result.warnings.append(f"{drawing.missing}: the reports are written without diagrams")
    if index is not None and rows:
        data = index_page(rows, options.paper).encode("utf-8")
        if _write(index, data, "the index", result):
            result.index = safe(index)
    return result


def _audit_section(checked: Checked, options: ReportOptions, result: ReportResult) -> str:
    """``--visits``: the audit of the blueprint's visits, as a section of its page ("" when
    none is asked for, or none counts: said as a warning)."""
    if not options.visits or checked.source.path is None:
        return ""
    from blueprint_cli.pipeline.audit import audit
    from blueprint_cli.views.audit import build, html_section

    run = audit(checked.source.path, list(options.visits), options.run)
    result.warnings.extend(run.warnings)
    result.warnings.extend(f"left out: {line}" for line in run.left_out)
    result.errors.extend(run.errors)
    if run.tally is None or run.blueprint is None or not run.visits:
        if not run.errors:
            result.warnings.append(f"{checked.source.name}: no visit to audit in --visits")
        return ""
    doc = build(
        run.tally,
        run.blueprint.name,
        run.blueprint.sha256,
        run.left_out,
        run.settings.occurrence_scale,
    )
    return html_section(doc)


class Drawing:
    """The diagrams of the run, drawn as ``render`` draws them; after Graphviz fails to
    run once, the rest get the same notice (the next file would fail the same way)."""

    def __init__(self, rows: tuple[str, ...] = ()) -> None:
        self.missing: str | None = None
        self.rows = rows  # the optional rows (render --rows), checked already

    def svg(self, checked: Checked) -> tuple[str | None, str]:
        """(the SVG, "") or (None, why there is no diagram)."""
        from blueprint_cli.render.graphviz import DOT_HINT, RenderError

        bp = checked.blueprint
        assert bp is not None
        if not bp.steps:
            return None, "No diagram: the blueprint has no steps."
        limit = checked.settings.max_render_steps
        if len(bp.steps) > limit:
            return None, (
                f"No diagram: {len(bp.steps):,} steps are too many to draw (the limit is "
                f"{limit:,}, max-render-steps)."
            )
        if self.missing is not None:
            return None, f"No diagram: {self.missing}."
        # drawn from the findings of the picture's rules only, as render draws it
        enabled = picture_rules(checked.settings).enabled
        drawn = replace(checked, findings=[f for f in checked.findings if f.code in enabled])
        try:
            data = svg_of(drawn, RenderOptions(legend=False, rows=self.rows), links=True)
        except RenderError as exc:
            self.missing = str(exc).removesuffix(DOT_HINT)
            return None, f"No diagram: {self.missing}."
        return data.decode("utf-8", "replace"), ""


def _write(target: str, data: bytes, shown: str, result: ReportResult) -> bool:
    problem = emit(target, data)
    if problem is not None:
        result.errors.append(problem)
        return False
    result.written.append((shown, safe(target)))
    return True
