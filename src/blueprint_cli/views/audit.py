"""`blueprint audit report`: the figures of many audit visits of one blueprint, as a
table, plain text, JSON, CSV (long form), Markdown or HTML (a page, or a section of
``blueprint report --visits``).

Data first: ``build`` turns an ``AuditRun`` into one plain document (the JSON, stable
keys, ``schemas/audit-report.schema.json``); ``tables`` reads the document as the titled
tables every other writer prints, in the one order: header, overall compliance and the
visits that failed a critical check, compliance by kind, phase, step, actor, segment and
channel, the visits, waits, fail points, unplanned fail points, the trend, and the checks
missed again and again. Percentages have one decimal; a figure whose denominator is 0 is
``n/a``, never a division by zero.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from blueprint_cli.analysis.audit import (
    KINDS,
    OCCURRENCE_SCALE,
    Share,
    suggested_occurrence,
)
from blueprint_cli.analysis.facts import wait_standard
from blueprint_cli.model import Blueprint, format_duration
from blueprint_cli.text import json_safe, one_line, visible
from blueprint_cli.views.cells import markdown_text, spreadsheet_cell

if TYPE_CHECKING:
    from blueprint_cli.analysis.audit import Tally

#: The dimensions of compliance, in the order reports list them.
DIMENSIONS = ("kind", "phase", "step", "actor", "segment", "channel")
#: A suggested occurrence this far from the blueprint's own is flagged: revise it.
OCCURRENCE_GAP = 2
#: A check missed on at least this many visits is on the action list.
MISSED_AGAIN = 2
NA = "n/a"


def _pct(share: Share) -> float | None:
    value = share.percent
    return round(value, 1) if value is not None else None


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _round(value: float | None, times: float = 1.0) -> float | None:
    return round(value * times, 1) if value is not None else None


def _share(share: Share) -> dict[str, Any]:
    return {
        "percent": _pct(share),
        "points": share.points,
        "possible": share.possible,
        "checks": share.checks,
        "missed": share.missed,
    }


def _order(keys: list[str], known: list[str]) -> list[str]:
    """``keys`` in the order of ``known``, the rest after them in their own order."""
    place = {k: i for i, k in enumerate(known)}
    return sorted(keys, key=lambda k: (place.get(k, len(place)), k))


def build(
    tally: Tally,
    file: str,
    sha256: str,
    left_out: list[str] | None = None,
    scale: tuple[tuple[float, int], ...] | None = None,
    trend: str = "month",
) -> dict[str, Any]:
    """The report as data: every figure of the visits counted (``left_out``: one line per
    visit not counted; ``scale``: the occurrence scale, default ``OCCURRENCE_SCALE``;
    ``trend``: month, day, or a number of visits per group)."""
    left_out = left_out or []
    bp = tally.blueprint
    scale = scale or OCCURRENCE_SCALE
    dates = sorted(tally.by_date)
    segment_titles = {s.id: s.title for s in bp.segments}
    seen = {v.segment for v in tally.visits if v.segment} | {
        k for k in tally.by.get("segment", {}) if k != "(none)"
    }
    failed = [v for v in tally.visits if v.failed_critical]
    return {
        "version": 1,
        "blueprint": {
            "title": bp.title or "",
            "file": file,
            "sha256": sha256,
        },
        "visits": {
            "counted": tally.visit_count,
            "left_out": len(left_out),
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
            "segments": _order(sorted(seen), list(segment_titles)),
            "listed": len(tally.visits),
        },
        "left_out": list(left_out),
        "scoring": {
            "weights": {k: float(tally.weights.get(k, 1.0)) for k in KINDS},
            "critical": sorted(tally.critical),
            "occurrence_scale": [[t, s] for t, s in scale],
        },
        "overall": _share(tally.overall),
        "failed_critical": {
            "visits": tally.failed_visits,
            "listed": [
                {"id": v.id, "date": v.date, "checks": list(v.failed_critical)} for v in failed
            ],
        },
        "compliance": {dim: _compliance(tally, dim) for dim in DIMENSIONS},
        "visit_scores": [
            {
                "id": v.id,
                "date": v.date,
                "file": v.file,
                "segment": v.segment,
                **_share(v.share),
                "failed_critical": list(v.failed_critical),
            }
            for v in sorted(tally.visits, key=lambda v: (v.date, v.id, v.file))
        ],
        "waits": _waits(tally),
        "fail_points": _fail_points(tally, scale),
        "unplanned": [
            {
                "step": u.step,
                "step_title": _step_title(bp, u.step),
                "text": u.text,
                "times": u.count,
                "severity": u.severity,
                "first": u.first,
                "last": u.last,
            }
            for u in sorted(tally.unplanned.values(), key=lambda u: (-u.count, u.first, u.text))
        ],
        "trend": _trend(tally, trend),
        "missed_again": [
            {
                "kind": kind,
                "step": step,
                "step_title": _step_title(bp, step),
                "id": ident,
                "missed": share.missed,
                "checks": share.checks,
                "percent": _pct(share),
            }
            for (kind, step, ident), share in tally.missed_again(MISSED_AGAIN)
        ],
    }


def _step_title(bp: Blueprint, step_id: str) -> str:
    return next((s.title for s in bp.steps if s.id == step_id), step_id)


def _compliance(tally: Tally, dim: str) -> list[dict[str, Any]]:
    bp = tally.blueprint
    found = tally.by.get(dim, {})
    titles: dict[str, str] = {}
    if dim == "kind":
        order: list[str] = list(KINDS)
    elif dim == "phase":
        order = [p.title for p in bp.phases]
    elif dim == "step":
        order = [s.id for s in bp.steps]
        titles = {s.id: s.title for s in bp.steps}
    elif dim == "actor":
        order = [a.title for a in bp.actors]
    elif dim == "segment":
        order = [s.id for s in bp.segments]
        titles = {s.id: s.title for s in bp.segments}
    else:
        order = [c.id for c in bp.channels]
        titles = {c.id: c.title for c in bp.channels}
    return [
        {"key": key, "title": titles.get(key, key), **_share(found[key])}
        for key in _order(list(found), order)
    ]


def _waits(tally: Tally) -> list[dict[str, Any]]:
    bp = tally.blueprint
    segments = {s.id: s for s in bp.segments}
    out = []
    for step in bp.steps:
        for action in step.actions():
            keys = [k for k in tally.waits if k[0] == action.id]
            for key in sorted(keys, key=lambda k: _segment_place(bp, k[1])):
                w = tally.waits[key]
                segment = segments.get(key[1] or "")
                if action.wait is not None and action.wait.max is not None:
                    whose = "the wait's own"
                elif segment is not None and segment.standards and segment.standards.max_wait:
                    whose = segment.title
                elif w.standard is not None:
                    whose = "the blueprint's"
                else:
                    whose = None
                assert action.wait is not None
                standard = wait_standard(bp, action.wait, segment)
                out.append(
                    {
                        "step": step.id,
                        "step_title": step.title,
                        "action": action.id,
                        "text": action.wait.text or action.text,
                        "segment": key[1],
                        "n": w.n,
                        "median": w.median,
                        "p90": w.quantile(0.9),
                        "max": w.longest,
                        "standard": standard,
                        "standard_of": whose,
                        "within": w.within if standard is not None else None,
                        "within_percent": _round(w.share_within) if standard is not None else None,
                    }
                )
    return out


def _segment_place(bp: Blueprint, segment: str | None) -> tuple[int, str]:
    ids = [s.id for s in bp.segments]
    return (ids.index(segment) if segment in ids else len(ids), segment or "")


def _fail_points(tally: Tally, scale: tuple[tuple[float, int], ...]) -> list[dict[str, Any]]:
    out = []
    for step in tally.blueprint.steps:
        for action in step.actions():
            for fp in action.fail_points:
                f = tally.fail_points.get(fp.id)
                rate = f.rate if f is not None else None
                suggested = suggested_occurrence(rate, scale) if rate is not None else None
                differs = (
                    suggested is not None
                    and fp.occurrence is not None
                    and abs(suggested - fp.occurrence) >= OCCURRENCE_GAP
                )
                out.append(
                    {
                        "id": fp.id,
                        "text": fp.text,
                        "step": step.id,
                        "step_title": step.title,
                        "action": action.id,
                        "observed": f.observed if f else 0,
                        "occurred": f.occurred if f else 0,
                        "rate_percent": _rate(f.occurred, f.observed) if f else None,
                        "suggested_occurrence": suggested,
                        "occurrence": fp.occurrence,
                        "occurrence_differs": differs,
                        "detected": f.detected if f else 0,
                        "detection_said": f.detection_said if f else 0,
                        "detection_percent": _round(f.detection_rate, 100) if f else None,
                        "recovered": f.recovered if f else 0,
                        "recovery_said": f.recovery_said if f else 0,
                        "recovery_percent": _round(f.recovery_rate, 100) if f else None,
                    }
                )
    return out


def trend_period(value: str) -> str | int:
    """``--trend``: month, day, or a whole number of visits; ValueError otherwise."""
    word = value.strip().lower()
    if word in ("month", "day"):
        return word
    if word.isdigit() and int(word) >= 1:
        return int(word)
    raise ValueError(f"{value!r} is not month, day, or a number of visits (5)")


def _trend(tally: Tally, trend: str) -> dict[str, Any]:
    period = trend_period(trend)
    if isinstance(period, int):
        rows, per = tally.trend_every(period), f"{period} visits"
    else:
        rows, per = tally.trend(period), period
    return {
        "per": per,
        "periods": [{"period": label, "visits": n, **_share(share)} for label, n, share in rows],
    }


# ---------------------------------------------------------------- the document as tables


def percent(value: float | None) -> str:
    return NA if value is None else f"{value:.1f}%"


def seconds(value: float | None) -> str:
    return NA if value is None else format_duration(value)


def _number(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of the report; ``right``: the columns of figures."""

    ident: str
    title: str
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    right: frozenset[int] = frozenset()
    note: str = ""
    empty: str = ""  # said instead of a table without rows


