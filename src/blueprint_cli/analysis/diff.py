"""What changed in a service between two versions of its blueprint, in service terms.

Changes are keyed by id: a step moved is one change, not forty lines removed and forty
added. An id that only the old version has and one that only the new version has are
one node renamed when they are of the same kind, with the same text, in the same place
(the same step, the same lane). Every change says what kind of node it is about, its
id, and what changed; ``tags`` name the changes a CI gate can fail on (``risk-up``,
``evidence-removed``, ...).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from blueprint_cli.analysis.facts import markers
from blueprint_cli.model import (
    LINES,
    Action,
    Blueprint,
    Evidence,
    FailPoint,
    Named,
    Step,
    Wait,
    format_duration,
    slugify,
)
from blueprint_cli.text import quote

#: The signs of a change, as the text format prints them.
ADDED, REMOVED, CHANGED, TOTAL = "+", "-", "~", "="

#: What a gate can fail on (``blueprint diff --fail-on``), and what each means.
GATES = {
    "risk-up": "a fail point's risk (or the total risk) went up",
    "evidence-removed": "a piece of evidence was removed",
    "fail-point-removed": "a fail point was removed",
    "mitigation-removed": "a fail point lost its prevention or its recovery",
    "standard-loosened": "a wait's maximum or a max_wait was raised or dropped",
    "step-removed": "a step was removed",
    "new-errors": "the new version has lint errors the old one did not",
    "new-findings": "the new version has more lint findings than the old one",
}


@dataclass(frozen=True, slots=True)
class Change:
    """One change: ``sign`` (+ - ~ =), the ``kind`` of node, its ``id``, what changed."""

    sign: str
    kind: str
    id: str
    what: str
    tags: frozenset[str] = frozenset()
    #: where it is in the new version (or, removed, in the old), for positions and pictures
    path: tuple[str | int, ...] = ()

    @property
    def line(self) -> str:
        """``~ step check-in: moved before pay (3 → 2)``; the totals are their figures
        alone (``= total risk 1,240 → 980; ...``)."""
        if self.kind == "totals":
            return f"{self.sign} {self.what}"
        head = f"{self.kind} {self.id}" if self.id else self.kind
        return f"{self.sign} {head}: {self.what}" if self.what else f"{self.sign} {head}"


@dataclass(slots=True)
class Diff:
    changes: list[Change] = field(default_factory=list)

    def add(self, *args: object, **kwargs: object) -> None:
        self.changes.append(Change(*args, **kwargs))  # type: ignore[arg-type]

    @property
    def tags(self) -> frozenset[str]:
        return frozenset(t for c in self.changes for t in c.tags)


# ---------------------------------------------------------------------------- matching


@dataclass(frozen=True, slots=True)
class _Placed:
    """A node with what identifies its place: its step and lane (actions), step (evidence),
    action (fail points)."""

    node: object
    place: tuple[str, ...]
    text: str
    path: tuple[str | int, ...]


def _renames(old: dict[str, _Placed], new: dict[str, _Placed]) -> dict[str, str]:
    """Old id -> new id for nodes only one side has, of the same text in the same place."""
    gone = {k: v for k, v in old.items() if k not in new}
    came = {k: v for k, v in new.items() if k not in old}
    by_text: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for key, placed in came.items():
        by_text.setdefault((placed.place, placed.text), []).append(key)
    out: dict[str, str] = {}
    for key, placed in gone.items():
        candidates = by_text.get((placed.place, placed.text), [])
        if len(candidates) == 1:
            out[key] = candidates.pop()
    return out


def _steps(bp: Blueprint) -> dict[str, _Placed]:
    return {s.id: _Placed(s, (), s.title, s.path) for s in bp.steps}


def _actions(bp: Blueprint) -> dict[str, _Placed]:
    out: dict[str, _Placed] = {}
    for step in bp.steps:
        for action in step.actions():
            out.setdefault(action.id, _Placed(action, (step.id,), action.text, action.path))
    return out


def _evidence(bp: Blueprint) -> dict[str, _Placed]:
    out: dict[str, _Placed] = {}
    for step in bp.steps:
        for ev in step.evidence:
            out.setdefault(ev.id, _Placed(ev, (step.id,), ev.text, ev.path))
    return out


def _fail_points(bp: Blueprint) -> dict[str, _Placed]:
    out: dict[str, _Placed] = {}
    for step in bp.steps:
        for action in step.actions():
            for fp in action.fail_points:
                out.setdefault(fp.id, _Placed(fp, (action.id,), fp.text, fp.path))
    return out


def _step_of(bp: Blueprint) -> dict[str, Step]:
    return {a.id: s for s in bp.steps for a in s.actions()}


# ---------------------------------------------------------------------------- the diff


def diff(old: Blueprint, new: Blueprint) -> Diff:
    """Every change from ``old`` to ``new``, in the new version's journey order: the
    declarations, then step by step, then flows and standards."""
    out = Diff()
    _declared(out, old, new)
    step_renames = _renames(_steps(old), _steps(new))
    _steps_diff(out, old, new, step_renames)
    _nodes_diff(out, old, new, step_renames)
    _flows_diff(out, old, new)
    _standards_diff(out, old, new)
    return out


def _declared(out: Diff, old: Blueprint, new: Blueprint) -> None:
    for key, kind in (
        ("phases", "phase"),
        ("segments", "segment"),
        ("actors", "actor"),
        ("channels", "channel"),
        ("regulations", "regulation"),
        ("metrics", "metric"),
    ):
        before: dict[str, Named] = {n.id: n for n in getattr(old, key)}
        after: dict[str, Named] = {n.id: n for n in getattr(new, key)}
        for ident, node in after.items():
            if ident not in before:
                out.add(ADDED, kind, ident, f"({node.title})", path=node.path)
            elif before[ident].title != node.title:
                what = f"retitled {quote(before[ident].title)} → {quote(node.title)}"
                out.add(CHANGED, kind, ident, what, path=node.path)
        for ident, node in before.items():
            if ident not in after:
                out.add(REMOVED, kind, ident, f"({node.title})", path=node.path)


def _order_moves(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """The ids whose place in the order changed: those outside a longest common
    subsequence of the two orders (the fewest moves that explain the new order)."""
    common = set(before) & set(after)
    a = [x for x in before if x in common]
    b = [x for x in after if x in common]
    # longest increasing subsequence of b's items' positions in a: O(n log n)
    position = {x: i for i, x in enumerate(a)}
    seq = [position[x] for x in b]
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(seq)
    import bisect

    for i, value in enumerate(seq):
        j = bisect.bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[j] = value
            tail_index[j] = i
        parent[i] = tail_index[j - 1] if j > 0 else -1
    kept: set[str] = set()
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        kept.add(b[k])
        k = parent[k]
    return common - kept


def _steps_diff(out: Diff, old: Blueprint, new: Blueprint, renames: dict[str, str]) -> None:
    old_index = {s.id: i for i, s in enumerate(old.steps, 1)}
    new_ids = [s.id for s in new.steps]
    before = [renames.get(s.id, s.id) for s in old.steps]
    moved = _order_moves(before, new_ids)
    back = {v: k for k, v in renames.items()}
    olds = {s.id: s for s in old.steps}
    for i, step in enumerate(new.steps, 1):
        was_id = back.get(step.id, step.id)
        was = olds.get(was_id)
        if was is None:
            out.add(ADDED, "step", step.id, f"{quote(step.title)} at {i}", path=step.path)
            continue
        if was_id != step.id:
            out.add(CHANGED, "step", step.id, f"renamed from {was_id}", path=step.path)
        if step.id in moved:
            after = new.steps[i].id if i < len(new.steps) else None
            where = f"moved before {after}" if after else "moved to the end"
            out.add(
                CHANGED, "step", step.id, f"{where} ({old_index[was_id]} → {i})", path=step.path
            )
        if was.title != step.title:
            what = f"retitled {quote(was.title)} → {quote(step.title)}"
            out.add(CHANGED, "step", step.id, what, path=step.path)
        for attr, label in (("phase", "phase"), ("channel", "channel")):
            a, b = getattr(was, attr), getattr(step, attr)
            if a != b:
                out.add(
                    CHANGED,
                    "step",
                    step.id,
                    f"{label} {a or 'none'} → {b or 'none'}",
                    path=step.path,
                )
        if sorted(was.segments) != sorted(step.segments):
            a = ", ".join(was.segments) or "all"
            b = ", ".join(step.segments) or "all"
            out.add(CHANGED, "step", step.id, f"segments {a} → {b}", path=step.path)
        ea = was.emotion.customer if was.emotion else None
        eb = step.emotion.customer if step.emotion else None
        if ea != eb:
            out.add(
                CHANGED,
                "step",
                step.id,
                f"customer emotion {_signed(ea)} → {_signed(eb)}",
                path=step.path,
            )
    kept = set(new_ids)  # once, not once per old step: 500 steps were 250,000 look-ups
    for step in old.steps:
        if step.id not in renames and step.id not in kept:
            out.add(
                REMOVED, "step", step.id, f"({step.title})", frozenset({"step-removed"}), step.path
            )


def _signed(value: int | None) -> str:
    return "none" if value is None else f"{value:+d}"


def _nodes_diff(out: Diff, old: Blueprint, new: Blueprint, step_renames: dict[str, str]) -> None:
    old_step_of, new_step_of = _step_of(old), _step_of(new)
    back_steps = {v: k for k, v in step_renames.items()}
    # evidence
    ev_old, ev_new = _evidence(old), _evidence(new)
    ev_back = _pairs(_moved_place(ev_old, step_renames), ev_new)
    for ident, placed in ev_new.items():
        was_ev = ev_old.get(ev_back.get(ident, ""))
        ev = placed.node
        assert isinstance(ev, Evidence)
        step = placed.place[0]
        if was_ev is None:
            out.add(ADDED, "evidence", step, ev.text, path=placed.path)
            continue
        was_id = ev_back[ident]
        if was_id != ident and not (_derived(was_id, was_ev.text) and _derived(ident, ev.text)):
            out.add(CHANGED, "evidence", ident, f"renamed from {was_id}", path=placed.path)
        if back_steps.get(step, step) != was_ev.place[0]:
            out.add(
                CHANGED,
                "evidence",
                ident,
                f"moved from step {was_ev.place[0]} to {step}",
                path=placed.path,
            )
    paired = set(ev_back.values())
    for ident, placed in ev_old.items():
        if ident not in paired:
            ev = placed.node
            assert isinstance(ev, Evidence)
            out.add(
                REMOVED,
                "evidence",
                placed.place[0],
                ev.text,
                frozenset({"evidence-removed"}),
                placed.path,
            )
    # actions
    # paired as evidence is: a derived id renumbers when a step with repeated texts moves
    ac_old, ac_new = _actions(old), _actions(new)
    ac_back = _pairs(_moved_place(ac_old, step_renames), ac_new)
    ac_ren = {v: k for k, v in ac_back.items() if k != v}
    for ident, placed in ac_new.items():
        was_id = ac_back.get(ident, "")
        was_placed = ac_old.get(was_id)
        action = placed.node
        assert isinstance(action, Action)
        if was_placed is None:
            out.add(ADDED, "action", ident, f"{action.lane} {quote(action.text)}", path=placed.path)
            continue
        was = was_placed.node
        assert isinstance(was, Action)
        if was_id != ident and not (_derived(was_id, was.text) and _derived(ident, action.text)):
            out.add(CHANGED, "action", ident, f"renamed from {was_id}", path=placed.path)
        _action_changes(
            out,
            ident,
            was,
            action,
            old_step_of[was_id],
            new_step_of[ident],
            back_steps,
            placed.path,
        )
    ac_paired = set(ac_back.values())
    for ident, placed in ac_old.items():
        if ident not in ac_paired:
            action = placed.node
            assert isinstance(action, Action)
            out.add(
                REMOVED, "action", ident, f"{action.lane} {quote(action.text)}", path=placed.path
            )
    # fail points
    fp_old, fp_new = _fail_points(old), _fail_points(new)
    fp_back = _pairs(_moved_place(fp_old, ac_ren), fp_new)
    for ident, placed in fp_new.items():
        was_id = fp_back.get(ident, "")
        was_placed = fp_old.get(was_id)
        fp = placed.node
        assert isinstance(fp, FailPoint)
        if was_placed is None:
            risk = f", risk {fp.risk}" if fp.risk is not None else ""
            out.add(ADDED, "fail point", ident, f"{quote(fp.text)}{risk}", path=placed.path)
            continue
        was = was_placed.node
        assert isinstance(was, FailPoint)
        if was_id != ident and not (_derived(was_id, was.text) and _derived(ident, fp.text)):
            out.add(CHANGED, "fail point", ident, f"renamed from {was_id}", path=placed.path)
        _fail_point_changes(out, ident, was, fp, placed.path)
    fp_paired = set(fp_back.values())
    for ident, placed in fp_old.items():
        if ident not in fp_paired:
            fp = placed.node
            assert isinstance(fp, FailPoint)
            out.add(
                REMOVED,
                "fail point",
                ident,
                quote(fp.text),
                frozenset({"fail-point-removed"}),
                placed.path,
            )


def _pairs(old: dict[str, _Placed], new: dict[str, _Placed]) -> dict[str, str]:
    """New id -> old, for actions and evidence (placed in a step) and fail points (in an
    action): the
    same id in the same place; then the same text in the same place (a derived id renumbers
    when a step moves and texts repeat: "website-3" is then another step's "Website"); then
    the same id elsewhere (moved)."""
    pairs = {k: k for k, p in new.items() if k in old and old[k].place == p.place}
    taken = set(pairs)
    by_text: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for key, placed in old.items():
        if key not in taken:
            by_text.setdefault((placed.place, placed.text), []).append(key)
    for key, placed in new.items():
        if key in pairs:
            continue
        candidates = by_text.get((placed.place, placed.text))
        if candidates:
            pairs[key] = candidates.pop(0)
            taken.add(pairs[key])
    for key in new:
        if key not in pairs and key in old and key not in taken:
            pairs[key] = key
            taken.add(key)
    return pairs


def _derived(ident: str, text: str) -> bool:
    """Whether ``ident`` looks derived from ``text`` (its slug, or the slug numbered)."""
    base = slugify(text, "")
    return ident == base or (ident.startswith(base + "-") and ident[len(base) + 1 :].isdigit())


def _moved_place(nodes: dict[str, _Placed], renames: dict[str, str]) -> dict[str, _Placed]:
    """The old nodes with their places renamed as their step or action was."""
    return {
        k: _Placed(p.node, tuple(renames.get(x, x) for x in p.place), p.text, p.path)
        for k, p in nodes.items()
    }


_LINE_BELOW = {"customer": 0, "frontstage": 1, "backstage": 2, "support": 3}


def _crossed(a: str, b: str) -> str:
    """The lines an action crosses moving from lane ``a`` to lane ``b``."""
    lanes = list(_LINE_BELOW)
    i, j = lanes.index(a), lanes.index(b)
    low, high = min(i, j), max(i, j)
    names = [LINES[lanes[k]].lower() for k in range(low, high)]
    if not names:
        return ""
    last = names[-1] if j > i else names[0]
    side = "behind" if j > i else "in front of"
    return f" (now {side} the {last})"


def _action_changes(
    out: Diff,
    ident: str,
    was: Action,
    now: Action,
    was_step: Step,
    now_step: Step,
    back_steps: dict[str, str],
    path: tuple[str | int, ...],
) -> None:
    if was.lane != now.lane:
        out.add(
            CHANGED,
            "action",
            ident,
            f"{was.lane} → {now.lane}{_crossed(was.lane, now.lane)}",
            path=path,
        )
    if back_steps.get(now_step.id, now_step.id) != was_step.id:
        out.add(
            CHANGED, "action", ident, f"moved from step {was_step.id} to {now_step.id}", path=path
        )
    if was.text != now.text:
        out.add(CHANGED, "action", ident, f"text {quote(was.text)} → {quote(now.text)}", path=path)
    for attr, label in (("actor", "owner"), ("channel", "channel")):
        a, b = getattr(was, attr), getattr(now, attr)
        if a != b:
            out.add(CHANGED, "action", ident, f"{label} {a or 'none'} → {b or 'none'}", path=path)
    if was.duration != now.duration:
        out.add(
            CHANGED, "action", ident, f"time {_dur(was.duration)} → {_dur(now.duration)}", path=path
        )
    if (was.script is None) != (now.script is None):
        out.add(
            CHANGED, "action", ident, "script added" if now.script else "script removed", path=path
        )
    elif was.script != now.script:
        out.add(CHANGED, "action", ident, "script reworded", path=path)
    if sorted(was.regulations) != sorted(now.regulations):
        a = ", ".join(was.regulations) or "none"
        b = ", ".join(now.regulations) or "none"
        out.add(CHANGED, "action", ident, f"regulations {a} → {b}", path=path)
    _wait_changes(out, ident, was.wait, now.wait, path)


def _dur(value: float | None) -> str:
    return "none" if value is None else format_duration(value)


def _wait_changes(
    out: Diff, ident: str, was: Wait | None, now: Wait | None, path: tuple[str | int, ...]
) -> None:
    if was is None and now is None:
        return
    if was is None:
        assert now is not None
        out.add(ADDED, "wait", ident, _wait_text(now), path=path)
        return
    if now is None:
        out.add(REMOVED, "wait", ident, _wait_text(was), path=path)
        return
    if was.expected != now.expected:
        out.add(
            CHANGED,
            "wait",
            ident,
            f"expected {_dur(was.expected)} → {_dur(now.expected)}",
            path=path,
        )
    if was.max != now.max:
        loosened = now.max is None or (was.max is not None and now.max > was.max)
        verdict = "standard loosened" if loosened else "standard tightened"
        if was.max is None:
            verdict = "standard set"
        tags = frozenset({"standard-loosened"}) if loosened and was.max is not None else frozenset()
        out.add(
            CHANGED, "wait", ident, f"max {_dur(was.max)} → {_dur(now.max)} ({verdict})", tags, path
        )


def _wait_text(wait: Wait) -> str:
    parts = [quote(wait.text)] if wait.text else []
    if wait.expected is not None:
        parts.append(f"expected {format_duration(wait.expected)}")
    if wait.max is not None:
        parts.append(f"max {format_duration(wait.max)}")
    return ", ".join(parts)


def _fail_point_changes(
    out: Diff, ident: str, was: FailPoint, now: FailPoint, path: tuple[str | int, ...]
) -> None:
    if was.text != now.text:
        out.add(
            CHANGED, "fail point", ident, f"text {quote(was.text)} → {quote(now.text)}", path=path
        )
    scores = [
        f"{name} {getattr(was, name) or '-'} → {getattr(now, name) or '-'}"
        for name in ("severity", "occurrence", "detection")
        if getattr(was, name) != getattr(now, name)
    ]
    extra = []
    for name in ("prevention", "recovery"):
        a, b = getattr(was, name), getattr(now, name)
        if a is None and b is not None:
            extra.append(f"{name} added")
        elif a is not None and b is None:
            extra.append(f"{name} removed")
        elif a != b:
            extra.append(f"{name} changed")
    if not scores and not extra:
        return
    tags: set[str] = set()
    head = ""
    if was.risk != now.risk:
        head = f"risk {_risk(was.risk)} → {_risk(now.risk)}"
        if was.risk is not None and now.risk is not None and now.risk > was.risk:
            tags.add("risk-up")
    if any(e.endswith("removed") for e in extra):
        tags.add("mitigation-removed")
    detail = ", ".join(scores)
    what = ", ".join(
        p for p in (f"{head} ({detail})" if head and detail else head or detail, *extra) if p
    )
    out.add(CHANGED, "fail point", ident, what, frozenset(tags), path)


def _risk(value: int | None) -> str:
    return "unscored" if value is None else str(value)


def _flows_diff(out: Diff, old: Blueprint, new: Blueprint) -> None:
    before = {(f.from_, f.to): f for f in old.flows}
    after = {(f.from_, f.to): f for f in new.flows}
    for key, flow in after.items():
        if key not in before:
            out.add(
                ADDED,
                "flow",
                f"{key[0]} -> {key[1]}",
                quote(flow.label) if flow.label else "",
                path=flow.path,
            )
        elif (before[key].label or "") != (flow.label or ""):
            out.add(
                CHANGED,
                "flow",
                f"{key[0]} -> {key[1]}",
                f"label {quote(before[key].label or '')} → {quote(flow.label or '')}",
                path=flow.path,
            )
    for key, flow in before.items():
        if key not in after:
            out.add(REMOVED, "flow", f"{key[0]} -> {key[1]}", "", path=flow.path)


def _standards_diff(out: Diff, old: Blueprint, new: Blueprint) -> None:
    a, b = old.standards.max_wait, new.standards.max_wait
    if a != b:
        loosened = b is None or (a is not None and b > a)
        tags = frozenset({"standard-loosened"}) if loosened and a is not None else frozenset()
        out.add(CHANGED, "standard", "max_wait", f"{_dur(a)} → {_dur(b)}", tags, ("standards",))
    before = {s.id: s for s in old.segments}
    for seg in new.segments:
        was = before.get(seg.id)
        if was is None:
            continue
        x = was.standards.max_wait if was.standards else None
        y = seg.standards.max_wait if seg.standards else None
        if x != y:
            loosened = y is None or (x is not None and y > x)
            tags = frozenset({"standard-loosened"}) if loosened and x is not None else frozenset()
            out.add(
                CHANGED, "standard", f"{seg.id} max_wait", f"{_dur(x)} → {_dur(y)}", tags, seg.path
            )


# ---------------------------------------------------------------------------- totals


@dataclass(frozen=True, slots=True)
class Totals:
    """The figures of one version that a revision moves."""

    total_risk: int
    fail_points: int
    unmitigated: int  # fail points without prevention or without recovery
    evidence_steps: int  # customer steps with evidence
    customer_steps: int
    waits_over: int

    @property
    def coverage(self) -> float | None:
        return 100.0 * self.evidence_steps / self.customer_steps if self.customer_steps else None


def totals(bp: Blueprint) -> Totals:
    fps = [fp for _, _, fp in bp.fail_points()]
    customer = [s for s in bp.steps if s.customer]
    over = sum(1 for m in markers(bp) if m.over_by is not None)
    return Totals(
        sum(fp.risk or 0 for fp in fps),
        len(fps),
        sum(1 for fp in fps if not fp.prevention or not fp.recovery),
        sum(1 for s in customer if s.evidence),
        len(customer),
        over,
    )


def totals_change(old: Totals, new: Totals) -> Iterator[Change]:
    """The totals line(s): only the figures that moved, or all when none did."""
    parts = []
    tags: set[str] = set()
    if old.total_risk != new.total_risk:
        parts.append(f"total risk {old.total_risk:,} → {new.total_risk:,}")
        if new.total_risk > old.total_risk:
            tags.add("risk-up")
    if old.coverage != new.coverage:
        parts.append(f"evidence coverage {_pct(old.coverage)} → {_pct(new.coverage)}")
    if old.unmitigated != new.unmitigated:
        parts.append(f"unmitigated fail points {old.unmitigated} → {new.unmitigated}")
    if old.waits_over != new.waits_over:
        parts.append(f"waits over standard {old.waits_over} → {new.waits_over}")
    if parts:
        yield Change(TOTAL, "totals", "", "; ".join(parts), frozenset(tags))


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"
