"""What the author did not mean to publish: review comments, hidden annotations and form
values, page metadata, application data, private entries, pictures no page shows, an
unapplied redaction, and text covered by a black box.

Each paper is crafted byte by byte and built into the pack, its item PDF, a
supplement and its item PDF; each is read back with ``qpdf --qdf`` (bytes),
``qpdf --json`` (every object) and ``pdftotext`` (text).
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from packbuilder.cli import main
from packbuilder.exceptions import ExitCode

from helpers import kit
from helpers.safetykit import assert_clean, decompressed, outputs, paper, stream, text

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf") and shutil.which("soffice")),
    reason="needs poppler-utils, qpdf and LibreOffice (for the converter's identity)",
)

REVIEW = {
    10: b"<< /Type /Annot /Subtype /Text /Rect [400 700 420 720] /T (J Smith) "
    b"/Contents (SECRET-NOTE: do not publish the 1.2m figure) /Popup 12 0 R >>",
    11: b"<< /Type /Annot /Subtype /Text /Rect [400 680 420 700] /IRT 10 0 R "
    b"/Contents (SECRET-REPLY: agreed) >>",
    12: b"<< /Type /Annot /Subtype /Popup /Rect [420 600 600 700] /Parent 10 0 R >>",
    13: b"<< /Type /Annot /Subtype /Highlight /Rect [72 695 300 715] "
    b"/QuadPoints [72 715 300 715 72 695 300 695] /Contents (SECRET-HIGHLIGHT) >>",
}


def left_out_warning(warnings: list[str]) -> str:
    (warning,) = [w for w in warnings if "left out of the pack" in w]
    return warning


def test_review_comments_and_replies_are_left_out_with_a_warning(tmp_path, monkeypatch):
    source = paper(tmp_path / "reviewed.pdf", annots=[10, 11, 12, 13], extra=REVIEW)
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs, b"SECRET-NOTE", b"SECRET-REPLY", b"SECRET-HIGHLIGHT", b"J Smith")
    for pdf in pdfs:
        assert b"/Popup" not in decompressed(pdf)
    warning = left_out_warning(warnings)
    assert "review comments and markup (comment pop-ups, highlights, sticky notes; page 1)" in (
        warning
    )
    assert "give the paper 'markup: keep'" in warning


@pytest.mark.parametrize("where", ["paper", "committee"])
def test_markup_keep_keeps_review_comments_for_an_internal_pack(tmp_path, monkeypatch, where):
    source = paper(tmp_path / "reviewed.pdf", annots=[10, 11, 12, 13], extra=REVIEW)
    keys, committee = ("markup: keep", "") if where == "paper" else ("", "markup: keep\n")
    pdfs, warnings = outputs(
        tmp_path, source, keys=keys, committee=committee, monkeypatch=monkeypatch
    )
    assert_clean(pdfs)
    for pdf in pdfs:
        data = decompressed(pdf)
        for kept in (b"SECRET-NOTE", b"SECRET-REPLY", b"SECRET-HIGHLIGHT", b"/IRT", b"/Popup"):
            assert kept in data, (pdf, kept)
    assert not [w for w in warnings if "left out of the pack" in w]


def test_hidden_annotations_are_left_out_even_when_markup_is_kept(tmp_path, monkeypatch):
    extra = {
        10: b"<< /Type /Annot /Subtype /FreeText /F 2 /Rect [72 500 300 520] "
        b"/DA (/Helv 12 Tf 0 g) /Contents (SECRET-HIDDEN-BOX) >>",
        11: b"<< /Type /Annot /Subtype /FreeText /F 32 /Rect [72 450 300 470] "
        b"/DA (/Helv 12 Tf 0 g) /Contents (SECRET-NOVIEW-BOX) >>",
    }
    source = paper(tmp_path / "hidden.pdf", annots=[10, 11], extra=extra)
    pdfs, warnings = outputs(tmp_path, source, keys="markup: keep", monkeypatch=monkeypatch)
    assert_clean(pdfs, b"SECRET-HIDDEN-BOX", b"SECRET-NOVIEW-BOX")
    assert "hidden annotations and form fields (text boxes; page 1)" in left_out_warning(warnings)


def test_hidden_form_values_are_left_out(tmp_path, monkeypatch):
    extra = {
        10: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (salary) /V (SECRET-SALARY) /F 2 "
        b"/Rect [72 500 300 520] >>",
        11: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Public value) "
        b"/Rect [72 450 300 470] >>",
    }
    source = paper(
        tmp_path / "form.pdf",
        annots=[10, 11],
        extra=extra,
        catalog=b"/AcroForm << /Fields [10 0 R 11 0 R] >>",
    )
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs, b"SECRET-SALARY", b"salary")
    for pdf in pdfs:
        assert b"Public value" in decompressed(pdf)
    assert "hidden annotations and form fields (widget; page 1)" in left_out_warning(warnings)


def test_page_metadata_piece_info_thumbnails_and_private_entries_are_left_out(
    tmp_path, monkeypatch
):
    xmp = b"<x:xmpmeta><pdf:Source>C:\\Users\\jsmith\\Documents\\draft-v7.docx</pdf:Source>"
    extra = {
        10: stream(xmp + b"</x:xmpmeta>", b"/Type /Metadata /Subtype /XML"),
        11: stream(b"SECRET-ILLUSTRATOR-DATA"),
        12: stream(
            b"SECRET-THUMB", b"/Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
        ),
    }
    page = (
        b"/Metadata 10 0 R /PieceInfo << /Illustrator << /Private 11 0 R >> >> /Thumb 12 0 R "
        b"/SecretNotes (SECRET-PRIVATE-ENTRY) /LastModified (D:20220101)"
    )
    pdfs, warnings = outputs(
        tmp_path, paper(tmp_path / "p.pdf", page=page, extra=extra), monkeypatch=monkeypatch
    )
    assert_clean(pdfs, b"jsmith", b"SECRET-ILLUSTRATOR-DATA", b"SECRET-THUMB", b"SECRET-PRIVATE")
    warning = left_out_warning(warnings)
    for kind in (
        "page metadata (XMP) (page 1)",
        "application editing data (PieceInfo) (page 1)",
        "page thumbnails (page 1)",
        "private page entries (/SecretNotes; page 1)",
    ):
        assert kind in warning


def test_resources_the_page_does_not_use_are_left_out(tmp_path, monkeypatch):
    """An image in the page's resources that its content never draws (a picture the author
    deleted from the page, still in the file) and an unused font."""
    image = b"/Type /XObject /Subtype /Image /Width 4 /Height 4 /ColorSpace /DeviceGray "
    image += b"/BitsPerComponent 8"
    extra = {
        10: stream(b"SECRET-OLD-PHOTO", image),
        11: b"<< /Type /Font /Subtype /Type1 /BaseFont /SECRET-UNUSED-FONT >>",
    }
    resources = b"/Font << /F1 5 0 R /F9 11 0 R >> /XObject << /Im7 10 0 R >>"
    source = paper(tmp_path / "p.pdf", resources=resources, extra=extra)
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs, b"SECRET-OLD-PHOTO", b"SECRET-UNUSED-FONT")
    assert "pictures and drawings that no page shows (/Im7)" in left_out_warning(warnings)


def test_an_unapplied_redaction_is_refused(tmp_path, monkeypatch):
    extra = {
        10: b"<< /Type /Annot /Subtype /Redact /Rect [72 690 300 720] "
        b"/QuadPoints [72 720 300 720 72 690 300 690] /OverlayText (REDACTED) >>"
    }
    folder = tmp_path / "meeting"
    paper(folder / "papers" / "redact.pdf", annots=[10], extra=extra, pages=3)
    kit.write_meeting(folder, "  - title: Redacted\n    papers: [papers/redact.pdf]\n")
    monkeypatch.chdir(folder)
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "meeting.yaml"])
        assert result.exit_code == ExitCode.BAD_DOCUMENT, result.output
        assert "papers/redact.pdf: has a redaction marked but not applied on page 1" in (
            result.output
        )
        assert "Redact, then Apply" in result.output
        assert "Traceback" not in result.output
    assert not (folder / "build" / "meeting").exists()


BLACK_BOX = (
    b"BT /F1 14 Tf 72 700 Td (Visible paper text) Tj ET\n"
    b"BT /F1 12 Tf 72 650 Td (SECRET-UNDER-THE-BOX Acme Ltd 1.2m) Tj ET\n"
    b"0 0 0 rg 70 640 260 20 re f\n"
)


def test_text_covered_by_a_black_box_is_warned_about_with_its_page(tmp_path, monkeypatch):
    source = paper(tmp_path / "boxed.pdf", content=BLACK_BOX, pages=2)
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    (warning,) = [w for w in warnings if "covered by a filled box" in w]
    assert "boxed.pdf: text on pages 1, 2 is covered by a filled box" in warning
    assert "anyone can select, copy or extract it" in warning
    for pdf in pdfs:  # a warning, not a repair: the text is still there, as the warning says
        assert "SECRET-UNDER-THE-BOX" in text(pdf)


@pytest.mark.parametrize(
    "content",
    [
        # a table cell's shading, drawn before its text
        b"0.9 g 70 640 260 20 re f\nBT /F1 12 Tf 0 g 72 650 Td (Visible paper text) Tj ET\n",
        # an underline: a thin rectangle under the text, drawn after it
        b"BT /F1 12 Tf 72 650 Td (Visible paper text) Tj ET\n0 g 72 647 200 0.8 re f\n",
        # a box elsewhere on the page
        b"BT /F1 12 Tf 72 650 Td (Visible paper text) Tj ET\n0 g 300 100 100 100 re f\n",
        # a see-through highlighter over the text
        b"BT /F1 12 Tf 72 650 Td (Visible paper text) Tj ET\n/GS1 gs 1 1 0 rg 70 640 260 20 re f\n",
    ],
    ids=["shading", "underline", "elsewhere", "see-through"],
)
def test_ordinary_drawing_is_not_taken_for_a_black_box(tmp_path, monkeypatch, content):
    resources = b"/Font << /F1 5 0 R >> /ExtGState << /GS1 << /ca 0.4 /BM /Multiply >> >>"
    source = paper(tmp_path / "plain.pdf", content=content, resources=resources)
    _pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert not [w for w in warnings if "covered by a filled box" in w]
