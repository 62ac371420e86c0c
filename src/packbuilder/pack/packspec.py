"""Turn a layout and the prepared documents into the assembler's page-by-page spec.

Pure mapping, no I/O: which source page goes on which pack page, the
bookmarks (one per agenda item, papers and their own outlines nested under
it), where the agenda's links point and the document metadata.

Two packs are made from one layout. The members' pack (:func:`build_pack_spec`)
is complete, each page of exempt information marked NOT FOR PUBLICATION at
its head. The public pack (:func:`build_public_spec`) has every other page,
with the same number, and one page in place of each exempt paper or appendix
(:func:`~.layout.public_layout`); it is made from the public documents only,
so nothing of an exempt document (a page, a bookmark, a title) is in its spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..assemble import Bookmark, PackMetadata, PackPage, PackSpec, Section
from ..assemble.spec import TextBlock
from ..datefmt import day_month_year, weekday_date
from ..model.meeting import Meeting, document_link
from ..model.partb import capitalised, unit_label
from .exempt import NOT_FOR_PUBLICATION, ExemptBusiness
from .frontsheet import FrontSheet
from .layout import ItemLayout, PackLayout, PageRange, PublicLayout, SlotKind, UnitKey
from .papers import DocumentKey, PreparedDocument

CONTENTS_TITLE = "Contents"
"""The bookmark and structure title of the contents page."""

EXEMPT_TITLE = "members' pack: contains exempt information, not for publication"
"""Added to the members' pack's title when it holds exempt information."""


def pack_title(meeting: Meeting, kind: str = "Agenda") -> str:
    """The document title: ``Overview and Scrutiny Board, Wednesday 11 May 2022: Agenda``."""
    return f"{meeting.display_title}, {weekday_date(meeting.date)}: {kind}"


def build_pack_spec(
    meeting: Meeting,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    *,
    kind: str = "Agenda",
    business: ExemptBusiness | None = None,
) -> PackSpec:
    """The members' (complete) pack: every page, exempt pages marked at their head."""
    layout = front.layout
    pages: list[PackPage] = []
    for slot in layout.slots:
        if slot.kind is SlotKind.FRONT:
            pages.append(PackPage(front.reader, slot.index))
        elif slot.kind is SlotKind.CONTENTS:
            assert front.contents is not None  # a contents slot is laid out for a contents page
            pages.append(PackPage(front.contents.reader, slot.index))
        elif slot.kind is SlotKind.BLANK:
            pages.append(PackPage(None))
        else:
            prepared = documents[slot.ref]
            cited = business.documents.get(slot.ref) if business else None
            mark = business.mark(cited) if business and cited else None
            index = prepared.indices[slot.index]
            pages.append(PackPage(prepared.reader, index, prepared.keep_markup, head=mark))
    bookmarks, links, sections = _outline(meeting, layout, documents, kind, lambda n: n - 1, {})
    metadata = _metadata(meeting, kind)
    if business:
        _mark_exempt(metadata, layout, business)
    return PackSpec(
        pages=pages, bookmarks=bookmarks, link_targets=links, metadata=metadata, sections=sections
    )


def build_public_spec(
    meeting: Meeting,
    members: PackSpec,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    public: PublicLayout,
    business: ExemptBusiness,
    *,
    kind: str = "Agenda",
) -> PackSpec:
    """The public pack: the members' pack's public pages with their numbers, and a page
    in place of each exempt unit; the bookmarks and links of the public documents only."""
    pages: list[PackPage] = []
    for page in public.pages:
        first, last = page.pages.first, page.pages.last
        if page.unit is None:
            source = members.pages[first - 1]
            pages.append(
                PackPage(source.reader, source.index, source.keep_markup, number=(first, last))
            )
        else:
            blocks = placeholder_blocks(meeting, page.unit, page.pages, business)
            pages.append(PackPage(None, number=(first, last), blocks=blocks))
    withheld = {
        unit: f"{capitalised(unit_label(meeting.items[unit[0]], unit[1:]))}: not for publication "
        f"({_pages_phrase(pages_range)})"
        for unit, pages_range in public.units.items()
    }
    public_documents = {k: v for k, v in documents.items() if k not in business.documents}
    bookmarks, links, sections = _outline(
        meeting, front.layout, public_documents, kind, public.position, withheld
    )
    metadata = _metadata(meeting, kind)
    metadata.subject += (
        "; exempt information is not included: a page marked NOT FOR PUBLICATION stands in "
        "for each exempt paper or appendix"
    )
    return PackSpec(
        pages=pages, bookmarks=bookmarks, link_targets=links, metadata=metadata, sections=sections
    )


