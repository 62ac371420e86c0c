"""What a paper brings into the pack besides its pages: form fields (per use of the
paper), actions (unsafe ones removed), optional content, attachments, named
destinations. Every source PDF is generated here; every pack passes qpdf --check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen import canvas

from packbuilder.assemble import Bookmark, PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.inputs.pdfread import open_pdf
from packbuilder.model.meeting import Document, FileSource, Origin
from packbuilder.pack.papers import PreparedDocument, paper_warnings

from helpers.pdftools import link_targets, outline, page_texts, qpdf_check, uncompressed

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf")),
    reason="needs poppler-utils (pdftotext) and qpdf",
)

META = PackMetadata("t", "s", "a")


def write(writer: PdfWriter, path: Path) -> Path:
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def build(tmp_path: Path, pages: list[PackPage], name: str = "pack.pdf") -> PdfReader:
    """Write a pack of ``pages``, check it with qpdf and read it back."""
    out = tmp_path / name
    write_pack(PackSpec(pages, [], {}, META), out)
    qpdf_check(out)
    return PdfReader(out)


# --------------------------------------------------------------------------- forms


def form_pdf(path: Path, label: str, fields_per_page: list[list[str]]) -> Path:
    """A reportlab PDF with the named text fields on each page."""
    c = canvas.Canvas(str(path), invariant=1)
    for number, names in enumerate(fields_per_page):
        c.drawString(72, 720, f"{label} page {number + 1}")
        for n, name in enumerate(names):
            c.acroForm.textfield(name=name, x=72, y=600 - 40 * n, width=200, height=20)
        c.showPage()
    c.save()
    return path


def field_pages(reader: PdfReader) -> dict[str, list[int]]:
    """Every terminal field's full name -> the pack pages (0-based) of its widgets."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found: dict[str, list[int]] = {}

    def walk(ref, prefix: str) -> None:
        node = ref.get_object()
        name = f"{prefix}.{node['/T']}" if prefix and "/T" in node else node.get("/T", prefix)
        kids = node.get("/Kids")
        if kids:
            for kid in kids:
                walk(kid, name)
            return
        found.setdefault(str(name), []).append(pages[node.raw_get("/P").idnum])

    for ref in reader.root_object["/AcroForm"]["/Fields"]:
        walk(ref, "")
    return found


def widgets_on(reader: PdfReader, index: int) -> list[int]:
    annots = reader.pages[index].get("/Annots") or []
    return [a.idnum for a in annots if a.get_object().get("/Subtype") == "/Widget"]


def test_same_form_used_twice_gets_its_own_fields_each_time(tmp_path: Path) -> None:
    a = open_pdf(form_pdf(tmp_path / "a.pdf", "Form A", [["name"], ["date"]]))
    b = open_pdf(form_pdf(tmp_path / "b.pdf", "Form B", [["name"]]))
    pages = [PackPage(a, 0), PackPage(a, 1), PackPage(b, 0), PackPage(None)]
    pages += [PackPage(a, 0), PackPage(a, 1)]
    reader = build(tmp_path, pages)
    assert field_pages(reader) == {
        "paper1.name": [0],
        "paper1.date": [1],
        "paper2.name": [2],
        "paper3.name": [4],
        "paper3.date": [5],
    }
    assert set(reader.get_fields()) >= {"paper3.name", "paper3.date"}
    # Each page's /Annots holds its own widgets, and each widget points back at its page.
    for index in (0, 1, 2, 4, 5):
        (widget,) = widgets_on(reader, index)
        page = reader.pages[index].indirect_reference.idnum
        assert reader.get_object(widget).raw_get("/P").idnum == page
    assert widgets_on(reader, 0) != widgets_on(reader, 4)


def test_same_form_twice_in_a_row_is_two_uses(tmp_path: Path) -> None:
    a = open_pdf(form_pdf(tmp_path / "a.pdf", "Form A", [["name"]]))
    reader = build(tmp_path, [PackPage(a, 0), PackPage(a, 0)])
    assert field_pages(reader) == {"paper1.name": [0], "paper2.name": [1]}


def test_a_single_use_keeps_its_field_names(tmp_path: Path) -> None:
    a = open_pdf(form_pdf(tmp_path / "a.pdf", "Form A", [["name"], ["date"]]))
    reader = build(tmp_path, [PackPage(a, 0), PackPage(a, 1)])
    assert field_pages(reader) == {"name": [0], "date": [1]}


