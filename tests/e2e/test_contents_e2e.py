"""End to end: the contents page of the second example meeting, with the real LibreOffice.

``meetings/osb-2022-05-11-with-contents.yaml`` is the reference meeting with
``contents: true``. Its pack has the contents on page 3 (page 4 blank), every paper
two pages later than in the reference, the agenda's ranges saying so; the contents
page prints every item's range (or To Follow) and every paper's and appendix's
range as the manifest gives it, each line with a range links to its first page, and
the page is tagged (a table with a header row) and bookmarked. The reference
meeting itself (contents off) still prints 3 - 10, 11 - 14, 15 - 82 and 83 - 116.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from packbuilder import api

from helpers.kit import ROOT

pytestmark = pytest.mark.e2e

MEETING = ROOT / "meetings" / "osb-2022-05-11-with-contents.yaml"
_RANGE = re.compile(r"\d+ *- *\d+|To Follow")


@pytest.fixture(scope="module")
def built(tmp_path_factory, lo_cache) -> api.BuildResult:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("contents") / "out"
    return api.build(MEETING, api.BuildOptions(output_dir=out, cache_dir=lo_cache))


def expected_ranges(manifest: dict) -> list[tuple[str, int | None]]:
    """Each range the contents should print, in order, with the page it should link to."""
    ranges = []
    for item in manifest["items"]:
        if item["agenda_text"]:
            first = item["pages"]["first"] if item["pages"] else None
            ranges.append((item["agenda_text"], first))
        for paper in item["papers"]:
            for document in paper["documents"]:
                ranges.append((document["pages"]["text"], document["pages"]["first"]))
    return ranges


def test_the_contents_page_is_after_the_front_sheet_and_counted(built):
    manifest = built.manifest
    assert manifest["contents"] == {
        "pages": {"first": 3, "last": 3, "text": "3"},
        "blank_pages": [4],
    }
    ranges = [item["agenda_text"] for item in manifest["items"] if item["pages"]]
    assert ranges == ["5 - 12", "13 - 16", "17 - 84", "85 - 118"]
    assert manifest["pages"] == 118
    assert PdfReader(built.pack).outline[1]["/Title"] == "Contents"


def test_the_contents_print_the_manifests_ranges(built):
    text = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", str(built.pack), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    printed = [re.sub(r" *- *", " - ", found) for found in _RANGE.findall(text)]
    assert printed == [text for text, _ in expected_ranges(built.manifest)]


def test_each_contents_line_links_to_its_first_page(built):
    reader = PdfReader(built.pack)
    numbers = {page.indirect_reference.idnum: n + 1 for n, page in enumerate(reader.pages)}
    links = [a.get_object() for a in reader.pages[2].get("/Annots", [])]
    targets = sorted(
        (-float(link["/Rect"][1]), numbers[link["/Dest"][0].idnum], str(link["/Contents"]))
        for link in links
        if link.get("/Subtype") == "/Link"
    )
    wanted = [first for _, first in expected_ranges(built.manifest) if first is not None]
    assert [page for _, page, _ in targets] == wanted
    assert targets[2][2] == "Go to item 4, paper 1, appendix 1, page 7"


def test_the_contents_page_is_a_tagged_table(built):
    with pikepdf.open(built.pack) as pdf:
        roles = set()
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    roles.add(str(node.S))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
        role_map = {str(k): str(v) for k, v in pdf.Root.StructTreeRoot.get("/RoleMap", {}).items()}
    mapped = {role_map.get(role, role) for role in roles}
    assert {"/Table", "/TH", "/TD"} <= mapped, sorted(mapped)


def test_the_reference_meeting_has_no_contents(tmp_path, lo_cache, needs_soffice):
    options = api.BuildOptions(output_dir=tmp_path / "out", cache_dir=lo_cache)
    result = api.build(ROOT / "meetings" / "osb-2022-05-11.yaml", options)
    ranges = [item["agenda_text"] for item in result.manifest["items"] if item["pages"]]
    assert ranges == ["3 - 10", "11 - 14", "15 - 82", "83 - 116"]
    assert result.manifest["contents"] is None and result.pages == 116
    assert not any(Path(tmp_path / "out").rglob("contents*"))
