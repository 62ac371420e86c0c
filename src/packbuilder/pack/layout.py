"""Page layout of a pack: pure arithmetic, no I/O.

Given the front sheet's length, the contents page's (if the pack has one) and the
page count of every document, decide where each document starts, where blank
pages go and which page range each agenda item and paper occupies. The front
sheet counts: with a two-page front sheet the first paper starts on page 3. The
contents pages follow the front sheet. With padding on, every padding unit (the
front sheet, the contents, and each paper, or each item) ends on an even page,
so the next one starts on a right-hand (odd) page.

The public pack keeps the members' pack's numbering: each exempt paper or
appendix is replaced by one page that stands for its pages
(:func:`public_layout`), so every other page has the same number in both.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model.meeting import Padding


@dataclass(frozen=True)
class PageRange:
    """An inclusive range of 1-based pack page numbers."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 1 or self.last < self.first:
            raise ValueError(f"bad page range {self.first}-{self.last}")

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def __str__(self) -> str:
        """The form the agenda prints: ``3 - 10``, or ``11`` for a single page."""
        return str(self.first) if self.first == self.last else f"{self.first} - {self.last}"


class SlotKind(StrEnum):
    FRONT = "front"
    CONTENTS = "contents"
    DOCUMENT = "document"
    BLANK = "blank"


@dataclass(frozen=True)
class Slot:
    """What one pack page holds.

    For a document page, ``ref`` is ``(item, paper, document)`` indices and
    ``index`` is the 0-based position within that document's selected pages.
    For a front-sheet (or contents) page, ``index`` is the front sheet's (or the
    contents') page index.
    """

    kind: SlotKind
    ref: tuple[int, int, int] | None = None
    index: int = 0


@dataclass(frozen=True)
class PaperLayout:
    pages: PageRange
    documents: tuple[PageRange, ...]
    blank_pages: tuple[int, ...]


@dataclass(frozen=True)
class ItemLayout:
    pages: PageRange | None
    papers: tuple[PaperLayout, ...]


@dataclass(frozen=True)
class PackLayout:
    front: PageRange
    front_blank_pages: tuple[int, ...]
    items: tuple[ItemLayout, ...]
    slots: tuple[Slot, ...]
    contents: PageRange | None = None
    contents_blank_pages: tuple[int, ...] = ()

    @property
    def total_pages(self) -> int:
        return len(self.slots)

    @property
    def blank_pages(self) -> tuple[int, ...]:
        """All blank pages, 1-based, in order."""
        return tuple(n for n, slot in enumerate(self.slots, 1) if slot.kind is SlotKind.BLANK)


DocumentKey = tuple[int, int, int]
"""``(item, paper, document)`` indices of a document in the pack."""

DocumentCounts = Sequence[Sequence[Sequence[int]]]
"""Page counts indexed as ``[item][paper][document]``."""


class _Pager:
    """Appends slots and hands out page numbers; pads to even on request."""

    def __init__(self) -> None:
        self.slots: list[Slot] = []

    @property
    def next_page(self) -> int:
        return len(self.slots) + 1

    def add(self, slot: Slot) -> None:
        self.slots.append(slot)

    def pad_to_even(self) -> tuple[int, ...]:
        if len(self.slots) % 2 == 0:
            return ()
        self.slots.append(Slot(SlotKind.BLANK))
        return (len(self.slots),)


def layout_pack(
    front_pages: int, counts: DocumentCounts, padding: Padding, contents_pages: int = 0
) -> PackLayout:
    """Lay out a pack of a ``front_pages``-page front sheet, then ``contents_pages`` pages of
    contents (none: no contents), then the documents.

    ``counts[i][p][d]`` is the number of selected pages of document ``d`` of
    paper ``p`` of item ``i``. Items with no papers get no page range.
    """
    if front_pages < 1:
        raise ValueError("the front sheet has at least one page")
    if contents_pages < 0:
        raise ValueError("the contents cannot have fewer than no pages")
    pager = _Pager()
    for index in range(front_pages):
        pager.add(Slot(SlotKind.FRONT, index=index))
    front = PageRange(1, front_pages)
    front_blanks = pager.pad_to_even() if padding is not Padding.NONE else ()
    contents, contents_blanks = None, ()
    if contents_pages:
        contents = PageRange(pager.next_page, pager.next_page + contents_pages - 1)
        for index in range(contents_pages):
            pager.add(Slot(SlotKind.CONTENTS, index=index))
        contents_blanks = pager.pad_to_even() if padding is not Padding.NONE else ()

    items: list[ItemLayout] = []
    for item_index, papers in enumerate(counts):
        item_first = pager.next_page
        paper_layouts = []
        for paper_index, documents in enumerate(papers):
            paper_layouts.append(_lay_out_paper(pager, item_index, paper_index, documents, padding))
        item_blanks = pager.pad_to_even() if padding is Padding.ITEM else ()
        if pager.next_page == item_first:
            items.append(ItemLayout(None, tuple(paper_layouts)))
            continue
        if item_blanks and paper_layouts:
            last = paper_layouts[-1]
            paper_layouts[-1] = PaperLayout(
                PageRange(last.pages.first, pager.next_page - 1),
                last.documents,
                last.blank_pages + item_blanks,
            )
        items.append(ItemLayout(PageRange(item_first, pager.next_page - 1), tuple(paper_layouts)))
    return PackLayout(
        front, front_blanks, tuple(items), tuple(pager.slots), contents, contents_blanks
    )


