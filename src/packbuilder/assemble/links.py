"""Annotations: the agenda's placeholder links, the papers' links, widgets and markup.

What a page's annotations keep is the allow-list's to say (:mod:`.allowlist`).
A link to ``LINK_PREFIX + item number`` (written by the front sheet) becomes a
link to the item's first pack page. A paper's internal link (an explicit or
named destination, directly or through a GoTo action) is pointed at the pack
page its target became, the occurrence nearest the link, or dropped when its
target is not in the pack; a web or email link is written with a new action
holding only its address; a link left with nothing to do is dropped. A form's
widgets are those :mod:`.forms` wrote for the page (one copy per use of the
paper); a widget of no field keeps only :data:`.allowlist.WIDGET_KEEP`. Markup
kept by ``markup: keep`` is copied with the first occurrence of its page,
without actions, and pointing only at other annotations kept on the page.
Everything else is left out, and written as ``null`` wherever it is referred to.
An annotation kept in a tagged paper keeps its place in the structure: its
``/StructParent`` is renumbered for the pack's (:mod:`.structure`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject, NameObject

from ..inputs.pdfread import READ_ERRORS
from ..model.meeting import LINK_PREFIX
from .allowlist import (
    KEEP_MARKUP,
    LINK,
    LINK_KEEP,
    MARKUP_DROP,
    WIDGET,
    WIDGET_KEEP,
    annotation_verdict,
    kept_entries,
    link_action,
)
from .forms import MergedForm
from .objects import ObjectWriter, Ref, resolve
from .sources import PageMap, PerReader

if TYPE_CHECKING:
    from .structure import StructureWriter

_MARKUP_REFERENCES = ("/Popup", "/IRT", "/Parent")
"""A markup annotation's references to other annotations (its pop-up, what it replies to)."""


NAMED_DESTINATIONS = PerReader(
    lambda reader: dict(reader.named_destinations), dict, "named destinations unreadable"
)
"""Each paper's named destinations, read once for the pack and all its extracts."""


