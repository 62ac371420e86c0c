"""Open a paper's PDF once, with a clear message when it cannot be used.

:func:`open_pdf` turns every way a PDF can be unusable (missing, empty, not a
PDF, damaged beyond repair, no pages, protected by a password) into a
:class:`~packbuilder.exceptions.DocumentError` that names the file and says
what to do. pypdf's own exceptions never escape. Repairs pypdf made while
reading (a rebuilt cross-reference table, say) are kept as notes on the
returned reader, in :attr:`SourcePdf.notes`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject, PdfObject

from ..exceptions import DocumentError, EncryptedDocumentError, describe_error
from .pdfparse import Unsupported, parse_object

PDF_HEADER = b"%PDF-"
HEADER_WINDOW = 1024
"""Readers accept the ``%PDF-`` header anywhere in the first kilobyte."""

READ_ERRORS = (
    PyPdfError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
    UnicodeError,
    AssertionError,
    OSError,
    ZeroDivisionError,
)
"""What pypdf raises on a damaged file (it is not always a PdfReadError)."""

DECRYPT_HINT = (
    "ask the author for an unprotected copy, or remove the password with: "
    "qpdf --decrypt --password=PASSWORD in.pdf out.pdf"
)
REPAIR_ADVICE = (
    "open it in a PDF viewer and save or print it to a new PDF, or repair it with: "
    "qpdf in.pdf repaired.pdf"
)
REPAIR_HINT = f"{REPAIR_ADVICE}; then use the new file"
LOOP_HINT = (
    "open it in a PDF viewer and print it to a new PDF (Print, then 'Save as PDF' or "
    "'Microsoft Print to PDF'), then use the new file; repairing it with qpdf does not "
    "fix this"
)
_LOOP_MARKS = ("cyclic page",)
"""pypdf's words for a page tree whose ``/Kids`` lead back to a node above."""


