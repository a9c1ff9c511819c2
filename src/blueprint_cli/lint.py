"""The lint pipeline: sources -> load -> model -> rules -> findings, with the exit code.

Everything a file can contain becomes a finding; everything about paths and
configuration becomes a one-line error in the Report (exit 2). Nothing is raised to the
top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.config import ConfigError, Overrides, Resolver, Settings
from blueprint_cli.findings import Finding, Problem, Report, Severity
from blueprint_cli.sources import Source, discover
from blueprint_cli.validate import Checked, check_bytes


@dataclass(slots=True)
class LintOptions:
    overrides: Overrides = field(default_factory=Overrides)
    stdin_name: str = "<stdin>"


def _defaults() -> Settings:
    from blueprint_cli.config import build_settings

    return build_settings({}, Overrides(), None)


def run_rules(checked: Checked, settings: Settings) -> list[Problem]:
    """The problems of every enabled rule for one file."""
    from blueprint_cli.rules import RULES, Context

    problems = [p for p in checked.problems if p.code in settings.enabled]
    if checked.blueprint is None:
        return problems
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
        )
        found = rule.check(ctx)
        if checked.pruned and code >= "BP100":
            # a node that lost a part to a schema error is not judged on what it lacks
            found = [p for p in found if not _damaged(p.path, checked.pruned)]
        problems.extend(found)
    return problems


def _damaged(path: tuple[str | int, ...], pruned: list[tuple[str | int, ...]]) -> bool:
    """Did the node at ``path`` lose one of its keys, or an item of one of its lists?"""
    if not path:
        return False
    n = len(path)
    return any(
        p[:n] == path and (len(p) == n + 1 or (len(p) == n + 2 and isinstance(p[-1], int)))
        for p in pruned
    )


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
        )
        for p in problems
    ]


def lint_bytes(name: str, raw: bytes, settings: Settings | None = None) -> list[Finding]:
    """All findings for one file's bytes, suppressions applied, sorted."""
    from blueprint_cli import suppress

    settings = settings or _defaults()
    findings = to_findings(name, run_rules(check_bytes(raw), settings), settings)
    kept, unused = suppress.apply(findings, suppress.scan(raw), settings.enabled)
    if suppress.UNUSED in settings.enabled:
        kept += to_findings(name, unused, settings)
    return sorted(kept, key=Finding.sort_key)


def lint_source(source: Source, settings: Settings) -> tuple[list[Finding], str | None]:
    try:
        raw = source.read()
    except OSError as exc:
        return [], f"{source.name}: {exc.strerror or exc}"
    return lint_bytes(source.name, raw, settings), None


def lint_paths(paths: list[str], options: LintOptions | None = None) -> Report:
    options = options or LintOptions()
    resolver = Resolver(options.overrides)
    found = discover(paths, options.stdin_name)
    result = Report(errors=list(found.errors))
    result.warnings = [f"{d}: no *.yaml or *.yml files found" for d in found.empty_dirs]
    try:
        result.fail_on = resolver.for_path(None).fail_on
    except ConfigError as exc:
        result.errors.append(str(exc))
        return result
    for source in found.sources:
        try:
            settings = resolver.for_path(source.path)
        except ConfigError as exc:
            if str(exc) not in result.errors:
                result.errors.append(str(exc))
            continue
        findings, error = lint_source(source, settings)
        if error is not None:
            result.errors.append(error)
            continue
        result.files.append(source.name)
        result.findings.extend(findings)
    return result


__all__ = ["LintOptions", "Severity", "lint_bytes", "lint_paths", "run_rules"]