class LinkWriter:
    """Writes the annotations of the pack's pages."""

    def __init__(
        self,
        objects: ObjectWriter,
        page_map: PageMap,
        link_targets: Mapping[str, int],
        form: MergedForm | None = None,
        *,
        structure: StructureWriter | None = None,
        page_label: Callable[[int], str] = lambda position: str(position + 1),
    ):
        self.objects = objects
        self.page_map = page_map
        self.link_targets = link_targets
        self.form = form or MergedForm()
        self.named = NAMED_DESTINATIONS
        self.structure = structure
        self.page_label = page_label

    def annotations(
        self,
        reader: PdfReader,
        src: DictionaryObject,
        position: int,
        first_use: bool,
        keep_markup: bool = False,
    ) -> list[Any]:
        """The ``/Annots`` of pack page ``position``, a copy of source page ``src``."""
        annots = resolve(dict.get(src, "/Annots"))
        if not isinstance(annots, list):
            return []
        result: list[Any] = []
        markup: list[tuple[IndirectObject, dict]] = []
        for raw in annots:
            annot = resolve(raw)
            if not isinstance(annot, dict):
                continue
            if isinstance(raw, IndirectObject):
                widget = self.form.widget(reader, raw.idnum, position)
                if widget is not False:  # a form field's: written by .forms for this page
                    if widget is not None:
                        result.append(widget)
                    continue
            idnum = raw.idnum if isinstance(raw, IndirectObject) else -1
            verdict, _problems = annotation_verdict(annot, keep_markup=keep_markup)
            if verdict == LINK:
                self._add(result, self._link(reader, annot, position), reader, idnum, position)
            elif verdict == WIDGET:  # a widget of no field: its look, no actions
                entries = kept_entries(annot, WIDGET_KEEP)
                entries["/P"] = self.page_map.numbers[position]
                self._add(result, entries, reader, idnum, position)
            elif verdict == KEEP_MARKUP and isinstance(raw, IndirectObject):
                if first_use:
                    markup.append((raw, annot))
                result.append(raw)
            elif isinstance(raw, IndirectObject):
                self.objects.omit(reader, raw.idnum)  # null wherever it is referred to
        self._keep_markup(reader, markup, position)
        return result

    def _add(
        self,
        result: list[Any],
        entries: dict[str, Any] | None,
        reader: PdfReader,
        idnum: int,
        position: int,
    ) -> None:
        """Write a new annotation (none when ``entries`` is None) and list it, in its
        paper's place in the structure when the paper is tagged."""
        if entries is None:
            return
        number = self.objects.allocate()
        entries.pop("/StructParent", None)
        key = self._struct_parent(reader, idnum, position, number)
        if key is not None:
            entries["/StructParent"] = key
        self.objects.emit(number, entries)
        result.append(number)

    def _struct_parent(
        self, reader: PdfReader, idnum: int, position: int, number: Ref | None
    ) -> int | None:
        """The annotation's ``/StructParent`` in the pack (:mod:`.structure`), or None."""
        if self.structure is None:
            return None
        return self.structure.annotation_key(reader, idnum, position, number)

    def _keep_markup(
        self, reader: PdfReader, kept: list[tuple[IndirectObject, dict]], position: int
    ) -> None:
        """Have kept markup copied without actions, referring only to kept markup, with its
        ``/StructParent`` renumbered for the pack's structure (or removed)."""
        numbers = {raw.idnum for raw, _annot in kept}
        for raw, annot in kept:
            changes: dict[str, Any] = {k: None for k in dict.keys(annot) if k in MARKUP_DROP}
            for key in _MARKUP_REFERENCES:
                ref = dict.get(annot, key)
                if ref is not None and getattr(ref, "idnum", None) not in numbers:
                    changes[key] = None
            popup = dict.get(annot, "/Subtype") == "/Popup"  # shown with its parent: untagged
            parent = None if popup else self._struct_parent(reader, raw.idnum, position, None)
            if parent is not None or dict.get(annot, "/StructParent") is not None:
                changes["/StructParent"] = parent
            if changes:
                self.objects.overrides[(id(reader), raw.idnum)] = changes

    def _link(self, reader: PdfReader, annot: dict, position: int) -> dict[str, Any] | None:
        """The link rewritten for the pack, or None to drop it."""
        entries = kept_entries(annot, LINK_KEEP)
        entries["/P"] = self.page_map.numbers[position]
        action, _problems = link_action(annot)
        dest = resolve(dict.get(annot, "/Dest"))
        if dest is None and action is None:
            return None if dict.get(annot, "/A") is not None else entries
        via_action = False
        if dest is None and action is not None:
            if action["/S"] == "/URI":
                return self._uri_link(entries, action)
            dest = resolve(action["/D"])
            via_action = True
        explicit = self._explicit(reader, dest)
        if explicit is None:
            return None
        target = self.page_map.source_position(reader, explicit[0], position)
        if target is None:
            return None
        new_dest = [self.page_map.numbers[target], *explicit[1:]]
        if via_action:
            entries["/A"] = {"/S": NameObject("/GoTo"), "/D": new_dest}
        else:
            entries["/Dest"] = new_dest
        return entries

    def _uri_link(self, entries: dict[str, Any], action: dict[str, Any]) -> dict | None:
        """A URI link: an agenda placeholder goes to its item's page (dropped if none)."""
        uri = action["/URI"]
        if uri.startswith(LINK_PREFIX):
            number = unquote(uri[len(LINK_PREFIX) :]).strip().strip("/")
            target = self.link_targets.get(number)
            if target is None:
                return None
            entries["/Dest"] = self.page_map.dest(target)
            entries["/Contents"] = f"Go to {_link_target(number)}, page {self.page_label(target)}"
            return entries
        entries["/A"] = action
        return entries

    def _explicit(self, reader: PdfReader, dest: Any) -> list[Any] | None:
        """An explicit destination array for ``dest`` (an array, a name or a string)."""
        if isinstance(dest, dict):
            dest = resolve(dict.get(dest, "/D"))
        if isinstance(dest, list):
            return list(dest) if dest else None
        if not isinstance(dest, (str, bytes)):
            return None
        key = dest.decode("latin-1") if isinstance(dest, bytes) else str(dest)
        named = self.named.get(reader).get(key)
        if named is None:
            return None
        try:
            return list(named.dest_array)
        except READ_ERRORS:
            return None


def _link_target(key: str) -> str:
    """What a placeholder link goes to, in words: ``item 4`` for the agenda's key ``4``;
    ``item 4, paper 1`` or ``item 4, paper 1, appendix 2`` for a contents line's ``4/1/1``
    or ``4/1/3`` (:func:`packbuilder.model.meeting.document_link`)."""
    number, _, rest = key.partition("/")
    if not rest:
        return f"item {number}"
    paper, _, document = rest.partition("/")
    words = f"item {number}, paper {paper}"
    if document.isdigit() and int(document) > 1:
        words += f", appendix {int(document) - 1}"
    return words
