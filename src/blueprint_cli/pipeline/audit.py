"""Audit visits through the one pipeline: an observation file is discovered, read,
loaded and validated as a blueprint is; then its blueprint is found (a path from the
observation, inside the project), read and checked once per run, and the audit rules
(BP2xx, ``observe``) check the visit against it.

``analyse_observation`` is the whole of one file; ``observed`` streams a run's files
one at a time, so that a report over thousands of visits holds one visit at a time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from blueprint_cli import codes
from blueprint_cli.analysis.observed import Index, Resolved, index, resolve
from blueprint_cli.config import AuditSettings, Settings
from blueprint_cli.findings import Finding, Problem, Severity
from blueprint_cli.load import LoadError, load_bytes
from blueprint_cli.load.sniff import is_blueprint_text
from blueprint_cli.model import Blueprint
from blueprint_cli.model.observation import Observation
from blueprint_cli.model.validation import validate_as
from blueprint_cli.pipeline.check import analyse, to_findings
from blueprint_cli.positions import SourceMap, Span
from blueprint_cli.text import name as safe
from blueprint_cli.text import quote

if TYPE_CHECKING:
    from blueprint_cli.analysis.audit import Tally
    from blueprint_cli.pipeline.run import RunOptions


@dataclass(slots=True)
class BlueprintFile:
    """A blueprint an observation names, read and checked."""

    path: str  # resolved, real
    name: str  # as shown: relative to the current directory when inside it
    model: Blueprint | None  # None: it has errors, or could not be read
    sha256: str = ""
    errors: int = 0
    index: Index | None = None
    why: str = ""  # why there is no model


@dataclass(slots=True)
class ObservedFile:
    """One observation file, checked: its findings, its model when usable, its blueprint
    and where the visit's entries point in it."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    observation: Observation | None = None
    blueprint: BlueprintFile | None = None
    resolved: Resolved | None = None

    @property
    def usable(self) -> bool:
        """Counted in a report: it validates, its blueprint does, and it has no errors."""
        return (
            self.observation is not None
            and self.blueprint is not None
            and self.blueprint.model is not None
            and not any(f.severity is Severity.ERROR for f in self.findings)
        )


#: Blueprints read in this process, by (real path, size, mtime): a run of 10,000 visits
#: of one service reads and checks its blueprint once.
_BLUEPRINTS: dict[tuple[str, int, int], BlueprintFile] = {}


def read_blueprint(real: str, settings: Settings) -> BlueprintFile:
    """The blueprint at ``real``, checked with its own settings; cached."""
    try:
        info = os.stat(real)
    except OSError as exc:
        return BlueprintFile(real, _shown(real), None, why=exc.strerror or str(exc))
    key = (real, info.st_size, info.st_mtime_ns)
    cached = _BLUEPRINTS.get(key)
    if cached is not None:
        return cached
    name = _shown(real)
    try:
        with open(real, "rb") as handle:
            raw = handle.read(settings.limits.max_bytes + 1)
    except OSError as exc:
        return BlueprintFile(real, name, None, why=exc.strerror or str(exc))
    digest = hashlib.sha256(raw).hexdigest()
    if not is_blueprint_text(raw):
        found = BlueprintFile(real, name, None, digest, why="not a blueprint (no 'blueprint: 1')")
    else:
        checked, findings = analyse(name, raw, settings)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        model = checked.blueprint if errors == 0 else None
        why = (
            f"it has {errors} error{'s' * (errors != 1)} (blueprint lint {name})" if errors else ""
        )
        found = BlueprintFile(
            real, name, model, digest, errors, index(model) if model else None, why
        )
    if len(_BLUEPRINTS) > 256:
        _BLUEPRINTS.clear()
    _BLUEPRINTS[key] = found
    return found


def _shown(real: str) -> str:
    here = os.path.realpath(os.getcwd())
    rel = os.path.relpath(real, here)
    return safe(real if rel.startswith("..") else rel)


