"""The documents stage: every paper of the pack as an open PDF with its selected pages.

Cover reports are rendered from their template, Word papers and rendered
reports are converted in one batch, then every PDF is opened once; the
readers are kept for the assembly stage so no paper is read twice. In a
build through a :class:`~packbuilder.inputs.session.BuildSession` (``packbuilder
watch``), a PDF whose content an earlier build of the session opened gets
that build's reader back (:func:`~packbuilder.inputs.session.open_source_pdf`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import LimitReachedError

from .. import render
from ..assemble.allowlist import MARKUP
from ..assemble.leftout import covered_text, left_out, unapplied_redactions
from ..assemble.scrub import found_in
from ..assemble.sources import note
from ..assemble.streamcheck import check_streams
from ..convert.converter import Converter
from ..exceptions import (
    DefinitionError,
    DocumentError,
    InputError,
    PackbuilderError,
    SeveralErrors,
    location,
)
from ..forwardplan.select import edition_date
from ..inputs.docxcheck import check_docx
from ..inputs.docxsafety import check_word_paper, clean_docx
from ..inputs.pdflimits import REEXPORT, LimitError, set_limits
from ..inputs.pdfread import READ_ERRORS, REPAIR_HINT, collect_pypdf_warnings
from ..inputs.session import open_source_pdf
from ..load.plan import load_plan
from ..load.yamlfile import join_key
from ..model.forwardplan import Plan
from ..model.limits import Limits
from ..model.meeting import (
    REQUIRED_REPORT_FIELDS,
    AgendaItem,
    Committee,
    Document,
    ExternalLinks,
    FileSource,
    ForwardPlanSource,
    Meeting,
    ReportSource,
    TrackedChanges,
)
from ..model.pagesel import PageSelectionError
from ..paths import display_path
from ..render.forwardplan import render_appendix
from .layout import DocumentKey


@dataclass
class PreparedDocument:
    """A document ready for layout and assembly."""

    document: Document
    pdf: Path
    reader: PdfReader
    indices: list[int]
    word: Path | None = None  # the .docx converted to ``pdf``, if it was one
    plan: Plan | None = None  # the forward plan a forward-plan table was made from
    keep_markup: bool = False  # the paper's review comments and markup go into the pack

    @property
    def page_count(self) -> int:
        return len(self.indices)


def iter_documents(meeting: Meeting) -> Iterator[tuple[DocumentKey, AgendaItem, Document]]:
    """Every document that goes into the pack, with its key, in pack order."""
    for i, item in enumerate(meeting.items):
        for p, paper in enumerate(item.included_papers):
            for d, document in enumerate(paper.documents):
                yield (i, p, d), item, document


def load_plans(meeting: Meeting) -> dict[Path, Plan]:
    """Every forward plan the pack's tables are made from, loaded once each, by path as written.

    Raises :class:`~packbuilder.exceptions.DefinitionError` listing the problems of
    every plan that does not load.
    """
    plans: dict[Path, Plan] = {}
    failed: dict[Path, DefinitionError] = {}
    for _key, _item, document in iter_documents(meeting):
        source = document.source
        if not isinstance(source, ForwardPlanSource) or source.plan in (plans.keys() | failed):
            continue
        try:
            plans[source.plan] = load_plan(source.plan)
        except DefinitionError as exc:
            failed[source.plan] = exc
    if len(failed) == 1:
        raise next(iter(failed.values()))
    if failed:
        problems = [problem for exc in failed.values() for problem in exc.problems]
        raise DefinitionError(problems, hint="correct the plans and run the command again")
    return plans


def plans_read(documents: dict[DocumentKey, PreparedDocument]) -> dict[Path, Plan]:
    """The forward plans the prepared documents were made from, by path as written."""
    return {
        prepared.document.source.plan: prepared.plan
        for prepared in documents.values()
        if prepared.plan is not None and isinstance(prepared.document.source, ForwardPlanSource)
    }


def check_papers(meeting: Meeting) -> dict[DocumentKey, PreparedDocument]:
    """Check every paper file of the pack without LibreOffice; report all problems at once.

    Opens every PDF paper (missing, empty, not a PDF, damaged, encrypted, no
    pages) and resolves its page selection against its real length; checks
    that every Word paper is a real .docx. Returns the PDF papers, opened.
    Raises the problem found, or :class:`SeveralErrors` listing every one.
    """
    prepared: dict[DocumentKey, PreparedDocument] = {}
    readers: dict[Path, PdfReader] = {}
    problems: dict[str, PackbuilderError] = {}
    for key, _item, document in iter_documents(meeting):
        source = document.source
        if not isinstance(source, FileSource):
            continue
        shown = display_path(source.path)
        try:
            if source.path.suffix.lower() == ".docx":
                check_docx(source.path, where=shown)
                check_word_paper(source.path, source, shown)
                continue
            if source.path not in readers:
                readers[source.path] = _open_paper(source.path, shown)
            reader = readers[source.path]
            indices = _select(document, reader)
            keep = keeps_markup(meeting.committee, source)
            check_paper(reader, indices, meeting.committee.limits, shown, keep_markup=keep)
            prepared[key] = PreparedDocument(
                document, source.path, reader, indices, keep_markup=keep
            )
        except PackbuilderError as exc:
            problems.setdefault(str(exc), exc)
    if len(problems) == 1:
        raise next(iter(problems.values()))
    if problems:
        raise SeveralErrors(list(problems.values()), what="papers cannot be used")
    return prepared


def settled_word_paper(source: FileSource, folder: Path) -> Path:
    """The Word paper to convert: the file itself, or, when the paper says to accept its
    tracked changes or remove its outside references and it has some, a copy in ``folder``
    with them settled (:mod:`.docxsafety`)."""
    found = check_word_paper(source.path, source, display_path(source.path))
    accept = found.unsettled and source.tracked_changes is TrackedChanges.ACCEPT
    remove = bool(found.external) and source.external_links is ExternalLinks.REMOVE
    if not (accept or remove):
        return source.path
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{len(list(folder.iterdir())) + 1}-{source.path.name}"
    return clean_docx(source.path, out, accept=accept, remove_links=remove)


def keeps_markup(committee: Committee, source: FileSource) -> bool:
    """Whether a paper keeps its review comments and markup: as it says, else its committee."""
    return committee.markup if source.markup is None else source.markup


def check_paper(
    reader: PdfReader, indices: list[int], limits: Limits, shown: str, *, keep_markup: bool
) -> None:
    """Refuse a paper whose chosen pages cost more than its ``limits`` (a decompression
    bomb) or hold a redaction marked but not applied; ``shown`` names it."""
    set_limits(reader, limits)
    try:
        with collect_pypdf_warnings() as repairs:
            check_streams(reader, indices, keep_markup=keep_markup)
            redacted = unapplied_redactions(reader, indices)
        for message in repairs:  # as when pages are copied: a repair to report
            note(reader, message)
    except DocumentError as exc:
        exc.where = shown
        raise
    except LimitReachedError:  # pypdf's own bound, on an object stream say
        raise LimitError(
            "holds a stream that would take more than pypdf's limit once decompressed; it may "
            "be a 'decompression bomb', made to exhaust the computers that open it",
            where=shown,
            hint=REEXPORT,
        ) from None
    except READ_ERRORS as exc:
        raise DocumentError(
            f"is damaged and cannot be read ({exc})", where=shown, hint=REPAIR_HINT
        ) from None
    if redacted:
        pages = ", ".join(str(i + 1) for i in redacted)
        raise DocumentError(
            f"has a redaction marked but not applied on page{'s' if len(redacted) > 1 else ''} "
            f"{pages}: what it should hide is still in the file, for anyone who opens the pack "
            "to read",
            where=shown,
            hint="apply the redactions in the program that marked them (in Acrobat: Redact, "
            "then Apply), save, and check that the text has gone (search for it, or copy it "
            "out); or ask the author for the redacted PDF",
        )


def _open_paper(path: Path, shown: str) -> PdfReader:
    """open_pdf, with the file named as the clerk wrote it (relative), not as an absolute path."""
    try:
        return open_source_pdf(path)
    except PackbuilderError as exc:
        if exc.where == str(path):
            exc.where = shown
        raise


def prepare_documents(
    meeting: Meeting,
    converter: Converter,
    workdir: Path,
    progress: Callable[[str], None] | None = None,
) -> dict[DocumentKey, PreparedDocument]:
    """Render, convert and open every document of the meeting's pack.

    The paper files are checked first (:func:`check_papers`), so a damaged
    paper is reported before any template is rendered or LibreOffice started.
    """
    progress = progress or (lambda message: None)
    entries = list(iter_documents(meeting))
    progress(f"Reading {len(entries)} document(s)")
    prepared = check_papers(meeting)
    word_files: dict[DocumentKey, Path] = {}
    names: dict[Path, str] = {}
    plans = load_plans(meeting)  # each plan is read once, however many tables it makes
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
            plan = plans[source.plan]
            render_appendix(
                plan,
                out,
                as_of=edition_date(plan, source.as_of, meeting.published or meeting.date),
                months=source.months,
                heading=source.heading,
                template=source.template,
                where=str(document.origin),
            )
            word_files[key] = out
        elif isinstance(source, FileSource) and source.path.suffix.lower() == ".docx":
            word_files[key] = settled_word_paper(source, workdir / "settled" / f"{key[0] + 1:03d}")
        elif isinstance(source, FileSource):
            continue  # opened by check_papers
        else:  # pragma: no cover - every source type is handled above
            raise TypeError(f"unknown source {source!r}")
        names[word_files[key]] = _display_name(document)
    if word_files:
        converted = converter.convert(list(word_files.values()), names)
        readers: dict[Path, PdfReader] = {}
        for key, path in word_files.items():
            document = prepared_document(meeting, key)
            pdf = converted[path]
            if pdf not in readers:
                readers[pdf] = open_source_pdf(pdf, what=_display_name(document))
            reader = readers[pdf]
            check_paper(
                reader,
                list(range(len(reader.pages))),
                meeting.committee.limits,
                _display_name(document),
                keep_markup=False,
            )
            source = document.source
            prepared[key] = PreparedDocument(
                document,
                pdf,
                reader,
                _select(document, reader),
                word=path,
                plan=plans.get(source.plan) if isinstance(source, ForwardPlanSource) else None,
            )
    return {key: prepared[key] for key, _item, _document in entries}


def prepared_document(meeting: Meeting, key: DocumentKey) -> Document:
    """The document at ``key`` (``(item, paper, document)`` indices)."""
    i, p, d = key
    return meeting.items[i].included_papers[p].documents[d]


@dataclass(frozen=True)
class PaperWarning:
    """Something a clerk should look at in a pack that was built: a paper that was
    repaired, or that lost something in the pack (unsafe actions, attachments)."""

    file: Path | None
    name: str
    message: str
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


_XREF_MARKS = ("xref", "wrong pointing object")
_XREF_NOTES = (*_XREF_MARKS, "object streams", " found", "trailer")
"""pypdf's notes while it rebuilds a cross-reference table (startxref, objects found...)."""