@dataclass(frozen=True, slots=True)
class Summary:
    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)


def summary(doc: dict[str, Any]) -> Summary:
    """The header and the overall figures, as (label, value) lines."""
    bp, visits, overall = doc["blueprint"], doc["visits"], doc["overall"]
    heading = f"Audit of {bp['title'] or bp['file']}"
    counted = f"{visits['counted']} visit{'s' * (visits['counted'] != 1)} counted"
    if visits["left_out"]:
        counted += f", {visits['left_out']} left out"
    if visits["listed"] < visits["counted"]:
        counted += f" (the first {visits['listed']} listed)"
    dates = (
        visits["first"]
        if visits["first"] == visits["last"]
        else f"{visits['first']} – {visits['last']}"
    )
    failed = doc["failed_critical"]
    facts = [
        ("File", f"{bp['file']} (sha256 {bp['sha256'][:12]}…)"),
        ("Visits", counted),
        ("Dates", dates or NA),
        ("Segments", ", ".join(visits["segments"]) or "none named"),
        (
            "Compliance",
            f"{percent(overall['percent'])} ({_number(overall['points'])} of "
            f"{_number(overall['possible'])} points, {overall['checks']} checks, "
            f"{overall['missed']} missed)",
        ),
        (
            "Failed critical",
            ", ".join(
                f"{v['id']} ({v['date']}: {', '.join(v['checks'])})" for v in failed["listed"]
            )
            or ("no visit" if doc["scoring"]["critical"] else "no critical checks configured"),
        ),
    ]
    return Summary(heading, facts)


