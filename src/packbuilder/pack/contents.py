"""The contents page's lines: every item, paper and appendix of the pack with its pages.

Pure mapping, no I/O: a meeting and its layout in, :class:`~packbuilder.render.ContentsLine`
out. The contents page is the same in the members' and the public pack (so both have
one numbering), so an exempt paper or appendix is named by its place, as the public pack
names it (:func:`packbuilder.model.partb.unit_label`), never by its own title.
"""

from __future__ import annotations

from collections.abc import Collection

from ..model.meeting import AgendaItem, document_link
from ..model.partb import capitalised, unit_label
from ..render import ContentsLine
from .layout import DocumentKey, ItemLayout, PackLayout, exempt_units


def withheld_title(item: AgendaItem, paper: int, document: int | None) -> str:
    """``Appendix 2 to Budget report: not for publication``: an exempt unit, by its place."""
    return f"{capitalised(unit_label(item, (paper, document)))}: not for publication"


def contents_lines(
    items: tuple[AgendaItem, ...], layout: PackLayout, exempt: Collection[DocumentKey]
) -> list[ContentsLine]:
    """The lines of the contents page of a pack of ``items`` laid out as ``layout``;
    ``exempt`` holds the keys of the documents that are exempt information."""
    units = exempt_units(layout, exempt)
    lines: list[ContentsLine] = []
    for i, (item, item_layout) in enumerate(zip(items, layout.items, strict=True)):
        ranged = item_layout.pages is not None
        lines.append(
            ContentsLine(
                0,
                item.title,
                str(item_layout.pages) if ranged else item.status.printed,
                item.number,
                item.number if ranged else None,
            )
        )
        lines += _paper_lines(item, i, item_layout, units)
    return lines


def _paper_lines(
    item: AgendaItem, i: int, item_layout: ItemLayout, units: Collection[tuple]
) -> list[ContentsLine]:
    """The lines of an item's papers and appendices, each with its own pages."""
    lines: list[ContentsLine] = []
    for p, paper_layout in enumerate(item_layout.papers):
        paper = item.included_papers[p]
        link = document_link(item.number, p, 0)
        if (i, p, None) in units:
            title = withheld_title(item, p, None)
            lines.append(ContentsLine(1, title, str(paper_layout.pages), link=link))
            continue
        for d, (document, pages) in enumerate(
            zip(paper.documents, paper_layout.documents, strict=True)
        ):
            title = withheld_title(item, p, d) if (i, p, d) in units else document.title
            link = document_link(item.number, p, d)
            lines.append(ContentsLine(2 if d else 1, title, str(pages), link=link))
    return lines
