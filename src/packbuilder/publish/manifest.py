"""The build manifest: every item's and paper's page range and a hash of every input.

``manifest.json`` is what ``packbuilder diff`` compares and what a script
reads to find an item's pages; it holds no timestamps, so the same inputs
give the same manifest. A document's ``sha256`` is the hash of its file, or,
for a document rendered from a template (a cover report, a forward-plan
table), the hash of the rendered Word document's content.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..assemble.structure import is_tagged
from ..convert.converter import docx_content_hash
from ..exceptions import InputError
from ..inputs.session import file_sha256, sha256_file
from ..model.meeting import AgendaItem, FileSource, ForwardPlanSource, Meeting, ReportSource
from ..model.partb import Unit, capitalised, item_paragraphs, unit_label, unit_paragraphs
from ..pack.exempt import ExemptBusiness
from ..pack.frontsheet import FrontSheet
from ..pack.layout import PageRange, PaperLayout, PublicLayout, UnitKey
from ..pack.papers import DocumentKey, PreparedDocument, plans_read
from ..paths import recorded_path, recorded_paths
from .outputs import MANIFEST
from .ownership import PACK_FORMAT, PUBLIC_FORMAT

if TYPE_CHECKING:
    from ..model.forwardplan import Plan

MANIFEST_VERSION = 1


def slugify(text: str, limit: int = 48) -> str:
    """``text`` as a file name part: letters without accents (Siân -> sian, ŵ -> w), digits,
    hyphens; at most ``limit`` characters."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return slug[:limit].rstrip("-") or "item"


def item_pdf_name(number: str, title: str) -> str:
    """``items/item-04-executive-forward-work-programme.pdf``.

    The number's whole part is written with two digits and what follows it is kept
    (``item-03.1-...``, ``item-05a-...``), so the files sort in agenda order.
    """
    lead = re.match(r"[0-9]+", number)
    if lead is None:
        padded = slugify(number, 8)
    else:
        rest = re.sub(r"[^a-z0-9.]+", "", number[lead.end() :].lower())
        padded = lead.group().zfill(2) + rest
    return f"items/item-{padded}-{slugify(title)}.pdf"


def _range(pages: PageRange | None) -> dict[str, Any] | None:
    if pages is None:
        return None
    return {"first": pages.first, "last": pages.last, "text": str(pages)}