_SHARE_HEAD = ("Score", "Points", "Checks", "Missed")


def _share_cells(row: dict[str, Any]) -> tuple[str, ...]:
    points = f"{_number(row['points'])}/{_number(row['possible'])}"
    return (percent(row["percent"]), points, str(row["checks"]), str(row["missed"]))


def tables(doc: dict[str, Any]) -> list[Table]:
    out = []
    names = {"kind": "Kind", "phase": "Phase", "step": "Step", "actor": "Actor"}
    names |= {"segment": "Segment", "channel": "Channel"}
    for dim in DIMENSIONS:
        rows = [(r["title"], *_share_cells(r)) for r in doc["compliance"][dim]]
        out.append(
            Table(
                f"by-{dim}",
                f"Compliance by {dim}",
                (names[dim], *_SHARE_HEAD),
                rows,
                frozenset({1, 2, 3, 4}),
                empty="No checks observed.",
            )
        )
    out.append(
        Table(
            "visits",
            "Visits",
            ("Date", "Visit", "Segment", "Score", "Points", "Failed critical"),
            [
                (
                    v["date"],
                    v["id"],
                    v["segment"] or "",
                    percent(v["percent"]),
                    f"{_number(v['points'])}/{_number(v['possible'])}",
                    ", ".join(v["failed_critical"]),
                )
                for v in doc["visit_scores"]
            ],
            frozenset({3, 4}),
        )
    )
    out.append(
        Table(
            "waits",
            "Waits against the standard",
            ("Wait", "Segment", "n", "Median", "p90", "Max", "Standard", "Within standard"),
            [
                (
                    f"{w['text']} ({w['action']})",
                    w["segment"] or "(none)",
                    str(w["n"]),
                    seconds(w["median"]),
                    seconds(w["p90"]),
                    seconds(w["max"]),
                    f"{seconds(w['standard'])} ({w['standard_of']})"
                    if w["standard"] is not None
                    else "none",
                    f"{percent(w['within_percent'])} of visits",
                )
                for w in doc["waits"]
            ],
            frozenset({2, 3, 4, 5}),
            empty="No waits timed.",
        )
    )
    out.append(
        Table(
            "fail-points",
            "Fail points",
            ("Fail point", "Step", "Seen", "Occurred", "O", "Detected", "Recovered"),
            [
                (
                    f"{f['text']} ({f['id']})",
                    f["step_title"],
                    str(f["observed"]),
                    f"{f['occurred']} ({percent(f['rate_percent'])})",
                    _occurrence(f),
                    percent(f["detection_percent"]),
                    percent(f["recovery_percent"]),
                )
                for f in doc["fail_points"]
            ],
            frozenset({2, 3, 4, 5, 6}),
            note="O: the FMEA occurrence the visits suggest vs the blueprint's own; "
            f"'revise' where they differ by {OCCURRENCE_GAP} or more. Recovered: "
            "recovered / occurred.",
            empty="The blueprint has no fail points.",
        )
    )
    out.append(
        Table(
            "unplanned",
            "Unplanned fail points: add to the blueprint",
            ("Step", "What went wrong", "Times", "Severity", "First", "Last"),
            [
                (
                    u["step_title"],
                    u["text"],
                    str(u["times"]),
                    str(u["severity"]) if u["severity"] is not None else NA,
                    u["first"],
                    u["last"],
                )
                for u in doc["unplanned"]
            ],
            frozenset({2, 3}),
            empty="None: every fail point seen is in the blueprint.",
        )
    )
    trend = doc["trend"]
    out.append(
        Table(
            "trend",
            f"Trend per {trend['per']}",
            ("Period", "Visits", *_SHARE_HEAD),
            [(p["period"], str(p["visits"]), *_share_cells(p)) for p in trend["periods"]],
            frozenset({1, 2, 3, 4, 5}),
        )
    )
    out.append(
        Table(
            "missed-again",
            f"Missed again and again (on {MISSED_AGAIN} visits or more)",
            ("Kind", "Step", "Check", "Missed", "Score"),
            [
                (
                    m["kind"],
                    m["step_title"],
                    m["id"],
                    f"{m['missed']} of {m['checks']}",
                    percent(m["percent"]),
                )
                for m in doc["missed_again"]
            ],
            frozenset({3, 4}),
            empty=f"No check was missed on {MISSED_AGAIN} visits or more.",
        )
    )
    return out


