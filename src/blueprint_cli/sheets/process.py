"""The process list: one row per item of a step (an action, a piece of evidence), with
columns step, phase, lane, text, owner, duration, evidence, fail point and more.

Rows of one step follow each other (a step cell left empty continues the step above);
the step's own fields (phase, segments, channel, emotion, metrics, note) may be on any
of its rows. A row whose lane and text are empty and which has a fail point adds one
more fail point to the action above. In a workbook, sheets named Blueprint, Segments,
Phases, Actors, Channels, Regulations, Metrics and Flows carry the rest of a blueprint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from blueprint_cli.model import ACTION_LANES, LANES, format_duration
from blueprint_cli.sheets import SheetProblem
from blueprint_cli.sheets.build import Builder
from blueprint_cli.sheets.headers import close_to, lane_labels, lane_of, normal
from blueprint_cli.sheets.read import Table
from blueprint_cli.sheets.values import CellError, duration, figure, id_list, integer, is_duration
from blueprint_cli.text import quote

if TYPE_CHECKING:
    from blueprint_cli.model import Action, Blueprint

#: The columns, in the order export writes them, and the other headers each is known by.
COLUMNS: dict[str, tuple[str, ...]] = {
    "step id": (),
    "step": ("stage", "steps", "step title", "journey step", "journey stage"),
    "phase": ("phases", "journey phase"),
    "lane": ("swimlane", "swim lane", "layer", "row", "lane name"),
    "id": ("action id", "item id"),
    "text": ("action", "actions", "activity", "task", "item", "description", "what"),
    "owner": ("role", "who", "actor", "responsible", "owner role", "performed by"),
    "duration": ("time", "time to complete", "standard time", "execution time"),
    "evidence": ("physical evidence", "touchpoint", "touchpoints", "props"),
    "fail point id": (),
    "fail point": ("failure", "risk", "fail points", "failure point", "failure mode"),
    "severity": ("sev", "s"),
    "occurrence": ("occ", "o"),
    "detection": ("det", "d"),
    "prevention": ("prevent", "mitigation", "poka yoke"),
    "recovery": ("contingency", "recover", "service recovery"),
    "channel": ("action channel", "medium"),
    "regulations": ("regulation", "rules", "rules and regulations", "compliance"),
    "wait": ("expected wait", "wait time", "waiting time", "wait expected"),
    "max wait": ("maximum wait", "max wait time", "tolerated wait", "wait max", "wait standard"),
    "wait text": ("waiting for", "wait note", "wait description"),
    "script": ("scripts", "what staff say", "wording"),
    "note": ("notes", "comment", "comments", "remark", "remarks"),
    "segments": ("segment", "customer segment", "customer segments"),
    "step channel": (),
    "emotion": ("customer emotion", "feeling", "customer feeling"),
    "staff emotion": ("staff feeling", "employee emotion"),
    "metrics": ("step metrics", "kpi", "kpis"),
    "step note": ("step notes",),
}
HEADERS = {normal(n): n for n in COLUMNS} | {
    normal(s): n for n, syn in COLUMNS.items() for s in syn
}
_ACTION_ONLY: tuple[str, ...] = ("owner", "channel", "regulations", "duration", "wait")
_ACTION_ONLY += ("max wait", "wait text", "script", "evidence")
_FAIL: tuple[str, ...] = ("fail point id", "fail point", "severity", "occurrence")
_FAIL += ("detection", "prevention", "recovery")

#: The sheets beside the process list in a workbook: name -> (list, columns).
EXTRA_SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Segments": ("segments", ("id", "title", "description", "max wait")),
    "Phases": ("phases", ("id", "title", "stage", "description")),
    "Actors": ("actors", ("id", "title", "kind", "description")),
    "Channels": ("channels", ("id", "title", "description")),
    "Regulations": ("regulations", ("id", "title", "source", "description")),
    "Metrics": (
        "metrics",
        ("step", "id", "title", "description", "unit", "baseline", "target", "direction"),
    ),
    "Flows": ("flows", ("from", "to", "label")),
}
BLUEPRINT_SHEET = "Blueprint"
#: A step's keys in the format's order.
STEP_ORDER = ("id", "title", "phase", "segments", "channel", "emotion", "metrics", *LANES, "note")
#: The fields of the Blueprint sheet (field, value).
BLUEPRINT_FIELDS = ("title", "description", "max wait", *(f"{lane} lane" for lane in LANES))


def looks_like(headers: list[str]) -> bool:
    """Whether a header row is a process list's: two known columns at least, one of
    them the text or the lane (a grid's row of steps may have a step called Wait)."""
    found = {HEADERS.get(normal(h)) for h in headers if h.strip()} - {None}
    return len(found) >= 2 and bool(found & {"text", "lane"})


@dataclass(slots=True)
class _Row:
    index: int
    cells: dict[str, tuple[str, int]]  # column -> (text, column index)

    def get(self, name: str) -> str:
        return self.cells.get(name, ("", 0))[0].strip()

    def raw(self, name: str) -> str:
        return self.cells.get(name, ("", 0))[0]


class ListReader:
    """One process-list sheet (and the sheets beside it) -> a Builder's data."""

    def __init__(self, table: Table, extras: dict[str, Table] | None = None) -> None:
        self.table = table
        self.extras = extras or {}
        self.problems: list[SheetProblem] = []
        self.warnings: list[str] = []
        self.out = Builder()
        self.columns: dict[str, int] = {}
        #: a step's own metrics, from the Metrics sheet: (cell, the step's id or title, metric)
        self._step_metrics: list[tuple[str, str, dict[str, Any]]] = []

    def error(self, row: int, col: int, message: str) -> None:
        self.problems.append(SheetProblem(self.table.at(row, col), message, (row, col)))

    def read(self) -> Builder:
        self._extras()
        rows = self._rows()
        if rows is None:
            return self.out
        steps: dict[str, dict[str, Any]] = {}
        set_by: dict[tuple[int, str], str] = {}
        step: dict[str, Any] | None = None
        lane: str | None = None
        action: dict[str, Any] | None = None
        for row in rows:
            ident, title = row.get("step id"), row.get("step")
            if (
                step is None
                or (ident and ident != step["_id"])
                or (not ident and title and title != step["_title"])
            ):
                key = f"id:{ident}" if ident else f"title:{title}" if title else ""
                if key:
                    before = step
                    step = steps.get(key)
                    if step is None:
                        step = {"_id": ident, "_title": title}
                        steps[key] = step
                        self.out.steps.append(step)
                    elif before is not None:  # named again after another step
                        where = self.table.at(row.index, self._col(row, "step"))
                        self.warnings.append(
                            f"{where}: step {quote(ident or title or '')} again after "
                            f"{quote(before['_id'] or before['_title'] or '')}: its rows are "
                            "added to the first, which keeps its place in the journey"
                        )
                    lane, action = None, None
            if step is None:
                self.error(row.index, self._col(row, "step"), "an item before the first step")
                continue
            self._step_fields(row, step, set_by)
            lane, action = self._item(row, step, lane, action)
        for step in self.out.steps:
            step.pop("_id")
            step.pop("_title")
            if "title" not in step:
                step["title"] = step.get("id", "")
            ordered = {k: step[k] for k in STEP_ORDER if k in step}
            step.clear()
            step.update(ordered)
        self._own_metrics()
        return self.out

    # -- the header row and the rows under it

    def _rows(self) -> list[_Row] | None:
        t = self.table
        filled = [i for i, r in enumerate(t.rows) if any(c.strip() for c in r)]
        if not filled:
            self.problems.append(SheetProblem(t.at(0, 0), "the sheet is empty"))
            return None
        head = filled[0]
        alone = [c for c in t.rows[head] if c.strip()]
        if len(alone) == 1 and len(filled) > 1 and not looks_like(alone):
            self.out.meta.setdefault("title", alone[0].strip())  # a title over the table
            head = filled[1]
        columns: dict[int, str] = {}
        for c, label in enumerate(t.rows[head]):
            if not label.strip():
                continue
            name = HEADERS.get(normal(label))
            if name is None:
                close = close_to(label, HEADERS)
                if close is not None:
                    self.error(head, c, f"unknown column {quote(label)}; did you mean {close!r}?")
                else:
                    self.warnings.append(f"{t.at(head, c)}: column {quote(label)} ignored")
                continue
            if name in columns.values():
                self.error(head, c, f"a second {name!r} column ({quote(label)})")
                continue
            columns[c] = name
        if "text" not in columns.values() or not {"step", "step id"} & set(columns.values()):
            missing = "text" if "text" not in columns.values() else "step"
            self.error(head, 0, f"no {missing!r} column in the header row")
            return None
        out = []
        for r in range(head + 1, len(t.rows)):
            cells = {name: (t.cell(r, c), c) for c, name in columns.items() if t.cell(r, c).strip()}
            if cells:
                out.append(_Row(r, cells))
        self.columns.update({name: c for c, name in columns.items()})
        return out

    def _col(self, row: _Row, name: str) -> int:
        return self.columns.get(name, 0)

    def _cell(self, row: _Row, name: str, convert: Callable[[str], Any]) -> Any:
        text = row.get(name)
        if not text:
            return None
        try:
            return convert(text)
        except CellError as exc:
            self.error(row.index, self._col(row, name), str(exc))
            return None

    # -- a step's own fields

    def _step_fields(
        self, row: _Row, step: dict[str, Any], set_by: dict[tuple[int, str], str]
    ) -> None:
        values: dict[str, Any] = {}
        if row.get("step id"):
            values["id"] = row.get("step id")
        if row.get("step"):
            values["title"] = row.get("step")
        if row.get("phase"):
            values["phase"] = self.out.resolve("phases", row.get("phase"))
        if row.get("segments"):
            values["segments"] = [
                self.out.resolve("segments", s) for s in id_list(row.get("segments"))
            ]
        if row.get("step channel"):
            values["channel"] = self.out.resolve("channels", row.get("step channel"))
        feeling = {}
        for column, who in (("emotion", "customer"), ("staff emotion", "staff")):
            value = self._cell(row, column, lambda t: integer(t, -2, 2, "an emotion"))
            if value is not None:
                feeling[who] = value
        if feeling:
            values["emotion"] = feeling
        if row.get("metrics"):
            values["metrics"] = [
                self.out.resolve("metrics", m) for m in id_list(row.get("metrics"))
            ]
        if row.raw("step note").strip():
            values["note"] = row.raw("step note").strip()
        column_of = {"id": "step id", "title": "step", "channel": "step channel"}
        column_of |= {"note": "step note"}
        for key, value in values.items():
            column = column_of.get(key, key)
            if key in step and step[key] != value:
                if key == "emotion":
                    step[key] = {**step[key], **value}
                    continue
                self.error(
                    row.index,
                    self._col(row, column),
                    f"the step's {column} is {quote(_shown(step[key]))} "
                    f"at {set_by[(id(step), key)]}",
                )
                continue
            if key not in step:
                step[key] = value
                set_by[(id(step), key)] = self.table.at(row.index, self._col(row, column))

    # -- an item: evidence, an action, or one more fail point

    def _item(
        self,
        row: _Row,
        step: dict[str, Any],
        lane: str | None,
        action: dict[str, Any] | None,
    ) -> tuple[str | None, dict[str, Any] | None]:
        text = row.raw("text").strip()
        label = row.get("lane")
        if label:
            found = lane_of(label)
            if found is None:
                close = close_to(label, lane_labels())
                hint = f"; did you mean {close!r}?" if close else f" (lanes: {', '.join(LANES)})"
                self.error(row.index, self._col(row, "lane"), f"unknown lane {quote(label)}{hint}")
                return lane, None
            lane = found
        fail = self._fail_point(row)
        if not text:
            if fail is not None:
                if action is None or label:
                    self.error(
                        row.index,
                        self._col(row, "fail point"),
                        "a fail point without an action: write it on the action's row",
                    )
                else:
                    action.setdefault("fail_points", []).append(fail)
                return lane, action
            extra = [c for c in (*_ACTION_ONLY, "id", "note") if row.get(c) and c != "evidence"]
            if extra:
                self.error(row.index, self._col(row, extra[0]), f"a {extra[0]} without a text")
            self._evidence_column(row, step)
            return lane, action
        if lane is None:
            self.error(row.index, self._col(row, "lane"), "which lane? (the lane cell is empty)")
            return lane, None
        item: dict[str, Any] = {}
        if row.get("id"):
            item["id"] = row.get("id")
        item["text"] = text
        if lane == "evidence":
            used = [c for c in (*_ACTION_ONLY, *_FAIL) if row.get(c) and c != "evidence"]
            if used:
                self.error(row.index, self._col(row, used[0]), f"evidence has no {used[0]}")
            if row.raw("note").strip():
                item["note"] = row.raw("note").strip()
            step.setdefault("evidence", []).append(item)
            self._evidence_column(row, step)
            return lane, None
        if row.get("owner"):
            item["actor"] = self.out.resolve("actors", row.get("owner"))
        if row.get("channel"):
            item["channel"] = self.out.resolve("channels", row.get("channel"))
        if row.get("regulations"):
            item["regulations"] = [
                self.out.resolve("regulations", r) for r in id_list(row.get("regulations"))
            ]
        took = self._cell(row, "duration", duration)
        if took is not None:
            item["duration"] = took
        if row.raw("script").strip():
            item["script"] = row.raw("script").strip()
        wait = self._wait(row)
        if wait:
            item["wait"] = wait
        if fail is not None:
            item["fail_points"] = [fail]
        if row.raw("note").strip():
            item["note"] = row.raw("note").strip()
        step.setdefault(lane, []).append(item)
        self._evidence_column(row, step)
        return lane, item

    def _evidence_column(self, row: _Row, step: dict[str, Any]) -> None:
        from blueprint_cli.sheets.values import items

        for text in items(row.raw("evidence")):
            step.setdefault("evidence", []).append({"text": text})

    def _wait(self, row: _Row) -> dict[str, Any]:
        wait: dict[str, Any] = {}
        if row.raw("wait text").strip():
            wait["text"] = row.raw("wait text").strip()
        expected = row.get("wait")
        if expected:
            if is_duration(expected) or "text" in wait:
                value = self._cell(row, "wait", duration)
                if value is not None:
                    wait["expected"] = value
            else:
                wait["text"] = expected  # a description, as ``wait: Queue at the desk``
        most = self._cell(row, "max wait", duration)
        if most is not None:
            wait["max"] = most
        return {k: wait[k] for k in ("text", "expected", "max") if k in wait}

    def _fail_point(self, row: _Row) -> dict[str, Any] | None:
        if not any(row.get(c) for c in _FAIL):
            return None
        fp: dict[str, Any] = {}
        if row.get("fail point id"):
            fp["id"] = row.get("fail point id")
        text = row.raw("fail point").strip()
        if not text:
            used = next(c for c in _FAIL if row.get(c))
            self.error(row.index, self._col(row, used), f"a {used} without a fail point")
            return None
        fp["text"] = text
        for score in ("severity", "occurrence", "detection"):
            value = self._cell(row, score, functools.partial(_score, what=score))
            if value is not None:
                fp[score] = value
        for key in ("prevention", "recovery"):
            if row.raw(key).strip():
                fp[key] = row.raw(key).strip()
        return fp

    # -- the sheets beside the list

    def _extras(self) -> None:
        meta = self.extras.get(BLUEPRINT_SHEET)
        if meta is not None:
            self._blueprint_sheet(meta)
        for name, (key, columns) in EXTRA_SHEETS.items():
            table = self.extras.get(name)
            if table is not None:
                self._declared(table, key, columns)

    def _blueprint_sheet(self, table: Table) -> None:
        known = {normal(f): f for f in BLUEPRINT_FIELDS}
        for r, row in enumerate(table.rows):
            if not row or not row[0].strip() or (r == 0 and normal(row[0]) == "field"):
                continue
            field = known.get(normal(row[0]))
            value = table.cell(r, 1).strip()
            if field is None:
                close = close_to(row[0], known)
                hint = f"; did you mean {close!r}?" if close else ""
                self.problems.append(
                    SheetProblem(table.at(r, 0), f"unknown field {quote(row[0])}{hint}")
                )
                continue
            if not value:
                continue
            if field == "max wait":
                try:
                    self.out.standards["max_wait"] = duration(value)
                except CellError as exc:
                    self.problems.append(SheetProblem(table.at(r, 1), str(exc)))
            elif field.endswith(" lane"):
                self.out.lanes[field.removesuffix(" lane")] = value
            else:
                self.out.meta[field] = value
        if self.out.lanes:
            self.out.lanes = {k: self.out.lanes[k] for k in LANES if k in self.out.lanes}

    def _declared(self, table: Table, key: str, columns: tuple[str, ...]) -> None:
        if not table.rows:
            return
        known = {normal(c): c for c in columns}
        at: dict[str, int] = {}
        for c, label in enumerate(table.rows[0]):
            if not label.strip():
                continue
            name = known.get(normal(label))
            if name is None:
                close = close_to(label, known)
                hint = (
                    f"; did you mean {close!r}?" if close else f" (columns: {', '.join(columns)})"
                )
                self.problems.append(
                    SheetProblem(table.at(0, c), f"unknown column {quote(label)}{hint}")
                )
                continue
            at[name] = c
        for r in range(1, len(table.rows)):
            cells = {
                name: table.cell(r, c).strip() for name, c in at.items() if table.cell(r, c).strip()
            }
            if not cells:
                continue
            item = self._declared_item(table, r, at, key, cells)
            if item is None:
                continue
            if key == "flows":
                self.out.flows.append(item)
            elif key == "metrics" and "step" in cells:
                self._step_metrics.append((table.at(r, at["step"]), cells["step"], item))
            else:
                self.out.declare(key, item)

    def _declared_item(
        self, table: Table, r: int, at: dict[str, int], key: str, cells: dict[str, str]
    ) -> dict[str, Any] | None:
        item: dict[str, Any] = {}
        for name, value in cells.items():
            if name == "step":
                continue
            where = table.at(r, at[name])
            try:
                if name == "max wait":
                    item["standards"] = {"max_wait": duration(value)}
                elif name in ("baseline", "target"):
                    item[name] = figure(value, name)
                else:
                    item[name] = value
            except CellError as exc:
                self.problems.append(SheetProblem(where, str(exc)))
        if key == "flows" and not ("from" in item and "to" in item):
            self.problems.append(SheetProblem(table.at(r, 0), "a flow needs a from and a to"))
            return None
        order = [*EXTRA_SHEETS[_sheet_of(key)][1], "standards"]
        return {k.replace(" ", "_"): item[k] for k in order if k in item}

    def _own_metrics(self) -> None:
        for where, step_key, metric in self._step_metrics:
            step = next(
                (s for s in self.out.steps if step_key in (s.get("id"), s.get("title"))), None
            )
            if step is None:
                self.problems.append(SheetProblem(where, f"no step {quote(step_key)} in the list"))
                continue
            step.setdefault("metrics", []).append(metric)


def _score(text: str, what: str) -> int:
    return integer(text, 1, 10, what)


def _sheet_of(key: str) -> str:
    return next(name for name, (k, _) in EXTRA_SHEETS.items() if k == key)


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


# ---------------------------------------------------------------------------- export


def namer(items: list[Any]) -> Callable[[str], str]:
    """An id -> its title when the title names one item only and is no other's id."""
    titles: dict[str, int] = {}
    for item in items:
        titles[str(item.title)] = titles.get(str(item.title), 0) + 1
    ids = {item.id for item in items}

    def name(ident: str) -> str:
        for item in items:
            if item.id == ident:
                title = str(item.title)
                if (
                    titles[title] == 1
                    and (title not in ids or title == ident)
                    and title.strip() == title
                    and "," not in title
                    and ";" not in title
                ):
                    return title
        return ident

    return name


def tables(bp: Blueprint) -> list[tuple[str, list[list[Any]]]]:
    """The process list of a blueprint, then the sheets beside it: (name, rows)."""
    actor = namer(bp.actors)
    phase = namer(bp.phases)
    channel = namer(bp.channels)
    segment = namer(bp.segments)
    regulation = namer(bp.regulations)
    columns = [c for c in COLUMNS if c != "evidence"]  # evidence: rows of its own
    rows: list[list[Any]] = [columns]
    for step in bp.steps:
        first: dict[str, Any] = {
            "segments": ", ".join(segment(s) for s in step.segments),
            "step channel": channel(step.channel) if step.channel else "",
            "metrics": ", ".join(m.id for m in step.metrics if m.refers),
            "step note": step.note or "",
        }
        if step.emotion is not None:
            first["emotion"] = "" if step.emotion.customer is None else step.emotion.customer
            first["staff emotion"] = "" if step.emotion.staff is None else step.emotion.staff
        common = {
            "step id": step.id,
            "step": step.title,
            "phase": phase(step.phase) if step.phase else "",
        }
        items: list[dict[str, Any]] = []
        for ev in step.evidence:
            items.append({"lane": "evidence", "id": ev.id, "text": ev.text, "note": ev.note or ""})
        for lane in ACTION_LANES:
            for a in step.lane(lane):
                items.extend(_action_rows(a, lane, actor, channel, regulation))
        if not items:
            items.append({})
        for n, item in enumerate(items):
            values = {**common, **(first if n == 0 else {}), **item}
            rows.append([values.get(c, "") for c in columns])
    out = [("Process", rows)]
    meta: list[list[Any]] = [["field", "value"]]
    meta.append(["title", bp.title or ""])
    meta.append(["description", bp.description or ""])
    mw = bp.standards.max_wait
    meta.append(["max wait", format_duration(mw) if mw is not None else ""])
    for lane in LANES:
        meta.append([f"{lane} lane", getattr(bp.lanes, lane) or ""])
    out.append((BLUEPRINT_SHEET, meta))
    for name, (key, names) in EXTRA_SHEETS.items():
        sheet: list[list[Any]] = [list(names)]
        if key == "flows":
            for f in bp.flows:
                sheet.append([f.from_, f.to, f.label or ""])
        elif key == "metrics":
            for m in bp.metrics:
                sheet.append(["", *_metric_cells(m)])
            for step in bp.steps:
                for m in step.metrics:
                    if not m.refers:
                        sheet.append([step.id, *_metric_cells(m)])
        else:
            for item in getattr(bp, key):
                cells = []
                for c in names:
                    if c == "max wait":
                        std = item.standards.max_wait if item.standards is not None else None
                        cells.append(format_duration(std) if std is not None else "")
                    else:
                        value = getattr(item, c)
                        cells.append("" if value is None else value)
                sheet.append(cells)
        out.append((name, sheet))
    return out


def _metric_cells(m: Any) -> list[Any]:
    return [
        m.id,
        m.title or "",
        m.description or "",
        m.unit or "",
        _number(m.baseline),
        _number(m.target),
        m.direction or "",
    ]


def _number(value: float | None) -> Any:
    if value is None:
        return ""
    if float(f"{value:.15g}") != value:  # Excel keeps 15 digits: more are kept as text
        return repr(value)
    return int(value) if float(value).is_integer() else value


def _action_rows(
    a: Action,
    lane: str,
    actor: Callable[[str], str],
    channel: Callable[[str], str],
    regulation: Callable[[str], str],
) -> list[dict[str, Any]]:
    row: dict[str, Any] = {"lane": lane, "id": a.id, "text": a.text, "note": a.note or ""}
    if a.actor:
        row["owner"] = actor(a.actor)
    if a.channel:
        row["channel"] = channel(a.channel)
    row["regulations"] = ", ".join(regulation(r) for r in a.regulations)
    if a.duration is not None:
        row["duration"] = format_duration(a.duration)
    row["script"] = a.script or ""
    if a.wait is not None:
        w = a.wait
        row["wait"] = format_duration(w.expected) if w.expected is not None else ""
        row["max wait"] = format_duration(w.max) if w.max is not None else ""
        row["wait text"] = w.text or ""
    rows = [row]
    for n, fp in enumerate(a.fail_points):
        cells = {
            "fail point id": fp.id,
            "fail point": fp.text,
            "severity": "" if fp.severity is None else fp.severity,
            "occurrence": "" if fp.occurrence is None else fp.occurrence,
            "detection": "" if fp.detection is None else fp.detection,
            "prevention": fp.prevention or "",
            "recovery": fp.recovery or "",
        }
        if n == 0:
            row.update(cells)
        else:
            rows.append(cells)
    return rows
