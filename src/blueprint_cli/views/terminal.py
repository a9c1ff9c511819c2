"""The rich terminal views of `show` and `failpoints`: the one place that draws tables.

Adapts to the terminal's width (80 columns read well: long text wraps, cells are cut
with an ellipsis where they must be), and prints no colour under NO_COLOR or when
told not to. User text is always passed as text, never as markup, and control
characters (terminal escapes) are shown escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from blueprint_cli.analysis import FailPointRow
from blueprint_cli.text import visible
from blueprint_cli.views.register import record
from blueprint_cli.views.show import (
    JOURNEY_ROWS,
    TEXT_MAX,
    ShowReport,
    better_text,
    binding_text,
    coverage_text,
    duration,
    feeling,
    lowest_text,
    max_text,
    metric_figures,
    metric_flag,
    metric_where,
    more_hint,
    over_text,
    segment_note,
    spark,
    steps_text,
    tolerance_text,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from blueprint_cli.views.audit import Summary
    from blueprint_cli.views.audit import Table as AuditTable

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def safe(text: object) -> str:
    """User text with control characters shown as \\xNN: nothing reaches the terminal raw."""
    s = "" if text is None else str(text)
    if len(s) > TEXT_MAX:
        s = s[: TEXT_MAX - 1] + "…"
    return visible(s)


def console(out: TextIO, color: bool, width: int | None = None) -> Console:
    from rich.console import Console

    return Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )


def print_show(report: ShowReport, con: Console) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    draft = report.heading != report.title
    con.print(Text(safe(report.heading), style="bold red" if draft else "bold"))
    if report.scope:
        con.print(Text("Showing " + safe(report.scope), style="bold cyan"))
    if report.description:
        con.print(Text(safe(report.description), style="dim"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    if report.segments:
        facts.add_row("Segments", safe(", ".join(report.segments)))
    steps = " · ".join(f"{safe(p)} {n}" for p, n in report.steps_per_phase)
    facts.add_row("Steps", f"{len(report.journey)}" + (f"  ({steps})" if steps else ""))
    facts.add_row("Actions", " · ".join(f"{safe(lane)} {n}" for lane, n in report.actions_per_lane))
    facts.add_row("Actors", f"{len(report.actors)}")
    con.print(facts)
    con.print()

    journey = Table(
        title="Journey",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        expand=True,
        padding=(0, 1),
        show_lines=False,
    )
    journey.add_column("#", justify="right", no_wrap=True)
    journey.add_column("Step", ratio=3)
    journey.add_column("Customer", ratio=3)
    journey.add_column("Frontstage", ratio=3)
    journey.add_column("Back/support", ratio=3)
    journey.add_column("Ev", justify="right", no_wrap=True)
    journey.add_column("F/W", no_wrap=False, min_width=3)
    phase = None
    for r in report.journey[:JOURNEY_ROWS]:
        if r.phase != phase and r.phase:
            journey.add_row("", Text(safe(r.phase), style="bold"), end_section=False)
            phase = r.phase
        hidden = [*r.lanes["backstage"], *r.lanes["support"]]
        journey.add_row(
            str(r.number),
            safe(r.step),
            safe("\n".join(r.lanes["customer"])) or Text("-", style="dim"),
            safe("\n".join(r.lanes["frontstage"])) or Text("-", style="dim"),
            safe("\n".join(hidden)) or Text("-", style="dim"),
            str(len(r.evidence)) if r.evidence else Text("0", style="bold red"),
            _marks(r.marks),
        )
    con.print(journey)
    if len(report.journey) > JOURNEY_ROWS:
        more = len(report.journey) - JOURNEY_ROWS
        con.print(Text(f"… {more:,} more steps (--format json lists all)", style="dim"))

    con.print(Text("Evidence: ", style="bold") + Text(coverage_text(report)))
    for title in report.without_evidence:
        con.print(Text("  no evidence: ", style="yellow") + Text(safe(title)))
    con.print()

    if report.fail_points:
        fps = Table(
            title="Fail points by risk",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            expand=True,
            padding=(0, 1),
        )
        fps.add_column("", no_wrap=True)
        fps.add_column("Risk", justify="right", no_wrap=True)
        fps.add_column("Fail point", ratio=4)
        fps.add_column("Where", ratio=3)
        fps.add_column("Prev", justify="center", no_wrap=True)
        fps.add_column("Rec", justify="center", no_wrap=True)
        for fp in report.fail_points:
            risk = str(fp["risk"]) if fp["risk"] is not None else "-"
            fps.add_row(
                Text(fp["label"], style="bold red"),
                risk,
                safe(fp["text"]),
                safe(f"{fp['step']} / {fp['action']}"),
                _tick(fp["prevention"]),
                _tick(fp["recovery"]),
            )
        con.print(fps)
    if report.waits:
        waits = Table(
            title="Waits", title_justify="left", box=box.SIMPLE_HEAD, expand=True, padding=(0, 1)
        )
        waits.add_column("", no_wrap=True)
        waits.add_column("Wait", ratio=3)
        waits.add_column("Expected", justify="right", no_wrap=True)
        waits.add_column("Max", justify="right", no_wrap=True)
        waits.add_column("Step", ratio=2)
        for w in report.waits:
            expected = Text(duration(w["expected_s"]), style="bold red" if w["over"] else "")
            if w["over"]:  # in words too: without colour (NO_COLOR, a log) it must still say
                expected.append(" over", style="bold red")
            step = Text(safe(w["step"]))
            if w.get("max_segment"):  # the max is this segment's: said under the step
                step.append("\nmax for " + safe(w["max_segment"]), style="dim")
            waits.add_row(
                Text(w["label"], style="bold yellow"),
                safe(w["text"] or "wait"),
                expected,
                duration(w["max_s"]) if w.get("max_segment") else max_text(w),
                step,
            )
        con.print(waits)
    times = " · ".join(f"{safe(p)} {duration(s)}" for p, _, s in report.times)
    con.print(
        Text("Time (critical path): ", style="bold")
        + Text(f"{times}  —  total {duration(report.total_seconds)}")
        + Text(safe(segment_note(report)))
    )
    con.print()
    print_journey(report, con)
    counts = report.counts
    summary = Text("Lint: ", style="bold")
    summary += Text(f"{counts['error']} errors", style="bold red" if counts["error"] else "")
    summary += Text(f", {counts['warning']} warnings, {counts['info']} info")
    con.print(summary)
    for f in report.top_findings:
        line = Text(f"  {f.line}:{f.col} ")
        line += Text(f.severity.label, style=_STYLE[f.severity.label])
        line += Text(f" {f.code} {safe(f.message)}")
        con.print(line, overflow="ellipsis", no_wrap=True)
    if report.more_findings:
        rest = f"  … and {report.more_findings} more ({safe(more_hint(report))})"
        con.print(Text(rest, style="dim"), overflow="ellipsis", no_wrap=True)


def _table(title: str) -> Any:
    from rich import box
    from rich.table import Table

    return Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True, padding=(0, 1)
    )


def print_journey(report: ShowReport, con: Console) -> None:
    """Segments, emotion, metrics and regulations: each left out when there is none."""
    from rich.text import Text

    if report.segment_view:
        table = _table("Segments")
        table.add_column("Segment", ratio=2)
        table.add_column("Standards · steps · time", ratio=3)
        table.add_column("Waits over its standard", ratio=3)
        for s in report.segment_view:
            over = Text(safe(over_text(s)), style="bold red" if s.waits_over else "dim")
            table.add_row(
                Text(safe(s.segment.title), style="bold"),
                safe(f"{tolerance_text(s)}\n{steps_text(s)}\ntime {duration(s.seconds)}"),
                over,
            )
        con.print(table)
    e = report.emotion
    if e is not None:
        from rich.table import Table

        con.print(Text("Emotion", style="bold") + Text("  -2 ▁▂▄▆█ +2, · not written", style="dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column()
        for who, lowest in (("customer", e.lowest_customer), ("staff", e.lowest_staff)):
            values = [getattr(p, who) for p in e.points]
            if all(v is None for v in values):
                continue
            line = Text(spark(values), style="cyan")
            line += Text("  lowest: ", style="dim") + Text(safe(lowest_text(lowest, who)))
            grid.add_row(f"  {who.capitalize()}", line)
        steps = Text()
        for i, p in enumerate(e.points):
            if i:
                steps.append(" · ", style="dim")
            value = feeling(p.customer)
            if e.has_staff:
                value += "/" + feeling(p.staff)
            steps.append(f"{p.number} ")
            steps.append(safe(p.step.title))
            steps.append(f" {value}", style="bold red" if p in e.lowest_customer else "bold")
        grid.add_row("  Steps", steps)
        if e.has_staff:
            grid.add_row("", Text("(customer/staff)", style="dim"))
        con.print(grid)
        con.print()
    if report.metrics:
        table = _table("Metrics")
        table.add_column("Metric", ratio=3)
        table.add_column("Baseline → target", no_wrap=True)
        table.add_column("Better", no_wrap=True)
        table.add_column("Where · status", ratio=3)
        for r in report.metrics:
            cell = Text(safe(metric_where(r)), style="dim")
            flag = metric_flag(r)
            if flag:
                cell.append("\n" + flag, style="yellow")
            table.add_row(safe(r.title), safe(metric_figures(r)), better_text(r), cell)
        con.print(table)
    if report.regulations:
        table = _table("Regulations")
        table.add_column("Regulation", ratio=2)
        table.add_column("Binds (step / action, owner)", ratio=3)
        for reg in report.regulations:
            name = Text(safe(reg.regulation.title), style="bold")
            if reg.regulation.source:
                name.append("\n" + safe(reg.regulation.source), style="dim")
            if not reg.declared:
                name.append("\nnot declared", style="yellow")
            bound = "\n".join(binding_text(b) for b in reg.bindings)
            table.add_row(name, safe(bound) or Text("binds no action", style="dim"))
        con.print(table)


def _marks(labels: list[str]) -> Text:
    from rich.text import Text

    text = Text()
    for i, label in enumerate(labels):
        if i:
            text.append(" ")
        text.append(label, style="bold red" if label.startswith("F") else "bold yellow")
    return text


def _tick(value: object) -> Text:
    from rich.text import Text

    return Text("✓", style="green") if value else Text("missing", style="bold red")


#: from this width on, the register gives segments and channel columns of their own
WIDE = 120


def print_register(rows: list[FailPointRow], con: Console, many_files: bool) -> None:
    """One fail point per row: its label (which names the file in a run of several),
    its text, and under it where it is (line, step, lane, owner; the file too when the
    label does not name it); the scores; whether prevention and recovery exist. Reads
    well at 80 columns."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    recs = [record(r) for r in rows]
    # where it happens: columns of their own on a wide terminal, else in the where line;
    # said only when some row has a segment or a channel to tell
    placed = any(rec["segments"] != "all" or rec["channel"] for rec in recs)
    columns = placed and con.width >= WIDE
    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1))
    table.add_column("", no_wrap=True)
    table.add_column("Risk", justify="right", no_wrap=True)
    table.add_column("Fail point · where", ratio=1)
    if columns:  # as wide as their text, up to a short name's width: the rest is the text's
        table.add_column("Segments", max_width=16)
        table.add_column("Channel", max_width=12)
    table.add_column("S·O·D", justify="right", no_wrap=True)
    table.add_column("Prev", justify="center", no_wrap=True)
    table.add_column("Rec", justify="center", no_wrap=True)
    for rec in recs:
        where = [rec["step"], rec["lane"], rec["actor"] or "no owner"]
        if not columns:  # narrow: the channel, and the segments when not all
            if rec["channel"]:
                where.append(rec["channel"])
            if rec["segments"] != "all":
                where.append(f"for {rec['segments']}")
        if rec["line"] is not None:
            where.insert(0, f"line {rec['line']}")
        if many_files and rec["label"] == rec["marker"]:  # a label that does not name it
            where.insert(0, rec["blueprint"])
        cell = Text(safe(rec["fail_point"]))
        cell.append("\n" + safe(" · ".join(str(w) for w in where)), style="dim")
        scores = "·".join(
            "-" if rec[k] is None else str(rec[k]) for k in ("severity", "occurrence", "detection")
        )
        place = [safe(rec["segments"]), safe(rec["channel"] or "-")] if columns else []
        table.add_row(
            Text(rec["label"], style="bold red"),
            Text(str(rec["risk"]) if rec["risk"] is not None else "-", style="bold"),
            cell,
            *place,
            scores,
            _tick(rec["prevention"]),
            _tick(rec["recovery"]),
        )
    con.print(table)
    con.print(Text(f"{len(rows)} fail point{'s' if len(rows) != 1 else ''}", style="dim"))


