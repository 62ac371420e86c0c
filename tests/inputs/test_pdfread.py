"""open_pdf: every unusable PDF becomes a DocumentError naming the file and what to do."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from packbuilder.assemble import Bookmark, PackMetadata, PackPage, PackSpec, write_pack
from packbuilder.exceptions import DocumentError, EncryptedDocumentError, ExitCode
from packbuilder.inputs.pdfread import SourcePdf, open_pdf

from helpers.kit import make_pdf


def encrypt(source: Path, target: Path, user: str, algorithm: str = "AES-256") -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def test_opens_a_good_pdf(tmp_path: Path) -> None:
    reader = open_pdf(make_pdf(tmp_path / "good.pdf", 3))
    assert isinstance(reader, SourcePdf)
    assert len(reader.pages) == 3
    assert reader.path == tmp_path / "good.pdf"
    assert reader.what == str(tmp_path / "good.pdf")
    assert reader.notes == []


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as info:
        open_pdf(tmp_path / "nowhere.pdf", what="Appendix A")
    error = info.value
    assert error.exit_code is ExitCode.BAD_DOCUMENT
    assert "nowhere.pdf" in str(error)
    assert "Appendix A does not exist" in error.message
    assert error.hint


def test_folder_is_not_a_pdf(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="folder"):
        open_pdf(tmp_path)


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(DocumentError) as info:
        open_pdf(path)
    assert "empty (0 bytes)" in str(info.value)
    assert str(path) in str(info.value)


def test_text_file_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("These are my notes, not a PDF.\n")
    with pytest.raises(DocumentError) as info:
        open_pdf(path)
    assert "not a PDF" in str(info.value)
    assert "notes.pdf" in str(info.value)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "whole.pdf", 4).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DocumentError) as info:
        open_pdf(path, what="the budget report")
    text = str(info.value)
    assert "truncated.pdf" in text
    assert "damaged" in text
    assert "qpdf" in text  # says what to do


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = tmp_path / "nopages.pdf"
    with path.open("wb") as handle:
        PdfWriter().write(handle)
    with pytest.raises(DocumentError, match="no pages"):
        open_pdf(path)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_password_protected(tmp_path: Path, algorithm: str) -> None:
    path = encrypt(make_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf", "secret", algorithm)
    with pytest.raises(EncryptedDocumentError) as info:
        open_pdf(path)
    text = str(info.value)
    assert "locked.pdf" in text
    assert "password" in text
    assert "qpdf --decrypt --password=PASSWORD in.pdf out.pdf" in text
    assert info.value.exit_code is ExitCode.BAD_DOCUMENT


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_empty_user_password_is_opened(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", 2, text="Secret minutes")
    path = encrypt(plain, tmp_path / "owner-only.pdf", "", algorithm)
    reader = open_pdf(path)
    assert len(reader.pages) == 2
    assert "Secret minutes page 2" in reader.pages[1].extract_text()
    # The decrypted pages can be assembled into an unencrypted pack.
    out = tmp_path / "pack.pdf"
    spec = PackSpec(
        pages=[PackPage(reader, 0), PackPage(reader, 1)],
        bookmarks=[],
        link_targets={},
        metadata=PackMetadata("t", "s", "a"),
    )
    write_pack(spec, out)
    result = PdfReader(out)
    assert not result.is_encrypted
    assert "Secret minutes page 1" in result.pages[0].extract_text()


def test_repaired_cross_reference_table_is_noted(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "good.pdf", 2).read_bytes()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"  # wrong xref offset
    path = tmp_path / "badxref.pdf"
    path.write_bytes(broken)
    reader = open_pdf(path)
    assert len(reader.pages) == 2
    assert reader.notes  # pypdf's repair is recorded, not printed


def _corpus_pdf() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for n in range(2):
        c.drawString(72, 720, f"page {n + 1}")
        c.bookmarkPage(f"p{n}")
        c.addOutlineEntry(f"Heading {n}", f"p{n}")
        c.showPage()
    c.save()
    return buffer.getvalue()


_GOOD = _corpus_pdf()


@settings(
    max_examples=int(os.environ.get("PACKBUILDER_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0, max_value=len(_GOOD)),
    flips=st.lists(st.tuples(st.integers(0, len(_GOOD) - 1), st.integers(0, 255)), max_size=4),
)
def test_damaged_input_never_escapes_as_a_pypdf_error(
    tmp_path: Path, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(_GOOD)
    for offset, value in flips:
        data[offset] = value
    path = tmp_path / "fuzz.pdf"
    path.write_bytes(bytes(data[:cut]) if cut < len(data) else bytes(data))
    try:
        reader = open_pdf(path)
    except DocumentError:
        return
    count = len(reader.pages)
    spec = PackSpec(
        pages=[PackPage(reader, i) for i in range(count)],
        bookmarks=[Bookmark("Paper", 0, imported=[(reader, {i: i for i in range(count)})])],
        link_targets={},
        metadata=PackMetadata("t", "s", "a"),
    )
    with contextlib.suppress(DocumentError):
        write_pack(spec, tmp_path / "out.pdf")


def _raw_pdf(path: Path, objects: dict[int, str]) -> Path:
    """A PDF written by hand from ``{number: dictionary}``, with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number].encode())
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))
    return path


def test_page_tree_that_loops_back_says_so_and_not_to_use_qpdf(tmp_path: Path) -> None:
    path = _raw_pdf(
        tmp_path / "cycle.pdf",
        {
            1: "<< /Type /Catalog /Pages 2 0 R >>",
            2: "<< /Type /Pages /Kids [4 0 R 3 0 R] /Count 2 >>",
            3: "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
            4: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        },
    )
    with pytest.raises(DocumentError) as info:
        open_pdf(path)
    error = info.value
    assert "cycle.pdf" in str(error)
    assert "its list of pages loops back on itself" in error.message
    assert "print it to a new PDF" in error.hint
    assert "qpdf in.pdf" not in error.hint
