"""`blueprint export --to drawio|mermaid`: the editable drawings through the command, as
the exporters' table (pipeline/interchange.py) names them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import EXAMPLES

GOLDEN = Path(__file__).parent / "golden" / "export"
runner = CliRunner()


@pytest.mark.parametrize(("target", "suffix"), [("drawio", "drawio"), ("mermaid", "mmd")])
def test_the_command_writes_what_the_exporter_writes(
    target: str, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["export", "hotel.yaml", "--to", target, "-o", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"hotel.{suffix}").read_text(encoding="utf-8")


@pytest.mark.parametrize(("target", "suffix"), [("drawio", ".drawio"), ("mermaid", ".mmd")])
def test_the_default_output_is_beside_the_blueprint(
    target: str, suffix: str, tmp_path: Path
) -> None:
    copy = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", copy)
    result = runner.invoke(app, ["export", str(copy), "--to", target])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"hotel{suffix}").stat().st_size > 0
    assert f"-> {tmp_path / ('hotel' + suffix)}" in result.stderr


def test_phase_segment_and_theme_shape_the_drawing() -> None:
    hotel = str(EXAMPLES / "hotel.yaml")
    whole = runner.invoke(app, ["export", hotel, "--to", "drawio", "-o", "-"]).stdout
    visit = runner.invoke(
        app, ["export", hotel, "--to", "drawio", "-o", "-", "--phase", "visit"]
    ).stdout
    grey = runner.invoke(app, ["export", hotel, "--to", "drawio", "-o", "-", "--theme", "print"])
    assert grey.exit_code == 0
    assert 'id="step-book"' in whole and 'id="step-book"' not in visit
    assert grey.stdout != whole
    business = runner.invoke(
        app, ["export", hotel, "--to", "mermaid", "-o", "-", "--segment", "business"]
    )
    assert business.exit_code == 0 and "Business traveller" in business.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "drawio", "--phase", "vist"], "did you mean 'visit'?"),
        (["--to", "mermaid", "--segment", "nobody"], "no segment 'nobody'"),
        (["--to", "csv", "--phase", "visit"], "are for drawings"),
        (["--to", "drawio", "--layout", "grid"], "not for --to drawio"),
        (["--to", "drawo"], "did you mean 'drawio'?"),
    ],
)
def test_a_wrong_view_or_target_is_a_usage_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["export", str(EXAMPLES / "hotel.yaml"), *args, "-o", "-"])
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_help_lists_every_target() -> None:
    from blueprint_cli.pipeline.interchange import EXPORTERS

    shown = runner.invoke(app, ["export", "--help"], env={**os.environ, "COLUMNS": "200"})
    assert all(name in shown.stdout for name in EXPORTERS)
    assert {"drawio", "mermaid", "xlsx", "csv"} <= set(EXPORTERS)


@pytest.mark.parametrize("target", ["csv", "drawio"])
def test_an_existing_file_is_never_written_over_without_force(tmp_path: Path, target: str) -> None:
    """The workshop's own sheet a blueprint was imported from, or a diagram edited in
    draw.io since it was exported, stays as it is."""
    copy = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", copy)
    existing = tmp_path / f"hotel.{target}"
    existing.write_text("the client's own edits\n")
    refused = runner.invoke(app, ["export", str(copy), "--to", target])
    assert refused.exit_code == 2 and "give --force" in refused.stderr
    assert existing.read_text() == "the client's own edits\n"
    forced = runner.invoke(app, ["export", str(copy), "--to", target, "--force"])
    assert forced.exit_code == 0 and existing.read_text() != "the client's own edits\n"
