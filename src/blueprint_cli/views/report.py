"""`blueprint report`: one self-contained HTML page per blueprint, and an index of them.

Every figure comes from the data ``blueprint show`` shows (``views.show.build_report``)
and from ``analysis`` (the register, the markers); the diagram is the SVG ``render``
draws, embedded inline. The page is built from templates stored as data files
(``templates/report.html``, ``.css``, ``.js``) with ``string.Template``: the templates
are the only text ever substituted into, each once, and every value substituted is
escaped first (``esc``), so user text (``${x}``, ``<script>``) is only ever text.

No external request of any kind (a Content-Security-Policy that allows only the page's
own script, by its hash); the same input gives the same bytes (no timestamp: the
input's sha256 says which version of the file the page shows).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from string import Template

from blueprint_cli.analysis import (
    EmotionCurve,
    Marker,
    PlacedRow,
    markers,
    placed,
    register,
    sort_register,
)
from blueprint_cli.findings import Finding, Severity
from blueprint_cli.model import ACTION_LANES, Blueprint, format_duration
from blueprint_cli.positions import SourceMap
from blueprint_cli.render.legend import (
    FAIL,
    FAIL_HIGH,
    FAIL_UNSCORED,
    WAIT,
    WAIT_OVER,
    RiskBands,
    badge_kind,
    key_text,
    marker_figures,
)
from blueprint_cli.text import visible
from blueprint_cli.views.show import (
    ShowReport,
    better_text,
    build_report,
    by_importance,
    coverage_text,
    duration,
    feeling,
    lowest_text,
    metric_figures,
    metric_flag,
    metric_where,
    segment_note,
    tolerance_text,
)

#: ``--paper``: the CSS page size of each paper, printed landscape
PAPERS: dict[str, str] = {"a4": "A4", "a3": "A3", "letter": "letter", "tabloid": "ledger"}


def esc(text: object) -> str:
    """User text as HTML text or an attribute's value: control and invisible characters
    shown as escapes (``visible``), markup and quotes as entities."""
    return html.escape(visible("" if text is None else str(text)), quote=True)


@cache
def _template(name: str) -> str:
    return (files("blueprint_cli") / "templates" / name).read_text(encoding="utf-8")


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def document(title: str, body: str, paper: str, script: str = "") -> str:
    """The page: the template substituted once, with values already escaped or built
    from escaped parts (``title`` and ``body``), the page's own CSS and script."""
    return Template(_template("report.html")).substitute(
        title=title,
        body=body,
        css=_template("report.css"),
        paper=PAPERS[paper],
        script=script,
        script_hash=_script_hash(script),
    )


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One blueprint in the index: what compares it with the others."""

    name: str
    title: str
    steps: int
    total_risk: int  # the sum of the risks (RPN) of its scored fail points
    coverage: tuple[int, int]  # customer steps with evidence, all customer steps
    counts: dict[str, int]  # lint findings per severity label
    fail_points: int
    waits_over: int
    draft: bool
    href: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    html: str
    row: IndexRow


# ---------------------------------------------------------------------------- the page


def page(
    name: str,
    sha256: str,
    bp: Blueprint,
    findings: list[Finding],
    positions: SourceMap | None,
    bands: RiskBands,
    svg: str | None,
    notice: str,
    paper: str = "a4",
    audit: str = "",
) -> Page:
    """The report of one blueprint (a draft when ``findings`` hold errors): ``svg`` is
    its diagram as ``render`` draws it, with links (``svg_of``), or None with a
    ``notice`` saying why there is none; ``audit``: the section of ``blueprint audit
    report`` (views/audit.py ``html_section``), after the findings, when given."""
    report = build_report(name, bp, findings)
    draft = report.counts.get("error", 0) > 0
    marks = {m.label: m for m in markers(bp)}
    rows = placed(bp, sort_register(register(bp, name, draft, positions)))
    body = "\n".join(
        [
            _header(report, name, sha256, bool(audit)),
            _summary(report, bp, bands, marks),
            _diagram(bp, svg, notice, bands, marks),
            _register(rows, marks, bands),
            _waits(report, marks, bands),
            _segments(report, bands),
            _emotion(report),
            _metrics(report),
            _regulations(report),
            _evidence(bp, report),
            _standards(bp),
            _actors(bp),
            _findings(findings),
            *([audit] if audit else []),
        ]
    )
    script = _template("report.js")
    heading = esc(report.heading)
    row = IndexRow(
        name,
        report.heading,
        len(bp.steps),
        sum(r.risk or 0 for r in rows),
        report.coverage,
        report.counts,
        len(rows),
        sum(1 for w in report.waits if w["over"]),
        draft,
    )
    return Page(document(heading, body, paper, script), row)


def _section(ident: str, title: str, content: str, extra: str = "") -> str:
    return (
        f'<section id="{ident}"{extra}>\n<h2>{esc(title)}</h2>\n{content}\n</section>'
        if content
        else ""
    )


def _table(head: list[str], rows: list[str], cls: str = "") -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    attr = f' class="{cls}"' if cls else ""
    return (
        f"<table{attr}>\n<thead><tr>{th}</tr></thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>"
    )


def _none(text: str) -> str:
    return f'<p class="none">{esc(text)}</p>'


def _header(report: ShowReport, name: str, sha256: str, audit: bool = False) -> str:
    out = [f"<header>\n<h1>{esc(report.heading)}</h1>"]
    if report.description:
        out.append(f'<p class="description">{esc(report.description)}</p>')
    out.append(
        f'<p class="source">File <code>{esc(name)}</code>'
        f' · sha256 <code class="hash">{esc(sha256)}</code></p>'
    )
    errors = report.counts.get("error", 0)
    if errors:
        plural = "s" if errors != 1 else ""
        out.append(
            f'<p class="draft-notice">A draft: the file has {errors} error{plural}; the '
            "report shows what validates. The errors are listed under "
            '<a href="#findings">Lint findings</a>.</p>'
        )
    journey = "".join(
        f' <a href="#{ident}">{title}</a>'
        for ident, title, present in (
            ("segments", "Segments", report.segment_view),
            ("emotion", "Emotion", report.emotion),
            ("metrics", "Metrics", report.metrics),
            ("regulations", "Regulations", report.regulations),
        )
        if present
    )
    out.append(
        '<nav><a href="#summary">Summary</a> <a href="#diagram">Diagram</a> '
        '<a href="#failpoints">Fail points</a> <a href="#waits">Waits</a>'
        f"{journey} "
        '<a href="#evidence">Evidence</a> <a href="#standards">Standards and scripts</a> '
        '<a href="#actors">Actors</a> <a href="#findings">Lint findings</a>'
        f"{AUDIT_LINK if audit else ''}</nav>\n</header>"
    )
    return "\n".join(out)


AUDIT_LINK = ' <a href="#audit">Audit</a>'


def _count(n: int, label: str) -> str:
    """``1 error``, ``2 warnings``, ``3 info``."""
    return f"{n} {label}{'s' if n != 1 and label != 'info' else ''}"


def _card(title: str, value: str, detail: str = "", cls: str = "") -> str:
    attr = f" {cls}" if cls else ""
    more = f'<div class="detail">{detail}</div>' if detail else ""
    return (
        f'<div class="card{attr}"><div class="label">{esc(title)}</div>'
        f'<div class="value">{value}</div>{more}</div>'
    )


def _summary(report: ShowReport, bp: Blueprint, bands: RiskBands, marks: dict[str, Marker]) -> str:
    phases = ", ".join(f"{esc(p)} {n}" for p, n in report.steps_per_phase)
    covered, total = report.coverage
    kinds = [badge_kind(m, bands) for m in marks.values() if m.fail_point is not None]
    fails = (
        f"{kinds.count(FAIL_HIGH)} high · {kinds.count(FAIL)} other · "
        f"{kinds.count(FAIL_UNSCORED)} unscored"
    )
    missing = sum(
        1
        for m in marks.values()
        if m.fail_point is not None and not (m.fail_point.prevention and m.fail_point.recovery)
    )
    over = sum(1 for w in report.waits if w["over"])
    counts = report.counts
    lint = " · ".join(
        _count(counts.get(s.label, 0), s.label) for s in sorted(Severity, reverse=True)
    )
    cards = [
        _card("Steps", str(len(report.journey)), phases),
        _card(
            "Evidence coverage",
            f"{covered}/{total}",
            esc(coverage_text(report)),
            "warn" if covered < total else "",
        ),
        _card(
            "Fail points",
            str(len(kinds)),
            esc(fails)
            + (f"<br>{missing} without prevention or recovery" if missing else "")
            + f"<br>high: risk ≥ {bands.rpn} or severity ≥ {bands.severity}",
            "bad" if FAIL_HIGH in kinds else "",
        ),
        _card(
            "Waits over standard",
            f"{over}/{len(report.waits)}",
            "expected longer than the longest tolerated wait",
            "warn" if over else "",
        ),
        _card(
            "Journey time",
            esc(duration(report.total_seconds)),
            "critical path" + esc(segment_note(report)),
        ),
        _card(
            "Lint findings",
            str(sum(counts.values())),
            esc(lint),
            "bad" if counts.get("error") else "",
        ),
    ]
    segments = ""
    if bp.segments:
        segments = "<p>Segments: " + ", ".join(esc(s.title) for s in bp.segments) + "</p>"
    return _section("summary", "Summary", f'<div class="cards">{"".join(cards)}</div>{segments}')


def _diagram(
    bp: Blueprint, svg: str | None, notice: str, bands: RiskBands, marks: dict[str, Marker]
) -> str:
    toggles = []
    used_phases = {s.phase for s in bp.steps}
    for phase in bp.phases:
        if phase.id in used_phases:
            toggles.append(
                f'<label><input type="checkbox" class="phase-toggle" data-phase="{esc(phase.id)}"'
                f" checked> {esc(phase.title)}</label>"
            )
    used_segments = {g for s in bp.steps for g in s.segments}
    segment_toggles = [
        f'<label><input type="checkbox" class="segment-toggle" data-segment="{esc(g.id)}"'
        f" checked> {esc(g.title)}</label>"
        for g in bp.segments
        if g.id in used_segments
    ]
    parts = []
    if svg is not None:
        parts.append(
            '<label class="fit"><input type="checkbox" class="fit-toggle" checked> '
            "Fit to width</label>"
        )
    if toggles or segment_toggles:
        if toggles:
            parts.append(f'<span class="group">Phases: {" ".join(toggles)}</span>')
        if segment_toggles:
            parts.append(f'<span class="group">Segments: {" ".join(segment_toggles)}</span>')
    controls = f'<div class="toggles">{"".join(parts)}</div>' if parts else ""
    present = sorted({badge_kind(m, bands) for m in marks.values()}, key=_KEY_ORDER.index)
    key = "".join(
        f'<li><span class="badge {kind}">{"F" if kind.startswith("fail") else "W"}</span> '
        f"{esc(key_text(kind, bands))}</li>"
        for kind in present
    )
    legend = f'<ul class="key">{key}</ul>' if key else ""
    if svg is None:
        figure = f'<p class="notice" id="no-diagram">{esc(notice)}</p>'
    else:
        figure = f'<div class="figure">{inline_svg(svg)}</div>'
    data = _steps_data(bp)
    content = (
        f"{controls}\n{figure}\n{legend}\n"
        f'<script type="application/json" id="blueprint-steps">{data}</script>'
    )
    return _section("diagram", "Diagram", content)


_KEY_ORDER = (FAIL_HIGH, FAIL, FAIL_UNSCORED, WAIT_OVER, WAIT)
_PROLOG = re.compile(r"\A.*?(?=<svg[\s>])", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TIPPED = re.compile(r'(<a\b[^>]*?\bxlink:title="([^"]*)"[^>]*>)')


def inline_svg(svg: str) -> str:
    """Graphviz's SVG for an HTML page: no XML prolog, DOCTYPE or comments, and each
    link's ``xlink:title`` (the tooltip) also a ``<title>`` inside it, which every
    browser shows on hover. The text is Graphviz's, already escaped as XML."""
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    return _TIPPED.sub(lambda m: f"{m.group(1)}<title>{m.group(2)}</title>", svg).strip()