def _occurrence(f: dict[str, Any]) -> str:
    seen = NA if f["suggested_occurrence"] is None else str(f["suggested_occurrence"])
    plan = "—" if f["occurrence"] is None else str(f["occurrence"])
    return f"{seen} vs {plan}{' revise' if f['occurrence_differs'] else ''}"


# ---------------------------------------------------------------------------- writers


def to_json(doc: dict[str, Any]) -> str:
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _long_rows(doc: dict[str, Any]) -> list[tuple[str, str, str, str, Any]]:
    """(section, dimension, key, metric, value): every figure, one row each."""
    rows: list[tuple[str, str, str, str, Any]] = []
    for metric, value in doc["blueprint"].items():
        rows.append(("header", "blueprint", "", metric, value))
    for metric, value in doc["visits"].items():
        shown = ";".join(value) if isinstance(value, list) else value
        rows.append(("header", "visits", "", metric, shown))
    for metric, value in doc["overall"].items():
        rows.append(("overall", "", "", metric, value))
    for v in doc["failed_critical"]["listed"]:
        rows.append(("failed_critical", "visit", v["id"], "checks", ";".join(v["checks"])))
    for dim, found in doc["compliance"].items():
        for r in found:
            for metric in ("percent", "points", "possible", "checks", "missed"):
                rows.append(("compliance", dim, r["key"], metric, r[metric]))
    for v in doc["visit_scores"]:
        for metric in ("date", "segment", "percent", "points", "possible", "checks"):
            rows.append(("visits", "visit", v["id"], metric, v[metric]))
        rows.append(("visits", "visit", v["id"], "failed_critical", ";".join(v["failed_critical"])))
    for w in doc["waits"]:
        for metric in ("n", "median", "p90", "max", "standard", "standard_of", "within"):
            rows.append(("waits", w["action"], w["segment"] or "", metric, w[metric]))
        rows.append(
            ("waits", w["action"], w["segment"] or "", "within_percent", w["within_percent"])
        )
    for f in doc["fail_points"]:
        for metric, value in f.items():
            if metric not in ("id", "step", "step_title", "action"):
                rows.append(("fail_points", f["step"], f["id"], metric, value))
    for u in doc["unplanned"]:
        for metric in ("times", "severity", "first", "last"):
            rows.append(("unplanned", u["step"], u["text"], metric, u[metric]))
    for p in doc["trend"]["periods"]:
        for metric in ("visits", "percent", "points", "possible", "checks"):
            rows.append(("trend", doc["trend"]["per"], p["period"], metric, p[metric]))
    for m in doc["missed_again"]:
        for metric in ("missed", "checks", "percent"):
            rows.append(("missed_again", m["kind"], f"{m['step']}/{m['id']}", metric, m[metric]))
    return rows


