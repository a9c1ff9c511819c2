"""`blueprint diff`: two versions of a blueprint, each read and checked through the one
pipeline (from files, or from git with ``git show REV:PATH``), their models compared
(``analysis.diff``), their findings counted, the result written in the format asked
for, and the exit code of the gate (``--fail-on``) — the whole command without the
command-line parser, as ``run_audit_report`` is audit report's."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from blueprint_cli.pipeline.run import RunOptions

if TYPE_CHECKING:
    from blueprint_cli.analysis.diff import Change
    from blueprint_cli.findings import Finding
    from blueprint_cli.model import Blueprint
    from blueprint_cli.views.diff import DiffDoc, Version


@dataclass(slots=True)
class DiffRequest:
    """What `blueprint diff` is asked, once its options are parsed and checked: two files
    (``old``, ``new``), or ``git`` (REV or REV1..REV2) and the one ``file``."""

    old: str | None
    new: str | None
    run: RunOptions = field(default_factory=RunOptions)
    git: str | None = None
    file: str | None = None
    fmt: str = "text"
    output: str | None = None
    fail_on: tuple[str, ...] = ()
    color: str = "auto"
    heading: str | None = None  # a line before the diff (git's external driver: the path)
    #: git's external driver: the path in the repository, whose name and configuration
    #: the two temporary files (old, new) are read with
    external: tuple[str, str] | None = None  # (path, the old version's blob hex)


class Unusable(Exception):
    """A version that cannot be compared: exit 2, with why."""


@dataclass(slots=True)
class Read:
    name: str
    blueprint: Blueprint
    findings: list[Finding]
    sha256: str | None  # None: the file did not exist there


def _say(kind: str, message: str) -> None:
    sys.stderr.write(f"blueprint: {kind}{message}\n")


def _empty() -> Blueprint:
    from blueprint_cli.model.validation import check_bytes

    blueprint = check_bytes(b"blueprint: 1\n").blueprint
    assert blueprint is not None
    return blueprint


def _from_bytes(name: str, raw: bytes, settings_path: str | None, run: RunOptions) -> Read:
    from blueprint_cli.config import ConfigError, Resolver
    from blueprint_cli.pipeline.check import analyse

    try:
        settings = Resolver(run.overrides).for_path(settings_path)
    except ConfigError as exc:
        raise Unusable(str(exc)) from None
    checked, findings = analyse(name, raw, settings)
    if checked.blueprint is None:
        raise Unusable(f"{name}: no usable model (see the errors above)", findings)
    return Read(name, checked.blueprint, findings, hashlib.sha256(raw).hexdigest())


def _from_file(path: str, run: RunOptions) -> Read:
    from blueprint_cli.pipeline.run import check_one, plan

    if path == "/dev/null":
        return Read(path, _empty(), [], None)
    planned = plan([path], run)
    if planned.errors:
        raise Unusable("; ".join(planned.errors))
    if not planned.jobs:
        raise Unusable(f"{path}: not a blueprint (no top-level 'blueprint:' key)")
    job = planned.jobs[0]
    job.digest = True
    checked = check_one(job)
    if checked.error is not None:
        raise Unusable(checked.error)
    if checked.blueprint is None:
        raise Unusable(f"{checked.source.name}: no usable model", checked.findings)
    return Read(checked.source.name, checked.blueprint, checked.findings, checked.sha256)


def _git(repo: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, check=False)
    except OSError as exc:
        raise Unusable(f"git cannot be run: {exc.strerror or exc}") from None


def _from_git(rev: str, path: str, run: RunOptions) -> Read:
    """The file as it was at ``rev``; a file that did not exist there is empty (so that
    everything is added), said on stderr."""
    absolute = os.path.abspath(path)
    where = os.path.dirname(absolute) if not os.path.isdir(absolute) else absolute
    while not os.path.isdir(where):  # a file deleted since, in a folder deleted too
        where = os.path.dirname(where)
    top = _git(where, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        why = top.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unusable(f"{path}: not in a git repository ({why[-1] if why else 'git failed'})")
    root = top.stdout.decode("utf-8", "replace").strip()
    real = os.path.join(os.path.realpath(where), os.path.basename(absolute))
    relative = os.path.relpath(real, os.path.realpath(root)).replace(os.sep, "/")
    known = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if known.returncode != 0:
        raise Unusable(f"unknown revision {rev!r} in {root}")
    shown = _git(root, "show", f"{rev}:{relative}")
    name = f"{path}@{rev}"
    if shown.returncode != 0:
        _say("", f"{path} did not exist at {rev}")
        return Read(name, _empty(), [], None)
    return _from_bytes(name, shown.stdout, absolute, run)


def _as(path: str, temporary: str, name: str, run: RunOptions) -> Read:
    """A version git handed over in a temporary file, configured as ``path`` is."""
    if temporary == "/dev/null":
        return Read(name, _empty(), [], None)
    try:
        with open(temporary, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise Unusable(f"{temporary}: {exc.strerror or exc}") from None
    return _from_bytes(name, raw, os.path.abspath(path), run)


def _versions(request: DiffRequest) -> tuple[Read, Read]:
    if request.external is not None:
        assert request.old is not None and request.new is not None
        path, blob = request.external
        old = _as(path, request.old, f"{path}@{blob[:7]}", request.run)
        return old, _as(path, request.new, path, request.run)
    if request.git is None:
        assert request.old is not None and request.new is not None
        return _from_file(request.old, request.run), _from_file(request.new, request.run)
    assert request.file is not None
    first, dots, second = request.git.partition("..")
    if not first:
        raise Unusable(f"--git {request.git}: no revision before '..'")
    old = _from_git(first, request.file, request.run)
    if dots and second:
        return old, _from_git(second, request.file, request.run)
    if dots:  # REV.. is REV..HEAD, as git reads it
        return old, _from_git("HEAD", request.file, request.run)
    return old, _from_file(request.file, request.run)


def _review(old: list[Finding], new: list[Finding]) -> Change | None:
    """The lint findings of both versions counted per code: only the codes that moved."""
    from blueprint_cli.analysis.diff import TOTAL, Change
    from blueprint_cli.findings import Severity

    a, b = Counter(f.code for f in old), Counter(f.code for f in new)
    moved = [
        f"{'+' if b[c] > a[c] else '−'}{abs(b[c] - a[c])} {c}"
        for c in sorted(a | b)
        if a[c] != b[c]
    ]
    if not moved:
        return None
    tags = set()
    errors = sum(1 for f in new if f.severity is Severity.ERROR)
    if errors > sum(1 for f in old if f.severity is Severity.ERROR):
        tags.add("new-errors")
    if len(new) > len(old):
        tags.add("new-findings")
    what = f"{len(old)} → {len(new)} findings ({', '.join(moved)})"
    return Change(TOTAL, "review", "", what, frozenset(tags))


def _version(read: Read) -> Version:
    from blueprint_cli.analysis.diff import totals
    from blueprint_cli.findings import Severity
    from blueprint_cli.views.diff import Version

    return Version(
        read.name,
        read.sha256,
        dict(Counter(f.code for f in read.findings)),
        sum(1 for f in read.findings if f.severity is Severity.ERROR),
        totals(read.blueprint),
    )


def build(old: Read, new: Read, fail_on: tuple[str, ...] = ()) -> DiffDoc:
    from blueprint_cli.analysis.diff import diff, totals, totals_change
    from blueprint_cli.views.diff import DiffDoc

    doc = DiffDoc(
        _version(old),
        _version(new),
        diff(old.blueprint, new.blueprint).changes,
        _review(old.findings, new.findings),
        list(totals_change(totals(old.blueprint), totals(new.blueprint))),
    )
    hit = {t for c in doc.lines for t in c.tags}
    doc.gates = [g for g in fail_on if g in hit]
    return doc


def _report_errors(read: Read) -> None:
    from blueprint_cli.findings import Severity

    for f in read.findings:
        if f.severity is Severity.ERROR:
            sys.stderr.write(f"{read.name}:{f.line}:{f.col}: {f.code} {f.message}\n")


def run_diff(request: DiffRequest) -> int:
    """The diff on stdout or in ``output``; the errors of either version on stderr.
    0, or 1 when a ``fail_on`` gate is hit; 2 when a version cannot be compared."""
    from blueprint_cli.fileio import refusal, write_atomic
    from blueprint_cli.pipeline.lint import use_color
    from blueprint_cli.views.diff import WRITERS

    try:
        old, new = _versions(request)
    except Unusable as exc:
        if len(exc.args) > 1:
            for f in exc.args[1]:
                sys.stderr.write(f"{f.file}:{f.line}:{f.col}: {f.code} {f.message}\n")
        _say("error: ", exc.args[0])
        return 2
    _report_errors(old)
    _report_errors(new)
    doc = build(old, new, request.fail_on)
    write = WRITERS[request.fmt]
    if request.output is None or request.output == "-":
        if request.heading is not None:
            sys.stdout.write(f"{request.heading}\n")
        write(doc, sys.stdout, color=use_color(request.color, sys.stdout))
    else:
        named = [p for p in (request.old, request.new, request.file) if p and os.path.isfile(p)]
        problem = refusal(request.output, named, "the diff")
        if problem is not None:
            _say("error: ", problem)
            return 2
        buffer = io.StringIO()
        write(doc, buffer, color=False)
        try:
            write_atomic(request.output, buffer.getvalue().encode("utf-8"))
        except OSError as exc:
            _say("error: ", f"{request.output}: {exc.strerror or exc}")
            return 2
    if doc.gates:
        which = "; ".join(
            f"{gate}: {', '.join(c.line for c in doc.lines if gate in c.tags)}"
            for gate in doc.gates
        )
        _say("", f"--fail-on hit: {which}")
        return 1
    return 0


def run_textconv(path: str, run: RunOptions) -> int:
    """A blueprint as an outline, one line a node keyed by id (git's ``textconv``); a
    file that is not a usable blueprint is printed as it is, so git still shows it."""
    from blueprint_cli.views.diff import outline

    try:
        read = _from_file(path, run)
    except Unusable:
        try:
            with open(path, "rb") as handle:
                sys.stdout.buffer.write(handle.read())
        except OSError as exc:
            _say("error: ", f"{path}: {exc.strerror or exc}")
            return 2
        return 0
    sys.stdout.write("".join(f"{line}\n" for line in outline(read.blueprint)))
    return 0
