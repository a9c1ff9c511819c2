"""The one path every command takes over files: paths -> the files (found once, with the
run's include and exclude) -> the settings of each -> one read and one check each.

``plan`` finds the files and their settings; ``check`` reads and checks them, in order,
in parallel when there are many and the caller needs findings only. Commands (lint,
show, failpoints, render, and those to come) build their outcome from what it yields.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from blueprint_cli.codes import Family
from blueprint_cli.config import ConfigError, Overrides, Resolver, Settings
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model import Blueprint
from blueprint_cli.model.subjects import subjects
from blueprint_cli.pipeline.check import analyse, default_settings
from blueprint_cli.pipeline.discover import Source, discover
from blueprint_cli.positions import Path, SourceMap
from blueprint_cli.text import name as safe

Progress = tuple[Callable[[int, int], None], Callable[[], None]]  # (update, stop)

#: From this many files on, they are checked in parallel across the machine's cores.
PARALLEL_MIN = 16


@dataclass(slots=True)
class RunOptions:
    """What every command over files is given: the command-line overrides of the
    configuration, the name of stdin, and how to run."""

    overrides: Overrides = field(default_factory=Overrides)
    stdin_name: str = "<stdin>"
    force_exclude: bool = False  # apply exclude to files named on the command line
    external_links: bool = False  # read files through links that leave the tree
    #: skip files named on the command line that are not blueprints, as a walk does
    only_blueprints: bool = False
    progress: Progress | None = None
    jobs: int | None = None  # worker processes; None: one per core when there are many files
    #: what the run takes: blueprints, or the observation files of audit visits
    kind: str = "blueprint"


@dataclass(slots=True)
class Job:
    source: Source
    settings: Settings
    #: also say what each finding is about (``Checked.subjects``), for a baseline
    subjects: bool = False
    #: also keep the sha256 of the file's bytes (``Checked.sha256``), for a report
    digest: bool = False
    kind: str = "blueprint"  # or observation: an audit visit, checked against its blueprint


@dataclass(slots=True)
class Plan:
    jobs: list[Job] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # paths, configuration: exit 2
    warnings: list[str] = field(default_factory=list)
    settings: Settings = field(default_factory=default_settings)  # the run's (fail-on)
    roots: dict[str, str] = field(default_factory=dict)  # file -> the directory named
    skipped: list[str] = field(default_factory=list)  # YAML files that are not blueprints

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


@dataclass(slots=True)
class Checked:
    """One file, read and checked: its findings, and its model when it could be built
    (and was asked for). ``error`` says why it could not be read."""

    source: Source
    settings: Settings
    findings: list[Finding] = field(default_factory=list)
    blueprint: Blueprint | None = None
    error: str | None = None
    #: a finding's data path -> what it is about (model.subjects), when the job asked
    #: and the file has a model
    subjects: dict[Path, str] = field(default_factory=dict)
    #: where each node of the file was written, when its model was asked for
    positions: SourceMap | None = None
    sha256: str | None = None  # of the bytes read, when the job asked (``Job.digest``)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def usable(
        self, errors: list[str], blocking: list[Finding], *, strict: bool = True
    ) -> Blueprint | None:
        """The blueprint, when the file was read and has no errors; else None, with why:
        the read error goes to ``errors``, the file's own errors to ``blocking``.

        Not ``strict``, a file with errors whose model could be built (what validates of
        it) is a *draft*: its errors still go to ``blocking``, and its model is returned."""
        if self.error is not None:
            errors.append(self.error)
            return None
        blocked = self.errors
        if blocked or self.blueprint is None:
            blocking.extend(blocked)
            return None if strict or not blocked else self.blueprint
        return self.blueprint


def plan(paths: list[str], options: RunOptions) -> Plan:
    """The files the paths name, each with its settings."""
    resolver = Resolver(options.overrides)
    result = Plan()
    try:
        result.settings = resolver.for_path(None)
    except ConfigError as exc:
        result.error(str(exc))
        return result
    found = discover(
        paths,
        resolver,
        options.stdin_name,
        options.force_exclude,
        options.external_links,
        options.only_blueprints,
        options.kind,
    )
    for message in found.errors:
        result.error(message)
    result.warnings = [
        *found.warnings,
        *(_nothing_found(d, n, options.kind) for d, n in found.empty_dirs),
    ]
    result.roots = found.roots
    result.skipped = found.skipped
    for source in found.sources:
        try:
            settings = resolver.for_path(source.path)
            result.jobs.append(Job(source, settings, kind=options.kind))
        except ConfigError as exc:
            result.error(str(exc))
    return result


def _nothing_found(directory: str, skipped: int, kind: str = "blueprint") -> str:
    if not skipped:
        return f"{safe(directory)}: no matching *.yaml or *.yml files found"
    files = f"{skipped} YAML file{'s' * (skipped != 1)}"
    return (
        f"{safe(directory)}: no {kind}s found ({files} without a top-level '{kind}:' key skipped)"
    )


def picture_rules(settings: Settings) -> Settings:
    """The settings with only the rules a picture needs: the format's (whether it is a
    draft, and its errors) and those whose findings it draws (a flagged flow)."""
    from blueprint_cli.rules import RULES

    enabled = frozenset(
        c for c in settings.enabled if RULES[c].family is Family.FORMAT or RULES[c].drawn
    )
    return replace(settings, enabled=enabled)


def check_one(job: Job, models: bool = True) -> Checked:
    """Read and check one file."""
    source, settings = job.source, job.settings
    try:
        raw = source.read(settings.limits.max_bytes)
    except OSError as exc:
        return Checked(source, settings, error=f"{source.name}: {exc.strerror or exc}")
    if job.kind == "observation":
        from blueprint_cli.pipeline.audit import analyse_observation

        observed = analyse_observation(source.name, source.path, raw, settings)
        return Checked(source, settings, observed.findings)
    checked, findings = analyse(source.name, raw, settings)
    about: dict[Path, str] = {}
    if job.subjects and checked.blueprint is not None:
        about = subjects(checked.blueprint, {f.path for f in findings if f.path})
    if not models:
        return Checked(source, settings, findings, None, None, about)
    digest = None
    if job.digest:
        import hashlib

        digest = hashlib.sha256(raw).hexdigest()
    return Checked(
        source, settings, findings, checked.blueprint, None, about, checked.source, digest
    )


def check(
    jobs: list[Job],
    *,
    models: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
) -> Iterator[Checked]:
    """Every file read and checked, in the order planned. Without ``models`` (findings
    only), many files are checked in parallel; the order stays the same."""
    count = _workers(len(jobs), workers) if not models else 1
    if any(job.source.path is None for job in jobs):
        count = 1  # stdin is read by this process
    update, stop = progress if progress else (None, None)
    try:
        if count > 1:
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            # small chunks: when one worker runs out, the other is at most 16 files from done
            chunk = max(1, min(16, len(jobs) // (count * 8)))
            done = 0
            try:
                with ProcessPoolExecutor(max_workers=count, initializer=_worker_start) as pool:
                    rows = pool.map(_check_rows, jobs, chunksize=chunk)
                    for checked in _collect(jobs, rows, update):
                        done += 1
                        yield checked
            except BrokenProcessPool:
                # a worker died (killed, out of memory): the files it had are checked one
                # by one, each in a process of its own, so that one file loses only itself
                yield from _one_by_one(jobs[done:], update, done, len(jobs))
        else:
            for done, job in enumerate(jobs, 1):
                if update is not None:
                    update(done, len(jobs))
                yield check_one(job, models)
    finally:
        if stop is not None:
            stop()


#: A finding as a worker sends it: (line, col, code, severity, message, rule name, data
#: path). Plain tuples pickle in C; a Finding with its enum member costs pickle Python
#: calls (75 us a file, as much as a rule).
Row = tuple[int, int, str, int, str, str, tuple[str | int, ...]]
Rows = tuple[list[Row], str | None, dict[Path, str]]  # and the error, and the subjects


def _check_rows(job: Job) -> Rows:
    result = check_one(job, models=False)
    rows = [
        (f.line, f.col, f.code, int(f.severity), f.message, f.name, f.path) for f in result.findings
    ]
    return rows, result.error, result.subjects


def _collect(
    jobs: list[Job],
    outcomes: Iterable[Rows],
    update: Callable[[int, int], None] | None,
) -> Iterator[Checked]:
    of = Severity.of
    for done, (job, (rows, error, about)) in enumerate(zip(jobs, outcomes, strict=True), 1):
        if update is not None:
            update(done, len(jobs))
        name = job.source.name
        findings = [
            Finding(name, line, col, code, of(severity), message, rule, path)
            for line, col, code, severity, message, rule, path in rows
        ]
        yield Checked(job.source, job.settings, findings, None, error, about)


def _one_by_one(
    jobs: list[Job], update: Callable[[int, int], None] | None, before: int, total: int
) -> Iterator[Checked]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    for i, job in enumerate(jobs, before + 1):
        if update is not None:
            update(i, total)
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_worker_start) as pool:
                outcome = pool.submit(_check_rows, job).result()
        except BrokenProcessPool:
            stopped = (
                f"{job.source.name}: the check of this file stopped the process (out of memory?)"
            )
            yield Checked(job.source, job.settings, error=stopped)
            continue
        yield from _collect([job], [outcome], None)


def _worker_start() -> None:
    """A worker checks many files, each a burst of small objects that die together:
    the batch collector policy saves 6% of the instructions per file."""
    from blueprint_cli.pipeline import gcpolicy

    gcpolicy.for_batch()


def workers_for(count: int) -> int:
    """How many worker processes a run over ``count`` files uses (lint's rule)."""
    return _workers(count, None)


def _workers(count: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if count < PARALLEL_MIN:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))
