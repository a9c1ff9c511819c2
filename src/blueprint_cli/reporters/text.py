"""``file:line:col: severity CODE message``, one line a finding, then a summary line.

Plain text when piped (greps well, no escapes); colour through rich only on a terminal
and never under NO_COLOR.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from blueprint_cli.findings import Finding, Report, Severity
from blueprint_cli.text import visible

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def line(f: Finding) -> str:
    return visible(f"{f.file}:{f.line}:{f.col}: {f.severity.label} {f.code} {f.message}")


def summary(result: Report) -> str:
    if result.baselined:
        n = result.baselined
        return f"{_summary(result)} ({n} finding{'s' * (n != 1)} in the baseline not shown)"
    return _summary(result)


def _summary(result: Report) -> str:
    files = len(result.files)
    head = f"{files} file{'s' if files != 1 else ''} checked"
    counts = result.counts()
    if result.errors:
        n = len(result.errors)
        found = f", {_counted(counts)}" if result.findings else ""
        return f"failed: {head}{found}; {n} error{'s' if n != 1 else ''} above stopped the run"
    if not result.findings:
        return f"ok: {head}, no problems"
    status = "failed" if result.failed else "ok"
    return f"{status}: {head}, {_counted(counts)}"


def _counted(counts: Counter[Severity]) -> str:
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        if counts[sev]:
            parts.append(f"{counts[sev]} {word}{'s' if counts[sev] != 1 else ''}")
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} info")
    return ", ".join(parts)


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    if not color:
        for f in result.findings:
            out.write(line(f) + "\n")
        if not quiet:
            out.write(summary(result) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, force_terminal=True, highlight=False, soft_wrap=True)
    for f in result.findings:
        text = Text()
        text.append(visible(f"{f.file}:{f.line}:{f.col}:"), style="bold")
        text.append(" ")
        text.append(f.severity.label, style=_STYLE[f.severity])
        text.append(f" {f.code} ", style="dim")
        text.append(f.message)
        console.print(text)
    if not quiet:
        console.print(Text(summary(result), style="bold red" if result.failed else "bold green"))


def statistics(result: Report) -> str:
    """Findings counted per rule, most frequent first: ``  12  BP101  missing-evidence``."""
    counts: dict[tuple[str, str, str], int] = {}
    for f in result.findings:
        key = (f.code, f.name, f.severity.label)
        counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  {name:<30} {sev}\n" for (code, name, sev), n in rows)