def report_warnings(meeting: Meeting) -> dict[DocumentKey, PaperWarning]:
    """A warning for each cover report without a field every report should have
    (:data:`~packbuilder.model.meeting.REQUIRED_REPORT_FIELDS`), by document."""
    found: dict[DocumentKey, PaperWarning] = {}
    for key, _item, document in iter_documents(meeting):
        source = document.source
        if not isinstance(source, ReportSource):
            continue
        missing = [name for name in REQUIRED_REPORT_FIELDS if not _filled(source.fields.get(name))]
        if missing:
            found[key] = PaperWarning(
                document.origin.file,
                str(document.origin),
                f"the cover report '{document.title}' has no {', '.join(missing)}: the "
                "report is built without them; add them under its 'report:'",
            )
    return found


def _filled(value: object) -> bool:
    """Whether a report field says something (text, or a list or mapping of it)."""
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_filled(v) for v in value)
    return value is not None


def paper_warnings(documents: dict[DocumentKey, PreparedDocument]) -> list[PaperWarning]:
    """What pypdf had to repair in the papers (while opening or copying them), one per file;
    what the pack leaves out of them (actions, annotations, attachments...), one per file;
    and the pages where text is covered up (a black-box redaction), one per file."""
    warnings: list[PaperWarning] = []
    used: dict[int, tuple[PreparedDocument, set[int]]] = {}
    for prepared in documents.values():
        _first, indices = used.setdefault(id(prepared.reader), (prepared, set()))
        indices.update(prepared.indices)
    for prepared, indices in used.values():
        source = prepared.document.source
        path = source.path if isinstance(source, FileSource) else None
        name = display_path(path) if path else _display_name(prepared.document)
        found = [
            _repair_warning(prepared.reader, path, name),
            _left_out_warning(prepared.reader, indices, path, name, prepared.keep_markup),
            _covered_warning(prepared.reader, indices, path, name),
        ]
        warnings.extend(w for w in found if w is not None)
    return warnings


