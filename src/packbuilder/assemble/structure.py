"""The pack's structure tree: the tagged papers' trees merged into one.

Every tagged source (a paper, the front sheet, a cover report: anything with a
``/StructTreeRoot``) keeps its structure in the pack. The pack's tree is one
``Document`` element whose kids are one ``Part`` per top-level
:class:`~.spec.Section` (the front sheet, each agenda item), each holding a
``Sect`` per document (a paper, an appendix) with the document's own elements.

For each *use* of a tagged source (a run of its pages in the pack, see
:func:`uses`):

* its elements are copied with ``/P`` pointing at their new parent and ``/Pg``
  at the pack page; elements with no content on the pages in the pack (pages
  left out by ``pages:``, or by an extract's range) are pruned, and so are their
  marked-content references;
* each page's content is drawn in the pack through a form XObject (:mod:`.pages`),
  so every marked-content id (MCID) becomes a marked-content reference with
  ``/Stm`` naming that form, and the form gets the ``/StructParents`` key of its
  entry in the pack's ``/ParentTree``, rebuilt from the copied elements: one
  entry per key, every MCID resolving to its element;
* annotations in the structure (links, form fields) get new ``/StructParent``
  keys (:meth:`StructureWriter.annotation_key`) and their ``OBJR`` the new
  annotation; source form XObjects holding marked content (an MCR's ``/Stm``) get new
  ``/StructParents`` keys;
* ``/RoleMap`` and ``/ClassMap`` are merged: a name that two sources map
  differently is renamed in the later one (``/Standard`` -> ``/Standard_2``), and
  identity mappings of standard types (which checkers report as circular) are dropped;
* element ``/ID`` s are merged into the pack's ``/IDTree``; an ID met twice
  is renamed (``-2``) together with the table headers (``/Headers``) that name it.

An untagged source has no structure: its pages' content is in the pack as it
is, and :attr:`StructureWriter.fully_tagged` is False, so the pack does not claim
PDF/UA (:mod:`.xmp`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NameObject

from ..inputs.pdfread import READ_ERRORS
from .objects import ObjectWriter, Raw, Ref, name, resolve
from .sources import PageMap, PerReader, note
from .spec import PackPage, Section, TextBlock

MAX_DEPTH = 200
"""Elements nested deeper are not copied (a damaged or looping tree)."""
MAX_ELEMENTS = 500_000
"""A source with more elements than this is treated as untagged (a damaged tree)."""

STANDARD_TYPES = frozenset(
    [
        "/Document",
        "/Part",
        "/Art",
        "/Sect",
        "/Div",
        "/BlockQuote",
        "/Caption",
        "/TOC",
        "/TOCI",
        "/Index",
        "/NonStruct",
        "/Private",
        "/P",
        "/H",
        "/H1",
        "/H2",
        "/H3",
        "/H4",
        "/H5",
        "/H6",
        "/L",
        "/LI",
        "/Lbl",
        "/LBody",
        "/Table",
        "/TR",
        "/TH",
        "/TD",
        "/THead",
        "/TBody",
        "/TFoot",
        "/Span",
        "/Quote",
        "/Note",
        "/Reference",
        "/BibEntry",
        "/Code",
        "/Link",
        "/Annot",
        "/Ruby",
        "/RB",
        "/RT",
        "/RP",
        "/Warichu",
        "/WT",
        "/WP",
        "/Figure",
        "/Formula",
        "/Form",
    ]
)
"""PDF 1.7's standard structure types."""
_ELEMENT_SKIP = frozenset({"/Type", "/S", "/P", "/K", "/Pg", "/ID", "/C", "/A"})


@dataclass
class Content:
    """A content item of an element: a marked-content sequence or an object (``OBJR``)."""

    position: int
    mcid: int | None = None
    stm: IndirectObject | None = None
    """The source form XObject holding the sequence (an MCR's ``/Stm``); None: the page."""
    obj: IndirectObject | None = None
    """An ``OBJR``'s object (an annotation, an XObject)."""


