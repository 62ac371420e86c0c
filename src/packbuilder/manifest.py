"""The build manifest: every item's and paper's page range and a hash of every input.

``manifest.json`` is what ``packbuilder diff`` compares and what a script
reads to find an item's pages; it holds no timestamps, so the same inputs
give the same manifest. A document's ``sha256`` is the hash of its file, or,
for a document rendered from a template (a cover report, a forward-plan
table), the hash of the rendered Word document's content.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .convert import docx_content_hash
from .documents import DocumentKey, PreparedDocument, plans_read
from .exceptions import InputError
from .frontsheet import FrontSheet
from .layout import PageRange
from .model import FileSource, ForwardPlanSource, Meeting, ReportSource
from .outputs import MANIFEST
from .session import file_sha256, sha256_file

if TYPE_CHECKING:
    from .forwardplan.model import Plan

MANIFEST_VERSION = 1


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in forward-slash form (absolute if on another drive)."""
    try:
        return Path(os.path.relpath(path, base)).as_posix()
    except ValueError:
        return path.as_posix()


def slugify(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "item"


def item_pdf_name(number: str, title: str) -> str:
    """``items/item-04-executive-forward-work-programme.pdf``."""
    padded = number.zfill(2) if number.isdigit() else slugify(number, 8)
    return f"items/item-{padded}-{slugify(title)}.pdf"


def _range(pages: PageRange | None) -> dict[str, Any] | None:
    if pages is None:
        return None
    return {"first": pages.first, "last": pages.last, "text": str(pages)}


def input_files(meeting: Meeting, plans: Mapping[Path, Plan]) -> list[Path]:
    """Every file the build reads: definitions, templates, papers, forward plans.

    ``plans`` holds the forward plans the meeting's tables are made from, by
    path as written (:func:`~packbuilder.documents.load_plans`, or what a
    build read: :func:`~packbuilder.documents.plans_read`); each one's files
    were read.
    """
    files = [meeting.path]
    committee_origin = meeting.committee.origin
    if committee_origin and committee_origin.file != meeting.path:
        files.append(committee_origin.file)
    files.append(meeting.committee.templates.agenda)
    for item in meeting.items:
        for paper in item.included_papers:
            for document in paper.documents:
                source = document.source
                if isinstance(source, FileSource):
                    files.append(source.path)
                elif isinstance(source, ReportSource):
                    files.append(source.template)
                elif isinstance(source, ForwardPlanSource):
                    files += plans[source.plan].files
                    files.append(source.template)
    return list(dict.fromkeys(files))


def build_manifest(
    meeting: Meeting,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    *,
    kind: str,
    outputs: dict[str, Path],
    item_files: dict[str, str],
) -> dict[str, Any]:
    """Describe the pack just built: ranges, blanks, input and output hashes."""
    base = meeting.path.parent
    layout = front.layout
    items = []
    for i, (item, item_layout) in enumerate(zip(meeting.items, layout.items, strict=True)):
        papers = []
        for p, (paper, paper_layout) in enumerate(
            zip(item.included_papers, item_layout.papers, strict=True)
        ):
            docs = []
            for d, doc_range in enumerate(paper_layout.documents):
                prepared = documents[(i, p, d)]
                source = prepared.document.source
                entry: dict[str, Any] = {
                    "title": prepared.document.title,
                    "pages": _range(doc_range),
                    "source_pages": len(prepared.reader.pages),
                    "selected": [n + 1 for n in prepared.indices],
                }
                if isinstance(source, FileSource):
                    entry["file"] = relative(source.path, base)
                    entry["sha256"] = file_sha256(source.path)
                else:
                    # A rendered document's PDF carries LibreOffice's timestamps; the
                    # content of the rendered .docx says whether the paper changed.
                    entry["report"] = True
                    entry["sha256"] = (
                        docx_content_hash(prepared.word)
                        if prepared.word
                        else sha256_file(prepared.pdf)
                    )
                docs.append(entry)
            papers.append(
                {
                    "title": paper.title,
                    "pages": _range(paper_layout.pages),
                    "blank_pages": list(paper_layout.blank_pages),
                    "documents": docs,
                }
            )
        items.append(
            {
                "number": item.number,
                "title": item.title,
                "status": item.status.value,
                "agenda_text": front.item_pages.get(item.number, item.status.printed),
                "pages": _range(item_layout.pages),
                "file": item_files.get(item.number),
                "papers": papers,
            }
        )
    return {
        "manifest_version": MANIFEST_VERSION,
        "packbuilder": __version__,
        "kind": kind,
        "meeting": {
            "file": meeting.path.name,
            "committee": meeting.committee.name,
            "title": meeting.display_title,
            "date": meeting.date.isoformat(),
            "published": meeting.published.isoformat() if meeting.published else None,
            "revision": meeting.revision,
        },
        "pages": layout.total_pages,
        "front_sheet": {
            "pages": _range(layout.front),
            "blank_pages": list(layout.front_blank_pages),
        },
        "blank_pages": list(layout.blank_pages),
        "items": items,
        "inputs": {
            relative(path, base): file_sha256(path)
            for path in input_files(meeting, plans_read(documents))
        },
        "outputs": {name: sha256_file(path) for name, path in sorted(outputs.items())},
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """Read a previous manifest; None if there is none or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def load_manifest(path: Path | str) -> dict[str, Any]:
    """A build's manifest, from its manifest.json or its output folder."""
    path = Path(path)
    file = path / MANIFEST if path.is_dir() else path
    manifest = read_manifest(file)
    if not isinstance(manifest, dict) or "items" not in manifest:
        raise InputError(
            f"{file} is not a packbuilder manifest" + ("" if file.exists() else " (not found)"),
            hint="give the manifest.json of a build, or the build's output folder "
            "(e.g. build/osb-2022-05-11)",
        )
    return manifest
