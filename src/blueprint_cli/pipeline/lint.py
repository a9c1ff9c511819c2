"""`blueprint lint`: every file's findings in one Report, in the order the files were
found, whatever the parallelism."""

from __future__ import annotations

from blueprint_cli.findings import Report
from blueprint_cli.pipeline.check import rule_infos
from blueprint_cli.pipeline.run import RunOptions, check, plan


def lint_paths(paths: list[str], options: RunOptions | None = None) -> Report:
    options = options or RunOptions()
    planned = plan(paths, options)
    report = Report(
        errors=planned.errors,
        warnings=planned.warnings,
        fail_on=planned.settings.fail_on,
        rules=rule_infos(),
    )
    for result in check(
        planned.jobs, models=False, progress=options.progress, workers=options.jobs
    ):
        if result.error is not None:
            report.errors.append(result.error)
            continue
        report.files.append(result.source.name)
        report.findings.extend(result.findings)
    return report
