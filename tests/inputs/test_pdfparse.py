"""The fast object parser gives exactly what pypdf's own parser gives, or leaves it to pypdf."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from packbuilder.inputs.pdfparse import Unsupported, parse_object
from packbuilder.inputs.pdfread import SourcePdf

OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [ 3 0 R ] /Count 1 >>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.2756 841.8898]/Rotate 0/Trans<<>>"
    b"/Resources<</ProcSet[/PDF/Text]/Font<</F1 9 0 R>>>>/Contents 4 0 R>>",
    b"<< /Length 5 0 R /Filter /FlateDecode >>\nstream\nabc)(def\nendstream",
    b"11",
    b"<< /Length 3 >>\r\nstream\r\nxyz\r\nendstream",
    b"[ true false null -1 +2 .5 -3. 0.25 /A /B#20C ]",
    b"<< /Title (A \\(title\\)) /ID <0a0B> >>",
    b"<< /K /V /K /W >>",
    b"[ 1 2 R ]",
    b"<< % a comment\n/A 1 >>",
    b"<< /A 1,5 >>",
    b"<< /Length 99 >>\nstream\nshort\nendstream",
    b"/JustAName",
    b"[1 0 R 2 0 R]",
]


def _pdf(objects: list[bytes]) -> bytes:
    out = BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is IndirectObject:
        return (a.idnum, a.generation) == (b.idnum, b.generation)
    if isinstance(a, StreamObject) and a._data != b._data:
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            _same(dict.__getitem__(a, k), dict.__getitem__(b, k)) for k in a
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(
            _same(x, y) for x, y in zip(list.__iter__(a), list.__iter__(b), strict=True)
        )
    return a == b and repr(a) == repr(b)


def test_source_pdf_reads_objects_as_pypdf_does() -> None:
    data = _pdf(OBJECTS)
    ours = SourcePdf(BytesIO(data), strict=False)
    theirs = PdfReader(BytesIO(data), strict=False)
    for number in range(1, len(OBJECTS) + 1):
        assert _same(ours.get_object(number), theirs.get_object(number)), OBJECTS[number - 1]
    assert ours.get_object(1).indirect_reference.idnum == 1


@pytest.mark.parametrize("body", [OBJECTS[7], OBJECTS[8], OBJECTS[10], OBJECTS[11], OBJECTS[12]])
def test_unusual_objects_are_left_to_pypdf(body: bytes) -> None:
    data = _pdf([b"null", body])
    start = data.index(b"2 0 obj")
    reader = PdfReader(BytesIO(data), strict=False)
    with pytest.raises(Unsupported):
        parse_object(data, start, 2, 0, reader, reader.get_object)


def test_plain_objects_are_parsed() -> None:
    data = _pdf([OBJECTS[2], b"[ true false null -1 +2 .5 -3. 0.25 /A 7 0 R ]"])
    reader = PdfReader(BytesIO(data), strict=False)
    page = parse_object(data, data.index(b"1 0 obj"), 1, 0, reader, reader.get_object)
    assert isinstance(page, DictionaryObject)
    assert page["/MediaBox"] == [0, 0, 595.2756, 841.8898]
    items = parse_object(data, data.index(b"2 0 obj"), 2, 0, reader, reader.get_object)
    assert isinstance(items, ArrayObject) and len(items) == 10
    with pytest.raises(Unsupported):  # the header does not match
        parse_object(data, data.index(b"2 0 obj"), 1, 0, reader, reader.get_object)
