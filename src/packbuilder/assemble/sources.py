"""The source papers: which readers a pack uses, where their pages land, what went wrong.

:class:`PageMap` records each reader's page objects and, once the pack's page
objects are numbered, the pack positions of every source page, so links and
outline entries can be pointed at the pack's pages.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import IndirectObject, NameObject

from ..inputs.pdfread import READ_ERRORS
from .objects import Ref, resolve
from .spec import Bookmark, PackPage
from .stamp import BLANK_GEOMETRY, Geometry, page_geometry

log = logging.getLogger(__package__)

T = TypeVar("T")


def source_name(reader: PdfReader) -> str:
    """What a paper is called in messages: its ``what``, its path, or "a paper"."""
    what = getattr(reader, "what", None)
    if what:
        return str(what)
    path = getattr(reader, "path", None)
    return str(path) if path else "a paper"


def note(reader: PdfReader | None, message: str) -> None:
    """Record something pypdf repaired or skipped while a paper was copied."""
    name = source_name(reader) if reader is not None else "the pack"
    log.info("%s: %s", name, message)
    notes = getattr(reader, "notes", None)
    if isinstance(notes, list) and message not in notes:
        notes.append(message)


class PerReader(Generic[T]):
    """Something read from each paper once; ``empty()`` (and a warning) when it is unreadable.

    Values are kept as long as their reader lives, so the pack and every
    extract written from the same readers parse a paper's outline (or named
    destinations) once, not once per file written.
    """

    def __init__(self, read: Callable[[PdfReader], T], empty: Callable[[], T], unreadable: str):
        self.read = read
        self.empty = empty
        self.unreadable = unreadable
        self.values: weakref.WeakKeyDictionary[PdfReader, T] = weakref.WeakKeyDictionary()

    def get(self, reader: PdfReader) -> T:
        """The value for ``reader``, read the first time it is asked for."""
        try:
            return self.values[reader]
        except KeyError:
            pass
        try:
            value = self.read(reader)
        except READ_ERRORS as exc:
            log.warning("%s: %s: %s", source_name(reader), self.unreadable, exc)
            value = self.empty()
        self.values[reader] = value
        return value


def pdf_version(readers: Iterable[PdfReader]) -> str:
    """The highest PDF version of the sources, 1.7 at least."""
    best = (1, 7)
    for reader in readers:
        try:
            match = re.match(r"%PDF-(\d)\.(\d)", reader.pdf_header)
        except (PyPdfError, AttributeError, TypeError, ValueError):
            match = None
        if match:
            best = max(best, (int(match.group(1)), int(match.group(2))))
    return f"{best[0]}.{best[1]}"


def used_readers(pages: Iterable[PackPage], bookmarks: Iterable[Bookmark]) -> list[PdfReader]:
    """Every reader of the pages and of the imported outlines, each once, in order of use."""
    readers: list[PdfReader] = []
    seen: set[int] = set()

    def add(reader: PdfReader) -> None:
        if id(reader) not in seen:
            seen.add(id(reader))
            readers.append(reader)

    for page in pages:
        if page.reader is not None:
            add(page.reader)
    stack = list(bookmarks)
    while stack:
        mark = stack.pop()
        stack.extend(mark.children)
        for reader, _mapping in mark.imported:
            add(reader)
    return readers


def page_tree(reader: PdfReader) -> Iterator[int]:
    """The object numbers of a reader's catalog and page tree nodes (never to be copied)."""
    trailer_root = dict.get(reader.trailer, "/Root")
    if isinstance(trailer_root, IndirectObject):
        yield trailer_root.idnum
    root = resolve(trailer_root)
    stack = [dict.get(root, "/Pages")] if isinstance(root, dict) else []
    visited = 0
    while stack and visited < 100000:
        node_ref = stack.pop()
        visited += 1
        if isinstance(node_ref, IndirectObject):
            yield node_ref.idnum
        node = resolve(node_ref)
        if isinstance(node, dict) and dict.get(node, "/Type") == "/Pages":
            kids = resolve(dict.get(node, "/Kids"))
            if isinstance(kids, list):
                stack.extend(k for k in kids if isinstance(k, IndirectObject))


class PageMap:
    """The source pages of the readers and the pack pages they become."""

    def __init__(self) -> None:
        # Per reader: its page object numbers in order, and object number -> source index.
        self.page_ids: dict[int, list[int]] = {}
        self.page_index: dict[int, dict[int, int]] = {}
        # The pack's page objects, their geometry, and the positions of each source page.
        self.numbers: list[Ref] = []
        self.geometry: list[Geometry] = []
        self.positions: dict[tuple[int, int], list[int]] = {}

    def add(self, reader: PdfReader) -> list[int]:
        """Index the pages of ``reader``; return their object numbers."""
        ids: list[int] = []
        index: dict[int, int] = {}
        for number, page in enumerate(reader.pages):
            ref = page.indirect_reference
            page_id = ref.idnum if ref is not None else -(number + 1)
            ids.append(page_id)
            index.setdefault(page_id, number)
        self.page_ids[id(reader)] = ids
        self.page_index[id(reader)] = index
        return ids

    def page_id(self, page: PackPage) -> tuple[int, int]:
        """The key of a pack page's source page: (id of its reader, its object number)."""
        rid = id(page.reader)
        return rid, self.page_ids[rid][page.index]

    def place(self, pages: list[PackPage], numbers: list[Ref]) -> list[tuple[tuple[int, int], Ref]]:
        """Give the pack pages their object numbers.

        Returns each source page's key with the number of its first occurrence,
        where references to the source page are to go.
        """
        self.numbers = numbers
        first: list[tuple[tuple[int, int], Ref]] = []
        for position, page in enumerate(pages):
            if page.reader is None:
                continue
            key = self.page_id(page)
            occurrences = self.positions.setdefault(key, [])
            occurrences.append(position)
            if len(occurrences) == 1:
                first.append((key, numbers[position]))
        return first

    def measure(self, pages: list[PackPage]) -> None:
        """Record the geometry of every pack page."""
        self.geometry = [
            BLANK_GEOMETRY if page.reader is None else page_geometry(page.reader.pages[page.index])
            for page in pages
        ]

    def source_index(self, reader: PdfReader, page_id: int) -> int | None:
        """The 0-based index of the page with object number ``page_id`` in ``reader``."""
        return self.page_index[id(reader)].get(page_id)

    def source_position(self, reader: PdfReader, page: Any, near: int) -> int | None:
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

    def dest(self, position: int) -> list[Any]:
        """A destination showing pack page ``position`` from its top left (whole if rotated)."""
        g = self.geometry[position]
        if g.rotate:
            return [self.numbers[position], NameObject("/Fit")]
        return [self.numbers[position], NameObject("/XYZ"), g.x0, g.y1, None]
