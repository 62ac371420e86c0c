"""Tagged sources keep their structure through assembly (no LibreOffice: pikepdf-made PDFs).

Each pack is read back with :mod:`tagcheck` (pikepdf, independent of packbuilder):
every MCID resolves through the parent tree to the element that marks it, no
parent-tree key twice, every element reachable once with its /P right, no text
outside marked content; and the merge's own promises: role, class and ID
clashes renamed, ``pages:`` selections pruned, links as OBJRs.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from packbuilder.assemble import Bookmark, PackMetadata, PackPage, PackSpec, Section, write_pack
from packbuilder.assemble.marked import unmarked
from packbuilder.inputs.pdfread import open_pdf

from helpers.kit import pdf as untagged_pdf
from helpers.tagcheck import structure_problems
from helpers.tagkit import tagged_pdf, titles


def spec_of(pages: list[PackPage], sections: list[Section] | None = None) -> PackSpec:
    return PackSpec(
        pages=pages,
        bookmarks=[Bookmark("Agenda", 0)],
        link_targets={},
        metadata=PackMetadata(title="Tagged", subject="Tests", author="packbuilder"),
        sections=sections or [],
    )


def pages_of(reader, indices) -> list[PackPage]:
    return [PackPage(reader, i) for i in indices]


def xmp(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return pdf.Root.Metadata.read_bytes()


@pytest.fixture
def two_sources(tmp_path: Path):
    """Two tagged papers that clash: /Para means P in one and H2 in the other, the same
    IDs, and the class /Box with different attributes."""
    a = open_pdf(tagged_pdf(tmp_path / "a.pdf", 3, label="A", link=True))
    b = open_pdf(tagged_pdf(tmp_path / "b.pdf", 2, label="B", para_role="/H2", box_padding=5))
    return a, b


def test_two_tagged_papers_merge_into_one_checked_tree(two_sources, tmp_path: Path) -> None:
    a, b = two_sources
    pages = pages_of(a, [0, 1, 2]) + [PackPage(None)] + pages_of(b, [0, 1])
    sections = [
        Section("1. First item", 0, 4, [Section("Paper A", 0, 3)]),
        Section("2. Second item", 4, 6, [Section("Paper B", 4, 6)]),
    ]
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages, sections), out)
    report = structure_problems(out)
    assert report.problems == []
    assert report.mcids == 3 * 2 + 1 + 2 * 2  # headings, paragraphs, the link's text
    assert result.tagged and result.pdfua
    assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp(out)
    # the Document holds a Part per section, a Sect per paper, the papers' elements in order
    assert titles(out) == [
        "1. First item",
        "Paper A",
        *("A-h1", "A-p1", "A-l", "A-h2", "A-p2", "A-h3", "A-p3"),
        "2. Second item",
        "Paper B",
        *("B-h1", "B-p1", "B-h2", "B-p2"),
    ]
    with pikepdf.open(out) as pdf:
        root = pdf.Root.StructTreeRoot
        assert pdf.Root.MarkInfo.Marked is True
        assert root.K[0].S == "/Document" and [str(k.S) for k in root.K[0].K] == ["/Part"] * 2
        # /Para means /P in A and /H2 in B: B's is renamed, both map to what they meant
        assert dict(root.RoleMap) == {"/Para": "/P", "/Para_2": "/H2"}
        roles = {str(e.T): str(e.S) for e in _elements(root) if "/T" in e}
        assert roles["A-p1"] == "/Para" and roles["B-p1"] == "/Para_2"
        # the class /Box differs: B's is renamed too
        assert set(root.ClassMap.keys()) == {"/Box", "/Box_2"}
        classes = {str(e.T): str(e.C) for e in _elements(root) if "/C" in e}
        assert classes["A-p2"] == "/Box" and classes["B-p2"] == "/Box_2"
        # IDs: B's h1 is h1-2 in the pack; the ID tree names every element once
        names = list(root.IDTree.Names)
        ids = [bytes(names[i]) for i in range(0, len(names), 2)]
        assert ids == sorted(ids) and len(ids) == len(set(ids)) == 7 + 4
        assert b"h1-2" in ids
        by_id = {bytes(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert str(by_id[b"h1-2"].T) == "B-h1" and str(by_id[b"h1"].T) == "A-h1"


def _elements(root) -> list:
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids else []
        for kid in items:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
                found.append(kid)
                stack.append(kid)
    return found


def test_the_papers_link_stays_a_link_element_with_its_objr(two_sources, tmp_path) -> None:
    a, _b = two_sources
    out = tmp_path / "pack.pdf"
    write_pack(spec_of(pages_of(a, [0, 1, 2])), out)
    assert structure_problems(out).problems == []
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0].obj
        (annot,) = page.Annots
        assert page.Tabs == "/S"
        assert str(annot.Contents) == "Go to the last page"
        element = pdf.Root.StructTreeRoot.ParentTree.Nums[
            list(pdf.Root.StructTreeRoot.ParentTree.Nums).index(annot.StructParent) + 1
        ]
        assert element.S == "/Link"
        objr = [k for k in element.K if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
        assert objr[0].Obj.objgen == annot.objgen
        assert annot.Dest[0].objgen == pdf.pages[2].obj.objgen


def test_a_page_selection_keeps_only_its_own_elements(two_sources, tmp_path: Path) -> None:
    a, _b = two_sources
    out = tmp_path / "pack.pdf"
    write_pack(spec_of(pages_of(a, [0, 2])), out)  # pages: 1, 3
    assert structure_problems(out).problems == []
    assert titles(out) == ["A-h1", "A-p1", "A-l", "A-h3", "A-p3"]
    with pikepdf.open(out) as pdf:
        # the link's target (page 3) is in the pack: the link and its OBJR stay
        assert len(pdf.pages[0].obj.Annots) == 1


def test_a_link_whose_target_is_left_out_goes_with_its_objr(two_sources, tmp_path) -> None:
    a, _b = two_sources
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(a, [0, 1])), out)  # page 3, the target, left out
    assert structure_problems(out).problems == []
    with pikepdf.open(out) as pdf:
        assert "/Annots" not in pdf.pages[0].obj
        (link,) = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Link"]
        assert all(not isinstance(k, pikepdf.Dictionary) or k.Type == "/MCR" for k in link.K)
    assert result.pdfua


def test_the_same_paper_twice_has_its_structure_twice(two_sources, tmp_path: Path) -> None:
    _a, b = two_sources
    out = tmp_path / "pack.pdf"
    write_pack(spec_of(pages_of(b, [0, 1]) + pages_of(b, [0, 1])), out)
    report = structure_problems(out)
    assert report.problems == []
    assert report.mcids == 8
    assert titles(out) == ["B-h1", "B-p1", "B-h2", "B-p2"] * 2
    with pikepdf.open(out) as pdf:
        forms = {p.obj.Resources.XObject.PbPage.objgen for p in pdf.pages}
        assert len(forms) == 4  # each use draws its own form, with its own /StructParents


def test_extracts_have_their_own_tree(two_sources, tmp_path: Path) -> None:
    a, b = two_sources
    pages = pages_of(a, [0, 1, 2]) + [PackPage(None)] + pages_of(b, [0, 1])
    sections = [Section("1. First", 0, 4, [Section("A", 0, 3)]), Section("2. Second", 4, 6)]
    extract = tmp_path / "items" / "second.pdf"
    write_pack(spec_of(pages, sections), tmp_path / "pack.pdf", extracts={extract: (5, 6)})
    assert structure_problems(extract).problems == []
    assert titles(extract) == ["2. Second", "B-h1", "B-p1", "B-h2", "B-p2"]
    assert b"pdfuaid:part" in xmp(extract)


def test_an_untagged_paper_is_not_hidden(two_sources, tmp_path: Path) -> None:
    a, _b = two_sources
    plain = open_pdf(untagged_pdf(tmp_path / "plain.pdf", 2))
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(a, [0]) + pages_of(plain, [0, 1])), out)
    assert result.tagged and not result.pdfua
    assert b"pdfuaid" not in xmp(out)
    problems = structure_problems(out).problems
    assert problems and all(p.startswith(("page 2:", "page 3:")) for p in problems)
    # its page is painted bare, so checkers that do not look into forms see it too
    stamp = PdfReader(out).pages[1]["/Contents"].get_object().get_data()
    assert stamp.startswith(b"q /PbPage Do Q")
    tagged_stamp = PdfReader(out).pages[0]["/Contents"].get_object().get_data()
    assert tagged_stamp.startswith(b"q /PbContent BMC /PbPage Do EMC Q")


def test_a_pack_of_untagged_papers_has_no_structure(tmp_path: Path) -> None:
    plain = open_pdf(untagged_pdf(tmp_path / "plain.pdf", 2))
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(plain, [0, 1]) + [PackPage(None)]), out)
    assert not result.tagged and not result.pdfua
    with pikepdf.open(out) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        assert str(pdf.open_metadata().get("dc:title")) == "Tagged"


def test_the_checker_finds_a_broken_tree(two_sources, tmp_path: Path) -> None:
    """tagcheck itself: a pack whose parent tree is tampered with fails it."""
    a, _b = two_sources
    out = tmp_path / "pack.pdf"
    write_pack(spec_of(pages_of(a, [0, 1])), out)
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(out) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        first = next(i for i in range(1, len(nums), 2) if isinstance(nums[i], pikepdf.Array))
        nums[first] = pikepdf.Array(list(reversed(list(nums[first]))))  # MCIDs swapped
        nums.append(nums[0])  # a key twice
        nums.append(pikepdf.Array())
        pdf.save(broken)
    problems = structure_problems(broken).problems
    assert any("does not resolve" in p for p in problems)
    assert any("twice" in p for p in problems)


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"/P <</MCID 0>> BDC BT (a) Tj ET EMC", 0),
        (b"/Artifact BMC BT (Page 1) Tj ET EMC", 0),
        (b"BT (loose) Tj ET", 1),
        (b"/P <</MCID 0>> BDC BT [(a) 5 (b)] TJ ET EMC BT <0102> Tj ET", 1),
        (b"/P <</MCID 0>> BDC BT (a \\) EMC) Tj ET EMC BT (b) ' ET", 1),  # EMC in a string
        (b"/P <</MCID 0>> BDC BT (a (nested) x) Tj ET EMC", 0),
        (b"q /Im1 Do Q", 1),
        (b"/Figure <</MCID 1>> BDC q /Im1 Do Q EMC % Tj in a comment", 0),
        (b"BT (a ((deep)) b) Tj ET", None),  # nested deeper than the expression reads
    ],
)
def test_unmarked_counts_text_and_paints_outside_marked_content(content, expected) -> None:
    assert unmarked(content) == expected


def test_marked_content_in_a_papers_own_form_xobject_keeps_resolving(tmp_path) -> None:
    """A paragraph partly drawn by a form XObject of the page (an MCR with /Stm)."""
    paper = open_pdf(tagged_pdf(tmp_path / "forms.pdf", 3, form_page=2))
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(paper, [1, 2])), out)
    report = structure_problems(out)
    assert report.problems == []
    assert report.mcids == 3 + 2  # page 2 (two on the page, one in its form), page 3
    assert result.pdfua
    with pikepdf.open(out) as pdf:
        inner = pdf.pages[0].Resources.XObject.PbPage.Resources.XObject.Fm1
        keys = [int(p.Resources.XObject.PbPage.StructParents) for p in pdf.pages]
        assert int(inner.StructParents) not in keys  # renumbered, its own key
    assert "A in a form" in subprocess_text(out)


def test_a_papers_marked_form_used_twice_marks_its_first_use_only(tmp_path) -> None:
    """One /StructParents per form: the second use of the page loses that reference and
    the pack does not claim to be fully tagged."""
    paper = open_pdf(tagged_pdf(tmp_path / "forms.pdf", 3, form_page=2))
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(paper, [1]) + pages_of(paper, [1])), out)
    assert structure_problems(out).problems == ["page 2: MCID 0 does not resolve to its element"]
    assert result.tagged and not result.pdfua


def subprocess_text(pdf: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout


def test_a_form_field_stays_in_the_structure(tmp_path) -> None:
    paper = open_pdf(tagged_pdf(tmp_path / "field.pdf", 2, field=True))
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(paper, [0, 1])), out)
    assert structure_problems(out).problems == []
    assert result.pdfua
    with pikepdf.open(out) as pdf:
        (widget,) = pdf.pages[0].obj.Annots
        assert str(widget.TU) == "Your name" and "/StructParent" in widget
        assert pdf.pages[0].obj.Tabs == "/S"


@pytest.mark.parametrize(
    "inner,expected",
    [
        (b"/P <</MCID 0>> BDC BT (in a form) Tj ET EMC", 0),  # the form's content is marked
        (b"BT (loose in a form) Tj ET /Im1 Do", 2),  # its text and image are not
    ],
)
def test_a_form_painted_outside_marked_content_counts_its_own_content(inner, expected) -> None:
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from packbuilder.assemble.marked import content_unmarked

    form = DecodedStreamObject()
    form.set_data(inner)
    form[NameObject("/Subtype")] = NameObject("/Form")
    image = DecodedStreamObject()
    image[NameObject("/Subtype")] = NameObject("/Image")
    form[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im1"): image})}
    )
    resources = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Fm1"): form})}
    )
    page = b"/Artifact BMC BT (Page 1) Tj ET EMC q /Fm1 Do Q"
    assert content_unmarked(page, resources) == expected
    assert content_unmarked(b"/Sect BMC /Fm1 Do EMC", resources) == 0  # inside marked content


def test_a_tagged_page_with_unmarked_text_is_not_hidden(tmp_path: Path) -> None:
    """A tagged paper whose page also shows text outside marked content: no PDF/UA claim,
    and its form is painted bare, so checkers that do not look into forms see it."""
    path = tagged_pdf(tmp_path / "a.pdf", 2)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[1]
        page.obj.Contents = pdf.make_stream(
            page.obj.Contents.read_bytes() + b"BT /F1 9 Tf 72 100 Td (loose) Tj ET\n"
        )
        pdf.save(path)
    out = tmp_path / "pack.pdf"
    result = write_pack(spec_of(pages_of(open_pdf(path), [0, 1])), out)
    assert result.tagged and not result.pdfua
    stamps = [p["/Contents"].get_object().get_data() for p in PdfReader(out).pages]
    assert stamps[0].startswith(b"q /PbContent BMC /PbPage Do EMC Q")
    assert stamps[1].startswith(b"q /PbPage Do Q")
    assert structure_problems(out).problems == ["page 2: text (Tj) outside marked content"]


def test_the_cycle_collector_is_back_on_however_writing_ends(two_sources, tmp_path) -> None:
    import gc

    from packbuilder.exceptions import OutputError

    a, _b = two_sources
    assert gc.isenabled()
    write_pack(spec_of(pages_of(a, [0])), tmp_path / "pack.pdf")
    assert gc.isenabled()
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(OutputError):
        write_pack(spec_of(pages_of(a, [0])), tmp_path / "file" / "pack.pdf")
    assert gc.isenabled()
