"""The command line: options -> one call into the core -> an exit code. Nothing else.

Imports of the core happen inside the commands, so that ``blueprint --version`` and
``--help`` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, TextIO

import typer

from blueprint_cli import __version__

EXIT_CODES = """\
Exit codes: 0 no problems at or above --fail-on; 1 problems found;
2 usage error, or a path that is missing or unreadable.
"""

app = typer.Typer(
    name="blueprint",
    help=(
        "Service blueprints as YAML: lint them, render them, inspect them.\n\n"
        "Examples:\n\n"
        "  blueprint lint examples/\n\n"
        "  blueprint lint --format json hotel.yaml\n\n"
        "  blueprint lint --select BP1 --fail-on warning blueprints/\n\n"
        "  blueprint rules BP104\n\n"
        "  blueprint render hotel.yaml -o hotel.png\n\n"
        "  cat hotel.yaml | blueprint lint - --stdin-filename hotel.yaml\n\n"
        "  blueprint schema > blueprint.schema.json"
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"blueprint {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Service blueprints as YAML: lint them, render them, inspect them."""


def use_color(choice: str, stream: TextIO) -> bool:
    """--color auto|always|never; auto means a terminal and no NO_COLOR."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _choice(value: str, allowed: list[str], option: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}", param_hint=option)
    return value


def _codes(values: list[str] | None) -> list[str] | None:
    """``--select A,B --select C`` -> [A, B, C]; None when not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@app.command(epilog=EXIT_CODES)
def lint(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories (searched for *.yaml, *.yml) or - for stdin."),
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: text or json.")
    ] = "text",
    select: Annotated[
        list[str] | None,
        typer.Option(help="Rules to run: codes, prefixes (BP1), names or ALL. Comma-separated."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Rules not to run (same forms as --select).")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on", help="Lowest severity that fails: error (default), warning, info."
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(help="Use this configuration file instead of searching for one."),
    ] = None,
    color: Annotated[str, typer.Option(help="Colour: auto, always or never.")] = "auto",
    stdin_filename: Annotated[
        str, typer.Option(help="The name to report for a blueprint read from stdin.")
    ] = "<stdin>",
) -> None:
    """Check blueprints: the YAML, the format, and the service design.

    One line per problem, file:line:col: severity CODE message, then a summary.
    Settings come from [tool.blueprint] in pyproject.toml, or blueprint.toml, found by
    walking up from each file; these options override them.
    """
    from blueprint_cli.config import Overrides
    from blueprint_cli.findings import Severity
    from blueprint_cli.lint import LintOptions, lint_paths
    from blueprint_cli.reporters import REPORTERS, get_reporter
    from blueprint_cli.rules import expand

    _choice(output_format, list(REPORTERS), "--format")
    _choice(color, ["auto", "always", "never"], "--color")
    severity = None
    if fail_on is not None:
        try:
            severity = Severity.parse(fail_on)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--fail-on") from None
    for option, values in (("--select", _codes(select)), ("--ignore", _codes(ignore))):
        unknown = expand(values or [])[1]
        if unknown:
            raise typer.BadParameter(f"unknown rule {unknown[0]!r}", param_hint=option)
    if config is not None and not os.path.isfile(config):
        raise typer.BadParameter(f"{config}: no such file", param_hint="--config")
    overrides = Overrides(_codes(select), _codes(ignore), severity, config)
    report = lint_paths(paths, LintOptions(overrides, stdin_filename))
    for warning in report.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    for error in report.errors:
        typer.echo(f"blueprint: error: {error}", err=True)
    get_reporter(output_format)(report, sys.stdout, color=use_color(color, sys.stdout))
    raise typer.Exit(report.exit_code)


@app.command(epilog=EXIT_CODES.replace("problems found", "a blueprint with errors, not drawn"))
def render(
    paths: Annotated[
        list[str],
        typer.Argument(help="Blueprints: files, directories (searched for *.yaml) or - for stdin."),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file, directory (for several blueprints), or - for stdout. "
            "Default: beside each blueprint.",
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="svg, png, pdf or dot. Default: from -o's suffix, else svg."
        ),
    ] = None,
    phase: Annotated[
        list[str] | None, typer.Option(help="Draw only the steps of this phase (repeatable).")
    ] = None,
    segment: Annotated[
        list[str] | None,
        typer.Option(help="Draw only the steps for this customer segment (repeatable)."),
    ] = None,
    theme: Annotated[str, typer.Option(help="Colours: default, or print (greyscale).")] = "default",
    legend: Annotated[
        bool, typer.Option("--legend/--no-legend", help="The legend and fail-point/wait table.")
    ] = True,
    stdin_filename: Annotated[
        str, typer.Option(help="The name to report for a blueprint read from stdin.")
    ] = "<stdin>",
) -> None:
    """Draw blueprints as service-blueprint diagrams (SVG, PNG, PDF or Graphviz DOT).

    blueprint render hotel.yaml writes hotel.svg beside it; -o hotel.png picks PNG.
    A blueprint with errors is not drawn: run blueprint lint to see them.
    """
    from blueprint_cli.renderjob import FORMATS, RenderOptions, render_paths

    if output_format is not None:
        _choice(output_format, list(FORMATS), "--format")
    options = RenderOptions(
        output=output,
        fmt=output_format,
        phases=_codes(phase) or [],
        segments=_codes(segment) or [],
        theme=theme,
        legend=legend,
        stdin_name=stdin_filename,
    )
    result = render_paths(paths, options)
    for warning in result.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    for f in result.findings:
        typer.echo(f"{f.file}:{f.line}:{f.col}: {f.severity.label} {f.code} {f.message}", err=True)
    for name in sorted({f.file for f in result.findings}):
        typer.echo(f"blueprint: {name}: not drawn: fix the errors above", err=True)
    for error in result.errors:
        typer.echo(f"blueprint: error: {error}", err=True)
    for source, target in result.written:
        if target != "-":
            typer.echo(f"{source} -> {target}", err=True)
    raise typer.Exit(result.exit_code)


@app.command()
def rules(
    code: Annotated[
        str | None, typer.Argument(help="A rule code or name: print its documentation.")
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, or markdown (docs/rules.md).")
    ] = "text",
) -> None:
    """List every rule, or print one rule's documentation."""
    from blueprint_cli import rulesdoc
    from blueprint_cli.rules import lookup

    _choice(output_format, ["text", "markdown"], "--format")
    if code is None:
        text = rulesdoc.markdown() if output_format == "markdown" else rulesdoc.table()
    else:
        rule = lookup(code)
        if rule is None:
            raise typer.BadParameter(f"unknown rule {code!r}", param_hint="CODE")
        text = rulesdoc.rule_markdown(rule) if output_format == "markdown" else rulesdoc.page(rule)
    sys.stdout.write(text)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the blueprint format (for editors and other validators)."""
    from blueprint_cli.schema import schema_text

    sys.stdout.write(schema_text())
