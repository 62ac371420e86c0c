"""The documents stage: every paper of the pack as an open PDF with its selected pages.

Cover reports are rendered from their template, Word papers and rendered
reports are converted in one batch, then every PDF is opened once; the
readers are kept for the assembly stage so no paper is read twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from . import render
from .convert import Converter
from .exceptions import InputError
from .forwardplan.render import render_appendix
from .model import AgendaItem, Document, FileSource, ForwardPlanSource, Meeting, ReportSource
from .pagesel import PageSelectionError
from .pdfread import open_pdf

DocumentKey = tuple[int, int, int]
"""``(item, paper, document)`` indices into ``meeting.items[i].included_papers[p].documents[d]``."""


@dataclass
class PreparedDocument:
    """A document ready for layout and assembly."""

    document: Document
    pdf: Path
    reader: PdfReader
    indices: list[int]
    word: Path | None = None  # the .docx converted to ``pdf``, if it was one

    @property
    def page_count(self) -> int:
        return len(self.indices)


def iter_documents(meeting: Meeting) -> Iterator[tuple[DocumentKey, AgendaItem, Document]]:
    """Every document that goes into the pack, with its key, in pack order."""
    for i, item in enumerate(meeting.items):
        for p, paper in enumerate(item.included_papers):
            for d, document in enumerate(paper.documents):
                yield (i, p, d), item, document


def prepare_documents(
    meeting: Meeting,
    converter: Converter,
    workdir: Path,
    progress: Callable[[str], None] | None = None,
) -> dict[DocumentKey, PreparedDocument]:
    """Render, convert and open every document of the meeting's pack."""
    progress = progress or (lambda message: None)
    entries = list(iter_documents(meeting))
    word_files: dict[DocumentKey, Path] = {}
    pdf_files: dict[DocumentKey, Path] = {}
    reports = workdir / "reports"
    rendered = [e for e in entries if not isinstance(e[2].source, FileSource)]
    if rendered:
        progress(f"Filling {len(rendered)} document(s) from templates (cover reports, tables)")
    for key, item, document in entries:
        source = document.source
        if isinstance(source, ReportSource):
            reports.mkdir(parents=True, exist_ok=True)
            out = reports / f"item-{key[0] + 1:03d}-{key[1] + 1}-{key[2] + 1}.docx"
            render.render_report(source.template, meeting, item, document, out)
            word_files[key] = out
        elif isinstance(source, ForwardPlanSource):
            reports.mkdir(parents=True, exist_ok=True)
            out = reports / f"item-{key[0] + 1:03d}-{key[1] + 1}-{key[2] + 1}-plan.docx"
            render_appendix(
                source.plan,
                out,
                as_of=source.as_of or meeting.published or meeting.date,
                months=source.months,
                heading=source.heading,
                template=source.template,
            )
            word_files[key] = out
        elif isinstance(source, FileSource) and source.path.suffix.lower() == ".docx":
            word_files[key] = source.path
        elif isinstance(source, FileSource):
            pdf_files[key] = source.path
        else:  # pragma: no cover - every source type is handled above
            raise TypeError(f"unknown source {source!r}")
    if word_files:
        converted = converter.convert(list(word_files.values()))
        pdf_files.update({key: converted[path] for key, path in word_files.items()})

    progress(f"Reading {len(entries)} document(s)")
    readers: dict[Path, PdfReader] = {}
    prepared: dict[DocumentKey, PreparedDocument] = {}
    for key, _item, document in entries:
        pdf = pdf_files[key]
        if pdf not in readers:
            readers[pdf] = open_pdf(pdf, what=_display_name(document))
        reader = readers[pdf]
        prepared[key] = PreparedDocument(
            document, pdf, reader, _select(document, reader), word=word_files.get(key)
        )
    return prepared


def _display_name(document: Document) -> str:
    source = document.source
    if isinstance(source, FileSource):
        return str(source.path)
    if isinstance(source, ForwardPlanSource):
        return f"the forward plan table made from {source.plan} ({document.origin})"
    return f"the cover report '{document.title}' ({document.origin})"


def _select(document: Document, reader: PdfReader) -> list[int]:
    count = len(reader.pages)
    source = document.source
    if not isinstance(source, FileSource) or source.pages is None:
        return list(range(count))
    try:
        return source.pages.indices(count)
    except PageSelectionError as exc:
        raise InputError(
            f"pages '{source.pages}' of {source.path.name}: {exc}",
            where=str(document.origin),
            hint=f"choose pages between 1 and {count}, or remove 'pages' to include them all",
        ) from None
