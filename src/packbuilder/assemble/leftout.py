"""What the pack leaves out of a paper, refuses in it, and warns about, page by page.

Read from the paper with the same rules the writer applies (:mod:`.allowlist`),
so ``packbuilder check`` and the build's warning say the same, before or
after the pack is written:

* :func:`left_out`: every kind of thing left out of the chosen pages (actions,
  annotations, page entries, attached files, document JavaScript, pictures no
  page shows), with its page;
* :func:`unapplied_redactions`: pages with a Redact annotation, marked but
  never applied: the text "under" it is still in the file;
* :func:`covered_text`: pages whose own content draws text and then covers
  it with a filled rectangle (:mod:`.contentscan`), a black-box redaction
  that hides nothing from anyone who selects or extracts the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from ..inputs.pdfread import READ_ERRORS
from .allowlist import (
    ATTACHMENT,
    AUTOMATIC,
    JAVASCRIPT,
    action_problems,
    annotation_verdict,
    file_name,
    subtype,
    trigger_problems,
)
from .allowlist import page_entries as _page_entries
from .pagecontent import page_content
from .refs import resolve

UNSHOWN = "pictures and drawings that no page shows"

Found = tuple[str, str, int | None]
"""(kind, detail, 0-based page index, or None for the paper as a whole)."""

_MAX_PARENTS = 32
"""How far up a widget's field tree its fields' actions are looked for."""


def left_out(
    reader: PdfReader, indices: Iterable[int], *, keep_markup: bool = False
) -> list[Found]:
    """What the pack leaves out of pages ``indices`` of a paper, and of the paper as a whole."""
    found: list[Found] = []
    chosen = sorted(set(indices))
    try:
        for index in chosen:
            page = reader.pages[index]
            found.extend((k, d, index) for k, d in _page_entries(page)[1])
            for annot in _annotations(page):
                _verdict, problems = annotation_verdict(annot, keep_markup=keep_markup)
                problems += _field_problems(annot)
                found.extend((k, d, index) for k, d in problems)
        found.extend((ATTACHMENT, name, None) for name in embedded_files(reader))
        found.extend((k, d, None) for k, d in document_actions(reader))
        found.extend((UNSHOWN, name, None) for name in unshown_pictures(reader, chosen))
    except READ_ERRORS:
        pass
    return found


def _annotations(page: Any) -> list[dict]:
    """A page's annotations, resolved (what is not a dictionary left out)."""
    annots = resolve(dict.get(page, "/Annots"))
    found = (resolve(raw) for raw in annots) if isinstance(annots, list) else ()
    return [annot for annot in found if isinstance(annot, dict)]


def _field_problems(annot: dict) -> list[tuple[str, str]]:
    """The actions of the fields a widget belongs to (a field's own ``/AA``: keystroke,
    format and calculation scripts), all left out."""
    if subtype(annot) != "/Widget":
        return []
    problems: list[tuple[str, str]] = []
    field = resolve(dict.get(annot, "/Parent"))
    seen = 0
    while isinstance(field, dict) and seen < _MAX_PARENTS:
        seen += 1
        problems += action_problems(dict.get(field, "/A"), automatic=True)
        problems += trigger_problems(dict.get(field, "/AA"))
        field = resolve(dict.get(field, "/Parent"))
    return problems


def document_actions(reader: PdfReader) -> list[tuple[str, str]]:
    """What runs when the paper opens: its document JavaScript, open action and triggers."""
    root = resolve(dict.get(reader.trailer, "/Root"))
    if not isinstance(root, dict):
        return []
    problems: list[tuple[str, str]] = []
    opening = resolve(dict.get(root, "/OpenAction"))
    if isinstance(opening, dict):  # (an array is where the paper opens: nothing runs)
        problems += action_problems(opening, automatic=True)
    problems += trigger_problems(dict.get(root, "/AA"))
    names = resolve(dict.get(root, "/Names"))
    if isinstance(names, dict) and dict.get(names, "/JavaScript") is not None:
        problems.append((JAVASCRIPT, ""))
    return [p for p in problems if p[0] != AUTOMATIC]  # opening at a page is no loss


