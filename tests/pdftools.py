"""Read a built PDF back the way a clerk sees it: text per page, bookmarks, links, qpdf."""

from __future__ import annotations

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
