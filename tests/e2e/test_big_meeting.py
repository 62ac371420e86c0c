"""A meeting of 200 items, end to end with the real LibreOffice.

Welsh and other non-ASCII titles, very long titles, descriptions, items to
follow and 50 papers of 1-3 pages: the front sheet runs to many pages, its
printed ranges are the manifest's, every paper starts on an odd page, every
page carries its number, and the pack passes ``qpdf --check``.
"""

from __future__ import annotations

import json
import re

import pytest
from pypdf import PdfReader

from packbuilder import api

from helpers import kit
from helpers.pdftools import (
    agenda_item,
    agenda_range,
    link_targets,
    outline,
    page_texts,
    qpdf_check,
)

pytestmark = pytest.mark.e2e

WELSH = "Adroddiad Blynyddol ar Lesiant – ŵyr a wyresau, ŷd Môn, Llŷn, Siân"
LONG = (
    "Review of the Council's arrangements for the scrutiny of the Executive's key decisions "
    "on housing, highways, waste collection, libraries and leisure, with the findings of "
    "the task and finish group and the response of the Executive Member for Resources"
)


def _title(n: int) -> str:
    if n % 10 == 8:  # some of these have papers: the range sits beside a wrapped title
        return f"{LONG} (item {n})"
    if n % 5 == 1:
        return f"{WELSH} (eitem {n})"
    return f"Agenda item {n} – café, naïve, Zoë"


@pytest.fixture(scope="module")
def big(tmp_path_factory, lo_cache):
    import shutil

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("big")
    lines = []
    for n in range(1, 201):
        lines.append(f'  - title: "{_title(n)}"\n')
        if n % 7 == 0:
            lines.append('    description: "Gwybodaeth / information to the Board."\n')
        if n % 4 == 0:
            pages = n % 3 + 1
            kit.pdf(folder / "papers" / f"p{n}.pdf", pages, text=f"Paper {n}")
            status = "to-follow" if n % 40 == 0 else "normal"
            lines.append(f"    status: {status}\n    papers:\n      - file: papers/p{n}.pdf\n")
    path = kit.write_meeting(folder, "".join(lines))
    result = api.build(path, api.BuildOptions(output_dir=folder / "out", cache_dir=lo_cache))
    return result, json.loads((folder / "out" / "members" / "manifest.json").read_text())


def test_two_hundred_items_make_a_valid_pack(big):
    result, manifest = big
    qpdf_check(result.pack)
    assert len(manifest["items"]) == 200
    front = manifest["front_sheet"]["pages"]["last"]
    assert front >= 4, "200 items do not fit on a couple of pages"
    papers = [p for item in manifest["items"] for p in item["papers"]]
    assert len(papers) == 45  # 50 papers, 5 of them to follow
    padded = sum(p["pages"]["last"] - p["pages"]["first"] + 1 for p in papers)
    assert result.pages == front + front % 2 + padded == len(PdfReader(result.pack).pages)
    assert all(p["pages"]["first"] % 2 == 1 for p in papers)


def test_the_agenda_prints_the_manifest_ranges(big):
    result, manifest = big
    texts = page_texts(result.pack)
    front = "\n".join(texts[: manifest["front_sheet"]["pages"]["last"]])
    for item in manifest["items"]:
        number = item["number"]
        lines = agenda_item(front, number)  # StopIteration: the item is not on the agenda
        line = agenda_range(front, number)
        expected = item["agenda_text"]
        if expected:
            assert line.replace(" ", "").endswith(expected.replace(" ", "")), (number, lines)
        else:
            assert line == "", (number, lines)
    assert "Môn" in front and "ŵyr" in front and "Llŷn" in front and "Zoë" in front


def test_every_page_is_numbered_and_linked(big):
    result, manifest = big
    reader = PdfReader(result.pack)
    texts = page_texts(result.pack)
    assert reader.page_labels == [str(n) for n in range(1, len(texts) + 1)]
    for number, text in enumerate(texts, 1):
        assert re.findall(r"\bPage (\d+)\b", text) == [str(number)], number
    top = [title for depth, title, _page in outline(reader) if depth == 0]
    assert len(top) == 201 and top[0] == "Agenda"
    first_pages = [item["pages"]["first"] for item in manifest["items"] if item["pages"]]
    links = []
    for page in range(manifest["front_sheet"]["pages"]["last"]):
        links.extend(link_targets(reader, page))
    assert links == first_pages
