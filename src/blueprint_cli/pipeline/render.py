"""The render pipeline: sources -> load -> model -> (filter) -> DOT -> Graphviz -> files.

Decides where each picture goes, draws a blueprint with errors as a draft (what
validates, its errors listed; ``strict`` refuses it), never writes
onto an input, and writes every file atomically (a temporary file, then a rename), so
an interrupted run leaves the previous picture intact.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from blueprint_cli.fileio import refusal, write_atomic
from blueprint_cli.findings import Finding, Outcome
from blueprint_cli.load import read_limited
from blueprint_cli.model import Blueprint
from blueprint_cli.pipeline.discover import Source
from blueprint_cli.pipeline.filters import Filters, problems
from blueprint_cli.pipeline.run import Checked, Job, RunOptions, check_one, picture_rules, plan
from blueprint_cli.positions import Path as DataPath
from blueprint_cli.text import name as safe

if TYPE_CHECKING:
    from blueprint_cli.analysis.audit import Tally
    from blueprint_cli.config import Settings
    from blueprint_cli.render import Diagram, DotOptions, RiskBands

FORMATS = ("svg", "png", "pdf", "dot")
#: --check reads a committed picture up to this size (a 2,000-step SVG is ~10 MB).
MAX_PICTURE_BYTES = 256 * 1024 * 1024
STDOUT = "-"
#: a draft lists this many of its errors under the diagram (lint lists them all)
DRAFT_ERRORS = 50


@dataclass(slots=True)
class RenderOptions:
    output: str | None = None  # a file, a directory, or "-" for stdout
    fmt: str | None = None  # None: from the output's suffix, else svg
    filters: Filters = field(default_factory=Filters)
    theme: str = "default"
    legend: bool = True
    paper: str | None = None  # PDF only: pages of this size (render/pages.py PAPERS)
    wrap: int | None = None  # rows of this many steps, stacked
    check: bool = False  # compare with the pictures on disk instead of writing
    strict: bool = False  # refuse a blueprint with errors; else it is drawn as a draft
    #: the optional rows (render/rows.py ROWS): names as given, comma lists allowed
    rows: tuple[str, ...] = ()
    run: RunOptions = field(default_factory=RunOptions)
    #: observation files and directories of audit visits of the one blueprint drawn: what
    #: they observed is drawn over it (render/observed.py)
    visits: tuple[str, ...] = ()
    #: an older version of the one blueprint drawn: what changed since is drawn over it
    #: (render/changes.py)
    diff: str | None = None


@dataclass(slots=True)
class RenderResult(Outcome):
    written: list[tuple[str, str]] = field(default_factory=list)  # (input, output)
    #: --check: (input, output, why): "out of date", or "missing" (never drawn)
    stale: list[tuple[str, str, str]] = field(default_factory=list)
    too_big: list[str] = field(default_factory=list)  # not drawn: over max-render-steps
    findings: list[Finding] = field(default_factory=list)  # errors that stopped a file

    @property
    def failed(self) -> bool:
        return bool(self.findings or self.stale or self.too_big)


class UsageError(Exception):
    pass


SOURCE_MARK = "blueprint-source-sha256"
_MARK = re.compile(
    rb"<!-- blueprint-source-sha256: ([0-9a-f]{64}) svg-sha256: ([0-9a-f]{64}) -->\n"
)


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def source_mark(dot: str, svg: bytes) -> str:
    """The comment an SVG carries for --check: the DOT it was drawn from, and the SVG as
    drawn (so that a picture changed by hand, a ``<script>`` added, is found out)."""
    return f"<!-- {SOURCE_MARK}: {_sha256(dot.encode('utf-8'))} svg-sha256: {_sha256(svg)} -->"


def mark_svg(svg: bytes, dot: str) -> bytes:
    """Put the source mark before the <svg> element (after the XML declaration)."""
    at = svg.find(b"<svg")
    mark = source_mark(dot, svg).encode("ascii") + b"\n"
    return svg[:at] + mark + svg[at:] if at >= 0 else svg + mark


def _svg_staleness(existing: bytes, dot: str) -> str | None:
    marks = list(_MARK.finditer(existing))
    if len(marks) != 1:
        return "out of date"
    mark = marks[0]
    drawn = existing[: mark.start()] + existing[mark.end() :]
    if _sha256(drawn) != mark.group(2).decode("ascii"):
        return "changed since it was drawn"
    if mark.group(1).decode("ascii") != _sha256(dot.encode("utf-8")):
        return "out of date"
    return None


def staleness(target: str, fmt: str, dot: str) -> str | None:
    """None when the picture on disk was drawn from this DOT; else "missing" or
    "out of date"."""
    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            return "out of date"  # a device, a FIFO: never a committed picture
        with open(target, "rb") as handle:
            existing = read_limited(handle, MAX_PICTURE_BYTES)
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "out of date"
    if len(existing) > MAX_PICTURE_BYTES:
        return "out of date"
    if fmt == "dot":
        return None if existing == dot.encode("utf-8") else "out of date"
    return _svg_staleness(existing, dot)


def _format_of(output: str | None, fmt: str | None) -> str:
    if output in (None, STDOUT) or (output is not None and os.path.isdir(output)):
        return fmt or "svg"
    assert output is not None
    suffix = Path(output).suffix.lower().lstrip(".")
    if fmt is not None:
        if suffix in FORMATS and suffix != fmt:
            raise UsageError(f"--format {fmt} does not match the output file {output}")
        return fmt
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot tell the format of {output!r}: name it .svg, .png, .pdf or .dot, "
            "or give --format"
        )
    return suffix


def plan_targets(
    sources: list[Source], options: RenderOptions, roots: dict[str, str]
) -> list[tuple[Source, str]]:
    """(source, target) for every source; target "-" is stdout."""
    fmt = _format_of(options.output, options.fmt)
    return place(sources, options.output, fmt, roots, FORMATS)


def place(
    sources: list[Source],
    out: str | None,
    fmt: str,
    roots: dict[str, str],
    suffixes: tuple[str, ...],
    what: tuple[str, str, str] = ("picture", "drawn", "pictures/"),
) -> list[tuple[Source, str]]:
    """Where the output of each source goes, with the suffix ``fmt``: beside it (no
    ``out``), to ``out`` (one file: ``out`` has one of the ``suffixes``), into the
    directory ``out`` (the tree below each directory named kept), or "-" (stdout).
    ``what`` names the output in errors: (the thing, what is done, a directory)."""
    thing, done, folder = what
    if out == STDOUT:
        if len(sources) != 1:
            raise UsageError(f"-o - writes one {thing} to stdout: give exactly one blueprint")
        return [(sources[0], STDOUT)]
    names_a_file = out is not None and Path(out).suffix.lower().lstrip(".") in suffixes
    to_dir = out is not None and (
        os.path.isdir(out)
        or out.endswith(("/", os.sep))
        or (not names_a_file and (len(sources) > 1 or bool(roots)))
    )
    if out is not None and not to_dir and len(sources) > 1:
        raise UsageError(
            f"-o {out} names one {thing}, but {len(sources)} blueprints are to be {done}: "
            f"give a directory (-o {folder})"
        )
    targets: list[tuple[Source, str]] = []
    for source in sources:
        if source.path is None:
            target = out if out is not None and not to_dir else STDOUT
            if to_dir and out is not None:
                target = os.path.join(out, f"{Path(source.name).stem or 'blueprint'}.{fmt}")
        elif out is None:
            target = str(Path(source.path).with_suffix(f".{fmt}"))
        elif to_dir:
            root = roots.get(source.path)
            rel = Path(os.path.relpath(source.path, root)) if root else Path(source.path).name
            target = str(Path(out, rel).with_suffix(f".{fmt}"))
        else:
            target = out
        targets.append((source, target))
    return targets


def render_paths(paths: list[str], options: RenderOptions) -> RenderResult:
    from blueprint_cli.render import THEMES

    if options.theme not in THEMES:
        return RenderResult(errors=[f"unknown theme {options.theme!r}: use {', '.join(THEMES)}"])
    _, row_errors = rows_of(options)
    if row_errors:
        return RenderResult(errors=row_errors)
    planned = plan(paths, options.run)
    result = RenderResult(errors=planned.errors, warnings=planned.warnings)
    try:
        fmt = _format_of(options.output, options.fmt)
        if options.check and fmt not in ("svg", "dot"):
            raise UsageError(f"--check compares SVG or DOT pictures, not {fmt.upper()}")
        if options.paper is not None and fmt != "pdf":
            raise UsageError(f"--paper sets the pages of a PDF: not for {fmt.upper()}")
        if options.paper is not None and options.wrap is not None:
            raise UsageError("--paper cuts the diagram into pages itself: give --wrap or --paper")
        sources = [job.source for job in planned.jobs]
        targets = plan_targets(sources, options, planned.roots)
    except UsageError as exc:
        result.errors.append(str(exc))
        return result
    if options.check and any(target == STDOUT for _, target in targets):
        result.errors.append("--check compares with files: give -o a file or none")
        return result
    drawable = []
    claimed: dict[str, str] = {}
    for job, (source, target) in zip(planned.jobs, targets, strict=True):
        problem = target_problem(source, target, claimed) or escapes(target, options.output)
        if problem is not None:
            result.errors.append(problem)
            continue
        checked = check_one(Job(source, picture_rules(job.settings)))
        if checked.usable(result.errors, result.findings, strict=options.strict) is not None:
            drawable.append((checked, target))
            if checked.errors:
                result.drafts.append(checked.source.name)
    filters = options.filters
    if drawable:
        filter_problems = problems(filters, (c.blueprint for c, _ in drawable if c.blueprint))
        if filter_problems:
            result.errors.extend(filter_problems)
            return result
    tally = None
    if options.visits:
        if len(planned.jobs) != 1:
            result.errors.append(
                f"--visits draws the visits of one blueprint: give one blueprint file, not "
                f"{len(planned.jobs)}"
            )
            return result
        tally = observed_tally(planned.jobs[0].source, options, result)
        if tally is None:
            return result
    old = None
    if options.diff is not None:
        if len(planned.jobs) != 1 or tally is not None:
            why = "--visits, not both" if tally is not None else f"{len(planned.jobs)} files"
            result.errors.append(f"--diff draws the changes of one blueprint: not {why}")
            return result
        old = old_version(options, result)
        if old is None:
            return result
    for checked, target in drawable:
        if not _draw(checked, target, fmt, options, result, tally, old):
            break  # Graphviz missing or broken: the next file would fail the same way
    return result


def observed_tally(source: Source, options: RenderOptions, out: RenderResult) -> Tally | None:
    """The audit of the visits of the blueprint ``source`` (pipeline.audit), for the
    picture; None, with the usage error that says why, when no visit is counted. The
    visits left out are warnings, one line each."""
    from blueprint_cli.pipeline.audit import audit

    if source.path is None:
        out.errors.append("--visits draws the visits of a blueprint file, not of stdin")
        return None
    segments = options.filters.segments or None
    run = audit(source.path, list(options.visits), options.run, segments=segments)
    out.warnings.extend(run.warnings)
    out.warnings.extend(f"visit left out: {line}" for line in run.left_out)
    if run.other_segments:
        wanted = ", ".join(segments or ())
        out.warnings.append(
            f"{run.other_segments:,} visit{'s' * (run.other_segments != 1)} of another "
            f"segment than {wanted} not counted (--segment)"
        )
    if run.errors:
        out.errors.extend(run.errors)
        return None
    if run.tally is None or run.visits == 0:
        visits = " ".join(safe(v) for v in options.visits)
        if run.left_out or run.other_segments:
            left = len(run.left_out) + run.other_segments
            why = f"all {left:,} visits found were left out (above)"
        else:
            why = f"no observation file ('observation: 1') in {visits}"
        out.errors.append(f"--visits: no visit counted: {why}")
        return None
    return run.tally


def old_version(options: RenderOptions, out: RenderResult) -> tuple[Blueprint, str] | None:
    """The older version of ``--diff`` and its name, read and checked as the one drawn is;
    what validates of it when it has errors (a warning says so); None, with the error,
    when it cannot be read."""
    assert options.diff is not None
    planned = plan([options.diff], options.run)
    if planned.errors or len(planned.jobs) != 1:
        out.errors.extend(planned.errors or [f"--diff {safe(options.diff)}: not one blueprint"])
        return None
    job = planned.jobs[0]
    checked = check_one(Job(job.source, picture_rules(job.settings)))
    errors: list[str] = []
    found: list[Finding] = []
    bp = checked.usable(errors, found, strict=False)
    if bp is None:
        out.errors.extend(errors or [f"--diff {checked.source.name}: cannot be compared"])
        return None
    if checked.errors:
        out.warnings.append(
            f"--diff {checked.source.name}: {len(checked.errors):,} error"
            f"{'s' * (len(checked.errors) != 1)}; what validates of it is compared"
        )
    return bp, Path(checked.source.name).name


def _draw(
    checked: Checked,
    target: str,
    fmt: str,
    options: RenderOptions,
    out: RenderResult,
    tally: Tally | None = None,
    old: tuple[Blueprint, str] | None = None,
) -> bool:
    """Draw one blueprint to its target (or compare with it, under --check); False when
    Graphviz cannot run at all."""
    from blueprint_cli.render.graphviz import RenderError, png_dpi, run_graphviz

    bp = checked.blueprint
    assert bp is not None
    shown = checked.source.name
    view = options.filters.select(bp)
    if not view.steps:
        empty = "no step matches --phase/--segment" if options.filters.steps_filtered else ""
        out.warnings.append(f"{shown}: not drawn: {empty or 'the blueprint has no steps'}")
        if shown in out.drafts:
            out.drafts.remove(shown)  # its errors are "not drawn", as it is
        return True
    limit = checked.settings.max_render_steps
    if len(view.steps) > limit:
        out.too_big.append(
            f"{shown}: {len(view.steps):,} steps are too many to draw (the limit is "
            f"{limit:,}, max-render-steps): draw a part with --phase or --segment"
        )
        return True
    diagram = diagram_of(checked, view, options, tally=tally, old=old)
    if options.check:
        stale = staleness(target, fmt, diagram.text())
        if stale is not None:
            out.stale.append((shown, safe(target), stale))
        return True
    try:
        if fmt == "dot":
            data = diagram.text().encode("utf-8")
        elif fmt == "png":
            dpi, lowered = png_dpi(diagram.width, diagram.height)
            if lowered:
                out.warnings.append(
                    f"{shown}: the PNG is drawn at {dpi:g} dpi to stay within "
                    f"Graphviz's {32767:,}-pixel limit; SVG or PDF stay sharp, or draw "
                    "one phase at a time with --phase"
                )
            data = run_graphviz(diagram.text(dpi), "png")
        elif fmt == "pdf":
            from blueprint_cli.render.pdf import paginate, pdf_dot

            data, scaled = paginate(run_graphviz(pdf_dot(diagram), "pdf"), diagram, options.paper)
            if scaled is not None:
                out.warnings.append(f"{shown}: {scaled}")
        else:
            data = run_graphviz(diagram.text(), fmt)
            if fmt == "svg":
                data = mark_svg(data, diagram.text())
    except RenderError as exc:
        out.errors.append(str(exc))
        return False
    problem = emit(target, data)
    if problem is not None:
        out.errors.append(problem)
        return True
    out.written.append((shown, safe(target)))
    return True


def emit(target: str, data: bytes) -> str | None:
    """Write ``data`` to stdout ("-") or atomically to ``target``; the error, one line,
    when it cannot be written."""
    if target == STDOUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return None
    try:
        write_atomic(target, data)
    except OSError as exc:
        return f"{safe(target)}: {exc.strerror or exc}"
    return None


def diagram_of(
    checked: Checked,
    view: Blueprint,
    options: RenderOptions,
    *,
    links: bool = False,
    tally: Tally | None = None,
    old: tuple[Blueprint, str] | None = None,
) -> Diagram:
    """The diagram of ``view`` (``options.filters.select`` of the checked blueprint, or the
    blueprint itself), with what the picture says beyond the model (``_dot_options``);
    fail points and waits numbered in the whole blueprint. With a ``tally``, what the
    audit's visits observed is drawn over it."""
    from blueprint_cli.analysis import markers
    from blueprint_cli.render import THEMES, build, build_wrapped

    bp = checked.blueprint
    assert bp is not None
    kept = {s.id for s in view.steps}
    # numbered in the whole blueprint; waits judged by the standards of the segments in view
    segments = options.filters.segments or None
    numbered = [m for m in markers(bp, segments) if m.step.id in kept]
    dot_options = _dot_options(checked, view, options)
    if links:
        dot_options = replace(dot_options, links=True)
    if tally is not None:
        from blueprint_cli.render.observed import overlay

        seen = overlay(tally, view)
        assert dot_options.heading is not None
        heading = replace(dot_options.heading, title=f"{dot_options.heading.title} — {seen.title}")
        dot_options = replace(dot_options, observed=seen, heading=heading)
    if old is not None:
        from blueprint_cli.analysis.diff import diff
        from blueprint_cli.render.changes import overlay as changes_overlay

        changes = changes_overlay(diff(old[0], bp), old[0], bp, view, old[1])
        assert dot_options.heading is not None
        heading = replace(
            dot_options.heading, title=f"{dot_options.heading.title} — {changes.title}"
        )
        dot_options = replace(dot_options, changes=changes, heading=heading)
    if options.wrap is not None:
        return build_wrapped(view, THEMES[options.theme], options.wrap, dot_options, numbered)
    return build(view, THEMES[options.theme], dot_options, numbered)


