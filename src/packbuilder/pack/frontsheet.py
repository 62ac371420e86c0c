"""The front sheet stage: render the agenda (and the contents) until the page ranges they
print are true.

The agenda's own length decides where the first paper starts, and the page
ranges it prints can change its length. So: assume a length, lay out the
pack, render and convert the agenda, count its pages, and repeat until the
count is the one assumed. A pack with a contents page (:mod:`.contents`) settles
both lengths together: the contents follow the front sheet, so the ranges both
print depend on both lengths, and each is rendered and counted on every round
(converted in one LibreOffice run). With padding on, only the lengths rounded up
to even matter, so this nearly always settles at once; the conversion cache
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
from .contents import contents_lines
from .exempt import exempt_business
from .layout import DocumentCounts, PackLayout, layout_pack

MAX_ATTEMPTS = 6


@dataclass
class Contents:
    """The rendered contents page and the lines it prints."""

    docx: Path
    pdf: Path
    reader: PdfReader
    lines: list[render.ContentsLine]


@dataclass
class FrontSheet:
    """The rendered agenda (and contents) and the pack layout their page ranges describe."""

    docx: Path
    pdf: Path
    reader: PdfReader
    layout: PackLayout
    item_pages: dict[str, str]
    contents: Contents | None = None


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
    contents_guess: int = 1,
    kind: str = "Agenda",
    revised: bool = False,
    progress: Callable[[str], None] | None = None,
) -> FrontSheet:
    """Render the agenda front sheet (and the contents page, when the meeting has one) so
    that the page ranges they print are the real ones."""
    progress = progress or (lambda message: None)
    assumed = (max(1, first_guess), max(1, contents_guess) if meeting.has_contents else 0)
    tried: list[tuple[int, int]] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        progress(
            f"Rendering the front sheet ({assumed[0]} page(s) assumed"
            + (f"; the contents {assumed[1]})" if assumed[1] else ")")
        )
        front = _attempt(meeting, counts, converter, workdir, attempt, assumed, kind, revised)
        actual = (
            len(front.reader.pages),
            len(front.contents.reader.pages) if front.contents else 0,
        )
        if actual == assumed:
            return front
        tried.append(assumed)
        if actual in tried:
            break
        assumed = actual
    raise _unsettled(meeting, tried)


def _attempt(
    meeting: Meeting,
    counts: DocumentCounts,
    converter: Converter,
    workdir: Path,
    attempt: int,
    assumed: tuple[int, int],
    kind: str,
    revised: bool,
) -> FrontSheet:
    """Lay out the pack with the ``assumed`` lengths and render what it prints."""
    layout = layout_pack(assumed[0], counts, meeting.committee.padding, assumed[1])
    item_pages = item_page_texts(meeting, layout)
    templates = meeting.committee.templates
    docx = workdir / f"agenda-{attempt}.docx"
    render.render_agenda(templates.agenda, meeting, item_pages, docx, kind=kind, revised=revised)
    what = {docx: f"the front sheet rendered from {display_path(templates.agenda)}"}
    lines: list[render.ContentsLine] = []
    if assumed[1]:
        lines = contents_lines(meeting.items, layout, exempt_business(meeting).documents)
        page = workdir / f"contents-{attempt}.docx"
        render.render_contents(templates.contents, meeting, lines, page, kind=kind, revised=revised)
        what[page] = f"the contents page rendered from {display_path(templates.contents)}"
    pdfs = converter.convert(list(what), what)
    readers = {path: open_source_pdf(pdfs[path], what=text) for path, text in what.items()}
    contents = None
    if assumed[1]:
        contents = Contents(page, pdfs[page], readers[page], lines)
    return FrontSheet(docx, pdfs[docx], readers[docx], layout, item_pages, contents)


def _unsettled(meeting: Meeting, tried: list[tuple[int, int]]) -> TemplateError:
    """The error for a front sheet (or contents) whose length does not settle."""
    templates = meeting.committee.templates
    if meeting.has_contents:
        lengths = ", ".join(f"{front} and {contents}" for front, contents in tried)
        return TemplateError(
            f"the lengths of the front sheet and the contents page do not settle (tried "
            f"{lengths} pages)",
            where=f"{templates.agenda} and {templates.contents}",
            hint="they flip between lengths as their page ranges change; shorten an item "
            "description or adjust the templates' spacing so each ends well within a page",
        )
    return TemplateError(
        f"the front sheet's length does not settle (tried "
        f"{', '.join(str(front) for front, _ in tried)} pages)",
        where=str(templates.agenda),
        hint="the agenda flips between lengths as its page ranges change; shorten an item "
        "description or adjust the template's spacing so the agenda ends well within a page",
    )
