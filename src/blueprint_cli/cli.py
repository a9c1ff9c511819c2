"""The command line: options -> one call into the core -> an exit code. Nothing else.

Imports of the core happen inside the commands, so that ``blueprint --version`` and
``--help`` start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from blueprint_cli import __version__

if TYPE_CHECKING:
    from blueprint_cli.findings import Finding

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
        "  blueprint show hotel.yaml\n\n"
        "  blueprint failpoints blueprints/ --min-risk 100 --format csv\n\n"
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
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, sarif, github, junit or gitlab. Default: text, or github "
            "when GITHUB_ACTIONS=true.",
        ),
    ] = None,
    output_file: Annotated[
        str | None,
        typer.Option(
            help="Write the report in --format to this file; the terminal still gets text."
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when problems are found.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the problems only, no summary.")
    ] = False,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Count the problems per rule instead of listing them."),
    ] = False,
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
    from blueprint_cli.pipeline.lint import LintOptions, lint_paths
    from blueprint_cli.reporters import REPORTERS, get_reporter
    from blueprint_cli.rules import expand

    github = os.environ.get("GITHUB_ACTIONS") == "true"
    terminal_format = "github" if github else "text"
    fmt = output_format or terminal_format
    _choice(fmt, list(REPORTERS), "--format")
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
    report = lint_paths(paths, LintOptions(overrides, stdin_filename, progress=_lint_progress()))
    for warning in report.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    for error in report.errors:
        typer.echo(f"blueprint: error: {error}", err=True)
    colored = use_color(color, sys.stdout)
    if output_file is not None:
        import io

        from blueprint_cli.fileio import write_atomic

        buffer = io.StringIO()
        get_reporter(fmt)(report, buffer, color=False, quiet=quiet)
        try:
            write_atomic(output_file, buffer.getvalue().encode("utf-8"))
        except OSError as exc:
            typer.echo(f"blueprint: error: {output_file}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        fmt = terminal_format
    if statistics:
        from blueprint_cli.reporters.text import statistics as count
        from blueprint_cli.reporters.text import summary

        stream = sys.stdout if fmt in ("text", "github") else sys.stderr
        stream.write(count(report))
        if not quiet:
            stream.write(summary(report) + "\n")
        if fmt in ("text", "github"):
            raise typer.Exit(_exit(report.exit_code, exit_zero))
    get_reporter(fmt)(report, sys.stdout, color=colored, quiet=quiet)
    raise typer.Exit(_exit(report.exit_code, exit_zero))


def _exit(code: int, exit_zero: bool) -> int:
    """--exit-zero turns "problems found" into success; usage and I/O errors stay 2."""
    return 0 if exit_zero and code == 1 else code


def _lint_progress() -> tuple[Callable[[int, int], None], Callable[[], None]] | None:
    """A progress callback for long runs on a terminal; None in CI logs and pipes."""
    isatty = getattr(sys.stderr, "isatty", None)
    if not (isatty and isatty()) or os.environ.get("CI"):
        return None
    from blueprint_cli.views.terminal import progress_bar

    return progress_bar("linting", threshold=50)


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
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 if a committed SVG or DOT is out of date with its YAML.",
        ),
    ] = False,
    stdin_filename: Annotated[
        str, typer.Option(help="The name to report for a blueprint read from stdin.")
    ] = "<stdin>",
) -> None:
    """Draw blueprints as service-blueprint diagrams (SVG, PNG, PDF or Graphviz DOT).

    blueprint render hotel.yaml writes hotel.svg beside it; -o hotel.png picks PNG.
    A blueprint with errors is not drawn: run blueprint lint to see them.
    """
    from blueprint_cli.pipeline.render import FORMATS, RenderOptions, render_paths

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
        check=check,
    )
    result = render_paths(paths, options)
    for source, target in result.stale:
        typer.echo(
            f"{target}: out of date with {source} (run: blueprint render {source}"
            f"{f' -o {target}' if output else ''})",
            err=True,
        )
    for warning in result.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    _echo_blocking(result.findings, "not drawn")
    for message in result.too_big:
        typer.echo(f"blueprint: {message}", err=True)
    for error in result.errors:
        typer.echo(f"blueprint: error: {error}", err=True)
    for source, target in result.written:
        if target != "-":
            typer.echo(f"{source} -> {target}", err=True)
    raise typer.Exit(result.exit_code)


def _echo_blocking(findings: list[Finding], verdict: str) -> None:
    """The errors that kept files out, one line each, then one line per file."""
    from blueprint_cli.reporters.text import line

    for f in findings:
        typer.echo(line(f), err=True)
    for name in sorted({f.file for f in findings}):
        typer.echo(f"blueprint: {name}: {verdict}: fix the errors above", err=True)


def _report_inspection_problems(inspection: object) -> None:
    from blueprint_cli.pipeline.inspect import Inspection

    assert isinstance(inspection, Inspection)
    for warning in inspection.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    _echo_blocking(inspection.broken, "left out")
    for error in inspection.errors:
        typer.echo(f"blueprint: error: {error}", err=True)


@app.command(epilog=EXIT_CODES.replace("problems found", "a blueprint with errors"))
def show(
    path: Annotated[str, typer.Argument(help="A blueprint file, or - for stdin.")],
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (rich on a terminal, plain text when piped), text, or json.",
        ),
    ] = "table",
    color: Annotated[str, typer.Option(help="Colour: auto, always or never.")] = "auto",
    stdin_filename: Annotated[
        str, typer.Option(help="The name to report for a blueprint read from stdin.")
    ] = "<stdin>",
) -> None:
    """What the service is and where it is weak: journey, evidence, fail points, waits,
    time, and the lint summary, on one screen."""
    from blueprint_cli.pipeline.inspect import inspect_paths
    from blueprint_cli.views.show import build_report, plain_text, to_json

    _choice(output_format, ["table", "text", "json"], "--format")
    _choice(color, ["auto", "always", "never"], "--color")
    if os.path.isdir(path):
        raise typer.BadParameter(
            f"{path} is a directory: show takes one blueprint", param_hint="PATH"
        )
    inspection = inspect_paths([path], stdin_filename)
    _report_inspection_problems(inspection)
    for loaded in inspection.files:
        report = build_report(loaded.name, loaded.blueprint, loaded.findings)
        if output_format == "json":
            import json

            sys.stdout.write(json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n")
        elif output_format == "text" or not _is_terminal(sys.stdout, color):
            sys.stdout.write(plain_text(report))
        else:
            from blueprint_cli.views.terminal import console, print_show

            print_show(report, console(sys.stdout, use_color(color, sys.stdout)))
    raise typer.Exit(inspection.exit_code)


def _is_terminal(stream: TextIO, color: str) -> bool:
    isatty = getattr(stream, "isatty", None)
    return color == "always" or bool(isatty and isatty())


@app.command(epilog=EXIT_CODES.replace("problems found", "a blueprint with errors, left out"))
def failpoints(
    paths: Annotated[
        list[str], typer.Argument(help="Blueprints: files, directories or - for stdin.")
    ],
    min_risk: Annotated[
        int | None, typer.Option(help="Only fail points with at least this risk (RPN).")
    ] = None,
    phase: Annotated[
        list[str] | None, typer.Option(help="Only fail points in steps of this phase id.")
    ] = None,
    missing: Annotated[
        str | None, typer.Option(help="Only fail points missing this: prevention or recovery.")
    ] = None,
    sort: Annotated[str, typer.Option(help="risk (highest first), severity, or step.")] = "risk",
    limit: Annotated[int | None, typer.Option(help="At most this many rows.", min=1)] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (rich on a terminal, tab-separated text when piped), text, json, "
            "csv or markdown.",
        ),
    ] = "table",
    color: Annotated[str, typer.Option(help="Colour: auto, always or never.")] = "auto",
    stdin_filename: Annotated[
        str, typer.Option(help="The name to report for a blueprint read from stdin.")
    ] = "<stdin>",
) -> None:
    """The fail-point register of one blueprint or a folder of them, highest risk first:
    step, lane, actor, scores, risk, and whether prevention and recovery are planned."""
    from blueprint_cli.analysis import SORTS, register, sort_register
    from blueprint_cli.pipeline.inspect import inspect_paths, stderr_is_terminal
    from blueprint_cli.views import register as registerfmt

    _choice(output_format, ["table", "text", "json", "csv", "markdown"], "--format")
    _choice(sort, list(SORTS), "--sort")
    _choice(color, ["auto", "always", "never"], "--color")
    if missing is not None:
        _choice(missing, ["prevention", "recovery"], "--missing")

    stop = None
    progress = None
    if stderr_is_terminal():
        from blueprint_cli.views.terminal import progress_bar

        progress, stop = progress_bar("reading blueprints", threshold=20)
    try:
        inspection = inspect_paths(paths, stdin_filename, progress)
    finally:
        if stop is not None:
            stop()
    _report_inspection_problems(inspection)
    rows = [row for loaded in inspection.files for row in register(loaded.blueprint, loaded.name)]
    if min_risk is not None:
        rows = [r for r in rows if r.risk is not None and r.risk >= min_risk]
    if phase:
        wanted = set(_codes(phase) or [])
        rows = [r for r in rows if r.step.phase in wanted]
    if missing is not None:
        rows = [r for r in rows if not getattr(r.fail_point, missing)]
    rows = sort_register(rows, sort)[:limit]
    if output_format == "json":
        sys.stdout.write(registerfmt.to_json(rows))
    elif output_format == "csv":
        sys.stdout.write(registerfmt.to_csv(rows))
    elif output_format == "markdown":
        sys.stdout.write(registerfmt.to_markdown(rows))
    elif output_format == "text" or not _is_terminal(sys.stdout, color):
        sys.stdout.write(registerfmt.to_text(rows))
    else:
        from blueprint_cli.views.terminal import console, print_register

        many = len({r.blueprint for r in rows}) > 1
        print_register(rows, console(sys.stdout, use_color(color, sys.stdout)), many)
    raise typer.Exit(inspection.exit_code)


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
    from blueprint_cli.rules import lookup
    from blueprint_cli.views import rules as rulesdoc

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
    from blueprint_cli.model.schema import schema_text

    sys.stdout.write(schema_text())
