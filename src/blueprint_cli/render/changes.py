"""What changed since an older version, drawn over the new one (``render NEW --diff OLD``).

The changes are the diff engine's (``analysis.diff``), never recomputed here: this
module only places and words them for the picture.

- Steps, actions, evidence and flows the old version lacks are green, with a "new" tag.
- Those that changed are amber, the change in their tooltip; an action moved to another
  lane or step is tagged "moved", one otherwise changed "changed". A fail point added
  or changed has its badge ringed green or amber, and its action says so.
- Actions and evidence removed are ghosts where they were in the old version: a dashed
  grey outline, faded text, a "removed" tag, in their lane of their old step when the
  new version still has that step. A step removed is a ghost column where it was (after
  the step it followed that the new version still has), with what it held that the new
  version has nowhere else, unnumbered: the new version's steps keep their numbers. A
  removed flow whose ends are both drawn is a dashed grey arrow; one whose end is not
  drawn, and a removed step outside the view, are listed under the legend.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.analysis.diff import ADDED, CHANGED, REMOVED, Change, Diff
from blueprint_cli.model import Action, Blueprint, Evidence, Flow, Step
from blueprint_cli.render.escape import dot_string, html, tooltip_string
from blueprint_cli.render.theme import Theme

# the marks of the overlay (kinds of the key, beside render/legend.py's)
CHG_ADDED = "change-added"
CHG_CHANGED = "change-changed"
CHG_MOVED = "change-moved"
CHG_GHOST = "change-removed"
CHG_GHOST_FLOW = "change-removed-flow"
KINDS = (CHG_ADDED, CHG_CHANGED, CHG_MOVED, CHG_GHOST, CHG_GHOST_FLOW)

#: the tag on a box of each mark
TAGS = {CHG_ADDED: "new", CHG_CHANGED: "changed", CHG_MOVED: "moved", CHG_GHOST: "removed"}
TAG_H = 11.0


def key_text(kind: str) -> str:
    return {
        CHG_ADDED: "new since the old version (green)",
        CHG_CHANGED: "changed since the old version (amber; the tooltip says how)",
        CHG_MOVED: "moved: an action to another lane or step, a step in the journey",
        CHG_GHOST: "removed: drawn faded where it was in the old version",
        CHG_GHOST_FLOW: "flow removed since the old version",
    }[kind]


@dataclass(frozen=True, slots=True)
class Ghost:
    """An action or a piece of evidence the new version no longer has, in its old step."""

    step: str
    lane: str  # evidence, or the action's lane
    node: Action | Evidence

    @property
    def key(self) -> str:
        return f"{'e' if self.lane == 'evidence' else 'a'}:{self.node.id}"


@dataclass(frozen=True, slots=True)
class GhostStep:
    """A step the new version no longer has, drawn where it was: after ``after`` (the
    step it followed in the old version that the new one still has; None: the first),
    before ``before`` when it has none to follow."""

    step: Step  # what it held that the new version has nowhere else
    after: str | None
    before: str | None


@dataclass(frozen=True, slots=True)
class Changes:
    """The changes from an old version to the one drawn, by node of the picture."""

    title: str  # "changes since restaurant-v1.yaml"
    #: node key ("a:seat", "e:menu", "step:arrive") -> its mark (CHG_ADDED, ...)
    marks: dict[str, str] = field(default_factory=dict)
    #: node key -> the change lines of the tooltip
    lines: dict[str, list[str]] = field(default_factory=dict)
    fail_points: dict[str, str] = field(default_factory=dict)  # id -> CHG_ADDED/CHANGED
    flows: dict[tuple[str, str], str] = field(default_factory=dict)  # (from, to) -> mark
    ghosts: tuple[Ghost, ...] = ()
    ghost_steps: tuple[GhostStep, ...] = ()
    ghost_flows: tuple[tuple[str, str], ...] = ()  # removed flows whose ends are drawn
    removed: list[str] = field(default_factory=list)  # listed under the legend

    def mark(self, key: str) -> str | None:
        return self.marks.get(key)

    def tip(self, key: str) -> list[str]:
        return self.lines.get(key, [])

    def with_ghosts(self, view: Blueprint) -> Blueprint:
        """``view`` with the ghosts in their old steps (those in view), at the end of their
        lanes: what the layout places."""
        by_step: dict[str, list[Ghost]] = {}
        for g in self.ghosts:
            by_step.setdefault(g.step, []).append(g)
        ids = {s.id for s in view.steps}
        columns = [g for g in self.ghost_steps if _anchored(g, ids)]
        if not any(s.id in by_step for s in view.steps) and not columns:
            return view
        steps: list[Step] = []
        for step in view.steps:
            steps.extend(g.step for g in columns if g.after is None and g.before == step.id)
            here = by_step.get(step.id)
            if not here:
                steps.append(step)
            else:
                update: dict[str, object] = {}
                for lane in ("evidence", "customer", "frontstage", "backstage", "support"):
                    extra = [g.node for g in here if g.lane == lane]
                    if extra:
                        update[lane] = [*getattr(step, lane), *extra]
                steps.append(step.model_copy(update=update))
            steps.extend(g.step for g in columns if g.after == step.id)
        return view.model_copy(update={"steps": steps})

    def numbers(self, view: Blueprint, numbers: dict[str, int] | None) -> dict[str, int] | None:
        """The step numbers to draw with the ghosts: the new version's, a ghost none (0)."""
        if not self.ghost_steps:
            return numbers
        kept = numbers or {s.id: i for i, s in enumerate(view.steps, 1)}
        return {**kept, **{g.step.id: 0 for g in self.ghost_steps}}

    def ghost_flow_objects(self) -> list[Flow]:
        return [Flow.model_validate({"from": a, "to": b}) for a, b in self.ghost_flows]

    @property
    def notes(self) -> list[str]:
        return self.removed

    def present(self, keys: set[str]) -> set[str]:
        """The marks used on the nodes ``keys`` drawn, and on the flows."""
        kinds = {kind for key, kind in self.marks.items() if key in keys}
        kinds |= {self.marks.get(g.key, CHG_GHOST) for g in self.ghosts if g.key in keys}
        kinds |= set(self.flows.values())
        kinds |= set(self.fail_points.values())
        if self.ghost_flows:
            kinds.add(CHG_GHOST_FLOW)
        return kinds


