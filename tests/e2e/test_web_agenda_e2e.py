"""End to end: the web agendas of the example meetings, in a real headless Chromium.

The three example meetings (the reference, the one with Part B business, the one with
a contents page) are built with the real LibreOffice; each ``public/index.html`` is
opened in Debian's Chromium through Selenium, and:

* every link on the page is followed: a file it names is there, under ``public/``
  (never ``members/``), a PDF opens with the pages the link says, the calendar and
  the open data parse, and an in-page link's target exists; ``mailto:`` and ``tel:``
  links carry the committee's contact;
* the page loads nothing from anywhere else and runs no script;
* axe-core's rules (every rule of axe-core 4, WCAG 2.2 A and AA among them) find no
  violation, at desktop and at phone width;
* a screenshot at each width is a picture of the page (``tools/web_screenshots.py``
  makes those in ``docs/``).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from packbuilder import api

from helpers import browser
from helpers.kit import ROOT

pytestmark = pytest.mark.e2e

MEETINGS = ("osb-2022-05-11", "osb-2022-06-08", "osb-2022-05-11-with-contents")


@pytest.fixture(scope="module")
def built(tmp_path_factory, lo_cache) -> dict[str, Path]:
    """Each example meeting's output folder."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("web")
    folders = {}
    for name in MEETINGS:
        options = api.BuildOptions(output_dir=out / name, cache_dir=lo_cache)
        folders[name] = api.build(ROOT / "meetings" / f"{name}.yaml", options).output_dir
    return folders


@pytest.fixture(scope="module")
def chromium():
    problem = browser.missing()
    assert problem is None, problem
    with browser.chromium() as driver:
        yield driver


def _target(href: str) -> tuple[Path | None, str]:
    """The file a ``file:`` link names (None for another scheme), and its fragment."""
    parsed = urlparse(href)
    if parsed.scheme != "file":
        return None, parsed.fragment
    return Path(unquote(parsed.path)), parsed.fragment


def _check_file(path: Path, text: str, public: Path) -> None:
    """The target of a link: published, there, and what the link says it is."""
    assert path.is_file(), f"the link '{text}' goes to {path}, which is not there"
    assert path.resolve().is_relative_to(public.resolve()), f"'{text}' leaves public/: {path}"
    described = re.search(r"\((PDF|DOCX|iCalendar|JSON)[^)]*\)", text)
    if path.suffix == ".pdf":
        pages = re.search(r"(\d+) pages?\)", text)
        assert pages, f"the link to {path.name} does not say its pages: {text}"
        assert len(PdfReader(path).pages) == int(pages.group(1)), text
    elif path.suffix == ".ics":
        assert Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    elif path.suffix == ".json":
        assert json.loads(path.read_text(encoding="utf-8"))["data"]
    assert described, f"the link to {path.name} does not say what it is: {text}"


@pytest.mark.parametrize("name", MEETINGS)
def test_every_link_of_the_web_agenda_leads_somewhere(built, chromium, name):
    public = built[name] / "public"
    page = public / "index.html"
    chromium.get(page.as_uri())
    assert chromium.execute_script("return document.documentElement.lang") == "en-GB"
    links = [
        (a.get_attribute("href"), a.find_element(By.XPATH, "..").text)
        for a in chromium.find_elements(By.CSS_SELECTOR, "a[href]")
    ]
    assert len(links) >= 7, links
    for href, text in links:
        path, fragment = _target(href)
        if href.startswith(("mailto:", "tel:")):
            assert href in ("mailto:caroline_breheny@middlesbrough.gov.uk", "tel:01642729752")
        elif path == page.resolve() or path == page:
            assert chromium.find_elements(By.ID, fragment), f"no element with id '{fragment}'"
        else:
            assert path is not None, f"a link leaves the folder: {href}"
            _check_file(path, text, public)
    # the item PDFs are all linked, and nothing of members/ is
    items = {p.name for p in (public / "items").glob("*.pdf")}
    linked = {Path(_target(href)[0] or "").name for href, _ in links}
    assert items <= linked and not any("members" in href for href, _ in links)


@pytest.mark.parametrize("name", MEETINGS)
def test_the_web_agenda_is_self_contained(built, chromium, name):
    chromium.get((built[name] / "public" / "index.html").as_uri())
    assert chromium.find_elements(By.TAG_NAME, "script") == []
    loaded = chromium.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert loaded == []  # no style sheet, font, picture or script from anywhere
    sources = [
        e.get_attribute("src") or e.get_attribute("href")
        for e in chromium.find_elements(By.CSS_SELECTOR, "[src], link[href]")
    ]
    assert all(s.startswith("file:") for s in sources), sources


@pytest.mark.parametrize("size", [browser.DESKTOP, browser.PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", MEETINGS)
def test_axe_finds_no_accessibility_violation(built, chromium, name, size):
    chromium.get((built[name] / "public" / "index.html").as_uri())
    browser.set_width(chromium, size)
    violations = browser.axe_violations(chromium)
    assert violations == [], browser.described(violations)


def test_the_screenshots_are_pictures_of_the_page(built, chromium, tmp_path):
    from PIL import Image

    chromium.get((built["osb-2022-05-11"] / "public" / "index.html").as_uri())
    for size in (browser.DESKTOP, browser.PHONE):
        shot = browser.screenshot(chromium, tmp_path / f"{size[0]}.png", size)
        with Image.open(shot) as image:
            assert image.width == size[0] and image.height > size[1]  # the whole page
            colours = image.convert("L").getextrema()
            assert colours[0] < 40 and colours[1] > 240  # dark text on a light page
