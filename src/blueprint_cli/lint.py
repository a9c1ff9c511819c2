"""The lint pipeline: sources -> load -> model -> rules -> findings, with the exit code."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.findings import Finding, Problem, Report, Severity
from blueprint_cli.sources import Source, discover
from blueprint_cli.validate import Checked, check_bytes


@dataclass(slots=True)
class LintOptions:
    fail_on: Severity = Severity.ERROR
    stdin_name: str = "<stdin>"


def run_rules(checked: Checked) -> list[Problem]:
    """Every rule's problems for a file whose model could be built."""
    from blueprint_cli.rules import RULES, Context

    problems = list(checked.problems)
    if checked.blueprint is None:
        return problems
    for rule in RULES.values():
        if rule.check is None:
            continue
        ctx = Context(checked.blueprint, checked.source, rule.code, rule.options)
        problems.extend(rule.check(ctx))
    return problems


def to_findings(name: str, problems: list[Problem]) -> list[Finding]:
    from blueprint_cli.rules import RULES

    findings = []
    for p in problems:
        rule = RULES[p.code]
        findings.append(
            Finding(name, p.span.line, p.span.col, p.code, rule.severity, p.message, rule.name)
        )
    return sorted(findings, key=Finding.sort_key)


def lint_bytes(name: str, raw: bytes) -> list[Finding]:
    return to_findings(name, run_rules(check_bytes(raw)))


def lint_source(source: Source) -> tuple[list[Finding], str | None]:
    try:
        raw = source.read()
    except OSError as exc:
        return [], f"{source.name}: {exc.strerror or exc}"
    return lint_bytes(source.name, raw), None


def lint_paths(paths: list[str], options: LintOptions | None = None) -> Report:
    options = options or LintOptions()
    found = discover(paths, options.stdin_name)
    result = Report(errors=list(found.errors), fail_on=options.fail_on)
    result.warnings = [f"{d}: no *.yaml or *.yml files found" for d in found.empty_dirs]
    for source in found.sources:
        findings, error = lint_source(source)
        if error is not None:
            result.errors.append(error)
            continue
        result.files.append(source.name)
        result.findings.extend(findings)
    return result