@dataclass
class Element:
    """A source structure element kept in the pack, with its kept kids."""

    source: dict
    role: str
    position: int | None
    kids: list[Element | Content] = field(default_factory=list)
    has_content: bool = False


@dataclass
class Use:
    """A run of pack pages from one tagged source: where its pages went, what is kept."""

    reader: PdfReader
    positions: dict[int, int]
    """Source page object number -> pack position."""
    whole: bool
    elements: list[Element] = field(default_factory=list)
    lang: Any = None
    ids: dict[bytes, bytes] = field(default_factory=dict)
    """An element ID renamed in this use -> its new ID."""

    @property
    def first(self) -> int:
        return min(self.positions.values())


@dataclass
class SourceTree:
    """A tagged source's tree root and its names' renames in the pack."""

    root: dict
    roles: dict[str, str]
    """Source role name -> the name written in the pack (renamed on a clash)."""
    classes: dict[str, str]


def _tree_root(reader: PdfReader) -> dict | None:
    root = resolve(dict.get(reader.trailer, "/Root"))
    tree = resolve(dict.get(root, "/StructTreeRoot")) if isinstance(root, dict) else None
    if not isinstance(tree, dict) or dict.get(tree, "/K") is None:
        return None
    return tree


TREE_ROOTS = PerReader(_tree_root, lambda: None, "its structure tree is unreadable")
"""Each source's ``/StructTreeRoot`` (None: untagged), read once."""


def is_tagged(reader: PdfReader) -> bool:
    """Whether a source PDF is tagged: it has a structure tree with elements."""
    return TREE_ROOTS.get(reader) is not None


MARKED_PAGES: PerReader[dict[int, int | None]] = PerReader(lambda _reader: {}, dict, "")
"""Per source: page object number -> how many of its text operators and paints are
unmarked (:mod:`.marked`), counted once for the pack and all its extracts."""


def uses(pages: list[PackPage], page_map: PageMap) -> list[tuple[PdfReader, list[int]]]:
    """The runs of pack positions from one source, in pack order: a run ends at a page of
    another source or a blank page, and where one of its source pages comes again."""
    runs: list[tuple[PdfReader, list[int]]] = []
    seen: set[int] = set()
    for position, page in enumerate(pages):
        reader = page.reader
        if reader is None:
            continue
        _rid, page_id = page_map.page_id(page)
        if not runs or runs[-1][0] is not reader or page_id in seen or page_gap(runs, position):
            runs.append((reader, []))
            seen = set()
        seen.add(page_id)
        runs[-1][1].append(position)
    return runs


def page_gap(runs: list[tuple[PdfReader, list[int]]], position: int) -> bool:
    """Whether ``position`` does not follow the last run's last position."""
    return runs[-1][1][-1] != position - 1


