"""`blueprint report`: the HTML page of a blueprint, and the index of several.

The golden page (tests/golden/report/hotel.html) is the whole page but the SVG, which
embeds Graphviz's version: that is replaced by a placeholder before comparing, and
checked apart (its badges link to the rows). Regenerate with `make golden`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from blueprint_cli.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden" / "report"
needs_graphviz = pytest.mark.skipif(shutil.which("neato") is None, reason="no Graphviz")
_SVG = re.compile(r"<svg[\s>].*?</svg>", re.DOTALL)
PLACEHOLDER = "<svg><!-- the diagram, as render draws it --></svg>"


def report(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["report", *args])
    return result.exit_code, result.stderr


def without_svg(page: str) -> str:
    return _SVG.sub(PLACEHOLDER, page, count=1)


def hotel_page(tmp: Path) -> str:
    """The hotel's report, as `make demo` writes it, from the example's own path."""
    target = tmp / "hotel.html"
    cwd = os.getcwd()
    os.chdir(EXAMPLES.parent)
    try:
        code, err = report("examples/hotel.yaml", "-o", str(target))
    finally:
        os.chdir(cwd)
    assert code == 0, err
    return target.read_text(encoding="utf-8")


def write_golden() -> None:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page = without_svg(hotel_page(Path(tmp)))
    (GOLDEN / "hotel.html").write_text(page, encoding="utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


# ---------------------------------------------------------------------------- the page


@needs_graphviz
def test_hotel_report_matches_golden(tmp_path: Path) -> None:
    golden = GOLDEN / "hotel.html"
    assert golden.exists(), "run `make golden`"
    page = hotel_page(tmp_path)
    assert without_svg(page) == golden.read_text(encoding="utf-8"), (
        "report changed: `make golden`, review the diff"
    )


@needs_graphviz
def test_the_same_file_gives_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert hotel_page(tmp_path / "a") == hotel_page(tmp_path / "b")


@needs_graphviz
def test_contract_the_browser_tests_rely_on(tmp_path: Path) -> None:
    page = hotel_page(tmp_path)
    elements = parse(page)
    ids = {attrs.get("id"): tag for tag, attrs in elements.tags if attrs.get("id")}
    assert ids["diagram"] == "section"
    assert ids["fp-F1"] == "tr" and ids["wait-W1"] == "tr"
    assert "main" in {tag for tag, _ in elements.tags}
    assert "<h1>Overnight hotel stay</h1>" in page
    links = {
        attrs.get("href") or attrs.get("xlink:href") for tag, attrs in elements.tags if tag == "a"
    }
    for label in ("F1", "F6"):
        assert f"#fp-{label}" in links and f'id="fp-{label}"' in page
    for label in ("W1", "W3"):
        assert f"#wait-{label}" in links and f'id="wait-{label}"' in page
    svg = _SVG.search(page)
    assert svg is not None
    assert 'xlink:href="#fp-F1"' in svg.group() and 'xlink:href="#wait-W1"' in svg.group()
    # every row of the register and of the waits links back to the diagram
    rows = re.findall(r'<tr id="(?:fp|wait)-[FW]\d+">.*?</tr>', page, re.DOTALL)
    assert len(rows) == 9 and all('<a class="back" href="#diagram"' in r for r in rows)
    toggles = [
        attrs
        for tag, attrs in elements.tags
        if tag == "input" and attrs.get("class") == "phase-toggle"
    ]
    assert [t["data-phase"] for t in toggles] == ["pre-visit", "visit", "post-visit"]
    assert all(t["type"] == "checkbox" for t in toggles)
    # the SVG's prolog is gone; each tooltip is also a <title> the browser shows
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "<title>F1: Reservation cannot be found" in page


@needs_graphviz
def test_the_page_makes_no_request_and_runs_only_its_own_script(tmp_path: Path) -> None:
    page = hotel_page(tmp_path)
    elements = parse(page)
    for tag, attrs in elements.tags:
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, key, value)
    assert "url(" not in page and "@import" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    code = [s for s, (_, a) in zip(elements.scripts, _scripts(elements), strict=True) if not a]
    assert len(code) == 1  # the page's one script; the other is JSON data
    digest = base64.b64encode(hashlib.sha256(code[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp.group(1)
    assert "sha256 <code" in page
    source = hashlib.sha256((EXAMPLES / "hotel.yaml").read_bytes()).hexdigest()
    assert source in page


def _scripts(elements: Elements) -> list[tuple[str, str | None]]:
    return [("script", a.get("type")) for t, a in elements.tags if t == "script"]


def test_a4_by_default_and_a3_on_request(tmp_path: Path) -> None:
    hotel = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", hotel)
    assert report(str(hotel), "-o", str(tmp_path / "a4.html"))[0] == 0
    assert report(str(hotel), "-o", str(tmp_path / "a3.html"), "--paper", "a3")[0] == 0
    a4 = (tmp_path / "a4.html").read_text()
    assert "@page { size: A4 landscape; margin: 12mm }" in a4
    assert "@page { size: A3 landscape; margin: 12mm }" in (tmp_path / "a3.html").read_text()
    assert 'a[href^="http"]::after { content: " (" attr(href) ")"; }' in a4
    assert "tr, .card, li { break-inside: avoid; }" in a4


# ---------------------------------------------------------------------------- escaping

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "${template} $body $$ {{x}} {% y %}",
]


def _hostile_yaml() -> str:
    import json

    title, attr, link, template = (json.dumps(t) for t in HOSTILE)
    return (
        f"blueprint: 1\ntitle: {title}\ndescription: {template}\n"
        f"phases: [{{id: p, title: {attr}}}]\n"
        f"actors: [{{id: x, title: {link}}}]\n"
        "steps:\n"
        f"  - title: {attr}\n"
        "    phase: p\n"
        f"    evidence: [{title}]\n"
        "    customer:\n"
        f"      - text: {template}\n"
        f"        wait: {{text: {title}, expected: 5m, max: 1m}}\n"
        "    frontstage:\n"
        f"      - text: {link}\n"
        "        actor: x\n"
        f"        script: {attr}\n"
        "        fail_points:\n"
        f"          - {{text: {title}, severity: 5, occurrence: 2, detection: 3,"
        f" prevention: {template}, recovery: {link}}}\n"
    )


@pytest.mark.parametrize("graphviz", [True, False], ids=["with-diagram", "without"])
def test_user_text_is_text(tmp_path: Path, graphviz: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if graphviz and shutil.which("neato") is None:
        pytest.skip("no Graphviz")
    if not graphviz:
        _no_graphviz(monkeypatch)
    path = tmp_path / "evil.yaml"
    path.write_text(_hostile_yaml(), encoding="utf-8")
    code, err = report(str(path), "-o", str(tmp_path / "evil.html"))
    assert code == 0, err
    page = (tmp_path / "evil.html").read_text(encoding="utf-8")
    elements = parse(page)
    assert [t for t, _ in elements.tags].count("script") == 2  # its own, and the data
    assert "img" not in {t for t, _ in elements.tags}
    for tag, attrs in elements.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        links = [attrs.get(k) or "" for k in ("href", "xlink:href", "src", "action")]
        assert not any(v.startswith("javascript:") for v in links), attrs
    # shown as written, escaped
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "${template} $body $$ {{x}} {% y %}" in page  # never substituted
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


def test_template_syntax_in_user_text_is_not_substituted() -> None:
    """string.Template substitutes the template file only, once: a value that holds
    ``$css`` or ``${body}`` stays those characters."""
    from blueprint_cli.views.report import document, esc

    page = document(esc("$css ${body} $script_hash"), esc("${title}"), "a4")
    assert "<title>$css ${body} $script_hash</title>" in page
    assert "\n${title}\n" in page


# ---------------------------------------------------------------------------- drafts


def test_a_blueprint_with_errors_is_reported_as_a_draft(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "blueprint: 1\ntitle: Workshop\nsteps:\n"
        "  - {title: A, evidance: [x], customer: [{id: a, text: Arrive}]}\n"
        "flows: [a -> nowhere]\n"
    )
    code, err = report(str(bad), "-o", str(tmp_path / "bad.html"))
    assert code == 1
    assert f"{bad}:4:16: error BP002 unknown key 'evidance'" in err
    assert "reported as a draft with 2 errors" in err
    page = (tmp_path / "bad.html").read_text()
    assert "<h1>Draft — 2 errors: Workshop</h1>" in page
    assert f'{bad}:4:16</code> <span class="code">BP002</span> unknown key' in page
    assert 'class="draft-notice"' in page


def test_strict_refuses_a_blueprint_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("blueprint: 1\ntitle: W\nsteps:\n  - {title: A, evidance: [x]}\n")
    code, err = report(str(bad), "--strict", "-o", str(tmp_path / "bad.html"))
    assert code == 1
    assert "not reported: fix the errors above" in err
    assert not (tmp_path / "bad.html").exists()


def test_an_unreadable_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, err = report(str(tmp_path / "nowhere.yaml"), "-o", str(tmp_path / "x.html"))
    assert code == 2
    assert err.count("\n") == 1 and "nowhere.yaml" in err


# ---------------------------------------------------------------------------- Graphviz


def _no_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    from blueprint_cli.render import graphviz

    def missing(dot: str, fmt: str) -> bytes:
        raise graphviz.RenderError(graphviz.INSTALL_HINT)

    monkeypatch.setattr(graphviz, "run_graphviz", missing)


def test_without_graphviz_the_report_is_written_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_graphviz(monkeypatch)
    out = tmp_path / "site"
    code, err = report(str(EXAMPLES / "hotel.yaml"), str(EXAMPLES / "garage.yaml"), "-o", str(out))
    assert code == 0, err
    assert err.count("Graphviz is not installed") == 1  # one warning for the run
    for name in ("hotel", "garage"):
        page = (out / f"{name}.html").read_text()
        assert '<p class="notice" id="no-diagram">No diagram: Graphviz is not installed' in page
        diagram = page.split('<section id="diagram">')[1].split("</section>")[0]
        assert "<svg" not in diagram  # the emotion chart, further down, is not Graphviz's
        assert '<tr id="fp-F1">' in page  # the rest of the report is there
        assert "--format dot" not in page  # render's hint, not the report's


# ---------------------------------------------------------------------------- outputs


def test_several_blueprints_give_a_page_each_and_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_graphviz(monkeypatch)
    src = tmp_path / "blueprints"
    (src / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLES / "hotel.yaml", src / "hotel.yaml")
    shutil.copy(EXAMPLES / "garage.yaml", src / "sub" / "garage.yaml")
    code, err = report(str(src), "-o", str(tmp_path / "site"))
    assert code == 0, err
    site = tmp_path / "site"
    assert (site / "hotel.html").exists() and (site / "sub" / "garage.html").exists()
    index = (site / "index.html").read_text()
    elements = parse(index)
    hrefs = [a["href"] for t, a in elements.tags if t == "a"]
    assert hrefs == ["hotel.html", "sub/garage.html"]
    assert "<h1>Service blueprints</h1>" in index and "<main>" in index
    assert '<td class="num">9</td>' in index  # the hotel's steps
    row = re.search(r"<tr><td><a href=\"hotel.html\">.*?</tr>", index, re.DOTALL)
    assert row is not None
    total_risk = 96 + 140 + 60 + 180 + 210 + 210
    assert f'<td class="num">{total_risk}</td>' in row.group()
    assert '<td class="num">9/9 (100%)</td>' in row.group()
    assert f"index -> {site / 'index.html'}" in err


def test_one_file_named_on_the_command_line_into_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_graphviz(monkeypatch)
    code, err = report(str(EXAMPLES / "hotel.yaml"), "-o", f"{tmp_path / 'site'}/")
    assert code == 0, err
    assert (tmp_path / "site" / "hotel.html").exists()
    assert (tmp_path / "site" / "index.html").exists()


def test_several_blueprints_into_one_file_is_a_usage_error(tmp_path: Path) -> None:
    code, err = report(
        str(EXAMPLES / "hotel.yaml"), str(EXAMPLES / "garage.yaml"), "-o", str(tmp_path / "x.html")
    )
    assert code == 2
    assert "names one report, but 2 blueprints are to be reported" in err
    assert "(-o site/)" in err


def test_refuses_to_write_onto_an_input(tmp_path: Path) -> None:
    hotel = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", hotel)
    before = hotel.read_bytes()
    for target in (str(hotel), str(tmp_path / "other.yaml")):
        code, err = report(str(hotel), "-o", target)
        assert code == 2
        assert "overwrite the blueprint" in err or "refusing to write the report" in err
        assert err.count("\n") == 1
    assert hotel.read_bytes() == before
    assert not (tmp_path / "other.yaml").exists()


def test_a_blueprint_named_index_does_not_overwrite_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_graphviz(monkeypatch)
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(EXAMPLES / "hotel.yaml", src / "hotel.yaml")
    shutil.copy(EXAMPLES / "garage.yaml", src / "index.yaml")
    code, err = report(str(src), "-o", str(tmp_path / "site"))
    assert code == 2
    assert "index.html is also the output of the index page" in err
    assert "Service blueprints" in (tmp_path / "site" / "index.html").read_text()


def test_pages_are_written_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupted write leaves the previous page as it was, and no temporary file."""
    from blueprint_cli import fileio

    _no_graphviz(monkeypatch)
    hotel = tmp_path / "hotel.yaml"
    shutil.copy(EXAMPLES / "hotel.yaml", hotel)
    target = tmp_path / "hotel.html"
    target.write_text("the previous page")

    def interrupted(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", interrupted)
    code, err = report(str(hotel), "-o", str(target))
    assert code == 2
    assert f"{target}: No space left on device" in err
    assert target.read_text() == "the previous page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hotel.html", "hotel.yaml"]


