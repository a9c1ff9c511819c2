"""`blueprint fmt`: the files found as `lint` finds them, each formatted and proven safe
(``blueprint_cli.fmt``), then written in place, listed (``--check``), shown as a diff
(``--diff``), or, read from stdin, written to stdout.

A file whose bytes would not change is never written (its modification time stays). A
file is written atomically, through a temporary file in its folder, keeping its
permission bits, its line ends (LF or CRLF) and its BOM; through a symbolic link, the
file it points at is written.

Exit codes, as ``ruff format``'s, in this project's numbers: 0 nothing to do or all
written; 1 with ``--check`` or ``--diff``, some file would change; 2 a path, a file that
is not YAML or not a blueprint, or holds what fmt keeps as written (anchors, tags): that
file is skipped with one line ``file:line:col: message``; 3 a file whose formatted text
failed a proof (a bug of fmt's: please report it), left as it was.
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blueprint_cli.pipeline.run import Job, RunOptions, plan

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(slots=True)
class FmtRequest:
    """What `blueprint fmt` is asked, once its options are parsed and checked."""

    paths: list[str]
    run: RunOptions = field(default_factory=RunOptions)
    check: bool = False  # list the files that would change, write nothing
    diff: bool = False  # print a unified diff, write nothing
    quiet: bool = False  # errors only, no summary


@dataclass(slots=True)
class _Tally:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: int = 0
    refused: int = 0


def _say(message: str) -> None:
    sys.stderr.write(f"blueprint: {message}\n")


def run_fmt(request: FmtRequest) -> int:
    """The fmt command; returns the exit code."""
    planned = plan(request.paths or ["."], request.run)
    for warning in planned.warnings:
        _say(f"warning: {warning}")
    for error in planned.errors:
        _say(f"error: {error}")
    tally = _Tally()
    writing = not (request.check or request.diff)
    for job, done in zip(planned.jobs, _formatted(planned.jobs), strict=True):
        source = job.source
        if done.error is not None:
            _say(f"error: {done.error}")
            if done.refused:
                tally.refused += 1
            else:
                tally.errors += 1
            continue
        raw, new = done.raw, done.new
        assert raw is not None and new is not None
        if source.path is None:  # stdin: the text goes to stdout
            if new != raw:
                tally.changed.append(source.name)
            else:
                tally.unchanged += 1
            if request.diff:
                _diff(source.name, raw, new)
            elif request.check:
                if new != raw:
                    sys.stdout.write(f"Would reformat: {source.name}\n")
            else:
                sys.stdout.buffer.write(new)
                sys.stdout.flush()
            continue
        if new == raw:
            tally.unchanged += 1
            continue
        tally.changed.append(source.name)
        if request.diff:
            _diff(source.name, raw, new)
        elif request.check:
            sys.stdout.write(f"Would reformat: {source.name}\n")
        elif not _write(source.path, source.name, raw, new):
            tally.changed.pop()
            tally.errors += 1
    only_stdin = all(job.source.path is None for job in planned.jobs) and planned.jobs
    if not request.quiet and not only_stdin and (planned.jobs or not planned.errors):
        _say(_summary(tally, writing))
    if tally.refused:
        return 3
    if tally.errors or planned.errors:
        return 2
    return 1 if tally.changed and not writing else 0


@dataclass(frozen=True, slots=True)
class _Formatted:
    """One file's outcome: its bytes and its formatted bytes, or the line saying why not
    (``refused``: the formatted text failed a proof)."""

    raw: bytes | None
    new: bytes | None
    error: str | None = None
    refused: bool = False


def _format_job(job: Job) -> _Formatted:
    from blueprint_cli.fmt import Refused, Unformattable, format_bytes

    source, limits = job.source, job.settings.limits
    try:
        raw = source.read(limits.max_bytes)
    except OSError as exc:
        return _Formatted(None, None, f"{source.name}: {exc.strerror or exc}")
    try:
        return _Formatted(raw, format_bytes(raw, limits))
    except Unformattable as exc:
        return _Formatted(raw, None, f"{source.name}:{exc.span}: {exc.message}")
    except Refused as exc:
        why = f"{source.name}: not formatted: {exc} (a bug of fmt's: please report it)"
        return _Formatted(raw, None, why, refused=True)


def _formatted(jobs: list[Job]) -> Iterator[_Formatted]:
    """Each job formatted, in order: on worker processes when there are many files, as
    lint checks them (formatting is a pure function of the bytes); stdin here."""
    from blueprint_cli.pipeline.run import workers_for

    count = workers_for(len(jobs)) if all(j.source.path is not None for j in jobs) else 1
    if count <= 1:
        yield from map(_format_job, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        with ProcessPoolExecutor(max_workers=count) as pool:
            chunk = max(1, min(16, len(jobs) // (count * 8)))
            for outcome in pool.map(_format_job, jobs, chunksize=chunk):
                done += 1
                yield outcome
    except BrokenProcessPool:  # a worker died (out of memory?): the rest here, one by one
        yield from map(_format_job, jobs[done:])


def _write(path: str, name: str, raw: bytes, data: bytes) -> bool:
    """``data`` over the file read as ``raw``, unless it changed meanwhile (an editor
    saved it while fmt worked): a user's edit is never replaced by an older text."""
    from blueprint_cli.fileio import write_atomic

    target = os.path.realpath(path)  # through a link: the file it points at
    try:
        with open(target, "rb") as handle:
            if handle.read(len(raw) + 1) != raw:
                _say(f"error: {name}: changed while it was formatted: not written")
                return False
        if not os.access(target, os.W_OK):
            _say(f"error: {name}: read-only: not written")  # as black and prettier
            return False
        info = os.stat(target)
        write_atomic(target, data, stat.S_IMODE(info.st_mode), (info.st_uid, info.st_gid))
    except OSError as exc:
        _say(f"error: {name}: not written: {exc.strerror or exc}")
        return False
    return True


def _diff(name: str, old: bytes, new: bytes) -> None:
    before = old.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines(keepends=True)
    after = new.decode("utf-8").lstrip("\ufeff").splitlines(keepends=True)
    for line in difflib.unified_diff(before, after, name, name):
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    sys.stdout.flush()


def _files(n: int) -> str:
    return f"{n} file{'s' * (n != 1)}"


def _summary(tally: _Tally, writing: bool) -> str:
    changed, unchanged = len(tally.changed), tally.unchanged
    failed = tally.errors + tally.refused
    parts = []
    if writing:
        if changed:
            parts.append(f"{_files(changed)} reformatted")
        if unchanged or not (changed or failed):
            parts.append(f"{_files(unchanged)} left unchanged")
    else:
        if changed:
            parts.append(f"{_files(changed)} would be reformatted")
        if unchanged or not (changed or failed):
            parts.append(f"{_files(unchanged)} already formatted")
    if failed:
        parts.append(f"{_files(failed)} not formatted")
    return ", ".join(parts)
