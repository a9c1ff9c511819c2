"""JUnit XML: one test case per file, failed (one ``<failure>``, every finding at or above
--fail-on in its text) when the file has such findings, the other findings as its
output; and one test case per error that stopped a path or the run (a missing or
unreadable file, a bad configuration), with an ``<error>``, so that a JUnit viewer shows
such a run as broken, never as clean.

The counts on ``<testsuite>`` and ``<testsuites>`` are what a JUnit client recounts from
the test cases (junitparser counts each ``<failure>`` and ``<error>`` element): hence one
failure per test case, not one per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from blueprint_cli.findings import Finding, Report
from blueprint_cli.reporters._common import display_path, project_root, root_path

CLASSNAME = "blueprint.lint"


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    by_file: dict[str, list[Finding]] = {name: [] for name in result.files}
    for f in result.findings:
        by_file.setdefault(f.file, []).append(f)
    failed_files = sum(
        1 for fs in by_file.values() if any(f.severity >= result.fail_on for f in fs)
    )
    counts: dict[str, str] = {
        "tests": str(len(by_file) + len(result.errors)),
        "failures": str(failed_files),
        "errors": str(len(result.errors)),
        "skipped": "0",
    }
    suites = ET.Element("testsuites", {"name": "blueprint", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "blueprint lint", **counts})
    for error in result.errors:  # already one line, its names made safe to print
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name=error)
        ET.SubElement(case, "error", type="blueprint.error", message=error).text = error
    root = project_root()
    for name, findings in by_file.items():
        path = display_path(name)
        # ``file`` from the project root, as the CI reports name files (GitLab links it)
        where = root_path(name, root) or path
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name=path, file=where)
        failing: list[Finding] = []
        below: list[str] = []
        for f in findings:
            if f.severity >= result.fail_on:
                failing.append(f)
            else:
                below.append(_line(path, f))
        if failing:
            first = failing[0]
            message = f"{first.line}:{first.col}: {first.code} {first.message}"
            if len(failing) > 1:
                message = (
                    f"{len(failing)} findings at or above {result.fail_on.label}; "
                    f"the first: {message}"
                )
            codes = ",".join(dict.fromkeys(f.code for f in failing))
            failure = ET.SubElement(case, "failure", type=codes, message=message)
            failure.text = "\n".join(_line(path, f) for f in failing)
        if below:
            ET.SubElement(case, "system-out").text = "\n".join(below)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")


def _line(path: str, f: Finding) -> str:
    return f"{path}:{f.line}:{f.col}: {f.severity.label} {f.code} {f.message}"
