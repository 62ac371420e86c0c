"""Read a built PDF back the way a clerk sees it: text per page, bookmarks, links, qpdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

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
