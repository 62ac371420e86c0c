"""Assemble the pack PDF: merge, pad, stamp, bookmark, link, label.

The input is a :class:`PackSpec`: one :class:`PackPage` per output page (a page
of an open paper, or a generated blank page), the bookmarks, where the
agenda's links point and the metadata. :func:`write_pack` writes it as one PDF
and, optionally, extracts of page ranges (one PDF per agenda item).

This module writes the PDF itself rather than through ``pypdf.PdfWriter``:
source objects are read with pypdf and serialised straight to the output with
their object numbers remapped, each source object once however many pages
share it. That is several times faster than ``PdfWriter.add_page`` and keeps
the output the size of a plain merge. On top of the copied pages it adds:

* a page number at the foot of every page (``Page N``), as one small content
  stream per page using one shared Helvetica font object; the page's own
  content is wrapped in ``q``/``Q`` so its graphics state cannot leak, and the
  text is placed at the bottom centre *as displayed* (``/Rotate`` and boxes
  that do not start at 0,0 are taken into account);
* blank A4 pages saying "This page is intentionally left blank";
* page labels equal to the printed numbers;
* an outline: one entry per :class:`Bookmark`, with the papers' own outlines
  nested and their destinations remapped to the pack's pages;
* internal links: the front sheet's ``https://packbuilder.invalid/item/<n>``
  links become links to the item's first page; the papers' own internal links
  are remapped, or dropped when their target page is not in the pack;
* document metadata (title, subject, author, keywords, language) and a
  ``/ID`` derived from the content, so the same spec gives the same bytes.

The structure tree of tagged source PDFs is not carried over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from .exceptions import DocumentError, OutputError
from .pdfread import collect_pypdf_warnings

log = logging.getLogger(__name__)

LINK_PREFIX = "https://packbuilder.invalid/item/"
"""The front sheet links an agenda line to ``LINK_PREFIX + item number``."""

A4 = (595.276, 841.89)
"""Size of generated blank pages, in points."""
LETTER = (0.0, 0.0, 612.0, 792.0)
"""Fallback MediaBox for a page that has none (the PDF default)."""
STAMP_FONT_SIZE = 10
STAMP_BASELINE = 22.68
"""The page number's baseline sits 0.8 cm above the displayed bottom edge."""
BLANK_FONT_SIZE = 12
STAMP_FONT_NAME = "/PbStamp"

# Advance widths of Helvetica in WinAnsiEncoding (1/1000 em), codes 0-255.
_HELVETICA_WIDTHS = (
    (0,) * 32
    + (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278)
    + (556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556)
    + (1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778)
    + (667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556)
    + (333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556)
    + (556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350)
    + (556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350)
    + (350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667)
    + (278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333)
    + (400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611)
    + (667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278)
    + (722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611)
    + (556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278)
    + (556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500)
)


# --------------------------------------------------------------------------- spec


@dataclass
class PackPage:
    """One page of the output, in order: page ``index`` of ``reader``, or a blank page."""

    reader: PdfReader | None
    index: int = 0


@dataclass
class Bookmark:
    """An outline entry pointing at 0-based pack page ``page``.

    ``imported`` nests a source PDF's own outline under this entry; the dict
    maps source page indices to pack page indices. Source entries whose page
    is not in the dict are dropped (their children are kept if they map).
    Imported entries come first, then ``children``.
    """

    title: str
    page: int
    children: list[Bookmark] = field(default_factory=list)
    imported: list[tuple[PdfReader, dict[int, int]]] = field(default_factory=list)


@dataclass
class PackMetadata:
    """Document information. ``created`` None writes no dates (deterministic output)."""

    title: str
    subject: str
    author: str
    language: str = "en-GB"
    keywords: str = ""
    creator: str = "packbuilder"
    created: dt.datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
    """Further document information entries, e.g. ``{"Revision": "2"}`` (names without /)."""


@dataclass
class PackSpec:
    """Everything :func:`write_pack` needs.

    ``link_targets`` maps an agenda item number to the 0-based pack page its
    agenda link goes to. ``stamp_format`` is formatted with ``n`` (the 1-based
    pack page number) and ``total`` (the pack's page count).
    """

    pages: list[PackPage]
    bookmarks: list[Bookmark]
    link_targets: dict[str, int]
    metadata: PackMetadata
    stamp_format: str = "Page {n}"
    blank_text: str = "This page is intentionally left blank"


def write_pack(
    spec: PackSpec, out: Path, *, extracts: Mapping[Path, tuple[int, int]] | None = None
) -> None:
    """Write the pack to ``out`` and each extract (1-based inclusive page range) to its path.

    Raises :class:`DocumentError` when a paper turns out to be unreadable while
    it is copied, and :class:`OutputError` when a file cannot be written.
    """
    total = len(spec.pages)
    if total == 0:
        raise ValueError("a pack has at least one page")
    _check_pages(spec.pages, spec.bookmarks, spec.link_targets)
    try:
        spec.stamp_format.format(n=total, total=total)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"stamp_format {spec.stamp_format!r}: use {{n}} and {{total}} only"
        ) from exc
    data = _PackWriter(
        spec.pages,
        first_number=1,
        total=total,
        bookmarks=spec.bookmarks,
        link_targets=spec.link_targets,
        metadata=spec.metadata,
        stamp_format=spec.stamp_format,
        blank_text=spec.blank_text,
    ).build()
    _write_file(out, data)
    for path, (first, last) in (extracts or {}).items():
        if not 1 <= first <= last <= total:
            raise ValueError(f"extract {path}: pages {first}-{last} are not within 1-{total}")
        _write_file(path, _extract(spec, first, last))