def _repair_warning(reader: PdfReader, path: Path | None, name: str) -> PaperWarning | None:
    """What pypdf had to repair in a paper, or None."""
    notes = [str(n) for n in getattr(reader, "notes", None) or []]
    if not notes:
        return None
    xref = [n for n in notes if any(k in n.lower() for k in _XREF_MARKS)]
    other = [n for n in notes if not any(k in n.lower() for k in _XREF_NOTES)]
    more = f" and {len(other) - 1} more" if len(other) > 1 else ""
    if xref:
        message = "the cross-reference table was damaged and has been rebuilt"
        if other:
            message += f"; other problems were repaired too ({other[0]}{more})"
    else:
        found = other or notes
        message = f"was damaged and has been repaired while reading it ({found[0]}{more})"
    message += "; check its pages in the pack"
    return PaperWarning(path, name, message, tuple(notes))


def _left_out_warning(
    reader: PdfReader, indices: set[int], path: Path | None, name: str, keep_markup: bool
) -> PaperWarning | None:
    """What the pack leaves out of a paper (actions, annotations, attachments...), or None:
    each kind named once, with its details and pages."""
    found = left_out(reader, indices, keep_markup=keep_markup)
    found += [(kind, "", None) for kind in sorted(found_in(reader))]  # met while copying
    if not found:
        return None
    kinds: dict[str, tuple[set[str], set[int]]] = {}
    for kind, detail, index in found:
        details, pages = kinds.setdefault(kind, (set(), set()))
        if detail:
            details.add(detail)
        if index is not None:
            pages.add(index + 1)
    parts = []
    for kind, (details, pages) in kinds.items():
        where = [", ".join(sorted(details))] if details else []
        if pages:
            numbers = ", ".join(str(n) for n in sorted(pages))
            where.append(f"page{'s' if len(pages) > 1 else ''} {numbers}")
        parts.append(f"{kind} ({'; '.join(where)})" if where else kind)
    message = (
        f"left out of the pack: {'; '.join(parts)}; check those pages in the pack, and "
        "publish separately anything readers need"
    )
    if MARKUP in kinds:
        message += (
            "; to keep review comments and markup (in an internal pack), give the paper "
            "'markup: keep'"
        )
    details = tuple(dict.fromkeys(f"{k}: {d}" if d else k for k, d, _i in found))
    return PaperWarning(path, name, message, details)


