"""`blueprint render` end to end: where pictures go, what is refused, filters and themes."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from benchmarks.generate import generate
from blueprint_cli.cli import app
from blueprint_cli.fileio import write_atomic
from tests.conftest import EXAMPLES

runner = CliRunner()
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")


@pytest.fixture
def hotel(tmp_path: Path) -> Path:
    target = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", target)
    return target


def render(*args: str) -> tuple[int, str, bytes]:
    result = runner.invoke(app, ["render", *args])
    return result.exit_code, result.stderr, result.stdout_bytes


@needs_graphviz
def test_default_writes_svg_beside_the_blueprint(hotel: Path) -> None:
    code, err, _ = render(str(hotel))
    assert code == 0, err
    svg = hotel.with_suffix(".svg")
    assert ET.parse(svg).getroot().tag.endswith("svg")
    assert f"{hotel} -> {svg}" in err


@needs_graphviz
@pytest.mark.parametrize(
    ("name", "magic"), [("x.png", b"\x89PNG"), ("x.pdf", b"%PDF"), ("x.svg", b"<?xml")]
)
def test_format_from_the_output_suffix(hotel: Path, name: str, magic: bytes) -> None:
    out = hotel.parent / name
    code, err, _ = render(str(hotel), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(magic)


def test_dot_to_stdout_needs_no_graphviz(hotel: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(hotel.parent))
    code, _, out = render(str(hotel), "--format", "dot", "-o", "-")
    assert code == 0
    assert out.startswith(b'digraph "Overnight hotel stay" {')


def test_missing_graphviz_says_how_to_install(hotel: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(hotel.parent))
    code, err, _ = render(str(hotel))
    assert code == 2
    assert "Graphviz is not installed" in err and "apt-get install graphviz" in err
    assert "Traceback" not in err
    assert not hotel.with_suffix(".svg").exists()


@needs_graphviz
def test_directory_mirrors_into_an_output_directory(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(EXAMPLES, src)
    code, err, _ = render(str(src), "-o", str(tmp_path / "out"), "--format", "dot")
    assert code == 0, err
    made = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*"))
    assert made == [
        "dental.dot",
        "garage.dot",
        "hotel.dot",
        "online-order.dot",
        "textbook",
        "textbook/shoeshine.dot",
    ]


def test_several_files_need_a_directory_for_stdout(hotel: Path) -> None:
    code, err, _ = render(str(hotel), str(EXAMPLES / "garage.yaml"), "-o", "-")
    assert code == 2
    assert "exactly one blueprint" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.jpg"], "cannot tell the format"),
        (["-o", "x.png", "--format", "svg"], "does not match"),
        (["--format", "gif"], "'gif' is not one of"),
        (["--theme", "neon"], "'neon' is not one of 'default', 'print'"),
        (
            ["--phase", "nope", "--format", "dot"],
            "--phase: no phase 'nope' (phases: pre-visit, visit, post-visit)",
        ),
        (
            ["--phase", "visti", "--format", "dot"],
            "no phase 'visti' (did you mean 'visit'? phases: pre-visit, visit, post-visit)",
        ),
        (["--segment", "nope", "--format", "dot"], "no segment 'nope' (segments: business)"),
    ],
)
def test_usage_errors(hotel: Path, args: list[str], message: str) -> None:
    code, err, _ = render(str(hotel), *args)
    assert code == 2
    assert message in err


def test_never_writes_onto_the_blueprint(hotel: Path) -> None:
    before = hotel.read_bytes()
    for target in (str(hotel), str(hotel.with_suffix(".yml"))):
        code, err, _ = render(str(hotel), "-o", target, "--format", "dot")
        assert code == 2
        assert "overwrite the blueprint" in err or "refusing to write the picture" in err
    assert hotel.read_bytes() == before


def test_a_blueprint_with_errors_is_drawn_as_a_draft(tmp_path: Path) -> None:
    """What validates is drawn, titled a draft, its errors listed under it; exit 1."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "blueprint: 1\ntitle: Workshop\nsteps:\n"
        "  - {title: A, evidance: [x], customer: [{id: a, text: Arrive}]}\n"
        "flows: [a -> nowhere]\n"
    )
    code, err, _ = render(str(bad), "--format", "dot")
    assert code == 1
    assert f"{bad}:4:16: error BP002 unknown key 'evidance'" in err
    assert "drawn as a draft with 2 errors" in err
    dot = bad.with_suffix(".dot").read_text()
    assert "Draft — 2 errors: Workshop" in dot
    assert "4:16 BP002 unknown key" in dot and "unknown action" in dot
    assert '"a:a"' in dot  # what validates is drawn


def test_strict_refuses_a_blueprint_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("blueprint: 1\nsteps:\n  - {title: A, evidance: [x]}\n")
    code, err, _ = render(str(bad), "--format", "dot", "--strict")
    assert code == 1
    assert f"{bad}:3:16: error BP002 unknown key 'evidance'" in err
    assert "not drawn" in err
    assert not bad.with_suffix(".dot").exists()


