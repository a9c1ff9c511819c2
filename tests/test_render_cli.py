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
        "published",
        "published/express-delivery.dot",
        "published/outpatient-clinic.dot",
        "published/restaurant-visit.dot",
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
        (
            ["--segment", "nope", "--format", "dot"],
            "no segment 'nope' (segments: business, leisure)",
        ),
        (
            ["--rows", "emotoin", "--format", "dot"],
            "--rows: no row 'emotoin' (did you mean 'emotion'? rows: emotion, metrics, "
            "regulations)",
        ),
        (
            ["--rows", "metrics,cost", "--format", "dot"],
            "--rows: no row 'cost' (rows: emotion, metrics, regulations)",
        ),
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
    assert "label=<4. Arrive and check in at reception<" in text  # not renumbered from 1
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


@pytest.fixture(scope="module")
def big_blueprint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    big = tmp_path_factory.mktemp("pdf") / "big.yaml"
    big.write_text(yaml.safe_dump(generate(200, 1), allow_unicode=True))
    return big


def _pages(pdf: Path) -> tuple[str, list[tuple[float, float, int]]]:
    """The PDF's Title, and (width, height, pieces of the drawing shown) of every page.

    Every page shows clipped pieces of one form XObject, the whole drawing, so its text is
    that of all of it: what a page shows is read from its own small content stream."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    title = reader.metadata.title if reader.metadata is not None else None
    pages = []
    for page in reader.pages:
        content = page.get_contents()
        assert content is not None
        pieces = content.get_data().count(b"/D Do")
        pages.append((float(page.mediabox.width), float(page.mediabox.height), pieces))
    return title or "", pages


@needs_graphviz
def test_a_wide_pdf_is_cut_into_pages_within_200_inches(
    big_blueprint: Path, tmp_path: Path
) -> None:
    out = tmp_path / "big.pdf"
    code, err, _ = render(str(big_blueprint), "-o", str(out))
    assert code == 0, err
    title, pages = _pages(out)
    assert title == "Generated service (200 steps)"
    assert len(pages) == 3  # 41,473 points wide
    for width, height, _ in pages:
        assert width <= 14_400 and height <= 14_400
    # the first: title, columns and the legend; then title, lane names, columns
    assert [n for _, _, n in pages] == [3, 3, 3]
    assert pages[0][1] > pages[1][1]  # the legend makes the first page taller


@needs_graphviz
def test_pdf_on_a4_pages(big_blueprint: Path, tmp_path: Path) -> None:
    out = tmp_path / "big.pdf"
    code, err, _ = render(str(big_blueprint), "-o", str(out), "--paper", "a4")
    assert code == 0, err
    title, pages = _pages(out)
    assert title == "Generated service (200 steps)"
    assert {(round(w), round(h)) for w, h, _ in pages} == {(842, 595)}
    pieces = [n for _, _, n in pages]
    grid = pieces.index(1)  # then the legend, on pages of its own
    assert pieces[0] == 2 and set(pieces[1:grid]) == {3} and set(pieces[grid:]) == {1}
    assert grid > 10 and len(pages) - grid > 3


@needs_graphviz
def test_a_small_pdf_is_one_page_with_its_title_or_on_paper(hotel: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "hotel.pdf"
    for extra in ([], ["--paper", "a3"]):
        code, err, _ = render(str(hotel), "-o", str(out), *extra)
        assert code == 0, err
        reader = PdfReader(out)
        assert reader.metadata is not None and reader.metadata.title == "Overnight hotel stay"
        page = reader.pages[0]
        assert "Customer actions" in page.extract_text()
        if extra:  # landscape A3
            sizes = {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages}
            assert sizes == {(1191, 842)}
        else:
            assert len(reader.pages) == 1


def test_paper_is_for_pdf_only(hotel: Path) -> None:
    code, err, _ = render(str(hotel), "-o", str(hotel.with_suffix(".svg")), "--paper", "a4")
    assert code == 2
    assert "--paper" in err and "PDF" in err and "Traceback" not in err
    assert not hotel.with_suffix(".svg").exists()


def test_wide_diagrams_repeat_the_lane_names(tmp_path: Path) -> None:
    """Far from the left edge a reader still knows the lane: every 8 steps the lane names
    stand in the gaps between the lanes; a narrow diagram has them once, at the left."""
    wide = tmp_path / "wide.yaml"
    wide.write_text(yaml.safe_dump(generate(30, 3)))
    _, _, dot = render(str(wide), "--format", "dot", "-o", "-")
    text = dot.decode()
    for k in (8, 16, 24):
        for lane in ("Physical evidence", "Customer actions", "Support processes"):
            assert f'"remind:{k}:' in text
            assert f"▼ {lane}" in text or f"▲ {lane}" in text
    assert '"remind:32:' not in text
    _, _, narrow = render(str(EXAMPLES / "dental.yaml"), "--format", "dot", "-o", "-")
    assert b'"remind:' not in narrow


def test_a_draft_lists_its_first_errors_and_counts_them_all(tmp_path: Path) -> None:
    many = tmp_path / "many.yaml"
    many.write_text(
        "blueprint: 1\nsteps:\n" + "".join(f"  - {{title: S{i}, evidance: x}}\n" for i in range(80))
    )
    code, _, dot = render(str(many), "--format", "dot", "-o", "-")
    text = dot.decode()
    assert code == 1
    assert "Draft — 80 errors" in text
    assert "… and 30 more: blueprint lint lists them all" in text
    assert text.count("BP002 unknown key") == 50


def test_wrap_stacks_rows_of_steps_with_stubs_between_them(tmp_path: Path) -> None:
    long = tmp_path / "long.yaml"
    long.write_text(yaml.safe_dump(generate(40, 4)))
    code, err, svg = render(str(long), "--format", "svg", "-o", "-", "--wrap", "15")
    assert code == 0, err
    root = ET.fromstring(svg)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # no node drawn twice under one name
    text = "".join(root.itertext())
    for first, last in ((1, 15), (16, 30), (31, 40)):
        assert f"— steps {first}–{last}" in text
    for n in range(1, 41):
        assert f"{n}. Step {n}:" in text  # every step once, numbered in the whole
    assert [i for i in ids if i.endswith(":legend") and i.startswith("row")] == ["row3:legend"]
    assert any(i.startswith("stub:") for i in ids)  # flows between rows end in stubs
    for a in root.iter("{http://www.w3.org/2000/svg}a"):
        href = a.get("{http://www.w3.org/1999/xlink}href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href
    wide = ET.fromstring(render(str(long), "--format", "svg", "-o", "-")[2])
    assert (
        float(root.get("width", "0").rstrip("pt")) < float(wide.get("width", "0").rstrip("pt")) / 2
    )
    code, err, _ = render(str(long), "-o", str(tmp_path / "x.pdf"), "--wrap", "9", "--paper", "a4")
    assert code == 2 and "give --wrap or --paper" in err


def test_wrap_in_a_filtered_view_numbers_stubs_as_the_whole_blueprint() -> None:
    dental = str(EXAMPLES / "dental.yaml")
    _, _, dot = render(dental, "--format", "dot", "-o", "-", "--phase", "visit", "--wrap", "4")
    text = dot.decode()
    # row 1 holds steps 4-7, row 2 steps 8-10: "Agree to a filling" is 8, on the next row
    assert "label=<to 8>" in text and "label=<to 5>" not in text
    assert "To a step on another row: 8. Agree to a filling" in text
    assert "From a step not in this view: 3. Get the reminder SMS" in text


def test_check_says_how_to_redraw_with_the_options_given(tmp_path: Path) -> None:
    picture = tmp_path / "v.svg"
    dental = str(EXAMPLES / "dental.yaml")
    assert render(dental, "-o", str(picture), "--phase", "visit", "--wrap", "4")[0] == 0
    code, err, _ = render(dental, "-o", str(picture), "--phase", "visit", "--wrap", "5", "--check")
    assert code == 1
    again = f"run: blueprint render {dental} -o {picture} --phase visit --wrap 5"
    assert again in err
    # the command it gives does redraw the picture so that the check passes
    assert render(dental, "-o", str(picture), "--phase", "visit", "--wrap", "5")[0] == 0
    assert render(dental, "-o", str(picture), "--phase", "visit", "--wrap", "5", "--check")[0] == 0
