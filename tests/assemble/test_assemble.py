"""write_pack: merge, pad, stamp, bookmark, link, label, metadata; checked with pypdf,
poppler's pdftotext and qpdf --check on PDFs generated here."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen import canvas

from packbuilder.assemble import (
    Bookmark,
    PackMetadata,
    PackPage,
    PackSpec,
    write_pack,
)
from packbuilder.inputs.pdfread import open_pdf
from packbuilder.model.meeting import LINK_PREFIX

from helpers.pdftools import (
    NEEDS_POPPLER_AND_QPDF,
    assert_stamp_at_foot,
    bbox_pages,
    page_text,
    qpdf_check,
)

pytestmark = NEEDS_POPPLER_AND_QPDF

BLANK = "This page is intentionally left blank"

# --------------------------------------------------------------------------- sources


def rl_pdf(path: Path, pages: list[str], size=A4, outline=None, draw=None) -> Path:
    """A reportlab PDF with one line of text per page (and an optional outline)."""
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    for n, text in enumerate(pages):
        c.setFont("Times-Roman", 14)
        c.drawString(72, size[1] - 100, text)
        if draw:
            draw(c, n)
        c.bookmarkPage(f"p{n}")
        for title, page, level in outline or []:
            if page == n:
                c.addOutlineEntry(title, f"p{n}", level=level)
        c.showPage()
    c.save()
    return path


def raw_page(content: bytes, fonts: dict[str, str], size=(595.276, 841.89)) -> PageObject:
    page = PageObject.create_blank_page(width=size[0], height=size[1])
    font_dict = DictionaryObject()
    for name, base in fonts.items():
        font_dict[NameObject(name)] = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(base),
            }
        )
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): font_dict})
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = stream
    return page


def write(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def link(rect: list[float], **entries) -> DictionaryObject:
    annot = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
        }
    )
    for key, value in entries.items():
        annot[NameObject("/" + key)] = value
    return annot


def make_front(path: Path) -> Path:
    def draw(c, n):
        if n == 0:
            c.drawString(72, 600, "4. Outline paper    3 - 6")
            c.linkURL(LINK_PREFIX + "4", (400, 595, 480, 615), relative=0)
            c.drawString(72, 570, "5. Links paper    7 - 8")
            c.linkURL(LINK_PREFIX + "5", (400, 565, 480, 585), relative=0)
            c.linkURL(LINK_PREFIX + "99", (400, 535, 480, 555), relative=0)
            c.linkURL("https://www.middlesbrough.gov.uk/", (72, 500, 300, 520), relative=0)

    return rl_pdf(path, ["AGENDA", "MEMBERSHIP"], draw=draw)


def make_links(path: Path, tmp: Path) -> Path:
    """Page 1 links to page 3 by a named destination (GoTo action); page 3 links to
    page 1 by an explicit destination and to page 2 by a named /Dest."""
    writer = PdfWriter(clone_from=rl_pdf(tmp / "links-base.pdf", ["L one", "L two", "L three"]))
    writer.add_named_destination("third", 2)
    writer.add_named_destination("second", 1)
    writer.add_annotation(
        0,
        link(
            [72, 700, 200, 720],
            A=DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): TextStringObject("third"),
                }
            ),
        ),
    )
    first = writer.pages[0].indirect_reference
    writer.add_annotation(
        2, link([72, 700, 200, 720], Dest=ArrayObject([first, NameObject("/Fit")]))
    )
    writer.add_annotation(2, link([72, 650, 200, 670], Dest=TextStringObject("second")))
    return write(writer, path)


def make_rotated(path: Path, tmp: Path) -> Path:
    writer = PdfWriter(
        clone_from=rl_pdf(tmp / "rot-base.pdf", ["Rotated 90", "Rotated 270", "Rotated 180"])
    )
    for page, angle in zip(writer.pages, (90, 270, 180), strict=True):
        page.rotate(angle)
    return write(writer, path)


def make_offset(path: Path) -> Path:
    writer = PdfWriter()
    page = raw_page(b"BT /F1 14 Tf 200 500 Td (Offset box) Tj ET", {"/F1": "/Helvetica"})
    page.mediabox = RectangleObject([100, 100, 695, 942])
    writer.add_page(page)
    page = raw_page(b"BT /F1 14 Tf 200 500 Td (Cropped page) Tj ET", {"/F1": "/Helvetica"})
    page.cropbox = RectangleObject([50, 60, 545, 782])
    writer.add_page(page)
    return write(writer, path)


def make_leaky(path: Path) -> Path:
    """A page whose content leaves a changed, unbalanced graphics state behind."""
    writer = PdfWriter()
    content = (
        b"BT /F1 14 Tf 72 720 Td (Leaky page) Tj ET "
        b"1 0 0 rg 0.3 w 2 0 0 2 50 50 cm 3 Tr BT /F1 30 Tf ET"
    )
    writer.add_page(raw_page(content, {"/F1": "/Helvetica"}))
    return write(writer, path)


def make_clash(path: Path) -> Path:
    """A page that already has a font resource called /PbStamp (the stamp's own name)."""
    writer = PdfWriter()
    content = b"BT /PbStamp 14 Tf 72 720 Td (Own font) Tj ET"
    writer.add_page(raw_page(content, {"/PbStamp": "/Times-Roman"}))
    return write(writer, path)


def make_shared(path: Path, tmp: Path) -> Path:
    """Three pages drawing the same image (one XObject shared by all pages)."""
    from PIL import Image

    image = tmp / "logo.png"
    Image.linear_gradient("L").resize((64, 64)).save(image)

    def draw(c, n):
        c.drawImage(str(image), 400, 700, 64, 64)

    return rl_pdf(path, ["Shared one", "Shared two", "Shared three"], draw=draw)


def make_form(path: Path, label: str) -> Path:
    def draw(c, n):
        c.acroForm.textfield(name="name", tooltip="Name", x=72, y=600, width=200, height=20)

    return rl_pdf(path, [label], draw=draw)


# ------------------------------------------------------------------------ the pack


@dataclass
class Built:
    spec: PackSpec
    out: Path
    reader: PdfReader
    extracts: dict[str, Path]


EXPECTED_TEXT = {
    0: "AGENDA",
    1: "MEMBERSHIP",
    2: "Heading page 1",
    3: "Heading page 2",
    4: "Heading page 3",
    5: BLANK,
    6: "L one",
    7: "L three",
    8: "Landscape",
    9: BLANK,
    10: "A three",
    11: BLANK,
    12: "Rotated 90",
    13: "Rotated 270",
    14: "Rotated 180",
    15: BLANK,
    16: "Offset box",
    17: "Cropped page",
    18: "Leaky page",
    19: BLANK,
    20: "Own font",
    21: BLANK,
    22: "Shared one",
    23: "Shared two",
    24: "Shared three",
    25: "Shared one",
    26: "Form one",
    27: "Form two",
}


def build_spec(src: dict[str, Path]) -> PackSpec:
    r = {name: open_pdf(path) for name, path in src.items()}

    def pages(name: str, *indices: int) -> list[PackPage]:
        return [PackPage(r[name], i) for i in indices]

    blank = [PackPage(None)]
    spec_pages = (
        pages("front", 0, 1)
        + pages("outline", 0, 1, 2)
        + blank
        + pages("links", 0, 2)
        + pages("landscape", 0)
        + blank
        + pages("a3", 0)
        + blank
        + pages("rotated", 0, 1, 2)
        + blank
        + pages("offset", 0, 1)
        + pages("leaky", 0)
        + blank
        + pages("clash", 0)
        + blank
        + pages("shared", 0, 1, 2, 0)
        + pages("form1", 0)
        + pages("form2", 0)
    )
    assert len(spec_pages) == len(EXPECTED_TEXT)
    bookmarks = [
        Bookmark("Agenda", 0),
        Bookmark("4. Outline paper", 2, imported=[(r["outline"], {0: 2, 1: 3, 2: 4})]),
        Bookmark(
            "5. Links paper",
            6,
            children=[Bookmark("Appendix A", 7)],
            imported=[(r["links"], {0: 6, 2: 7})],
        ),
        Bookmark("6. Shapes", 8, children=[Bookmark("Rotated", 12), Bookmark("Offset", 16)]),
        Bookmark("7. Odd pages", 18),
        Bookmark("8. Shared", 22),
        Bookmark("9. Forms", 26),
    ]
    return PackSpec(
        pages=spec_pages,
        bookmarks=bookmarks,
        link_targets={"4": 2, "5": 6},
        metadata=PackMetadata(
            title="Overview and Scrutiny Board, Wednesday 11 May 2022: Agenda",
            subject="Agenda and reports for the meeting of the Overview and Scrutiny Board",
            author="Middlesbrough Council",
            keywords="Overview and Scrutiny Board; 2022-05-11; agenda pack",
        ),
    )


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("sources")
    return {
        "front": make_front(tmp / "front.pdf"),
        "outline": rl_pdf(
            tmp / "outline.pdf",
            ["Heading page 1", "Heading page 2", "Heading page 3"],
            outline=[("Introduction", 0, 0), ("Background", 1, 1), ("Findings", 2, 0)],
        ),
        "links": make_links(tmp / "links.pdf", tmp),
        "landscape": rl_pdf(tmp / "landscape.pdf", ["Landscape"], size=landscape(A4)),
        "a3": rl_pdf(tmp / "a3.pdf", ["A three"], size=A3),
        "rotated": make_rotated(tmp / "rotated.pdf", tmp),
        "offset": make_offset(tmp / "offset.pdf"),
        "leaky": make_leaky(tmp / "leaky.pdf"),
        "clash": make_clash(tmp / "clash.pdf"),
        "shared": make_shared(tmp / "shared.pdf", tmp),
        "form1": make_form(tmp / "form1.pdf", "Form one"),
        "form2": make_form(tmp / "form2.pdf", "Form two"),
    }


@pytest.fixture(scope="module")
def built(sources: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Built:
    out_dir = tmp_path_factory.mktemp("pack")
    spec = build_spec(sources)
    extracts = {
        "item4": out_dir / "items" / "item-4.pdf",
        "item5": out_dir / "items" / "item-5.pdf",
        "agenda": out_dir / "agenda.pdf",
    }
    out = out_dir / "pack.pdf"
    write_pack(
        spec,
        out,
        extracts={extracts["item4"]: (3, 6), extracts["item5"]: (7, 8), extracts["agenda"]: (1, 2)},
    )
    return Built(spec, out, PdfReader(out), extracts)


# ---------------------------------------------------------------------- helpers


def outline_entries(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    result = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            result.extend(outline_entries(reader, item, depth + 1))
        else:
            result.append((depth, item.title, reader.get_destination_page_number(item)))
    return result


def dest_page(reader: PdfReader, annot: DictionaryObject) -> int:
    dest = annot.get("/Dest")
    if dest is None:
        dest = annot["/A"]["/D"]
    return reader.get_page_number(dest[0].get_object())


# ------------------------------------------------------------------------ tests


def test_output_passes_qpdf_check(built: Built) -> None:
    qpdf_check(built.out)
    for path in built.extracts.values():
        qpdf_check(path)


def test_every_page_is_copied_and_stamped(built: Built) -> None:
    assert len(built.reader.pages) == len(EXPECTED_TEXT)
    for index, expected in EXPECTED_TEXT.items():
        text = page_text(built.out, index + 1)
        assert expected in text, (index, text)
        assert f"Page {index + 1}" in text, (index, text)


def test_stamp_is_upright_and_centred_at_the_displayed_foot(built: Built) -> None:
    pages = bbox_pages(built.out)
    assert len(pages) == len(EXPECTED_TEXT)
    for index, (width, height, words) in enumerate(pages):
        assert_stamp_at_foot(width, height, words, index + 1)
    # The displayed sizes really are rotated / landscape / offset.
    assert pages[8][0] > pages[8][1]  # landscape
    assert pages[12][0] > pages[12][1] and pages[13][0] > pages[13][1]  # /Rotate 90, 270
    assert pages[14][0] < pages[14][1]  # /Rotate 180
    assert round(pages[10][1]) == 1191  # A3
    assert round(pages[17][0]) == 495 and round(pages[17][1]) == 722  # CropBox


def test_source_page_geometry_is_kept(built: Built) -> None:
    pages = built.reader.pages
    assert [pages[i].rotation for i in (12, 13, 14)] == [90, 270, 180]
    assert [float(v) for v in pages[16].mediabox] == [100, 100, 695, 942]
    assert [float(v) for v in pages[17].cropbox] == [50, 60, 545, 782]


def own_resources(page) -> DictionaryObject:
    """The resources of a copied page's own content (its form XObject /PbPage)."""
    return page["/Resources"]["/XObject"]["/PbPage"]["/Resources"]


def test_stamp_is_one_small_compressed_stream_and_the_page_is_wrapped(built: Built) -> None:
    fonts = set()
    for index, page in enumerate(built.reader.pages):
        contents = page["/Contents"]
        blank = EXPECTED_TEXT[index] == BLANK
        if blank:
            assert isinstance(contents, ArrayObject) and len(contents) == 2
            last = contents[-1].get_object()
        else:  # one stream: the page's own content as a form XObject, then the stamp
            last = contents.get_object()
            form = page["/Resources"]["/XObject"]["/PbPage"]
            assert form["/Subtype"] == "/Form"
            assert [float(v) for v in form["/BBox"]] == [float(v) for v in page.mediabox]
        assert last["/Filter"] == "/FlateDecode"
        assert len(last._data) < 200
        stamp = last.get_data()
        # the stamp is a pagination artifact: black text on a white box, in its own q/Q
        artifact = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q "
        assert stamp.startswith(artifact if blank else b"q /PbPage Do Q\n" + artifact)
        assert b" 1 g " in stamp and b" re f BT " in stamp and stamp.endswith(b"ET Q EMC\n")
        font_name = stamp.split(b" Tf")[0].split()[-2].decode()
        assert font_name == "/PbStamp"
        font = page["/Resources"]["/Font"].raw_get(font_name)
        fonts.add(font.idnum)
        assert font.get_object()["/BaseFont"].endswith("+LiberationSans")
        assert font.get_object()["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font.get_object()["/FontDescriptor"]
        assert font.get_object()["/Encoding"] == "/WinAnsiEncoding"
    assert len(fonts) == 1  # one shared font object


def test_stamp_font_does_not_clash_with_the_pages_own(built: Built) -> None:
    page = built.reader.pages[20]
    assert own_resources(page)["/Font"]["/PbStamp"]["/BaseFont"] == "/Times-Roman"
    assert page["/Resources"]["/Font"]["/PbStamp"]["/BaseFont"].endswith("+LiberationSans")
    assert "Own font" in page_text(built.out, 21)


def test_blank_pages(built: Built) -> None:
    pages = bbox_pages(built.out)
    for index, expected in EXPECTED_TEXT.items():
        if expected != BLANK:
            continue
        page = built.reader.pages[index]
        assert [round(float(v)) for v in page.mediabox] == [0, 0, 595, 842]
        width, height, words = pages[index]
        line = [w for w in words if w.text != "Page" and w.text != str(index + 1)]
        assert " ".join(w.text for w in line) == BLANK
        centre = (line[0].x0 + line[-1].x1) / 2
        assert abs(centre - width / 2) < 2
        assert abs(line[0].y1 - height / 2) < 20


def test_page_labels_equal_printed_numbers(built: Built) -> None:
    assert built.reader.page_labels == [str(n) for n in range(1, len(EXPECTED_TEXT) + 1)]


def test_outline(built: Built) -> None:
    assert built.reader.root_object["/PageMode"] == "/UseOutlines"
    assert outline_entries(built.reader) == [
        (0, "Agenda", 0),
        (0, "4. Outline paper", 2),
        (1, "Introduction", 2),
        (2, "Background", 3),
        (1, "Findings", 4),
        (0, "5. Links paper", 6),
        (1, "Appendix A", 7),
        (0, "6. Shapes", 8),
        (1, "Rotated", 12),
        (1, "Offset", 16),
        (0, "7. Odd pages", 18),
        (0, "8. Shared", 22),
        (0, "9. Forms", 26),
    ]


def test_imported_outline_entries_off_the_selection_are_dropped_children_kept(
    sources: dict[str, Path], tmp_path: Path
) -> None:
    reader = open_pdf(sources["outline"])
    spec = PackSpec(
        pages=[PackPage(None), PackPage(reader, 1), PackPage(reader, 2)],
        bookmarks=[Bookmark("Paper", 1, imported=[(reader, {1: 1, 2: 2})])],
        link_targets={},
        metadata=PackMetadata("t", "s", "a"),
    )
    write_pack(spec, tmp_path / "out.pdf")
    result = PdfReader(tmp_path / "out.pdf")
    # "Introduction" (source page 1) is not in the pack; its child "Background" moves up.
    assert outline_entries(result) == [(0, "Paper", 1), (1, "Background", 1), (1, "Findings", 2)]
    qpdf_check(tmp_path / "out.pdf")


def test_agenda_links_become_internal(built: Built) -> None:
    annots = [a.get_object() for a in built.reader.pages[0]["/Annots"]]
    internal = [a for a in annots if "/Dest" in a]
    uris = [a["/A"]["/URI"] for a in annots if "/A" in a]
    assert sorted(dest_page(built.reader, a) for a in internal) == [2, 6]
    assert uris == ["https://www.middlesbrough.gov.uk/"]  # real links still work
    assert not any(LINK_PREFIX in str(u) for u in uris)  # item 99 has no target: removed
    for annot in internal:
        assert annot.raw_get("/P").idnum == built.reader.pages[0].indirect_reference.idnum


def test_papers_internal_links_are_remapped_or_dropped(built: Built) -> None:
    first = [a.get_object() for a in built.reader.pages[6]["/Annots"]]
    assert [dest_page(built.reader, a) for a in first] == [7]  # named "third" -> page 3
    assert first[0]["/A"]["/S"] == "/GoTo"
    third = [a.get_object() for a in built.reader.pages[7]["/Annots"]]
    # The link to page 1 is kept; the one to page 2 (not in the pack) is dropped.
    assert [dest_page(built.reader, a) for a in third] == [6]


def test_metadata(built: Built) -> None:
    meta = built.reader.metadata
    spec = built.spec.metadata
    assert meta.title == spec.title
    assert meta.subject == spec.subject
    assert meta.author == spec.author
    assert meta["/Keywords"] == spec.keywords
    assert meta.creator == "packbuilder"
    assert meta.producer
    assert "/CreationDate" not in meta and "/ModDate" not in meta
    root = built.reader.root_object
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert len(built.reader.trailer["/ID"]) == 2


def test_created_date_is_written_when_given(sources: dict[str, Path], tmp_path: Path) -> None:
    reader = open_pdf(sources["a3"])
    created = dt.datetime(2022, 5, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    spec = PackSpec([PackPage(reader)], [], {}, PackMetadata("Title é", "s", "a", created=created))
    write_pack(spec, tmp_path / "dated.pdf")
    meta = PdfReader(tmp_path / "dated.pdf").metadata
    assert meta["/CreationDate"] == "D:20220503093000+01'00'"
    assert meta.creation_date == created
    assert meta.title == "Title é"


def test_same_spec_gives_the_same_bytes(sources: dict[str, Path], tmp_path: Path) -> None:
    write_pack(build_spec(sources), tmp_path / "one.pdf")
    write_pack(build_spec(sources), tmp_path / "two.pdf")  # freshly opened readers
    one, two = (tmp_path / "one.pdf").read_bytes(), (tmp_path / "two.pdf").read_bytes()
    assert one == two
    spec = build_spec(sources)
    spec.metadata.title = "Another title"
    write_pack(spec, tmp_path / "three.pdf")
    ids = [PdfReader(tmp_path / name).trailer["/ID"][0] for name in ("one.pdf", "three.pdf")]
    assert ids[0] != ids[1]  # the /ID follows the content


def test_shared_objects_are_written_once(built: Built, sources: dict[str, Path]) -> None:
    data = built.out.read_bytes()
    assert data.count(b"/Subtype /Image") == 1
    images = set()
    for index in (22, 23, 24, 25):
        xobjects = own_resources(built.reader.pages[index])["/XObject"]
        images.update(ref.idnum for ref in xobjects.values() if hasattr(ref, "idnum"))
        images.update(
            v.indirect_reference.idnum for v in (x.get_object() for x in xobjects.values())
        )
    assert len(images) == 1
    # The page used twice is two page objects sharing the same content (form XObject).
    first, again = built.reader.pages[22], built.reader.pages[25]
    assert first.indirect_reference != again.indirect_reference
    forms = [p["/Resources"]["/XObject"].raw_get("/PbPage").idnum for p in (first, again)]
    assert forms[0] == forms[1]


def test_output_size_is_close_to_the_inputs(built: Built, sources: dict[str, Path]) -> None:
    inputs = sum(path.stat().st_size for path in sources.values())
    assert built.out.stat().st_size < inputs * 1.2 + 28 * 300


def test_forms_do_not_break_and_fields_are_kept_apart(built: Built) -> None:
    form = built.reader.root_object["/AcroForm"]
    fields = built.reader.get_fields()
    assert {"paper1.name", "paper2.name"} <= set(fields)
    assert "name" not in fields
    assert len(form["/Fields"]) == 2


def test_extracts(built: Built) -> None:
    item4 = PdfReader(built.extracts["item4"])
    assert len(item4.pages) == 4
    assert item4.page_labels == ["3", "4", "5", "6"]
    for n in range(4):
        assert f"Page {n + 3}" in page_text(built.extracts["item4"], n + 1)
    assert BLANK in page_text(built.extracts["item4"], 4)
    assert outline_entries(item4) == [
        (0, "4. Outline paper", 0),
        (1, "Introduction", 0),
        (2, "Background", 1),
        (1, "Findings", 2),
    ]
    assert item4.metadata.title.endswith(": 4. Outline paper")
    for (width, height, words), number in zip(
        bbox_pages(built.extracts["item4"]), range(3, 7), strict=True
    ):
        assert_stamp_at_foot(width, height, words, number)

    item5 = PdfReader(built.extracts["item5"])
    assert item5.page_labels == ["7", "8"]
    assert [dest_page(item5, a.get_object()) for a in item5.pages[0]["/Annots"]] == [1]

    agenda = PdfReader(built.extracts["agenda"])
    assert len(agenda.pages) == 2
    assert agenda.metadata.title == "Overview and Scrutiny Board, Wednesday 11 May 2022: Agenda"
    # The item pages are not in the agenda-only extract: those links are removed.
    annots = [a.get_object() for a in agenda.pages[0].get("/Annots", [])]
    assert [a["/A"]["/URI"] for a in annots] == ["https://www.middlesbrough.gov.uk/"]


def test_stamp_format_and_blank_text(sources: dict[str, Path], tmp_path: Path) -> None:
    reader = open_pdf(sources["landscape"])
    spec = PackSpec(
        [PackPage(reader), PackPage(None)],
        [],
        {},
        PackMetadata("t", "s", "a"),
        stamp_format="Tudalen {n} o {total} – ©",
        blank_text="Gadawyd y dudalen hon yn wag\nThis page is intentionally blank",
    )
    write_pack(spec, tmp_path / "cy.pdf")
    assert "Tudalen 1 o 2 – ©" in page_text(tmp_path / "cy.pdf", 1)
    text = page_text(tmp_path / "cy.pdf", 2)
    assert "Gadawyd y dudalen hon yn wag" in text
    assert "This page is intentionally blank" in text
    qpdf_check(tmp_path / "cy.pdf")


def test_bad_spec_is_a_programming_error(sources: dict[str, Path], tmp_path: Path) -> None:
    reader = open_pdf(sources["a3"])
    meta = PackMetadata("t", "s", "a")
    with pytest.raises(ValueError):
        write_pack(PackSpec([], [], {}, meta), tmp_path / "x.pdf")
    with pytest.raises(ValueError):
        write_pack(PackSpec([PackPage(reader, 5)], [], {}, meta), tmp_path / "x.pdf")
    with pytest.raises(ValueError):
        write_pack(PackSpec([PackPage(reader)], [Bookmark("x", 3)], {}, meta), tmp_path / "x.pdf")
    with pytest.raises(ValueError):
        write_pack(
            PackSpec([PackPage(reader)], [], {}, meta),
            tmp_path / "x.pdf",
            extracts={tmp_path / "e.pdf": (1, 2)},
        )


def test_unwritable_output_is_an_output_error(sources: dict[str, Path], tmp_path: Path) -> None:
    from packbuilder.exceptions import OutputError

    reader = open_pdf(sources["a3"])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    spec = PackSpec([PackPage(reader)], [], {}, PackMetadata("t", "s", "a"))
    with pytest.raises(OutputError):
        write_pack(spec, blocker / "pack.pdf")


def render(path: Path, number: int, tmp: Path):
    from PIL import Image

    prefix = tmp / f"render-{number}"
    subprocess.run(
        [
            "pdftoppm",
            "-cropbox",
            "-r",
            "50",
            "-f",
            str(number),
            "-l",
            str(number),
            "-png",
            str(path),
            prefix,
        ],
        check=True,
    )
    (png,) = tmp.glob(f"render-{number}*.png")
    return Image.open(png).convert("RGB")


@pytest.mark.parametrize("index", [12, 13, 14, 16, 17, 18])
def test_rendered_stamp_is_black_at_the_bottom_centre(built: Built, tmp_path: Path, index: int):
    """Rotated, offset, cropped and graphics-state-leaking pages, as a viewer draws them."""
    image = render(built.out, index + 1, tmp_path)
    width, height = image.size
    scale = 50 / 72
    top, bottom = int(height - 40 * scale), int(height - 12 * scale)
    dark = [
        (x, y)
        for y in range(top, bottom)
        for x in range(width)
        if max(image.getpixel((x, y))) < 110
    ]
    assert dark, "no stamp drawn at the foot"
    xs = [x for x, _ in dark]
    assert abs((min(xs) + max(xs)) / 2 - width / 2) < 4 * scale + 2
    assert max(xs) - min(xs) < 60 * scale  # "Page NN" at 10 pt, not scaled up by a leak
    reddish = [p for p in dark if image.getpixel(p)[0] - image.getpixel(p)[1] > 60]
    assert not reddish  # the leaked red fill colour did not reach the stamp


def test_inherited_page_attributes(tmp_path: Path) -> None:
    """Resources, MediaBox and Rotate inherited from the page tree are honoured."""
    writer = PdfWriter()
    page = raw_page(b"BT /F1 14 Tf 72 300 Td (Inherited) Tj ET", {"/F1": "/Helvetica"})
    writer.add_page(page)
    pages_node = writer.root_object["/Pages"]
    stored = writer.pages[0]
    pages_node[NameObject("/Resources")] = stored["/Resources"]
    pages_node[NameObject("/MediaBox")] = RectangleObject([0, 0, 842, 595])
    pages_node[NameObject("/Rotate")] = NumberObject(90)
    for key in ("/Resources", "/MediaBox"):
        del stored[key]
    source = write(writer, tmp_path / "inherit.pdf")
    reader = open_pdf(source)
    write_pack(
        PackSpec([PackPage(reader)], [], {}, PackMetadata("t", "s", "a")), tmp_path / "o.pdf"
    )
    qpdf_check(tmp_path / "o.pdf")
    result = PdfReader(tmp_path / "o.pdf").pages[0]
    assert result.rotation == 90
    assert "/F1" in own_resources(result)["/Font"]
    text = page_text(tmp_path / "o.pdf", 1)
    assert "Inherited" in text and "Page 1" in text
    ((width, height, words),) = bbox_pages(tmp_path / "o.pdf")
    assert width < height  # landscape media turned 90 degrees: portrait on screen
    assert_stamp_at_foot(width, height, words, 1)


def test_source_with_object_streams(sources: dict[str, Path], tmp_path: Path) -> None:
    packed = tmp_path / "objstm.pdf"
    subprocess.run(
        ["qpdf", "--object-streams=generate", str(sources["outline"]), str(packed)], check=True
    )
    assert b"/ObjStm" in packed.read_bytes()
    reader = open_pdf(packed)
    spec = PackSpec(
        [PackPage(reader, i) for i in range(3)] + [PackPage(None)],
        [Bookmark("Paper", 0, imported=[(reader, {0: 0, 1: 1, 2: 2})])],
        {},
        PackMetadata("t", "s", "a"),
    )
    write_pack(spec, tmp_path / "o.pdf")
    qpdf_check(tmp_path / "o.pdf")
    result = PdfReader(tmp_path / "o.pdf")
    assert [t for _, t, _ in outline_entries(result)][1:] == [
        "Introduction",
        "Background",
        "Findings",
    ]
    assert "Heading page 2" in page_text(tmp_path / "o.pdf", 2)