def svg_of(checked: Checked, options: RenderOptions | None = None, *, links: bool = False) -> bytes:
    """A checked blueprint drawn as SVG, in memory, as ``render`` draws it (for pages that
    embed the picture: the report, the watch page). With ``links``, each badge links to
    the page's row of its fail point or wait (``#fp-F1``, ``#wait-W1``). Raises
    ``RenderError`` when Graphviz cannot run."""
    from blueprint_cli.render.graphviz import run_graphviz

    options = options or RenderOptions()
    assert checked.blueprint is not None
    view = options.filters.select(checked.blueprint)
    diagram = diagram_of(checked, view, options, links=links)
    return mark_svg(run_graphviz(diagram.text(), "svg"), diagram.text())


def rows_of(options: RenderOptions) -> tuple[tuple[str, ...], list[str]]:
    """The optional rows asked for, in drawing order, and a usage error for each name
    that is no row (``--rows emotoin``: did you mean 'emotion'?)."""
    from blueprint_cli.render.rows import parse_rows

    return parse_rows(options.rows)


def _dot_options(checked: Checked, view: Blueprint, options: RenderOptions) -> DotOptions:
    """What the picture says beyond the model: a draft's errors, the flows a rule flags,
    the risk bands of the configured high-risk threshold, and what a filtered view shows
    (its title, and the step numbers of the whole blueprint)."""
    from blueprint_cli.render import DotOptions, Heading, stubs

    bp = checked.blueprint
    assert bp is not None
    bands = risk_bands(checked.settings)
    flagged: dict[DataPath, str] = {}
    for f in checked.findings:
        if len(f.path) == 2 and f.path[0] == "flows":
            flagged.setdefault(f.path, f"{f.code} {f.message}")
    errors = checked.errors
    draft = tuple(f"{f.line}:{f.col} {f.code} {f.message}" for f in errors[:DRAFT_ERRORS])
    if len(errors) > DRAFT_ERRORS:
        draft += (f"… and {len(errors) - DRAFT_ERRORS:,} more: blueprint lint lists them all",)
    title = bp.title or "Service blueprint"
    if errors:
        title = f"Draft — {len(errors):,} error{'s' if len(errors) != 1 else ''}: {title}"
    shows = options.filters.describe(bp, len(view.steps))
    if shows:
        title = f"{title} ({shows})"
    return DotOptions(
        legend=options.legend,
        draft=draft,
        bands=bands,
        flagged=flagged,
        heading=Heading(title, bp.description or ""),
        numbers={s.id: i for i, s in enumerate(bp.steps, 1)},
        stubs=stubs(bp, view) if view is not bp else (),
        rows=rows_of(options)[0],
        segments=options.filters.segments or None,
    )


