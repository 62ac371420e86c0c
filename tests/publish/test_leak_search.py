"""The leak search itself finds what hides: a marker compressed in an object stream, written
as UTF-16 or hex, inside a .docx, escaped in JSON, or in a file name.

A search that cannot find a hidden marker would make the leak tests pass for
nothing; these are the cases the tests' exempt documents put markers in.
"""

from __future__ import annotations

import json
import subprocess
import zipfile

from pypdf import PdfReader, PdfWriter

from helpers import exempt, kit
from helpers.pdftools import NEEDS_POPPLER_AND_QPDF

MARKER = "QXHIDDENMARKER"


@NEEDS_POPPLER_AND_QPDF
def test_a_marker_compressed_in_an_object_stream_is_found(tmp_path):
    plain = kit.pdf(tmp_path / "plain.pdf", 1, text="public")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.add_outline_item(
        title=f"{MARKER} heading", page_number=0
    )  # a dictionary: it goes in an object stream
    source = tmp_path / "source.pdf"
    writer.write(source)
    plain.unlink()
    packed = tmp_path / "packed.pdf"
    subprocess.run(
        ["qpdf", "--object-streams=generate", "--compress-streams=y", str(source), str(packed)],
        check=True,
    )
    source.unlink()
    raw = packed.read_bytes()
    assert not any(form in raw for form in exempt.forms(MARKER))  # only inside streams
    assert exempt.leaks(tmp_path, [MARKER]) == {MARKER: ["packed.pdf"]}


def test_utf16_hex_docx_json_and_names_are_searched(tmp_path):
    (tmp_path / "utf16.txt").write_bytes(MARKER.encode("utf-16-be"))
    (tmp_path / "hex.txt").write_bytes(b"<" + MARKER.encode().hex().upper().encode() + b">")
    with zipfile.ZipFile(tmp_path / "doc.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f"<w:t>{MARKER}</w:t>" * 50)
    (tmp_path / "data.json").write_text(json.dumps({"t": "é" + MARKER}))
    (tmp_path / f"{MARKER}.txt").write_text("nothing inside")
    (tmp_path / "clean.txt").write_text("nothing")
    assert exempt.leaks(tmp_path, [MARKER]) == {
        MARKER: [f"{MARKER}.txt", "data.json", "doc.docx", "hex.txt", "utf16.txt"]
    }
