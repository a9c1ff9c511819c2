"""`blueprint audit template`: the checklist an auditor takes on site, from a blueprint.

Every step in journey order (the phases' stages pre-visit -> visit -> post-visit, then
the order written): the evidence to look for, each action with its standard time, its
wait and the longest it is held to (the segment's standard with ``--segment``, else the
strictest, naming whose it is: ``analysis.judge_wait``), the script to listen for, its
owner and channel, and every fail point to watch with the recovery staff should perform.

Four forms of one ``Checklist``: Markdown (checkboxes, printed), one self-contained HTML
page (``templates/audit_template.*``, every value escaped, no request of any kind), CSV
(one row per check, never a formula), and YAML: an observation skeleton whose answers
are all ``n/a``, which ``blueprint audit check`` accepts as written, the standard beside
each entry as a comment. The same blueprint gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from string import Template
from typing import get_args

from blueprint_cli.analysis import channel_title, judge_wait, stage_of, step_stage
from blueprint_cli.analysis.observed import find_evidence
from blueprint_cli.model import Blueprint, Segment, Stage, Step, format_duration, slugify
from blueprint_cli.model.observation import Method
from blueprint_cli.model.schema import OBSERVATION_SCHEMA_ID
from blueprint_cli.text import one_line, visible
from blueprint_cli.views.cells import markdown_text as _md
from blueprint_cli.views.cells import spreadsheet_cell as _cell

FORMATS = ("markdown", "html", "csv", "yaml")
#: the format an output file's suffix names, when --format is not given
SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
}
STAGES: tuple[Stage, ...] = ("pre-visit", "visit", "post-visit")
STAGE_TITLES = {
    "pre-visit": "Before the visit",
    "visit": "The visit",
    "post-visit": "After the visit",
}
METHODS: tuple[str, ...] = get_args(Method)
#: The CSV's columns, in this order (``result`` and ``note`` are left for the auditor).
COLUMNS = ("step", "phase", "kind", "id", "what", "standard", "owner", "channel", "result", "note")

RULES = (
    "yes: as the blueprint says; no: not as it says; partial: an action or a script "
    "half done (those two only).",
    "N/A: a check you could not observe. It is left out of every score: never guess.",
    "Every no and every partial needs a note: what you saw instead.",
    "Times as timed, with their unit: 4m, 90s. A wait is from joining the queue to being served.",
    "Fail points: did it occur, did staff notice it before you said so (detected), did "
    "the recovery put it right (recovered)?",
    "A step you did not go through: not observed, the whole step left out.",
    "What went wrong that this list does not foresee: unplanned, with its step and a "
    "severity from 1 to 10.",
)


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    key: str  # the name an observation gives it: its slug, else its id
    text: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ActionCheck:
    id: str
    text: str
    lane: str
    owner: str | None
    channel: str | None
    duration: float | None
    wait_text: str | None  # None: the action has no wait
    wait_expected: float | None
    wait_max: float | None
    wait_whose: str  # "Business traveller", "its own", "the blueprint's standard", ""
    has_wait: bool
    script: str | None

    @property
    def wait_standard(self) -> str:
        """``max 3m (Business traveller)``, ``max 40m``, or ``no max``."""
        if self.wait_max is None:
            return "no max"
        whose = f" ({self.wait_whose})" if self.wait_whose else ""
        return f"max {format_duration(self.wait_max)}{whose}"

    @property
    def wait_what(self) -> str:
        what = self.wait_text or "Wait"
        if self.wait_expected is not None:
            what += f", expected {format_duration(self.wait_expected)}"
        return what


@dataclass(frozen=True, slots=True)
class FailCheck:
    id: str
    text: str
    action: str  # the action's id
    severity: int | None
    risk: int | None
    recovery: str | None

    @property
    def scores(self) -> str:
        parts = []
        if self.severity is not None:
            parts.append(f"severity {self.severity}")
        if self.risk is not None:
            parts.append(f"risk {self.risk}")
        return ", ".join(parts) or "unscored"


@dataclass(frozen=True, slots=True)
class StepCheck:
    number: int  # 1, 2 ... in the checklist's order
    id: str
    title: str
    phase: str  # the phase's title, or the stage's words
    stage: Stage
    channel: str | None
    evidence: list[EvidenceCheck]
    actions: list[ActionCheck]
    fail_points: list[FailCheck]


@dataclass(slots=True)
class Checklist:
    title: str
    file: str  # the blueprint as named
    sha256: str
    segment: Segment | None
    segments: list[Segment]
    channels: list[tuple[str, str]]  # (id, title)
    date: datetime.date | None
    steps: list[StepCheck] = field(default_factory=list)
    left_out: int = 0  # steps not for the segment


def journey_order(bp: Blueprint) -> list[tuple[Stage, Step]]:
    """The steps in journey order: their phases' stages pre-visit, visit, post-visit,
    then the order they are written in."""
    phases = {p.id: p for p in bp.phases}
    staged = []
    for i, step in enumerate(bp.steps):
        phase = phases.get(step.phase or "")
        stage = stage_of(phase) if phase is not None else step_stage(step)
        staged.append((STAGES.index(stage), i, stage, step))
    return [(stage, step) for _, _, stage, step in sorted(staged, key=lambda t: t[:2])]


def evidence_key(step: Step, text: str, ident: str) -> str:
    """What an observation calls a piece of evidence: its text's slug when that names it
    alone in its step (``front-desk-and-lobby``), else its id."""
    slug = slugify(text, ident)
    found = find_evidence(step, slug)
    return slug if found is not None and found.id == ident else ident


def build(
    bp: Blueprint,
    file: str,
    sha256: str,
    segment: str | None = None,
    date: datetime.date | None = None,
) -> Checklist:
    """The checklist of a blueprint, for one segment (its steps, its standards) or all."""
    chosen = next((s for s in bp.segments if s.id == segment), None)
    actors = {a.id: a.title for a in bp.actors}
    phases = {p.id: p.title for p in bp.phases}
    out = Checklist(
        title=bp.title or file,
        file=file,
        sha256=sha256,
        segment=chosen,
        segments=list(bp.segments),
        channels=[(c.id, c.title) for c in bp.channels],
        date=date,
    )
    wanted = [segment] if segment is not None else None
    for stage, step in journey_order(bp):
        if segment is not None and step.segments and segment not in step.segments:
            out.left_out += 1
            continue
        actions: list[ActionCheck] = []
        fails: list[FailCheck] = []
        for action in step.actions():
            wait = action.wait
            judged = judge_wait(bp, step, wait, wanted) if wait is not None else None
            whose = ""
            if wait is not None and judged is not None and judged.standard is not None:
                if judged.segment is not None:
                    whose = judged.segment.title
                elif wait.max is None:
                    whose = "the blueprint's standard"
            actions.append(
                ActionCheck(
                    id=action.id,
                    text=action.text,
                    lane=action.lane,
                    owner=actors.get(action.actor or "", action.actor),
                    channel=channel_title(bp, step, action),
                    duration=action.duration,
                    wait_text=wait.text if wait is not None else None,
                    wait_expected=wait.expected if wait is not None else None,
                    wait_max=judged.standard if judged is not None else None,
                    wait_whose=whose,
                    has_wait=wait is not None,
                    script=action.script,
                )
            )
            for fp in action.fail_points:
                fails.append(
                    FailCheck(fp.id, fp.text, action.id, fp.severity, fp.risk, fp.recovery)
                )
        channel = next((c.title for c in bp.channels if c.id == step.channel), step.channel)
        out.steps.append(
            StepCheck(
                number=len(out.steps) + 1,
                id=step.id,
                title=step.title,
                phase=phases.get(step.phase or "", STAGE_TITLES[stage]),
                stage=stage,
                channel=channel,
                evidence=[
                    EvidenceCheck(evidence_key(step, e.text, e.id), e.text, e.note)
                    for e in step.evidence
                ],
                actions=actions,
                fail_points=fails,
            )
        )
    return out


def _who(a: ActionCheck, s: StepCheck) -> str:
    """``Front desk clerk (frontstage)``; the channel too when it is not the step's."""
    where = [a.lane] + ([f"channel: {a.channel}"] if a.channel and a.channel != s.channel else [])
    return f"{a.owner} ({', '.join(where)})" if a.owner else ", ".join(where)