def risk_bands(settings: Settings) -> RiskBands:
    """The high-risk rule's thresholds as configured for the file: the picture's bands."""
    from blueprint_cli.codes import HIGH_RISK_FAIL_POINT
    from blueprint_cli.render import RiskBands

    high = settings.options.get(HIGH_RISK_FAIL_POINT, {})
    default = RiskBands()
    return RiskBands(
        int(high.get("high-risk-rpn", default.rpn)),
        int(high.get("high-risk-severity", default.severity)),
    )


def escapes(target: str, output: str | None) -> str | None:
    """Why a picture planned inside the output directory would land outside it: a
    sub-directory there that is a symbolic link elsewhere."""
    if output is None or target in (STDOUT, output) or not os.path.isdir(output):
        return None  # one file, or a directory still to be made: no link below it yet
    root = os.path.realpath(output)
    existing = os.path.dirname(os.path.abspath(target))
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    real = os.path.realpath(existing)
    if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
        return None
    return (
        f"{safe(target)}: refusing to write outside {safe(output)} (through a link to {safe(real)})"
    )


def target_problem(
    source: Source, target: str, claimed: dict[str, str], what: str = "picture"
) -> str | None:
    """Why a picture (or ``what``) may not be written there: onto its own blueprint, onto
    a YAML file, or onto another blueprint's picture."""
    if target == STDOUT:
        return None
    refused = refusal(target, [source.path] if source.path is not None else [], what)
    if refused is not None:  # named from its blueprint, unless it names that already
        return refused if refused.startswith(f"{source.name}: ") else f"{source.name}: {refused}"
    key = os.path.abspath(target)
    if key in claimed:
        return f"{source.name}: {safe(target)} is also the output of {claimed[key]}"
    claimed[key] = source.name
    return None
