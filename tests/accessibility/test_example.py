"""End to end: the example meeting builds a fully tagged pack (real LibreOffice).

Every document is tagged (the example's PDF papers were exported tagged from
Word by LibreOffice; the Word papers, front sheet and cover report are
converted tagged by the build), so the pack, each item's PDF and the agenda
PDF are checked with :mod:`tagcheck` (pikepdf), poppler's ``pdfinfo
-struct-text`` and ``pdffonts``, and the ``pdfua`` checker.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfua.model import Severity
from pdfua.validator import validate
from pypdf import PdfReader

from packbuilder import api

from helpers.pdftools import outline, page_texts
from helpers.tagcheck import structure_problems

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "meetings" / "osb-2022-05-11.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory, lo_cache):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("tagged") / "osb"
    return api.build(EXAMPLE, api.BuildOptions(output_dir=out, cache_dir=lo_cache))


def pdfs(built) -> list[Path]:
    """Every PDF the build wrote: the packs, agenda and item PDFs of public/ and members/."""
    found = [built.pack, *(p for p in built.files if p.suffix == ".pdf" and p != built.pack)]
    assert built.members_pack in found and built.output_dir / "public" / "agenda.pdf" in found
    return found


def test_every_pdf_written_has_a_sound_structure_tree(built) -> None:
    for pdf in pdfs(built):
        report = structure_problems(pdf)
        assert report.problems == [], (pdf.name, report.problems[:10])
        assert report.mcids > 40, pdf.name
    pack = structure_problems(built.pack)
    assert pack.elements > 2000 and pack.mcids > 5000
    assert pack.roles[:2] == ["/Document", "/Part"]


def struct_text(pdf: Path) -> list[str]:
    return subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], check=True, capture_output=True, text=True
    ).stdout.splitlines()


def _page_texts(lines: list[str]) -> int:
    return sum(1 for line in lines if re.fullmatch(r'\s*"Page \d+"', line))


def headings(lines: list[str]) -> list[str]:
    """The text of every H1-H6 element, in the structure tree's order."""
    found = []
    for n, line in enumerate(lines):
        match = re.match(r"^(\s*)H[1-6]\b", line)
        if not match:
            continue
        indent, text = len(match.group(1)), []
        for after in lines[n + 1 :]:
            if after.strip().startswith('"'):
                text.append(after.strip().strip('"'))
            elif len(after) - len(after.lstrip()) <= indent:
                break
        found.append("".join(text).strip())
    return found


def test_struct_text_lists_each_papers_headings_in_pack_order(built) -> None:
    lines = struct_text(built.pack)
    found = headings(lines)
    # no stamp, no blank-page text: they are artifacts, outside the structure; the only
    # "Page N" in it are the final reports' own CONTENTS entries
    assert not [line for line in lines if "intentionally left" in line]
    papers = sorted((ROOT / "meetings" / "papers").glob("*.pdf"))
    own = sum(_page_texts(struct_text(paper)) for paper in papers)
    assert own > 20 and _page_texts(lines) == own
    assert found[:2] == ["OVERVIEW AND SCRUTINY BOARD", "AGENDA"]
    # each paper's own headings (its bookmarks, made from them) in pack order
    documents = {
        d["title"] for i in built.manifest["items"] for p in i["papers"] for d in p["documents"]
    }
    marks = [
        title
        for depth, title, _page in outline(PdfReader(built.pack))
        if depth >= 2 and title not in documents  # packbuilder's own appendix bookmarks
    ]
    position = 0
    for title in marks:
        assert title in found[position:], f"{title!r} not after {found[position - 1]!r}"
        position = found.index(title, position) + 1
    assert len(marks) > 60


def test_the_parts_follow_the_agenda(built) -> None:
    parts = [line.strip() for line in struct_text(built.pack) if re.match(r"^  Part\b", line)]
    assert parts == [
        'Part "Agenda"',
        'Part "4. Executive Forward Work Programme"',
        'Part "5. Executive Member Update"',
        "Part \"8. The Children and Young People's Social Care Scrutiny Panel - Final Report - "
        'Sufficiency and Permanency"',
        "Part \"9. The Children and Young People's Social Care Scrutiny Panel - Final Report - "
        "Locality Working from a Children's Services Perspective\"",
    ]