def input_files(meeting: Meeting, plans: Mapping[Path, Plan]) -> list[Path]:
    """Every file the build reads: definitions, templates, papers, forward plans.

    ``plans`` holds the forward plans the meeting's tables are made from, by
    path as written (:func:`~packbuilder.pack.papers.load_plans`, or what a
    build read: :func:`~packbuilder.pack.papers.plans_read`); each one's files
    were read.
    """
    files = [meeting.path]
    committee_origin = meeting.committee.origin
    if committee_origin and committee_origin.file != meeting.path:
        files.append(committee_origin.file)
    files.append(meeting.committee.templates.agenda)
    if meeting.has_contents:
        files.append(meeting.committee.templates.contents)
    files.append(meeting.committee.templates.web)
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
    business: ExemptBusiness | None = None,
    public: PublicLayout | None = None,
    hashes: dict[Path, str] | None = None,
) -> dict[str, Any]:
    """Describe the pack just built: ranges, blanks, input and output hashes.

    ``hashes`` keeps the hashes of outputs and rendered documents between the two
    manifests of a build, so that each file is hashed once.

    Without ``public``, the full (members') manifest: every document, each
    exempt one with its ``exempt`` paragraphs. With ``public``, the public
    manifest: an exempt paper or appendix is one entry named by its place,
    with its pages and paragraphs and nothing of its own (no title, file,
    hash or selection); exempt files are not among the inputs.
    """
    base = meeting.path.parent
    layout = front.layout
    withheld = public.units if public is not None else {}
    hashes = {} if hashes is None else hashes
    items = [
        _item_entry(meeting, front, documents, i, business, withheld, item_files, hashes)
        for i in range(len(meeting.items))
    ]
    exempt_files = _exempt_files(documents, business) if public is not None else set()
    manifest = {
        "format": PACK_FORMAT,  # what makes the folder packbuilder's (.ownership)
        "manifest_version": MANIFEST_VERSION,
        "packbuilder": __version__,
        "kind": kind,
        "meeting": {
            "file": meeting.path.name,
            "source_id": meeting_source_id(meeting.path),
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
        "contents": (
            {"pages": _range(layout.contents), "blank_pages": list(layout.contents_blank_pages)}
            if layout.contents is not None
            else None
        ),
        "blank_pages": list(layout.blank_pages),
        "items": items,
        "inputs": {
            name: file_sha256(path)
            for path, name in recorded_paths(
                (p for p in input_files(meeting, plans_read(documents)) if p not in exempt_files),
                base,
            ).items()
        },
        "outputs": {name: file_hash(path, hashes) for name, path in sorted(outputs.items())},
    }
    if public is not None:
        manifest["format"] = PUBLIC_FORMAT  # describes what is published; never a marker
        del manifest["meeting"]["source_id"]  # a hash of where the meeting file is: not public
        manifest["pdf_pages"] = len(public.pages)
    return manifest


def _item_entry(
    meeting: Meeting,
    front: FrontSheet,
    documents: dict[DocumentKey, PreparedDocument],
    i: int,
    business: ExemptBusiness | None,
    withheld: Mapping[UnitKey, PageRange],
    item_files: Mapping[str, str],
    hashes: dict[Path, str],
) -> dict[str, Any]:
    """One item of the manifest."""
    item, item_layout = meeting.items[i], front.layout.items[i]
    papers = []
    for p, paper_layout in enumerate(item_layout.papers):
        paper = item.included_papers[p]
        unit = withheld.get((i, p, None))
        if unit is not None:
            papers.append(_withheld_entry(item, (p, None), unit, business, paper_layout))
            continue
        docs = []
        for d, doc_range in enumerate(paper_layout.documents):
            if (i, p, d) in withheld:
                docs.append(_withheld_entry(item, (p, d), doc_range, business))
                continue
            docs.append(
                _document_entry(documents[(i, p, d)], doc_range, meeting.path.parent, hashes)
            )
            cited = business.documents.get((i, p, d)) if business else None
            if cited:
                docs[-1]["exempt"] = list(cited)
        papers.append(
            {
                "title": paper.title,
                "pages": _range(paper_layout.pages),
                "blank_pages": list(paper_layout.blank_pages),
                "documents": docs,
            }
        )
    entry = {
        "number": item.number,
        "title": item.title,
        "status": item.status.value,
        "agenda_text": front.item_pages.get(item.number, item.status.printed),
        "pages": _range(item_layout.pages),
        "file": item_files.get(item.number),
        "papers": papers,
    }
    if item.part_b:
        entry["exempt"] = list(item_paragraphs(item))
    return entry


def file_hash(path: Path, hashes: dict[Path, str], content: bool = False) -> str:
    """The SHA-256 of ``path`` (of a .docx's content, with ``content``), once per build."""
    if path not in hashes:
        hashes[path] = docx_content_hash(path) if content else sha256_file(path)
    return hashes[path]


def _document_entry(
    prepared: PreparedDocument, pages: PageRange, base: Path, hashes: dict[Path, str]
) -> dict[str, Any]:
    """A document as the full manifest records it: title, pages, file or rendering, hash."""
    source = prepared.document.source
    entry: dict[str, Any] = {
        "title": prepared.document.title,
        "pages": _range(pages),
        "source_pages": len(prepared.reader.pages),
        "selected": [n + 1 for n in prepared.indices],
        "tagged": is_tagged(prepared.reader),
    }
    if isinstance(source, FileSource):
        entry["file"] = recorded_path(source.path, base)
        entry["sha256"] = file_sha256(source.path)
    else:
        # A rendered document's PDF carries LibreOffice's timestamps; the
        # content of the rendered .docx says whether the paper changed.
        entry["report"] = True
        entry["sha256"] = (
            file_hash(prepared.word, hashes, content=True)
            if prepared.word
            else file_hash(prepared.pdf, hashes)
        )
    return entry


def _withheld_entry(
    item: AgendaItem,
    unit: Unit,
    pages: PageRange,
    business: ExemptBusiness | None,
    paper: PaperLayout | None = None,
) -> dict[str, Any]:
    """An exempt paper or appendix as the public manifest records it: by its place only."""
    entry: dict[str, Any] = {
        "title": f"{capitalised(unit_label(item, unit))}: not for publication",
        "pages": _range(pages),
        "exempt": list(unit_paragraphs(item, unit)),
    }
    if paper is not None:
        entry |= {"blank_pages": list(paper.blank_pages), "documents": []}
    return entry


def _exempt_files(
    documents: dict[DocumentKey, PreparedDocument], business: ExemptBusiness | None
) -> set[Path]:
    """The files of the exempt documents (left out of the public manifest's inputs)."""
    if not business:
        return set()
    files = set()
    for key in business.documents:
        source = documents[key].document.source
        if isinstance(source, FileSource):
            files.add(source.path)
    return files


def meeting_source_id(path: Path) -> str:
    """Which meeting file a pack was built from, without writing down where it is: a hash
    of its full path."""
    return hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]


