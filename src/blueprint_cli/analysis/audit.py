"""The figures of an audit: visits of a real service counted against its blueprint.

Each visit is turned into checks (``visit_checks``), each scored 1 (passed), 0.5 (in
part) or 0 (missed): evidence present; an action done; its time within the action's
``duration``; the customer's wait within the standard the visit's segment is held to
(``wait_standard``); the script followed; a fail point that did not occur, or occurred
and was recovered. What the auditor did not observe (``n/a``, a step
``not-observed``, an entry left out) is in no denominator.

``Tally`` adds visits one at a time and keeps counters only: its memory depends on the
blueprint and the calendar (one counter per check, per wait duration seen, per day),
never on the number of visits, so a report streams ten thousand files.

Compliance is the weighted share of points: sum(score x weight) / sum(weight), the
weight of a check being its kind's (``weights``, 1 each unless configured). A check
named ``critical`` (by the id of its evidence, action or fail point) that a visit
misses fails that visit whatever its score.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from blueprint_cli.analysis.facts import channel_of, wait_standard
from blueprint_cli.analysis.observed import Resolved
from blueprint_cli.model import Action, Blueprint, Segment, Step, slugify
from blueprint_cli.model.observation import Observation, Visit

#: The kinds of check, in the order reports list them.
KINDS = ("evidence", "action", "time", "wait", "script", "fail point")
_SCORE = {"yes": 1.0, "partial": 0.5, "no": 0.0}

#: Observed occurrence (occurred / visits that observed it) -> the FMEA occurrence score
#: it suggests: the lowest rate of each score from 10 down (AIAG's process FMEA table,
#: read per visit as a service FMEA reads it per customer). Configurable.
OCCURRENCE_SCALE: tuple[tuple[float, int], ...] = (
    (1 / 2, 10),
    (1 / 3, 9),
    (1 / 8, 8),
    (1 / 20, 7),
    (1 / 80, 6),
    (1 / 400, 5),
    (1 / 2000, 4),
    (1 / 15000, 3),
    (1 / 150000, 2),
)


def suggested_occurrence(
    rate: float, scale: tuple[tuple[float, int], ...] = OCCURRENCE_SCALE
) -> int:
    """The occurrence score an observed rate suggests (1 when below every threshold)."""
    for threshold, score in scale:
        if rate >= threshold:
            return score
    return 1


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check of one visit."""

    kind: str
    step: Step
    action: Action | None  # None for evidence
    id: str  # the id of the evidence, action or fail point checked
    score: float  # 1, 0.5 or 0
    channel: str | None


def visit_checks(
    observation: Observation, resolved: Resolved, bp: Blueprint
) -> Iterator[CheckResult]:
    """Every check a visit made, in the order it was written."""
    segment = _segment(bp, observation.visit.segment)
    for key, seen in observation.steps.items():
        step = resolved.steps.get(key)
        if step is None or not seen.observed:
            continue
        for name, evidence in seen.evidence.items():
            found = resolved.evidence.get((key, name))
            if found is not None and evidence.present != "n/a":
                yield CheckResult(
                    "evidence", step, None, found.id, _SCORE[evidence.present], step.channel
                )
        for name, act in seen.actions.items():
            action = resolved.actions.get((key, name))
            if action is None:
                continue
            channel = channel_of(step, action)
            if act.done in _SCORE:
                yield CheckResult("action", step, action, action.id, _SCORE[act.done], channel)
            if act.duration is not None and action.duration is not None:
                within = 1.0 if act.duration <= action.duration else 0.0
                yield CheckResult("time", step, action, action.id, within, channel)
            if act.wait is not None and action.wait is not None:
                standard = wait_standard(bp, action.wait, segment)
                if standard is not None:
                    within = 1.0 if act.wait <= standard else 0.0
                    yield CheckResult("wait", step, action, action.id, within, channel)
            if act.script in _SCORE and action.script is not None:
                yield CheckResult("script", step, action, action.id, _SCORE[act.script], channel)
        for name, seen_fp in seen.fail_points.items():
            hit = resolved.fail_points.get((key, name))
            if hit is None or seen_fp.occurred == "n/a":
                continue
            action, fp = hit
            kept = seen_fp.occurred == "no" or seen_fp.recovered == "yes"
            channel = channel_of(step, action)
            yield CheckResult("fail point", step, action, fp.id, 1.0 if kept else 0.0, channel)


def _segment(bp: Blueprint, segment_id: str | None) -> Segment | None:
    return next((s for s in bp.segments if s.id == segment_id), None)


@dataclass(slots=True)
class Share:
    """Points scored of points possible, and the checks they come from."""

    points: float = 0.0
    possible: float = 0.0
    checks: int = 0
    missed: int = 0  # checks not fully passed

    def add(self, score: float, weight: float) -> None:
        self.points += score * weight
        self.possible += weight
        self.checks += 1
        self.missed += score < 1.0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.points / self.possible if self.possible else None


