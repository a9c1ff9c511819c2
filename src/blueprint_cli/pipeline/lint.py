"""The lint pipeline: sources -> load -> model -> rules -> findings, with the exit code.

Everything a file can contain becomes a finding; everything about paths and
configuration becomes a one-line error in the Report (exit 2). Nothing is raised to the
top.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from blueprint_cli.codes import Family
from blueprint_cli.config import ConfigError, Overrides, Resolver, Settings
from blueprint_cli.findings import Finding, Problem, Report, RuleInfo, Severity
from blueprint_cli.model.validation import Checked, check_bytes
from blueprint_cli.pipeline.discover import Source, discover

Progress = tuple[Callable[[int, int], None], Callable[[], None]]  # (update, stop)

#: From this many files on, they are checked in parallel across the machine's cores.
PARALLEL_MIN = 16


@dataclass(slots=True)
class LintOptions:
    overrides: Overrides = field(default_factory=Overrides)
    stdin_name: str = "<stdin>"
    progress: Progress | None = None
    jobs: int | None = None  # worker processes; None: one per core when there are many files


def rule_infos() -> list[RuleInfo]:
    from blueprint_cli.rules import RULES

    return [
        RuleInfo(r.code, r.name, r.family, r.severity, r.summary, r.doc) for r in RULES.values()
    ]


def _defaults() -> Settings:
    from blueprint_cli.config import build_settings

    return build_settings({}, Overrides(), None)


def run_rules(checked: Checked, settings: Settings) -> list[Problem]:
    """The problems of every enabled rule for one file."""
    from blueprint_cli.rules import RULES, Context

    problems = [p for p in checked.problems if p.code in settings.enabled]
    if checked.blueprint is None:
        return problems
    for code in sorted(settings.enabled):
        rule = RULES[code]
        if rule.check is None:
            continue
        ctx = Context(
            checked.blueprint,
            checked.source,
            code,
            settings.options.get(code, {}),
            checked.dropped,
        )
        found = rule.check(ctx)
        if checked.pruned and rule.family is Family.SERVICE_DESIGN:
            # a node that lost a part to a schema error is not judged on what it lacks
            found = [p for p in found if not _damaged(p.path, checked.pruned)]
        problems.extend(found)
    return problems


def _damaged(path: tuple[str | int, ...], pruned: list[tuple[str | int, ...]]) -> bool:
    """Did the node at ``path`` lose one of its keys, or an item of one of its lists?"""
    if not path:
        return False
    n = len(path)
    return any(
        p[:n] == path and (len(p) == n + 1 or (len(p) == n + 2 and isinstance(p[-1], int)))
        for p in pruned
    )


def to_findings(name: str, problems: list[Problem], settings: Settings) -> list[Finding]:
    from blueprint_cli.rules import RULES

    return [
        Finding(
            name,
            p.span.line,
            p.span.col,
            p.code,
            settings.severity[p.code],
            p.message,
            RULES[p.code].name,
        )
        for p in problems
    ]


def analyse(name: str, raw: bytes, settings: Settings) -> tuple[Checked, list[Finding]]:
    """One file's bytes -> (the loaded model, its findings: suppressions applied, sorted)."""
    from blueprint_cli.pipeline import suppress

    checked = check_bytes(raw, settings.limits)
    findings = to_findings(name, run_rules(checked, settings), settings)
    kept, unused = suppress.apply(findings, suppress.scan(raw), settings.enabled)
    if suppress.UNUSED in settings.enabled:
        kept += to_findings(name, unused, settings)
    return checked, sorted(kept, key=Finding.sort_key)


def lint_bytes(name: str, raw: bytes, settings: Settings | None = None) -> list[Finding]:
    """All findings for one file's bytes, suppressions applied, sorted."""
    return analyse(name, raw, settings or _defaults())[1]


def read_source(source: Source, resolver: Resolver) -> tuple[Settings, bytes] | str:
    """A file's settings and bytes, or the one-line error that stops it (exit 2)."""
    try:
        settings = resolver.for_path(source.path)
        return settings, source.read(settings.limits.max_bytes)
    except ConfigError as exc:
        return str(exc)
    except OSError as exc:
        return f"{source.name}: {exc.strerror or exc}"


def lint_source(source: Source, settings: Settings) -> tuple[list[Finding], str | None]:
    try:
        raw = source.read(settings.limits.max_bytes)
    except OSError as exc:
        return [], f"{source.name}: {exc.strerror or exc}"
    return lint_bytes(source.name, raw, settings), None


#: A finding as a worker sends it: (line, col, code, severity, message, rule name). Plain
#: tuples pickle in C; a Finding with its enum member costs pickle Python calls (75 us a
#: file, as much as a rule).
Row = tuple[int, int, str, int, str, str]


def _lint_job(job: tuple[Source, Settings]) -> tuple[list[Row], str | None]:
    findings, error = lint_source(*job)
    return [(f.line, f.col, f.code, int(f.severity), f.message, f.name) for f in findings], error


def _worker_start() -> None:
    """A worker checks many files, each a burst of small objects that die together:
    the batch collector policy saves 6% of the instructions per file."""
    from blueprint_cli.pipeline import gcpolicy

    gcpolicy.for_batch()


def _workers(count: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if count < PARALLEL_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def lint_paths(paths: list[str], options: LintOptions | None = None) -> Report:
    """Lint every file the paths name. The report's order is the same whatever the
    parallelism: files in the order found, findings sorted within each file."""
    options = options or LintOptions()
    resolver = Resolver(options.overrides)
    result = Report(rules=rule_infos())
    try:
        run_settings = resolver.for_path(None)
    except ConfigError as exc:
        result.errors.append(str(exc))
        return result
    result.fail_on = run_settings.fail_on
    found = discover(paths, options.stdin_name, run_settings.include, run_settings.exclude)
    result.errors.extend(found.errors)
    result.warnings = [f"{d}: no matching *.yaml or *.yml files found" for d in found.empty_dirs]
    jobs: list[tuple[Source, Settings]] = []
    for source in found.sources:
        try:
            jobs.append((source, resolver.for_path(source.path)))
        except ConfigError as exc:
            if str(exc) not in result.errors:
                result.errors.append(str(exc))
    workers = _workers(len(jobs), options.jobs)
    if any(source.path is None for source, _ in jobs):
        workers = 1  # stdin is read by this process
    update, stop = options.progress if options.progress else (None, None)
    try:
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            # small chunks: when one worker runs out, the other is at most 16 files from done
            chunk = max(1, min(16, len(jobs) // (workers * 8)))
            with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start) as pool:
                outcomes = pool.map(_lint_job, jobs, chunksize=chunk)
                _collect(result, jobs, outcomes, update)
        else:
            _collect(result, jobs, map(_lint_job, jobs), update)
    finally:
        if stop is not None:
            stop()
    return result


def _collect(
    result: Report,
    jobs: list[tuple[Source, Settings]],
    outcomes: Iterable[tuple[list[Row], str | None]],
    update: Callable[[int, int], None] | None,
) -> None:
    of = Severity.of
    for done, ((source, _), (rows, error)) in enumerate(zip(jobs, outcomes, strict=True), 1):
        if update is not None:
            update(done, len(jobs))
        if error is not None:
            result.errors.append(error)
            continue
        name = source.name
        result.files.append(name)
        result.findings.extend(
            Finding(name, line, col, code, of(severity), message, rule)
            for line, col, code, severity, message, rule in rows
        )


__all__ = ["LintOptions", "Severity", "lint_bytes", "lint_paths", "run_rules"]
