"""The exempt marks on the page: the head line, the generated text page, page labels.

Geometry is checked as arithmetic (the head line upright and centred at the top
of the page as displayed, on any box and rotation) and on real PDFs read back
with poppler; labels are read back with pypdf.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, DecodedStreamObject

from packbuilder.assemble import PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.assemble.marks import (
    HEAD_BASELINE,
    HEAD_FONT_SIZE,
    HEAD_MIN_FONT_SIZE,
    head_content,
    head_matrix,
    head_size,
    label_text,
    page_labels,
    text_page_content,
    wrap,
)
from packbuilder.assemble.spec import TextBlock
from packbuilder.assemble.stamp import Geometry, encode

from helpers import kit
from helpers.pdftools import NEEDS_POPPLER_AND_QPDF, bbox_pages, page_texts, qpdf_check

MARK = "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A"


def displayed(g: Geometry, x: float, y: float) -> tuple[float, float]:
    """A user-space point as shown on screen (origin lower left); /Rotate turns clockwise."""
    if g.rotate == 90:
        return y - g.y0, g.x1 - x
    if g.rotate == 180:
        return g.x1 - x, g.y1 - y
    if g.rotate == 270:
        return g.y1 - y, x - g.x0
    return x - g.x0, y - g.y0


geometries = st.builds(
    lambda x0, y0, w, h, r: Geometry(x0, y0, x0 + w, y0 + h, r),
    st.floats(-2000, 2000),
    st.floats(-2000, 2000),
    st.floats(100, 3000),
    st.floats(100, 3000),
    st.sampled_from([0, 90, 180, 270]),
)


@given(geometries, st.floats(10, 500))
def test_the_head_line_is_upright_centred_at_the_displayed_top(g, width):
    a, b, c, d, e, f = head_matrix(g, width)
    start, end = displayed(g, e, f), displayed(g, e + a * width, f + b * width)
    up = displayed(g, e + c, f + d)
    shown_width, shown_height = (
        (g.y1 - g.y0, g.x1 - g.x0) if g.rotate in (90, 270) else (g.x1 - g.x0, g.y1 - g.y0)
    )
    assert end[0] - start[0] == pytest.approx(width, abs=1e-6)
    assert end[1] == pytest.approx(start[1], abs=1e-6)
    assert shown_height - start[1] == pytest.approx(HEAD_BASELINE, abs=1e-6)
    assert (start[0] + end[0]) / 2 == pytest.approx(shown_width / 2, abs=1e-6)
    assert up[1] - start[1] == pytest.approx(1, abs=1e-6)


def test_the_head_line_shrinks_to_fit_a_narrow_page():
    assert head_size(MARK, 595) == HEAD_FONT_SIZE
    small = head_size(MARK, 300)
    assert HEAD_MIN_FONT_SIZE <= small < HEAD_FONT_SIZE
    assert encode(MARK, small)[1] <= 300 - 36 + 1e-6
    assert head_size(MARK, 50) == HEAD_MIN_FONT_SIZE


def test_wrapping_keeps_every_word_within_the_width():
    text = "This appendix is not for publication because it contains exempt information " * 4
    lines = wrap(text, 11, 200)
    assert " ".join(lines).split() == text.split()
    assert all(encode(line, 11)[1] <= 200 for line in lines if " " in line)
    assert wrap("a\n\nb", 11, 200) == ["a", "", "b"]


def test_page_labels_follow_the_printed_numbers():
    numbers = [(1, 1), (2, 2), (3, 5), (6, 6), (7, 7), (9, 9)]
    nums = page_labels(numbers)["/Nums"]
    assert nums[0::2] == [0, 2, 3, 5]
    assert nums[3] == {"/P": "3 - 5"}
    assert [label_text(n) for n in numbers] == ["1", "2", "3 - 5", "6", "7", "9"]


@NEEDS_POPPLER_AND_QPDF
def test_a_pack_with_given_numbers_marks_and_a_text_page(tmp_path):
    paper = PdfReader(kit.rotated_pdf(tmp_path / "rotated.pdf"))
    blocks = (
        TextBlock("NOT FOR PUBLICATION", size=24, bold=True, centred=True),
        TextBlock("It stands in for pages 5 - 8 " * 12, space_before=12),
    )
    pages = [
        PackPage(paper, 0, number=(3, 3), head=MARK),
        PackPage(paper, 1, number=(4, 4), head=MARK),
        PackPage(None, number=(5, 8), blocks=blocks),
        PackPage(paper, 2, number=(9, 9), head=MARK),
        PackPage(paper, 3, number=(10, 10), head=MARK),
        PackPage(None, number=(11, 11)),
    ]
    spec = PackSpec(pages, [], {}, PackMetadata("t", "s", "a"))
    out = tmp_path / "pack.pdf"
    write_pack(spec, out, extracts={tmp_path / "part.pdf": (3, 4)})
    qpdf_check(out)
    reader = PdfReader(out)
    assert reader.page_labels == ["3", "4", "5 - 8", "9", "10", "11"]
    assert PdfReader(tmp_path / "part.pdf").page_labels == ["5 - 8", "9"]
    texts = page_texts(out)
    assert texts[2].split()[:3] == ["NOT", "FOR", "PUBLICATION"]
    assert texts[2].rstrip().endswith("Pages 5 - 8")
    assert "This page is intentionally left blank" in texts[5]
    marked = [page for index, page in enumerate(bbox_pages(out)) if index in (0, 1, 3, 4)]
    for number, (width, _height, words) in zip((3, 4, 9, 10), marked, strict=True):
        first = min((w for w in words if w.text == "NOT"), key=lambda w: w.y0)
        # At the head of the page as displayed: above every other word, centred.
        assert 15 < first.y1 < 30, (number, first)
        assert all(w.y0 >= first.y0 - 0.5 for w in words), number
        line = [w for w in words if abs(w.y1 - first.y1) < 1]
        centre = (min(w.x0 for w in line) + max(w.x1 for w in line)) / 2
        assert abs(centre - width / 2) < 3, (number, centre, width)


def test_every_character_drawn_has_a_glyph_in_the_embedded_font(tmp_path):
    """The stamp font is a subset: the marks, a text page and a range stamp draw their
    characters from it too, so each must be in it (else a viewer shows empty boxes, while
    the text still extracts)."""
    import io

    import pikepdf
    from fontTools.ttLib import TTFont

    from packbuilder.assemble.font import stamp_font

    if not stamp_font().embedded:
        pytest.skip("Liberation Sans is not installed: the stamp is Helvetica, not a subset")
    paper = PdfReader(kit.pdf(tmp_path / "paper.pdf", 1))
    blocks = (
        TextBlock("NOT FOR PUBLICATION", size=24, bold=True, centred=True),
        TextBlock("Appendix 2 (paragraph 3): qwertyuiop, QWERTYUIOP; £ & 'x' ?", indent=12),
    )
    pages = [
        PackPage(paper, 0, number=(3, 3), head=MARK),
        PackPage(None, number=(4, 7), blocks=blocks),
        PackPage(None, number=(8, 8)),
    ]
    out = tmp_path / "pack.pdf"
    write_pack(PackSpec(pages, [], {}, PackMetadata("t", "s", "a")), out)
    with pikepdf.open(out) as pdf:
        font = pdf.pages[0].Resources.Font.PbStamp
        subset = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
    glyphs = subset.getBestCmap()
    drawn = MARK + "".join(b.text for b in blocks) + "Pages 4 - 7" + "Page 8"
    drawn += "This page is intentionally left blank"
    assert sorted({c for c in drawn if ord(c) not in glyphs}) == []


OPERANDS = {b"q": 0, b"Q": 0, b"BT": 0, b"ET": 0, b"g": 1, b"G": 1, b"rg": 3, b"RG": 3}
OPERANDS |= {b"Tf": 2, b"Tr": 1, b"w": 1, b"Tm": 6, b"Tj": 1, b"BDC": 2, b"EMC": 0}


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_the_content_streams_are_well_formed(rotate):
    """Every operator is one the marks use, with its number of operands."""
    blocks = (TextBlock("NOT FOR PUBLICATION", size=24, bold=True), TextBlock("(a) \\ b"))
    geometry = Geometry(0, 0, 595, 842, rotate)
    for data in (text_page_content(blocks), head_content(MARK, geometry)):
        stream = DecodedStreamObject()
        stream.set_data(data)
        operations = ContentStream(stream, PdfWriter()).operations
        assert operations, data
        for operands, operator in operations:
            assert len(operands) == OPERANDS[operator], (operator, operands, data)