@dataclass(slots=True)
class WaitFigures:
    """The observed waits of one action, for one segment (None: the visits as no
    segment), against the standard that segment is held to."""

    standard: float | None
    seconds: Counter[float] = field(default_factory=Counter)
    within: int = 0

    @property
    def n(self) -> int:
        return sum(self.seconds.values())

    def quantile(self, q: float) -> float | None:
        """The nearest-rank quantile: the smallest wait with at least q of them at or
        below it (q = 0.9: the p90)."""
        n = self.n
        if not n:
            return None
        rank = max(1, math.ceil(q * n))
        seen = 0
        for value in sorted(self.seconds):
            seen += self.seconds[value]
            if seen >= rank:
                return value
        return max(self.seconds)

    @property
    def median(self) -> float | None:
        """The middle wait; for an even count, the mean of the two middle ones."""
        n = self.n
        if not n:
            return None
        values = sorted(self.seconds)
        low_rank, high_rank = (n + 1) // 2, n // 2 + 1
        low = high = None
        seen = 0
        for value in values:
            seen += self.seconds[value]
            if low is None and seen >= low_rank:
                low = value
            if seen >= high_rank:
                high = value
                break
        assert low is not None and high is not None
        return (low + high) / 2

    @property
    def longest(self) -> float | None:
        return max(self.seconds) if self.seconds else None

    @property
    def share_within(self) -> float | None:
        return 100.0 * self.within / self.n if self.n else None


@dataclass(slots=True)
class FailPointFigures:
    """How one fail point fared over the visits that observed it."""

    observed: int = 0  # visits that said whether it occurred
    occurred: int = 0
    detected: int = 0  # of the occurrences whose detection was said
    detection_said: int = 0
    recovered: int = 0  # of the occurrences whose recovery was said
    recovery_said: int = 0

    @property
    def rate(self) -> float | None:
        return self.occurred / self.observed if self.observed else None

    @property
    def detection_rate(self) -> float | None:
        return self.detected / self.detection_said if self.detection_said else None

    @property
    def recovery_rate(self) -> float | None:
        """Recovered over occurred: the Kaizen figure of the service recovery."""
        return self.recovered / self.recovery_said if self.recovery_said else None


@dataclass(slots=True)
class UnplannedFigures:
    """A fail point the blueprint does not foresee, as the visits wrote it."""

    step: str
    text: str
    count: int = 0
    severity: int | None = None  # the highest given
    first: str = ""  # date
    last: str = ""


@dataclass(slots=True)
class VisitScore:
    id: str
    date: str
    file: str
    segment: str | None
    share: Share
    failed_critical: tuple[str, ...] = ()


#: Visits listed one by one in a report: beyond this, only their figures count.
VISITS_LISTED = 500