class StructureWriter:
    """Merges the sources' structure trees into the pack's; see the module docstring."""

    def __init__(
        self,
        objects: ObjectWriter,
        page_map: PageMap,
        pages: list[PackPage],
        sections: list[Section],
    ):
        self.objects = objects
        self.page_map = page_map
        self.pages = pages
        self.sections = sections
        self.trees: dict[int, SourceTree] = {}
        self.uses: list[Use] = []
        self.role_map: dict[str, str] = {}
        self.class_map: dict[str, Any] = {}
        self._class_keys: dict[str, Any] = {}
        self.position_use: dict[int, Use] = {}
        self.form_keys: dict[int, int] = {}
        self.forms: dict[int, Ref] = {}
        self.stm_keys: dict[tuple[int, int], int] = {}
        self.stm_owners: dict[tuple[int, int], int] = {}  # source form -> the use it marks
        self.objrs: set[tuple[int, int, int]] = set()
        self.annotations: dict[tuple[int, int, int], tuple[int, Ref | None]] = {}
        self.next_key = 0
        self.unmarked_positions: set[int] = set()
        self.untagged_annotations = 0
        self.generated: dict[int, int] = {}  # a generated text page's position -> its key

    # --- before the pages are written -------------------------------------------------

    def prepare(self) -> None:
        """Read the tagged sources' trees, decide what is kept, give the pages' forms keys."""
        for reader, positions in uses(self.pages, self.page_map):
            tree = self._source_tree(reader)
            if tree is None:
                continue
            use = self._use(reader, positions)
            try:
                self._collect(use, tree)
            except READ_ERRORS as exc:
                note(reader, f"its structure tree is damaged and was left out ({exc})")
                use.elements = []
                continue
            self.uses.append(use)
            for position in positions:
                self.position_use[position] = use
        self._give_stm_keys()

    def _use(self, reader: PdfReader, positions: list[int]) -> Use:
        ids = self.page_map.page_ids[id(reader)]
        mapping = {ids[self.pages[p].index]: p for p in positions}
        return Use(reader, mapping, whole=len(set(mapping)) == len(set(ids)))

    def _key(self) -> int:
        key = self.next_key
        self.next_key += 1
        return key

    def _source_tree(self, reader: PdfReader) -> SourceTree | None:
        """The source's tree with its role and class names merged into the pack's."""
        if id(reader) in self.trees:
            return self.trees[id(reader)]
        root = TREE_ROOTS.get(reader)
        if root is None:
            return None
        try:
            role_map = _name_map(dict.get(root, "/RoleMap"))
            class_map = resolve(dict.get(root, "/ClassMap"))
            tree = SourceTree(
                root,
                self._merge_roles(role_map),
                self._merge_classes(class_map if isinstance(class_map, dict) else {}),
            )
        except READ_ERRORS as exc:
            note(reader, f"its structure tree's role map is damaged; left out ({exc})")
            return None
        self.trees[id(reader)] = tree
        return tree

    def _merge_roles(self, source: dict[str, str]) -> dict[str, str]:
        """Add a source's role map to the pack's; return its renames."""
        renames: dict[str, str] = {}
        for key, value in source.items():
            if key == value:
                continue  # a standard type mapped to itself: redundant, and reported as circular
            if self.role_map.get(key, value) != value:
                renames[key] = _unique(key, self.role_map)
            else:
                renames[key] = key
        for key, new in renames.items():
            target = source[key]
            self.role_map[new] = renames.get(target, target)
        return renames

    def _merge_classes(self, source: dict) -> dict[str, str]:
        """Add a source's class map to the pack's; return its renames."""
        renames: dict[str, str] = {}
        for key, value in dict.items(source):
            canonical = _canonical(value)
            name = str(key)
            if name in self.class_map and self._class_keys[name] != canonical:
                name = _unique(name, self.class_map)
            if name not in self.class_map:
                self.class_map[name] = value
                self._class_keys[name] = canonical
            renames[str(key)] = name
        return renames

    def _collect(self, use: Use, tree: SourceTree) -> None:
        """Walk the source's tree: the use's kept elements, OBJRs and form keys needed."""
        kids = _kids(tree.root)
        budget = [MAX_ELEMENTS]
        seen: set[int] = set()
        top: list[Element] = []
        for raw in kids:
            found = self._element(raw, use, tree, None, 0, seen, budget)
            if found is not None:
                top.append(found)
        top = [e for e in top if e.has_content or self._placed(e, use)]
        if len(top) == 1 and self.standard_role(top[0].role) == "/Document":
            document = top[0]
            use.lang = dict.get(document.source, "/Lang")
            top = [k for k in document.kids if isinstance(k, Element)]
        use.elements = top
        self._note_content(use)

    def standard_role(self, role: str) -> str:
        """The standard type a role name stands for through the pack's role map."""
        seen: set[str] = set()
        while role not in STANDARD_TYPES and role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role

    def _placed(self, element: Element, use: Use) -> bool:
        """A contentless element is kept on a kept page, or with a whole source."""
        return element.position is not None or (use.whole and "/Pg" not in element.source)

    def _element(
        self,
        raw: Any,
        use: Use,
        tree: SourceTree,
        inherited: int | None,
        depth: int,
        seen: set[int],
        budget: list[int],
    ) -> Element | None:
        """The element ``raw`` with its kids kept in the pack, or None when none is."""
        if isinstance(raw, IndirectObject):
            if raw.idnum in seen:
                return None
            seen.add(raw.idnum)
        node = resolve(raw)
        budget[0] -= 1
        if not isinstance(node, dict) or depth > MAX_DEPTH or budget[0] < 0:
            return None
        role = str(dict.get(node, "/S") or "/NonStruct")
        page = _position(use, dict.get(node, "/Pg"))
        here = page if "/Pg" in node else inherited
        element = Element(node, tree.roles.get(role, role), page)
        for kid_raw in _kids(node):
            kid = resolve(kid_raw)
            if isinstance(kid, dict) and dict.get(kid, "/Type") not in ("/MCR", "/OBJR"):
                child = self._element(kid_raw, use, tree, here, depth + 1, seen, budget)
                if child is None:
                    continue
                if child.has_content:
                    element.kids.append(child)
                    element.has_content = True
                elif self._placed(child, use):
                    element.kids.append(child)
                continue
            content = _content(kid, kid_raw, use, here)
            if content is not None:
                element.kids.append(content)
                element.has_content = True
        if element.has_content and element.position is None:
            element.position = _first_position(element)
        return element

    def _note_content(self, use: Use) -> None:
        """Record the OBJRs kept and the source forms whose MCIDs are kept.

        A source form XObject holding marked content has one ``/StructParents`` key, so
        its MCIDs can resolve to one use's elements only: a later use of the same form
        (the same paper twice in the pack) loses those references, and its pages are
        not counted as fully tagged.
        """
        rid = id(use.reader)
        for element in _walk(use.elements):
            kept: list[Element | Content] = []
            for item in element.kids:
                if isinstance(item, Content) and item.obj is not None:
                    self.objrs.add((rid, item.obj.idnum, item.position))
                elif isinstance(item, Content) and item.stm is not None:
                    owner = self.stm_owners.setdefault((rid, item.stm.idnum), id(use))
                    if owner != id(use):
                        self.unmarked_positions.add(item.position)
                        continue
                    self.stm_keys.setdefault((rid, item.stm.idnum), -1)
                kept.append(item)
            element.kids = kept

    def _give_stm_keys(self) -> None:
        """Keys for the source forms named by MCRs' ``/Stm``, set on them when copied."""
        for rid, idnum in sorted(self.stm_keys):
            key = self.stm_keys[(rid, idnum)] = self._key()
            self.objects.overrides.setdefault((rid, idnum), {})["/StructParents"] = key

    # --- while the pages are written ----------------------------------------------------

    def tagged(self, position: int) -> bool:
        """Whether pack page ``position`` shows a page of a tagged source."""
        return position in self.position_use

    def form_key(self, position: int, form: Ref) -> int | None:
        """The ``/StructParents`` of the form XObject ``form`` holding page ``position``'s content
        (None: untagged); the form is recorded for the marked-content references."""
        if position not in self.position_use:
            return None
        key = self.form_keys[position] = self._key()
        self.forms[position] = form
        return key

    def generated_key(self, position: int) -> int | None:
        """The ``/StructParents`` of generated text page ``position`` (a page in place of
        exempt papers), whose blocks are then marked content of elements of the pack's
        tree (:attr:`TextBlock.role`); None when the pack has no structure to put them in."""
        if not self.uses or not self.pages[position].blocks:
            return None
        key = self.generated[position] = self._key()
        return key

    def fully_marked(self, position: int) -> bool:
        """Whether page ``position`` is tagged and its content known to be all marked."""
        return position in self.position_use and position not in self.unmarked_positions

    def content_checked(self, position: int, reader: PdfReader, page_id: int, count: Any) -> None:
        """Record how many text operators and paints of a tagged page are unmarked
        (an int, or None when unknown; see :mod:`.marked`)."""
        MARKED_PAGES.get(reader)[page_id] = count
        if count != 0:
            self.unmarked_positions.add(position)

    def annotation_key(
        self, reader: PdfReader, idnum: int, position: int, number: Ref | None
    ) -> int | None:
        """The ``/StructParent`` of source annotation ``idnum`` written for ``position`` as
        ``number`` (None: the source object copied as it is), or None when it is in no kept
        element (an untagged annotation, counted against the PDF/UA claim)."""
        key = (id(reader), idnum, position)
        if key not in self.objrs:
            self.untagged_annotations += 1
            return None
        found = self.annotations.get(key)
        if found is None:
            found = self.annotations[key] = (self._key(), number)
        return found[0]

    # --- after the pages are written ----------------------------------------------------

    @property
    def fully_tagged(self) -> bool:
        """Whether every page's content is tagged or an artifact, and every annotation tagged."""
        if not self.uses or self.untagged_annotations:
            return False
        for position, page in enumerate(self.pages):
            if page.reader is not None and position not in self.position_use:
                return False
            if page.reader is None and page.blocks and position not in self.generated:
                return False  # a generated page's text not in the structure
        return not self.unmarked_positions

    def write(self, language: str) -> Ref | None:
        """Write the elements, the parent tree and the ``/StructTreeRoot``; None if untagged."""
        if not self.uses:
            return None
        objects = self.objects
        root, document = objects.allocate(), objects.allocate()
        parents = _ParentTree()
        ids: dict[bytes, Ref] = {}
        for use in self.uses:
            _rename_ids(use, ids)
        tops = self._groups()
        for group in tops:
            self._write_group(group, document, parents, ids)
        entries: dict[str, Any] = {
            "/Type": NameObject("/StructElem"),
            "/S": NameObject("/Document"),
            "/P": root,
            "/K": [group.number for group in tops],
        }
        if language:
            entries["/Lang"] = language
        objects.emit(document, entries)
        self._write_parent_tree(parents)
        objects.emit(root, self._root_entries(document, parents, ids))
        return root

    def _groups(self) -> list[Group]:
        """The Document's kids: a Part per section holding uses (a Sect per child section
        holding uses), and a Sect per use in no section; in pack order."""
        remaining = list(self.uses)
        pages = [GeneratedPage(p, self.pages[p].blocks) for p in sorted(self.generated)]
        tops: list[Group] = []
        for section in self.sections:
            inside = [u for u in remaining if section.start <= u.first < section.stop]
            remaining = [u for u in remaining if u not in inside]
            made = [g for g in pages if section.start <= g.position < section.stop]
            pages = [g for g in pages if g not in made]
            if not inside and not made:
                continue
            part = Group("/Part", section.title, inside, list(made))
            for child in section.children:
                inner = [u for u in inside if child.start <= u.first < child.stop]
                if inner:
                    part.kids.append(Group("/Sect", child.title, inner, _elements(inner)))
                    inside = [u for u in inside if u not in inner]
            part.kids.extend(_elements(inside))
            part.kids.sort(key=lambda kid: kid.first)
            tops.append(part)
        tops.extend(Group("/Sect", None, [use], _elements([use])) for use in remaining)
        tops.extend(Group("/Sect", None, [], [page]) for page in pages)
        tops.sort(key=lambda group: group.first)
        return tops

    def _write_group(self, group: Group, parent: Ref, parents: _ParentTree, ids: dict) -> None:
        """Write a Part or Sect element and everything below it."""
        group.number = self.objects.allocate()
        entries: dict[str, Any] = {
            "/Type": NameObject("/StructElem"),
            "/S": NameObject(group.role),
            "/P": parent,
            "/Pg": self.page_map.numbers[group.first],
        }
        if group.title:
            entries["/T"] = group.title
        langs = {str(use.lang) for use in group.uses if use.lang is not None}
        if len(langs) == 1 and len({str(u.lang) for u in group.uses}) == 1:
            entries["/Lang"] = group.uses[0].lang
        kids: list[Ref] = []
        for kid in group.kids:
            if isinstance(kid, Group):
                self._write_group(kid, group.number, parents, ids)
                kids.append(kid.number)
            elif isinstance(kid, GeneratedPage):
                kids.extend(self._write_generated(kid, group.number, parents))
            else:
                kids.append(self._write_element(kid.element, group.number, kid.use, parents, ids))
        entries["/K"] = kids
        self.objects.emit(group.number, entries)

    def _write_element(
        self, element: Element, parent: Ref, use: Use, parents: _ParentTree, ids: dict
    ) -> Ref:
        """Write a kept source element and, below it, its kept kids; return its number.

        Written as bytes (there are thousands): the entries packbuilder sets, then the
        source's others (title, language, alternative text...) serialised as usual."""
        objects = self.objects
        number = objects.allocate()
        out = [b"<</Type /StructElem/S ", name(element.role), b"/P %d 0 R" % parent]
        if element.position is not None:
            out.append(b"/Pg %d 0 R" % self.page_map.numbers[element.position])
        entries = {k: v for k, v in dict.items(element.source) if k not in _ELEMENT_SKIP}
        self._attributes(element, entries, use)
        element_id = _element_id(element)
        if element_id is not None:
            entries["/ID"] = new_id = use.ids.get(element_id, element_id)
            if ids.get(new_id) == 0:
                ids[new_id] = number
        for key, value in entries.items():
            out.append(name(key))
            out.append(b" ")
            objects.serialise(value, out)
        kids: list[bytes] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(b"%d 0 R" % self._write_element(kid, number, use, parents, ids))
            else:
                item = self._content_item(kid, element, number, parents)
                if isinstance(item, Raw):
                    kids.append(item)
                elif item is not None:
                    serialised: list[bytes] = []
                    objects.serialise(item, serialised)
                    kids.append(b"".join(serialised))
        if kids:
            out.append(b"/K [" + b" ".join(kids) + b"]")
        out.append(b">>")
        objects.emit_raw(number, b"".join(out))
        return number

    def _write_generated(self, page: GeneratedPage, parent: Ref, parents: _ParentTree) -> list[Ref]:
        """An element per block of a generated text page (a heading or a paragraph), each
        the marked content of its block (MCID = the block's place); return their numbers."""
        key = self.generated[page.position]
        numbers = []
        for mcid, block in enumerate(page.blocks):
            number = self.objects.allocate()
            self.objects.emit(
                number,
                {
                    "/Type": NameObject("/StructElem"),
                    "/S": NameObject(block.role),
                    "/P": parent,
                    "/Pg": self.page_map.numbers[page.position],
                    "/K": mcid,
                },
            )
            parents.add(key, mcid, number)
            numbers.append(number)
        return numbers

    def _attributes(self, element: Element, entries: dict[str, Any], use: Use) -> None:
        """The element's ``/A`` (with renamed header IDs) and ``/C`` (renamed classes)."""
        attributes = dict.get(element.source, "/A")
        if attributes is not None:
            entries["/A"] = _renamed_headers(attributes, use.ids) if use.ids else attributes
        classes = resolve(dict.get(element.source, "/C"))
        renames = self.trees[id(use.reader)].classes
        if isinstance(classes, list):
            entries["/C"] = [
                NameObject(renames.get(str(c), str(c))) if isinstance(c, NameObject) else c
                for c in classes
            ]
        elif isinstance(classes, NameObject):
            entries["/C"] = NameObject(renames.get(str(classes), str(classes)))

    def _content_item(
        self, content: Content, element: Element, number: Ref, parents: _ParentTree
    ) -> Any:
        """The kid written for a content item (an MCR or OBJR dictionary, serialised when it
        can be: there are tens of thousands), entered in the parent tree; None if gone."""
        reader = self.pages[content.position].reader
        page = b""
        if content.position != element.position:
            page = b"/Pg %d 0 R" % self.page_map.numbers[content.position]
        if content.obj is not None:
            found = self.annotations.get((id(reader), content.obj.idnum, content.position))
            if found is None:
                return None  # the annotation is not in the pack (a link dropped, ...)
            key, new = found
            parents.objects[key] = number
            if new is None:  # the source annotation, copied as it is: its number comes later
                item = {"/Type": NameObject("/OBJR"), "/Obj": content.obj}
                if page:
                    item["/Pg"] = self.page_map.numbers[content.position]
                return item
            return Raw(b"<</Type /OBJR/Obj %d 0 R%s>>" % (new, page))
        if content.stm is not None:
            key = self.stm_keys[(id(reader), content.stm.idnum)]
            stream = self.objects.reference(content.stm)
        elif content.position in self.form_keys:
            key = self.form_keys[content.position]
            stream = b"%d 0 R" % self.forms[content.position]
        else:
            return None  # the page has no content: nothing for the MCID to mark
        mcid = content.mcid or 0
        parents.add(key, mcid, number)
        return Raw(b"<</Type /MCR/MCID %d/Stm %s%s>>" % (mcid, stream, page))

    def _write_parent_tree(self, parents: _ParentTree) -> None:
        parents.number = self.objects.allocate()
        keys = set(self.form_keys.values()) | set(self.stm_keys.values())
        keys |= set(self.generated.values())
        keys |= {key for key, _number in self.annotations.values()}
        nums: list[Any] = []
        for key in sorted(keys):
            if key in parents.objects:
                nums += [key, parents.objects[key]]
            else:
                nums += [key, parents.arrays.get(key, [])]
        self.objects.emit(parents.number, {"/Nums": nums})

    def _root_entries(self, document: Ref, parents: _ParentTree, ids: dict[bytes, Ref]):
        entries: dict[str, Any] = {
            "/Type": NameObject("/StructTreeRoot"),
            "/K": [document],
            "/ParentTree": parents.number,
            "/ParentTreeNextKey": self.next_key,
        }
        if self.role_map:
            entries["/RoleMap"] = {k: NameObject(v) for k, v in sorted(self.role_map.items())}
        if self.class_map:
            entries["/ClassMap"] = dict(sorted(self.class_map.items()))
        written = sorted((key, number) for key, number in ids.items() if number != 0)
        if written:
            entries["/IDTree"] = {"/Names": [v for pair in written for v in pair]}
        return entries


