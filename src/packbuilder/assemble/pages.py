"""Copying the pack's pages: each source page with its stamp, and the blank pages.

A copied page keeps the entries the allow-list keeps (boxes, rotation, ...:
:mod:`.allowlist`) but its content becomes a form XObject (its content
streams, with the resources the content uses and its MediaBox as the form's
box) and its own ``/Contents`` one small stream that
paints that form and then the stamp. Painting a form saves and restores the
graphics state and its content is parsed on its own, so neither a graphics
state left changed (even ``q`` left open) nor damaged syntax (a string left
unterminated) can reach the stamp. The page's new resources hold only the form
and the shared stamp font, so the stamp font's name never clashes with the page's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pypdf import PdfReader
from pypdf.generic import EncodedStreamObject, NameObject, StreamObject

from .allowlist import page_entries
from .links import LinkWriter
from .marked import content_unmarked
from .marks import head_content, text_page_content
from .objects import ObjectWriter, Ref, Stream, flate, resolve
from .pagecontent import decode, page_content, used_resources
from .sources import PageMap, note
from .spec import PackPage
from .stamp import (
    A4,
    LETTER,
    PAGE_XOBJECT_NAME,
    STAMP_FONT_NAME,
    blank_content,
    box,
    stamp_content,
)
from .structure import MARKED_PAGES, StructureWriter

_STREAM_KEEP = ("/Filter", "/DecodeParms", "/DL")
"""The entries of a content stream that its form XObject keeps (how its data is encoded)."""


class PageCopier:
    """Writes the page objects of the pack, one position at a time."""

    def __init__(
        self,
        objects: ObjectWriter,
        page_map: PageMap,
        links: LinkWriter,
        *,
        parent: Ref,
        font: Ref,
        stamp_text: Callable[[int], str],
        blank_text: str,
        structure: StructureWriter,
    ):
        self.objects = objects
        self.structure = structure
        self.page_map = page_map
        self.links = links
        self.parent = parent
        self.font = font
        self.stamp_text = stamp_text
        self.blank_text = blank_text
        # Per source page (id of its reader, its object number): its form XObject, if any;
        # a tagged page has one per position (each has its own /StructParents).
        self.forms: dict[tuple[int, ...], Ref | None] = {}
        self.copied: set[tuple[int, int]] = set()  # source pages copied once already
        self.stamp_resources: Ref | None = None  # resources of pages drawing only a stamp
        self.blank: Ref | None = None  # the blank pages' content

    def copy(self, position: int, page: PackPage) -> None:
        """Write the page object of pack page ``position`` and its stamp."""
        if page.reader is None:
            self._blank_page(position, page)
            return
        reader = page.reader
        src = reader.pages[page.index]
        key = self.page_map.page_id(page)
        first_use = key not in self.copied
        self.copied.add(key)
        tagged = self.structure.tagged(position)
        form_key = (*key, position) if tagged else key

        self.objects.source = reader
        entries: dict[str, Any] = {"/Type": NameObject("/Page"), "/Parent": Ref(self.parent)}
        entries.update(page_entries(src)[0])  # the allow-list (what is left out is warned of)
        # A tagged page's marked content is drawn by its form, which has the /StructParents.
        entries.pop("/StructParents", None)
        media = dict.get(src, "/MediaBox")
        if box(media) is None:
            media = entries["/MediaBox"] = list(LETTER)
            if first_use:
                note(reader, f"page {page.index + 1} has no usable MediaBox; it is US Letter size")
        if form_key not in self.forms:
            self.forms[form_key] = self._form(reader, src, page.index, media, position)
        form = self.forms[form_key]
        if form is None:
            entries["/Resources"] = self._stamp_resources()
        else:
            entries["/Resources"] = {
                "/Font": {STAMP_FONT_NAME: Ref(self.font)},
                "/XObject": {PAGE_XOBJECT_NAME: Ref(form)},
            }
        stamp = self.objects.allocate()
        entries["/Contents"] = Ref(stamp)

        annots = self.links.annotations(reader, src, position, first_use, page.keep_markup)
        if annots:
            entries["/Annots"] = annots
            entries["/Tabs"] = NameObject("/S")  # tab order: the structure's

        self.objects.emit(self.page_map.numbers[position], entries)
        self._stamp(
            stamp, position, form is not None, page.head, self.structure.fully_marked(position)
        )

    def _form(
        self, reader: PdfReader, src: dict, index: int, media: Any, position: int
    ) -> Ref | None:
        """Write the form XObject of a source page's content; None if it has no content.

        The form of a page of a tagged source has its own ``/StructParents``, and its
        content is checked to be all marked (:mod:`.marked`, :mod:`.structure`)."""
        streams = self._content_streams(reader, src, index)
        if not streams:
            return None
        content = page_content(reader, streams, index, full=False)
        if content.problem:
            note(reader, content.problem)
        entries: dict[str, Any] = {
            "/Type": NameObject("/XObject"),
            "/Subtype": NameObject("/Form"),
            "/BBox": media,
            "/Resources": used_resources(dict.get(src, "/Resources"), content.names),
        }
        if len(streams) == 1 and isinstance(streams[0], EncodedStreamObject):
            stream = streams[0]  # copied as it is, still encoded
            entries.update((k, v) for k, v in dict.items(stream) if k in _STREAM_KEEP)
            form = Stream(entries, stream._data)
        else:
            decoded = (self._decoded(reader, s, index) for s in streams)
            form = flate(b"\n".join(d for d in decoded if d is not None))
            form.entries.update(entries)
        damage = content.damage
        if damage:
            note(
                reader,
                f"the content of page {index + 1} is damaged (it ends inside {damage}); "
                "part of the page may not show",
            )
        number = self.objects.allocate()
        key = self.structure.form_key(position, number)
        if key is not None:
            form.entries["/StructParents"] = key
            self._check_marked(reader, src, streams, None, index, position)
        self.objects.emit(number, form)
        return number

    def _check_marked(
        self,
        reader: PdfReader,
        src: dict,
        streams: list[StreamObject],
        data: bytes | None,
        index: int,
        position: int,
    ) -> None:
        """Count (once per source page) the tagged page's text and paints outside marked content."""
        page_id = self.page_map.page_ids[id(reader)][index]
        known = MARKED_PAGES.get(reader).get(page_id, -1)
        if known != -1:
            count = known
        else:
            if data is None:
                decoded = (self._decoded(reader, s, index) for s in streams)
                data = b"\n".join(d for d in decoded if d is not None)
            count = content_unmarked(data, dict.get(src, "/Resources"))
        self.structure.content_checked(position, reader, page_id, count)

    @staticmethod
    def _content_streams(reader: PdfReader, src: dict, index: int) -> list[StreamObject]:
        """The page's content streams; what is not a stream (or missing) is left out, noted."""
        raw = resolve(dict.get(src, "/Contents"))
        if raw is None:
            return []
        items = list(raw) if isinstance(raw, list) else [raw]
        streams = [s for s in (resolve(item) for item in items) if isinstance(s, StreamObject)]
        left_out = len(items) - len(streams)
        if left_out:
            what = "entry" if left_out == 1 else "entries"
            note(
                reader,
                f"page {index + 1}: {left_out} {what} of its /Contents missing or not a content "
                "stream, left out",
            )
        return streams

    @staticmethod
    def _decoded(reader: PdfReader, stream: StreamObject, index: int) -> bytes | None:
        """The decoded data of a content stream (within the paper's limits); None (noted)
        when it cannot be decoded."""
        data, problem = decode(reader, stream, f"the content of page {index + 1}")
        if problem:
            note(reader, problem)
        return data

    def _stamp_resources(self) -> Ref:
        """The shared resources of pages that draw nothing but a stamp (or the blank text)."""
        if self.stamp_resources is None:
            self.stamp_resources = self.objects.allocate()
            self.objects.emit(self.stamp_resources, {"/Font": {STAMP_FONT_NAME: Ref(self.font)}})
        return self.stamp_resources

    def _blank_page(self, position: int, page: PackPage) -> None:
        """A generated page: blank (one shared content stream), or with text of its own."""
        objects = self.objects
        resources = self._stamp_resources()
        key = self.structure.generated_key(position) if page.blocks else None
        if page.blocks:
            content = objects.allocate()
            objects.emit(content, flate(text_page_content(page.blocks, tagged=key is not None)))
        else:
            if self.blank is None:
                self.blank = objects.allocate()
                objects.emit(self.blank, flate(blank_content(self.blank_text)))
            content = self.blank
        stamp = objects.allocate()
        objects.emit(
            self.page_map.numbers[position],
            {
                "/Type": NameObject("/Page"),
                "/Parent": Ref(self.parent),
                "/MediaBox": [0, 0, A4[0], A4[1]],
                "/Resources": resources,
                "/Contents": [content, stamp],
                **({"/StructParents": key} if key is not None else {}),
            },
        )
        self._stamp(stamp, position, False, page.head)

    def _stamp(
        self,
        number: Ref,
        position: int,
        page_xobject: bool,
        head: str | None = None,
        tagged: bool = False,
    ) -> None:
        """The page's stamp stream: its content (as a form), ``Page N`` and the ``head`` mark
        (both artifacts; the content wrapped as marked when ``tagged``)."""
        text = self.stamp_text(position)
        geometry = self.page_map.geometry[position]
        data = stamp_content(text, geometry, page_xobject, tagged)
        if head:
            data += head_content(head, geometry)
        self.objects.emit(number, flate(data))