def _segment_words(c: Checklist) -> str:
    if c.segment is not None:
        return f"{c.segment.title} ({c.segment.id})"
    return ", ".join(s.id for s in c.segments)


def _checks(a: ActionCheck) -> str:
    """What is checked of an action, in a few words, for a comment or a cell."""
    parts = []
    if a.duration is not None:
        parts.append(format_duration(a.duration))
    if a.has_wait:
        parts.append(f"wait {a.wait_standard}")
    if a.script is not None:
        parts.append(f"script: {json.dumps(one_line(a.script), ensure_ascii=False)}")
    return "; ".join(parts)


def _groups(c: Checklist) -> list[tuple[str, Stage, list[StepCheck]]]:
    """The steps in runs of one phase: (the phase's title, its stage, its steps)."""
    out: list[tuple[str, Stage, list[StepCheck]]] = []
    for s in c.steps:
        if out and out[-1][0] == s.phase and out[-1][1] == s.stage:
            out[-1][2].append(s)
        else:
            out.append((s.phase, s.stage, [s]))
    return out


# ---------------------------------------------------------------------------- markdown


def _code(value: str) -> str:
    """An id in code spans: ids hold no backtick, but a long enough fence is sure."""
    text = one_line(value)
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}"


def to_markdown(c: Checklist) -> str:
    blank = "_" * 12
    segment = _md(_segment_words(c))
    segment = segment if c.segment else f"{blank} {segment}"
    lines = [
        f"# Audit checklist: {_md(c.title)}",
        "",
        "| | |",
        "|---|---|",
        f"| Blueprint | {_md(c.file)} |",
        f"| SHA-256 | {_code(c.sha256)} |",
        f"| Visit | {blank} |",
        f"| Date | {c.date.isoformat() if c.date else blank} |",
        f"| Auditor | {blank} |",
        f"| Method | {' / '.join(METHODS)} |",
        f"| Segment | {segment} |",
        f"| Channel | {blank} {_md(', '.join(i for i, _ in c.channels))} |",
        "",
        "## How to fill it in",
        "",
        *(f"- {_md(rule)}" for rule in RULES),
        "",
    ]
    if c.segment is not None and c.left_out:
        lines += [
            f"Steps for other segments only are left out ({c.left_out}); waits are held to "
            f"the standards of {_md(c.segment.title)}.",
            "",
        ]
    for phase, stage, steps in _groups(c):
        lines += [f"## {_md(phase)} ({stage})", ""]
        for s in steps:
            lines += _md_step(s)
    lines += [
        "## Unplanned",
        "",
        "What went wrong that this list does not foresee: the step, what happened, its "
        "severity (1-10), what staff did.",
        "",
        "- [ ] ",
        "- [ ] ",
        "",
    ]
    return "\n".join(lines)


