"""What a pack is made of: its pages, bookmarks, link targets and metadata."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pypdf import PdfReader

PageNumber = tuple[int, int]
"""The pack page numbers a page is printed with: ``(53, 53)``, or ``(45, 52)`` for a page
that stands for several (the public pack's placeholder for exempt pages)."""


@dataclass(frozen=True)
class TextBlock:
    """A paragraph of a generated page: wrapped to the page's width, below the one before."""

    text: str
    size: float = 11.0
    bold: bool = False
    centred: bool = False
    indent: float = 0.0
    space_before: float = 0.0

    @property
    def role(self) -> str:
        """Its structure role in a tagged pack: a large bold line is the page's heading
        (``/H1``), another bold line a sub-heading (``/H2``), the rest paragraphs (``/P``)."""
        if self.bold:
            return "/H1" if self.size >= 20 else "/H2"
        return "/P"


@dataclass
class PackPage:
    """One page of the output, in order: page ``index`` of ``reader``, or a generated page.

    A generated page (``reader`` None) is blank, saying the spec's ``blank_text``,
    unless it has ``blocks`` of its own. ``number`` is the number it is printed
    and labelled with (None: its place in the pack, counted from the first
    number); ``head`` is a line marked at the head of the page (NOT FOR
    PUBLICATION on exempt pages).

    ``keep_markup`` keeps the page's review comments and other markup annotations
    (a paper or committee's ``markup: keep``, for an internal pack).
    """

    reader: PdfReader | None
    index: int = 0
    keep_markup: bool = False
    number: PageNumber | None = None
    head: str | None = None
    blocks: tuple[TextBlock, ...] = ()


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
class Section:
    """Pack pages ``start``..``stop - 1`` (0-based) that belong together: the front sheet, an
    agenda item (with a child per document), in the pack's structure tree (a ``Part`` with
    a ``Sect`` per child, titled ``title``)."""

    title: str
    start: int
    stop: int
    children: list[Section] = field(default_factory=list)


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
    pack page number) and ``total`` (the pack's page count); ``range_format``,
    for a page printed with a range of numbers, with ``first`` and ``last``.
    """

    pages: list[PackPage]
    bookmarks: list[Bookmark]
    link_targets: dict[str, int]
    metadata: PackMetadata
    stamp_format: str = "Page {n}"
    blank_text: str = "This page is intentionally left blank"
    sections: list[Section] = field(default_factory=list)
    """How the tagged sources' structure is grouped (:mod:`.structure`); may be empty."""
    range_format: str = "Pages {first} - {last}"


def check_spec(spec: PackSpec) -> None:
    """Raise ValueError for a spec no pack can be written from (a programming error)."""
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


def shift_sections(sections: Iterable[Section], start: int, stop: int) -> list[Section]:
    """The sections overlapping pages ``start``..``stop - 1``, cut to them, renumbered from 0."""
    result: list[Section] = []
    for section in sections:
        first, last = max(section.start, start), min(section.stop, stop)
        if first < last:
            children = shift_sections(section.children, start, stop)
            result.append(Section(section.title, first - start, last - start, children))
    return result


def shift_bookmarks(marks: Iterable[Bookmark], start: int, stop: int) -> list[Bookmark]:
    """The bookmarks of pages ``start``..``stop - 1``, renumbered from 0.

    A bookmark outside the range is dropped and its children take its place.
    """
    result: list[Bookmark] = []
    for mark in marks:
        children = shift_bookmarks(mark.children, start, stop)
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
