"""`blueprint diff`: what changed in a service between two versions, as data
(``DiffDoc``), then written by name from ``WRITERS``: text (coloured on a terminal with
plain ANSI escapes, no rich), json (``schemas/diff.schema.json``), markdown (a pull
request comment, GitHub-flavoured)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from blueprint_cli.analysis.diff import ADDED, CHANGED, REMOVED, Change, Totals
from blueprint_cli.model import Blueprint, format_duration
from blueprint_cli.text import quote
from blueprint_cli.views.cells import markdown_text as _md

#: What the empty diff says.
NO_CHANGE = "no change in the service"


@dataclass(frozen=True, slots=True)
class Version:
    """One side of the diff: how it is named (``hotel.yaml``, ``hotel.yaml@HEAD~1``), the
    sha256 of its bytes (None: it did not exist), its findings counted per code."""

    file: str
    sha256: str | None
    findings: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    totals: Totals | None = None


@dataclass(slots=True)
class DiffDoc:
    old: Version
    new: Version
    changes: list[Change]
    review: Change | None = None
    totals: list[Change] = field(default_factory=list)
    gates: list[str] = field(default_factory=list)  # the --fail-on tags hit

    @property
    def lines(self) -> list[Change]:
        return [*self.changes, *([self.review] if self.review else []), *self.totals]


_ANSI = {ADDED: "\x1b[32m", REMOVED: "\x1b[31m", CHANGED: "\x1b[33m"}
_RESET = "\x1b[0m"


def write_text(doc: DiffDoc, out: TextIO, *, color: bool = False) -> None:
    lines = doc.lines
    if not lines:
        out.write(f"{NO_CHANGE}\n")
        return
    for change in lines:
        start = _ANSI.get(change.sign) if color else None
        out.write(f"{start}{change.line}{_RESET}\n" if start else f"{change.line}\n")


def _change_json(change: Change) -> dict[str, object]:
    return {
        "sign": change.sign,
        "kind": change.kind,
        "id": change.id,
        "what": change.what,
        "tags": sorted(change.tags),
        "path": list(change.path),
    }


def _version_json(version: Version) -> dict[str, object]:
    t = version.totals
    return {
        "file": version.file,
        "sha256": version.sha256,
        "findings": dict(sorted(version.findings.items())),
        "errors": version.errors,
        "totals": None
        if t is None
        else {
            "total_risk": t.total_risk,
            "fail_points": t.fail_points,
            "unmitigated": t.unmitigated,
            "evidence_coverage": None if t.coverage is None else round(t.coverage, 1),
            "waits_over": t.waits_over,
        },
    }


def write_json(doc: DiffDoc, out: TextIO, *, color: bool = False) -> None:
    del color
    data = {
        "old": _version_json(doc.old),
        "new": _version_json(doc.new),
        "changes": [_change_json(c) for c in doc.changes],
        "review": None if doc.review is None else _change_json(doc.review),
        "totals": [_change_json(c) for c in doc.totals],
        "gates": doc.gates,
    }
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _code(text: str) -> str:
    """Text as a code span in a table cell: entities are not decoded inside one."""
    return "`" + text.replace("`", "'").replace("|", "\\|").replace("\n", " ") + "`"


_SIGNS = {ADDED: "➕", REMOVED: "➖", CHANGED: "✏️"}


def write_markdown(doc: DiffDoc, out: TextIO, *, color: bool = False) -> None:
    del color
    name = doc.new.file if doc.new.sha256 is not None else doc.old.file
    out.write(f"### Blueprint diff: {_code(name)}\n\n")
    counts = {s: sum(1 for c in doc.changes if c.sign == s) for s in (ADDED, REMOVED, CHANGED)}
    summary = (
        f"**{counts[ADDED]} added, {counts[REMOVED]} removed, {counts[CHANGED]} changed**"
        f" ({_code(doc.old.file)} → {_code(doc.new.file)})"
    )
    a, b = doc.old.totals, doc.new.totals
    if a is not None and b is not None:
        summary += f"; total risk {a.total_risk:,} → {b.total_risk:,}"
    out.write(summary + "\n\n")
    if doc.changes:
        out.write("| | Kind | Id | What changed |\n|---|---|---|---|\n")
        for change in doc.changes:
            ident = _code(change.id) if change.id else ""
            out.write(
                f"| {_SIGNS.get(change.sign, change.sign)} | {_md(change.kind)} | {ident} "
                f"| {_md(change.what)} |\n"
            )
        out.write("\n")
    else:
        out.write(f"_{NO_CHANGE}_\n\n")
    for line in [*([doc.review] if doc.review else []), *doc.totals]:
        out.write(f"- **{line.kind}**: {_md(line.what)}\n")
    if doc.gates:
        out.write(f"\n> [!WARNING]\n> Gates hit: {', '.join(f'`{g}`' for g in doc.gates)}\n")


def _d(value: float | None) -> str:
    return "-" if value is None else format_duration(value)


def outline(bp: Blueprint) -> list[str]:
    """The blueprint one line a node, keyed by id, in journey order: what git's
    ``textconv`` shows, so that a line diff of two versions reads as their changes."""
    lines = [f"blueprint {quote(bp.title or '')}"]
    if bp.standards.max_wait is not None:
        lines.append(f"standard max_wait={_d(bp.standards.max_wait)}")
    for key in ("phases", "segments", "actors", "channels", "regulations", "metrics"):
        lines.extend(f"{key[:-1]} {n.id} {quote(n.title)}" for n in getattr(bp, key))
    for step in bp.steps:
        head = f"step {step.id} {quote(step.title)}"
        if step.phase:
            head += f" phase={step.phase}"
        if step.segments:
            head += f" segments={','.join(step.segments)}"
        if step.emotion is not None and step.emotion.customer is not None:
            head += f" emotion={step.emotion.customer:+d}"
        lines.append(head)
        lines.extend(f"  evidence {ev.id} {quote(ev.text)}" for ev in step.evidence)
        for action in step.actions():
            line = f"  action {action.id} [{action.lane}] {quote(action.text)}"
            if action.actor:
                line += f" owner={action.actor}"
            if action.duration is not None:
                line += f" time={_d(action.duration)}"
            if action.wait is not None:
                line += f" wait={_d(action.wait.expected)}/max {_d(action.wait.max)}"
            lines.append(line)
            for fp in action.fail_points:
                scores = "×".join(
                    str(getattr(fp, n) or "-") for n in ("severity", "occurrence", "detection")
                )
                risk = "unscored" if fp.risk is None else str(fp.risk)
                lines.append(
                    f"    fail point {fp.id} risk {risk} ({scores})"
                    f" prevention={'yes' if fp.prevention else 'no'}"
                    f" recovery={'yes' if fp.recovery else 'no'}"
                )
    for flow in bp.flows:
        label = f" {quote(flow.label)}" if flow.label else ""
        lines.append(f"flow {flow.from_} -> {flow.to}{label}")
    return lines


WRITERS: dict[str, Callable[..., None]] = {
    "text": write_text,
    "json": write_json,
    "markdown": write_markdown,
}
