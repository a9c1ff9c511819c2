"""The command line: options -> one options object -> one pipeline call -> an exit code.

Imports of the core happen inside the commands, so that ``blueprint --version`` and
``--help`` start fast. Every enumerated option is a choice typer checks and ``--help``
lists; tests keep each choice list equal to the table it names (reporters, writers,
themes, formats).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
import typer.core

if TYPE_CHECKING:
    from blueprint_cli.findings import Finding, Outcome
    from blueprint_cli.pipeline.run import Progress, RunOptions


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"
    gitlab = "gitlab"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


class PictureFormat(StrEnum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


class Paper(StrEnum):
    a4 = "a4"
    a3 = "a3"
    letter = "letter"
    tabloid = "tabloid"


class Theme(StrEnum):
    default = "default"
    print = "print"


class ShowFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"


class RegisterFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class AuditFormat(StrEnum):
    auto = "auto"
    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    html = "html"


class Missing(StrEnum):
    prevention = "prevention"
    recovery = "recovery"


class Sort(StrEnum):
    risk = "risk"
    severity = "severity"
    step = "step"


class RulesFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class _Command(typer.core.TyperCommand):
    """A command whose help reads as click's conventions say, whatever typer's version:
    choices as ``[a|b]``, metavars as written (``PATH...``, ``FILE``), no ``<str>``."""

    def format_help(self, ctx: Any, formatter: Any) -> None:  # click's, or typer's own copy
        for param in self.params:
            if param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
                param.display_type_rich = lambda ctx: ""  # typer 0.29: no "<list[str]>"
        self._rewritten(super().format_help, ctx, formatter)

    def format_usage(self, ctx: Any, formatter: Any) -> None:  # also in usage errors
        self._rewritten(super().format_usage, ctx, formatter)

    @staticmethod
    def _rewritten(write: Callable[[Any, Any], None], ctx: Any, formatter: Any) -> None:
        inner = formatter.__class__(
            indent_increment=formatter.indent_increment,
            width=formatter.width,
            max_width=formatter.width,
        )
        write(ctx, inner)
        formatter.write(_conventional(inner.getvalue()))


def _conventional(text: str) -> str:
    import re

    text = re.sub(r"\{([A-Z][A-Z.]*)\}", r"\1", text)  # usage: {PATH...} -> PATH...
    text = re.sub(r"\[\[([A-Z]+)\]\]", r"[\1]", text)  # [[CODE]] -> [CODE]
    return re.sub(r"<([\w-]+(?:\|[\w-]+)+)>", r"[\1]", text)  # <a|b> -> [a|b]


def _exit_codes(one: str, unusable: str = "a path or configuration") -> str:
    return (
        f"Exit codes: 0 success; 1 {one}; 2 usage error, or {unusable} "
        "that cannot be used; 3 an internal error (a bug: please report it)."
    )


app = typer.Typer(
    name="blueprint",
    help=(
        "Service blueprints as YAML: lint them, render them, inspect them.\n\n"
        "\b\nExamples:\n"
        "  blueprint init --template clinic clinic.yaml\n"
        "  blueprint lint examples/\n"
        "  blueprint lint --format json hotel.yaml\n"
        "  blueprint lint --select BP1 --fail-on warning blueprints/\n"
        "  blueprint rules BP104\n"
        "  blueprint render hotel.yaml -o hotel.png\n"
        "  blueprint report hotel.yaml -o hotel.html\n"
        "  blueprint watch hotel.yaml\n"
        "  blueprint show hotel.yaml\n"
        "  blueprint failpoints blueprints/ --min-risk 100 --format csv\n"
        "  blueprint audit report hotel.yaml visits/\n"
        "  blueprint diff hotel-v1.yaml hotel-v2.yaml\n"
        "  blueprint diff --git origin/main hotel.yaml --fail-on risk-up -f markdown\n"
        "  blueprint fmt --check blueprints/\n"
        "  blueprint import workshop.xlsx -o service.yaml\n"
        "  blueprint export hotel.yaml --to drawio\n"
        "  cat hotel.yaml | blueprint lint - --stdin-filename hotel.yaml\n"
        "  blueprint schema > blueprint.schema.json"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,  # an internal error is one line and exit 3 (__main__)
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        from blueprint_cli.about import version_text

        typer.echo(version_text(), nl=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version, and those of Python and Graphviz.",
        ),
    ] = False,
) -> None:
    """Service blueprints as YAML: lint them, render them, inspect them."""


def use_color(choice: Color, stream: TextIO) -> bool:
    from blueprint_cli.pipeline.lint import use_color as chosen

    return chosen(choice.value, stream)


def _codes(values: list[str] | None) -> list[str] | None:
    """``--select A,B --select C`` -> [A, B, C]; None when not given."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _run_options(
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    fail_on: FailOn | None = None,
    config: str | None = None,
    stdin_filename: str = "<stdin>",
    force_exclude: bool = False,
    progress: Progress | None = None,
    external_links: bool = False,
    only_blueprints: bool = False,
) -> RunOptions:
    """The options every command over files shares, checked: unknown rules and a missing
    --config are usage errors (exit 2)."""
    from blueprint_cli.config import Overrides
    from blueprint_cli.findings import Severity
    from blueprint_cli.pipeline.run import RunOptions
    from blueprint_cli.rules import expand, unknown_rule

    for option, values in (("--select", _codes(select)), ("--ignore", _codes(ignore))):
        unknown = expand(values or [])[1]
        if unknown:
            raise typer.BadParameter(unknown_rule(unknown[0]), param_hint=option)
    if config is not None and not os.path.isfile(config):
        raise typer.BadParameter(f"{config}: no such file", param_hint="--config")
    severity = Severity.parse(fail_on.value) if fail_on is not None else None
    overrides = Overrides(_codes(select), _codes(ignore), severity, config)
    return RunOptions(
        overrides, stdin_filename, force_exclude, external_links, only_blueprints, progress
    )


