"""Copying the pack's pages: each source page with its stamp, and the blank pages.

A copied page keeps its own entries (boxes, rotation, ...) but gets new
``/Contents``: a shared ``q`` stream, its own content streams, and its stamp
stream, which starts with ``Q`` so the page's graphics state cannot leak into
the stamp. Its resources get the shared stamp font under a name they do not
use; resource and font dictionaries shared by several pages are copied once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject, StreamObject

from .actions import clean_entries
from .links import LinkWriter
from .objects import ObjectWriter, Ref, flate, resolve
from .sources import PageMap
from .spec import PackPage
from .stamp import A4, LETTER, STAMP_FONT_NAME, blank_content, box, stamp_content, stamp_font_name

_PAGE_SKIP = frozenset(
    {"/Type", "/Parent", "/Contents", "/Resources", "/Annots", "/B", "/StructParents"}
)

_Cache = dict[tuple[int, int], tuple[int, str]]


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
        q_stream: Ref,
        stamp_text: Callable[[int], str],
        blank_text: str,
    ):
        self.objects = objects
        self.page_map = page_map
        self.links = links
        self.parent = parent
        self.font = font
        self.q_stream = q_stream
        self.stamp_text = stamp_text
        self.blank_text = blank_text
        self.resources: _Cache = {}
        self.font_dicts: _Cache = {}
        self.used_pages: set[tuple[int, int]] = set()
        self.blank: tuple[Ref, Ref] | None = None  # the blank pages' resources and content

    def copy(self, position: int, page: PackPage) -> None:
        """Write the page object of pack page ``position`` and its stamp."""
        if page.reader is None:
            self._blank_page(position)
            return
        reader = page.reader
        src = reader.pages[page.index]
        key = self.page_map.page_id(page)
        first_use = key not in self.used_pages
        self.used_pages.add(key)

        entries: dict[str, Any] = {"/Type": NameObject("/Page"), "/Parent": Ref(self.parent)}
        for name, value in dict.items(src):
            if name not in _PAGE_SKIP:
                entries[name] = value
        entries.update(clean_entries(src)[0])  # the page's /AA without JavaScript, Launch...
        entries = {k: v for k, v in entries.items() if v is not None}
        if box(dict.get(src, "/MediaBox")) is None:
            entries["/MediaBox"] = list(LETTER)
        resources, font_name = self._resources(reader, dict.get(src, "/Resources"))
        entries["/Resources"] = resources

        contents: list[Any] = [self.q_stream]
        raw = dict.get(src, "/Contents")
        resolved = resolve(raw)
        if isinstance(resolved, StreamObject):
            contents.append(raw if isinstance(raw, IndirectObject) else resolved)
        elif isinstance(resolved, list):
            contents.extend(x for x in resolved if isinstance(x, IndirectObject))
        stamp = self.objects.allocate()
        contents.append(stamp)
        entries["/Contents"] = contents

        annots = self.links.annotations(reader, src, position, first_use)
        if annots:
            entries["/Annots"] = annots

        self.objects.emit(self.page_map.numbers[position], entries)
        self._stamp(stamp, position, font_name)

    def _blank_page(self, position: int) -> None:
        objects = self.objects
        if self.blank is None:
            resources = objects.allocate()
            objects.emit(resources, {"/Font": {STAMP_FONT_NAME: self.font}})
            content = objects.allocate()
            objects.emit(content, flate(blank_content(self.blank_text)))
            self.blank = (resources, content)
        resources, content = self.blank
        stamp = objects.allocate()
        objects.emit(
            self.page_map.numbers[position],
            {
                "/Type": NameObject("/Page"),
                "/Parent": Ref(self.parent),
                "/MediaBox": [0, 0, A4[0], A4[1]],
                "/Resources": resources,
                "/Contents": [self.q_stream, content, stamp],
            },
        )
        self._stamp(stamp, position, STAMP_FONT_NAME)

    def _stamp(self, number: Ref, position: int, font_name: str) -> None:
        text = self.stamp_text(position)
        geometry = self.page_map.geometry[position]
        self.objects.emit(number, flate(stamp_content(text, geometry, font_name)))

    def _resources(self, reader: PdfReader, raw: Any) -> tuple[Any, str]:
        """The page's resources with the stamp font added, and the font's name there."""

        def make() -> tuple[dict[str, Any], str]:
            resolved = resolve(raw)
            if not isinstance(resolved, dict):
                resolved = {}
            fonts, font_name = self._fonts(reader, dict.get(resolved, "/Font"))
            entries = {k: v for k, v in dict.items(resolved) if k != "/Font"}
            entries["/Font"] = fonts
            return entries, font_name

        return self._shared(self.resources, reader, raw, make)

    def _fonts(self, reader: PdfReader, raw: Any) -> tuple[Any, str]:
        """The page's font resources with the stamp font added, and its name there."""

        def make() -> tuple[dict[str, Any], str]:
            fonts = resolve(raw)
            if not isinstance(fonts, dict):
                fonts = {}
            font_name = stamp_font_name(fonts)
            entries = dict(dict.items(fonts))
            entries[font_name] = self.font
            return entries, font_name

        return self._shared(self.font_dicts, reader, raw, make)

    def _shared(
        self,
        cache: _Cache,
        reader: PdfReader,
        raw: Any,
        make: Callable[[], tuple[dict[str, Any], str]],
    ) -> tuple[Any, str]:
        """``make()`` of a dictionary ``raw``: direct if it is, else copied once and shared.

        The copy replaces the source object, so other references to it get the stamp font too.
        """
        key = (id(reader), raw.idnum) if isinstance(raw, IndirectObject) else None
        if key is not None and key in cache:
            number, font_name = cache[key]
            return Ref(number), font_name
        entries, font_name = make()
        if key is None:
            return entries, font_name
        number = self.objects.allocate()
        cache[key] = (number, font_name)
        self.objects.substitute(key, number, first=True)
        self.objects.emit(number, entries)
        return number, font_name
