"""Page layout of a pack: pure arithmetic, no I/O.

Given the front sheet's length and the page count of every document, decide
where each document starts, where blank pages go and which page range each
agenda item and paper occupies. The front sheet counts: with a two-page front
sheet the first paper starts on page 3. With padding on, every padding unit
(the front sheet and each paper, or each item) ends on an even page, so the
next one starts on a right-hand (odd) page.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    DOCUMENT = "document"
    BLANK = "blank"


@dataclass(frozen=True)
class Slot:
    """What one pack page holds.

    For a document page, ``ref`` is ``(item, paper, document)`` indices and
    ``index`` is the 0-based position within that document's selected pages.
    For a front-sheet page, ``index`` is the front sheet's page index.
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

    @property
    def total_pages(self) -> int:
        return len(self.slots)

    @property
    def blank_pages(self) -> tuple[int, ...]:
        """All blank pages, 1-based, in order."""
        return tuple(n for n, slot in enumerate(self.slots, 1) if slot.kind is SlotKind.BLANK)


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


def layout_pack(front_pages: int, counts: DocumentCounts, padding: Padding) -> PackLayout:
    """Lay out a pack of a ``front_pages``-page front sheet followed by the documents.

    ``counts[i][p][d]`` is the number of selected pages of document ``d`` of
    paper ``p`` of item ``i``. Items with no papers get no page range.
    """
    if front_pages < 1:
        raise ValueError("the front sheet has at least one page")
    pager = _Pager()
    for index in range(front_pages):
        pager.add(Slot(SlotKind.FRONT, index=index))
    front = PageRange(1, front_pages)
    front_blanks = pager.pad_to_even() if padding is not Padding.NONE else ()

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
    return PackLayout(front, front_blanks, tuple(items), tuple(pager.slots))


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