def project_of(path: str | None, settings: Settings) -> str:
    """The folder an observation's blueprint must be in: the configuration's, else the
    git work tree around the observation, else the current directory."""
    if settings.root is not None:
        return os.path.realpath(settings.root)
    start = os.path.realpath(os.path.dirname(path) if path else os.getcwd())
    folder = start
    while not os.path.exists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return os.path.realpath(os.getcwd())
        folder = parent
    return folder


def analyse_observation(
    name: str, path: str | None, raw: bytes, settings: Settings
) -> ObservedFile:
    """One observation file's bytes -> its model, its blueprint, and its findings."""
    from blueprint_cli.pipeline import suppress
    from blueprint_cli.rules import RULES
    from blueprint_cli.rules.base import ObservationContext

    out = ObservedFile(name)
    problems: list[Problem] = []
    source = SourceMap()
    try:
        loaded = load_bytes(raw, settings.limits)
    except LoadError as exc:
        problems.append(exc.problem())
        loaded = None
    if loaded is not None:
        source = loaded.source
        # yes, no and dates are this format's words: YAML 1.1's reading of them agrees
        loaded.problems = [p for p in loaded.problems if p.code != codes.YAML11_SCALAR]
        if is_blueprint_text(raw):
            problems.append(
                Problem(
                    codes.INVALID_VALUE,
                    "this is a blueprint, not an observation: blueprint audit check takes "
                    "the files of audit visits ('observation: 1'); lint the blueprint",
                    Span(1, 1),
                )
            )
        else:
            model, found, _ = validate_as(loaded, Observation)
            problems.extend(found)
            out.observation = model
    obs = out.observation
    if obs is not None:
        problems.extend(_blueprint_of(out, obs, path, source, settings))
    bp = out.blueprint
    if obs is not None and bp is not None and bp.model is not None and bp.index is not None:
        out.resolved = resolve(obs, bp.index)
        for code in sorted(settings.enabled):
            rule = RULES[code]
            if rule.observe is None:
                continue
            ctx = ObservationContext(
                obs,
                bp.model,
                bp.index,
                out.resolved,
                source,
                obs.blueprint,
                code,
                settings.options.get(code, {}),
            )
            problems.extend(rule.observe(ctx))
    enabled = [p for p in problems if p.code in settings.enabled]
    findings = to_findings(name, enabled, settings)
    kept, unused = suppress.apply(findings, suppress.scan(raw), settings.enabled)
    if suppress.UNUSED in settings.enabled:
        kept += to_findings(name, unused, settings)
    out.findings = sorted(kept, key=Finding.sort_key)
    return out


def _blueprint_of(
    out: ObservedFile, obs: Observation, path: str | None, source: SourceMap, settings: Settings
) -> Iterator[Problem]:
    """Find, read and check the observation's blueprint; the problems of doing so."""
    at = source.value(("blueprint",))
    written = obs.blueprint.strip()
    code = codes.BLUEPRINT_UNAVAILABLE
    if not written or "\0" in written:
        yield Problem(code, "'blueprint' must name the blueprint's file", at, ("blueprint",))
        return
    base = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    target = os.path.realpath(os.path.join(base, written))
    project = project_of(path, settings)
    if os.path.commonpath([project, target]) != project:
        yield Problem(
            code,
            f"blueprint {quote(written)} is outside the project ({safe(project)}): an "
            "observation names a blueprint inside it",
            at,
            ("blueprint",),
        )
        return
    if not os.path.isfile(target):
        what = "no such file" if not os.path.exists(target) else "not a file"
        yield Problem(code, f"blueprint {quote(written)}: {what}", at, ("blueprint",))
        return
    bp = read_blueprint(target, settings)
    out.blueprint = bp
    if bp.model is None:
        yield Problem(
            code, f"blueprint {quote(written)} cannot be audited: {bp.why}", at, ("blueprint",)
        )
        return
    if obs.blueprint_sha256 is not None and obs.blueprint_sha256 != bp.sha256:
        yield Problem(
            codes.BLUEPRINT_CHANGED,
            f"blueprint {quote(written)} has changed since this visit was planned "
            f"(sha256 {bp.sha256[:12]}…, not {obs.blueprint_sha256[:12]}…): check that "
            "its steps and standards are still the ones observed",
            source.value(("blueprint_sha256",)),
            ("blueprint_sha256",),
        )