def _md_step(s: StepCheck) -> list[str]:
    where = f" · channel: {_md(s.channel)}" if s.channel else ""
    lines = [
        f"### {s.number}. {_md(s.title)} ({_code(s.id)})",
        "",
        f"- [ ] not observed{where}",
        "",
    ]
    if s.evidence:
        lines += ["**Evidence: look for**", ""]
        for e in s.evidence:
            note = f" — {_md(e.note)}" if e.note else ""
            lines.append(f"- [ ] {_code(e.key)} {_md(e.text)}{note}")
        lines.append("")
    if s.actions:
        lines += ["**Actions: time them, listen for the script**", ""]
        for a in s.actions:
            lines.append(f"- [ ] {_code(a.id)} {_md(a.text)} — {_md(_who(a, s))}")
            if a.duration is not None:
                lines.append(f"  - standard time {format_duration(a.duration)}; timed: ______")
            if a.has_wait:
                lines.append(f"  - wait: {_md(a.wait_what)}; {_md(a.wait_standard)}; timed: ______")
            if a.script is not None:
                lines.append(f"  - script: “{_md(a.script)}” — yes / partial / no")
        lines.append("")
    if s.fail_points:
        lines += ["**Fail points: watch for**", ""]
        for f in s.fail_points:
            lines.append(f"- [ ] {_code(f.id)} {_md(f.text)} ({f.scores}; at {_code(f.action)})")
            if f.recovery:
                lines.append(f"  - recovery staff should perform: {_md(f.recovery)}")
            lines.append("  - occurred / detected / recovered: ______")
        lines.append("")
    lines += ["Notes: ______", ""]
    return lines


# ---------------------------------------------------------------------------- html


def esc(text: object) -> str:
    """User text as HTML text or an attribute's value."""
    return html.escape(visible("" if text is None else str(text)), quote=True)


@cache
def _template(name: str) -> str:
    return (files("blueprint_cli") / "templates" / name).read_text(encoding="utf-8")


_BOX = '<span class="box" aria-hidden="true"></span>'