def _lay_out_paper(
    pager: _Pager, item_index: int, paper_index: int, documents: Sequence[int], padding: Padding
) -> PaperLayout:
    paper_first = pager.next_page
    document_ranges = []
    for document_index, page_count in enumerate(documents):
        document_first = pager.next_page
        for page_index in range(page_count):
            pager.add(
                Slot(SlotKind.DOCUMENT, (item_index, paper_index, document_index), page_index)
            )
        if page_count:
            document_ranges.append(PageRange(document_first, pager.next_page - 1))
        else:
            raise ValueError("a document has at least one page")
    blanks = pager.pad_to_even() if padding is Padding.PAPER else ()
    return PaperLayout(PageRange(paper_first, pager.next_page - 1), tuple(document_ranges), blanks)


# --- the public pack: the same numbering, one page in place of each exempt unit ---------------

UnitKey = tuple[int, int, int | None]
"""An exempt unit: ``(item, paper, document)``, or ``(item, paper, None)`` for a whole paper."""


@dataclass(frozen=True)
class PublicPage:
    """One page of the public pack.

    ``pages`` is the members' pack page it shows (one page), or, for a
    placeholder (``unit`` set), the members' pages it stands for.
    """

    pages: PageRange
    unit: UnitKey | None = None

    @property
    def placeholder(self) -> bool:
        return self.unit is not None


@dataclass(frozen=True)
class PublicLayout:
    """The public pack's pages, and where each members' pack page is in it."""

    pages: tuple[PublicPage, ...]
    units: dict[UnitKey, PageRange]

    def position(self, number: int) -> int:
        """The 0-based position in the public pack of members' page ``number`` (a page
        inside an exempt unit is at its placeholder)."""
        low, high = 0, len(self.pages) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.pages[middle].pages.first <= number:
                low = middle
            else:
                high = middle - 1
        return low

    def positions(self, pages: PageRange) -> tuple[int, int]:
        """The 1-based first and last public pack positions that show ``pages``."""
        return self.position(pages.first) + 1, self.position(pages.last) + 1


def exempt_units(layout: PackLayout, exempt: Collection[DocumentKey]) -> dict[UnitKey, PageRange]:
    """What the public pack replaces, each by one page, and the members' pages each stands for.

    A paper whose documents are all exempt is one unit, its blank pages
    included (they close the paper); otherwise each exempt document (an
    appendix) is a unit of its own, and the paper's blank pages stay public.
    """
    units: dict[UnitKey, PageRange] = {}
    for i, item in enumerate(layout.items):
        for p, paper in enumerate(item.papers):
            keys = [(i, p, d) for d in range(len(paper.documents))]
            if all(key in exempt for key in keys):
                units[(i, p, None)] = paper.pages
                continue
            for (_i, _p, d), pages in zip(keys, paper.documents, strict=True):
                if (i, p, d) in exempt:
                    units[(i, p, d)] = pages
    return units


def public_layout(layout: PackLayout, exempt: Collection[DocumentKey]) -> PublicLayout:
    """The public pack: every page of ``layout`` but the ``exempt`` documents' pages, each
    exempt unit (:func:`exempt_units`) replaced by one page standing for its pages."""
    units = exempt_units(layout, exempt)
    starts = {pages.first: (key, pages) for key, pages in units.items()}
    pages: list[PublicPage] = []
    number = 1
    while number <= layout.total_pages:
        if number in starts:
            key, stands_for = starts[number]
            pages.append(PublicPage(stands_for, key))
            number = stands_for.last + 1
        else:
            pages.append(PublicPage(PageRange(number, number)))
            number += 1
    return PublicLayout(tuple(pages), units)