PathsArg = Annotated[
    list[str],
    typer.Argument(
        metavar="PATH",
        help="Files, directories (searched for *.yaml, *.yml with a top-level "
        "'blueprint:' key) or - for stdin.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(metavar="FILE", help="Use this configuration file instead of searching for one."),
]
ForceExcludeOpt = Annotated[
    bool,
    typer.Option(
        "--force-exclude",
        help="Apply the configuration's exclude to files named on the command line too "
        "(for pre-commit, which names every file).",
    ),
]
OnlyBlueprintsOpt = Annotated[
    bool,
    typer.Option(
        "--only-blueprints",
        help="Skip files named on the command line that are not blueprints (no top-level "
        "'blueprint:' key), as directories are searched (for pre-commit, which names "
        "every changed YAML file).",
    ),
]
ExternalLinksOpt = Annotated[
    bool,
    typer.Option(
        "--follow-external-links",
        help="Read files reached through symbolic links that lead outside the tree "
        "(not read by default: a link can point at a secret).",
    ),
]
RowsOpt = Annotated[
    list[str] | None,
    typer.Option(
        metavar="ROWS",
        help="Optional rows in the grid, a comma list or repeated: emotion (a curve above "
        "the evidence lane), metrics, regulations (tags below the support lane).",
        show_default=False,
    ),
]
ColorOpt = Annotated[Color, typer.Option(help="Colour: auto is on for a terminal.")]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse a blueprint with errors. Without it, what validates is drawn or "
        "shown as a draft (exit 1).",
    ),
]
StdinNameOpt = Annotated[
    str,
    typer.Option(metavar="NAME", help="The name to report for a blueprint read from stdin."),
]