def _steps_data(bp: Blueprint) -> str:
    """Which nodes of the diagram belong to each step (their SVG ids, the DOT node names
    of render/layout.py), with its phase and segments: what the toggles dim. JSON that
    cannot end its script element (``<`` written as ``\\u003c``)."""
    steps = [
        {
            "phase": step.phase or "",
            "segments": list(step.segments),
            "nodes": [
                f"step:{step.id}",
                *(f"a:{a.id}" for a in step.actions()),
                *(f"e:{ev.id}" for ev in step.evidence),
            ],
        }
        for step in bp.steps
    ]
    text = json.dumps({"steps": steps}, ensure_ascii=True, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _badge(m: Marker, bands: RiskBands) -> str:
    return f'<span class="badge {badge_kind(m, bands)}">{esc(m.label)}</span>'


def _back() -> str:
    return '<td class="nav"><a class="back" href="#diagram" title="Back to the diagram">↑</a></td>'


def _text_or_missing(text: str | None) -> str:
    return esc(text) if text else '<span class="missing">none planned</span>'


def _register(rows: list[PlacedRow], marks: dict[str, Marker], bands: RiskBands) -> str:
    out = []
    for r in rows:
        fp = r.fail_point
        m = marks[r.marker]
        risk = "" if fp.risk is None else str(fp.risk)
        line = "" if r.line is None else f"{esc(r.blueprint)}:{r.line}"
        out.append(
            f'<tr id="fp-{esc(r.marker)}">'
            f"<td>{_badge(m, bands)}</td>"
            f"<td>{r.step_index + 1}. {esc(r.step.title)}</td>"
            f"<td>{esc(r.segments_text)}</td>"
            f"<td>{esc(r.channel or '')}</td>"
            f"<td>{esc(r.action.text)}</td>"
            f"<td>{esc(fp.text)}</td>"
            f'<td class="num">{esc(fp.severity if fp.severity is not None else "")}</td>'
            f'<td class="num">{esc(fp.occurrence if fp.occurrence is not None else "")}</td>'
            f'<td class="num">{esc(fp.detection if fp.detection is not None else "")}</td>'
            f'<td class="num risk">{risk or "unscored"}</td>'
            f"<td>{_text_or_missing(fp.prevention)}</td>"
            f"<td>{_text_or_missing(fp.recovery)}</td>"
            f"<td>{esc(r.actor or '')}</td>"
            f'<td class="where">{line}</td>'
            f"{_back()}</tr>\n"
        )
    head = ["", "Step", "Segments", "Channel", "Action", "Fail point", "S", "O", "D", "Risk"]
    head += ["Prevention", "Recovery", "Owner", "Where", ""]
    content = _table(head, out, "register") if out else _none("No fail points.")
    return _section("failpoints", "Fail points, by risk", content)


def _waits(report: ShowReport, marks: dict[str, Marker], bands: RiskBands) -> str:
    out = []
    for w in report.waits:
        m = marks[w["label"]]
        status = (
            f'<span class="over">over by {esc(format_duration(m.over_by))}</span>'
            if m.over_by
            else ("within" if w["max_s"] is not None and w["expected_s"] is not None else "–")
        )
        out.append(
            f'<tr id="wait-{esc(w["label"])}">'
            f"<td>{_badge(m, bands)}</td>"
            f"<td>{esc(w['step'])}</td>"
            f"<td>{esc(w['action'])}</td>"
            f"<td>{esc(w['text'] or 'wait')}</td>"
            f'<td class="num">{esc(duration(w["expected_s"]))}</td>'
            f'<td class="num">{esc(duration(w["max_s"]))}'
            f"{' (standard)' if w['max_is_default'] else ''}"
            + (f"<br>{esc(w['max_segment'])}" if w["max_segment"] else "")
            + "</td>"
            f"<td>{status}</td>"
            f"<td>{esc(marker_figures(m))}</td>"
            f"{_back()}</tr>\n"
        )
    head = ["", "Step", "Action", "Wait", "Expected", "Max", "Against the standard", "", ""]
    content = _table(head, out, "waits") if out else _none("No waits.")
    return _section("waits", "Waits against their standards", content)


def _segments(report: ShowReport, bands: RiskBands) -> str:
    out = []
    for s in report.segment_view:
        over = "".join(
            f"<li>{_badge(m, bands)} {esc(m.wait.text if m.wait and m.wait.text else 'wait')}: "
            f"{esc(duration(m.wait.expected if m.wait else None))} over "
            f'{esc(duration(m.standard))} <span class="note">({esc(m.step.title)})</span></li>'
            for m in s.waits_over
        )
        own = ", ".join(esc(st.title) for st in s.own_steps)
        out.append(
            f'<tr id="segment-{esc(s.segment.id)}"><td>{esc(s.segment.title)}</td>'
            f"<td>{esc(tolerance_text(s))}</td>"
            f'<td class="num">{s.steps}</td><td>{own or _none_span("none of its own")}</td>'
            f'<td class="num">{esc(duration(s.seconds))}</td>'
            f"<td>{f'<ul>{over}</ul>' if over else _none_span('none')}</td></tr>\n"
        )
    head = ["Segment", "Standards", "Steps", "Its own steps", "Time", "Waits over its standard"]
    content = _table(head, out, "segments") if out else ""
    return _section("segments", "Segments: standards, steps, time", content)


def _none_span(text: str) -> str:
    return f'<span class="none">{esc(text)}</span>'


#: the emotion chart: the width of a step, the height of one point of feeling, margins
_STEP_W, _LEVEL_H, _TOP, _LEFT = 112, 22, 14, 34


def emotion_svg(curve: EmotionCurve) -> str:
    """The feelings as an inline SVG: one column per step, -2 at the bottom, +2 at the
    top; a line through the customer's (solid) and the staff's (dashed) feelings,
    broken where a step has none written, the lowest points marked."""
    n = len(curve.points)
    width = _LEFT + _STEP_W * n + 10
    height = _TOP + 4 * _LEVEL_H + 34

    def x(i: int) -> float:
        return _LEFT + _STEP_W * i + _STEP_W / 2

    def y(v: int) -> float:
        return _TOP + (2 - v) * _LEVEL_H

    parts = [
        f'<svg class="emotion-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        "<title>Emotion by step, from -2 (very bad) to +2 (very good)</title>",
    ]
    for v in range(-2, 3):
        parts.append(
            f'<line class="{"zero" if v == 0 else "level"}" x1="{_LEFT}" x2="{width - 10}" '
            f'y1="{y(v)}" y2="{y(v)}"/>'
            f'<text class="axis" x="{_LEFT - 6}" y="{y(v) + 4}" text-anchor="end">'
            f"{feeling(v)}</text>"
        )
    for who, lowest in (("staff", curve.lowest_staff), ("customer", curve.lowest_customer)):
        runs: list[list[str]] = [[]]
        for i, p in enumerate(curve.points):
            v = getattr(p, who)
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{x(i)},{y(v)}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="{who}" points="{" ".join(run)}"/>')
        low = {id(p) for p in lowest}
        for i, p in enumerate(curve.points):
            v = getattr(p, who)
            if v is not None:
                cls = f"{who} low" if id(p) in low else who
                parts.append(
                    f'<circle class="{cls}" cx="{x(i)}" cy="{y(v)}" r="5">'
                    f"<title>{esc(p.step.title)}: {who} {feeling(v)}</title></circle>"
                )
    for i, p in enumerate(curve.points):
        title = p.step.title if len(p.step.title) <= 17 else p.step.title[:16] + "…"
        parts.append(
            f'<text class="step" x="{x(i)}" y="{height - 18}" text-anchor="middle">'
            f"{p.number}</text>"
            f'<text class="step" x="{x(i)}" y="{height - 5}" text-anchor="middle">'
            f"{esc(title)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _emotion(report: ShowReport) -> str:
    curve = report.emotion
    if curve is None:
        return ""
    lowest = []
    for who, points in (("customer", curve.lowest_customer), ("staff", curve.lowest_staff)):
        if points:
            lowest.append(
                f"<li>The {who}'s lowest: <strong>{esc(lowest_text(points, who))}</strong></li>"
            )
    key = '<span class="key-customer">customer</span>'
    if curve.has_staff:
        key += ' · <span class="key-staff">staff</span>'
    content = (
        f'<div class="emotion">{emotion_svg(curve)}</div>'
        f'<p class="note">{key}; a step with no feeling written is a gap, not 0.</p>'
        f"<ul>{''.join(lowest)}</ul>"
    )
    return _section("emotion", "Emotion over the journey", content)


def _metrics(report: ShowReport) -> str:
    out = []
    for r in report.metrics:
        flag = metric_flag(r)
        cls = "met" if r.status == "met" else "missing"
        status = f'<span class="{cls}">{esc(flag)}</span>' if flag else ""
        out.append(
            f"<tr><td>{esc(r.title)}</td><td>{esc(metric_where(r))}</td>"
            f'<td class="num">{esc(metric_figures(r))}</td><td>{esc(better_text(r))}</td>'
            f"<td>{status}</td></tr>\n"
        )
    head = ["Metric", "Where", "Baseline → target", "Better", "Status"]
    return _section("metrics", "Metrics", _table(head, out, "metrics") if out else "")


def _regulations(report: ShowReport) -> str:
    out = []
    for reg in report.regulations:
        source = f'<br><span class="note">{esc(reg.regulation.source)}</span>'
        name = esc(reg.regulation.title) + (source if reg.regulation.source else "")
        if not reg.declared:
            name += ' <span class="missing">(not declared)</span>'
        if not reg.bindings:
            out.append(
                f'<tr><td>{name}</td><td colspan="3">{_none_span("binds no action")}</td></tr>\n'
            )
        for i, b in enumerate(reg.bindings):
            first = f'<td rowspan="{len(reg.bindings)}">{name}</td>' if i == 0 else ""
            evidence = ", ".join(esc(e) for e in b.evidence)
            out.append(
                f"<tr>{first}<td>{b.number}. {esc(b.step.title)} / {esc(b.action.text)}</td>"
                f"<td>{esc(b.owner) if b.owner else _none_span('no owner')}</td>"
                f"<td>{evidence or _none_span('no evidence at this step')}</td></tr>\n"
            )
    head = ["Regulation", "Binds (step / action)", "Owner", "Evidence at its step"]
    content = _table(head, out, "regulations") if out else ""
    return _section("regulations", "Regulations and the actions they bind", content)


def _evidence(bp: Blueprint, report: ShowReport) -> str:
    phases = {p.id: p.title for p in bp.phases}
    out = []
    for i, step in enumerate(bp.steps, 1):
        if step.evidence:
            items = "".join(
                f"<li>{esc(ev.text)}"
                + (f' <span class="note">({esc(ev.note)})</span>' if ev.note else "")
                + "</li>"
                for ev in step.evidence
            )
            shown = f"<ul>{items}</ul>"
        elif step.customer:
            shown = '<span class="missing">no evidence for a customer step</span>'
        else:
            shown = '<span class="none">–</span>'
        out.append(
            f"<tr><td>{i}. {esc(step.title)}</td><td>{esc(phases.get(step.phase or '', ''))}</td>"
            f"<td>{shown}</td></tr>\n"
        )
    content = f"<p>{esc(coverage_text(report))}</p>" + _table(["Step", "Phase", "Evidence"], out)
    return _section("evidence", "Evidence per step", content if bp.steps else "")


def _standards(bp: Blueprint) -> str:
    actors = {a.id: a.title for a in bp.actors}
    out = []
    for i, step in enumerate(bp.steps, 1):
        for action in step.actions():
            if action.duration is None and not action.script:
                continue
            owner = actors.get(action.actor or "", action.actor or "")
            time = format_duration(action.duration) if action.duration is not None else ""
            script = f"<q>{esc(action.script)}</q>" if action.script else ""
            out.append(
                f"<tr><td>{i}. {esc(step.title)}</td><td>{esc(bp.lanes.title(action.lane))}</td>"
                f"<td>{esc(action.text)}</td><td>{esc(owner)}</td>"
                f'<td class="num">{esc(time)}</td><td>{script}</td></tr>\n'
            )
    default = ""
    if bp.standards.max_wait is not None:
        default = (
            f"<p>Longest tolerated wait, for every wait without its own max: "
            f"{esc(format_duration(bp.standards.max_wait))}</p>"
        )
    head = ["Step", "Lane", "Action", "Owner", "Standard time", "Script"]
    table = _table(head, out) if out else _none("No action has a standard time or a script.")
    return _section("standards", "Standards and scripts per action", default + table)


def _actors(bp: Blueprint) -> str:
    owned: dict[str, list[str]] = {}
    for i, step in enumerate(bp.steps, 1):
        for action in step.actions():
            if action.actor is not None:
                owned.setdefault(action.actor, []).append(f"{i}. {action.text}")
    out = []
    for actor in bp.actors:
        actions = owned.pop(actor.id, [])
        items = "".join(f"<li>{esc(a)}</li>" for a in actions)
        shown = f"<ul>{items}</ul>" if items else '<span class="missing">owns no action</span>'
        out.append(
            f"<tr><td>{esc(actor.title)}</td><td>{esc(actor.kind)}</td>"
            f'<td class="num">{len(actions)}</td><td>{shown}</td></tr>\n'
        )
    for ident, actions in owned.items():  # named by actions, never declared
        items = "".join(f"<li>{esc(a)}</li>" for a in actions)
        out.append(
            f'<tr><td>{esc(ident)} <span class="missing">(not declared)</span></td><td></td>'
            f'<td class="num">{len(actions)}</td><td><ul>{items}</ul></td></tr>\n'
        )
    unowned = sum(
        1 for s in bp.steps for lane in ACTION_LANES[1:] for a in s.lane(lane) if a.actor is None
    )
    note = f"<p>{unowned} staff or system actions have no owner.</p>" if unowned else ""
    table = _table(["Actor", "Kind", "Actions", "Owns"], out) if out else _none("No actors.")
    return _section("actors", "Actors and what they own", table + note)


def _findings(findings: list[Finding]) -> str:
    groups = []
    ranked = by_importance(findings)
    for severity in sorted(Severity, reverse=True):
        mine = [f for f in ranked if f.severity is severity]
        if not mine:
            continue
        items = "".join(
            f'<li><code class="where">{esc(f.file)}:{f.line}:{f.col}</code> '
            f'<span class="code">{esc(f.code)}</span> {esc(f.message)}</li>'
            for f in mine
        )
        groups.append(
            f'<h3 class="{severity.label}">{esc(severity.label.capitalize())} ({len(mine)})</h3>'
            f'<ol class="findings {severity.label}">{items}</ol>'
        )
    content = "".join(groups) if groups else _none("No lint findings.")
    return _section("findings", "Lint findings, most important first", content)


# ---------------------------------------------------------------------------- the index


def index_page(rows: list[IndexRow], paper: str = "a4") -> str:
    """The page that compares the blueprints of a run, each linking to its report."""
    out = []
    for r in rows:
        covered, total = r.coverage
        percent = f" ({100 * covered // total}%)" if total else ""
        counts = "".join(
            f'<td class="num">{r.counts.get(s.label, 0)}</td>'
            for s in sorted(Severity, reverse=True)
        )
        draft = ' <span class="missing">draft</span>' if r.draft else ""
        out.append(
            f'<tr><td><a href="{esc(r.href)}">{esc(r.title)}</a>{draft}</td>'
            f"<td><code>{esc(r.name)}</code></td>"
            f'<td class="num">{r.steps}</td><td class="num">{r.fail_points}</td>'
            f'<td class="num">{r.total_risk}</td>'
            f'<td class="num">{covered}/{total}{percent}</td>'
            f'<td class="num">{r.waits_over}</td>{counts}</tr>\n'
        )
    head = ["Blueprint", "File", "Steps", "Fail points", "Total risk", "Evidence"]
    head += ["Waits over", "Errors", "Warnings", "Info"]
    plural = "s" if len(rows) != 1 else ""
    body = (
        f"<header>\n<h1>Service blueprints</h1>\n<p>{len(rows)} blueprint{plural}: steps, "
        "total risk (the sum of the fail points' risk), customer steps with evidence, waits "
        "over their standard, and lint findings per severity.</p>\n</header>\n"
        + _section("blueprints", "Blueprints", _table(head, out, "index"))
    )
    return document("Service blueprints", body, paper)