class SourcePdf(PdfReader):
    """A :class:`pypdf.PdfReader` that remembers where it came from.

    ``path`` is the file, ``what`` the name to use in messages (the file name
    unless the caller gave a better one), ``notes`` what pypdf had to repair.
    """

    path: Path
    what: str
    notes: list[str]

    _buffer: bytes | None = None
    _parsing: frozenset[int] = frozenset()

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        """pypdf's object, read by :func:`.pdfparse.parse_object` when it is plainly written."""
        if isinstance(indirect_reference, int):
            indirect_reference = IndirectObject(indirect_reference, 0, self)
        generation, idnum = indirect_reference.generation, indirect_reference.idnum
        found = self.resolved_objects.get((generation, idnum))
        if found is not None or (generation, idnum) in self.resolved_objects:
            return found
        start = self.xref.get(generation, {}).get(idnum)
        if (
            start is not None
            and getattr(self, "_encryption", True) is None  # set (to None) once it is read
            and idnum not in self.xref_objStm
            and idnum not in self._parsing
            and not self.xref_free_entry.get(generation, {}).get(idnum, False)
        ):
            buffer = self._buffer
            if buffer is None and isinstance(self.stream, BytesIO):
                buffer = self._buffer = self.stream.getvalue()
            if buffer is not None:
                parsing = self._parsing
                self._parsing = parsing | {idnum}
                try:
                    obj = parse_object(buffer, start, idnum, generation, self, self.get_object)
                except (Unsupported, AttributeError):  # AttributeError: another pypdf's insides
                    pass
                else:
                    return self.cache_indirect_object(generation, idnum, obj)
                finally:
                    self._parsing = parsing
        return super().get_object(indirect_reference)

    def _get_named_destinations(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """pypdf's named destinations, from both places a catalog may keep them.

        pypdf reads the old-style ``/Dests`` dictionary of the catalog *or* the
        ``/Names /Dests`` name tree; a file with both has names in each, and
        its bookmarks and links use either. The top-level call (the only one
        without a ``tree``) gets the names of both (``/Dests`` keys are names,
        ``/nd2``; the name tree's are strings, ``nd2``, so they do not clash).
        """
        if args or kwargs.get("tree") is not None or kwargs.get("retval") is not None:
            return super()._get_named_destinations(*args, **kwargs)
        found: dict[str, Any] = {}
        for tree in self._destination_trees():
            found.update(super()._get_named_destinations(tree=tree, retval={}))
        if not found:
            return super()._get_named_destinations(*args, **kwargs)
        return found

    def _destination_trees(self) -> list[DictionaryObject]:
        """The catalog's ``/Dests`` dictionary and ``/Names /Dests`` tree, those there are."""
        root = self.root_object
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        trees = [
            dict.get(names, "/Dests") if isinstance(names, DictionaryObject) else None,
            root.get("/Dests"),
        ]
        trees = [t.get_object() if t is not None else None for t in trees]
        return [t for t in trees if isinstance(t, DictionaryObject)]


class _Collector(logging.Handler):
    """Collects pypdf's warnings while a file is read, instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad log record must not break reading
            message = str(record.msg)
        if message not in self.messages:
            self.messages.append(message)


@contextmanager
def collect_pypdf_warnings() -> Iterator[list[str]]:
    """Within the block, pypdf's logged warnings go to the yielded list, not stderr."""
    logger = logging.getLogger("pypdf")
    collector = _Collector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


def open_pdf(path: Path, *, what: str | None = None, data: bytes | None = None) -> SourcePdf:
    """Open ``path`` for reading, checked, decrypted if it has an empty password.

    ``what`` names the document in messages (``the cover report 'Budget'``);
    it defaults to the path. ``data``, if given, is the file's content, already
    read (the reader is made from it and the file is not read again). Raises
    :class:`DocumentError` (or :class:`EncryptedDocumentError`) for any PDF
    that cannot be used.
    """
    path = Path(path)
    name = what or str(path)
    where = str(path)

    def fail(message: str, hint: str, error: type[DocumentError] = DocumentError) -> DocumentError:
        subject = "this file" if name == where else name
        return error(f"{subject} {message}", hint=hint, where=where)

    try:
        if data is None:
            with path.open("rb") as handle:
                head = handle.read(HEADER_WINDOW)
        else:
            head = data[:HEADER_WINDOW]
    except FileNotFoundError:
        raise fail("does not exist", "check the file name and folder in the definition") from None
    except IsADirectoryError:
        raise fail("is a folder, not a PDF file", "name a PDF file") from None
    except OSError as exc:
        raise fail(
            f"cannot be read ({exc.strerror or exc})", "check the file's permissions"
        ) from None
    if not head:
        raise fail(
            "is empty (0 bytes)",
            "the file was probably not saved or copied completely; get a fresh copy",
        )
    if PDF_HEADER not in head:
        raise fail(
            "is not a PDF (it has no %PDF header)",
            "export or save the document as PDF and use that file; a Word document "
            "must end in .docx",
        )

    with collect_pypdf_warnings() as notes:
        try:
            reader = SourcePdf(path if data is None else BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt(reader, fail)
            count = len(reader.pages)
            for page in reader.pages:  # every page must resolve to a page dictionary
                page.get("/Type")  # (a missing or bad MediaBox is the assembler's to replace)
        except DocumentError:
            raise
        except FileNotDecryptedError:
            raise fail("is protected by a password", DECRYPT_HINT, EncryptedDocumentError) from None
        except DependencyError as exc:
            raise fail(
                f"cannot be read: {exc}",
                "install the 'cryptography' Python package, or ask for an unprotected copy",
                EncryptedDocumentError,
            ) from None
        except READ_ERRORS as exc:
            if _page_tree_loops(exc):
                raise fail(
                    "is damaged and cannot be read: its list of pages loops back on itself",
                    LOOP_HINT,
                ) from None
            reason = describe_error(exc)
            raise fail(f"is damaged and cannot be read ({reason})", REPAIR_HINT) from None
    if count == 0:
        raise fail("has no pages", "check that the right file is named; export it again")
    reader.path = path
    reader.what = name
    reader.notes = list(notes)
    return reader


def _page_tree_loops(exc: BaseException) -> bool:
    """Whether pypdf gave up because the page tree refers back to itself."""
    text = str(exc).lower()
    return any(mark in text for mark in _LOOP_MARKS)


def _decrypt(reader: SourcePdf, fail) -> None:  # type: ignore[no-untyped-def]
    """Open a PDF encrypted with an empty user password; refuse one that needs a password."""
    try:
        result = reader.decrypt("")
    except DependencyError:
        raise
    except (PyPdfError, ValueError, NotImplementedError, KeyError, TypeError) as exc:
        raise fail(
            f"is encrypted in a way packbuilder cannot open ({describe_error(exc)})",
            DECRYPT_HINT,
            EncryptedDocumentError,
        ) from None
    if not result:
        raise fail("is protected by a password", DECRYPT_HINT, EncryptedDocumentError)
