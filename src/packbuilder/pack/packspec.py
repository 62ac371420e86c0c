"""Turn a layout and the prepared documents into the assembler's page-by-page spec.

Pure mapping, no I/O: which source page goes on which pack page, the
bookmarks (one per agenda item, papers and their own outlines nested under
it), where the agenda's links point and the document metadata.
"""

from __future__ import annotations

from ..assemble import Bookmark, PackMetadata, PackPage, PackSpec, Section
from ..datefmt import day_month_year, weekday_date
from ..model.meeting import Meeting
from .frontsheet import FrontSheet
from .layout import SlotKind
from .papers import DocumentKey, PreparedDocument


def pack_title(meeting: Meeting, kind: str = "Agenda") -> str:
    """The document title: ``Overview and Scrutiny Board, Wednesday 11 May 2022: Agenda``."""
    return f"{meeting.display_title}, {weekday_date(meeting.date)}: {kind}"


def build_pack_spec(
    meeting: Meeting,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    *,
    kind: str = "Agenda",
) -> PackSpec:
    """Map every pack page to its source and build bookmarks, links and metadata."""
    layout = front.layout
    pages: list[PackPage] = []
    for slot in layout.slots:
        if slot.kind is SlotKind.FRONT:
            pages.append(PackPage(front.reader, slot.index))
        elif slot.kind is SlotKind.BLANK:
            pages.append(PackPage(None))
        else:
            prepared = documents[slot.ref]
            page = PackPage(prepared.reader, prepared.indices[slot.index], prepared.keep_markup)
            pages.append(page)

    bookmarks = [Bookmark(kind, 0)]
    sections = [Section(kind, layout.front.first - 1, layout.front.last)]
    links: dict[str, int] = {}
    for item_index, (item, item_layout) in enumerate(zip(meeting.items, layout.items, strict=True)):
        first = item_layout.pages.first - 1 if item_layout.pages else 0
        item_mark = Bookmark(f"{item.number}. {item.title}", first)
        if item_layout.pages:
            links[item.number] = first
            item_section = Section(item_mark.title, first, item_layout.pages.last)
            sections.append(item_section)
        for paper_index, (paper, paper_layout) in enumerate(
            zip(item.included_papers, item_layout.papers, strict=True)
        ):
            paper_mark = Bookmark(paper.title, paper_layout.pages.first - 1)
            for document_index, document_range in enumerate(paper_layout.documents):
                prepared = documents[(item_index, paper_index, document_index)]
                start = document_range.first - 1
                mapping = {source: start + n for n, source in enumerate(prepared.indices)}
                item_section.children.append(
                    Section(prepared.document.title, start, document_range.last)
                )
                if document_index == 0:
                    paper_mark.imported.append((prepared.reader, mapping))
                else:
                    appendix = Bookmark(prepared.document.title, start)
                    appendix.imported.append((prepared.reader, mapping))
                    paper_mark.children.append(appendix)
            item_mark.children.append(paper_mark)
        bookmarks.append(item_mark)

    committee = meeting.committee
    subject = (
        f"{kind} and reports for the meeting of {committee.name} on {day_month_year(meeting.date)}"
    )
    extra = {}
    if meeting.revision is not None:
        subject += f" (revised: revision {meeting.revision})"
        extra["Revision"] = str(meeting.revision)
    metadata = PackMetadata(
        title=pack_title(meeting, kind),
        subject=subject,
        author=committee.body,
        language=committee.language,
        keywords=f"{committee.name}; {meeting.date.isoformat()}; agenda pack",
        extra=extra,
    )
    return PackSpec(
        pages=pages, bookmarks=bookmarks, link_targets=links, metadata=metadata, sections=sections
    )
