"""The papers' interactive forms, merged into one ``/AcroForm``.

Each *use* of a paper with fields (a run of its pages in the pack; the same
file in two items is two uses) gets its own copy of its field tree, whose
widgets are on that use's pages. A field whose widgets are all on pages left
out of the pack is dropped, and so is a parent field left without kids. When
the pack has one use, its fields are carried over as they are; otherwise each
use's fields go under a new parent field (``paper1``, ``paper2``...) so fields
with the same name in different papers, or in two uses of one paper, stay apart.
Fields and widgets keep only :data:`.allowlist.WIDGET_KEEP` (no actions, nothing
private); a hidden widget (Hidden or NoView flag) is left out, and with it a
field whose widgets are all hidden, value and all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from ..inputs.pdfread import READ_ERRORS
from .allowlist import WIDGET_KEEP, is_hidden
from .objects import ObjectWriter, Ref, resolve
from .sources import PageMap
from .spec import PackPage

StructParent = Callable[[PdfReader, int, int, Ref], "int | None"]

_MAX_DEPTH = 32
"""Deeper field trees are cut (a damaged or looping ``/Kids``)."""

_TREE_KEYS = frozenset({"/Parent", "/Kids", "/P", "/StructParent"})
"""A field's places in the field tree and the structure tree: written anew for each copy."""


@dataclass
class FormUse:
    """One run of a paper's pages in the pack: its form and the positions of those pages."""

    reader: PdfReader
    form: dict
    fields: list[IndirectObject]
    positions: list[int]


@dataclass
class _Node:
    """A field or widget kept for one use: its source object and kept kids."""

    ref: IndirectObject
    entries: dict
    kids: list[_Node]
    position: int | None  # the pack page of a widget


@dataclass
class MergedForm:
    """The pack's ``/AcroForm`` and where each use's widgets went."""

    acroform: dict[str, Any] | None = None
    widgets: dict[tuple[int, int], Ref] = field(default_factory=dict)
    """(pack position, source object number) -> the widget written for that page."""
    sources: set[tuple[int, int]] = field(default_factory=set)
    """(id of reader, object number) of every field and widget of the papers' forms."""
    struct_parent: StructParent | None = None
    """Gives a widget written for a page its ``/StructParent`` (:mod:`.structure`)."""

    def widget(self, reader: PdfReader, idnum: int, position: int) -> Ref | None | bool:
        """The widget for source annotation ``idnum`` on pack page ``position``.

        False when the annotation is no widget of a form (copy it as any other).
        """
        if (id(reader), idnum) not in self.sources:
            return False
        return self.widgets.get((position, idnum))


def merge_forms(
    objects: ObjectWriter,
    page_map: PageMap,
    pages: list[PackPage],
    struct_parent: StructParent | None = None,
) -> MergedForm:
    """Write every use's fields; the pack's ``/AcroForm`` is None when none is left.

    ``struct_parent(reader, source widget number, position, new number)`` gives each widget
    its ``/StructParent`` in the pack's structure tree (or None: not in it)."""
    merged = MergedForm(struct_parent=struct_parent)
    uses = form_uses(pages)
    trees: list[tuple[FormUse, list[_Node]]] = []
    for use in uses:
        found: set[int] = set()
        nodes = _kept_fields(use, pages, found)
        merged.sources.update((id(use.reader), n) for n in found)
        if nodes:
            trees.append((use, nodes))
    if not trees:
        return merged
    result: dict[str, Any] = {"/Fields": []}
    for n, (use, nodes) in enumerate(trees, 1):
        wrapper = objects.allocate() if len(trees) > 1 else None
        top = [_emit(objects, page_map, use, node, wrapper, merged) for node in nodes]
        if wrapper is None:
            result["/Fields"] = top
        else:
            objects.emit(wrapper, {"/T": f"paper{n}", "/Kids": top})
            result["/Fields"].append(wrapper)
    _form_entries(result, [use for use, _nodes in trees])
    merged.acroform = result
    return merged


def form_uses(pages: list[PackPage]) -> list[FormUse]:
    """The runs of pack pages from one paper with form fields, in pack order.

    A run ends at a page of another paper or a blank page, and where one of its
    source pages comes again (the same file used twice in a row).
    """
    uses: list[FormUse] = []
    forms: dict[int, tuple[dict, list[IndirectObject]] | None] = {}
    current: FormUse | None = None
    seen: set[int] = set()
    for position, page in enumerate(pages):
        reader = page.reader
        if reader is None:
            current = None
            continue
        if id(reader) not in forms:
            forms[id(reader)] = _form(reader)
        found = forms[id(reader)]
        if found is None:
            current = None
            continue
        if current is None or current.reader is not reader or page.index in seen:
            current = FormUse(reader, found[0], found[1], [])
            uses.append(current)
            seen = set()
        seen.add(page.index)
        current.positions.append(position)
    return uses