def test_fields_on_pages_left_out_are_dropped(tmp_path: Path) -> None:
    a = open_pdf(form_pdf(tmp_path / "a.pdf", "Form A", [["name"], ["date", "place"]]))
    reader = build(tmp_path, [PackPage(a, 1)])
    assert field_pages(reader) == {"date": [0], "place": [0]}
    assert b"/P null" not in uncompressed(tmp_path / "pack.pdf")
    reader = build(tmp_path, [PackPage(a, 0), PackPage(None)], "first.pdf")
    assert field_pages(reader) == {"name": [0]}


def test_a_form_with_no_field_left_gives_no_acroform(tmp_path: Path) -> None:
    a = open_pdf(form_pdf(tmp_path / "a.pdf", "Form A", [[], ["date"]]))
    reader = build(tmp_path, [PackPage(a, 0)])
    assert "/AcroForm" not in reader.root_object


# ------------------------------------------------------------------------- actions


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({_name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name("/" + key)] = value
    return action


def _link(y: float, action: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): ArrayObject(FloatObject(v) for v in (72, y, 200, y + 20)),
            _name("/A"): action,
        }
    )


def unsafe_pdf(path: Path, tmp: Path) -> Path:
    """Page 1: links that launch cmd.exe, run JavaScript, open annex.pdf (relative), open
    a PDF on the web, and a web link followed by JavaScript; JavaScript when the page
    opens. Page 2: a form field that runs JavaScript on a keystroke."""
    base = form_pdf(tmp / "unsafe-base.pdf", "Unsafe", [[], ["amount"]])
    writer = PdfWriter(clone_from=base)
    js = _action("/JavaScript", JS=TextStringObject("app.alert('hi')"))
    links = [
        _action("/Launch", F=TextStringObject("C:\\Windows\\System32\\cmd.exe")),
        js,
        _action("/GoToR", F=TextStringObject("annex.pdf"), D=ArrayObject([NumberObject(0)])),
        _action(
            "/GoToR",
            F=TextStringObject("https://example.org/annex.pdf"),
            D=ArrayObject([NumberObject(0), _name("/Fit")]),
        ),
        _action("/URI", URI=TextStringObject("https://example.org/"), Next=js),
    ]
    for n, action in enumerate(links):
        writer.add_annotation(0, _link(700 - 40 * n, action))
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): js})
    (widget,) = (a.get_object() for a in writer.pages[1]["/Annots"])
    widget[_name("/AA")] = DictionaryObject({_name("/K"): js})
    return write(writer, path)


def test_unsafe_and_broken_actions_are_removed(tmp_path: Path) -> None:
    paper = open_pdf(unsafe_pdf(tmp_path / "unsafe.pdf", tmp_path))
    reader = build(tmp_path, [PackPage(paper, 0), PackPage(paper, 1)])
    data = uncompressed(tmp_path / "pack.pdf")
    for word in (b"/JavaScript", b"/Launch", b"cmd.exe", b"app.alert", b"(annex.pdf)"):
        assert word not in data, word
    assert "/AA" not in reader.pages[0]
    actions = [a.get_object()["/A"] for a in reader.pages[0]["/Annots"]]
    # A link to a PDF on the web becomes a web link to it; only GoTo and URI remain.
    assert [a["/S"] for a in actions] == ["/URI", "/URI"]
    assert actions[0]["/URI"] == "https://example.org/annex.pdf#page=1"
    assert actions[1]["/URI"] == "https://example.org/" and "/Next" not in actions[1]
    (widget,) = (a.get_object() for a in reader.pages[1]["/Annots"])
    assert "/AA" not in widget
    assert set(reader.get_fields()) == {"amount"}