@dataclass
class Placed:
    """A top-level element of a use, as a kid of a Part or Sect."""

    element: Element
    use: Use

    @property
    def first(self) -> int:
        return _first_position(self.element) or self.use.first


@dataclass
class GeneratedPage:
    """A page packbuilder writes with text of its own (in place of exempt papers), as a
    kid of a Part or Sect: an element per block."""

    position: int
    blocks: tuple[TextBlock, ...]

    @property
    def first(self) -> int:
        return self.position


@dataclass
class Group:
    """A Part or Sect packbuilder adds: a section of the pack, holding uses' elements (and
    generated text pages)."""

    role: str
    title: str | None
    uses: list[Use]
    kids: list[Group | Placed | GeneratedPage] = field(default_factory=list)
    number: Ref = Ref(0)

    @property
    def first(self) -> int:
        return min([use.first for use in self.uses] + [kid.first for kid in self.kids])


def _elements(uses: list[Use]) -> list[Placed]:
    return [Placed(element, use) for use in uses for element in use.elements]


def _element_id(element: Element) -> bytes | None:
    raw = resolve(dict.get(element.source, "/ID"))
    if isinstance(raw, str):
        return raw.encode("utf-8")
    return bytes(raw) if isinstance(raw, bytes) else None


def _rename_ids(use: Use, ids: dict[bytes, Ref]) -> None:
    """Give the use's element IDs that are taken new ones (``-2``, ``-3``...); every ID
    is entered in ``ids``, its element's number set when the element is written."""
    for element in _walk(use.elements):
        value = _element_id(element)
        if value is None:
            continue
        new, n = value, 2
        while new in ids:
            new = value + b"-%d" % n
            n += 1
        if new != value:
            use.ids[value] = new
        ids[new] = Ref(0)