def _paths(bp: Blueprint) -> dict[tuple[str | int, ...], object]:
    """Its steps, evidence and actions by the path each was written at: the paths the
    nodes keep are the file's even when parts of a draft were left out (a list index
    of the model would then point at the wrong item, or past the end)."""
    found: dict[tuple[str | int, ...], object] = {}
    for step in bp.steps:
        found[step.path] = step
        for item in (*step.evidence, *step.actions()):
            found[item.path] = item
    return found


def _key(kind: str, node: object) -> str | None:
    if kind == "step" and isinstance(node, Step):
        return f"step:{node.id}"
    if kind == "action" and isinstance(node, Action):
        return f"a:{node.id}"
    if kind == "evidence" and isinstance(node, Evidence):
        return f"e:{node.id}"
    return None


def overlay(changes: Diff, old: Blueprint, new: Blueprint, view: Blueprint, name: str) -> Changes:
    """The changes of ``changes`` (from ``old`` to ``new``) for the steps of ``view`` (the
    new blueprint, or what a filter keeps of it), by node of the picture."""
    out = Changes(title=f"changes since {name}")
    in_view = {s.id for s in view.steps}
    new_steps = {s.id for s in new.steps}
    columns, _ = _ghost_steps(changes, old, new, in_view)
    in_columns = {g.step.id for g in columns}
    drawn = {a.id for a in view.actions()} | {a.id for g in columns for a in g.step.actions()}
    action_of = {fp.id: a.id for _, a, fp in new.fail_points()}
    ghosts: list[Ghost] = []
    ghost_flows: list[tuple[str, str]] = []
    flows: list[Change] = []
    old_at, new_at = _paths(old), _paths(new)
    for c in changes.changes:
        line = c.line
        if c.kind == "flow":
            flows.append(c)  # once every ghost is known: a removed flow may join two
            continue
        if c.kind == "fail point" and c.sign in (ADDED, CHANGED):
            out.fail_points.setdefault(c.id, CHG_ADDED if c.sign == ADDED else CHG_CHANGED)
            owner = action_of.get(c.id)
            if owner is not None:
                out.marks.setdefault(f"a:{owner}", CHG_CHANGED)
                out.lines.setdefault(f"a:{owner}", []).append(line)
            continue
        if c.kind == "wait" and c.sign != REMOVED and c.path:
            node = new_at.get(c.path[:4]) if len(c.path) >= 4 else None
            if isinstance(node, Action):
                out.marks.setdefault(f"a:{node.id}", CHG_CHANGED)
                out.lines.setdefault(f"a:{node.id}", []).append(line)
            continue
        if c.kind not in ("step", "action", "evidence") or not c.path:
            continue
        if c.sign == REMOVED:
            node = old_at.get(c.path)
            step = old_at.get(c.path[:2])
            if not isinstance(step, Step):
                continue
            if c.kind == "step":
                if isinstance(node, Step) and node.id in in_columns:
                    out.lines.setdefault(f"step:{node.id}", []).append(line)
                elif isinstance(node, Step) and node.id not in new_steps:
                    out.removed.append(f"Removed: step {node.id} ({node.title}){_held(node)}")
                continue
            if step.id not in new_steps:
                if step.id in in_columns and isinstance(node, Action | Evidence):
                    kind = "e" if isinstance(node, Evidence) else "a"
                    out.lines.setdefault(f"{kind}:{node.id}", []).append(line)
                continue  # drawn in its ghost column, or listed with its step
            if step.id not in in_view:
                continue
            lane = "evidence" if isinstance(node, Evidence) else str(c.path[2])
            assert isinstance(node, Action | Evidence)
            ghosts.append(Ghost(step.id, lane, node))
            out.lines.setdefault(f"{'e' if lane == 'evidence' else 'a'}:{node.id}", []).append(line)
            continue
        key = _key(c.kind, new_at.get(c.path))
        if key is None:
            continue
        out.lines.setdefault(key, []).append(line)
        if c.sign == ADDED:
            out.marks[key] = CHG_ADDED
        elif (c.kind == "step" and c.what.startswith("moved ")) or (
            c.kind == "action" and _is_move(c.what)
        ):
            out.marks[key] = CHG_MOVED
        else:
            out.marks.setdefault(key, CHG_CHANGED)
    drawn |= {g.node.id for g in ghosts if g.lane != "evidence"}
    for c in flows:
        a, _, b = c.id.partition(" -> ")
        if c.sign == REMOVED:
            if a in drawn and b in drawn:
                ghost_flows.append((a, b))
            elif a in drawn or b in drawn:
                out.removed.append(f"Removed: flow {a} → {b}")
        else:
            out.flows[a, b] = CHG_ADDED if c.sign == ADDED else CHG_CHANGED
    for ghost in ghosts:
        out.marks[ghost.key] = CHG_GHOST
    for column in columns:
        out.marks[f"step:{column.step.id}"] = CHG_GHOST
        for piece in column.step.evidence:
            out.marks[f"e:{piece.id}"] = CHG_GHOST
        for action in column.step.actions():
            out.marks[f"a:{action.id}"] = CHG_GHOST
    return Changes(
        title=out.title,
        marks=out.marks,
        lines=out.lines,
        fail_points=out.fail_points,
        flows=out.flows,
        ghosts=tuple(ghosts),
        ghost_steps=tuple(columns),
        ghost_flows=tuple(ghost_flows),
        removed=out.removed,
    )


