"""Check that a Word paper is a real .docx before LibreOffice sees it.

LibreOffice "converts" almost anything: a text file named ``.docx`` comes out
as a PDF of its bytes, an old ``.doc`` renamed ``.docx`` may convert or not.
A clerk would rather be told. :func:`check_docx` accepts a file only if it is
a readable zip package holding ``word/document.xml`` that is well-formed XML,
and otherwise raises :class:`~packbuilder.exceptions.DocumentError` naming
the file, what it seems to be instead and what to do.

A package that would unpack to more than :data:`MAX_UNPACKED` bytes, or holds
a large part compressed more than :data:`MAX_RATIO` times (a "zip bomb": a
few hundred kilobytes that inflate to gigabytes), is refused from the sizes
its zip directory declares, before anything is inflated; reading a part
stops at its declared size. Parts are then read in blocks, never whole.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..exceptions import DocumentError, EncryptedDocumentError, describe_error
from .session import read_input

MAIN_PART = "word/document.xml"
MAX_UNPACKED = 200_000_000
"""The most a Word paper's parts may take once unpacked (200 MB: a long report full of
photographs takes a tenth of that)."""
MAX_RATIO = 100
"""How many times a part of more than :data:`RATIO_FROM` bytes may be compressed (the
text of a Word document compresses about ten times; zeros, a thousand)."""
RATIO_FROM = 1_000_000
BLOCK = 1 << 20
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
"""The start of a Compound File: an old .doc, or a password-protected .docx."""

RESAVE_HINT = (
    "open it in Word or LibreOffice and save it again as 'Word Document (*.docx)', then build again"
)
FRESH_COPY_HINT = (
    "the file was probably not copied or downloaded completely; get a fresh copy from "
    "the author, or open it in Word and save it again as .docx"
)


def check_docx(path: Path, *, where: str | None = None) -> None:
    """Raise :class:`DocumentError` unless ``path`` is a well-formed .docx package.

    ``where`` names the file in the message (default: the path).
    """
    path = Path(path)
    where = where or str(path)

    def fail(message: str, hint: str, error: type[DocumentError] = DocumentError) -> DocumentError:
        return error(message, hint=hint, where=where)

    try:
        data = read_input(path)  # the bytes the build converts, read once
    except FileNotFoundError:
        raise fail("the file does not exist", "check the file name and folder") from None
    except IsADirectoryError:
        raise fail("is a folder, not a Word document", "name a .docx file") from None
    except OSError as exc:
        raise fail(
            f"cannot be read ({exc.strerror or exc})", "check the file's permissions"
        ) from None
    head = data[:1024]
    if not head:
        raise fail("is empty (0 bytes)", FRESH_COPY_HINT)
    if not head.startswith(b"PK"):
        raise _not_a_package(path, head, fail)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if MAIN_PART not in names:
                raise _other_package(names, fail)
            _check_sizes(archive.infolist(), fail)
            bad = archive.testzip()
            if bad is not None:
                raise fail(f"is damaged: its part {bad} is corrupt", FRESH_COPY_HINT)
            with archive.open(MAIN_PART) as xml:
                _check_xml(xml, fail)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        reason = describe_error(exc)
        raise fail(f"is damaged and cannot be opened ({reason})", FRESH_COPY_HINT) from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted or exotic zip entries
        raise fail(f"cannot be opened ({describe_error(exc)})", RESAVE_HINT) from None


def _check_sizes(parts: list[zipfile.ZipInfo], fail) -> None:  # type: ignore[no-untyped-def]
    """Refuse a package too large once unpacked, or with a part compressed like a zip bomb."""
    what = swollen(parts)
    if what is not None:
        raise fail(f"{what}; {ZIP_BOMB}", ZIP_BOMB_HINT)


ZIP_BOMB = "it may be a 'zip bomb', made to exhaust the computer that opens it"
ZIP_BOMB_HINT = (
    "do not open it; ask the author for the paper again, saved as PDF (name the PDF in "
    "the meeting file) or as a .docx with its pictures compressed (in Word: File > "
    "Compress Pictures)"
)


def swollen(parts: list[zipfile.ZipInfo]) -> str | None:
    """What is wrong with a package too large once unpacked, or with a part compressed like
    a zip bomb, judged from the sizes its zip directory declares (nothing is inflated);
    None when the sizes are those of a document."""
    unpacked = sum(part.file_size for part in parts)
    packed = sum(part.compress_size for part in parts)
    if unpacked > MAX_UNPACKED:
        return (
            f"would unpack to {_size(unpacked)} (from {_size(packed)}), more than the "
            f"{_size(MAX_UNPACKED)} packbuilder accepts"
        )
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            return (
                f"has a part ({part.filename}) that would unpack to {_size(part.file_size)} "
                f"from {_size(part.compress_size)}, far more than a Word document's text "
                "compresses"
            )
    return None


def _check_xml(xml, fail) -> None:  # type: ignore[no-untyped-def]
    """Parse the open part ``xml`` in blocks, building no tree; refuse it if not well formed."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, target=_NoTree()
    )
    try:
        for block in iter(lambda: xml.read(BLOCK), b""):
            parser.feed(block)
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise fail(
            f"is damaged: its text ({MAIN_PART}) is not valid XML ({describe_error(exc)})",
            FRESH_COPY_HINT,
        ) from None


class _NoTree:
    """A parser target that keeps nothing: the XML is checked, not kept."""

    def close(self) -> None:
        return None


def _size(count: int) -> str:
    """``855 kB``, ``800 MB``."""
    if count >= 1_000_000:
        return f"{count / 1_000_000:,.0f} MB"
    return f"{max(1, round(count / 1000)):,} kB"


def _not_a_package(path: Path, head: bytes, fail) -> DocumentError:  # type: ignore[no-untyped-def]
    if head.startswith(OLE_MAGIC):
        try:
            encrypted = "EncryptedPackage".encode("utf-16-le") in path.read_bytes()
        except OSError:
            encrypted = False
        if encrypted:
            return fail(
                "is protected by a password",
                "ask the author for a copy without a password, or open it in Word, remove "
                "the password (File > Info > Protect Document > Encrypt with Password) and "
                "save it",
                EncryptedDocumentError,
            )
        return fail(
            "is an old Word 97-2003 document (.doc) renamed .docx",
            "open it in Word and save it as 'Word Document (*.docx)', then build again",
        )
    if b"%PDF-" in head:
        return fail(
            "is a PDF file named .docx",
            "rename it to end in .pdf and change its name in the meeting file",
        )
    if head.lstrip().startswith(b"{\\rtf"):
        return fail("is a Rich Text (.rtf) file named .docx", RESAVE_HINT)
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml")):
        return fail("is a web page or XML file named .docx, not a Word document", RESAVE_HINT)
    return fail("is not a Word document (.docx)", RESAVE_HINT)


def _other_package(names: set[str], fail) -> DocumentError:  # type: ignore[no-untyped-def]
    if any(name.startswith("xl/") for name in names):
        kind = "an Excel workbook"
        hint = "save the sheet as PDF from Excel and name the PDF in the meeting file"
    elif any(name.startswith("ppt/") for name in names):
        kind = "a PowerPoint presentation"
        hint = "save the slides as PDF from PowerPoint and name the PDF in the meeting file"
    else:
        kind = "a zip file"
        hint = RESAVE_HINT
    return fail(f"is {kind}, not a Word document (it has no {MAIN_PART})", hint)
