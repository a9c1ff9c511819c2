"""Regenerate every golden file from the code: `make golden`, then review the diff.

- schemas/blueprint.schema.json       (`blueprint schema`)
- schemas/schemastore-catalog-entry.json (`blueprint schema --catalog`)
- schemas/observation.schema.json     (`blueprint schema --observation`)
- docs/rules.md                       (`blueprint rules --format markdown`)
- the `$ blueprint lint ...` console blocks of README.md
- tests/golden/*.dot                  (the DOT of each example)
- tests/golden/terminal/*.txt        (show and failpoints at 80 and 120 columns)
- tests/golden/cli/*.txt             (stdout, stderr and exit code of each command)
- tests/golden/report/hotel.html     (`blueprint report`, the SVG left out)
- tests/golden/audit/*               (`blueprint audit report` of three visits, every format,
                                      and `blueprint audit template` of the hotel, each format)
- tests/golden/diff/*              (`blueprint diff` of the pairs in tests/diff/, each format)
- tests/golden/diff/engine/*.txt    (the diff engine's changes and totals of each pair)
- tests/golden/init/*                (each `blueprint init` starter, and `blueprint init --list`)
- tests/golden/sheets/*              (import of the workshop sheets, export of the hotel)
- tests/golden/export/*              (`--to drawio` and `--to mermaid` of each example)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from blueprint_cli.cli import app  # noqa: E402

runner = CliRunner()


def run(*args: str) -> str:
    return runner.invoke(app, list(args)).output


def main() -> None:
    import os

    os.chdir(ROOT)
    (ROOT / "schemas" / "blueprint.schema.json").write_text(run("schema"), encoding="utf-8")
    catalog = ROOT / "schemas" / "schemastore-catalog-entry.json"
    catalog.write_text(run("schema", "--catalog"), encoding="utf-8")
    observation = ROOT / "schemas" / "observation.schema.json"
    observation.write_text(run("schema", "--observation"), encoding="utf-8")
    (ROOT / "docs" / "rules.md").write_text(run("rules", "--format", "markdown"), encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")

    def block(match: re.Match[str]) -> str:
        return f"```console\n$ blueprint {match.group(1)}\n{run(*match.group(1).split())}```"

    readme.write_text(
        re.sub(r"```console\n\$ blueprint (lint [^\n]+)\n.*?```", block, text, flags=re.DOTALL),
        encoding="utf-8",
    )
    from tests.test_audit_report import write_golden as write_audit_golden
    from tests.test_audit_template import write_golden as write_template_golden
    from tests.test_cli_golden import write_golden as write_cli_golden
    from tests.test_diff_cli import write_golden as write_diff_golden
    from tests.test_diff_golden import write_golden as write_engine_golden
    from tests.test_inspect import write_golden as write_terminal_golden
    from tests.test_render_golden import write_golden
    from tests.test_report import write_golden as write_report_golden

    write_golden()
    write_terminal_golden()
    write_cli_golden()
    write_report_golden()
    write_audit_golden()
    write_template_golden()
    write_diff_golden()
    write_engine_golden()
    write_init_golden()
    export_goldens()
    write_sheets_golden()
    print("regenerated: schema, docs/rules.md, README console blocks, tests/golden")


def write_init_golden() -> None:
    """tests/golden/init/*: each starter as `blueprint init` writes it, and --list."""
    from tests.test_init import write_golden as write_starters

    write_starters()


def write_sheets_golden() -> None:
    """tests/golden/sheets/*: the workshop spreadsheets imported, the examples exported."""
    from tests.test_sheets import write_golden as write_sheets

    write_sheets()


def export_goldens() -> None:
    """tests/golden/export/*.drawio and *.mmd (the editable exports of each example), and
    the README's Mermaid example."""
    from tests.test_export_drawio import write_golden as write_drawio_golden
    from tests.test_export_mermaid import write_golden as write_mermaid_golden
    from tests.test_export_mermaid import write_readme as write_mermaid_readme

    write_drawio_golden()
    write_mermaid_golden()
    write_mermaid_readme()


if __name__ == "__main__":
    main()