def _form(reader: PdfReader) -> tuple[dict, list[IndirectObject]] | None:
    """A paper's ``/AcroForm`` and its top-level fields, or None when it has none."""
    try:
        root = resolve(dict.get(reader.trailer, "/Root"))
        form = resolve(dict.get(root, "/AcroForm")) if isinstance(root, dict) else None
        fields = resolve(dict.get(form, "/Fields")) if isinstance(form, dict) else None
    except READ_ERRORS:
        return None
    if not isinstance(fields, list):
        return None
    refs = [f for f in fields if isinstance(f, IndirectObject)]
    return (form, refs) if refs else None


def _widget_positions(use: FormUse, pages: list[PackPage]) -> dict[int, int]:
    """Object number of each annotation on the use's pages -> its pack position."""
    found: dict[int, int] = {}
    for position in use.positions:
        src = use.reader.pages[pages[position].index]
        annots = resolve(dict.get(src, "/Annots"))
        if isinstance(annots, list):
            for raw in annots:
                if isinstance(raw, IndirectObject) and not _hidden(raw):
                    found.setdefault(raw.idnum, position)
    return found


def _hidden(raw: IndirectObject) -> bool:
    """Whether an annotation is hidden from view (an unreadable one counts as hidden)."""
    try:
        annot = resolve(raw)
    except READ_ERRORS:
        return True
    return isinstance(annot, dict) and is_hidden(annot)


def _kept_fields(use: FormUse, pages: list[PackPage], found: set[int]) -> list[_Node]:
    """The use's field trees, cut to the widgets on its pages; ``found`` gets every node."""
    try:
        on_pages = _widget_positions(use, pages)
    except READ_ERRORS:
        return []
    kept: list[_Node] = []
    for ref in use.fields:
        node = _kept(ref, on_pages, found, 0)
        if node is not None:
            kept.append(node)
    return kept


def _kept(ref: Any, on_pages: dict[int, int], found: set[int], depth: int) -> _Node | None:
    """The field or widget ``ref`` with its kids on the use's pages, or None if none is."""
    if not isinstance(ref, IndirectObject) or ref.idnum in found or depth > _MAX_DEPTH:
        return None
    found.add(ref.idnum)
    try:
        entries = resolve(ref)
        kids = resolve(dict.get(entries, "/Kids")) if isinstance(entries, dict) else None
    except READ_ERRORS:
        return None
    if not isinstance(entries, dict):
        return None
    if isinstance(kids, list) and kids:
        nodes = [_kept(kid, on_pages, found, depth + 1) for kid in kids]
        kept = [node for node in nodes if node is not None]
        return _Node(ref, entries, kept, None) if kept else None
    position = on_pages.get(ref.idnum)
    return _Node(ref, entries, [], position) if position is not None else None


def _emit(
    objects: ObjectWriter,
    page_map: PageMap,
    use: FormUse,
    node: _Node,
    parent: Ref | None,
    merged: MergedForm,
) -> Ref:
    """Write a kept field (and its kids) for one use; return its number."""
    number = objects.allocate()
    # Other references to the source object (a popup's /Parent...) go to its first copy.
    objects.substitute((id(use.reader), node.ref.idnum), number, first=True)
    entries = {
        k: v for k, v in dict.items(node.entries) if k in WIDGET_KEEP and k not in _TREE_KEYS
    }
    if parent is not None:
        entries["/Parent"] = parent
    if node.kids:
        entries["/Kids"] = [_emit(objects, page_map, use, kid, number, merged) for kid in node.kids]
    if node.position is not None:
        entries["/P"] = page_map.numbers[node.position]
        merged.widgets[(node.position, node.ref.idnum)] = number
        if merged.struct_parent is not None:
            key = merged.struct_parent(use.reader, node.ref.idnum, node.position, number)
            if key is not None:
                entries["/StructParent"] = key
    objects.emit(number, entries)
    return number


def _form_entries(result: dict[str, Any], uses: list[FormUse]) -> None:
    """The forms' default appearance, alignment, resources and NeedAppearances, merged."""
    resources: dict[str, Any] = {}
    seen: set[int] = set()
    for use in uses:
        if id(use.reader) in seen:
            continue
        seen.add(id(use.reader))
        form = use.form
        for key in ("/DA", "/Q"):
            if key not in result and dict.get(form, key) is not None:
                result[key] = dict.get(form, key)
        if resolve(dict.get(form, "/NeedAppearances")):
            result["/NeedAppearances"] = True
        _merge_resources(resources, resolve(dict.get(form, "/DR")))
    if resources:
        result["/DR"] = resources


def _merge_resources(resources: dict[str, Any], default: Any) -> None:
    """Add a form's default resources (``/DR``) to ``resources``; the first of a name wins."""
    if not isinstance(default, dict):
        return
    for key, value in dict.items(default):
        group = resolve(value)
        if isinstance(group, dict):
            merged = resources.setdefault(key, {})
            for name, item in dict.items(group):
                merged.setdefault(name, item)