@app.command(
    cls=_Command,
    epilog=_exit_codes(
        "problems found at or above --fail-on (not in the --baseline)",
        "a path, configuration or baseline",
    ),
)
def lint(
    paths: PathsArg,
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The report's format. Default: text, or github when GITHUB_ACTIONS=true.",
            show_default=False,
        ),
    ] = None,
    output_file: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Write the report in --format to this file; the terminal still gets text.",
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
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Say which configuration file applies, and which baseline entries no "
            "longer match.",
        ),
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            metavar="CODES",
            help="Rules to run: codes, prefixes (BP1), names or ALL. Comma-separated.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(metavar="CODES", help="Rules not to run (the same forms as --select)."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="The lowest severity that fails the run. Default: error.",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help="Report and fail on only the findings this baseline does not hold "
            "(matched by file, rule and the step, action or fail point, not by line).",
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record every finding to this baseline file, report nothing, and exit 0.",
        ),
    ] = None,
    config: ConfigOpt = None,
    force_exclude: ForceExcludeOpt = False,
    only_blueprints: OnlyBlueprintsOpt = False,
    follow_external_links: ExternalLinksOpt = False,
    color: ColorOpt = Color.auto,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Check blueprints: the YAML, the format, and the service design.

    One line per problem, file:line:col: severity CODE message, then a summary. Settings
    come from [tool.blueprint] in pyproject.toml, or blueprint.toml, found by walking up
    from each file; these options override them.
    """
    from blueprint_cli.pipeline.lint import LintRequest, run_lint

    if baseline is not None and write_baseline is not None:
        raise typer.BadParameter(
            "use --baseline FILE or --write-baseline FILE, not both", param_hint="--baseline"
        )
    request = LintRequest(
        paths,
        _run_options(
            select,
            ignore,
            fail_on,
            config,
            stdin_filename,
            force_exclude,
            external_links=follow_external_links,
            only_blueprints=only_blueprints,
        ),
        output_format.value if output_format is not None else None,
        output_file,
        exit_zero,
        quiet,
        statistics,
        color.value,
        verbose,
        baseline,
        write_baseline,
    )
    raise typer.Exit(run_lint(request))


def _echo_problems(
    outcome: Outcome,
    blocking: list[Finding] | None = None,
    verdict: str = "",
    draft_verdict: str = "shown",
) -> None:
    """Warnings, then the errors that kept files out (one line each, then one line per
    file), then the errors that stopped paths or the run."""
    for warning in outcome.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    if blocking:
        from blueprint_cli.reporters.text import line

        for f in blocking:
            typer.echo(line(f), err=True)
        drafts = set(outcome.drafts)
        for name in sorted({f.file for f in blocking}):
            if name in drafts:
                count = sum(1 for f in blocking if f.file == name)
                errors = f"{count} error{'s' if count != 1 else ''}"
                typer.echo(
                    f"blueprint: {name}: {draft_verdict} as a draft with {errors} "
                    "(what validates): fix the errors above, or --strict to refuse",
                    err=True,
                )
            else:
                typer.echo(f"blueprint: {name}: {verdict}: fix the errors above", err=True)
    for error in outcome.errors:
        typer.echo(f"blueprint: error: {error}", err=True)


@app.command(
    cls=_Command,
    epilog=_exit_codes("a blueprint with errors (drawn as a draft), or a stale picture"),
)
def render(
    paths: PathsArg,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="Output file, directory (for several blueprints), or - for stdout. "
            "Default: beside each blueprint.",
        ),
    ] = None,
    output_format: Annotated[
        PictureFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The picture's format. Default: from -o's suffix, else svg.",
            show_default=False,
        ),
    ] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Draw only the steps of this phase (repeatable)."),
    ] = None,
    segment: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID", help="Draw only the steps for this customer segment (repeatable)."
        ),
    ] = None,
    theme: Annotated[Theme, typer.Option(help="Colours; print is greyscale.")] = Theme.default,
    legend: Annotated[
        bool, typer.Option("--legend/--no-legend", help="The legend and fail-point/wait table.")
    ] = True,
    paper: Annotated[
        Paper | None,
        typer.Option(
            help="PDF only: landscape pages of this paper, the diagram scaled to its height "
            "and cut between step columns. Default: pages as wide as the diagram, up to 200 "
            "inches.",
            show_default=False,
        ),
    ] = None,
    wrap: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            help="Rows of N steps, stacked: a long service as a picture that fits a screen "
            "(each row with its lane names and headers, flows between rows as stubs).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Write nothing; exit 1 if a committed SVG or DOT is missing or out of "
            "date with its YAML.",
        ),
    ] = False,
    rows: RowsOpt = None,
    visits: Annotated[
        list[str] | None,
        typer.Option(
            "--visits",
            metavar="PATH",
            help="Observation files of audit visits, or directories searched for them "
            "(repeatable; with it, the paths after the blueprint are visits too): what "
            "they observed is drawn over the one blueprint (compliance per step, observed "
            "waits, fail points that occurred, what the blueprint lacks).",
            show_default=False,
        ),
    ] = None,
    diff: Annotated[
        str | None,
        typer.Option(
            "--diff",
            metavar="OLD",
            help="An older version of the blueprint: what changed since is drawn over it "
            "(added green, changed amber, removed faded where it was).",
            show_default=False,
        ),
    ] = None,
    strict: StrictOpt = False,
    config: ConfigOpt = None,
    force_exclude: ForceExcludeOpt = False,
    only_blueprints: OnlyBlueprintsOpt = False,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Draw blueprints as service-blueprint diagrams (SVG, PNG, PDF or Graphviz DOT).

    blueprint render hotel.yaml writes hotel.svg beside it; -o hotel.png picks PNG. A
    blueprint with errors is drawn as a draft: what validates, titled "Draft — N errors",
    with the errors listed under it (exit 1); --strict refuses it. blueprint render
    hotel.yaml --visits audits/hotel/ draws what the audit visits observed over it.
    """
    from blueprint_cli.pipeline.filters import Filters
    from blueprint_cli.pipeline.render import RenderOptions, render_paths

    options = RenderOptions(
        output=output,
        fmt=output_format.value if output_format is not None else None,
        filters=Filters(tuple(_codes(phase) or ()), tuple(_codes(segment) or ())),
        theme=theme.value,
        legend=legend,
        paper=paper.value if paper is not None else None,
        wrap=wrap,
        check=check,
        strict=strict,
        rows=tuple(rows or ()),
        run=_run_options(
            config=config,
            stdin_filename=stdin_filename,
            force_exclude=force_exclude,
            external_links=follow_external_links,
            only_blueprints=only_blueprints,
        ),
        # the paths after the blueprint are visits too: --visits visits/*.yaml
        visits=(*(visits or ()), *paths[1:]) if visits else (),
        diff=diff,
    )
    result = render_paths(paths[:1] if visits else paths, options)
    # the options that shape the picture, repeated in the command that redraws it
    drawn_as = "".join(
        [
            *(f" --phase {p}" for p in options.filters.phases),
            *(f" --segment {g}" for g in options.filters.segments),
            f" --theme {theme.value}" if theme is not Theme.default else "",
            "" if legend else " --no-legend",
            f" --wrap {wrap}" if wrap is not None else "",
            *(f" --rows {r}" for r in rows or ()),
            *(f" --visits {v}" for v in options.visits),
            f" --diff {diff}" if diff is not None else "",
        ]
    )
    for source, target, why in result.stale:
        again = f"blueprint render {source}{f' -o {target}' if output else ''}{drawn_as}"
        if why == "missing":
            typer.echo(f"{target}: missing: {source} was never drawn (run: {again})", err=True)
        elif why == "out of date":
            typer.echo(f"{target}: out of date with {source} (run: {again})", err=True)
        else:
            typer.echo(f"{target}: {why}, not as blueprint drew it (run: {again})", err=True)
    _echo_problems(result, result.findings, "not drawn", "drawn")
    for message in result.too_big:
        typer.echo(f"blueprint: {message}", err=True)
    for source, target in result.written:
        if target != "-":
            typer.echo(f"{source} -> {target}", err=True)
    raise typer.Exit(result.exit_code)