def test_a_paper_that_loses_actions_is_warned_about_once(tmp_path: Path) -> None:
    path = unsafe_pdf(tmp_path / "unsafe.pdf", tmp_path)
    paper = open_pdf(path)
    origin = Origin(tmp_path / "meeting.yaml", 3, "item 1, paper 1")
    documents = {
        (n, 0, 0): PreparedDocument(
            Document("Unsafe", FileSource(path), origin), path, paper, pages
        )
        for n, pages in enumerate(([0, 1], [0]))
    }
    (warning,) = paper_warnings(documents)
    assert warning.file == path
    text = str(warning)
    assert "unsafe.pdf: left out of the pack: " in text
    assert "JavaScript (pages 1, 2)" in text
    assert (
        "links that start a program or open a file (C:\\Windows\\System32\\cmd.exe; page 1)" in text
    )
    assert "links to other files (annex.pdf; page 1)" in text
    assert "example.org" not in text
    assert "check those pages in the pack" in text
    only_second = {(0, 0, 0): PreparedDocument(documents[(1, 0, 0)].document, path, paper, [1])}
    (warning,) = paper_warnings(only_second)
    assert "starts a program" not in str(warning) and "JavaScript (page 2)" in str(warning)


# -------------------------------------------------------------------------- layers


def layered_pdf(path: Path, label: str, *, base_off: bool = False) -> Path:
    """One page with a hidden layer ("HIDDEN LAYER ...") and a shown one ("SHOWN LAYER ...").

    The hidden one is listed in ``/OFF``; with ``base_off``, the default
    configuration is ``/BaseState /OFF`` with only the shown one ``/ON`` instead.
    """
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)

    def layer(title: str):
        return writer._add_object(
            DictionaryObject(
                {_name("/Type"): _name("/OCG"), _name("/Name"): TextStringObject(title)}
            )
        )

    hidden, shown = layer(f"{label} hidden"), layer(f"{label} shown")
    font = DictionaryObject(
        {
            _name("/Type"): _name("/Font"),
            _name("/Subtype"): _name("/Type1"),
            _name("/BaseFont"): _name("/Helvetica"),
        }
    )
    page[_name("/Resources")] = DictionaryObject(
        {
            _name("/Font"): DictionaryObject({_name("/F1"): font}),
            _name("/Properties"): DictionaryObject({_name("/L1"): hidden, _name("/L2"): shown}),
        }
    )
    content = DecodedStreamObject()
    content.set_data(
        b"/OC /L1 BDC BT /F1 14 Tf 72 700 Td (HIDDEN LAYER %s) Tj ET EMC "
        b"/OC /L2 BDC BT /F1 14 Tf 72 600 Td (SHOWN LAYER %s) Tj ET EMC"
        % (label.encode(), label.encode())
    )
    page[_name("/Contents")] = writer._add_object(content)
    if base_off:
        default = {_name("/BaseState"): _name("/OFF"), _name("/ON"): ArrayObject([shown])}
    else:
        default = {
            _name("/Order"): ArrayObject([hidden, shown]),
            _name("/OFF"): ArrayObject([hidden]),
        }
    writer.root_object[_name("/OCProperties")] = DictionaryObject(
        {_name("/OCGs"): ArrayObject([hidden, shown]), _name("/D"): DictionaryObject(default)}
    )
    return write(writer, path)


def test_hidden_layers_stay_hidden(tmp_path: Path) -> None:
    one = layered_pdf(tmp_path / "one.pdf", "one")
    two = layered_pdf(tmp_path / "two.pdf", "two", base_off=True)
    assert "HIDDEN" not in page_texts(one)[0]  # poppler honours the layers' visibility
    a, b = open_pdf(one), open_pdf(two)
    reader = build(tmp_path, [PackPage(a, 0), PackPage(b, 0)])
    texts = page_texts(tmp_path / "pack.pdf")
    assert "SHOWN LAYER one" in texts[0] and "SHOWN LAYER two" in texts[1]
    assert "HIDDEN" not in "".join(texts)

    properties = reader.root_object["/OCProperties"]
    names = {ref.idnum: str(ref.get_object()["/Name"]) for ref in properties["/OCGs"]}
    assert sorted(names.values()) == ["one hidden", "one shown", "two hidden", "two shown"]
    off = {names[ref.idnum] for ref in properties["/D"]["/OFF"]}
    assert off == {"one hidden", "two hidden"}
    assert properties["/D"]["/BaseState"] == "/ON"
    assert [names[ref.idnum] for ref in properties["/D"]["/Order"]] == [
        "one hidden",
        "one shown",
        "two hidden",
        "two shown",
    ]
    # The pages' marked content (drawn through each page's form XObject) refers to the
    # layers the catalog lists.
    for page in reader.pages:
        drawn = page["/Resources"]["/XObject"]["/PbPage"]
        used = {ref.idnum for ref in drawn["/Resources"]["/Properties"].values()}
        assert used and used <= set(names)


