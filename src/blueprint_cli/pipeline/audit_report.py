"""`blueprint audit report`: the visits of one blueprint counted (``pipeline.audit``),
the figures written in the format asked for, and the exit code of the gate — the whole
command without the command-line parser, as ``run_lint`` is lint's."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blueprint_cli.pipeline.run import RunOptions

if TYPE_CHECKING:
    from blueprint_cli.analysis.audit import Tally

#: ``audit report -o FILE`` without --format: the format its suffix names.
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".html": "html"}


@dataclass(slots=True)
class AuditRequest:
    """What `blueprint audit report` is asked, once its options are parsed and checked."""

    blueprint: str
    visits: list[str]
    run: RunOptions
    fmt: str = "auto"  # auto, table, text, json, csv, markdown, html
    output: str | None = None
    fail_under: float | None = None  # percent
    trend: str = "month"
    color: str = "auto"


def _say(kind: str, message: str) -> None:
    sys.stderr.write(f"blueprint: {kind}{message}\n")


def run_audit_report(request: AuditRequest) -> int:
    """The report on stdout or in ``output``; problems of the run on stderr. 0, or 1 when
    the gate fails (``fail_under``, a critical check), 2 when nothing can be counted."""
    from blueprint_cli.fileio import refusal, write_atomic
    from blueprint_cli.pipeline.audit import audit
    from blueprint_cli.pipeline.lint import use_color
    from blueprint_cli.views import choose
    from blueprint_cli.views.audit import WRITERS, build, percent

    run = audit(request.blueprint, request.visits, request.run)
    for warning in run.warnings:
        _say("warning: ", warning)
    for line in run.left_out:
        _say("warning: left out: ", line)
    for error in run.errors:
        _say("error: ", error)
    if run.errors:
        return 2
    if run.tally is None or run.blueprint is None or run.visits == 0:
        left = f" ({len(run.left_out)} left out)" if run.left_out else ""
        _say(
            "error: ",
            f"no visit of {request.blueprint} to count{left}: audit report needs at least "
            "one observation file ('observation: 1') that names it",
        )
        return 2
    name = request.fmt
    if request.output is not None and name == "auto":
        name = SUFFIXES.get(os.path.splitext(request.output)[1].lower(), "text")
    doc = build(
        run.tally,
        run.blueprint.name,
        run.blueprint.sha256,
        run.left_out,
        run.settings.occurrence_scale,
        request.trend,
    )
    if request.output is None or request.output == "-":
        WRITERS[choose(name, sys.stdout, request.color)](
            doc, sys.stdout, color=use_color(request.color, sys.stdout)
        )
    else:
        inputs = [request.blueprint, *(v for v in request.visits if os.path.isfile(v))]
        problem = refusal(request.output, inputs, "audit report")
        if problem is not None:
            _say("error: ", problem)
            return 2
        buffer = io.StringIO()
        WRITERS["text" if name == "table" else name](doc, buffer, color=False)
        try:
            write_atomic(request.output, buffer.getvalue().encode("utf-8"))
        except OSError as exc:
            _say("error: ", f"{request.output}: {exc.strerror or exc}")
            return 2
        sys.stderr.write(f"{run.blueprint.name} -> {request.output}\n")
    return _gate(run.tally, request.fail_under, percent)


def _gate(tally: Tally, fail_under: float | None, percent: Callable[[float | None], str]) -> int:
    """1 when a critical check failed on a visit, or the compliance is under the gate."""
    failed = False
    if tally.failed_visits:
        listed = [v for v in tally.visits if v.failed_critical]
        which = "; ".join(f"{v.id} ({', '.join(v.failed_critical)})" for v in listed[:5])
        more = f"; {len(listed) - 5} more" if len(listed) > 5 else ""
        sys.stderr.write(
            f"blueprint: a critical check failed on {tally.failed_visits} of "
            f"{tally.visit_count} visits: {which}{more}\n"
        )
        failed = True
    overall = tally.overall.percent
    if fail_under is not None and (overall is None or overall < fail_under):
        shown = percent(None if overall is None else round(overall, 1))
        sys.stderr.write(f"blueprint: compliance {shown} is below --fail-under {fail_under:g}%\n")
        failed = True
    return 1 if failed else 0