@dataclass(slots=True)
class AuditRun:
    """The visits of one blueprint, counted: the figures, and what was left out."""

    tally: Tally | None  # None: the blueprint could not be read or has errors
    blueprint: BlueprintFile | None
    visits: int = 0  # observation files counted
    left_out: list[str] = field(default_factory=list)  # one line each: file and why
    findings: list[Finding] = field(default_factory=list)  # of the visits, errors included
    errors: list[str] = field(default_factory=list)  # paths and configuration: exit 2
    warnings: list[str] = field(default_factory=list)
    settings: AuditSettings = field(
        default_factory=AuditSettings
    )  # the blueprint's [tool.blueprint.audit]
    other_segments: int = 0  # usable visits not counted: of a segment not asked for


def audit(
    blueprint: str,
    visits: list[str],
    options: RunOptions,
    weights: dict[str, float] | None = None,
    critical: frozenset[str] | None = None,
    segments: Collection[str] | None = None,
) -> AuditRun:
    """Every observation under ``visits`` that names ``blueprint``, checked and counted
    one at a time (the figures hold counters, not visits). A visit with errors, or of
    another blueprint, is left out and said so. ``weights`` and ``critical`` default to
    the blueprint's configuration (``[tool.blueprint.audit]``). With ``segments``, only
    the visits made as one of them count (``visit.segment``); the others are counted in
    ``other_segments``."""
    from blueprint_cli.analysis.audit import Tally
    from blueprint_cli.pipeline.run import plan

    run = AuditRun(None, None)
    resolver_plan = plan([blueprint], options)
    run.errors.extend(resolver_plan.errors)
    if not resolver_plan.jobs:
        return run
    job = resolver_plan.jobs[0]
    if job.source.path is None:
        run.errors.append("the blueprint must be a file, not -")
        return run
    bp = read_blueprint(os.path.realpath(job.source.path), job.settings)
    run.blueprint = bp
    if bp.model is None:
        run.errors.append(f"{job.source.name}: cannot be audited: {bp.why}")
        return run
    run.settings = job.settings.audit
    if weights is None:
        weights = dict(run.settings.weights)
    if critical is None:
        critical = run.settings.critical
    run.tally = Tally(bp.model, weights, critical)
    known = {e.id for step in bp.model.steps for e in step.evidence}
    if bp.index is not None:
        known |= set(bp.index.actions) | set(bp.index.fail_points)
    for ident in sorted(critical - known):
        run.warnings.append(
            f"critical {quote(ident)} is not the id of evidence, an action or a fail point "
            f"of {bp.name}: it fails no visit"
        )
    visit_options = replace(options, kind="observation")
    planned = plan(visits, visit_options)
    run.errors.extend(planned.errors)
    run.warnings.extend(planned.warnings)
    for visit_job in planned.jobs:
        source = visit_job.source
        try:
            raw = source.read(visit_job.settings.limits.max_bytes)
        except OSError as exc:
            run.errors.append(f"{source.name}: {exc.strerror or exc}")
            continue
        observed = analyse_observation(source.name, source.path, raw, visit_job.settings)
        run.findings.extend(observed.findings)
        if observed.blueprint is not None and observed.blueprint.path != bp.path:
            run.left_out.append(f"{source.name}: a visit of {observed.blueprint.name}")
            continue
        if not observed.usable or observed.observation is None or observed.resolved is None:
            errors = sum(1 for f in observed.findings if f.severity is Severity.ERROR)
            why = f"{errors} error{'s' * (errors != 1)}" if errors else "not usable"
            run.left_out.append(f"{source.name}: {why} (blueprint audit check {source.name})")
            continue
        if segments is not None and observed.observation.visit.segment not in segments:
            run.other_segments += 1
            continue
        run.tally.add(observed.observation, observed.resolved, source.name)
        run.visits += 1
    return run