def test_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_graphviz(monkeypatch)
    result = runner.invoke(app, ["report", str(EXAMPLES / "hotel.yaml"), "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_the_journey_sections_segments_emotion_metrics_regulations(tmp_path: Path) -> None:
    page = hotel_page(tmp_path)

    def section(ident: str) -> str:
        return page.split(f'<section id="{ident}">')[1].split("</section>")[0]

    head = section("failpoints").split("</thead>")[0]
    assert "<th>Segments</th><th>Channel</th>" in head
    assert "<td>Business traveller</td><td>E-mail</td>" in section("failpoints")
    business = section("segments").split('<tr id="segment-business">')[1].split("</tr>")[0]
    assert "max wait 3m" in business and "Get the invoice" in business
    assert "W1</span> Queue at the front desk: 4m over 3m" in business
    leisure = section("segments").split('<tr id="segment-leisure">')[1].split("</tr>")[0]
    assert "max wait 10m" in leisure and "W1" not in leisure
    emotion = section("emotion")
    assert '<svg class="emotion-chart"' in emotion
    assert "lowest: <strong>Check in (-1), Check out and leave (-1)</strong>" in emotion
    assert emotion.count('<circle class="customer') == 8  # 'Order room service': a gap
    assert "78 → 90 %" in section("metrics") and "↓ better" in section("metrics")
    regulations = section("regulations")
    assert "7. Check out and leave / Present bill and take payment" in regulations
    assert "PCI DSS v4.0" in regulations


def test_a_blueprint_without_them_has_no_journey_sections(tmp_path: Path) -> None:
    source = tmp_path / "plain.yaml"
    source.write_text("blueprint: 1\nsteps:\n  - title: Arrive\n    customer: [Walk in]\n")
    code, err = report(str(source), "-o", str(tmp_path / "plain.html"))
    assert code == 0, err
    page = (tmp_path / "plain.html").read_text()
    for ident in ("segments", "emotion", "metrics", "regulations"):
        assert f'id="{ident}"' not in page and f'href="#{ident}"' not in page