@dataclass
class _ParentTree:
    """The pack's parent tree being filled: per key, an array by MCID, or an object's parent."""

    arrays: dict[int, list[Any]] = field(default_factory=dict)
    objects: dict[int, Ref] = field(default_factory=dict)
    number: Ref = Ref(0)

    def add(self, key: int, mcid: int, element: Ref) -> None:
        array = self.arrays.setdefault(key, [])
        if mcid >= len(array):
            array.extend([None] * (mcid + 1 - len(array)))
        array[mcid] = element


# --- helpers ---------------------------------------------------------------------------------


def _kids(node: dict) -> list[Any]:
    kids = dict.get(node, "/K")
    resolved = resolve(kids)
    if resolved is None:
        return []
    if isinstance(resolved, list):
        return list(resolved)
    return [kids]


def _position(use: Use, page: Any) -> int | None:
    if isinstance(page, IndirectObject):
        return use.positions.get(page.idnum)
    return None


def _content(kid: Any, raw: Any, use: Use, inherited: int | None) -> Content | None:
    """A kept content item: an MCID, an MCR or an OBJR on a page of the use; None if not."""
    if isinstance(kid, int) and not isinstance(kid, bool):
        return Content(inherited, mcid=int(kid)) if inherited is not None and kid >= 0 else None
    if not isinstance(kid, dict):
        return None
    page = dict.get(kid, "/Pg")
    position = _position(use, page) if page is not None else inherited
    if position is None:
        return None
    if dict.get(kid, "/Type") == "/OBJR":
        obj = dict.get(kid, "/Obj")
        return Content(position, obj=obj) if isinstance(obj, IndirectObject) else None
    mcid = resolve(dict.get(kid, "/MCID"))
    if not isinstance(mcid, int) or isinstance(mcid, bool) or mcid < 0:
        return None
    stm = dict.get(kid, "/Stm")
    return Content(position, mcid=int(mcid), stm=stm if isinstance(stm, IndirectObject) else None)


