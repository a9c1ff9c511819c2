"""JUnit XML: one test case per file; a failure per finding at or above --fail-on, the
other findings as the test case's output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from blueprint_cli.findings import Finding, Report
from blueprint_cli.reporters._common import display_path


def report(result: Report, out: TextIO, *, color: bool, quiet: bool = False) -> None:
    by_file: dict[str, list[Finding]] = {name: [] for name in result.files}
    for f in result.findings:
        by_file.setdefault(f.file, []).append(f)
    failed_files = sum(
        1 for fs in by_file.values() if any(f.severity >= result.fail_on for f in fs)
    )
    suites = ET.Element(
        "testsuites", name="blueprint", tests=str(len(by_file)), failures=str(failed_files)
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="blueprint lint",
        tests=str(len(by_file)),
        failures=str(failed_files),
        errors="0",
        skipped="0",
    )
    for name, findings in by_file.items():
        path = display_path(name)
        case = ET.SubElement(suite, "testcase", classname="blueprint.lint", name=path, file=path)
        below = []
        for f in findings:
            line = f"{path}:{f.line}:{f.col}: {f.severity.label} {f.code} {f.message}"
            if f.severity >= result.fail_on:
                failure = ET.SubElement(
                    case, "failure", type=f.code, message=f"{f.line}:{f.col}: {f.code} {f.message}"
                )
                failure.text = line
            else:
                below.append(line)
        if below:
            ET.SubElement(case, "system-out").text = "\n".join(below)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