def _outline(
    meeting: Meeting,
    layout: PackLayout,
    documents: Mapping[DocumentKey, PreparedDocument],
    kind: str,
    place: Callable[[int], int],
    withheld: Mapping[UnitKey, str],
) -> tuple[list[Bookmark], dict[str, int], list[Section]]:
    """The bookmarks, agenda link targets and structure sections (:class:`Section`: the
    front sheet, each item with a child per document); ``place`` turns a pack page number
    into a 0-based position; a unit in ``withheld`` gets one bookmark of that title, nothing
    of its own (its documents need not be in ``documents``)."""
    bookmarks = [Bookmark(kind, 0)]
    sections = [Section(kind, place(layout.front.first), place(layout.front.last) + 1)]
    if layout.contents is not None:
        bookmarks.append(Bookmark(CONTENTS_TITLE, place(layout.contents.first)))
        sections.append(
            Section(CONTENTS_TITLE, place(layout.contents.first), place(layout.contents.last) + 1)
        )
    links: dict[str, int] = {}
    for item_index, (item, item_layout) in enumerate(zip(meeting.items, layout.items, strict=True)):
        first = place(item_layout.pages.first) if item_layout.pages else 0
        item_mark = Bookmark(f"{item.number}. {item.title}", first)
        item_section = Section(item_mark.title, first, first)
        if item_layout.pages:
            links[item.number] = first
            item_section.stop = place(item_layout.pages.last) + 1
            sections.append(item_section)
        links.update(_document_links(item.number, item_layout, place))  # the contents' lines
        for paper_index, paper_layout in enumerate(item_layout.papers):
            title = withheld.get((item_index, paper_index, None))
            if title is not None:
                item_mark.children.append(Bookmark(title, place(paper_layout.pages.first)))
                continue
            paper = item.included_papers[paper_index]
            paper_mark = Bookmark(paper.title, place(paper_layout.pages.first))
            for document_index, document_range in enumerate(paper_layout.documents):
                key = (item_index, paper_index, document_index)
                if key in withheld:
                    paper_mark.children.append(Bookmark(withheld[key], place(document_range.first)))
                    continue
                prepared = documents[key]
                mapping = {
                    source: place(document_range.first + n)
                    for n, source in enumerate(prepared.indices)
                }
                item_section.children.append(
                    Section(
                        prepared.document.title,
                        place(document_range.first),
                        place(document_range.last) + 1,
                    )
                )
                if document_index == 0:
                    paper_mark.imported.append((prepared.reader, mapping))
                else:
                    appendix = Bookmark(prepared.document.title, place(document_range.first))
                    appendix.imported.append((prepared.reader, mapping))
                    paper_mark.children.append(appendix)
            item_mark.children.append(paper_mark)
        bookmarks.append(item_mark)
    return bookmarks, links, sections


def _document_links(
    number: str, item_layout: ItemLayout, place: Callable[[int], int]
) -> dict[str, int]:
    """Where the contents page's line of each document of an item links: its first page."""
    return {
        document_link(number, p, d): place(pages.first)
        for p, paper_layout in enumerate(item_layout.papers)
        for d, pages in enumerate(paper_layout.documents)
    }


def _metadata(meeting: Meeting, kind: str) -> PackMetadata:
    committee = meeting.committee
    subject = (
        f"{kind} and reports for the meeting of {committee.name} on {day_month_year(meeting.date)}"
    )
    extra = {}
    if meeting.revision is not None:
        subject += f" (revised: revision {meeting.revision})"
        extra["Revision"] = str(meeting.revision)
    return PackMetadata(
        title=pack_title(meeting, kind),
        subject=subject,
        author=committee.body,
        language=committee.language,
        keywords=f"{committee.name}; {meeting.date.isoformat()}; agenda pack",
        extra=extra,
    )


def _mark_exempt(metadata: PackMetadata, layout: PackLayout, business: ExemptBusiness) -> None:
    """Say in the members' pack's title, subject and keywords that it holds exempt information."""
    numbers = [
        n
        for n, slot in enumerate(layout.slots, 1)
        if slot.kind is SlotKind.DOCUMENT and slot.ref in business.documents
    ]
    where = ", ".join(str(r) for r in _runs(numbers))
    metadata.title += f" ({EXEMPT_TITLE})"
    metadata.subject += (
        f"; {NOT_FOR_PUBLICATION}: contains exempt information ({_pages_phrase_text(where)})"
    )
    metadata.keywords += "; exempt information; not for publication"
    metadata.extra["Classification"] = f"{NOT_FOR_PUBLICATION}: contains exempt information"


def placeholder_blocks(
    meeting: Meeting, unit: UnitKey, pages: PageRange, business: ExemptBusiness
) -> tuple[TextBlock, ...]:
    """The text of the public pack's page in place of an exempt unit: what it stands for,
    why it is not published (each paragraph with its wording), which pages it replaces."""
    item = meeting.items[unit[0]]
    cited = business.paragraphs(unit)
    table = business.table
    what = "appendix" if unit[2] is not None else "paper"
    blocks = [
        TextBlock(NOT_FOR_PUBLICATION, size=24, bold=True, centred=True),
        TextBlock(f"Item {item.number}: {item.title}", size=14, bold=True, space_before=36),
        TextBlock(
            f"{capitalised(unit_label(meeting.items[unit[0]], unit[1:]))}: {_pages_phrase(pages)}",
            size=12,
            space_before=8,
        ),
        TextBlock(
            f"This {what} is not for publication because it contains exempt information as "
            f"described in {table.citation(cited)}:",
            space_before=24,
        ),
    ]
    for number in cited:
        blocks.append(TextBlock(f"{number}. {table.wording(number)}", indent=18, space_before=8))
    blocks.append(
        TextBlock(
            f"It is on {_pages_phrase(pages)} of the agenda pack sent to the members of the "
            "committee. The pages of this pack have the numbers they have in the members' "
            "pack, so every other page is where the agenda says it is.",
            space_before=24,
        )
    )
    return tuple(blocks)


def _pages_phrase(pages: PageRange) -> str:
    """``pages 45 - 52``, or ``page 45``."""
    return f"page {pages.first}" if pages.first == pages.last else f"pages {pages}"


def _pages_phrase_text(where: str) -> str:
    return f"pages {where}" if ("-" in where or "," in where) else f"page {where}"


def _runs(numbers: list[int]) -> list[PageRange]:
    """Page numbers in ascending order as ranges of consecutive pages."""
    runs: list[PageRange] = []
    for n in numbers:
        if runs and runs[-1].last == n - 1:
            runs[-1] = PageRange(runs[-1].first, n)
        else:
            runs.append(PageRange(n, n))
    return runs
