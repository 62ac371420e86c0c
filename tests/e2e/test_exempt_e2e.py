"""End to end: exempt business (Part B) with the real LibreOffice, main pack and supplement.

The meeting (:func:`helpers.exempt.leak_meeting`): item 2 is public, with a
public report, an exempt PDF appendix (paragraph 3), a public appendix and an
exempt Word appendix (paragraphs 1 and 2); item 3 is Part B (paragraph 3): a
cover report and a PDF appendix. Every exempt document carries its own marker
in its text, title, file name, bookmarks and metadata.

* The leak test: no file under ``public/`` holds a marker (raw bytes after
  ``qpdf --qdf --object-streams=disable``, pdftotext, inside the .docx, in the
  JSON; as text, UTF-16 and hex); every marker is under ``members/``. For the
  main pack and for a supplement.
* Both packs pass ``qpdf --check``; every public page has the number, label and
  first line of the members' page of that number; the agenda reads the same.
* The placeholders say what, why (each paragraph's wording) and which pages;
  the members' exempt pages are marked at their head; the titles say which
  pack is which.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from packbuilder import api
from packbuilder.cli import main

from helpers import exempt
from helpers.pdftools import outline, page_texts, qpdf_check

pytestmark = pytest.mark.e2e

MARKERS = set(exempt.MARKERS.values())
WORDING_3 = "Information relating to the financial or business affairs of any particular person"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("exempt")
    meeting = exempt.leak_meeting(folder / "meeting")
    cache = tmp_path_factory.mktemp("cache")
    result = api.build(meeting, api.BuildOptions(output_dir=folder / "out", cache_dir=cache))
    supplement = api.supplement(
        meeting, ["2", "3"], api.BuildOptions(output_dir=folder / "supplement", cache_dir=cache)
    )
    return result, supplement


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


@pytest.mark.parametrize("which", ["main", "supplement"])
def test_nothing_exempt_is_written_under_public(built, which):
    result = built[0] if which == "main" else built[1]
    out = result.output_dir
    assert exempt.leaks(out / "public", MARKERS) == {}
    found = exempt.leaks(out / "members", MARKERS)
    assert set(found) == MARKERS, found
    for marker in MARKERS:  # in the complete pack itself, not only in the manifest
        assert "pack.pdf" in found[marker], (marker, found[marker])


@pytest.mark.parametrize("which", ["main", "supplement"])
def test_every_public_page_is_the_members_page_of_its_number(built, which):
    result = built[0] if which == "main" else built[1]
    members, public = result.members_pack, result.pack
    qpdf_check(members)
    qpdf_check(public)
    members_texts, public_texts = page_texts(members), page_texts(public)
    labels = PdfReader(public).page_labels
    assert PdfReader(members).page_labels == [str(n) for n in range(1, result.pages + 1)]
    placeholders = 0
    for label, text in zip(labels, public_texts, strict=True):
        if _first_line(text) == "NOT FOR PUBLICATION":
            placeholders += 1
            continue
        number = int(label)
        assert _first_line(text) == _first_line(members_texts[number - 1]), number
        assert re.search(rf"\bPage {number}\s*$", text.rstrip()), number
    assert placeholders == result.withheld == 3
    front = result.manifest["front_sheet"]["pages"]["last"]
    assert public_texts[:front] == members_texts[:front]  # the agenda, identical


def test_the_main_packs_pages_labels_and_agenda(built):
    result, _supplement = built
    public = PdfReader(result.pack)
    # Front sheet 1-2; item 2: report 3-5, appendix 1 (exempt) 6-8, appendix 2 on 9,
    # appendix 3 (exempt) on 10; item 3 (Part B): 11 to the end.
    assert public.page_labels[:9] == ["1", "2", "3", "4", "5", "6 - 8", "9", "10", "11 - 14"]
    assert result.pages == 14 and result.public_pages == 9
    ranges = {i["number"]: i["agenda_text"] for i in result.manifest["items"]}
    public_manifest = json.loads((result.output_dir / "public" / "manifest.json").read_text())
    assert {i["number"]: i["agenda_text"] for i in public_manifest["items"]} == ranges
    assert ranges == {"1": "", "2": "3 - 10", "3": "11 - 14"}
    agenda = " ".join(page_texts(result.pack)[0].split())
    assert "PART B" in agenda
    assert (
        "That under section 100A(4) of the Local Government Act 1972 the press and public be "
        "excluded from the meeting for the following items on the grounds that they involve "
        "the likely disclosure of exempt information as defined in the paragraphs of Part 1 "
        "of Schedule 12A indicated." in agenda
    )
    assert agenda.index("PART B") > agenda.index("Budget Monitoring")
    assert agenda.index("Leisure Centre Contract") > agenda.index("PART B")
    assert "Exempt information: paragraph 3" in agenda
    assert "Appendix 1 to Budget monitoring report is not for publication (paragraph 3)" in agenda
    assert "Appendix 3 to Budget monitoring report is not for publication (paragraphs 1 and 2)" in (
        agenda
    )


def test_a_placeholder_says_what_why_and_which_pages(built):
    result, _supplement = built
    texts = page_texts(result.pack)
    appendix = " ".join(texts[5].split())
    assert appendix.startswith("NOT FOR PUBLICATION Item 2: Budget Monitoring - Quarter 4")
    assert "Appendix 1 to Budget monitoring report: pages 6 - 8" in appendix
    assert "paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972" in appendix
    assert WORDING_3 in appendix
    assert appendix.endswith("Pages 6 - 8")
    staffing = " ".join(texts[7].split())
    assert "1. Information relating to any individual." in staffing
    assert "2. Information which is likely to reveal the identity of an individual." in staffing
    assert staffing.endswith("Page 10")
    part_b = " ".join(texts[8].split())
    assert "The paper for item 3: pages 11 - 14" in part_b and part_b.endswith("Pages 11 - 14")


def test_the_members_pack_marks_every_exempt_page_and_only_those(built):
    result, _supplement = built
    texts = page_texts(result.members_pack)
    marked = [n for n, text in enumerate(texts, 1) if "NOT FOR PUBLICATION" in text]
    assert marked == [6, 7, 8, 10, 11, 12, 13]  # 14 is the blank page closing item 3's paper
    for number in (6, 11):
        assert _first_line(texts[number - 1]) == (
            "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A to the "
            "Local Government Act 1972"
        )
    assert "by virtue of paragraphs 1 and 2 of Part 1" in _first_line(texts[9])
    info = PdfReader(result.members_pack).metadata
    assert "contains exempt information" in info.title
    assert "NOT FOR PUBLICATION" in info.subject and "pages 6 - 8, 10 - 13" in info.subject
    public = PdfReader(result.pack).metadata
    assert public.title == "Pwyllgor Craffu / Scrutiny Committee, Wednesday 11 May 2022: Agenda"
    assert "exempt information is not included" in public.subject


def test_bookmarks_and_links_of_the_public_pack(built):
    result, _supplement = built
    reader = PdfReader(result.pack)
    marks = [(title, page) for _depth, title, page in outline(reader)]
    assert ("Budget monitoring report", 3) in marks
    assert ("Appendix 1 to Budget monitoring report: not for publication (pages 6 - 8)", 6) in (
        marks
    )
    assert ("Appendix 2 - Public summary", 7) in marks
    assert ("3. Leisure Centre Contract - Award", 9) in marks
    assert ("The paper for item 3: not for publication (pages 11 - 14)", 9) in marks


def test_the_public_folder_holds_the_items_with_public_material(built):
    result, supplement = built
    for out in (result.output_dir, supplement.output_dir):
        public = sorted(p.name for p in (out / "public" / "items").iterdir())
        members = sorted(p.name for p in (out / "members" / "items").iterdir())
        assert public == ["item-02-budget-monitoring-quarter-4.pdf"]
        assert members == [*public, "item-03-leisure-centre-contract-award.pdf"]
    for built_one in (result, supplement):  # the full manifest lists every file written
        out = built_one.output_dir
        written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        assert set(built_one.manifest["outputs"]) == written - {"members/manifest.json"}
    manifest = json.loads((result.output_dir / "public" / "manifest.json").read_text())
    assert set(manifest["outputs"]) == {
        "pack.pdf",
        "agenda.pdf",
        "agenda.docx",
        "index.html",
        "meeting.ics",
        "meeting.json",
        "items/item-02-budget-monitoring-quarter-4.pdf",
    }
    assert not any("QXLEAK" in name for name in manifest["inputs"])
    assert manifest["items"][2]["file"] is None and manifest["items"][2]["exempt"] == ["3"]


def test_the_command_line_names_both_packs(built, tmp_path):
    result, _supplement = built
    meeting = result.meeting.path
    run = CliRunner().invoke(
        main, ["build", str(meeting), "-o", str(tmp_path / "out"), "--no-cache"]
    )
    assert run.exit_code == 0, run.output
    assert (
        f"Built {tmp_path / 'out' / 'members' / 'pack.pdf'} (14 pages, exempt pages marked NOT "
        f"FOR PUBLICATION) and {tmp_path / 'out' / 'public' / 'pack.pdf'} (9 pages: 3 exempt "
        "papers or appendices left out, a page in place of each)" in run.output
    )
    status = CliRunner().invoke(
        main, ["status", str(meeting), "--output", str(tmp_path / "out"), "--today", "2022-05-01"]
    )
    assert status.exit_code == 0, status.output
    assert "Not for publication (exempt information):" in status.output
    assert "item 3: Leisure Centre Contract - Award (Part B: paragraph 3)" in status.output
    assert (
        "item 2: Budget Monitoring - Quarter 4 (Appendix 3 to Budget monitoring report not for "
        "publication: paragraphs 1 and 2)" in status.output
    )
    assert "members/pack.pdf: 14 pages, up to date" in status.output


EXAMPLE = Path(__file__).resolve().parents[2] / "meetings" / "osb-2022-06-08.yaml"
EXAMPLE_SECRETS = (
    "management fee for 2021/22",  # appendix 2 of item 3 (paragraph 3)
    "Option C (ending the contract early)",  # the Part B item's appendix (paragraph 5)
    "Three options for the contract",  # the Part B item's cover report
)


def test_the_example_with_exempt_business(tmp_path, lo_cache, needs_soffice):
    result = api.build(EXAMPLE, api.BuildOptions(output_dir=tmp_path / "out", cache_dir=lo_cache))
    assert exempt.leaks(result.output_dir / "public", EXAMPLE_SECRETS) == {}
    assert set(exempt.leaks(result.output_dir / "members", EXAMPLE_SECRETS)) == set(EXAMPLE_SECRETS)
    assert PdfReader(result.pack).page_labels == [
        "1", "2", "3", "4", "5", "6", "7 - 9", "10", "11 - 14"
    ]  # fmt: skip
    agenda = " ".join(page_texts(result.pack)[0].split())
    assert "Leisure Services Contract - Options 11 - 14" in agenda
    assert "Exempt information: paragraphs 3 and 5" in agenda
