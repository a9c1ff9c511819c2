"""The grid, as the Nielsen Norman Group's template draws it: steps as columns, lanes
as rows, one cell per step and lane, several actions in a cell one a line (or one a
bullet: ``•``, ``-``, ``*``, ``1.``).

Column A holds the row labels (a text alone in column A above them is the title):
``Phase`` (optional), ``Step`` (or ``Stage``; a row with no label above the first lane
is the steps' row too), then the lanes by any of their
usual names (``Physical evidence``, ``Touchpoint``, ``Customer actions``,
``Onstage``...). A label that is not one of those is the lane's own title when it
names the lane (``Onstage contact employee actions``), or what follows a usual name and
a colon (``Customer actions: Guest``). In the phase row, an empty cell
continues the phase to its left: a phase written once over its steps, or in a merged
range across them, spans them all. Anywhere else a merged range holds its value in its
first cell only (as the workbook stores it): an action merged across steps belongs to
the first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprint_cli.model import DEFAULT_LANE_TITLES, LANES
from blueprint_cli.sheets import SheetProblem
from blueprint_cli.sheets.build import Builder
from blueprint_cli.sheets.headers import close_to, is_synonym, lane_labels, lane_of, normal
from blueprint_cli.sheets.read import Table
from blueprint_cli.sheets.values import items, needs_bullets
from blueprint_cli.text import quote

if TYPE_CHECKING:
    from blueprint_cli.model import Blueprint

STEP_LABELS = ("step", "steps", "stage", "stages", "journey step", "journey stage")
PHASE_LABELS = ("phase", "phases", "journey phase")


def looks_like(table: Table) -> bool:
    """Whether column A names two lanes, or a lane and the steps' row."""
    labels = [row[0] for row in table.rows if row and row[0].strip()]
    lanes = {lane_of(label) for label in labels} - {None}
    steps = any(normal(label) in STEP_LABELS for label in labels)
    return len(lanes) >= 2 or (len(lanes) == 1 and steps)


class GridReader:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.problems: list[SheetProblem] = []
        self.warnings: list[str] = []
        self.out = Builder()

    def error(self, row: int, col: int, message: str) -> None:
        self.problems.append(SheetProblem(self.table.at(row, col), message, (row, col)))

    def read(self) -> Builder:
        t = self.table
        phase_row: int | None = None
        step_row: int | None = None
        lane_rows: dict[str, int] = {}
        known = {label: "step" for label in STEP_LABELS} | {p: "phase" for p in PHASE_LABELS}
        known |= lane_labels()
        for r, row in enumerate(t.rows):
            if not any(c.strip() for c in row):
                continue
            label = row[0] if row else ""
            key = normal(label)
            if key in PHASE_LABELS:
                phase_row = self._once(phase_row, r, "phase")
            elif key in STEP_LABELS or (not key and step_row is None and not lane_rows):
                step_row = self._once(step_row, r, "steps'")
            elif not key:
                self.error(r, 0, "a row without a label: which lane is it?")
            else:
                lane = lane_of(label)
                if lane is None and step_row is None and not lane_rows and _alone(row):
                    self.out.meta.setdefault("title", label.strip())  # the sheet's title
                    continue
                if lane is None:
                    close = close_to(label, known)
                    hint = (
                        f"; did you mean {close!r}?"
                        if close
                        else (
                            " (rows: Phase, Step, then the lanes: "
                            "Physical evidence, Customer actions, Frontstage, Backstage, "
                            "Support processes)"
                        )
                    )
                    self.error(r, 0, f"unknown row {quote(label)}{hint}")
                    continue
                if lane in lane_rows:
                    self.error(
                        r, 0, f"a second {lane} row (the first is {t.at(lane_rows[lane], 0)})"
                    )
                    continue
                lane_rows[lane] = r
                head, colon, own = label.partition(":")
                if colon and own.strip() and lane_of(head) == lane and is_synonym(head):
                    self.out.lanes[lane] = own.strip()  # "Customer actions: Guest"
                elif not is_synonym(label):
                    self.out.lanes[lane] = label.strip()
        if step_row is None:
            self.error(0, 0, "no row of steps: label it Step, in column A")
            return self.out
        if not lane_rows:
            self.error(step_row, 0, "no lanes under the steps")
            return self.out
        self.out.lanes = {k: self.out.lanes[k] for k in LANES if k in self.out.lanes}
        width = max(len(t.rows[r]) for r in (step_row, *lane_rows.values()))
        phase = ""
        for c in range(1, width):
            title = t.cell(step_row, c).strip()
            if phase_row is not None and t.cell(phase_row, c).strip():
                phase = t.cell(phase_row, c).strip()
            if not title:
                used = [lane for lane, r in lane_rows.items() if t.cell(r, c).strip()]
                if used:
                    self.error(step_row, c, f"a column of actions without a step title ({used[0]})")
                continue
            step: dict[str, Any] = {"title": title}
            if phase:
                step["phase"] = self.out.resolve("phases", phase)
            for lane in LANES:
                at = lane_rows.get(lane)
                if at is None:
                    continue
                texts = items(t.cell(at, c))
                if texts:
                    step[lane] = texts
            self.out.steps.append(step)
        if not self.out.steps:
            self.error(step_row, 1, "no steps: write their titles in this row")
        return self.out

    def _once(self, seen: int | None, r: int, what: str) -> int:
        if seen is not None:
            self.error(r, 0, f"a second {what} row (the first is {self.table.at(seen, 0)})")
            return seen
        return r


def _alone(row: list[str]) -> bool:
    return not any(c.strip() for c in row[1:])


def rows(bp: Blueprint) -> list[list[Any]]:
    """The grid of a blueprint: the phase row (each phase over its first step), the steps'
    row, then one row per lane; several items in a cell one a line, bulleted when an item
    has lines of its own."""
    phases = {p.id: p.title for p in bp.phases}
    out: list[list[Any]] = []
    if any(s.phase for s in bp.steps):
        row: list[Any] = ["Phase"]
        last = None
        for step in bp.steps:
            shown = phases.get(step.phase, step.phase) if step.phase else ""
            row.append(shown if shown != last else "")
            last = shown
        out.append(row)
    out.append(["Step", *(s.title for s in bp.steps)])
    for lane in LANES:
        title = bp.lanes.title(lane)
        if lane_of(title) != lane or (is_synonym(title) and title != DEFAULT_LANE_TITLES[lane]):
            title = f"{DEFAULT_LANE_TITLES[lane]}: {title}"  # read back as the lane's title
        row = [title]
        for step in bp.steps:
            texts = [
                str(x.text) for x in (step.evidence if lane == "evidence" else step.lane(lane))
            ]
            if needs_bullets(texts):
                row.append("\n".join("\u2022 " + t.replace("\n", "\n  ") for t in texts))
            else:
                row.append("\n".join(texts))
        out.append(row)
    return out


def phase_spans(bp: Blueprint) -> list[tuple[int, int]]:
    """The columns (from 1, inclusive) each phase spans in the grid's phase row."""
    spans: list[tuple[int, int]] = []
    last: object = object()
    for n, step in enumerate(bp.steps, start=1):
        if step.phase != last:
            spans.append((n, n))
            last = step.phase
        else:
            spans[-1] = (spans[-1][0], n)
    return spans