def _covered_warning(
    reader: PdfReader, indices: set[int], path: Path | None, name: str
) -> PaperWarning | None:
    """The pages where text is drawn and then covered by a filled box, or None."""
    try:
        pages = [n + 1 for n in covered_text(reader, indices)]
    except READ_ERRORS:
        return None
    if not pages:
        return None
    numbers = ", ".join(str(n) for n in pages)
    message = (
        f"text on page{'s' if len(pages) > 1 else ''} {numbers} is covered by a filled box (a "
        "'black-box' redaction?): the text is still in the PDF, and anyone can select, copy "
        "or extract it from the pack; remove the text from the original and export it again, "
        "or redact it with a tool that deletes it (in Acrobat: Redact, then Apply)"
    )
    return PaperWarning(path, name, message, tuple(f"covered text: page {n}" for n in pages))


def _display_name(document: Document) -> str:
    source = document.source
    if isinstance(source, FileSource):
        return display_path(source.path)
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
        origin = document.origin
        raise InputError(
            f"pages '{source.pages}' of {source.path.name}: {exc}",
            where=location(
                display_path(origin.file),
                source.pages.line or origin.line,
                join_key(origin.key or "", "pages"),
            ),
            hint=f"choose pages between 1 and {count}, or remove 'pages' to include them all",
        ) from None
