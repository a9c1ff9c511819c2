"""One file's bytes -> its model and its findings: load, model, rules, suppressions.

Every command checks a file here, with the settings that apply to it; nothing else runs
the rules.
"""

from __future__ import annotations

from blueprint_cli.analysis import Facts
from blueprint_cli.codes import Family
from blueprint_cli.config import Overrides, Settings, build_settings
from blueprint_cli.findings import Finding, Problem, RuleInfo
from blueprint_cli.model.validation import Checked, check_bytes


def rule_infos() -> list[RuleInfo]:
    from blueprint_cli.rules import RULES

    return [
        RuleInfo(r.code, r.name, r.family, r.severity, r.summary, r.doc) for r in RULES.values()
    ]


def default_settings() -> Settings:
    return build_settings({}, Overrides(), None)


def run_rules(checked: Checked, settings: Settings) -> list[Problem]:
    """The problems of every enabled rule for one file."""
    from blueprint_cli.rules import RULES, Context

    problems = [p for p in checked.problems if p.code in settings.enabled]
    if checked.blueprint is None:
        return problems
    facts = Facts(checked.blueprint)
    damaged = _damaged_nodes(checked.pruned)
    for code in sorted(settings.enabled):
        rule = RULES[code]
        if rule.check is None:
            continue
        ctx = Context(
            checked.blueprint,
            checked.source,
            code,
            settings.options.get(code, {}),
            checked.dropped,
            facts,
        )
        found = rule.check(ctx)
        if checked.pruned and rule.family is Family.SERVICE_DESIGN:
            # a node that lost a part to a schema error is not judged on what it lacks
            found = [p for p in found if not (p.path and p.path in damaged)]
        problems.extend(found)
    return problems


def _damaged_nodes(pruned: list[tuple[str | int, ...]]) -> set[tuple[str | int, ...]]:
    """The nodes that lost one of their keys, or an item of one of their lists: a set, so
    that each problem is looked up once rather than tested against every pruned part."""
    damaged: set[tuple[str | int, ...]] = set()
    for p in pruned:
        damaged.add(p[:-1])
        if len(p) >= 2 and isinstance(p[-1], int):
            damaged.add(p[:-2])
    return damaged


def to_findings(name: str, problems: list[Problem], settings: Settings) -> list[Finding]:
    from blueprint_cli.rules import RULES

    return [
        Finding(
            name,
            p.span.line,
            p.span.col,
            p.code,
            settings.severity[p.code],
            p.message,
            RULES[p.code].name,
            p.path,
        )
        for p in problems
    ]


def analyse(name: str, raw: bytes, settings: Settings) -> tuple[Checked, list[Finding]]:
    """One file's bytes -> (the loaded model, its findings: suppressions applied, sorted)."""
    from blueprint_cli.pipeline import suppress

    checked = check_bytes(raw, settings.limits)
    findings = to_findings(name, run_rules(checked, settings), settings)
    kept, unused = suppress.apply(findings, suppress.scan(raw), settings.enabled)
    if suppress.UNUSED in settings.enabled:
        kept += to_findings(name, unused, settings)
    return checked, sorted(kept, key=Finding.sort_key)


def lint_bytes(name: str, raw: bytes, settings: Settings | None = None) -> list[Finding]:
    """All findings for one file's bytes, suppressions applied, sorted."""
    return analyse(name, raw, settings or default_settings())[1]
