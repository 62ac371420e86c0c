"""A real headless Chromium for the web agenda's tests: started, measured, audited, pictured.

Debian's ``chromium`` and ``chromium-driver`` (``scripts/setup --test`` installs them),
driven by Selenium; the accessibility rules are axe-core's, from the npm package that
``scripts/setup --test`` puts in ``.venv/axe`` (``PACKBUILDER_AXE_JS`` names another
copy of ``axe.min.js``). Chromium starts with a fresh profile, no first-run pages and
no background networking, so a test opens only the files it is given.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from .kit import ROOT

CHROMIUM = os.environ.get("PACKBUILDER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("PACKBUILDER_CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_JS = Path(
    os.environ.get(
        "PACKBUILDER_AXE_JS", ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
SETUP = "run 'scripts/setup --test' (it installs chromium, chromium-driver and axe-core)"

DESKTOP = (1280, 900)
PHONE = (390, 844)


def missing() -> str | None:
    """What of Chromium, ChromeDriver and axe-core is not installed, or None."""
    for path, what in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver"), (AXE_JS, "axe")):
        if not Path(path).is_file():
            return f"{what} is not installed ({path}): {SETUP}"
    return None


@contextmanager
def chromium() -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a profile of its own, quit (and the profile removed) after."""
    profile = Path(tempfile.mkdtemp(prefix="packbuilder-chromium-"))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        driver.set_script_timeout(60)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_width(driver: webdriver.Chrome, size: tuple[int, int]) -> None:
    """Show pages as a screen of ``size`` CSS pixels does (a phone's: as a mobile browser)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size[0] < 600},
    )


def axe_violations(driver: webdriver.Chrome) -> list[dict[str, Any]]:
    """Run every axe-core rule on the page shown; return the violations."""
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    results = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations), e => done([{id: 'axe-error', help: String(e)}]));"
    )
    return list(results)


def described(violations: list[dict[str, Any]]) -> str:
    """The violations as lines to read in a failed assertion."""
    lines = []
    for violation in violations:
        targets = [node.get("target") for node in violation.get("nodes", [])][:3]
        lines.append(f"{violation['id']}: {violation.get('help')} at {targets}")
    return "\n".join(lines)


def screenshot(driver: webdriver.Chrome, out: Path, size: tuple[int, int]) -> Path:
    """A PNG of the whole page (not only the window) as a screen ``size[0]`` wide shows it."""
    set_width(driver, size)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": height, "scale": 1},
        },
    )
    out.write_bytes(base64.b64decode(shot["data"]))
    return out