def _anchored(ghost: GhostStep, ids: set[str]) -> bool:
    """A ghost column has its place in a view that has the step it follows (or, for one
    that followed none, the step it came before)."""
    if ghost.after is not None:
        return ghost.after in ids
    return ghost.before is not None and ghost.before in ids


def _ghost_steps(
    changes: Diff, old: Blueprint, new: Blueprint, in_view: set[str]
) -> tuple[list[GhostStep], list[Step]]:
    """The steps removed, as ghost columns placed in the view (each less the actions and
    evidence the new version still has elsewhere), and those with no place in it."""
    new_steps = {s.id for s in new.steps}
    kept_actions = {a.id for a in new.actions()}
    kept_evidence = {e.id for s in new.steps for e in s.evidence}
    gone = {c.id for c in changes.changes if c.kind == "step" and c.sign == REMOVED}
    placed: list[GhostStep] = []
    unplaced: list[Step] = []
    after: str | None = None
    for i, step in enumerate(old.steps):
        if step.id in new_steps:
            after = step.id
            continue
        if step.id not in gone:
            continue
        before = next((s.id for s in old.steps[i + 1 :] if s.id in new_steps), None)
        update: dict[str, object] = {
            "evidence": [e for e in step.evidence if e.id not in kept_evidence],
            "emotion": None,  # the old version's feelings are not drawn as the service's
            "metrics": [],
        }
        for lane in ("customer", "frontstage", "backstage", "support"):
            update[lane] = [a for a in getattr(step, lane) if a.id not in kept_actions]
        ghost = GhostStep(step.model_copy(update=update), after, before)
        if _anchored(ghost, in_view):
            placed.append(ghost)
        else:
            unplaced.append(step)
    return placed, unplaced