def _first_position(element: Element) -> int | None:
    return min(_positions(element), default=None)


def _positions(element: Element) -> Iterator[int]:
    stack: list[Element | Content] = [element]
    while stack:
        item = stack.pop()
        if isinstance(item, Element):
            stack.extend(item.kids)
        else:
            yield item.position


def _walk(elements: list[Element]) -> Iterator[Element]:
    stack = list(reversed(elements))
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed([k for k in element.kids if isinstance(k, Element)]))


def _name_map(raw: Any) -> dict[str, str]:
    """A role map as names -> names (entries that are not names are left out)."""
    mapping = resolve(raw)
    if not isinstance(mapping, dict):
        return {}
    result: dict[str, str] = {}
    for key, value in dict.items(mapping):
        value = resolve(value)
        if isinstance(value, NameObject):
            result[str(key)] = str(value)
    return result


def _unique(name: str, taken: dict) -> str:
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def _canonical(value: Any, depth: int = 0) -> Any:
    """A comparable form of a PDF value (references followed), to tell equal class entries."""
    value = resolve(value)
    if depth > 8:
        return None
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canonical(v, depth + 1)) for k, v in dict.items(value)))
    if isinstance(value, list):
        return tuple(_canonical(v, depth + 1) for v in value)
    return (type(value).__name__, str(value))


def _renamed_headers(attributes: Any, renames: dict[bytes, bytes]) -> Any:
    """An element's attributes with the IDs in their ``/Headers`` renamed."""
    value = resolve(attributes)
    if isinstance(value, list):
        return [_renamed_headers(item, renames) for item in value]
    if not isinstance(value, dict) or "/Headers" not in value:
        return attributes
    headers = resolve(dict.get(value, "/Headers"))
    entries = dict(dict.items(value))
    if isinstance(headers, list):
        entries["/Headers"] = [_renamed_id(h, renames) for h in headers]
    return entries


def _renamed_id(value: Any, renames: dict[bytes, bytes]) -> Any:
    value = resolve(value)
    if isinstance(value, (bytes, str)):
        raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return renames.get(raw, raw)
    return value
