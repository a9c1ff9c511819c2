"""The report and the watch page in a real browser (headless Chromium, tests/browser.py):
the report opens offline with no console error and no request, its badges lead to their
rows, it prints on landscape pages; the watch page redraws when the file is saved."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser import Browser, browser, needs_browser
from tests.conftest import EXAMPLES

__all__ = ["browser"]  # the fixture, imported for its tests

pytestmark = needs_browser
BLUEPRINT = str(Path(sys.executable).with_name("blueprint"))


def _outside_requests(urls: list[str], page: str) -> list[str]:
    """Requests the page made beyond itself and data: URIs (chrome:// are the browser's)."""
    return [u for u in urls if u != page and not u.startswith(("data:", "chrome:", "about:"))]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "hotel.html"
    run = subprocess.run(
        [BLUEPRINT, "report", str(EXAMPLES / "hotel.yaml"), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return out


def test_report_opens_offline_with_no_error_and_no_request(browser: Browser, report: Path) -> None:
    browser.open(report.as_uri())
    assert browser.console() == []
    assert _outside_requests(browser.requests(), report.as_uri()) == []
    assert browser.js("return document.querySelector('h1').textContent").strip()
    assert browser.js("return document.querySelector('#diagram svg') !== null")


def test_a_badge_leads_to_its_row_and_back(browser: Browser, report: Path) -> None:
    browser.open(report.as_uri())
    badge = browser.js(
        "return [...document.querySelectorAll('#diagram a')].find(a => "
        "(a.getAttribute('href') || a.getAttribute('xlink:href')) === '#fp-F1') || null"
    )
    assert badge is not None, "no link to #fp-F1 in the diagram"
    row_top = "return document.getElementById('fp-F1').getBoundingClientRect().top"
    assert browser.js(row_top) > browser.js("return window.innerHeight")  # below the fold
    browser.js(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))",
        badge,
    )
    browser.wait_for("return location.hash === '#fp-F1'")
    browser.wait_for(
        "const r = document.getElementById('fp-F1').getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight"
    )
    back = browser.js("return document.querySelector('#fp-F1 a.back')")
    assert back is not None
    back.click()
    browser.wait_for("return location.hash === '#diagram'")


def test_the_report_prints_on_landscape_pages(browser: Browser, report: Path) -> None:
    from pypdf import PdfReader

    browser.open(report.as_uri())
    pdf = PdfReader(io.BytesIO(browser.pdf()))
    assert len(pdf.pages) >= 2
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height  # landscape
        assert abs(width - 841.9) < 3 and abs(height - 595.3) < 3  # A4


def test_phase_toggles_dim_their_steps(browser: Browser, report: Path) -> None:
    browser.open(report.as_uri())
    toggles = browser.js("return document.querySelectorAll('input.phase-toggle').length")
    assert toggles >= 2
    before = browser.js("return document.querySelector('#diagram').innerHTML")
    browser.js("document.querySelector('input.phase-toggle').click()")
    assert browser.js("return document.querySelector('#diagram').innerHTML") != before
    assert browser.console() == []


# ---------------------------------------------------------------------------- watch


def _start_watch(path: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.Popen(
        [BLUEPRINT, "watch", str(path), "--no-open"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return proc, found[0]
        if not line and proc.poll() is not None:
            break
    proc.kill()
    proc.wait()
    proc.stdout.close()
    raise AssertionError("blueprint watch printed no address")


def test_the_watch_page_redraws_when_the_file_is_saved(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "hotel.yaml"
    original = (EXAMPLES / "hotel.yaml").read_text("utf-8")
    path.write_text(original, encoding="utf-8")
    proc, url = _start_watch(path)
    try:
        browser.open(url)
        browser.wait_for("return document.querySelector('#diagram svg') !== null", 20)
        version = int(browser.js("return document.getElementById('version').textContent"))
        changed = re.sub(r"(?m)^title: .*$", "title: Renamed in the workshop", original, count=1)
        path.write_text(changed, encoding="utf-8")
        browser.wait_for(
            f"return Number(document.getElementById('version').textContent) > {version}", 20
        )
        browser.wait_for(
            "return document.querySelector('#diagram').textContent"
            ".includes('Renamed in the workshop')",
            20,
        )
        path.write_text(changed + "steps: [\n", encoding="utf-8")  # broken
        browser.wait_for(
            "const e = document.getElementById('errors');"
            "return e.offsetParent !== null && /\\d+:\\d+/.test(e.textContent)",
            20,
        )
        # the last good picture stays on screen under the banner
        assert "Renamed in the workshop" in browser.js(
            "return document.querySelector('#diagram').textContent"
        )
        assert browser.console() == []
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
