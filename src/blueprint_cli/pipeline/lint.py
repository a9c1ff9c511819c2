"""`blueprint lint`: every file's findings in one Report, in the order the files were
found, whatever the parallelism; and the whole command (report, files, exit code)
without the command-line parser, so that ``blueprint lint FILE...`` — a pre-commit
hook's whole cost — can start without typer (see __main__.py)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from blueprint_cli.findings import Report
from blueprint_cli.pipeline.baseline import Baseline
from blueprint_cli.pipeline.check import rule_infos
from blueprint_cli.pipeline.run import Progress, RunOptions, check, plan


def lint_paths(
    paths: list[str], options: RunOptions | None = None, baseline: Baseline | None = None
) -> Report:
    """Every file's findings; with a ``baseline``, only those it does not hold (or, when it
    is recording, none: they are its entries)."""
    options = options or RunOptions()
    planned = plan(paths, options)
    if baseline is not None:
        for job in planned.jobs:
            job.subjects = True
    report = Report(
        errors=planned.errors,
        warnings=planned.warnings,
        skipped=planned.skipped,
        fail_on=planned.settings.fail_on,
        rules=rule_infos(),
    )
    found = check(planned.jobs, models=False, progress=options.progress, workers=options.jobs)
    for result in found:
        if result.error is not None:
            report.errors.append(result.error)
            continue
        report.files.append(result.source.name)
        findings = result.findings
        if baseline is not None:
            enabled = result.settings.enabled
            findings = baseline.sift(result.source.name, findings, result.subjects, enabled)
        report.findings.extend(findings)
        config = result.settings.path or ""
        report.configurations[config] = report.configurations.get(config, 0) + 1
    if baseline is not None:
        baseline.finish()
        report.baselined = baseline.matched
    return report


@dataclass(slots=True)
class LintRequest:
    """What `blueprint lint` is asked, once its options are parsed and checked."""

    paths: list[str]
    run: RunOptions = field(default_factory=RunOptions)
    fmt: str | None = None  # None: text, or github under GitHub Actions
    output_file: str | None = None
    exit_zero: bool = False
    quiet: bool = False
    statistics: bool = False
    color: str = "auto"  # auto, always, never
    verbose: bool = False  # say which configuration applies
    baseline: str | None = None  # report only the findings this baseline file does not hold
    write_baseline: str | None = None  # record the findings to this file instead


def run_lint(request: LintRequest) -> int:
    """The lint command: the report on stdout (problems of the run on stderr); returns
    the exit code."""
    from blueprint_cli.reporters import get_reporter

    github = os.environ.get("GITHUB_ACTIONS") == "true"
    terminal_format = "github" if github else "text"
    fmt = request.fmt or terminal_format
    if request.run.progress is None:
        request.run.progress = progress("linting", 50)
    baseline = None
    if request.write_baseline is not None:
        baseline = Baseline(request.write_baseline, recording=True)
    elif request.baseline is not None:
        from blueprint_cli.pipeline.baseline import BaselineError, load

        try:
            baseline = load(request.baseline)
        except BaselineError as exc:
            sys.stderr.write(f"blueprint: error: {exc}\n")
            return 2
    report = lint_paths(request.paths, request.run, baseline)
    if baseline is not None and baseline.recording:
        return _write_baseline(request, report, baseline)
    if request.output_file is not None:
        from blueprint_cli.fileio import refusal

        inputs = [p for p in (*request.paths, *report.files) if p != "-" and os.path.isfile(p)]
        refused = refusal(request.output_file, inputs, "report")
        if refused is not None:  # before anything is printed: a usage error
            sys.stderr.write(f"blueprint: error: {refused}\n")
            return 2
    if request.verbose:
        from blueprint_cli.text import name

        for config, count in report.configurations.items():
            which = name(config) if config else "none found: the defaults"
            sys.stderr.write(
                f"blueprint: configuration: {which} ({count} file{'s' * (count != 1)})\n"
            )
        for skipped in report.skipped:
            sys.stderr.write(
                f"blueprint: skipped: {skipped}: not a blueprint (no top-level 'blueprint:' key)\n"
            )
    for warning in report.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    if baseline is not None and baseline.stale:
        _say_stale(baseline, request.verbose)
    for error in report.errors:
        sys.stderr.write(f"blueprint: error: {error}\n")
    if request.output_file is not None:
        import io

        from blueprint_cli.fileio import write_atomic

        buffer = io.StringIO()
        get_reporter(fmt)(report, buffer, color=False, quiet=request.quiet)
        try:
            write_atomic(request.output_file, buffer.getvalue().encode("utf-8"))
        except OSError as exc:
            sys.stderr.write(f"blueprint: error: {request.output_file}: {exc.strerror or exc}\n")
            return 2
        fmt = terminal_format
    code = 0 if request.exit_zero and report.exit_code == 1 else report.exit_code
    if request.statistics:
        from blueprint_cli.reporters.text import statistics, summary

        # a machine format keeps stdout for itself: the counts go to stderr
        stream = sys.stdout if fmt in ("text", "github") else sys.stderr
        stream.write(statistics(report))
        if not request.quiet:
            stream.write(summary(report) + "\n")
        if stream is sys.stdout:
            return code
    color = use_color(request.color, sys.stdout)
    try:
        get_reporter(fmt)(report, sys.stdout, color=color, quiet=request.quiet)
        sys.stdout.flush()
    except BrokenPipeError:  # `lint ... | head`: the reader has gone; the verdict stands
        from blueprint_cli.fileio import stdout_to_devnull

        stdout_to_devnull()
    return code


def _write_baseline(request: LintRequest, report: Report, baseline: Baseline) -> int:
    """--write-baseline: the findings go to the file, not to the report; a run that an
    error stopped (a path, a file that could not be read) writes nothing."""
    from blueprint_cli.fileio import refusal, write_atomic
    from blueprint_cli.text import name

    target = baseline.path
    inputs = [p for p in (*request.paths, *report.files) if p != "-" and os.path.isfile(p)]
    refused = refusal(target, inputs, "baseline")
    if refused is not None:
        sys.stderr.write(f"blueprint: error: {refused}\n")
        return 2
    for warning in report.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    if report.errors:
        for error in report.errors:
            sys.stderr.write(f"blueprint: error: {error}\n")
        sys.stderr.write(
            f"blueprint: error: {name(target)}: not written: the errors above stopped the run\n"
        )
        return 2
    try:
        write_atomic(target, baseline.text())
    except OSError as exc:
        sys.stderr.write(f"blueprint: error: {name(target)}: {exc.strerror or exc}\n")
        return 2
    n, files = len(baseline.entries), len(report.files)
    sys.stderr.write(
        f"blueprint: baseline: {n} finding{'s' * (n != 1)} of {files} file{'s' * (files != 1)} "
        f"recorded in {name(target)}; lint with --baseline {name(target)} to see only new ones\n"
    )
    return 0


def _say_stale(baseline: Baseline, verbose: bool) -> None:
    """Entries that matched no finding: said, never failed on (the findings may be fixed)."""
    from blueprint_cli.text import name, one_line

    n = len(baseline.stale)
    which = "entry no longer matches" if n == 1 else "entries no longer match"
    sys.stderr.write(
        f"blueprint: baseline: {name(baseline.path)}: {n} {which} any finding (fixed?): "
        f"write it again with --write-baseline to drop {'it' if n == 1 else 'them'}"
        f"{'' if verbose else ' (--verbose lists them)'}\n"
    )
    if verbose:
        for e in sorted(baseline.stale):
            sys.stderr.write(
                f"blueprint: baseline: not found: {name(e.file)}: {e.code} {one_line(e.about)}\n"
            )


def use_color(choice: str, stream: object) -> bool:
    """--color auto|always|never; auto means a terminal and no NO_COLOR."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress(label: str, threshold: int) -> Progress | None:
    """A progress bar for long runs on a terminal; None in CI logs and pipes."""
    isatty = getattr(sys.stderr, "isatty", None)
    if not (isatty and isatty()) or os.environ.get("CI"):
        return None
    from blueprint_cli.views.terminal import progress_bar

    return progress_bar(label, threshold=threshold)
