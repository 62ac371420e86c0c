"""Which papers are not tagged, and what the clerk is told about it.

A PDF paper without a structure tree (``/StructTreeRoot``) gives a screen
reader no headings, tables or reading order. Its pages go into the pack as
they are, but the clerk is told, at build time and by ``packbuilder status``,
and the manifest records it (``accessibility``), as does the pack itself: it
claims PDF/UA only when every page's content is tagged or an artifact
(:mod:`packbuilder.assemble.structure`). Word papers and rendered documents
are always tagged: LibreOffice exports them as tagged PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ..assemble.structure import is_tagged
from ..inputs.pdfread import READ_ERRORS
from ..model.meeting import FileSource, Meeting
from ..pack.papers import DocumentKey, PaperWarning, PreparedDocument
from ..paths import recorded_path

ADVICE = "ask the author for the Word file or a tagged PDF"


def untagged_message(count: int) -> str:
    """``3 papers are not tagged: ask the author for the Word file or a tagged PDF``."""
    what = "1 paper is" if count == 1 else f"{count} papers are"
    return f"{what} not tagged: {ADVICE}"


def untagged_papers(documents: dict[DocumentKey, PreparedDocument]) -> list[Path]:
    """The PDF papers of a build that are not tagged, each once, in pack order."""
    found: dict[Path, None] = {}
    for prepared in documents.values():
        source = prepared.document.source
        if (
            isinstance(source, FileSource)
            and prepared.word is None
            and not is_tagged(prepared.reader)
        ):
            found.setdefault(source.path, None)
    return list(found)


def untagged_warning(papers: list[Path], base: Path) -> PaperWarning | None:
    """The build's warning naming the untagged papers (as the manifest names them, from the
    meeting's folder ``base``), or None when every paper is tagged."""
    if not papers:
        return None
    recorded = [recorded_path(path, base) for path in papers]
    names = ", ".join(recorded)
    message = (
        f"{untagged_message(len(papers))} ({names}); screen readers get no headings, tables "
        "or reading order from their pages, and the pack does not claim PDF/UA"
    )
    return PaperWarning(None, "accessibility", message, tuple(recorded))


def manifest_entry(papers: list[Path], base: Path, *, tagged: bool, pdfua: bool) -> dict[str, Any]:
    """The manifest's ``accessibility``: whether the pack is tagged, claims PDF/UA, and the
    papers that are not tagged (relative to the meeting file)."""
    return {
        "tagged": tagged,
        "pdfua": pdfua,
        "untagged_papers": [recorded_path(path, base) for path in papers],
    }


def pdf_is_tagged(path: Path) -> bool | None:
    """Whether the PDF at ``path`` has a structure tree; None when it cannot be read."""
    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        tree = root.get("/StructTreeRoot") if isinstance(root, dict) else None
        tree = tree.get_object() if tree is not None else None
        return isinstance(tree, dict) and tree.get("/K") is not None
    except READ_ERRORS:
        return None


def meeting_untagged(meeting: Meeting) -> list[Path]:
    """The meeting's PDF papers (those here now) that are not tagged, for ``status``."""
    found: dict[Path, None] = {}
    for item in meeting.items:
        for paper in item.papers:
            for document in paper.documents:
                source = document.source
                if not isinstance(source, FileSource) or source.path.suffix.lower() != ".pdf":
                    continue
                if source.path.is_file() and pdf_is_tagged(source.path) is False:
                    found.setdefault(source.path, None)
    return list(found)
