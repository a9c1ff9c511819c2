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
from typing import TYPE_CHECKING, Any

from blueprint_cli.pipeline.run import RunOptions

if TYPE_CHECKING:
    from collections.abc import Callable

    from blueprint_cli.analysis.diff import Change
    from blueprint_cli.findings import Finding
    from blueprint_cli.model import Blueprint
    from blueprint_cli.model.validation import Checked
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
    """One version, read and checked: its model, and what the diff says of its findings
    (their number by code, and the errors, which are shown)."""

    name: str
    blueprint: Blueprint
    codes: dict[str, int]
    errors: list[Finding]
    sha256: str | None  # None: the file did not exist there
    #: the plain data the model was validated from (None: the model was recovered from a
    #: draft with errors); what a forked reader hands back instead of the model
    data: Any = None
    notes: list[str] = field(default_factory=list)  # lines for stderr, said in order

    @classmethod
    def of(cls, name: str, checked: Checked, findings: list[Finding], sha256: str | None) -> Read:
        from blueprint_cli.findings import Severity

        assert checked.blueprint is not None
        return cls(
            name,
            checked.blueprint,
            dict(Counter(f.code for f in findings)),
            [f for f in findings if f.severity is Severity.ERROR],
            sha256,
            checked.data,
        )

    @property
    def count(self) -> int:
        return sum(self.codes.values())


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
    return Read.of(name, checked, findings, hashlib.sha256(raw).hexdigest())


def _from_file(path: str, run: RunOptions) -> Read:
    from blueprint_cli.pipeline.check import analyse
    from blueprint_cli.pipeline.run import plan

    if path == "/dev/null":
        return Read(path, _empty(), {}, [], None)
    planned = plan([path], run)
    if planned.errors:
        raise Unusable("; ".join(planned.errors))
    if not planned.jobs:
        raise Unusable(f"{path}: not a blueprint (no top-level 'blueprint:' key)")
    source, settings = planned.jobs[0].source, planned.jobs[0].settings
    try:
        raw = source.read(settings.limits.max_bytes)
    except OSError as exc:
        raise Unusable(f"{source.name}: {exc.strerror or exc}") from None
    checked, findings = analyse(source.name, raw, settings)
    if checked.blueprint is None:
        raise Unusable(f"{source.name}: no usable model", findings)
    return Read.of(source.name, checked, findings, hashlib.sha256(raw).hexdigest())


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
        return Read(name, _empty(), {}, [], None, notes=[f"{path} did not exist at {rev}"])
    return _from_bytes(name, shown.stdout, absolute, run)