def is_other_meeting(manifest: dict[str, Any], meeting: Meeting) -> bool:
    """Whether ``manifest`` is of a pack of another meeting than ``meeting``.

    The same meeting file (moved date and all), or the same committee on the same
    day, is the same meeting; anything else is another.
    """
    built = manifest.get("meeting") or {}
    if not isinstance(built, dict):
        return True
    if built.get("source_id") == meeting_source_id(meeting.path):
        return False
    return (built.get("committee"), built.get("date")) != (
        meeting.committee.name,
        meeting.date.isoformat(),
    )


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """Read a previous build's manifest; None if there is none, it cannot be read, or it
    is not shaped as a manifest (:func:`manifest_problems`)."""
    manifest = _read_json(path)
    return manifest if not manifest_problems(manifest) else None


def load_manifest(path: Path | str) -> dict[str, Any]:
    """A build's manifest, from its manifest.json or its output folder.

    :class:`InputError` when there is none, it cannot be read, it is not JSON,
    or it is not shaped as a manifest: the message says which.
    """
    path = Path(path)
    file = path / MANIFEST if path.is_dir() else path
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems = ["not found"]
    except OSError as exc:
        problems = [f"it cannot be read: {exc.strerror or exc}"]
    except ValueError:
        problems = ["it is not JSON text"]
    else:
        problems = manifest_problems(manifest)
        if not problems:
            return manifest
    shown = problems[:3] + ([f"and {len(problems) - 3} more"] if len(problems) > 3 else [])
    raise InputError(
        f"{file} is not a packbuilder manifest ({'; '.join(shown)})",
        hint="give the manifest.json of a build, or the build's output folder "
        "(e.g. build/osb-2022-05-11)",
    )


