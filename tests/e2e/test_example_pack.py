"""End to end: the example meeting reproduces the reference pack (real LibreOffice).

Middlesbrough Council, Overview and Scrutiny Board, 11 May 2022: 116 pages, the
agenda reads 3 - 10, 11 - 14, 15 - 82 and 83 - 116, item 3 To Follow, blank pages
10, 26 and 82. The meeting has no exempt business: the pack is under ``public/``
and ``members/`` holds the same pages.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from packbuilder import api

from helpers.pdftools import (
    agenda_item,
    agenda_range,
    link_targets,
    outline,
    page_texts,
    qpdf_check,
)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "meetings" / "osb-2022-05-11.yaml"
EXPECTED_RANGES = {"3": "To Follow", "4": "3 - 10", "5": "11 - 14", "8": "15 - 82", "9": "83 - 116"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("example") / "osb"
    cache = tmp_path_factory.mktemp("cache")
    result = api.build(EXAMPLE, api.BuildOptions(output_dir=out, cache_dir=cache))
    return result


@pytest.fixture(scope="module")
def texts(built):
    return page_texts(built.pack)


def test_pack_has_116_pages_and_passes_qpdf(built):
    assert built.pages == 116
    assert len(PdfReader(built.pack).pages) == 116
    qpdf_check(built.pack)


def test_agenda_prints_the_real_ranges(texts):
    front = texts[0]
    for number, expected in EXPECTED_RANGES.items():
        assert agenda_range(front, number).endswith(expected), agenda_item(front, number)
    for number in ("1", "2", "6", "7", "10"):
        assert agenda_range(front, number) == "", agenda_item(front, number)
    assert "Wednesday 11th May, 2022" in front and "Tuesday 3 May 2022" in front
    membership = " ".join(texts[1].split())
    assert (
        "Councillors M Saunders (Chair), T Mawston (Vice-Chair), A Bell, D Davison, "
        "A Hellaoui, C Hobson, D McCabe, C McIntyre, J Platt, M Storey, J Thompson, "
        "S Walker and B Hubbard" in membership
    )
    assert "Caroline Breheny, 01642 729752, caroline_breheny@middlesbrough.gov.uk" in membership


def test_every_page_is_stamped_and_labelled(built, texts):
    reader = PdfReader(built.pack)
    for number, text in enumerate(texts, 1):
        assert re.search(rf"\bPage {number}\s*$", text.rstrip()), f"page {number}: {text[-200:]!r}"
    assert reader.page_labels == [str(n) for n in range(1, 117)]


def test_blank_pages_where_the_reference_has_them(texts):
    blank = [
        n for n, text in enumerate(texts, 1) if "This page is intentionally left blank" in text
    ]
    assert blank == [10, 26, 82]
    for number in blank:
        words = texts[number - 1].split()
        assert words == ["This", "page", "is", "intentionally", "left", "blank", "Page"] + [
            str(number)
        ]


def test_papers_land_on_their_pages(texts):
    assert "Report of:" in texts[2] and "Executive Forward Work Programme" in texts[2]
    for page in range(5, 10):  # Appendix A, the forward plan, header row on every page
        assert "Ref No." in texts[page - 1] and "Subject / Decision" in texts[page - 1]
    assert "APPENDIX A" in texts[4]
    assert "ATTENDANCE OF EXECUTIVE MEMBERS" in texts[10]
    assert "ADDENDUM" in texts[14]
    assert "CONTENTS" in texts[27] or "CONTENTS" in texts[26]
    assert "LOCALITY WORKING" in texts[82]


def test_bookmarks_one_per_item_with_papers_nested(built):
    marks = outline(PdfReader(built.pack))
    top = [(title, page) for depth, title, page in marks if depth == 0]
    assert top[0] == ("Agenda", 1)
    assert ("4. Executive Forward Work Programme", 3) in top
    assert ("5. Executive Member Update", 11) in top
    assert any(t.startswith("8. The Children") and p == 15 for t, p in top)
    assert any(t.startswith("9. The Children") and p == 83 for t, p in top)
    assert len(top) == 11
    nested = [(title, page) for depth, title, page in marks if depth >= 1]
    assert ("Appendix A - Executive Forward Work Programme", 5) in nested
    assert ("Final Report - Sufficiency and Permanency", 27) in nested
    # the final report's own bookmarks (its headings) are nested under it, on pack pages
    assert any(depth >= 2 and title == "CONCLUSIONS" for depth, title, _ in marks)


def test_agenda_lines_link_to_their_first_pages(built):
    assert link_targets(PdfReader(built.pack), 0) == [3, 11, 15, 83]


def test_metadata(built):
    reader = PdfReader(built.pack)
    info = reader.metadata
    assert info.title == "Overview and Scrutiny Board, Wednesday 11 May 2022: Agenda"
    assert "Overview and Scrutiny Board" in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_members_folder_holds_the_same_pages(built):
    out = built.output_dir
    assert built.pack == out / "public" / "pack.pdf" and built.public_pages == 116
    assert (out / "members" / "pack.pdf").read_bytes() == built.pack.read_bytes()
    for item in (out / "public" / "items").iterdir():
        assert (out / "members" / "items" / item.name).read_bytes() == item.read_bytes()
    assert sorted(p.name for p in (out / "members").iterdir()) == [
        "items",
        "manifest.json",
        "pack.pdf",
    ]
    public = json.loads((out / "public" / "manifest.json").read_text())
    members = json.loads((out / "members" / "manifest.json").read_text())
    assert public["items"] == members["items"] and public["inputs"] == members["inputs"]


def test_outputs_and_manifest(built):
    out = built.output_dir / "public"
    manifest = json.loads((out / "manifest.json").read_text())
    ranges = {i["number"]: i["agenda_text"] for i in manifest["items"]}
    assert {n: ranges[n] for n in EXPECTED_RANGES} == EXPECTED_RANGES
    assert manifest["blank_pages"] == [10, 26, 82]
    assert len(PdfReader(out / "agenda.pdf").pages) == 2
    assert (out / "agenda.docx").read_bytes()[:2] == b"PK"
    assert b"packbuilder.invalid" not in _docx_xml(out / "agenda.docx")
    for item in manifest["items"]:
        if item["pages"] is None:
            assert item["file"] is None
            continue
        pdf = PdfReader(out / item["file"])
        assert len(pdf.pages) == item["pages"]["last"] - item["pages"]["first"] + 1
    assert any(name.endswith("item08-addendum.docx") for name in manifest["inputs"])
    assert all(len(digest) == 64 for digest in manifest["inputs"].values())


def test_a_second_build_gives_the_same_agenda_docx(built, tmp_path):
    """agenda.docx is reproducible, so its hash in the manifest is stable between builds."""
    first = built.output_dir / "public" / "agenda.docx"
    wait = 2.5 - (time.time() - first.stat().st_mtime)  # zip times are to the 2 seconds
    if wait > 0:
        time.sleep(wait)
    again = api.build(EXAMPLE, api.BuildOptions(output_dir=tmp_path / "osb"))  # no cache
    assert (again.output_dir / "public" / "agenda.docx").read_bytes() == first.read_bytes()
    name = "public/agenda.docx"
    assert again.manifest["outputs"][name] == built.manifest["outputs"][name]


def _docx_xml(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".rels"))