def _as(path: str, temporary: str, name: str, run: RunOptions) -> Read:
    """A version git handed over in a temporary file, configured as ``path`` is."""
    if temporary == "/dev/null":
        return Read(name, _empty(), {}, [], None)
    try:
        with open(temporary, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise Unusable(f"{temporary}: {exc.strerror or exc}") from None
    return _from_bytes(name, raw, os.path.abspath(path), run)


def _readers(request: DiffRequest) -> tuple[Callable[[], Read], Callable[[], Read]]:
    """How to read the old and the new version: two calls, so that they can run at once."""
    run = request.run
    if request.external is not None:
        assert request.old is not None and request.new is not None
        path, blob = request.external
        old_file, new_file = request.old, request.new
        return (
            lambda: _as(path, old_file, f"{path}@{blob[:7]}", run),
            lambda: _as(path, new_file, path, run),
        )
    if request.git is None:
        assert request.old is not None and request.new is not None
        old_path, new_path = request.old, request.new
        return lambda: _from_file(old_path, run), lambda: _from_file(new_path, run)
    assert request.file is not None
    file = request.file
    first, dots, second = request.git.partition("..")
    if not first:
        raise Unusable(f"--git {request.git}: no revision before '..'")
    if dots:  # REV.. is REV..HEAD, as git reads it
        last = second or "HEAD"
        return lambda: _from_git(first, file, run), lambda: _from_git(last, file, run)
    return lambda: _from_git(first, file, run), lambda: _from_file(file, run)


def _versions(request: DiffRequest) -> tuple[Read, Read]:
    """Both versions, the old one read in a forked process while this one reads the new
    (where the system forks): two large files take the time of one. The child hands back
    the old version's plain data, counts and errors, and this process validates the data
    into the model, which is what reading would have built; a draft with errors (no plain
    data) or a child that fails is read again here, so the answer never depends on it."""
    read_old, read_new = _readers(request)
    if not _may_fork():
        first = read_old()
        return first, _new_after(lambda: first, read_new)
    handed = _forked(read_old)
    try:
        new = _new_after(lambda: handed() or read_old(), read_new)
    finally:
        old = handed()  # the child is waited for whatever happened here (asked once)
    return old if old is not None else read_old(), new


def _new_after(old: Callable[[], Read], read_new: Callable[[], Read]) -> Read:
    """The new version; when it cannot be compared, what was said of the old one (it did
    not exist at REV) is said before why, as it would be read in order. An old version
    that cannot be compared either is the one reported."""
    try:
        return read_new()
    except Unusable:
        for note in old().notes:
            _say("", note)
        raise


def _may_fork() -> bool:
    """Fork only where it is safe: a system that forks, and no other thread running (a
    child of a threaded process may inherit a lock held for ever)."""
    if not hasattr(os, "fork") or os.environ.get("BLUEPRINT_DIFF_SERIAL"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _forked(read: Callable[[], Read]) -> Callable[[], Read | None]:
    """``read`` started in a child process; the call returned waits for its Read (None:
    read it here instead)."""
    import pickle

    sys.stdout.flush()
    sys.stderr.flush()
    into, out = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(into)
        os.close(out)
        return lambda: None
    if pid == 0:  # pragma: no cover - the child; what it hands over is tested
        try:
            os.close(into)
            try:
                done = read()
                payload: Any = None  # a draft's model cannot be rebuilt from data
                if done.data is not None:
                    fields = (done.name, done.codes, done.errors, done.sha256, done.data)
                    payload = ("read", (*fields, done.notes))
            except Unusable as exc:
                payload = ("unusable", exc.args)
            with os.fdopen(out, "wb") as pipe:
                pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(out)
    received: list[Any] = []  # the payload, once read: asking again gives the same

    def wait() -> Read | None:
        if not received:
            try:
                with os.fdopen(into, "rb") as pipe:
                    received.append(pickle.load(pipe))
            except Exception:  # the child died: read again here
                received.append(None)
            finally:
                os.waitpid(pid, 0)
        payload = received[0]
        if payload is None:
            return None
        kind, handed = payload
        if kind == "unusable":
            raise Unusable(*handed)
        return _rebuilt(*handed)

    return wait


def _rebuilt(
    name: str,
    codes: dict[str, int],
    errors: list[Finding],
    sha256: str | None,
    data: Any,
    notes: list[str],
) -> Read | None:
    """A Read from a child's hand-over: the model validated from its plain data."""
    from blueprint_cli.model.validation import from_data

    blueprint = from_data(data)
    if blueprint is None:  # pragma: no cover - the child validated the same data
        return None
    return Read(name, blueprint, codes, errors, sha256, data, notes)


def _review(old: Read, new: Read) -> Change | None:
    """The lint findings of both versions counted per code: only the codes that moved."""
    from blueprint_cli.analysis.diff import TOTAL, Change

    a, b = Counter(old.codes), Counter(new.codes)
    moved = [
        f"{'+' if b[c] > a[c] else '−'}{abs(b[c] - a[c])} {c}"
        for c in sorted(a | b)
        if a[c] != b[c]
    ]
    if not moved:
        return None
    tags = set()
    if len(new.errors) > len(old.errors):
        tags.add("new-errors")
    if new.count > old.count:
        tags.add("new-findings")
    what = f"{old.count} → {new.count} findings ({', '.join(moved)})"
    return Change(TOTAL, "review", "", what, frozenset(tags))


def _version(read: Read) -> Version:
    from blueprint_cli.analysis.diff import totals
    from blueprint_cli.views.diff import Version

    return Version(
        read.name,
        read.sha256,
        dict(read.codes),
        len(read.errors),
        totals(read.blueprint),
    )


def build(old: Read, new: Read, fail_on: tuple[str, ...] = ()) -> DiffDoc:
    from blueprint_cli.analysis.diff import diff, totals_change
    from blueprint_cli.views.diff import DiffDoc

    before, after = _version(old), _version(new)
    assert before.totals is not None and after.totals is not None
    doc = DiffDoc(
        before,
        after,
        diff(old.blueprint, new.blueprint).changes,
        _review(old, new),
        list(totals_change(before.totals, after.totals)),
    )
    hit = {t for c in doc.lines for t in c.tags}
    doc.gates = [g for g in fail_on if g in hit]
    return doc


def _report_errors(read: Read) -> None:
    for note in read.notes:
        _say("", note)
    for f in read.errors:
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