def _read_json(path: Path) -> Any:
    """The JSON in ``path``; None when it cannot be read or is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- the shape of a manifest: what diff and status read ---------------------------------------

_TEXT = (str,), "text"
_TEXT_OR_NULL = (str, type(None)), "text or null"
_WHOLE = (int,), "a whole number"
_WHOLE_OR_NULL = (int, type(None)), "a whole number or null"
_OBJECT = (dict,), "an object"
_OBJECT_OR_NULL = (dict, type(None)), "an object or null"
_LIST = (list,), "a list"
_LIST_OR_NULL = (list, type(None)), "a list or null"

_TOP = {"kind": _TEXT, "pages": _WHOLE, "meeting": _OBJECT, "inputs": _OBJECT, "items": _LIST}
_MEETING = {
    "file": _TEXT_OR_NULL,
    "title": _TEXT_OR_NULL,
    "date": _TEXT_OR_NULL,
    "revision": _WHOLE_OR_NULL,
}
_ITEM = {"status": _TEXT_OR_NULL, "pages": _OBJECT_OR_NULL, "papers": _LIST}
_PAPER = {"pages": _OBJECT_OR_NULL, "documents": _LIST}
_DOCUMENT = {"title": _TEXT_OR_NULL, "selected": _LIST_OR_NULL}


def manifest_problems(manifest: Any) -> list[str]:
    """What makes ``manifest`` (parsed JSON) other than a build's manifest; empty if nothing.

    Checks the keys and types of what :mod:`packbuilder.late.changes` and
    :mod:`packbuilder.late.status` read: ``items`` is required, each item needs its
    ``number`` and ``title`` (text), each paper its ``title``; the other keys
    may be left out, but must have the right type when given.
    """
    if not isinstance(manifest, dict):
        return [f"it holds {_described(manifest)}, not an object"]
    if "items" not in manifest:
        return ["it has no 'items'"]
    problems = _typed(manifest, _TOP, "")
    meeting = manifest.get("meeting")
    if isinstance(meeting, dict):
        problems += _typed(meeting, _MEETING, "meeting.")
    items = manifest["items"]
    for i, item in enumerate(items if isinstance(items, list) else []):
        problems += _item_problems(item, f"items[{i}]")
    return problems


def _item_problems(item: Any, where: str) -> list[str]:
    """What is wrong with the item at ``where`` and its papers."""
    if not isinstance(item, dict):
        return [f"'{where}' should be an object, not {_described(item)}"]
    problems = _required_text(item, ("number", "title"), where)
    problems += _typed(item, _ITEM, f"{where}.")
    papers = item.get("papers")
    for p, paper in enumerate(papers if isinstance(papers, list) else []):
        place = f"{where}.papers[{p}]"
        if not isinstance(paper, dict):
            problems.append(f"'{place}' should be an object, not {_described(paper)}")
            continue
        problems += _required_text(paper, ("title",), place)
        problems += _typed(paper, _PAPER, f"{place}.")
        documents = paper.get("documents")
        for d, document in enumerate(documents if isinstance(documents, list) else []):
            if not isinstance(document, dict):
                problems.append(
                    f"'{place}.documents[{d}]' should be an object, not {_described(document)}"
                )
            else:
                problems += _typed(document, _DOCUMENT, f"{place}.documents[{d}].")
    return problems


def _required_text(value: dict[str, Any], keys: tuple[str, ...], where: str) -> list[str]:
    """Problems for each of ``keys`` missing from ``value`` or not text."""
    problems = []
    for key in keys:
        if key not in value:
            problems.append(f"'{where}' has no '{key}'")
        elif not isinstance(value[key], str):
            problems.append(f"'{where}.{key}' should be text, not {_described(value[key])}")
    return problems


_Shape = dict[str, tuple[tuple[type, ...], str]]
"""Keys and, for each, the types its value may have and how a message names them."""


def _typed(value: dict[str, Any], shape: _Shape, prefix: str) -> list[str]:
    """Problems for each key of ``shape`` that ``value`` has with a value of another type."""
    problems = []
    for key, (types, expected) in shape.items():
        if key not in value:
            continue
        found = value[key]
        if not isinstance(found, types) or (isinstance(found, bool) and bool not in types):
            problems.append(f"'{prefix}{key}' should be {expected}, not {_described(found)}")
    return problems


def _described(value: Any) -> str:
    """A JSON value as a message names it: ``the text 'many'``, ``a list``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {text!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "a list" if isinstance(value, list) else "an object"
