"""Read a built PDF back the way a clerk sees it: text per page, bookmarks, links, qpdf."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader


def page_texts(pdf: Path) -> list[str]:
    """The text of every page, as poppler's pdftotext extracts it (layout kept)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Every bookmark as (depth, title, 1-based page)."""
    found: list[tuple[int, str, int]] = []

    def walk(entries: list, depth: int) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((depth, entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline, 0)
    return found


def link_targets(reader: PdfReader, page_index: int) -> list[int]:
    """1-based target pages of the internal links on a page, top to bottom."""
    targets = []
    annotations = reader.pages[page_index].get("/Annots") or []
    links = [a.get_object() for a in annotations if a.get_object().get("/Subtype") == "/Link"]
    links.sort(key=lambda a: -float(a["/Rect"][3]))
    for link in links:
        dest = link.get("/Dest")
        if dest is None and "/A" in link and link["/A"].get("/S") == "/GoTo":
            dest = link["/A"]["/D"]
        if dest is not None:
            targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    return targets


def qpdf_check(pdf: Path) -> str:
    """Run ``qpdf --check``; return its output, raising if it finds errors or warnings."""
    result = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert result.returncode == 0, f"qpdf --check {pdf} failed:\n{result.stdout}{result.stderr}"
    assert "WARNING" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result.stdout


NEEDS_POPPLER_AND_QPDF = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf")),
    reason="needs poppler-utils (pdftotext) and qpdf",
)
"""Mark for tests that read PDFs back with poppler (pdftotext) and qpdf."""


def page_text(path: Path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


WORD_PATTERN = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'


def bbox_pages(path: Path) -> list[tuple[float, float, list[Word]]]:
    """Per page: displayed width, height and words (top-left origin), from pdftotext -bbox."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-cropbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xhtml, re.S):
        words = [
            Word(html.unescape(w[4]), float(w[0]), float(w[1]), float(w[2]), float(w[3]))
            for w in re.findall(WORD_PATTERN, match.group(3))
        ]
        pages.append((float(match.group(1)), float(match.group(2)), words))
    # pdftotext gives the unrotated size but places the words as displayed.
    for index, page in enumerate(PdfReader(path).pages):
        if page.rotation % 180:
            width, height, words = pages[index]
            pages[index] = (height, width, words)
    return pages


def assert_stamp_at_foot(width: float, height: float, words: list[Word], number: int) -> None:
    label = [w for w in words if w.text == "Page"]
    digits = [w for w in words if w.text == str(number)]
    assert label and digits, [w.text for w in words]
    page_word = max(label, key=lambda w: w.y1)  # the stamp is the lowest "Page"
    digit = min(digits, key=lambda w: abs(w.y1 - page_word.y1))
    # Upright: the words run left to right on one line and are wider than tall.
    assert page_word.x1 < digit.x0
    assert abs(page_word.y1 - digit.y1) < 1
    assert page_word.x1 - page_word.x0 > page_word.y1 - page_word.y0
    # Centred at the displayed bottom, about 0.8 cm (22.7 pt) up to the baseline.
    centre = (page_word.x0 + digit.x1) / 2
    assert abs(centre - width / 2) < 2, (centre, width)
    assert 15 < height - page_word.y1 < 26, (height, page_word)
    # Nothing else on the page is lower than the stamp.
    assert all(w.y1 <= page_word.y1 + 0.5 for w in words)


def agenda_item(front: str, number: str) -> list[str]:
    """The lines of agenda item ``number`` as pdftotext lays out the front sheet.

    An item is a list paragraph: its number, its title (wrapped lines indented),
    its page range right-aligned after the title's last line, then its description.
    The item ends at the next numbered line or at a line that is not indented.
    """
    lines = front.splitlines()
    start = next(
        n for n, line in enumerate(lines) if re.match(rf"\s*{re.escape(number)}\.\s", line)
    )
    found = [lines[start].rstrip()]
    for line in lines[start + 1 :]:
        if re.match(r"\s*\d+\.\s", line) or (line and not line[0].isspace()):
            break
        if line.strip():
            found.append(line.rstrip())
    return found


def agenda_range(front: str, number: str) -> str:
    """The line of agenda item ``number`` that ends with its page range ("" if none does);
    pdftotext may close up "3 - 6" in a narrow column, so it is compared without spaces."""
    for line in agenda_item(front, number):
        if re.search(r"(\d+\s*-\s*\d+|To Follow)$", line):
            return line
    return ""


def uncompressed(pdf: Path) -> bytes:
    """The file with every object out of its object stream and every stream decoded (qpdf's
    QDF form), to look for what must not be in it."""
    return subprocess.run(
        ["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"],
        check=True,
        capture_output=True,
    ).stdout