@app.command(
    cls=_Command,
    epilog=_exit_codes(
        "a blueprint with errors (reported as a draft)", "a path, configuration or output"
    ),
)
def report(
    paths: PathsArg,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="The page (hotel.html), a directory (one page per blueprint and an "
            "index.html comparing them), or - for stdout. Default: beside each blueprint.",
        ),
    ] = None,
    paper: Annotated[
        Paper,
        typer.Option(help="The printed page, landscape; the diagram is fitted to its width."),
    ] = Paper.a4,
    rows: RowsOpt = None,
    visits: Annotated[
        list[str] | None,
        typer.Option(
            "--visits",
            metavar="PATH",
            help="Observation files or folders of audit visits: add the audit of each "
            "blueprint's visits as a section (as blueprint audit report; repeatable).",
            show_default=False,
        ),
    ] = None,
    strict: StrictOpt = False,
    config: ConfigOpt = None,
    force_exclude: ForceExcludeOpt = False,
    only_blueprints: OnlyBlueprintsOpt = False,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Write a self-contained HTML report of each blueprint: summary, diagram, fail-point
    register, waits, evidence, standards, actors and lint findings.

    One page that makes no request of any kind (works offline, prints on A4 or A3), the
    same bytes for the same file. Badges in the diagram link to their rows. A blueprint
    with errors is reported as a draft, its errors listed (exit 1); --strict refuses it.
    """
    from blueprint_cli.pipeline.report import ReportOptions, report_paths

    options = ReportOptions(
        output=output,
        paper=paper.value,
        strict=strict,
        rows=tuple(rows or ()),
        visits=tuple(visits or ()),
        run=_run_options(
            config=config,
            stdin_filename=stdin_filename,
            force_exclude=force_exclude,
            external_links=follow_external_links,
            only_blueprints=only_blueprints,
        ),
    )
    result = report_paths(paths, options)
    _echo_problems(result, result.findings, "not reported", "reported")
    for source, target in result.written:
        if target != "-":
            typer.echo(f"{source} -> {target}", err=True)
    if result.index is not None:
        typer.echo(f"index -> {result.index}", err=True)
    raise typer.Exit(result.exit_code)


@app.command(
    cls=_Command,
    epilog="Exit codes: 0 stopped (Ctrl-C); 2 the file, or the port, cannot be used; "
    "3 an internal error (a bug: please report it).",
)
def watch(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="The blueprint file.", show_default=False)
    ],
    port: Annotated[
        int,
        typer.Option(
            metavar="N",
            min=0,
            max=65535,
            show_default=False,
            help="The port on 127.0.0.1. Default: one that is free.",
        ),
    ] = 0,
    open_browser: Annotated[
        bool,
        typer.Option(
            "--open/--no-open",
            help="Open the page in a browser (never under CI, nor without a display).",
        ),
    ] = True,
    config: ConfigOpt = None,
) -> None:
    """Redraw a blueprint on a local page each time it is saved.

    Serves the picture, its errors and findings on http://127.0.0.1:PORT/ (this machine
    only), and updates the page in place on every save; a file with errors keeps the
    last good picture, the errors listed above it. Ctrl-C stops.
    """
    from blueprint_cli.pipeline.render import RenderOptions
    from blueprint_cli.pipeline.watch import WatchOptions, run_watch

    render = RenderOptions(run=_run_options(config=config))
    raise typer.Exit(run_watch(WatchOptions(path, port, open_browser, render)))


@app.command(cls=_Command, epilog=_exit_codes("the blueprint has errors (shown as a draft)"))
def show(
    path: Annotated[str, typer.Argument(metavar="PATH", help="A blueprint file, or - for stdin.")],
    output_format: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            "-f",
            help="auto is the table on a terminal and plain text when piped.",
        ),
    ] = ShowFormat.auto,
    segment: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID",
            help="Only the steps for this customer segment, its waits held to its "
            "standards (repeatable).",
        ),
    ] = None,
    color: ColorOpt = Color.auto,
    strict: StrictOpt = False,
    config: ConfigOpt = None,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """What the service is and where it is weak: journey, evidence, fail points, waits,
    time, segments, emotion, metrics, regulations, and the lint summary, on one screen."""
    from blueprint_cli.pipeline.filters import Filters
    from blueprint_cli.pipeline.inspect import inspect_paths
    from blueprint_cli.views import choose
    from blueprint_cli.views.show import WRITERS, build_report

    if os.path.isdir(path):
        raise typer.BadParameter(
            f"{path} is a directory: show takes one blueprint", param_hint="PATH"
        )
    options = _run_options(
        config=config, stdin_filename=stdin_filename, external_links=follow_external_links
    )
    filters = Filters(segments=tuple(_codes(segment) or ()))
    inspection = inspect_paths([path], options, filters, strict=strict)
    _echo_problems(inspection, inspection.broken, "left out")
    write = WRITERS[choose(output_format.value, sys.stdout, color.value)]
    for inspected in inspection.files:
        report = build_report(
            inspected.name, inspected.blueprint, inspected.findings, filters.segments
        )
        write(report, sys.stdout, color=use_color(color, sys.stdout))
    raise typer.Exit(inspection.exit_code)


@app.command(cls=_Command, epilog=_exit_codes("a blueprint has errors (shown as a draft)"))
def failpoints(
    paths: PathsArg,
    min_risk: Annotated[
        int | None,
        typer.Option(metavar="N", min=0, help="Only fail points with at least this risk (RPN)."),
    ] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Only fail points in steps of this phase (repeatable)."),
    ] = None,
    segment: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="Only fail points in steps for this segment (repeatable)."),
    ] = None,
    missing: Annotated[
        Missing | None,
        typer.Option(help="Only fail points that miss this.", show_default=False),
    ] = None,
    sort: Annotated[
        Sort, typer.Option(help="risk and severity: highest first; step: journey order.")
    ] = Sort.risk,
    limit: Annotated[
        int | None, typer.Option(metavar="N", min=1, help="At most this many rows.")
    ] = None,
    output_format: Annotated[
        RegisterFormat,
        typer.Option(
            "--format",
            "-f",
            help="auto is the table on a terminal and tab-separated text when piped.",
        ),
    ] = RegisterFormat.auto,
    color: ColorOpt = Color.auto,
    strict: StrictOpt = False,
    config: ConfigOpt = None,
    force_exclude: ForceExcludeOpt = False,
    only_blueprints: OnlyBlueprintsOpt = False,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """The fail-point register of one blueprint or a folder of them, highest risk first:
    step, lane, action, actor, scores, risk, prevention and recovery, and the file and
    line. Labels are the diagram's F1, F2 ...; with several files, after the file's name
    (hotel#F5)."""
    from blueprint_cli.analysis import FailPointRow, label_rows, placed, register, sort_register
    from blueprint_cli.pipeline.filters import Filters
    from blueprint_cli.pipeline.inspect import inspect_paths
    from blueprint_cli.pipeline.lint import progress
    from blueprint_cli.views import choose
    from blueprint_cli.views.register import WRITERS

    filters = Filters(
        tuple(_codes(phase) or ()),
        tuple(_codes(segment) or ()),
        min_risk,
        missing.value if missing is not None else None,
    )
    options = _run_options(
        config=config,
        stdin_filename=stdin_filename,
        force_exclude=force_exclude,
        external_links=follow_external_links,
        only_blueprints=only_blueprints,
    )
    options.progress = progress("reading blueprints", 20)
    inspection = inspect_paths(paths, options, filters, strict=strict)
    _echo_problems(inspection, inspection.broken, "left out")
    if inspection.errors and not inspection.files:
        raise typer.Exit(inspection.exit_code)
    drafts = set(inspection.drafts)
    rows: list[FailPointRow] = [
        r
        for f in inspection.files
        for r in placed(f.blueprint, register(f.blueprint, f.name, f.name in drafts, f.positions))
        if filters.row(r)
    ]
    rows = label_rows(rows, [f.name for f in inspection.files])
    rows = sort_register(rows, sort.value)[:limit]
    write = WRITERS[choose(output_format.value, sys.stdout, color.value)]
    write(rows, sys.stdout, color=use_color(color, sys.stdout))
    raise typer.Exit(inspection.exit_code)


@app.command(cls=_Command, epilog="Exit codes: 0 success; 2 an unknown rule; 3 an internal error.")
def rules(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="A rule code or name: print its documentation."),
    ] = None,
    output_format: Annotated[
        RulesFormat,
        typer.Option("--format", "-f", help="markdown is docs/rules.md; json is for tools."),
    ] = RulesFormat.text,
) -> None:
    """List every rule, or print one rule's documentation."""
    from blueprint_cli.rules import RULES, lookup, replaced_by, unknown_rule
    from blueprint_cli.views import rules as docs

    chosen = list(RULES.values())
    if code is not None:
        rule = lookup(code)
        if rule is None:
            raise typer.BadParameter(unknown_rule(code), param_hint="CODE")
        if replaced_by(code) is rule:
            sys.stderr.write(
                f"blueprint: {code.strip()} is now part of {rule.code} ({rule.name})\n"
            )
        chosen = [rule]
    writers: dict[RulesFormat, Callable[[], str]] = {
        RulesFormat.json: lambda: docs.to_json(chosen),
        RulesFormat.markdown: lambda: docs.rule_markdown(chosen[0]) if code else docs.markdown(),
        RulesFormat.text: lambda: docs.page(chosen[0]) if code else docs.table(),
    }
    sys.stdout.write(writers[output_format]())