def embedded_files(reader: PdfReader) -> list[str]:
    """The names of the files attached to a paper as a whole (``/Names /EmbeddedFiles``)."""
    root = resolve(dict.get(reader.trailer, "/Root"))
    names = resolve(dict.get(root, "/Names")) if isinstance(root, dict) else None
    tree = resolve(dict.get(names, "/EmbeddedFiles")) if isinstance(names, dict) else None
    found: list[str] = []
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = resolve(stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        pairs = resolve(dict.get(node, "/Names"))
        if isinstance(pairs, list):
            for key, spec in zip(pairs[::2], pairs[1::2], strict=False):
                found.append(file_name(spec) or file_name(key))
        kids = resolve(dict.get(node, "/Kids"))
        if isinstance(kids, list):
            stack.extend(reversed(kids))
    return found


def unapplied_redactions(reader: PdfReader, indices: Iterable[int]) -> list[int]:
    """The pages (0-based) among ``indices`` that hold a Redact annotation."""
    return [
        index
        for index in sorted(set(indices))
        if any(subtype(annot) == "/Redact" for annot in _annotations(reader.pages[index]))
    ]


def covered_text(reader: PdfReader, indices: Iterable[int]) -> list[int]:
    """The pages (0-based) among ``indices`` whose content covers text with a filled
    rectangle that is not see-through (see :mod:`.contentscan`)."""
    pages: list[int] = []
    for index in sorted(set(indices)):
        page = reader.pages[index]
        covers = page_content(reader, _streams(page), index).covers or ()
        see_through = _see_through_states(page)
        if any(cover.state not in see_through for cover in covers):
            pages.append(index)
    return pages


def _streams(page: Any) -> list[StreamObject]:
    raw = resolve(dict.get(page, "/Contents"))
    items = raw if isinstance(raw, list) else [raw]
    return [s for s in (resolve(item) for item in items) if isinstance(s, StreamObject)]


def _see_through_states(page: Any) -> set[str]:
    """The graphics states of a page that paint with transparency or a blend mode."""
    resources = resolve(dict.get(page, "/Resources"))
    states = resolve(dict.get(resources, "/ExtGState")) if isinstance(resources, dict) else None
    found: set[str] = set()
    for name, raw in dict.items(states) if isinstance(states, dict) else ():
        state = resolve(raw)
        if not isinstance(state, dict):
            continue
        alpha = resolve(dict.get(state, "/ca"))
        blend = resolve(dict.get(state, "/BM"))
        if isinstance(blend, list):
            blend = resolve(blend[0]) if blend else None
        if (isinstance(alpha, int | float) and alpha < 1) or blend not in (
            None,
            "/Normal",
            "/Compatible",
        ):
            found.add(str(name))
    return found


def unshown_pictures(reader: PdfReader, indices: list[int]) -> list[str]:
    """The pictures and drawings the chosen pages' resources offer that no page of the
    paper draws (an image kept in the file but never shown), by resource name."""
    offered: dict[int, str] = {}
    drawn: set[int] = set()
    chosen = set(indices)
    for index, page in enumerate(reader.pages):
        objects = _xobjects(page)
        if not objects:
            continue
        if index in chosen:
            offered.update((number, name) for name, number in objects.items())
        names = page_content(reader, _streams(page), index).names
        if names is None:
            return []  # a page that cannot be read may draw any of them
        drawn.update(number for name, number in objects.items() if name in names)
    return sorted({name for number, name in offered.items() if number not in drawn})


def _xobjects(page: Any) -> dict[str, int]:
    """A page's XObject resources: name -> object number (those held by reference)."""
    resources = resolve(dict.get(page, "/Resources"))
    group = resolve(dict.get(resources, "/XObject")) if isinstance(resources, dict) else None
    if not isinstance(group, dict):
        return {}
    return {
        str(name): ref.idnum for name, ref in dict.items(group) if isinstance(ref, IndirectObject)
    }
