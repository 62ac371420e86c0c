"""Which of a pack's documents are exempt information.

In: a meeting (and, once they are open, its documents). Out: an
:class:`ExemptBusiness` (the exempt documents and their paragraphs), the
mark printed on exempt pages, and the check that no exempt document is also used
as a public one. How what is left out is named, and the order of Part B:
:mod:`packbuilder.model.partb`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..exceptions import InputError, location
from ..inputs.session import file_sha256
from ..model.exempt import ExemptionTable
from ..model.meeting import Meeting, Origin
from ..paths import display_path
from .layout import DocumentKey, UnitKey
from .papers import PreparedDocument, iter_documents

NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"


@dataclass(frozen=True)
class ExemptBusiness:
    """The exempt documents of a pack (key -> the paragraphs cited) and the table cited."""

    table: ExemptionTable
    documents: dict[DocumentKey, tuple[str, ...]]

    def __bool__(self) -> bool:
        return bool(self.documents)

    def paragraphs(self, unit: UnitKey) -> tuple[str, ...]:
        """The paragraphs cited for a unit: a document's, or every document's of a paper."""
        i, p, d = unit
        if d is not None:
            return self.documents[(i, p, d)]
        keys = sorted(key for key in self.documents if key[:2] == (i, p))
        return tuple(dict.fromkeys(n for key in keys for n in self.documents[key]))

    def mark(self, paragraphs: tuple[str, ...]) -> str:
        """The line at the head of an exempt page in the members' pack."""
        return f"{NOT_FOR_PUBLICATION} by virtue of {self.table.citation(paragraphs)}"


def exempt_business(meeting: Meeting) -> ExemptBusiness:
    """The documents of ``meeting``'s pack that are exempt information."""
    documents = {}
    for key, item, _document in iter_documents(meeting):
        paper = item.included_papers[key[1]]
        cited = item.exempt_paragraphs(paper, key[2])
        if cited:
            documents[key] = cited
    return ExemptBusiness(meeting.committee.exemptions, documents)


def check_exempt_not_public(
    documents: Mapping[DocumentKey, PreparedDocument], business: ExemptBusiness
) -> None:
    """Refuse a pack in which an exempt document is also used as a public one: the same
    file, or the same content, once exempt and once public would publish it.

    One file holding a public report and its exempt annex is refused too (its
    other pages' bookmarks, layers and form fields travel with it): it is to
    be split into two files.
    """
    exempt = {key: documents[key] for key in business.documents if key in documents}
    if not exempt:
        return
    seen: dict[object, DocumentKey] = {}
    for key, prepared in exempt.items():
        seen[id(prepared.reader)] = seen[file_sha256(prepared.pdf)] = key
    for key, prepared in documents.items():
        if key in exempt:
            continue
        other = seen.get(id(prepared.reader)) or seen.get(file_sha256(prepared.pdf))
        if other is not None:
            raise _also_public(documents[other], prepared)


def _also_public(exempt: PreparedDocument, public: PreparedDocument) -> InputError:
    name = getattr(exempt.document.source, "path", None)
    shown = display_path(name) if name else f"'{exempt.document.title}'"
    return InputError(
        f"{shown} is exempt information here but is also used as a public document "
        f"({_place(public.document.origin)}): the public pack would publish it",
        where=_place(exempt.document.origin),
        hint="mark both uses exempt, or use it only once; if one file holds a public "
        "report and an exempt annex, split it into two files (e.g. 'qpdf report.pdf "
        "--pages . 1-8 -- public.pdf') and mark the annex exempt",
    )


def _place(origin: Origin) -> str:
    """``meetings/osb.yaml:12 (items[3].papers[0])``, the file as messages show it."""
    return location(display_path(origin.file), origin.line, origin.key)
