"""A baseline: today's findings recorded in a file, so that CI fails only on new ones.

``blueprint lint --write-baseline FILE`` records every finding of a run; ``blueprint
lint --baseline FILE`` leaves out the findings recorded there and reports the others.

A finding matches an entry by its file (relative to the baseline's folder, so the same
file works from the repository's root in CI and from any folder on a laptop), its rule
code, and what it is about (``model.subjects``: ``step check-in``, ``action register:
wait``), never its line or its message: an edit above it, or a message that changes its
numbers (``risk 210`` -> ``risk 240``), does not bring it back. A finding the model
cannot place (broken YAML, or no data path) is about its message, with its numbers
written ``#``. Matching counts, as PHPStan's and detekt's baselines do: an entry
matches one finding, so a second missing-evidence finding about the same step is new.

The file is JSON, one entry a line, sorted: a fixed finding is one line gone from the
diff.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from blueprint_cli.findings import Finding
from blueprint_cli.positions import Path
from blueprint_cli.text import json_safe
from blueprint_cli.text import name as safe

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used: one line that names it."""


class Entry(NamedTuple):
    """One recorded finding. ``message`` is for the people who read the file; it takes
    no part in matching."""

    file: str
    code: str
    about: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.file, self.code, self.about)


_NUMBER = re.compile(r"\d+")


def about(finding: Finding, subjects: dict[Path, str]) -> str:
    """What a finding is about: its node, when the model placed it; else its message,
    numbers as ``#`` (a line reference, a count, a score)."""
    subject = subjects.get(finding.path) if finding.path else None
    return subject if subject is not None else _NUMBER.sub("#", finding.message)


def file_key(name: str, directory: str) -> str:
    """A file as the baseline in ``directory`` names it: relative to it, with ``/``.
    A name in angle brackets (``<stdin>``) is kept as it is."""
    if name.startswith("<"):
        return name
    path = os.path.abspath(name)
    with contextlib.suppress(ValueError):  # on another drive (Windows): absolute
        path = os.path.relpath(path, directory)
    return path.replace(os.sep, "/")


@dataclass(slots=True)
class Baseline:
    """A baseline being applied to a run (or, ``recording``, being written from it)."""

    path: str  # the file, as named on the command line
    entries: list[Entry] = field(default_factory=list)
    recording: bool = False
    matched: int = 0  # findings left out of the report: in the baseline, or recorded
    #: the entries of the files checked that matched no finding (fixed, or moved)
    stale: list[Entry] = field(default_factory=list)
    _by_file: dict[str, list[Entry]] = field(default_factory=dict)
    _left: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)

    @property
    def directory(self) -> str:
        return os.path.dirname(os.path.abspath(self.path))

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_file.setdefault(e.file, []).append(e)
            self._left.setdefault(e.file, Counter())[(e.code, e.about)] += 1

    def sift(
        self,
        name: str,
        findings: list[Finding],
        subjects: dict[Path, str],
        enabled: frozenset[str],
    ) -> list[Finding]:
        """One file's findings -> those the baseline does not hold (recording: none,
        each one recorded). An entry that matches no finding of the file, for a rule
        that ran on it (or one that no longer exists), is ``stale``."""
        key = file_key(name, self.directory)
        if self.recording:
            self.entries.extend(Entry(key, f.code, about(f, subjects), f.message) for f in findings)
            self.matched += len(findings)
            return []
        left = self._left.pop(key, Counter())
        kept = []
        for f in findings:
            k = (f.code, about(f, subjects))
            if left[k] > 0:
                left[k] -= 1
                self.matched += 1
            else:
                kept.append(f)
        self.stale.extend(
            e
            for e in self._entries_of(key, left)
            if e.code in enabled or not _known(e.code)  # a rule that ran, or is gone
        )
        return kept

    def finish(self) -> None:
        """After the run: the entries of files that no longer exist are stale too (the
        others, of files not checked this time, are left alone: pre-commit names only
        the files changed)."""
        if self.recording:
            return
        for file, left in self._left.items():  # the files not checked
            if file.startswith("<"):
                continue
            if not os.path.exists(os.path.join(self.directory, file)):
                self.stale.extend(self._entries_of(file, left))

    def _entries_of(self, file: str, left: Counter[tuple[str, str]]) -> list[Entry]:
        """The entries still unmatched in ``left``, each as often as it is left."""
        out = []
        remaining = Counter({k: n for k, n in left.items() if n > 0})
        for e in self._by_file.get(file, ()):
            if remaining[(e.code, e.about)] > 0:
                remaining[(e.code, e.about)] -= 1
                out.append(e)
        return out

    def text(self) -> bytes:
        """The file: a version, then the entries sorted, one a line."""
        lines = [_line(e) for e in sorted(self.entries)]
        body = ",\n".join(f"    {line}" for line in lines)
        findings = f"[\n{body}\n  ]" if lines else "[]"
        doc = f'{{\n  "version": {VERSION},\n  "findings": {findings}\n}}\n'
        return doc.encode("utf-8")


def _current(code: str) -> str:
    """A replaced rule's code as the code of the rule that replaced it (BP102 -> BP119):
    a baseline written before a merge of rules keeps matching."""
    from blueprint_cli.rules import RULES, replaced_by

    rule = None if code in RULES else replaced_by(code)
    return rule.code if rule is not None else code


def _known(code: str) -> bool:
    from blueprint_cli.rules import RULES

    return code in RULES


_SURROGATE = re.compile("[\ud800-\udfff]")


def _line(e: Entry) -> str:
    entry = {"file": e.file, "code": e.code, "about": e.about, "message": e.message}
    text = json_safe(json.dumps(entry, ensure_ascii=False))
    # a file name that is not UTF-8 keeps its bytes as \udcXX escapes: valid JSON that
    # reads back as the same name
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def load(path: str) -> Baseline:
    """The baseline in ``path``; BaselineError with one line that names it (and the
    line and column of a JSON syntax error) when it cannot be used."""
    shown = safe(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise BaselineError(
            f"{shown}: no such baseline file (write it with --write-baseline {shown})"
        ) from None
    except IsADirectoryError:
        raise BaselineError(f"{shown}: is a directory, not a baseline file") from None
    except OSError as exc:
        raise BaselineError(f"{shown}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError(f"{shown}: not a baseline: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{shown}:{exc.lineno}:{exc.colno}: not a baseline: invalid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise BaselineError(f"{shown}: not a baseline: nested too deeply") from None
    return Baseline(path, _entries(doc, shown))


def _entries(doc: Any, shown: str) -> list[Entry]:
    if not isinstance(doc, dict) or "version" not in doc:
        raise BaselineError(f"{shown}: not a blueprint baseline: no 'version'")
    version = doc["version"]
    if version != VERSION or isinstance(version, bool):
        raise BaselineError(
            f"{shown}: baseline version {json.dumps(version)[:20]} is not supported: this "
            f"blueprint reads version {VERSION} (write it again with --write-baseline)"
        )
    findings = doc.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"{shown}: not a blueprint baseline: 'findings' is not a list")
    entries = []
    for i, item in enumerate(findings):
        if not isinstance(item, dict):
            raise BaselineError(f"{shown}: findings[{i}] is not an object")
        for key in ("file", "code", "about"):
            if not isinstance(item.get(key), str):
                raise BaselineError(f"{shown}: findings[{i}] has no {key!r} text")
        message = item.get("message", "")
        entries.append(
            Entry(
                item["file"],
                _current(item["code"]),
                item["about"],
                message if isinstance(message, str) else "",
            )
        )
    return entries