# -------------------------------------------------- attachments, named destinations


def raw_pdf(path: Path, objects: dict[int, bytes]) -> Path:
    """A PDF written by hand from ``{number: object}`` (object 1 the catalog)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (
            b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        )
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def _page(number: int, extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 9 0 R >> >> %s >>" % (number, extra)
    )


def _text(words: bytes) -> bytes:
    return _stream(b"BT /F1 14 Tf 72 700 Td (%s) Tj ET" % words)


def dests_pdf(path: Path) -> Path:
    """Four pages; the catalog has an old-style /Dests (``/second``) and a /Names /Dests
    tree (``third``); bookmarks and links on page 1 use each; page 4 has a file attachment,
    and the paper an attached spreadsheet."""
    return raw_pdf(
        path,
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Outlines 3 0 R "
            b"/Dests << /second [11 0 R /Fit] >> "
            b"/Names << /Dests << /Names [(third) [12 0 R /Fit]] >> "
            b"/EmbeddedFiles << /Names [(budget.xlsx) 20 0 R] >> >> >>",
            2: b"<< /Type /Pages /Kids [10 0 R 11 0 R 12 0 R 13 0 R] /Count 4 >>",
            3: b"<< /Type /Outlines /First 4 0 R /Last 5 0 R /Count 2 >>",
            4: b"<< /Title (To the second) /Parent 3 0 R /Next 5 0 R /Dest /second >>",
            5: b"<< /Title (To the third) /Parent 3 0 R /Prev 4 0 R /Dest (third) >>",
            6: b"<< /Type /Annot /Subtype /Link /Rect [72 600 200 620] /Dest /second >>",
            7: b"<< /Type /Annot /Subtype /Link /Rect [72 550 200 570] "
            b"/A << /S /GoTo /D (third) >> >>",
            8: b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 500 90 520] "
            b"/FS << /Type /Filespec /F (minutes.docx) /EF << /F 21 0 R >> >> >>",
            9: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            10: _page(14, b"/Annots [6 0 R 7 0 R]"),
            11: _page(15),
            12: _page(16),
            13: _page(17, b"/Annots [8 0 R]"),
            14: _text(b"Dests one"),
            15: _text(b"Dests two"),
            16: _text(b"Dests three"),
            17: _text(b"Dests four"),
            20: b"<< /Type /Filespec /F (budget.xlsx) /EF << /F 22 0 R >> >>",
            21: _stream(b"ATTACHED MINUTES", b"/Type /EmbeddedFile"),
            22: _stream(b"ATTACHED BUDGET", b"/Type /EmbeddedFile"),
        },
    )


def test_bookmarks_and_links_resolve_names_from_both_destination_trees(tmp_path: Path) -> None:
    paper = open_pdf(dests_pdf(tmp_path / "dests.pdf"))
    spec = PackSpec(
        [PackPage(paper, i) for i in range(4)],
        [Bookmark("Paper", 0, imported=[(paper, {0: 0, 1: 1, 2: 2, 3: 3})])],
        {},
        META,
    )
    write_pack(spec, tmp_path / "pack.pdf")
    qpdf_check(tmp_path / "pack.pdf")
    reader = PdfReader(tmp_path / "pack.pdf")
    assert outline(reader) == [(0, "Paper", 1), (1, "To the second", 2), (1, "To the third", 3)]
    assert link_targets(reader, 0) == [2, 3]


def test_attachments_are_left_out_with_a_warning(tmp_path: Path) -> None:
    path = dests_pdf(tmp_path / "dests.pdf")
    paper = open_pdf(path)
    build(tmp_path, [PackPage(paper, i) for i in range(4)])
    data = uncompressed(tmp_path / "pack.pdf")
    assert b"ATTACHED" not in data and b"/FileAttachment" not in data
    origin = Origin(tmp_path / "meeting.yaml", 3, "item 1, paper 1")
    prepared = PreparedDocument(Document("D", FileSource(path), origin), path, paper, [0, 1, 2, 3])
    (warning,) = paper_warnings({(0, 0, 0): prepared})
    assert "left out of the pack: attached files (budget.xlsx, minutes.docx; page 4)" in str(
        warning
    )