def _held(step: Step) -> str:
    """``, with its 3 actions and 1 piece of evidence``."""
    parts = []
    if step.actions():
        n = len(step.actions())
        parts.append(f"{n} action{'s' * (n != 1)}")
    if step.evidence:
        n = len(step.evidence)
        parts.append(f"{n} piece{'s' * (n != 1)} of evidence")
    return f", with its {' and '.join(parts)}" if parts else ""


def _is_move(what: str) -> bool:
    """An action's change that moved it: to another lane or another step."""
    lanes = ("customer", "frontstage", "backstage", "support")
    head = what.split(" (")[0]
    if " → " in head and all(part.strip() in lanes for part in head.split(" → ")):
        return True
    return head.startswith("moved from step")


def colour(theme: Theme, mark: str) -> str:
    """The colour of a mark: green, amber, grey."""
    return {
        CHG_ADDED: theme.added,
        CHG_CHANGED: theme.changed,
        CHG_MOVED: theme.changed,
        CHG_GHOST: theme.ghost,
        CHG_GHOST_FLOW: theme.ghost,
    }[mark]


def fill(theme: Theme, mark: str) -> tuple[str, str]:
    """(fill, ink) of a box's tag."""
    if mark == CHG_ADDED:
        return theme.added, theme.added_text
    if mark in (CHG_CHANGED, CHG_MOVED):
        return theme.changed, theme.changed_text
    return theme.background, theme.ghost


def _set(attrs: list[str], name: str, value: str) -> list[str]:
    kept = [a for a in attrs if not a.startswith(f"{name}=")]
    return [*kept, f"{name}={value}"]


def restyle(
    theme: Theme,
    attrs: list[str],
    tooltip: str,
    mark: str,
    lines: list[str],
    header: bool = False,
) -> list[str]:
    """A node's attributes in the style of its mark, its changes in its tooltip."""
    what = "\n".join(["", "Since the old version:", *lines]) if lines else ""
    out = _set(attrs, "tooltip", tooltip_string(tooltip + what))
    ink = colour(theme, mark)
    if header:
        return _set(out, "fontcolor", dot_string(ink))
    if mark == CHG_GHOST:
        shape = next((a for a in attrs if a.startswith("shape=")), "shape=box")
        style = '"rounded,dashed"' if shape == "shape=box" else "dashed"
        out = _set(out, "style", style)
        out = _set(out, "fontcolor", dot_string(theme.ghost))
        out = _set(out, "color", dot_string(theme.ghost))
        return _set(out, "penwidth", "1.2")
    out = _set(out, "color", dot_string(ink))
    return _set(out, "penwidth", "2.5")


def edge_attrs(theme: Theme, changes: Changes, flow: Flow, attrs: list[str]) -> list[str]:
    """A flow's attributes: green added, amber relabelled, dashed grey removed."""
    key = (flow.from_, flow.to)
    if key in changes.ghost_flows and not flow.implicit:
        out = _set(attrs, "style", "dashed")
        out = _set(out, "color", dot_string(theme.ghost))
        tip = next(a for a in attrs if a.startswith("tooltip="))
        return _set(out, "tooltip", tip.removeprefix("tooltip=")[:-1] + ' (removed)"')
    mark = changes.flows.get(key)
    if mark is None or flow.implicit:
        return attrs
    return _set(_set(attrs, "color", dot_string(colour(theme, mark))), "penwidth", "2.2")


def key_mark(theme: Theme, kind: str) -> str:
    """The sample of a mark in the key."""
    if kind == CHG_GHOST_FLOW:
        return (
            f'<TD WIDTH="34" HEIGHT="13"><FONT COLOR="{theme.ghost}">'
            f"<B>{html('- - ▶')}</B></FONT></TD>"
        )
    fill_, ink = fill(theme, kind)
    border = f' BORDER="1" COLOR="{theme.ghost}" STYLE="dashed"' if kind == CHG_GHOST else ""
    return (
        f'<TD BGCOLOR="{fill_}" WIDTH="34" HEIGHT="13" FIXEDSIZE="TRUE"{border}>'
        f'<FONT COLOR="{ink}" POINT-SIZE="7.5"><B>{html(TAGS[kind])}</B></FONT></TD>'
    )
