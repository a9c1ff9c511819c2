"""`blueprint render BLUEPRINT --visits VISITS...`: what audit visits observed, drawn over
the blueprint. The figures drawn are the audit's: those computed by hand in
tests/test_audit_figures.py for its visits A, B and C."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from blueprint_cli.pipeline.audit import audit
from blueprint_cli.pipeline.run import RunOptions
from blueprint_cli.render import THEMES
from blueprint_cli.render.observed import OBS_FAIR, OBS_GOOD, OBS_NONE, OBS_POOR, band
from tests.test_audit_figures import BLUEPRINT, A, B, C

needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")
NBSP = "\u00a0"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "bp.yaml").write_text(BLUEPRINT, encoding="utf-8")
    (tmp_path / "visits").mkdir()
    for name, text in (("a", A), ("b", B), ("c", C)):
        (tmp_path / "visits" / f"{name}.yaml").write_text(
            text.replace("blueprint: bp.yaml", "blueprint: ../bp.yaml"), encoding="utf-8"
        )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def dot_of(*args: str) -> str:
    result = CliRunner().invoke(app, ["render", "bp.yaml", "-o", "-", "-f", "dot", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_picture_carries_the_audits_figures(project: Path) -> None:
    dot = dot_of("--visits", "visits")
    # check-in: 8.5 of 13 points, amber-free: < 75 % is poor
    assert f"65.4{NBSP}% compliant" in dot
    assert '"obs:step:check-in"' in dot
    assert f'fillcolor="{THEMES["default"].observed_poor}"' in dot
    # register's wait: each segment against its own standard
    assert f"Business: median 4m, p90 4m, 0{NBSP}% within 3m (1 visit)" in dot
    assert f"Leisure: median 4m, p90 4m, 100{NBSP}% within 5m (1 visit)" in dot
    # the fail point that occurred: ringed, how often, and the recovery rate
    assert f"observed: occurred on 1 of 2 visits (50{NBSP}%)" in dot
    assert "detected by staff 1 of 1" in dot
    assert f"observed: recovered 0 of 1 (0{NBSP}%)" in dot
    assert 'BORDER="2"' in dot
    # the unplanned fail point, and the visits in the title
    assert "Not in the blueprint: Lift broken — at Check in, 1 visit, severity 5" in dot
    assert "as observed on 3 visits, 2026-01-10 – 2026-02-05" in dot
    # a key entry for each new mark
    assert "observed compliance &lt; 75" in dot or "observed compliance < 75" in dot
    assert "ringed: the fail point occurred" in dot


def test_only_the_visits_of_the_segment_count(project: Path) -> None:
    run = audit("bp.yaml", ["visits"], RunOptions(), segments=("business",))
    assert (run.visits, run.other_segments) == (2, 1)  # A and C; B is a leisure guest's
    assert run.tally is not None
    share = run.tally.by["step"]["check-in"]
    assert (share.points, share.possible) == (4.5, 7.0)
    result = CliRunner().invoke(
        app,
        [
            "render",
            "bp.yaml",
            "-f",
            "dot",
            "-o",
            "-",
            "--visits",
            "visits",
            "--segment",
            "business",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"64.3{NBSP}% compliant" in result.stdout
    assert "Leisure: median" not in result.stdout
    assert "1 visit of another segment than business not counted" in result.stderr


def test_visits_left_out_are_warnings_and_none_counted_is_a_usage_error(project: Path) -> None:
    (project / "visits" / "bad.yaml").write_text(A.replace("register:", "registr:"), "utf-8")
    result = CliRunner().invoke(app, ["render", "bp.yaml", "-o", "x.dot", "--visits", "visits"])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "left out" in line]
    assert len(warned) == 1 and "visits/bad.yaml" in warned[0]
    empty = project / "empty"
    empty.mkdir()
    result = CliRunner().invoke(app, ["render", "bp.yaml", "-o", "x.dot", "--visits", "empty"])
    assert result.exit_code == 2
    assert "no visit counted: no observation file" in result.stderr
    result = CliRunner().invoke(
        app, ["render", "bp.yaml", "-o", "x.dot", "--visits", "visits", "--segment", "nobody"]
    )
    assert result.exit_code == 2


def test_the_paths_after_the_blueprint_are_visits(project: Path) -> None:
    dot = (
        CliRunner()
        .invoke(
            app,
            [
                "render",
                "bp.yaml",
                "-f",
                "dot",
                "-o",
                "-",
                "--visits",
                "visits/a.yaml",
                "visits/b.yaml",
            ],
        )
        .stdout
    )
    assert "as observed on 2 visits" in dot


def test_bands() -> None:
    assert [band(v) for v in (None, 100, 90, 89.96, 89.94, 75, 74.9, 0)] == [
        OBS_NONE,
        OBS_GOOD,
        OBS_GOOD,
        OBS_GOOD,  # printed as 90 %: in the band it says
        OBS_FAIR,
        OBS_FAIR,
        OBS_POOR,
        OBS_POOR,
    ]


@needs_graphviz
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_every_format_and_theme(project: Path, fmt: str) -> None:
    for theme in THEMES:
        result = CliRunner().invoke(
            app,
            [
                "render",
                "bp.yaml",
                "-o",
                f"out-{theme}.{fmt}",
                "--visits",
                "visits",
                "--theme",
                theme,
            ],
        )
        assert result.exit_code == 0, result.output
        assert (project / f"out-{theme}.{fmt}").stat().st_size > 1000
