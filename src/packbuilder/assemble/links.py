"""Link annotations: the agenda's placeholder links and the papers' internal links.

A link to ``LINK_PREFIX + item number`` (written by the front sheet) becomes a
link to the item's first pack page. A paper's internal link (an explicit or
named destination, directly or through a GoTo action) is pointed at the pack
page its target became, the occurrence nearest the link, or dropped when its
target is not in the pack. Other links are copied as they are, without
unsafe or broken actions (:mod:`.actions`; a link left with none is dropped). A form's
widgets are those :mod:`.forms` wrote for the page (one copy per use of the
paper); file attachments are left out; other annotations are copied with the
first occurrence of their page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from ..pdfread import READ_ERRORS
from .actions import clean_entries
from .forms import MergedForm
from .objects import ObjectWriter, Ref, resolve
from .sources import PageMap, PerReader
from .spec import LINK_PREFIX

if TYPE_CHECKING:
    from .structure import StructureWriter

_LINK_SKIP = frozenset({"/A", "/Dest", "/P", "/Parent", "/StructParent", "/PA"})


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
        self, reader: PdfReader, src: DictionaryObject, position: int, first_use: bool
    ) -> list[Any]:
        """The ``/Annots`` of pack page ``position``, a copy of source page ``src``."""
        annots = resolve(dict.get(src, "/Annots"))
        if not isinstance(annots, list):
            return []
        result: list[Any] = []
        for raw in annots:
            annot = resolve(raw)
            if not isinstance(annot, dict):
                continue
            subtype = dict.get(annot, "/Subtype")
            if subtype == "/FileAttachment":  # attachments are not carried into the pack
                if isinstance(raw, IndirectObject):
                    self.objects.omit(reader, raw.idnum)
                continue
            idnum = raw.idnum if isinstance(raw, IndirectObject) else -1
            if subtype == "/Link":
                link = self._link(reader, annot, position)
                if link is not None:
                    number = self.objects.allocate()
                    key = self._struct_parent(reader, idnum, position, number)
                    if key is not None:
                        link["/StructParent"] = key
                    self.objects.emit(number, link)
                    result.append(number)
            elif isinstance(raw, IndirectObject):
                widget = self.form.widget(reader, raw.idnum, position)
                if widget is False:
                    if first_use:
                        self._clean(reader, raw.idnum, annot, position)
                        result.append(raw)
                elif widget is not None:
                    result.append(widget)
        return result

    def _clean(self, reader: PdfReader, idnum: int, annot: dict, position: int) -> None:
        """Have an annotation copied without its unsafe or broken actions (:mod:`.actions`),
        with its ``/StructParent`` renumbered for the pack's structure (or removed)."""
        changes, _problems = clean_entries(annot)
        if dict.get(annot, "/Subtype") == "/Popup":  # shown with its parent: never tagged
            key = None
        else:
            key = self._struct_parent(reader, idnum, position, None)
        if key is not None or dict.get(annot, "/StructParent") is not None:
            changes["/StructParent"] = key
        if changes:
            self.objects.overrides[(id(reader), idnum)] = changes

    def _struct_parent(
        self, reader: PdfReader, idnum: int, position: int, number: Ref | None
    ) -> int | None:
        """The annotation's ``/StructParent`` in the pack (:mod:`.structure`), or None."""
        if self.structure is None:
            return None
        return self.structure.annotation_key(reader, idnum, position, number)

    def _link(self, reader: PdfReader, annot: dict, position: int) -> dict[str, Any] | None:
        """The link rewritten for the pack, or None to drop it."""
        entries = {k: v for k, v in dict.items(annot) if k not in _LINK_SKIP}
        entries["/P"] = self.page_map.numbers[position]
        changes, _problems = clean_entries(annot)
        if "/AA" in changes:
            entries["/AA"] = changes["/AA"]
        raw_action = changes.get("/A", dict.get(annot, "/A"))
        action = resolve(raw_action)
        dest = resolve(dict.get(annot, "/Dest"))
        if dest is None and "/A" in changes and action is None:
            return None  # a link that only ran JavaScript, started a program, ...
        via_action = False
        if dest is None and isinstance(action, dict):
            kind = dict.get(action, "/S")
            if kind == "/URI":
                return self._uri_link(entries, raw_action, action)
            if kind != "/GoTo":
                entries["/A"] = raw_action
                return entries
            dest = resolve(dict.get(action, "/D"))
            via_action = True
        if dest is None:
            return entries
        explicit = self._explicit(reader, dest)
        if explicit is None:
            return None
        target = self.page_map.source_position(reader, explicit[0], position)
        if target is None:
            return None
        new_dest = [self.page_map.numbers[target], *explicit[1:]]
        if via_action:
            new_action = {k: v for k, v in dict.items(action) if k not in ("/D", "/Next")}
            new_action["/D"] = new_dest
            entries["/A"] = new_action
        else:
            entries["/Dest"] = new_dest
        return entries

    def _uri_link(self, entries: dict[str, Any], raw_action: Any, action: dict) -> dict | None:
        """A URI link: an agenda placeholder goes to its item's page (dropped if none)."""
        uri = resolve(dict.get(action, "/URI"))
        if isinstance(uri, bytes):
            uri = uri.decode("latin-1")
        if isinstance(uri, str) and uri.startswith(LINK_PREFIX):
            number = unquote(uri[len(LINK_PREFIX) :]).strip().strip("/")
            target = self.link_targets.get(number)
            if target is None:
                return None
            entries["/Dest"] = self.page_map.dest(target)
            entries["/Contents"] = f"Go to item {number}, page {self.page_label(target)}"
            return entries
        entries["/A"] = raw_action
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
