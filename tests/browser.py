"""A real browser for the tests: Debian's Chromium, headless, driven by its WebDriver
(chromedriver) through selenium, with the browser's console and network logs.

`make test` installs chromium and chromium-driver when they are missing, as it installs
Graphviz. The flags are those this machine's Chromium needs to start quietly: no
sandbox (CI runs as root), no background networking (no request but the page's own).
"""

from __future__ import annotations

import base64
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)

needs_browser = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs chromium and chromedriver (make test installs Debian's packages)",
)


class Browser:
    """One Chromium for a module's tests; ``requests`` and ``console`` read its logs."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def open(self, url: str) -> None:
        self.drain()
        self.driver.get(url)
        self.wait_for("return document.readyState === 'complete'")

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait_for(self, script: str, timeout: float = 10.0) -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(
            lambda d: d.execute_script(script)
        )

    def drain(self) -> None:
        """Forget the logs so far."""
        self.driver.get_log("browser")
        self.driver.get_log("performance")

    def console(self, level: str = "SEVERE") -> list[str]:
        return [e["message"] for e in self.driver.get_log("browser") if e["level"] == level]

    def requests(self) -> list[str]:
        """The URLs the page asked for since the last drain (or open)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def pdf(self) -> bytes:
        """The page printed as Chromium's print preview would, with the page's own
        @page size (``preferCSSPageSize``)."""
        printed = self.driver.execute_cdp_cmd(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
        )
        return base64.b64decode(printed["data"])

    def screenshot(self, path: Path, width: int = 1400, height: int | None = None) -> None:
        """The page at a desktop width; the whole page's height when none is given."""
        full = self.js("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(height or full, 8000))
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(1400, 1000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("needs chromium and chromedriver (make test installs Debian's packages)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="blueprint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