def progress_bar(
    label: str, threshold: int
) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """(update(done, total), stop()) for a transient bar on stderr, shown only for runs of
    at least ``threshold`` files. Call only when stderr is a terminal."""
    from rich.progress import Progress

    bar = Progress(transient=True)
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < threshold:
            return
        if "task" not in state:
            bar.start()
            state["task"] = bar.add_task(label, total=total)
        bar.update(state["task"], completed=done)

    def stop() -> None:
        if "task" in state:
            bar.stop()

    return update, stop


def print_audit(head: Summary, tables: list[AuditTable], con: Console) -> None:
    """``blueprint audit report``: the header's facts, then each table of the report,
    the first column wrapping so that 80 columns read well."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con.print(Text(safe(head.heading), style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for label, value in head.facts:
        facts.add_row(label, Text(safe(value)))
    con.print(facts)
    for t in tables:
        con.print()
        con.print(Text(safe(t.title), style="bold cyan"))
        if not t.rows:
            con.print(Text("  " + safe(t.empty or "None."), style="dim"))
            continue
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
        for i, name in enumerate(t.head):
            if i in t.right:
                table.add_column(name, justify="right", no_wrap=True)
            else:
                table.add_column(name, ratio=None, overflow="fold")
        for row in t.rows:
            table.add_row(*(Text(safe(c)) for c in row))
        con.print(table)
        if t.note:
            con.print(Text(safe(t.note), style="dim"))