def to_html(c: Checklist) -> str:
    fill = '<span class="fill"></span>'
    segment = esc(_segment_words(c)) if c.segment else f"{fill} {esc(_segment_words(c))}"
    head = [
        ("Blueprint", esc(c.file)),
        ("SHA-256", f'<code class="hash">{esc(c.sha256)}</code>'),
        ("Visit", fill),
        ("Date", esc(c.date.isoformat()) if c.date else fill),
        ("Auditor", fill),
        ("Method", esc(" / ".join(METHODS))),
        ("Segment", segment),
        ("Channel", f"{fill} {esc(', '.join(i for i, _ in c.channels))}"),
    ]
    body = [f"<h1>Audit checklist: {esc(c.title)}</h1>", '<table class="header">']
    body += [f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in head]
    body += ["</table>", "<h2>How to fill it in</h2>", "<ul>"]
    body += [f"<li>{esc(rule)}</li>" for rule in RULES]
    body.append("</ul>")
    if c.segment is not None and c.left_out:
        body.append(
            f"<p>Steps for other segments only are left out ({c.left_out}); waits are held "
            f"to the standards of {esc(c.segment.title)}.</p>"
        )
    for phase, stage, steps in _groups(c):
        body.append(f"<h2>{esc(phase)} <small>({esc(stage)})</small></h2>")
        for s in steps:
            body += _html_step(s)
    body += [
        '<section class="step"><h3>Unplanned</h3>',
        "<p>What went wrong that this list does not foresee: the step, what happened, its "
        "severity (1-10), what staff did.</p>",
        '<div class="notes"></div></section>',
    ]
    return Template(_template("audit_template.html")).substitute(
        title=esc(f"Audit checklist: {c.title}"),
        css=_template("audit_template.css"),
        body="\n".join(body),
    )


def _html_step(s: StepCheck) -> list[str]:
    where = f" · channel: {esc(s.channel)}" if s.channel else ""
    out = [
        f'<section class="step" id="step-{esc(s.id)}">',
        f"<h3>{s.number}. {esc(s.title)} <code>{esc(s.id)}</code></h3>",
        f'<p class="meta">{_BOX} not observed{where}</p>',
        '<table><colgroup><col class="c-box"><col class="c-kind"><col class="c-id">'
        '<col class="c-what"><col class="c-std"><col class="c-owner"><col class="c-answer">'
        "</colgroup><thead><tr><th></th><th>Check</th><th>Id</th><th>What</th>"
        "<th>Standard</th><th>Owner</th><th>Result / note</th></tr></thead><tbody>",
    ]

    def row(kind: str, ident: str, what: str, standard: str = "", owner: str = "") -> None:
        out.append(
            f"<tr><td>{_BOX}</td><td>{esc(kind)}</td><td><code>{esc(ident)}</code></td>"
            f"<td>{what}</td><td>{standard}</td><td>{owner}</td>"
            '<td class="answer"></td></tr>'
        )

    for e in s.evidence:
        note = f'<div class="note">{esc(e.note)}</div>' if e.note else ""
        row("evidence", e.key, esc(e.text) + note)
    for a in s.actions:
        other = f" (channel: {a.channel})" if a.channel and a.channel != s.channel else ""
        row(f"action ({a.lane})", a.id, esc(a.text), "", esc((a.owner or "") + other))
        if a.duration is not None:
            row("time", a.id, "standard time, as timed", esc(format_duration(a.duration)))
        if a.has_wait:
            row("wait", a.id, esc(a.wait_what), esc(a.wait_standard))
        if a.script is not None:
            row("script", a.id, f'<q class="script">{esc(a.script)}</q>', "verbatim")
    for f in s.fail_points:
        recovery = f'<div class="note">recovery: {esc(f.recovery)}</div>' if f.recovery else ""
        row(
            "fail point",
            f.id,
            esc(f.text) + recovery,
            esc(f.scores),
            f"at <code>{esc(f.action)}</code>",
        )
    out += ["</tbody></table>", '<div class="notes">Notes</div>', "</section>"]
    return out


# ---------------------------------------------------------------------------- csv


def rows(c: Checklist) -> list[tuple[str, ...]]:
    """One row per check, in the CSV's columns (``result`` and ``note`` left blank)."""
    out: list[tuple[str, ...]] = []
    for s in c.steps:
        checks: list[tuple[str, str, str, str, str | None, str | None]] = []
        checks += [("evidence", e.key, e.text, "", None, s.channel) for e in s.evidence]
        for a in s.actions:
            owner, channel = a.owner, a.channel
            checks.append(("action", a.id, a.text, "", owner, channel))
            if a.duration is not None:
                checks.append(
                    ("duration", a.id, a.text, format_duration(a.duration), owner, channel)
                )
            if a.has_wait:
                checks.append(("wait", a.id, a.wait_what, a.wait_standard, owner, channel))
            if a.script is not None:
                checks.append(("script", a.id, a.text, a.script, owner, channel))
        for f in s.fail_points:
            standard = f.scores + (f"; recovery: {f.recovery}" if f.recovery else "")
            checks.append(("fail-point", f.id, f.text, standard, None, s.channel))
        for kind, ident, what, standard, owner, channel in checks:
            out.append(
                (s.id, s.phase, kind, ident, what, standard, owner or "", channel or "", "", "")
            )
    return out


