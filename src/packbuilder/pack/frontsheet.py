"""The front sheet stage: render the agenda until the page ranges it prints are true.

The agenda's own length decides where the first paper starts, and the page
ranges it prints can change its length. So: assume a length, lay out the
pack, render and convert the agenda, count its pages, and repeat until the
count is the one assumed. With padding on, only the length rounded up to
even matters, so this nearly always settles at once; the conversion cache
makes a repeat of an identical rendering free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .. import render
from ..convert.converter import Converter
from ..exceptions import TemplateError
from ..inputs.session import open_source_pdf
from ..model.meeting import Meeting
from ..paths import display_path
from .layout import DocumentCounts, PackLayout, layout_pack

MAX_ATTEMPTS = 4


@dataclass
class FrontSheet:
    """The rendered agenda and the pack layout its page ranges describe."""

    docx: Path
    pdf: Path
    reader: PdfReader
    layout: PackLayout
    item_pages: dict[str, str]


def item_page_texts(meeting: Meeting, layout: PackLayout) -> dict[str, str]:
    """Item number -> printed range (``3 - 10``) for every item with pages in the pack."""
    return {
        item.number: str(item_layout.pages)
        for item, item_layout in zip(meeting.items, layout.items, strict=True)
        if item_layout.pages is not None
    }


def build_front_sheet(
    meeting: Meeting,
    counts: DocumentCounts,
    converter: Converter,
    workdir: Path,
    *,
    first_guess: int = 2,
    kind: str = "Agenda",
    revised: bool = False,
    progress: Callable[[str], None] | None = None,
) -> FrontSheet:
    """Render the agenda front sheet so that the page ranges it prints are the real ones."""
    progress = progress or (lambda message: None)
    template = meeting.committee.templates.agenda
    padding = meeting.committee.padding
    assumed = max(1, first_guess)
    tried: list[int] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        layout = layout_pack(assumed, counts, padding)
        item_pages = item_page_texts(meeting, layout)
        docx = workdir / f"agenda-{attempt}.docx"
        progress(f"Rendering the front sheet ({assumed} page(s) assumed)")
        render.render_agenda(template, meeting, item_pages, docx, kind=kind, revised=revised)
        what = f"the front sheet rendered from {display_path(template)}"
        pdf = converter.convert([docx], {docx: what})[docx]
        reader = open_source_pdf(pdf, what=what)
        actual = len(reader.pages)
        if actual == assumed:
            return FrontSheet(docx, pdf, reader, layout, item_pages)
        tried.append(assumed)
        if actual in tried:
            break
        assumed = actual
    raise TemplateError(
        f"the front sheet's length does not settle (tried {', '.join(map(str, tried))} pages)",
        where=str(template),
        hint="the agenda flips between lengths as its page ranges change; shorten an item "
        "description or adjust the template's spacing so the agenda ends well within a page",
    )