def _extract(spec: PackSpec, first: int, last: int) -> bytes:
    """The PDF of pack pages ``first``..``last``, stamped and labelled as in the pack."""
    start, stop = first - 1, last  # 0-based, half open
    bookmarks = _shift_bookmarks(spec.bookmarks, start, stop)
    title = spec.metadata.title
    for mark in spec.bookmarks:
        if mark.page == start and stop - start < len(spec.pages):
            title = f"{title}: {mark.title}"
            break
    metadata = PackMetadata(
        title=title,
        subject=spec.metadata.subject,
        author=spec.metadata.author,
        language=spec.metadata.language,
        keywords=spec.metadata.keywords,
        creator=spec.metadata.creator,
        created=spec.metadata.created,
        extra=dict(spec.metadata.extra),
    )
    links = {k: v - start for k, v in spec.link_targets.items() if start <= v < stop}
    return _PackWriter(
        spec.pages[start:stop],
        first_number=first,
        total=len(spec.pages),
        bookmarks=bookmarks,
        link_targets=links,
        metadata=metadata,
        stamp_format=spec.stamp_format,
        blank_text=spec.blank_text,
    ).build()


def _shift_bookmarks(marks: Iterable[Bookmark], start: int, stop: int) -> list[Bookmark]:
    """The bookmarks of pages ``start``..``stop - 1``, renumbered from 0.

    A bookmark outside the range is dropped and its children take its place.
    """
    result: list[Bookmark] = []
    for mark in marks:
        children = _shift_bookmarks(mark.children, start, stop)
        imported = []
        for reader, mapping in mark.imported:
            shifted = {s: p - start for s, p in mapping.items() if start <= p < stop}
            if shifted:
                imported.append((reader, shifted))
        if start <= mark.page < stop:
            result.append(Bookmark(mark.title, mark.page - start, children, imported))
        else:
            result.extend(children)
    return result


def _check_pages(pages: list[PackPage], marks: Iterable[Bookmark], links: Mapping[str, int]):
    count = len(pages)
    for number, page in enumerate(pages, 1):
        if page.reader is not None and not 0 <= page.index < len(page.reader.pages):
            raise ValueError(f"pack page {number}: source page index {page.index} out of range")
    stack = list(marks)
    while stack:
        mark = stack.pop()
        if not 0 <= mark.page < count:
            raise ValueError(f"bookmark {mark.title!r} points at page {mark.page} of {count}")
        stack.extend(mark.children)
    for number, target in links.items():
        if not 0 <= target < count:
            raise ValueError(f"the link for item {number} points at page {target} of {count}")


def _write_file(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(
            f"cannot write the PDF: {exc.strerror or exc}",
            where=str(path),
            hint="check that the folder exists, is writable and the disk is not full",
        ) from None


# ------------------------------------------------------------------ serialising


class _Ref(int):
    """A reference to an object of the output, by its number."""


class _Stream:
    """A new stream object of the output: its dictionary and (encoded) data."""

    __slots__ = ("entries", "data")

    def __init__(self, entries: dict[str, Any], data: bytes):
        self.entries = entries
        self.data = data


_NAME_BYTES: dict[str, bytes] = {}


def _name(name: str) -> bytes:
    try:
        return _NAME_BYTES[name]
    except KeyError:
        text = name if name.startswith("/") else "/" + name
        encoded = NameObject(text).renumber()
        if len(_NAME_BYTES) < 10000:
            _NAME_BYTES[name] = encoded
        return encoded


_ESCAPE = re.compile(rb"[()\\\r]")
_ESCAPES = {b"(": b"\\(", b")": b"\\)", b"\\": b"\\\\", b"\r": b"\\r"}


def _literal(data: bytes) -> bytes:
    return b"(" + _ESCAPE.sub(lambda m: _ESCAPES[m.group()], data) + b")"


def _text(value: str) -> bytes:
    """A text string (title, subject ...) as PDFDocEncoding or UTF-16BE with BOM."""
    return _literal(TextStringObject(value).get_encoded_bytes())


def _number(value: float) -> bytes:
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".")


def _flate(data: bytes) -> _Stream:
    return _Stream({"/Filter": NameObject("/FlateDecode")}, zlib.compress(data, 9))


def _resolve(value: Any) -> Any:
    while isinstance(value, IndirectObject):
        value = value.get_object()
    return value


def _note(reader: PdfReader | None, message: str) -> None:
    """Record something pypdf repaired or skipped while a paper was copied."""
    name = _source_name(reader) if reader is not None else "the pack"
    log.info("%s: %s", name, message)
    notes = getattr(reader, "notes", None)
    if isinstance(notes, list) and message not in notes:
        notes.append(message)


def _source_name(reader: PdfReader) -> str:
    what = getattr(reader, "what", None)
    if what:
        return str(what)
    path = getattr(reader, "path", None)
    return str(path) if path else "a paper"