def to_csv(c: Checklist) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows(c):
        writer.writerow([_cell(v) for v in r])
    return out.getvalue()


# ---------------------------------------------------------------------------- yaml

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_./-]+")
_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _key(value: str) -> str:
    """An id as a YAML key: plain when it reads back as the same text, else quoted."""
    if _PLAIN.fullmatch(value) and value.lower() not in _WORDS:
        return value
    return json.dumps(value, ensure_ascii=True)


def _comment(text: str) -> str:
    return "  # " + one_line(text) if text else ""


def to_yaml(c: Checklist, blueprint: str) -> str:
    """The observation skeleton of a visit: every check ``n/a``, to change on site.
    ``blueprint`` is the blueprint's path from where the file is written."""
    path = blueprint if _PLAIN_PATH.fullmatch(blueprint) else json.dumps(blueprint)
    date = c.date.isoformat() if c.date else datetime.date.today().isoformat()
    segment = c.segment.id if c.segment else None
    segments = " | ".join(s.id for s in c.segments)
    channels = " | ".join(i for i, _ in c.channels)
    lines = [
        f"# yaml-language-server: $schema={OBSERVATION_SCHEMA_ID}",
        f"# Audit visit of {one_line(c.title)}: the checklist of `blueprint audit template`.",
        "# Change each n/a to what you saw (n/a stays for what you could not observe):",
        *(f"# - {one_line(rule)}" for rule in RULES),
        "# Then: blueprint audit check THIS-FILE",
        "observation: 1",
        f"blueprint: {path}",
        f"blueprint_sha256: {c.sha256}",
        "visit:",
        "  id: v01  # unique among the visits of the audit",
        f"  date: {date}",
        "  auditor:  # who observed",
        f"  method:  # {' | '.join(METHODS)}",
        f"  segment: {_key(segment)}" if segment else f"  segment:  # {one_line(segments)}",
        f"  channel:  # {one_line(channels)}",
        "steps:",
    ]
    for phase, stage, steps in _groups(c):
        lines.append(f"  # {one_line(phase)} ({stage})")
        for s in steps:
            lines += _yaml_step(s)
    lines += [
        "unplanned: []  # - {step: check-out, text: What went wrong, severity: 6, note: ...}",
        "",
    ]
    return "\n".join(lines)


def _yaml_step(s: StepCheck) -> list[str]:
    where = f" (channel: {s.channel})" if s.channel else ""
    lines = [f"  {_key(s.id)}:{_comment(s.title + where + '; not visited? write: not-observed')}"]
    if s.evidence:
        lines.append("    evidence:")
        for e in s.evidence:
            lines.append(f"      {_key(e.key)}: n/a{_comment(e.text)}")
    if s.actions:
        lines.append("    actions:")
        for a in s.actions:
            keys = ["done: n/a"]
            if a.duration is not None:
                keys.append("duration: n/a")
            if a.has_wait:
                keys.append("wait: n/a")
            if a.script is not None:
                keys.append("script: n/a")
            said = _checks(a)
            who = ", ".join(x for x in (a.owner, a.lane) if x)
            lines.append(
                f"      {_key(a.id)}: {{{', '.join(keys)}}}"
                f"{_comment('; '.join(x for x in (said, who) if x))}"
            )
    if s.fail_points:
        lines.append("    fail_points:")
        for f in s.fail_points:
            recovery = f"; recovery: {f.recovery}" if f.recovery else ""
            lines.append(
                f"      {_key(f.id)}: {{occurred: n/a, detected: n/a, recovered: n/a}}"
                f"{_comment(f'{f.text} ({f.scores}){recovery}')}"
            )
    return lines


def text_of(c: Checklist, fmt: str, blueprint: str) -> str:
    """The checklist in ``fmt`` (FORMATS); ``blueprint`` is the skeleton's path to it."""
    if fmt == "yaml":
        return to_yaml(c, blueprint)
    if fmt == "html":
        return to_html(c)
    if fmt == "csv":
        return to_csv(c)
    return to_markdown(c)