@dataclass(slots=True)
class Tally:
    """The figures of many visits of one blueprint, added one visit at a time."""

    blueprint: Blueprint
    weights: Mapping[str, float] = field(default_factory=dict)
    critical: frozenset[str] = frozenset()
    overall: Share = field(default_factory=Share)
    by: dict[str, dict[str, Share]] = field(default_factory=dict)  # dimension -> value -> share
    checks: dict[tuple[str, str, str], Share] = field(default_factory=dict)  # (kind, step, id)
    waits: dict[tuple[str, str | None], WaitFigures] = field(default_factory=dict)
    fail_points: dict[str, FailPointFigures] = field(default_factory=dict)
    unplanned: dict[tuple[str, str], UnplannedFigures] = field(default_factory=dict)
    by_date: dict[str, Share] = field(default_factory=dict)
    visits_by_date: Counter[str] = field(default_factory=Counter)
    visits: list[VisitScore] = field(default_factory=list)
    visit_count: int = 0
    failed_visits: int = 0
    #: (check, segment, channel) -> what ``_shares`` found: as many as the blueprint has
    #: checks times its segments and channels, whatever the number of visits
    _targets: dict[tuple[object, ...], tuple[float, list[Share], Share]] = field(
        default_factory=dict, repr=False
    )

    def add(self, observation: Observation, resolved: Resolved, file: str = "") -> VisitScore:
        visit = observation.visit
        date = visit.date.isoformat()
        share = Share()
        failed: list[str] = []
        day = self.by_date.setdefault(date, Share())  # a visit with nothing observed counts
        segment = visit.segment or "(none)"
        targets = self._targets
        critical = self.critical
        for check in visit_checks(observation, resolved, self.blueprint):
            kind, value = check.kind, check.score
            action = check.action
            place = (kind, check.step.id, action.id if action else None, check.id, check.channel)
            cached = targets.get((place, segment, visit.channel))
            if cached is None:
                cached = self._shares(check, segment, visit)
                targets[place, segment, visit.channel] = cached
            weight, shares, own = cached
            points, missed = value * weight, value < 1.0
            for target in shares:  # Share.add, inlined: this loop is the audit's hot spot
                target.points += points
                target.possible += weight
                target.checks += 1
                target.missed += missed
            for target in (share, day):
                target.points += points
                target.possible += weight
                target.checks += 1
                target.missed += missed
            own.points += value
            own.possible += 1.0
            own.checks += 1
            own.missed += missed
            if critical and missed and (check.id in critical or (action and action.id in critical)):
                failed.append(f"{kind} {check.id}")
        self._waits(observation, resolved)
        self._fail_points(observation, resolved)
        for item in observation.unplanned:
            key = (item.step, slugify(item.text, "unplanned"))
            found = self.unplanned.setdefault(key, UnplannedFigures(item.step, item.text))
            found.count += 1
            if item.severity is not None:
                found.severity = max(found.severity or 0, item.severity)
            found.first = min(found.first or date, date)
            found.last = max(found.last, date)
        score = VisitScore(visit.id, date, file, visit.segment, share, tuple(failed))
        self.visit_count += 1
        self.visits_by_date[date] += 1
        self.failed_visits += bool(failed)
        if len(self.visits) < VISITS_LISTED:
            self.visits.append(score)
        return score

    def _shares(
        self, check: CheckResult, segment: str, visit: Visit
    ) -> tuple[float, list[Share], Share]:
        """(weight, the shares a check of this kind, place and visit's segment and channel
        adds to, the share of the check itself): found once per such check, so that
        adding a visit is a few additions per check."""
        bp = self.blueprint
        step = check.step
        phases = {p.id: p.title for p in bp.phases}
        dims = {
            "kind": check.kind,
            "phase": phases.get(step.phase or "", step.phase or "(no phase)"),
            "step": step.id,
            "segment": segment,
            "channel": check.channel or visit.channel or "(none)",
        }
        if check.action is not None and check.action.actor is not None:
            actors = {a.id: a.title for a in bp.actors}
            dims["actor"] = actors.get(check.action.actor, check.action.actor)
        shares = [self.overall]
        for dim, value in dims.items():
            shares.append(self.by.setdefault(dim, {}).setdefault(value, Share()))
        own = self.checks.setdefault((check.kind, step.id, check.id), Share())
        return float(self.weights.get(check.kind, 1.0)), shares, own

    def _waits(self, observation: Observation, resolved: Resolved) -> None:
        bp = self.blueprint
        segment_id = observation.visit.segment
        segment = _segment(bp, segment_id)
        for key, seen in observation.steps.items():
            if not seen.observed or resolved.steps.get(key) is None:
                continue
            for name, act in seen.actions.items():
                action = resolved.actions.get((key, name))
                if action is None or act.wait is None or action.wait is None:
                    continue
                standard = wait_standard(bp, action.wait, segment)
                figures = self.waits.setdefault(
                    (action.id, segment.id if segment else None), WaitFigures(standard)
                )
                figures.seconds[act.wait] += 1
                figures.within += standard is None or act.wait <= standard

    def _fail_points(self, observation: Observation, resolved: Resolved) -> None:
        for key, seen in observation.steps.items():
            if not seen.observed or resolved.steps.get(key) is None:
                continue
            for name, seen_fp in seen.fail_points.items():
                hit = resolved.fail_points.get((key, name))
                if hit is None or seen_fp.occurred == "n/a":
                    continue
                figures = self.fail_points.setdefault(hit[1].id, FailPointFigures())
                figures.observed += 1
                if seen_fp.occurred != "yes":
                    continue
                figures.occurred += 1
                if seen_fp.detected in ("yes", "no"):
                    figures.detection_said += 1
                    figures.detected += seen_fp.detected == "yes"
                if seen_fp.recovered in ("yes", "no"):
                    figures.recovery_said += 1
                    figures.recovered += seen_fp.recovered == "yes"

    def missed_again(self, at_least: int = 2) -> list[tuple[tuple[str, str, str], Share]]:
        """The checks missed on at least ``at_least`` visits, most missed first: the
        audit's action list."""
        found = [(k, s) for k, s in self.checks.items() if s.missed >= at_least]
        return sorted(found, key=lambda ks: (-ks[1].missed, -ks[1].checks, ks[0]))

    def trend(self, period: str = "month") -> list[tuple[str, int, Share]]:
        """(period, visits, share) in date order: per ``month`` (YYYY-MM), or per day."""
        width = 7 if period == "month" else 10
        buckets: dict[str, tuple[int, Share]] = {}
        for date in sorted(self.by_date):
            key = date[:width]
            count, share = buckets.get(key, (0, Share()))
            day = self.by_date[date]
            share.points += day.points
            share.possible += day.possible
            share.checks += day.checks
            share.missed += day.missed
            buckets[key] = (count + self.visits_by_date[date], share)
        return [(k, n, s) for k, (n, s) in buckets.items()]

    def trend_every(self, visits: int) -> list[tuple[str, int, Share]]:
        """(first date – last date, visits, share) for groups of about ``visits`` visits in
        date order (the visits of one day stay together)."""
        out: list[tuple[str, int, Share]] = []
        count, share, first = 0, Share(), ""
        for date in sorted(self.by_date):
            day = self.by_date[date]
            first = first or date
            count += self.visits_by_date[date]
            share.points += day.points
            share.possible += day.possible
            share.checks += day.checks
            share.missed += day.missed
            if count >= visits:
                out.append((f"{first} – {date}" if first != date else date, count, share))
                count, share, first = 0, Share(), ""
        if count:
            last = max(self.by_date)
            out.append((f"{first} – {last}" if first != last else last, count, share))
        return out