def to_csv(doc: dict[str, Any]) -> str:
    """One table in long form, for a spreadsheet's pivot: section, dimension, key,
    metric, value (an empty value: n/a)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("section", "dimension", "key", "metric", "value"))
    for row in _long_rows(doc):
        value = row[4]
        if isinstance(value, bool):
            value = "yes" if value else "no"
        writer.writerow([spreadsheet_cell(c) for c in (*row[:4], value)])
    return out.getvalue()


def to_markdown(doc: dict[str, Any]) -> str:
    head = summary(doc)
    lines = [f"# {markdown_text(head.heading)}", ""]
    lines += [f"- **{label}:** {markdown_text(value)}" for label, value in head.facts]
    for t in tables(doc):
        lines += ["", f"## {markdown_text(t.title)}", ""]
        if not t.rows:
            lines.append(markdown_text(t.empty or "None."))
            continue
        lines.append("| " + " | ".join(t.head) + " |")
        lines.append("|" + "".join("---:|" if i in t.right else "---|" for i in range(len(t.head))))
        lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in t.rows]
        if t.note:
            lines += ["", markdown_text(t.note)]
    return "\n".join(lines) + "\n"


def to_text(doc: dict[str, Any]) -> str:
    """Plain text for a pipe or a log: the header, then each table in aligned columns."""
    head = summary(doc)
    lines = [one_line(head.heading)]
    width = max(len(label) for label, _ in head.facts)
    lines += [f"  {label + ':':<{width + 1}} {one_line(value)}" for label, value in head.facts]
    for t in tables(doc):
        lines += ["", one_line(t.title)]
        if not t.rows:
            lines.append("  " + t.empty)
            continue
        cells = [t.head, *[tuple(one_line(c) for c in r) for r in t.rows]]
        widths = [max(len(r[i]) for r in cells) for i in range(len(t.head))]
        for row in cells:
            parts = [
                c.rjust(widths[i]) if i in t.right else c.ljust(widths[i])
                for i, c in enumerate(row)
            ]
            lines.append(("  " + "  ".join(parts)).rstrip())
        if t.note:
            lines.append("  " + t.note)
    return "\n".join(lines) + "\n"


def _esc(text: object) -> str:
    return html.escape(visible("" if text is None else str(text)), quote=True)


def html_section(doc: dict[str, Any]) -> str:
    """The audit as one ``<section id="audit">`` of a page (``blueprint report
    --visits``); every value escaped."""
    head = summary(doc)
    facts = "".join(
        f"<tr><th>{_esc(label)}</th><td>{_esc(value)}</td></tr>" for label, value in head.facts
    )
    parts = [
        '<section id="audit">',
        f"<h2>{_esc(head.heading)}</h2>",
        f'<table class="audit-facts">\n<tbody>{facts}</tbody>\n</table>',
    ]
    for t in tables(doc):
        parts.append(f'<h3 id="audit-{t.ident}">{_esc(t.title)}</h3>')
        if not t.rows:
            parts.append(f'<p class="none">{_esc(t.empty or "None.")}</p>')
            continue
        th = "".join(f"<th>{_esc(h)}</th>" for h in t.head)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="num">{_esc(c)}</td>' if i in t.right else f"<td>{_esc(c)}</td>"
                for i, c in enumerate(row)
            )
            + "</tr>\n"
            for row in t.rows
        )
        parts.append(f"<table>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>")
        if t.note:
            parts.append(f'<p class="note">{_esc(t.note)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def to_html(doc: dict[str, Any]) -> str:
    """A self-contained page: the report's own style, no request of any kind."""
    from blueprint_cli.views.report import document

    return document(_esc(summary(doc).heading), html_section(doc), "a4")


def _writer(render: Callable[[dict[str, Any]], str]) -> Callable[..., None]:
    def write(doc: dict[str, Any], out: TextIO, *, color: bool) -> None:
        out.write(render(doc))

    return write


def write_table(doc: dict[str, Any], out: TextIO, *, color: bool) -> None:
    from blueprint_cli.views.terminal import console, print_audit

    print_audit(summary(doc), tables(doc), console(out, color))


#: ``audit report --format NAME``: the writers, by name.
WRITERS: dict[str, Callable[..., None]] = {
    "table": write_table,
    "text": _writer(to_text),
    "json": _writer(to_json),
    "csv": _writer(to_csv),
    "markdown": _writer(to_markdown),
    "html": _writer(to_html),
}