def test_every_font_is_embedded(built) -> None:
    for pdf in pdfs(built):
        lines = subprocess.run(
            ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
        assert lines
        for line in lines:  # name, type, encoding, then: emb sub uni object generation
            assert line.split()[-5] == "yes", f"{pdf.name}: {line}"


def test_the_pdfua_checker_finds_nothing(built) -> None:
    for pdf in (built.pack, built.members_pack, built.output_dir / "public" / "agenda.pdf"):
        report = validate(str(pdf))
        findings = [f for outcome in report.outcomes for f in outcome.findings]
        assert [f for f in findings if f.severity >= Severity.WARNING] == [], findings[:5]
        ran = [o.rule_id for o in report.outcomes if o.skipped_reason is None]
        assert len(ran) >= 11  # UA-14-001 (empty headings) fails on /K arrays in pdfua 0.1.3


def test_catalog_metadata_and_the_pdfua_claim(built) -> None:
    for pdf_path in pdfs(built):
        with pikepdf.open(pdf_path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True
            assert str(root.Lang) == "en-GB"
            assert root.ViewerPreferences.DisplayDocTitle is True
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == str(pdf.docinfo.Title)
                assert xmp["pdfuaid:part"] == "1"
            for page in pdf.pages:
                if "/Annots" in page.obj:
                    assert page.obj.Tabs == "/S"


def test_the_agenda_links_are_described_link_elements(built) -> None:
    with pikepdf.open(built.pack) as pdf:
        annots = list(pdf.pages[0].obj.Annots)
        assert sorted(str(a.Contents) for a in annots) == [
            "Go to item 4, page 3",
            "Go to item 5, page 11",
            "Go to item 8, page 15",
            "Go to item 9, page 83",
        ]
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        for annot in annots:
            element = nums[nums.index(annot.StructParent) + 1]
            assert element.S == "/Link"


def test_the_manifest_says_the_pack_is_accessible(built) -> None:
    for folder in ("public", "members"):  # the public manifest and the full one
        manifest = json.loads((built.output_dir / folder / "manifest.json").read_text())
        assert manifest["accessibility"] == {"tagged": True, "pdfua": True, "untagged_papers": []}
        documents = [d for i in manifest["items"] for p in i["papers"] for d in p["documents"]]
        assert documents and all(d["tagged"] for d in documents), folder
    assert not [w for w in built.warnings if "not tagged" in w.message]


def test_a_supplement_is_tagged_too(tmp_path, lo_cache) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    options = api.BuildOptions(output_dir=tmp_path / "supplement", cache_dir=lo_cache)
    result = api.supplement(EXAMPLE, ["5", "9"], options)
    for pdf in pdfs(result):
        assert structure_problems(pdf).problems == [], pdf.name
    parts = [line.strip() for line in struct_text(result.pack) if re.match(r"^  Part\b", line)]
    assert parts[0] == 'Part "Supplementary Agenda"' and len(parts) == 3
    assert result.manifest["accessibility"]["pdfua"] is True


def test_both_ways_of_running_libreoffice_export_tagged_pdf(tmp_path) -> None:
    """One-shot ``soffice --convert-to`` (build) and the kept-running one (watch)."""
    from packbuilder.assemble.structure import is_tagged
    from packbuilder.convert._exec.soffice import OfficeServer, convert_to_pdf
    from packbuilder.inputs.pdfread import open_pdf

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    paper = ROOT / "meetings" / "papers" / "item05-executive-member-update.docx"
    one_shot = convert_to_pdf([paper], tmp_path / "one-shot", timeout=120)[paper]
    assert is_tagged(open_pdf(one_shot))
    if not OfficeServer.available():
        pytest.skip("no Python with LibreOffice's bridge (python3-uno)")
    with OfficeServer() as office:
        served = office.convert(paper, tmp_path / "served.pdf", timeout=120)
    assert is_tagged(open_pdf(served))
    assert structure_problems(served).problems == []


EXEMPT_ITEMS = """\
  - title: Apologies for Absence
  - title: Budget Monitoring
    papers:
      - title: Budget monitoring report
        file: papers/budget.docx
        appendices:
          - title: Appendix 1 - Tender prices
            file: papers/prices.docx
            exempt: 3
  - title: Contract Award
    exempt: 3
    papers:
      - title: Contract award report
        report:
          report_of: Director of Finance
          summary: The evaluation of the tenders.
"""


NOT_FOR_PUB = ["NOT", "FOR", "PUBLICATION"]


def test_both_packs_of_exempt_business_stay_tagged(tmp_path, lo_cache) -> None:
    """Tagged papers with exempt business: the members' pack is fully tagged (its NOT FOR
    PUBLICATION marks are artifacts) and claims PDF/UA; so does the public pack, whose
    pages standing for exempt papers are a heading and paragraphs in its structure tree."""
    from docx import Document as WordDocument

    from helpers import kit

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    for name, heading in (("budget", "Budget monitoring"), ("prices", "Tender prices")):
        document = WordDocument()
        document.add_heading(heading, 1)
        document.add_paragraph(f"The {heading.lower()} for the quarter.")
        (tmp_path / "papers").mkdir(exist_ok=True)
        document.save(tmp_path / "papers" / f"{name}.docx")
    meeting = kit.write_meeting(tmp_path, EXEMPT_ITEMS)
    options = api.BuildOptions(output_dir=tmp_path / "out", cache_dir=lo_cache)
    result = api.build(meeting, options)
    assert result.withheld == 2
    members = json.loads((result.output_dir / "members" / "manifest.json").read_text())
    assert members["accessibility"] == {"tagged": True, "pdfua": True, "untagged_papers": []}
    for pdf in (p for p in result.files if p.suffix == ".pdf" and "members" in p.parts):
        assert structure_problems(pdf).problems == [], pdf.name
    texts = page_texts(result.pack)
    standing_for = {n for n, text in enumerate(texts, 1) if text.split()[:3] == NOT_FOR_PUB}
    assert len(standing_for) == 2, texts
    assert structure_problems(result.pack).problems == []
    public = json.loads((result.output_dir / "public" / "manifest.json").read_text())
    assert public["accessibility"] == {"tagged": True, "pdfua": True, "untagged_papers": []}
    with pikepdf.open(result.pack) as pdf:
        for number in standing_for:
            page = pdf.pages[number - 1]
            content = b"".join(c.read_bytes() for c in _contents(page))
            assert b"/H1 <</MCID 0>> BDC" in content, number
            assert "/StructParents" in page.obj, number


def _contents(page: pikepdf.Page) -> list[pikepdf.Stream]:
    """A page's content streams."""
    contents = page.obj.Contents
    return list(contents) if isinstance(contents, pikepdf.Array) else [contents]
