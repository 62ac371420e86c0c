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

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from ..inputs.pdfread import READ_ERRORS
from ..model.meeting import LINK_PREFIX
from .actions import clean_entries
from .forms import MergedForm
from .objects import ObjectWriter, resolve
from .sources import PageMap, PerReader

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
    ):
        self.objects = objects
        self.page_map = page_map
        self.link_targets = link_targets
        self.form = form or MergedForm()
        self.named = NAMED_DESTINATIONS

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
            if subtype == "/Link":
                link = self._link(reader, annot, position)
                if link is not None:
                    number = self.objects.allocate()
                    self.objects.emit(number, link)
                    result.append(number)
            elif isinstance(raw, IndirectObject):
                widget = self.form.widget(reader, raw.idnum, position)
                if widget is False:
                    if first_use:
                        self._clean(reader, raw.idnum, annot)
                        result.append(raw)
                elif widget is not None:
                    result.append(widget)
        return result

    def _clean(self, reader: PdfReader, idnum: int, annot: dict) -> None:
        """Have an annotation copied without its unsafe or broken actions (:mod:`.actions`)."""
        changes, _problems = clean_entries(annot)
        if changes:
            self.objects.overrides[(id(reader), idnum)] = changes

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
