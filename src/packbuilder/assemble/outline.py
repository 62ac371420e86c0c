"""The pack's outline: one entry per :class:`Bookmark`, with the papers' own outlines nested.

An imported entry's destination is remapped to the pack page its source page
became; an entry whose page is not in the pack is dropped and its children
move up a level.
"""

from __future__ import annotations

from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject, TextStringObject

from ..inputs.pdfread import READ_ERRORS
from .objects import ObjectWriter, Ref
from .sources import PageMap, PerReader
from .spec import Bookmark

_MAX_DEPTH = 50
"""Deeper levels of a paper's own outline are not imported."""


class _Node:
    """An outline entry being built."""

    __slots__ = ("title", "dest", "children", "open", "extra")

    def __init__(self, title: str, dest: list[Any] | None, open_: bool, extra=None):
        self.title = title
        self.dest = dest
        self.children: list[_Node] = []
        self.open = open_
        self.extra: dict[str, Any] = extra or {}


OUTLINES = PerReader(lambda reader: list(reader.outline), list, "its own bookmarks are unreadable")
"""Each paper's own outline, parsed once for the pack and all its extracts."""


class OutlineWriter:
    """Writes the outline of the pack from its bookmarks."""

    def __init__(self, objects: ObjectWriter, page_map: PageMap):
        self.objects = objects
        self.page_map = page_map
        self.outlines = OUTLINES

    def write(self, bookmarks: list[Bookmark]) -> Ref | None:
        """Write the outline; return its root, or None when there are no bookmarks."""
        nodes = [self._bookmark_node(mark) for mark in bookmarks]
        if not nodes:
            return None
        root = self.objects.allocate()
        visible = self._number(nodes, root)
        first, last = nodes[0].extra["number"], nodes[-1].extra["number"]
        self.objects.emit(
            root,
            {"/Type": NameObject("/Outlines"), "/First": first, "/Last": last, "/Count": visible},
        )
        return root

    def _bookmark_node(self, mark: Bookmark) -> _Node:
        node = _Node(mark.title, self.page_map.dest(mark.page), True)
        for reader, mapping in mark.imported:
            node.children.extend(self._convert(reader, self.outlines.get(reader), mapping, 0))
        node.children.extend(self._bookmark_node(child) for child in mark.children)
        return node

    def _convert(
        self, reader: PdfReader, items: list[Any], mapping: dict[int, int], depth: int
    ) -> list[_Node]:
        """pypdf's outline ``items`` as nodes pointing at pack pages."""
        nodes: list[_Node] = []
        if depth > _MAX_DEPTH:
            return nodes
        for item in items:
            if isinstance(item, list):
                children = self._convert(reader, item, mapping, depth + 1)
                if nodes:
                    nodes[-1].children.extend(children)
                else:
                    nodes.extend(children)
            else:
                node = self._imported_node(reader, item, mapping)
                if node is not None:
                    nodes.append(node)
        # Replace dropped placeholders by their children.
        result: list[_Node] = []
        for node in nodes:
            if node.extra.get("dropped"):
                result.extend(node.children)
            else:
                result.append(node)
        return result

    def _imported_node(self, reader: PdfReader, item: Any, mapping: dict[int, int]):
        """One entry of a paper's outline; a placeholder when its page is not in the pack."""
        try:
            array = list(item.dest_array)
            title = str(item.title or "")
        except READ_ERRORS:
            return None
        page = array[0] if array else None
        if isinstance(page, IndirectObject):
            index = self.page_map.source_index(reader, page.idnum)
        elif isinstance(page, int) and not isinstance(page, bool):
            index = page
        else:
            index = None
        target = mapping.get(index) if index is not None else None
        if target is None:
            # Unmapped: dropped, but its children (the next list) move up.
            return _Node("", None, False, {"dropped": True})
        extra = {}
        for key in ("/C", "/F"):
            value = dict.get(item, key)
            if value is not None:
                extra[key] = value
        dest = [self.page_map.numbers[target], *array[1:]]
        return _Node(title, dest, False, {"entries": extra})

    def _number(self, nodes: list[_Node], parent: int) -> int:
        """Give the nodes numbers, write them and return how many are visible under the parent."""
        for node in nodes:
            node.extra["number"] = self.objects.allocate()
        visible = 0
        for n, node in enumerate(nodes):
            number = node.extra["number"]
            entries: dict[str, Any] = {"/Title": TextStringObject(node.title), "/Parent": parent}
            if n:
                entries["/Prev"] = nodes[n - 1].extra["number"]
            if n + 1 < len(nodes):
                entries["/Next"] = nodes[n + 1].extra["number"]
            if node.children:
                below = self._number(node.children, number)
                entries["/First"] = node.children[0].extra["number"]
                entries["/Last"] = node.children[-1].extra["number"]
                entries["/Count"] = below if node.open else -below
                visible += below if node.open else 0
            if node.dest is not None:
                entries["/Dest"] = node.dest
            entries.update(node.extra.get("entries", {}))
            self.objects.emit(number, entries)
            visible += 1
        return visible