class _Node:
    """An outline entry being built."""

    __slots__ = ("title", "dest", "children", "open", "extra")

    def __init__(self, title: str, dest: list[Any] | None, open_: bool, extra=None):
        self.title = title
        self.dest = dest
        self.children: list[_Node] = []
        self.open = open_
        self.extra: dict[str, Any] = extra or {}


@dataclass
class _Geometry:
    x0: float
    y0: float
    x1: float
    y1: float
    rotate: int


_READ_ERRORS = (
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

_PAGE_SKIP = frozenset(
    {"/Type", "/Parent", "/Contents", "/Resources", "/Annots", "/B", "/StructParents"}
)
_LINK_SKIP = frozenset({"/A", "/Dest", "/P", "/Parent", "/StructParent", "/PA"})


class _PackWriter:
    """Writes one PDF: the pages, stamps, outline, links, labels and metadata."""

    def __init__(
        self,
        pages: list[PackPage],
        *,
        first_number: int,
        total: int,
        bookmarks: list[Bookmark],
        link_targets: Mapping[str, int],
        metadata: PackMetadata,
        stamp_format: str,
        blank_text: str,
    ):
        self.pages = pages
        self.first_number = first_number
        self.total = total
        self.bookmarks = bookmarks
        self.link_targets = link_targets
        self.metadata = metadata
        self.stamp_format = stamp_format
        self.blank_text = blank_text

        self.chunks: list[bytes] = []
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.next_number = 1
        # (id(reader), object number) -> output number; 0 means "write null".
        self.memo: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, IndirectObject]] = []
        self.overrides: dict[tuple[int, int], dict[str, Any]] = {}
        self.resources: dict[tuple[int, int], tuple[int, str]] = {}
        self.font_dicts: dict[tuple[int, int], tuple[int, str]] = {}
        self.readers: dict[int, PdfReader] = {}
        # Per reader: page object number -> source index, and pack positions of each.
        self.page_index: dict[int, dict[int, int]] = {}
        self.page_ids: dict[int, list[int]] = {}
        self.positions: dict[tuple[int, int], list[int]] = {}
        self.named: dict[int, dict[str, Any]] = {}
        self.used_pages: set[tuple[int, int]] = set()
        self.current: PdfReader | None = None

    # -- numbering and output ------------------------------------------------

    def _allocate(self) -> _Ref:
        number = self.next_number
        self.next_number += 1
        return _Ref(number)

    def _put(self, data: bytes) -> None:
        self.chunks.append(data)
        self.position += len(data)

    def _emit(self, number: int, obj: Any, extra: dict[str, Any] | None = None) -> None:
        """Write object ``number``: a new object, or a resolved source object."""
        self.offsets[number] = self.position
        out: list[bytes] = [b"%d 0 obj\n" % number]
        if isinstance(obj, _Stream):
            self._stream(obj.entries.items(), obj.data, out)
        elif isinstance(obj, StreamObject):
            entries: Any = dict.items(obj)
            if extra:
                entries = {**dict(entries), **extra}.items()
            data = obj.get_data() if type(obj).__name__ == "ContentStream" else obj._data
            self._stream(entries, data, out)
        else:
            if extra and isinstance(obj, dict):
                obj = {**dict(dict.items(obj)), **extra}
            self._ser(obj, out)
            out.append(b"\nendobj\n")
        self._put(b"".join(out))

    def _stream(self, entries: Any, data: bytes, out: list[bytes]) -> None:
        out.append(b"<<")
        for key, value in entries:
            if key == "/Length":
                continue
            out.append(_name(key))
            out.append(b" ")
            self._ser(value, out)
        out.append(b"/Length %d>>\nstream\n" % len(data))
        out.append(data)
        out.append(b"\nendstream\nendobj\n")

    def _ref(self, ref: IndirectObject) -> bytes:
        key = (id(ref.pdf), ref.idnum)
        number = self.memo.get(key)
        if number is None:
            number = self._allocate()
            self.memo[key] = number
            self.pending.append((number, ref))
        if number == 0:
            return b"null"
        return b"%d 0 R" % number

    def _ser(self, obj: Any, out: list[bytes]) -> None:
        """Append the serialisation of a direct object to ``out``."""
        kind = type(obj)
        if kind is IndirectObject:
            out.append(self._ref(obj))
        elif kind is NameObject:
            out.append(_name(obj))
        elif kind is NumberObject:
            out.append(b"%d" % obj)
        elif kind is _Ref:
            out.append(b"%d 0 R" % obj)
        elif kind is FloatObject:
            out.append(obj.myrepr().encode())
        elif kind is ArrayObject or kind is list:
            out.append(b"[")
            first = True
            for item in obj:
                if not first:
                    out.append(b" ")
                first = False
                self._ser(item, out)
            out.append(b"]")
        elif isinstance(obj, dict):
            if isinstance(obj, StreamObject):  # a stream must be indirect
                number = self._allocate()
                out.append(b"%d 0 R" % number)
                self.pending.append((number, obj))  # type: ignore[arg-type]
                return
            out.append(b"<<")
            for key, value in dict.items(obj):
                out.append(_name(key))
                out.append(b" ")
                self._ser(value, out)
            out.append(b">>")
        elif kind is TextStringObject:
            out.append(_literal(obj.get_encoded_bytes()))
        elif kind is ByteStringObject or kind is bytes:
            out.append(b"<" + bytes(obj).hex().encode() + b">")
        elif kind is BooleanObject:
            out.append(b"true" if obj.value else b"false")
        elif kind is bool:
            out.append(b"true" if obj else b"false")
        elif obj is None or kind is NullObject:
            out.append(b"null")
        elif isinstance(obj, IndirectObject):
            out.append(self._ref(obj))
        elif isinstance(obj, NameObject):
            out.append(_name(obj))
        elif isinstance(obj, str):
            out.append(_text(obj))
        elif isinstance(obj, int):
            out.append(b"%d" % obj)
        elif isinstance(obj, float):
            out.append(_number(obj))
        elif isinstance(obj, list):
            self._ser(list(obj), out)
        else:  # any other pypdf object
            from io import BytesIO

            buffer = BytesIO()
            obj.write_to_stream(buffer)
            out.append(buffer.getvalue())

    def _drain(self) -> None:
        """Write the source objects referenced so far (and those they reference)."""
        pending = self.pending
        while pending:
            batch = pending[:]
            pending.clear()
            for number, ref in batch:
                if isinstance(ref, IndirectObject):
                    obj = ref.get_object()
                    extra = self.overrides.get((id(ref.pdf), ref.idnum))
                else:  # a stream that was (wrongly) a direct object
                    obj, extra = ref, None
                if obj is None:
                    obj = NullObject()
                self._emit(number, obj, extra)

    # -- the whole file --------------------------------------------------------

    def build(self) -> bytes:
        try:
            return self._build()
        except _READ_ERRORS as exc:
            names = sorted({_source_name(r) for r in self.readers.values()})
            path = getattr(self.current, "path", None)
            raise DocumentError(
                f"the papers cannot be assembled: {_describe(exc)}",
                where=str(path) if path else None,
                hint=f"one of these is damaged: {', '.join(names)}; open it in a PDF viewer "
                "and save or print it to a new PDF, or repair it with: qpdf in.pdf repaired.pdf",
            ) from None

    def _build(self) -> bytes:
        readers = self._index_readers()
        version = self._version(readers)
        self._put(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")

        catalog = self._allocate()
        pages_root = self._allocate()
        info = self._allocate()
        self.font = self._allocate()
        self.q_stream = self._allocate()
        self.page_numbers = [self._allocate() for _ in self.pages]
        for position, page in enumerate(self.pages):
            if page.reader is None:
                continue
            rid = id(page.reader)
            page_id = self.page_ids[rid][page.index]
            occurrences = self.positions.setdefault((rid, page_id), [])
            occurrences.append(position)
            if len(occurrences) == 1:  # references to the page go to its first occurrence
                self.memo[(rid, page_id)] = self.page_numbers[position]
        self.geometry = [self._geometry(page) for page in self.pages]
        acroform = self._plan_forms(readers)

        self._emit(
            self.font,
            {
                "/Type": NameObject("/Font"),
                "/Subtype": NameObject("/Type1"),
                "/BaseFont": NameObject("/Helvetica"),
                "/Encoding": NameObject("/WinAnsiEncoding"),
            },
        )
        self._emit(self.q_stream, _flate(b"q\n"))
        self.blank_resources: _Ref | None = None
        self.blank_content: _Ref | None = None

        with collect_pypdf_warnings() as warnings:
            self._pages(pages_root, warnings)
            seen = len(warnings)
            outline = self._outline()
            self._drain()
            for message in warnings[seen:]:
                _note(None, message)

        self._emit(
            pages_root,
            {
                "/Type": NameObject("/Pages"),
                "/Kids": list(self.page_numbers),
                "/Count": len(self.pages),
            },
        )
        labels: dict[str, Any] = {"/S": NameObject("/D")}
        if self.first_number != 1:
            labels["/St"] = self.first_number
        root: dict[str, Any] = {
            "/Type": NameObject("/Catalog"),
            "/Pages": _Ref(pages_root),
            "/PageLabels": {"/Nums": [0, labels]},
            "/PageMode": NameObject("/UseOutlines" if outline else "/UseNone"),
            "/ViewerPreferences": {"/DisplayDocTitle": True},
        }
        if outline:
            root["/Outlines"] = outline
        if self.metadata.language:
            root["/Lang"] = self.metadata.language
        if acroform:
            root["/AcroForm"] = acroform
        self._emit(catalog, root)
        self._emit(info, self._info())
        self._drain()
        return self._finish(catalog, info)

    def _pages(self, pages_root: int, warnings: list[str]) -> None:
        """Write every page; pypdf's complaints about a paper become notes on its reader."""
        seen = 0
        for position, page in enumerate(self.pages):
            self.current = page.reader
            try:
                self._page(position, page, pages_root)
                self._drain()
            except _READ_ERRORS as exc:
                if page.reader is None:
                    raise
                path = getattr(page.reader, "path", None)
                what = getattr(page.reader, "what", None)
                of = f" of {what}" if what and what != str(path) else ""
                raise DocumentError(
                    f"page {page.index + 1}{of} cannot be copied ({_describe(exc)})",
                    where=str(path) if path else None,
                    hint="open it in a PDF viewer and save or print it to a new PDF, or repair "
                    "it with: qpdf in.pdf repaired.pdf; then use the new file",
                ) from None
            if len(warnings) > seen:
                for message in warnings[seen:]:
                    _note(page.reader, message)
                seen = len(warnings)

    def _finish(self, catalog: int, info: int) -> bytes:
        size = self.next_number
        missing = [n for n in range(1, size) if n not in self.offsets]
        for number in missing:  # allocated but never written: cannot happen, but stay valid
            self._emit(number, None)
        digest = hashlib.md5(usedforsecurity=False)
        for chunk in self.chunks:
            digest.update(chunk)
        ident = digest.hexdigest().encode()
        xref = self.position
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        offsets = self.offsets
        lines.extend(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
        lines.append(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID [<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, catalog, info, ident, ident, xref)
        )
        self.chunks.extend(lines)
        return b"".join(self.chunks)

    def _version(self, readers: list[PdfReader]) -> str:
        best = (1, 7)
        for reader in readers:
            try:
                match = re.match(r"%PDF-(\d)\.(\d)", reader.pdf_header)
            except (PyPdfError, AttributeError, TypeError, ValueError):
                match = None
            if match:
                best = max(best, (int(match.group(1)), int(match.group(2))))
        return f"{best[0]}.{best[1]}"

    def _index_readers(self) -> list[PdfReader]:
        """Map every reader's page objects, and stop references escaping to its page tree."""
        readers: list[PdfReader] = []
        seen: set[int] = set()

        def add(reader: PdfReader) -> None:
            if id(reader) in seen:
                return
            seen.add(id(reader))
            readers.append(reader)
            self.readers[id(reader)] = reader
            ids: list[int] = []
            index: dict[int, int] = {}
            for number, page in enumerate(reader.pages):
                ref = page.indirect_reference
                page_id = ref.idnum if ref is not None else -(number + 1)
                ids.append(page_id)
                index.setdefault(page_id, number)
                self.memo[(id(reader), page_id)] = 0
            self.page_ids[id(reader)] = ids
            self.page_index[id(reader)] = index
            trailer_root = dict.get(reader.trailer, "/Root")
            if isinstance(trailer_root, IndirectObject):
                self.memo[(id(reader), trailer_root.idnum)] = 0
            root = _resolve(trailer_root)
            stack = [dict.get(root, "/Pages")] if isinstance(root, dict) else []
            visited = 0
            while stack and visited < 100000:
                node_ref = stack.pop()
                visited += 1
                if isinstance(node_ref, IndirectObject):
                    self.memo[(id(reader), node_ref.idnum)] = 0
                node = _resolve(node_ref)
                if isinstance(node, dict) and dict.get(node, "/Type") == "/Pages":
                    kids = _resolve(dict.get(node, "/Kids"))
                    if isinstance(kids, list):
                        stack.extend(k for k in kids if isinstance(k, IndirectObject))

        for page in self.pages:
            if page.reader is not None:
                add(page.reader)
        stack = list(self.bookmarks)
        while stack:
            mark = stack.pop()
            stack.extend(mark.children)
            for reader, _mapping in mark.imported:
                add(reader)
        return readers

    # -- pages -----------------------------------------------------------------

    def _geometry(self, page: PackPage) -> _Geometry:
        if page.reader is None:
            return _Geometry(0.0, 0.0, A4[0], A4[1], 0)
        src = page.reader.pages[page.index]
        media = _box(dict.get(src, "/MediaBox")) or LETTER
        crop = _box(dict.get(src, "/CropBox"))
        if crop:
            crop = (
                max(crop[0], media[0]),
                max(crop[1], media[1]),
                min(crop[2], media[2]),
                min(crop[3], media[3]),
            )
            if crop[2] - crop[0] < 1 or crop[3] - crop[1] < 1:
                crop = None
        x0, y0, x1, y1 = crop or media
        try:
            rotate = int(_resolve(dict.get(src, "/Rotate", 0)) or 0)
        except (TypeError, ValueError):
            rotate = 0
        rotate = (rotate // 90 * 90) % 360
        return _Geometry(x0, y0, x1, y1, rotate)

    def _page(self, position: int, page: PackPage, pages_root: int) -> None:
        number = self.page_numbers[position]
        geometry = self.geometry[position]
        if page.reader is None:
            self._blank_page(number, position, geometry, pages_root)
            return
        reader = page.reader
        rid = id(reader)
        src = reader.pages[page.index]
        page_id = self.page_ids[rid][page.index]
        first_use = (rid, page_id) not in self.used_pages
        self.used_pages.add((rid, page_id))

        entries: dict[str, Any] = {"/Type": NameObject("/Page"), "/Parent": _Ref(pages_root)}
        for key, value in dict.items(src):
            if key not in _PAGE_SKIP:
                entries[key] = value
        if _box(dict.get(src, "/MediaBox")) is None:
            entries["/MediaBox"] = list(LETTER)
        resources, font_name = self._resources(reader, dict.get(src, "/Resources"))
        entries["/Resources"] = resources

        contents: list[Any] = [self.q_stream]
        raw = dict.get(src, "/Contents")
        resolved = _resolve(raw)
        if isinstance(resolved, StreamObject):
            contents.append(raw if isinstance(raw, IndirectObject) else resolved)
        elif isinstance(resolved, list):
            contents.extend(x for x in resolved if isinstance(x, IndirectObject))
        stamp = self._allocate()
        contents.append(stamp)
        entries["/Contents"] = contents

        annots = self._annotations(reader, src, position, first_use)
        if annots:
            entries["/Annots"] = annots

        self._emit(number, entries)
        self._emit(stamp, _flate(self._stamp(position, geometry, font_name)))

    def _blank_page(self, number: int, position: int, geometry: _Geometry, root: int) -> None:
        if self.blank_resources is None:
            self.blank_resources = self._allocate()
            self._emit(self.blank_resources, {"/Font": {STAMP_FONT_NAME: self.font}})
            self.blank_content = self._allocate()
            self._emit(self.blank_content, _flate(self._blank_text()))
        stamp = self._allocate()
        self._emit(
            number,
            {
                "/Type": NameObject("/Page"),
                "/Parent": _Ref(root),
                "/MediaBox": [0, 0, A4[0], A4[1]],
                "/Resources": self.blank_resources,
                "/Contents": [self.q_stream, self.blank_content, stamp],
            },
        )
        self._emit(stamp, _flate(self._stamp(position, geometry, STAMP_FONT_NAME)))

    def _blank_text(self) -> bytes:
        lines = self.blank_text.splitlines() or [""]
        leading = BLANK_FONT_SIZE * 1.25
        top = A4[1] / 2 + (len(lines) - 1) * leading / 2
        parts = [b"q BT %s %d Tf 0 g" % (_name(STAMP_FONT_NAME), BLANK_FONT_SIZE)]
        for n, line in enumerate(lines):
            encoded, width = _encode(line, BLANK_FONT_SIZE)
            x, y = A4[0] / 2 - width / 2, top - n * leading
            parts.append(b"1 0 0 1 %s %s Tm %s Tj" % (_number(x), _number(y), _literal(encoded)))
        parts.append(b"ET Q\n")
        return b" ".join(parts)

    def _stamp(self, position: int, g: _Geometry, font_name: str) -> bytes:
        number = self.first_number + position
        text = self.stamp_format.format(n=number, total=self.total)
        encoded, width = _encode(text, STAMP_FONT_SIZE)
        xc, yc, off, half = (g.x0 + g.x1) / 2, (g.y0 + g.y1) / 2, STAMP_BASELINE, width / 2
        if g.rotate == 90:
            matrix = (0, 1, -1, 0, g.x1 - off, yc - half)
        elif g.rotate == 180:
            matrix = (-1, 0, 0, -1, xc + half, g.y1 - off)
        elif g.rotate == 270:
            matrix = (0, -1, 1, 0, g.x0 + off, yc + half)
        else:
            matrix = (1, 0, 0, 1, xc - half, g.y0 + off)
        return b"\nQ\nq BT %s %d Tf 0 g 0 Tr %s Tm %s Tj ET Q\n" % (
            _name(font_name),
            STAMP_FONT_SIZE,
            b" ".join(_number(v) for v in matrix),
            _literal(encoded),
        )

    def _resources(self, reader: PdfReader, raw: Any) -> tuple[Any, str]:
        """The page's resources with the stamp font added, and the font's name there."""
        rid = id(reader)
        key = (rid, raw.idnum) if isinstance(raw, IndirectObject) else None
        if key is not None and key in self.resources:
            number, name = self.resources[key]
            return _Ref(number), name
        resolved = _resolve(raw)
        if not isinstance(resolved, dict):
            resolved = {}
        fonts_raw = dict.get(resolved, "/Font")
        fonts_value, name = self._fonts(rid, fonts_raw)
        entries = {k: v for k, v in dict.items(resolved) if k != "/Font"}
        entries["/Font"] = fonts_value
        if key is None:
            return entries, name
        number = self._allocate()
        self.resources[key] = (number, name)
        self.memo.setdefault(key, number)
        self._emit(number, entries)
        return number, name

    def _fonts(self, rid: int, raw: Any) -> tuple[Any, str]:
        key = (rid, raw.idnum) if isinstance(raw, IndirectObject) else None
        if key is not None and key in self.font_dicts:
            number, name = self.font_dicts[key]
            return _Ref(number), name
        fonts = _resolve(raw)
        if not isinstance(fonts, dict):
            fonts = {}
        name = STAMP_FONT_NAME
        suffix = 0
        while name in fonts:
            suffix += 1
            name = f"{STAMP_FONT_NAME}{suffix}"
        entries = dict(dict.items(fonts))
        entries[name] = self.font
        if key is None:
            return entries, name
        number = self._allocate()
        self.font_dicts[key] = (number, name)
        self.memo.setdefault(key, number)
        self._emit(number, entries)
        return number, name

    # -- links -----------------------------------------------------------------

    def _annotations(
        self, reader: PdfReader, src: DictionaryObject, position: int, first_use: bool
    ) -> list[Any]:
        annots = _resolve(dict.get(src, "/Annots"))
        if not isinstance(annots, list):
            return []
        result: list[Any] = []
        for raw in annots:
            annot = _resolve(raw)
            if not isinstance(annot, dict):
                continue
            if dict.get(annot, "/Subtype") == "/Link":
                link = self._link(reader, annot, position)
                if link is not None:
                    number = self._allocate()
                    self._emit(number, link)
                    result.append(number)
            elif first_use and isinstance(raw, IndirectObject):
                result.append(raw)
        return result

    def _link(self, reader: PdfReader, annot: dict, position: int) -> dict[str, Any] | None:
        """The link rewritten for the pack, or None to drop it."""
        entries = {k: v for k, v in dict.items(annot) if k not in _LINK_SKIP}
        entries["/P"] = self.page_numbers[position]
        action = _resolve(dict.get(annot, "/A"))
        dest = _resolve(dict.get(annot, "/Dest"))
        via_action = False
        if dest is None and isinstance(action, dict):
            kind = dict.get(action, "/S")
            if kind == "/URI":
                uri = _resolve(dict.get(action, "/URI"))
                if isinstance(uri, bytes):
                    uri = uri.decode("latin-1")
                if isinstance(uri, str) and uri.startswith(LINK_PREFIX):
                    number = unquote(uri[len(LINK_PREFIX) :]).strip().strip("/")
                    target = self.link_targets.get(number)
                    if target is None:
                        return None
                    entries["/Dest"] = self._page_dest(target)
                    return entries
                entries["/A"] = dict.get(annot, "/A")
                return entries
            if kind == "/GoTo":
                dest = _resolve(dict.get(action, "/D"))
                via_action = True
            else:
                entries["/A"] = dict.get(annot, "/A")
                return entries
        if dest is None:
            return entries
        explicit = self._explicit(reader, dest)
        if explicit is None:
            return None
        target = self._source_position(reader, explicit[0], position)
        if target is None:
            return None
        new_dest = [self.page_numbers[target], *explicit[1:]]
        if via_action:
            new_action = {k: v for k, v in dict.items(action) if k not in ("/D", "/Next")}
            new_action["/D"] = new_dest
            entries["/A"] = new_action
        else:
            entries["/Dest"] = new_dest
        return entries

    def _explicit(self, reader: PdfReader, dest: Any) -> list[Any] | None:
        """An explicit destination array for ``dest`` (an array, a name or a string)."""
        if isinstance(dest, dict):
            dest = _resolve(dict.get(dest, "/D"))
        if isinstance(dest, list):
            return list(dest) if dest else None
        if isinstance(dest, (str, bytes)):
            rid = id(reader)
            if rid not in self.named:
                try:
                    self.named[rid] = dict(reader.named_destinations)
                except _READ_ERRORS as exc:
                    log.warning("%s: named destinations unreadable: %s", _source_name(reader), exc)
                    self.named[rid] = {}
            key = dest.decode("latin-1") if isinstance(dest, bytes) else str(dest)
            named = self.named[rid].get(key)
            if named is None:
                return None
            try:
                return list(named.dest_array)
            except _READ_ERRORS:
                return None
        return None

    def _source_position(self, reader: PdfReader, page: Any, near: int) -> int | None:
        """The pack position of a source page (the occurrence nearest ``near``)."""
        rid = id(reader)
        if isinstance(page, IndirectObject):
            page_id = page.idnum
        elif isinstance(page, int) and not isinstance(page, bool):
            ids = self.page_ids[rid]
            if not 0 <= page < len(ids):
                return None
            page_id = ids[page]
        else:
            return None
        positions = self.positions.get((rid, page_id))
        if not positions:
            return None
        return min(positions, key=lambda p: (abs(p - near), p))

    def _page_dest(self, position: int) -> list[Any]:
        g = self.geometry[position]
        if g.rotate:
            return [self.page_numbers[position], NameObject("/Fit")]
        return [self.page_numbers[position], NameObject("/XYZ"), g.x0, g.y1, None]

    # -- outline ---------------------------------------------------------------

    def _outline(self) -> _Ref | None:
        cache: dict[int, list[Any]] = {}
        nodes = [self._bookmark_node(mark, cache) for mark in self.bookmarks]
        if not nodes:
            return None
        root = self._allocate()
        visible = self._number_outline(nodes, root)
        first, last = nodes[0].extra["number"], nodes[-1].extra["number"]
        self._emit(
            root,
            {"/Type": NameObject("/Outlines"), "/First": first, "/Last": last, "/Count": visible},
        )
        return root

    def _bookmark_node(self, mark: Bookmark, cache: dict[int, list[Any]]) -> _Node:
        node = _Node(mark.title, self._page_dest(mark.page), True)
        for reader, mapping in mark.imported:
            node.children.extend(self._imported(reader, mapping, cache))
        node.children.extend(self._bookmark_node(child, cache) for child in mark.children)
        return node

    def _imported(
        self, reader: PdfReader, mapping: dict[int, int], cache: dict[int, list[Any]]
    ) -> list[_Node]:
        rid = id(reader)
        if rid not in cache:
            try:
                cache[rid] = list(reader.outline)
            except _READ_ERRORS as exc:
                log.warning("%s: its own bookmarks are unreadable: %s", _source_name(reader), exc)
                cache[rid] = []
        return self._convert_outline(reader, cache[rid], mapping, 0)

    def _convert_outline(
        self, reader: PdfReader, items: list[Any], mapping: dict[int, int], depth: int
    ) -> list[_Node]:
        nodes: list[_Node] = []
        if depth > 50:
            return nodes
        rid = id(reader)
        for item in items:
            if isinstance(item, list):
                children = self._convert_outline(reader, item, mapping, depth + 1)
                if nodes:
                    nodes[-1].children.extend(children)
                else:
                    nodes.extend(children)
                continue
            try:
                array = list(item.dest_array)
                title = str(item.title or "")
            except _READ_ERRORS:
                continue
            page = array[0] if array else None
            if isinstance(page, IndirectObject):
                index = self.page_index[rid].get(page.idnum)
            elif isinstance(page, int) and not isinstance(page, bool):
                index = page
            else:
                index = None
            target = mapping.get(index) if index is not None else None
            if target is None:
                # Unmapped: dropped, but its children (the next list) move up.
                nodes.append(_Node("", None, False, {"dropped": True}))
                continue
            extra = {}
            for key in ("/C", "/F"):
                value = dict.get(item, key)
                if value is not None:
                    extra[key] = value
            dest = [self.page_numbers[target], *array[1:]]
            nodes.append(_Node(title, dest, False, {"entries": extra}))
        # Replace dropped placeholders by their children.
        result: list[_Node] = []
        for node in nodes:
            if node.extra.get("dropped"):
                result.extend(node.children)
            else:
                result.append(node)
        return result

    def _number_outline(self, nodes: list[_Node], parent: int) -> int:
        """Give the nodes numbers, write them and return how many are visible under the parent."""
        for node in nodes:
            node.extra["number"] = self._allocate()
        visible = 0
        for n, node in enumerate(nodes):
            number = node.extra["number"]
            entries: dict[str, Any] = {"/Title": TextStringObject(node.title), "/Parent": parent}
            if n:
                entries["/Prev"] = nodes[n - 1].extra["number"]
            if n + 1 < len(nodes):
                entries["/Next"] = nodes[n + 1].extra["number"]
            if node.children:
                below = self._number_outline(node.children, number)
                entries["/First"] = node.children[0].extra["number"]
                entries["/Last"] = node.children[-1].extra["number"]
                entries["/Count"] = below if node.open else -below
                visible += below if node.open else 0
            if node.dest is not None:
                entries["/Dest"] = node.dest
            entries.update(node.extra.get("entries", {}))
            self._emit(number, entries)
            visible += 1
        return visible

    # -- forms and metadata ----------------------------------------------------

    def _plan_forms(self, readers: list[PdfReader]) -> dict[str, Any] | None:
        """Carry the papers' form fields over; fields of different papers are kept apart."""
        forms: list[tuple[PdfReader, dict, list[Any]]] = []
        for reader in readers:
            if not any(p.reader is reader for p in self.pages):
                continue
            try:
                root = _resolve(dict.get(reader.trailer, "/Root"))
                form = _resolve(dict.get(root, "/AcroForm")) if isinstance(root, dict) else None
                fields = _resolve(dict.get(form, "/Fields")) if isinstance(form, dict) else None
            except _READ_ERRORS:
                continue
            if isinstance(fields, list) and fields:
                forms.append((reader, form, [f for f in fields if isinstance(f, IndirectObject)]))
        if not forms:
            return None
        result: dict[str, Any] = {}
        if len(forms) == 1:
            result["/Fields"] = forms[0][2]
        else:
            result["/Fields"] = []
            for n, (reader, _form, fields) in enumerate(forms, 1):
                wrapper = self._allocate()
                for ref in fields:
                    self.overrides[(id(reader), ref.idnum)] = {"/Parent": wrapper}
                self._emit(wrapper, {"/T": f"paper{n}", "/Kids": fields})
                result["/Fields"].append(wrapper)
        resources: dict[str, Any] = {}
        for _reader, form, _fields in forms:
            for key in ("/DA", "/Q"):
                if key not in result and dict.get(form, key) is not None:
                    result[key] = dict.get(form, key)
            if _resolve(dict.get(form, "/NeedAppearances")):
                result["/NeedAppearances"] = True
            default = _resolve(dict.get(form, "/DR"))
            if isinstance(default, dict):
                for key, value in dict.items(default):
                    group = _resolve(value)
                    if isinstance(group, dict):
                        merged = resources.setdefault(key, {})
                        for name, item in dict.items(group):
                            merged.setdefault(name, item)
        if resources:
            result["/DR"] = resources
        return result

    def _info(self) -> dict[str, Any]:
        meta = self.metadata
        info: dict[str, Any] = {
            "/Title": meta.title,
            "/Subject": meta.subject,
            "/Author": meta.author,
            "/Creator": meta.creator,
            "/Producer": "packbuilder (pypdf)",
        }
        if meta.keywords:
            info["/Keywords"] = meta.keywords
        for name, value in meta.extra.items():
            info.setdefault(f"/{name}", value)
        if meta.created is not None:
            info["/CreationDate"] = info["/ModDate"] = _pdf_date(meta.created)
        return info


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _pdf_date(moment: dt.datetime) -> str:
    text = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is None:
        return text
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return text + "Z"
    sign = "+" if minutes > 0 else "-"
    minutes = abs(minutes)
    return f"{text}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def _encode(text: str, size: float) -> tuple[bytes, float]:
    """``text`` in WinAnsiEncoding (unknown characters become '?') and its width in points."""
    encoded = text.encode("cp1252", errors="replace")
    width = sum(_HELVETICA_WIDTHS[c] for c in encoded) * size / 1000
    return encoded, width


def _box(value: Any) -> tuple[float, float, float, float] | None:
    box = _resolve(value)
    if not isinstance(box, list) or len(box) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(_resolve(v)) for v in box)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in (x0, y0, x1, y1)):
        return None
    x0, x1 = min(x0, x1), max(x0, x1)
    y0, y1 = min(y0, y1), max(y0, y1)
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return (x0, y0, x1, y1)
