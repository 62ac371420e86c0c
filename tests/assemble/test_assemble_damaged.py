"""write_pack on damaged or unusual pages: the stamp still appears, right, and the pack is valid.

Each source PDF is written byte by byte here (pypdf will not write most of this
damage), then the pack is read back with pdftotext, pypdf and ``qpdf --check``.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from packbuilder.assemble import PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.assemble.content import unterminated
from packbuilder.inputs.pdfread import open_pdf

from helpers.pdftools import (
    NEEDS_POPPLER_AND_QPDF,
    assert_stamp_at_foot,
    bbox_pages,
    page_text,
    qpdf_check,
    uncompressed,
)

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

pytestmark = NEEDS_POPPLER_AND_QPDF


def stream(data: bytes, *, compress: bool = True) -> tuple[bytes, bytes]:
    """A stream object's dictionary and data, Flate-compressed unless told otherwise."""
    if compress:
        return b"<< /Filter /FlateDecode >>", zlib.compress(data)
    return b"<< >>", data


def raw_pdf(path: Path, page: bytes, extra: dict[int, bytes | tuple[bytes, bytes]]) -> Path:
    """A one-page PDF: catalog 1, pages 2, page 3 (``page`` is its dictionary's inside),
    font 4 (``/F1``) and the ``extra`` objects (a stream is a (dictionary, data) pair)."""
    objects: dict[int, bytes | tuple[bytes, bytes]] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> " + page + b" >>",
        4: FONT,
        **extra,
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        body = objects[number]
        if isinstance(body, tuple):
            entries, data = body
            body = entries[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def pack(source: Path, out: Path):
    """Build a one-page pack from ``source``; return the pack's path and the source's reader."""
    reader = open_pdf(source)
    write_pack(PackSpec([PackPage(reader)], [], {}, PackMetadata("t", "s", "a")), out)
    qpdf_check(out)
    return out, reader


def stamp_words(out: Path):
    """The page's displayed size and its words, asserting the stamp is at its foot."""
    ((width, height, words),) = bbox_pages(out)
    assert_stamp_at_foot(width, height, words, 1)
    return width, height, words


def stamp_height(words) -> float:
    (word,) = [w for w in words if w.text == "Page"]
    return word.y1 - word.y0


A4 = b"/MediaBox [0 0 595 842]"


@pytest.mark.parametrize("compress", [True, False])
def test_q_left_open_does_not_shrink_or_move_the_stamp(tmp_path: Path, compress: bool) -> None:
    content = (
        b"q 0.25 0 0 0.25 0 0 cm q 1 0 0 1 0 0 cm 1 0 0 rg "
        b"BT /F1 96 Tf 288 2400 Td (Unbalanced) Tj ET"
    )
    contents = {5: stream(content, compress=compress)}
    source = raw_pdf(tmp_path / "unbalanced.pdf", A4 + b" /Contents 5 0 R", contents)
    out, _ = pack(source, tmp_path / "pack.pdf")
    _, _, words = stamp_words(out)
    assert "Unbalanced" in [w.text for w in words]
    assert 8 < stamp_height(words) < 14  # 10 pt, not a quarter of it


@pytest.mark.parametrize("compress", [True, False])
def test_unterminated_string_does_not_swallow_the_stamp(tmp_path: Path, compress: bool) -> None:
    content = (
        b"BT /F1 24 Tf 72 500 Td (Before the damage) Tj ET "
        b"BT /F1 24 Tf 72 400 Td (unterminated Tj ET"
    )
    source = raw_pdf(
        tmp_path / "broken.pdf", A4 + b" /Contents 5 0 R", {5: stream(content, compress=compress)}
    )
    out, reader = pack(source, tmp_path / "pack.pdf")
    text = page_text(out, 1)
    assert "Before the damage" in text and "Page 1" in text
    stamp_words(out)
    assert any("page 1" in n and "ends inside a string" in n for n in reader.notes), reader.notes


def test_contents_entries_that_are_not_streams_are_left_out(tmp_path: Path) -> None:
    source = raw_pdf(
        tmp_path / "bad-contents.pdf",
        A4 + b" /Contents [5 0 R 6 0 R 9 0 R 7 0 R]",
        {
            5: stream(b"BT /F1 24 Tf 72 500 Td (First part) Tj ET"),
            6: b"<< /NotAStream true >>",
            7: stream(b"BT /F1 24 Tf 72 400 Td (Second part) Tj ET", compress=False),
        },  # 9 is missing
    )
    out, reader = pack(source, tmp_path / "pack.pdf")
    text = page_text(out, 1)
    assert "First part" in text and "Second part" in text and "Page 1" in text
    stamp_words(out)
    assert b"NotAStream" not in uncompressed(out)
    assert any("page 1: 2 entries of its /Contents" in n for n in reader.notes), reader.notes


def test_contents_that_is_not_a_stream_gives_a_stamped_page(tmp_path: Path) -> None:
    source = raw_pdf(
        tmp_path / "no-stream.pdf", A4 + b" /Contents 5 0 R", {5: b"<< /NotAStream true >>"}
    )
    out, reader = pack(source, tmp_path / "pack.pdf")
    assert "Page 1" in page_text(out, 1)
    stamp_words(out)
    assert any("page 1: 1 entry of its /Contents" in n for n in reader.notes), reader.notes


def test_user_unit_keeps_the_stamp_10_points_high_at_the_foot(tmp_path: Path) -> None:
    """On a /UserUnit 10 page one unit is 10 points: the stamp is scaled down to match."""
    content = b"BT /F1 2.4 Tf 7.2 50 Td (Big units) Tj ET"
    source = raw_pdf(
        tmp_path / "userunit.pdf",
        b"/MediaBox [0 0 59.5 84.2] /UserUnit 10 /Contents 5 0 R",
        {5: stream(content)},
    )
    out, _ = pack(source, tmp_path / "pack.pdf")
    page = PdfReader(out).pages[0]
    assert page.user_unit == 10
    stamp = page["/Contents"].get_object().get_data()
    matrix = [float(v) for v in stamp.split(b" cm")[0].split()[-6:]]
    assert matrix[:4] == [0.1, 0, 0, 0.1]  # a 10 point font in 10 point units
    assert matrix[5] == pytest.approx(2.268)  # 0.8 cm above the foot
    width = sum((667, 556, 556, 556, 278, 556)) * 10 / 1000  # "Page 1" in points
    assert matrix[4] == pytest.approx(59.5 / 2 - width / 20)  # centred
    # pdftotext ignores /UserUnit: in units, the stamp is a tenth of 10 high, 2.3 up.
    ((width, height, words),) = bbox_pages(out)
    (label,) = [w for w in words if w.text == "Page"]
    assert 0.8 < label.y1 - label.y0 < 1.4
    assert 1.5 < height - label.y1 < 2.6


def test_page_without_a_media_box_is_letter_size(tmp_path: Path) -> None:
    source = raw_pdf(
        tmp_path / "no-mediabox.pdf",
        b"/Contents 5 0 R",
        {5: stream(b"BT /F1 24 Tf 72 400 Td (No MediaBox) Tj ET")},
    )
    out, reader = pack(source, tmp_path / "pack.pdf")
    page = PdfReader(out).pages[0]
    assert [float(v) for v in page.mediabox] == [0, 0, 612, 792]
    assert "No MediaBox" in page_text(out, 1)
    width, height, _ = stamp_words(out)
    assert (round(width), round(height)) == (612, 792)
    assert any("page 1 has no usable MediaBox" in n for n in reader.notes), reader.notes


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"BT /F1 24 Tf 72 400 Td (unterminated Tj ET", "a string"),
        (b"BT (a(b)c) Tj ET", None),  # balanced parentheses need no escape
        (b"(a\\) Tj", "a string"),  # \) is part of the string
        (b"(a\\\\) Tj", None),  # \\ is a backslash; ) ends the string
        (b"BI /W 1 /H 1 ID \x00(( EI Q", None),  # image data is not a string
        (b"BI /W 1 /H 1 ID \x00((", "an inline image"),
        (b"<abc", "a hexadecimal string"),
        (b"<< /A 1 >> BDC (x) Tj EMC", None),
        (b"% a comment ( is no string\n(x) Tj", None),
        (b"(ID card) Tj", None),
    ],
)
def test_unterminated(data: bytes, expected: str | None) -> None:
    assert unterminated(data) == expected