@app.command(cls=_Command)
def schema(
    catalog: Annotated[
        bool,
        typer.Option(
            "--catalog",
            help="Print the schema's entry for SchemaStore's catalog (name, file patterns, "
            "URL) instead.",
        ),
    ] = False,
    observation: Annotated[
        bool,
        typer.Option(
            "--observation",
            help="Print the schema of an audit visit's observation file (observation: 1).",
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of the blueprint format (for editors and other validators)."""
    from blueprint_cli.model.schema import catalog_text, observation_schema_text, schema_text

    if catalog and observation:
        raise typer.BadParameter("--catalog is the blueprint schema's", param_hint="--catalog")
    if observation:
        sys.stdout.write(observation_schema_text())
        return
    sys.stdout.write(catalog_text() if catalog else schema_text())


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def _gates(value: str | None) -> tuple[str, ...]:
    """--fail-on risk-up,evidence-removed -> the gates, each a key of analysis.diff.GATES."""
    import difflib

    from blueprint_cli.analysis.diff import GATES

    chosen = tuple(part.strip() for part in (value or "").split(",") if part.strip())
    for gate in chosen:
        if gate not in GATES:
            close = difflib.get_close_matches(gate, list(GATES), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise typer.BadParameter(
                f"unknown gate {gate!r}{hint}; the gates: {', '.join(GATES)}",
                param_hint="--fail-on",
            )
    return chosen


@app.command(
    cls=_Command,
    epilog="Exit codes: 0 success; 1 a --fail-on gate was hit; 2 usage error, a path, a "
    "revision or a configuration that cannot be used, or a version with no usable model; "
    "3 an internal error (a bug: please report it).",
)
def diff(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE",
            help="OLD NEW; with --git, the one FILE; with --git-external, git's 7 arguments.",
            show_default=False,
        ),
    ] = None,
    git: Annotated[
        str | None,
        typer.Option(
            "--git",
            metavar="REV",
            help="Compare FILE at REV with FILE as it is, or at REV1 with at REV2 (REV1..REV2).",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="markdown is for a pull request comment."),
    ] = DiffFormat.text,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the diff to this file."),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="LIST",
            help="Exit 1 when a change of these kinds is found, a comma list of: "
            "risk-up, evidence-removed, fail-point-removed, mitigation-removed, "
            "standard-loosened, step-removed, new-errors, new-findings.",
            show_default=False,
        ),
    ] = None,
    textconv: Annotated[
        bool,
        typer.Option(
            "--textconv",
            help="Print FILE as an outline, one line a node keyed by id (git's textconv).",
        ),
    ] = False,
    git_external: Annotated[
        bool,
        typer.Option(
            "--git-external",
            help="Be git's external diff command (diff.<driver>.command): take its 7 arguments.",
        ),
    ] = False,
    config: ConfigOpt = None,
    color: ColorOpt = Color.auto,
) -> None:
    """What changed in the service between two versions of a blueprint, keyed by id, in
    service terms: steps moved, evidence added, actions crossing the line of visibility,
    standards tightened, fail points' risk, the lint findings and the totals. Each
    version is checked; its errors are shown, and what validates is still compared."""
    from blueprint_cli.pipeline.diff import DiffRequest, run_diff, run_textconv

    names = files or []
    gates = _gates(fail_on)
    options = _run_options(config=config)
    request = DiffRequest(
        None, None, options, None, None, output_format.value, output, gates, color.value
    )
    if textconv:
        if len(names) != 1 or git is not None or git_external:
            raise typer.BadParameter("--textconv takes one FILE", param_hint="FILE")
        raise typer.Exit(run_textconv(names[0], options))
    for name in names[:2] if not git_external else ():
        if os.path.isdir(name):
            raise typer.BadParameter(
                f"{name} is a directory: diff takes blueprint files", param_hint="FILE"
            )
    if git_external:
        if len(names) != 7:
            raise typer.BadParameter(
                "--git-external takes git's 7 arguments: path old-file old-hex old-mode "
                "new-file new-hex new-mode",
                param_hint="FILE",
            )
        request.old, request.new = names[1], names[4]
        request.heading, request.external = f"diff {names[0]}", (names[0], names[2])
    elif git is not None:
        if len(names) != 1:
            raise typer.BadParameter("--git REV takes one FILE", param_hint="FILE")
        request.git, request.file = git, names[0]
    else:
        if len(names) != 2:
            raise typer.BadParameter("give OLD and NEW (or --git REV FILE)", param_hint="FILE")
        request.old, request.new = names
    raise typer.Exit(run_diff(request))


audit_app = typer.Typer(
    name="audit",
    help=(
        "Audit a real service against its blueprint: the checklist for a visit, the "
        "check of the visits' observation files, the figures over many visits.\n\n"
        "\b\nExamples:\n"
        "  blueprint audit template examples/hotel.yaml -o checklist.md\n"
        "  blueprint audit template examples/hotel.yaml -f yaml -o visits/v08.yaml\n"
        "  blueprint audit check examples/audits/hotel/\n"
        "  blueprint audit report examples/hotel.yaml examples/audits/hotel/\n"
        "  blueprint audit report hotel.yaml visits/ --fail-under 90 -f json -o audit.json"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
app.add_typer(audit_app)


@audit_app.command(
    "check",
    cls=_Command,
    epilog=_exit_codes(
        "problems found at or above --fail-on (an error by default)", "a path or configuration"
    ),
)
def audit_check(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="VISIT",
            help="Observation files, or directories searched for them ('observation: 1').",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        LintFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The report's format, as lint's. Default: text, or github when "
            "GITHUB_ACTIONS=true.",
            show_default=False,
        ),
    ] = None,
    output_file: Annotated[
        str | None,
        typer.Option(metavar="FILE", help="Write the report in --format to this file."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when problems are found.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print the problems only, no summary.")
    ] = False,
    select: Annotated[
        list[str] | None,
        typer.Option(metavar="CODES", help="Rules to run: codes, prefixes (BP2), names or ALL."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(metavar="CODES", help="Rules not to run (the same forms as --select)."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="The lowest severity that fails the run.", show_default=False
        ),
    ] = None,
    config: ConfigOpt = None,
    follow_external_links: ExternalLinksOpt = False,
    color: ColorOpt = Color.auto,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Check observation files of audit visits: the format, and every id against the
    blueprint each names (a CI gate: one line per problem, file:line:col)."""
    from blueprint_cli.pipeline.lint import LintRequest, run_lint

    options = _run_options(
        select, ignore, fail_on, config, stdin_filename, external_links=follow_external_links
    )
    options.kind = "observation"
    request = LintRequest(
        paths,
        options,
        output_format.value if output_format is not None else None,
        output_file,
        exit_zero,
        quiet,
        False,
        color.value,
    )
    raise typer.Exit(run_lint(request))


@audit_app.command(
    "report",
    cls=_Command,
    epilog="Exit codes: 0 success; 1 the compliance is below --fail-under, or a critical "
    "check failed on a visit; 2 usage error, a path or configuration that cannot be used, "
    "a blueprint unknown or with errors, or no visit to count; 3 an internal error (a bug: "
    "please report it).",
)
def audit_report(
    blueprint: Annotated[
        str,
        typer.Argument(metavar="BLUEPRINT", help="The blueprint the visits observed."),
    ],
    visits: Annotated[
        list[str],
        typer.Argument(
            metavar="VISITS",
            help="Observation files, or directories searched for them ('observation: 1'); "
            "visits of other blueprints, and visits with errors, are left out and said so.",
        ),
    ],
    output_format: Annotated[
        AuditFormat,
        typer.Option(
            "--format",
            "-f",
            help="auto is the table on a terminal and plain text when piped (with -o: the "
            "format the file's suffix names, .json .csv .md .html, else text).",
        ),
    ] = AuditFormat.auto,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file."),
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            metavar="PERCENT",
            min=0,
            max=100,
            help="Exit 1 when the overall compliance is below this (a CI gate).",
            show_default=False,
        ),
    ] = None,
    trend: Annotated[
        str,
        typer.Option(metavar="month|day|N", help="The trend per month, per day, or per N visits."),
    ] = "month",
    config: ConfigOpt = None,
    follow_external_links: ExternalLinksOpt = False,
    color: ColorOpt = Color.auto,
) -> None:
    """The figures of audit visits against their blueprint: compliance (overall, by kind
    of check, phase, step, actor, segment and channel, per visit), waits against their
    standards, fail points' observed occurrence, detection and recovery, unplanned fail
    points, the trend, and the checks missed again and again.

    Checks are scored 1, 0.5 (partial) or 0; what was not observed is in no denominator.
    Weights, critical checks and the occurrence scale come from [tool.blueprint.audit].
    """
    from blueprint_cli.pipeline.audit_report import AuditRequest, run_audit_report
    from blueprint_cli.views.audit import trend_period

    try:
        trend_period(trend)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--trend") from None
    if os.path.isdir(blueprint):
        raise typer.BadParameter(
            f"{blueprint} is a directory: audit report takes one blueprint", param_hint="BLUEPRINT"
        )
    request = AuditRequest(
        blueprint,
        visits,
        _run_options(config=config, external_links=follow_external_links),
        output_format.value,
        output,
        fail_under,
        trend,
        color.value,
    )
    raise typer.Exit(run_audit_report(request))


class TemplateFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    csv = "csv"
    yaml = "yaml"


@audit_app.command(
    "template",
    cls=_Command,
    epilog=_exit_codes("the blueprint has errors (no checklist written)", "a path or output"),
)
def audit_template(
    path: Annotated[
        str, typer.Argument(metavar="BLUEPRINT", help="A blueprint file, or - for stdin.")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The checklist's file, or - for stdout (the default).",
        ),
    ] = None,
    output_format: Annotated[
        TemplateFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="markdown to print (checkboxes), html (one page, print-friendly), csv (one "
            "row per check), yaml (an observation skeleton, every answer n/a). Default: "
            "from -o's suffix, else markdown.",
            show_default=False,
        ),
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="The customer segment the auditor is served as: its steps only, its waits "
            "held to its standards. Default: every step, each wait to the strictest "
            "standard.",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="The visit's date. Default: left to fill in (the yaml skeleton: today).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOpt = None,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """The checklist an auditor takes on site, in journey order (pre-visit, visit,
    post-visit): the evidence to look for, the actions to time against their standards
    and waits against their maximum, the scripts to listen for, the fail points to
    watch and the recovery staff should perform.

    --format yaml writes the visit's observation file to fill in: every answer n/a,
    the standard beside each as a comment; blueprint audit check accepts it as written.
    A blueprint with errors is refused, its errors listed (exit 1).
    """
    import datetime

    from blueprint_cli.pipeline.audit_template import TemplateOptions, template_path

    day = None
    if date is not None:
        try:
            day = datetime.date.fromisoformat(date.strip())
        except ValueError:
            raise typer.BadParameter(
                f"{date!r} is not a date written YYYY-MM-DD", param_hint="--date"
            ) from None
    options = TemplateOptions(
        path,
        output,
        output_format.value if output_format is not None else None,
        segment,
        day,
        _run_options(
            config=config, stdin_filename=stdin_filename, external_links=follow_external_links
        ),
    )
    result = template_path(options)
    _echo_problems(result, result.findings, "no checklist written")
    if result.written is not None and result.written[1] != "-":
        typer.echo(f"{result.written[0]} -> {result.written[1]}", err=True)
    raise typer.Exit(result.exit_code)


# --- init (issue 21) ---


@app.command(
    cls=_Command,
    epilog="Exit codes: 0 success; 2 usage error, an unknown template, or a FILE that "
    "exists or cannot be created; 3 an internal error (a bug: please report it).",
)
def init(
    file: Annotated[
        str,
        typer.Argument(
            metavar="[FILE]",
            help="The blueprint to create (its folder must exist), or - for stdout.",
            show_default=False,
        ),
    ] = "blueprint.yaml",
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            metavar="NAME",
            help="The starter to copy; --list names them.",
        ),
    ] = "service",
    title: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The blueprint's title, instead of the starter's."),
    ] = None,
    list_only: Annotated[
        bool,
        typer.Option("--list", "-l", help="List the templates, one a line, and exit."),
    ] = False,
) -> None:
    """Create a starter blueprint: a real service, written out in every lane, that
    lints clean, with comments that teach the format. FILE defaults to blueprint.yaml.

    \b
    Examples:
      blueprint init
      blueprint init --template clinic clinic.yaml
      blueprint init --list

    Never overwrites: a FILE that exists (or a directory, or a symlink at it) is
    refused, and a missing folder is not created.
    """
    from blueprint_cli.pipeline.init import InitOptions, next_steps, run_init

    if list_only and (file != "blueprint.yaml" or template != "service" or title is not None):
        raise typer.BadParameter("--list takes no FILE, --template or --title")
    result = run_init(InitOptions(file, template, title, list_only))
    if result.text:
        typer.echo(result.text, nl=False)
    _echo_problems(result)
    if result.written is not None:
        typer.echo(f"created {result.written} from the '{result.template}' template", err=True)
        typer.echo("next:", err=True)
        for line in next_steps(file):
            typer.echo(f"  {line}", err=True)
    raise typer.Exit(result.exit_code)


# --- fmt (issue 21) ---


@app.command(
    cls=_Command,
    epilog="Exit codes: 0 success (files formatted, or nothing to do); 1 with --check or "
    "--diff, a file would be reformatted; 2 usage error, a path or configuration that cannot "
    "be used, or a file that is not a blueprint, does not load or holds what fmt keeps as "
    "written (anchors, aliases, tags): skipped; 3 a formatted text failed a safety proof and "
    "was not written, or an internal error (a bug: please report it).",
)
def fmt(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Files, directories (searched for *.yaml, *.yml with a top-level "
            "'blueprint:' key) or - for stdin (formatted text to stdout). Default: the "
            "current directory.",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; list the files that would change (exit 1 if any)."
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Write nothing; print what would change as a unified diff (exit 1 if any).",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print errors only, no summary.")
    ] = False,
    config: ConfigOpt = None,
    force_exclude: ForceExcludeOpt = False,
    only_blueprints: OnlyBlueprintsOpt = False,
    follow_external_links: ExternalLinksOpt = False,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Format blueprints: one canonical layout, comments kept where they were.

    Two spaces a level, the format's keys in the model's order, short lists on one line,
    text quoted only where YAML 1.1 and 1.2 would read it differently, durations written
    one way (90s -> 1m30s). Before a file is written, fmt proves that it loads to the same
    data and the same blueprint, keeps every comment, and that a second run changes
    nothing; a file that fails is left as it was. Files already formatted are not touched.
    """
    from blueprint_cli.pipeline.fmt import FmtRequest, run_fmt

    request = FmtRequest(
        list(paths or []),
        _run_options(
            config=config,
            stdin_filename=stdin_filename,
            force_exclude=force_exclude,
            external_links=follow_external_links,
            only_blueprints=only_blueprints,
        ),
        check,
        diff,
        quiet,
    )
    raise typer.Exit(run_fmt(request))


# --- import and export (issue 21) ---


class SheetLayout(StrEnum):
    grid = "grid"
    list = "list"


class _ExportCommand(_Command):
    """``--to``'s help names the targets of the exporters' table, read when help is
    shown: the table is data (pipeline/interchange.py), not a list kept here."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from blueprint_cli.pipeline.interchange import EXPORTERS

        for param in self.params:
            shown = getattr(param, "help", None)
            if param.name == "to" and isinstance(shown, str) and "{targets}" in shown:
                names = "; ".join(f"{n}: {e.summary}" for n, e in EXPORTERS.items())
                param.help = shown.replace("{targets}", names)  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)


@app.command(
    "import",
    cls=_Command,
    epilog=_exit_codes(
        "the imported blueprint has errors (written, its errors listed)",
        "a spreadsheet, sheet or output",
    ),
)
def import_(
    path: Annotated[str, typer.Argument(metavar="FILE", help="A workbook (.xlsx) or a CSV file.")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The blueprint's file, or - for stdout. Default: beside the spreadsheet, "
            "as .yaml.",
            show_default=False,
        ),
    ] = None,
    layout: Annotated[
        SheetLayout | None,
        typer.Option(
            help="grid: steps as columns, lanes as rows; list: one row per action. "
            "Default: told by the headers.",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="The workbook's sheet to import. Default: the first with a table.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="The blueprint's title.", show_default=False),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write over an existing output file.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Turn a workshop spreadsheet into a blueprint: a grid (steps as columns, lanes as
    rows, several actions in a cell one a line or a bullet) or a process list (one row
    per action: step, phase, lane, text, owner, duration, evidence, fail point...).

    Headers are matched whatever their case, with the names workshops use (Touchpoint,
    Onstage, Role, Risk...); a problem names its cell (Sheet1!C14) and nothing is
    written. The blueprint written is checked as lint checks it, its findings listed.
    """
    from blueprint_cli.pipeline.interchange import ImportOptions, import_path

    if title is not None and not title.strip():
        raise typer.BadParameter("the title is empty", param_hint="--title")
    options = ImportOptions(
        path,
        output,
        layout.value if layout is not None else None,
        sheet,
        title,
        force,
        _run_options(config=config),
    )
    result = import_path(options)
    from blueprint_cli.reporters.text import line

    for warning in result.warnings:
        typer.echo(f"blueprint: warning: {warning}", err=True)
    for f in result.findings:
        typer.echo(line(f), err=True)
    for error in result.errors:
        typer.echo(f"blueprint: error: {error}", err=True)
    if result.written is not None:
        steps = f"{result.steps} step{'s' if result.steps != 1 else ''}"
        shown = "stdout" if result.written[1] == "-" else result.written[1]
        typer.echo(f"{result.written[0]} -> {shown} ({steps})", err=True)
    raise typer.Exit(result.exit_code)


@app.command(
    cls=_ExportCommand,
    epilog=_exit_codes("the blueprint has errors (nothing written)", "a path, target or output"),
)
def export(
    path: Annotated[
        str, typer.Argument(metavar="BLUEPRINT", help="A blueprint file, or - for stdin.")
    ],
    to: Annotated[
        str,
        typer.Option("--to", "-t", metavar="TARGET", help="The format: {targets}."),
    ],
    layout: Annotated[
        SheetLayout | None,
        typer.Option(
            help="For xlsx and csv: list (one row per action, the default) or grid (steps "
            "as columns, lanes as rows).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file, or - for stdout. Default: beside the blueprint, its suffix "
            "the target's.",
            show_default=False,
        ),
    ] = None,
    phase: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="drawio, mermaid: only the steps of this phase."),
    ] = None,
    segment: Annotated[
        list[str] | None,
        typer.Option(metavar="ID", help="drawio, mermaid: only the steps for this segment."),
    ] = None,
    theme: Annotated[
        Theme, typer.Option(help="drawio, mermaid: colours; print is greyscale.")
    ] = Theme.default,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write over an existing output file (an export may have been edited since).",
        ),
    ] = False,
    config: ConfigOpt = None,
    stdin_filename: StdinNameOpt = "<stdin>",
) -> None:
    """Write a blueprint in another format: a workbook or CSV in the layouts blueprint
    import reads (import gives the blueprint back), or an editable diagram: draw.io
    swimlanes at the positions render draws, a Mermaid flowchart for Markdown.

    A blueprint with errors is refused, its errors listed (exit 1).
    """
    from blueprint_cli.pipeline.interchange import ExportOptions, export_path

    options = ExportOptions(
        path,
        to,
        layout.value if layout is not None else None,
        output,
        _run_options(config=config, stdin_filename=stdin_filename),
        tuple(_codes(phase) or ()),
        tuple(_codes(segment) or ()),
        theme.value,
        force,
    )
    result = export_path(options)
    _echo_problems(result, result.findings, "nothing written")
    if result.written is not None and result.written[1] != "-":
        typer.echo(f"{result.written[0]} -> {result.written[1]}", err=True)
    raise typer.Exit(result.exit_code)
