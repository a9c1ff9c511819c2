"""The render pipeline: sources -> load -> model -> (filter) -> DOT -> Graphviz -> files.

Decides where each picture goes, refuses to draw a blueprint with errors, never writes
onto an input, and writes every file atomically (a temporary file, then a rename), so
an interrupted run leaves the previous picture intact.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from blueprint_cli.fileio import write_atomic
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model import Blueprint
from blueprint_cli.pipeline.discover import Source, discover

FORMATS = ("svg", "png", "pdf", "dot")
STDOUT = "-"


@dataclass(slots=True)
class RenderOptions:
    output: str | None = None  # a file, a directory, or "-" for stdout
    fmt: str | None = None  # None: from the output's suffix, else svg
    phases: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    theme: str = "default"
    legend: bool = True
    stdin_name: str = "<stdin>"
    check: bool = False  # compare with the pictures on disk instead of writing


@dataclass(slots=True)
class RenderResult:
    written: list[tuple[str, str]] = field(default_factory=list)  # (input, output)
    stale: list[tuple[str, str]] = field(default_factory=list)  # --check: out of date
    too_big: list[str] = field(default_factory=list)  # not drawn: over max-render-steps
    findings: list[Finding] = field(default_factory=list)  # errors that stopped a file
    errors: list[str] = field(default_factory=list)  # usage, I/O, Graphviz: exit 2
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 1 if self.findings or self.stale or self.too_big else 0


class UsageError(Exception):
    pass


SOURCE_MARK = "blueprint-source-sha256"


def source_mark(dot: str) -> str:
    """The comment an SVG carries to say which DOT it was drawn from (for --check)."""
    import hashlib

    return f"<!-- {SOURCE_MARK}: {hashlib.sha256(dot.encode('utf-8')).hexdigest()} -->"


def mark_svg(svg: bytes, dot: str) -> bytes:
    """Put the source mark before the <svg> element (after the XML declaration)."""
    at = svg.find(b"<svg")
    mark = source_mark(dot).encode("ascii") + b"\n"
    return svg[:at] + mark + svg[at:] if at >= 0 else svg + mark


def up_to_date(target: str, fmt: str, dot: str) -> bool:
    try:
        with open(target, "rb") as handle:
            existing = handle.read()
    except OSError:
        return False
    if fmt == "dot":
        return existing == dot.encode("utf-8")
    return source_mark(dot).encode("ascii") in existing


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


def plan(
    sources: list[Source], options: RenderOptions, roots: dict[str, str]
) -> list[tuple[Source, str]]:
    """(source, target) for every source; target "-" is stdout."""
    fmt = _format_of(options.output, options.fmt)
    out = options.output
    if out == STDOUT:
        if len(sources) != 1:
            raise UsageError("-o - writes one picture to stdout: give exactly one blueprint")
        return [(sources[0], STDOUT)]
    to_dir = out is not None and (
        os.path.isdir(out) or out.endswith(("/", os.sep)) or len(sources) > 1 or bool(roots)
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


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def select(bp: Blueprint, phases: list[str], segments: list[str]) -> Blueprint:
    """Only the steps of the given phases, and of the given segments (or of all segments)."""
    steps = [
        s
        for s in bp.steps
        if (not phases or s.phase in phases)
        and (not segments or not s.segments or any(seg in s.segments for seg in segments))
    ]
    return bp.model_copy(update={"steps": steps})


def _check_filters(bp: Blueprint, options: RenderOptions) -> str | None:
    known_phases = [p.id for p in bp.phases]
    for phase in options.phases:
        if phase not in known_phases:
            return f"no phase {phase!r} (phases: {', '.join(known_phases) or 'none'})"
    known_segments = [s.id for s in bp.segments]
    for segment in options.segments:
        if segment not in known_segments:
            return f"no segment {segment!r} (segments: {', '.join(known_segments) or 'none'})"
    return None


def render_paths(paths: list[str], options: RenderOptions) -> RenderResult:
    from blueprint_cli.analysis import markers
    from blueprint_cli.config import Overrides, Resolver, build_settings
    from blueprint_cli.pipeline.lint import analyse, read_source
    from blueprint_cli.render import THEMES, DotOptions, build
    from blueprint_cli.render.graphviz import RenderError, png_dpi, run_graphviz

    result = RenderResult()
    if options.theme not in THEMES:
        result.errors.append(f"unknown theme {options.theme!r}: use {', '.join(THEMES)}")
        return result
    found = discover(paths, options.stdin_name)
    result.errors.extend(found.errors)
    result.warnings.extend(f"{d}: no *.yaml or *.yml files found" for d in found.empty_dirs)
    roots: dict[str, str] = {}
    for path in paths:
        if path != STDOUT and os.path.isdir(path):
            for source in found.sources:
                if source.path and source.path.startswith(path):
                    roots.setdefault(source.path, path)
    try:
        fmt = _format_of(options.output, options.fmt)
        if options.check and fmt not in ("svg", "dot"):
            raise UsageError(f"--check compares SVG or DOT pictures, not {fmt.upper()}")
        targets = plan(found.sources, options, roots)
    except UsageError as exc:
        result.errors.append(str(exc))
        return result
    format_rules = build_settings({"select": ["BP0"]}, Overrides(), None)
    resolver = Resolver(Overrides())
    claimed: dict[str, str] = {}
    for source, target in targets:
        if target != STDOUT:
            if source.path is not None and _same_file(source.path, target):
                result.errors.append(
                    f"{source.name}: the output {target} would overwrite the blueprint"
                )
                continue
            if Path(target).suffix.lower() in (".yaml", ".yml"):
                result.errors.append(f"{source.name}: refusing to write a picture to {target}")
                continue
            key = os.path.abspath(target)
            if key in claimed:
                result.errors.append(
                    f"{source.name}: {target} is also the output of {claimed[key]}"
                )
                continue
            claimed[key] = source.name
        read = read_source(source, resolver)
        if isinstance(read, str):
            result.errors.append(read)
            continue
        settings, raw = read
        checked, findings = analyse(source.name, raw, replace(format_rules, limits=settings.limits))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors or checked.blueprint is None:
            result.findings.extend(sorted(errors, key=Finding.sort_key))
            continue
        bp = checked.blueprint
        problem = _check_filters(bp, options)
        if problem is not None:
            result.errors.append(f"{source.name}: {problem}")
            continue
        numbered = markers(bp)
        view = select(bp, options.phases, options.segments)
        if not view.steps:
            result.errors.append(f"{source.name}: no steps match the --phase/--segment filter")
            continue
        if len(view.steps) > settings.max_render_steps:
            result.too_big.append(
                f"{source.name}: {len(view.steps):,} steps are too many to draw (the limit is "
                f"{settings.max_render_steps:,}, max-render-steps): draw a part with --phase "
                "or --segment"
            )
            continue
        kept = {s.id for s in view.steps}
        diagram = build(
            view,
            THEMES[options.theme],
            DotOptions(legend=options.legend),
            [m for m in numbered if m.step.id in kept],
        )
        if options.check:
            if target == STDOUT:
                result.errors.append("--check compares with files: give -o a file or none")
                break
            if not up_to_date(target, fmt, diagram.text()):
                result.stale.append((source.name, target))
            continue
        try:
            if fmt == "dot":
                data = diagram.text().encode("utf-8")
            elif fmt == "png":
                dpi, lowered = png_dpi(diagram.width, diagram.height)
                if lowered:
                    result.warnings.append(
                        f"{source.name}: the PNG is drawn at {dpi:g} dpi to stay within "
                        f"Graphviz's {32767:,}-pixel limit; SVG or PDF stay sharp, or draw "
                        "one phase at a time with --phase"
                    )
                data = run_graphviz(diagram.text(dpi), "png")
            else:
                data = run_graphviz(diagram.text(), fmt)
                if fmt == "svg":
                    data = mark_svg(data, diagram.text())
        except RenderError as exc:
            result.errors.append(str(exc))
            break  # Graphviz missing or broken: the next file would fail the same way
        if target == STDOUT:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            try:
                write_atomic(target, data)
            except OSError as exc:
                result.errors.append(f"{target}: {exc.strerror or exc}")
                continue
        result.written.append((source.name, target))
    return result