def test_phase_and_segment_filters(hotel: Path) -> None:
    _, _, full = render(str(hotel), "--format", "dot", "-o", "-")
    _, _, visit = render(str(hotel), "--format", "dot", "-o", "-", "--phase", "visit")
    assert b'"step:book"' in full and b'"step:book"' not in visit
    assert b'"step:check-in"' in visit
    _, _, business = render(str(hotel), "--format", "dot", "-o", "-", "--segment", "business")
    assert business.count(b'"step:') == full.count(b'"step:')  # every hotel step is for all
    # fail points keep the numbers of the full picture
    assert b">F3<" in visit and b">F1<" in visit


def test_a_filtered_view_says_so_keeps_numbers_and_ends_flows_in_stubs() -> None:
    dental = str(EXAMPLES / "dental.yaml")
    _, _, visit = render(dental, "--format", "dot", "-o", "-", "--phase", "visit")
    text = visit.decode()
    assert "(phase The visit: 7 of 11 steps)" in text
    assert "label=<4. Arrive and check in at reception>" in text  # not renumbered from 1
    # the customer chain comes from step 3 and goes on to step 11, which are not drawn
    assert '"stub:give-name:in"' in text and "label=<from 3>" in text
    assert "label=<to 11>" in text
    _, _, whole = render(dental, "--format", "dot", "-o", "-")
    assert b'"stub:' not in whole


def test_theme_and_legend_options(hotel: Path) -> None:
    _, _, default = render(str(hotel), "--format", "dot", "-o", "-")
    _, _, grey = render(str(hotel), "--format", "dot", "-o", "-", "--theme", "print")
    _, _, bare = render(str(hotel), "--format", "dot", "-o", "-", "--no-legend")
    assert b"#cfe0f7" in default and b"#cfe0f7" not in grey
    assert b'"legend"' in default and b'"legend"' not in bare


@needs_graphviz
def test_large_png_is_scaled_with_a_warning(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(yaml.safe_dump(generate(200, 3), allow_unicode=True))
    code, err, _ = render(str(big), "-o", str(tmp_path / "big.png"))
    assert code == 0
    assert "the PNG is drawn at" in err and "dpi" in err


def test_write_atomic_keeps_the_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "hotel.svg"
    target.write_bytes(b"old picture")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(str(target), b"new picture")
    assert target.read_bytes() == b"old picture"
    assert os.listdir(tmp_path) == ["hotel.svg"]


def test_write_atomic_creates_missing_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "x.svg"
    write_atomic(str(target), b"picture")
    assert target.read_bytes() == b"picture"


@needs_graphviz
def test_check_flags_an_out_of_date_svg(hotel: Path) -> None:
    assert render(str(hotel))[0] == 0
    svg = hotel.with_suffix(".svg")
    before = svg.read_bytes()
    code, err, _ = render(str(hotel), "--check")
    assert code == 0, err
    hotel.write_text(hotel.read_text().replace("title: Overnight hotel stay", "title: Hotel"))
    code, err, _ = render(str(hotel), "--check")
    assert code == 1
    assert f"{svg}: out of date with {hotel}" in err
    assert svg.read_bytes() == before  # --check writes nothing


def test_check_on_dot_and_missing_pictures(hotel: Path) -> None:
    dot = hotel.with_suffix(".dot")
    code, err, _ = render(str(hotel), "--check", "--format", "dot")
    assert code == 1 and f"{dot}: missing: {hotel} was never drawn" in err  # no picture yet
    assert "out of date" not in err
    render(str(hotel), "--format", "dot")
    assert render(str(hotel), "--check", "--format", "dot")[0] == 0
    assert dot.exists()
    code, err, _ = render(str(hotel), "--check", "--format", "png")
    assert code == 2 and "--check compares SVG or DOT" in err


def test_several_blueprints_to_one_picture_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "one.svg"
    code, err, _ = render(
        str(EXAMPLES / "hotel.yaml"), str(EXAMPLES / "garage.yaml"), "-o", str(target)
    )
    assert code == 2
    assert f"-o {target} names one picture, but 2 blueprints are to be drawn" in err
    assert not target.exists()  # no directory named one.svg either


def test_render_honours_the_configuration_exclude(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.yaml").write_text("not: [a blueprint\n")
    (tmp_path / "hotel.yaml").write_bytes((EXAMPLES / "hotel.yaml").read_bytes())
    (tmp_path / "blueprint.toml").write_text('exclude = ["drafts/*"]\n')
    monkeypatch.chdir(tmp_path)
    code, err, _ = render(".", "--format", "dot")
    assert code == 0, err
    assert (tmp_path / "hotel.dot").exists() and not (tmp_path / "drafts" / "x.dot").exists()
