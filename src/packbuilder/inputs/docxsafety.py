"""Word papers show what the author meant, and reach nothing outside themselves.

:func:`inspect_docx` reads a .docx's stories (the body, headers, footers,
footnotes and endnotes) and finds:

* tracked changes: insertions (``w:ins``), deletions (``w:del``, printed
  struck through but still readable and extractable), moves (``w:moveFrom``,
  ``w:moveTo``), formatting changes (``w:rPrChange``, ``w:pPrChange``...)
  and table cells inserted, deleted or merged;
* unresolved comments (``word/comments.xml``, less those marked done in
  ``commentsExtended.xml``);
* references outside the document: pictures, objects and other parts linked
  to a file or address (a relationship with ``TargetMode="External"``, other
  than a hyperlink in the text or the template it was made from) and the
  fields ``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``,
  ``DDEAUTO`` and ``IMPORT``.

:func:`check_word_paper` refuses such a paper with a message naming the
file, the count of each and how to settle them in Word, unless the paper
says ``tracked_changes: accept`` or ``external_links: remove``; then
:func:`clean_docx` writes a copy with every change accepted (deletions and
moves away removed, insertions and moves here kept, old formatting
dropped), the comments removed, and the outside references removed, and the
copy is converted instead.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..exceptions import DocumentError
from ..model.meeting import ExternalLinks, FileSource, TrackedChanges

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

STORIES = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
COMMENT_PARTS = {
    "word/comments.xml": "comments",
    "word/commentsExtended.xml": "commentsEx",
    "word/commentsIds.xml": "commentsIds",
    "word/commentsExtensible.xml": "commentsExtensible",
}
_CHANGES = {
    "ins": "insertions",
    "del": "deletions",
    "moveFrom": "moves",
    "moveTo": "moves",
    "rPrChange": "formatting changes",
    "pPrChange": "formatting changes",
    "sectPrChange": "formatting changes",
    "tblPrChange": "formatting changes",
    "tblGridChange": "formatting changes",
    "trPrChange": "formatting changes",
    "tcPrChange": "formatting changes",
    "tblPrExChange": "formatting changes",
    "numberingChange": "formatting changes",
    "cellIns": "table changes",
    "cellDel": "table changes",
    "cellMerge": "table changes",
}
_REMOVED = {"del", "moveFrom"}  # accepting removes these with what they hold
_DROPPED = {n for n, kind in _CHANGES.items() if kind in ("formatting changes",)}
_DROPPED |= {"cellIns", "cellMerge"}  # accepting keeps the cell; the mark goes
_RANGES = re.compile(r"(moveFrom|moveTo|customXml(Ins|Del|MoveFrom|MoveTo))Range(Start|End)")
_LINK_FIELDS = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b", re.I)
_FIELD_TARGET = re.compile(r'"([^"]*)"|(\S+)')
_HARMLESS_LINKS = ("/hyperlink", "/attachedTemplate")
"""External relationships that fetch nothing: links in the text, the template's name."""


@dataclass
class WordFindings:
    """What a Word paper holds that the pack must not show or fetch."""

    changes: Counter[str] = field(default_factory=Counter)
    comments: int = 0
    external: list[str] = field(default_factory=list)

    @property
    def unsettled(self) -> bool:
        return bool(self.changes) or bool(self.comments)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def inspect_docx(path: Path) -> WordFindings:
    """What ``path`` (a .docx already checked by :mod:`.docxcheck`) holds."""
    found = WordFindings()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        for name in names:
            if STORIES.fullmatch(name):
                root = etree.fromstring(archive.read(name), _parser())
                _count_changes(root, found.changes)
                found.external += _link_fields(root)
            elif name.startswith("word/_rels/") and name.endswith(".rels"):
                found.external += _external_relationships(archive.read(name))
        found.comments = _unresolved_comments(archive, names)
    return found


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and tag.startswith(f"{{{W}}}") else ""


def _count_changes(root: etree._Element, changes: Counter[str]) -> None:
    for element in root.iter():
        kind = _CHANGES.get(_local(element))
        if kind is not None:
            changes[kind] += 1


def _external_relationships(data: bytes) -> list[str]:
    """The relationships of a part that point outside the document and would be loaded."""
    found: list[str] = []
    root = etree.fromstring(data, _parser())
    for rel in root.iter(f"{{{PKG}}}Relationship"):
        if rel.get("TargetMode") != "External":
            continue
        kind = rel.get("Type", "")
        if kind.endswith(_HARMLESS_LINKS):
            continue
        what = {"/image": "a picture", "/oleObject": "an object"}.get(
            kind[kind.rfind("/") :], "a part"
        )
        found.append(f"{what} linked to {rel.get('Target', '?')}")
    return found


def _link_fields(root: etree._Element) -> list[str]:
    """The fields of a story that include or link another file (by their instructions)."""
    found: list[str] = []
    for instruction in _field_instructions(root):
        match = _LINK_FIELDS.match(instruction)
        if match:
            rest = _FIELD_TARGET.search(instruction, match.end())
            target = (rest.group(1) or rest.group(2)) if rest else "?"
            name = match.group(1).upper()
            found.append(f"{'an' if name[0] in 'AEIOU' else 'a'} {name} field ({target})")
    return found


def _field_instructions(root: etree._Element) -> list[str]:
    """Every field's instruction text, each field's pieces joined (runs may split it)."""
    found: list[str] = []
    current: list[str] | None = None
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}fldSimple"):
        name = _local(element)
        if name == "fldSimple":
            found.append(element.get(f"{{{W}}}instr", ""))
        elif name == "instrText" and current is not None:
            current.append(element.text or "")
        elif name == "fldChar":
            kind = element.get(f"{{{W}}}fldCharType")
            if kind == "begin":
                current = []
            elif current is not None:
                found.append("".join(current))
                current = None
    return found


def _unresolved_comments(archive: zipfile.ZipFile, names: list[str]) -> int:
    """How many comments are not marked done."""
    if "word/comments.xml" not in names:
        return 0
    comments = etree.fromstring(archive.read("word/comments.xml"), _parser())
    ids = []
    for comment in comments.iter(f"{{{W}}}comment"):
        paragraphs = comment.findall(f"{{{W}}}p")
        ids.append(paragraphs[-1].get(f"{{{W14}}}paraId") if paragraphs else None)
    done: set[str] = set()
    if "word/commentsExtended.xml" in names:
        extended = etree.fromstring(archive.read("word/commentsExtended.xml"), _parser())
        for entry in extended.iter(f"{{{W15}}}commentEx"):
            if entry.get(f"{{{W15}}}done") == "1":
                done.add(entry.get(f"{{{W15}}}paraId", ""))
    return sum(1 for ident in ids if ident is None or ident not in done)


# --- refusing ---------------------------------------------------------------------------------


def check_word_paper(path: Path, source: FileSource, shown: str) -> WordFindings:
    """Refuse a Word paper with tracked changes, unresolved comments or outside references
    that the paper does not say to settle; return what it holds."""
    found = inspect_docx(path)
    if found.unsettled and source.tracked_changes is not TrackedChanges.ACCEPT:
        raise DocumentError(
            f"has {_described(found)}: the pack would print what the author has not settled, "
            "deleted text included (struck through, but readable and copyable)",
            where=shown,
            hint="open it in Word, accept or reject every change (Review > Accept > Accept "
            "All Changes, or Reject All Changes) and delete the comments (Review > Delete > "
            "Delete All Comments in Document), save it and build again; or, to accept every "
            "change as it stands, give the paper 'tracked_changes: accept' (packbuilder then "
            "accepts them all and leaves the comments out)",
        )
    if found.external and source.external_links is not ExternalLinks.REMOVE:
        shown_links = "; ".join(found.external[:3])
        more = f" and {len(found.external) - 3} more" if len(found.external) > 3 else ""
        raise DocumentError(
            f"points outside itself ({shown_links}{more}): building it would fetch or include "
            "files from elsewhere",
            where=shown,
            hint="in Word, make the pictures part of the document (File > Info > Edit Links "
            "to Files > Break Link, or insert them again without 'Link to File') and turn the "
            "fields into text (select them, Ctrl+Shift+F9), save it and build again; or give "
            "the paper 'external_links: remove' to have packbuilder leave them out",
        )
    return found


_ONE = {
    "insertions": "insertion",
    "deletions": "deletion",
    "moves": "move",
    "formatting changes": "formatting change",
    "table changes": "table change",
}


def _described(found: WordFindings) -> str:
    """``tracked changes (3 insertions, 2 deletions) and 1 unresolved comment``."""
    parts = []
    if found.changes:
        counts = ", ".join(
            f"{n} {kind if n > 1 else _ONE[kind]}" for kind, n in sorted(found.changes.items())
        )
        parts.append(f"tracked changes ({counts})")
    if found.comments:
        parts.append(f"{found.comments} unresolved comment{'s' if found.comments > 1 else ''}")
    return " and ".join(parts)


# --- settling ---------------------------------------------------------------------------------


def clean_docx(path: Path, out: Path, *, accept: bool, remove_links: bool) -> Path:
    """Write to ``out`` a copy of ``path`` with its changes accepted and comments removed
    (``accept``), and its outside references removed (``remove_links``)."""
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        links = _linked_ids(archive) if remove_links else {}
        for info in archive.infolist():
            data = archive.read(info.filename)
            name = info.filename
            if STORIES.fullmatch(name):
                root = etree.fromstring(data, _parser())
                if accept:
                    accept_changes(root)
                if remove_links:
                    remove_link_fields(root)
                    _remove_linked(root, links.get(_rels_of(name), set()))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif accept and name in COMMENT_PARTS:
                data = _emptied(data)
            elif remove_links and name.startswith("word/_rels/") and name.endswith(".rels"):
                data = _without_external(data)
            new.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out


def accept_changes(root: etree._Element) -> None:
    """Accept every tracked change in a story, and take out its comment marks."""
    marks = (f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}del", f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}moveFrom")
    merged = [p for p in root.iter(f"{{{W}}}p") if any(p.find(m) is not None for m in marks)]
    for element in list(root.iter()):
        name, parent = _local(element), element.getparent()
        if parent is None or element.getroottree().getroot() is not root:
            continue  # (already taken out with an ancestor)
        if name in ("del", "moveFrom") and _local(parent) == "trPr":
            _remove_ancestor(element, "tr")  # a row deleted as a whole
        elif name in _REMOVED or name in _DROPPED or name in _COMMENT_MARKS:
            parent.remove(element)
        elif _RANGES.fullmatch(name) or (name in ("ins", "moveTo") and _local(parent) != "r"):
            if _local(parent) in ("rPr", "trPr") or _RANGES.fullmatch(name):
                parent.remove(element)
            else:
                _unwrap(element)
        elif name == "cellDel":
            _remove_ancestor(element, "tc")
    for paragraph in merged:  # its mark deleted: it joins the next paragraph
        _join_next(paragraph)
    for run in list(root.iter(f"{{{W}}}r")):  # runs left with nothing to show
        if all(_local(child) == "rPr" for child in run):
            run.getparent().remove(run)


_COMMENT_MARKS = {"commentRangeStart", "commentRangeEnd", "commentReference"}


def _join_next(paragraph: etree._Element) -> None:
    """A paragraph whose mark was deleted: its content goes to the start of the next one."""
    following = paragraph.getnext()
    parent = paragraph.getparent()
    if parent is None:
        return
    content = [child for child in paragraph if _local(child) != "pPr"]
    if following is not None and _local(following) == "p":
        at = 1 if following.find(f"{{{W}}}pPr") is not None else 0
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
        parent.remove(paragraph)
    elif not "".join(t.text or "" for t in paragraph.iter(f"{{{W}}}t")).strip():
        parent.remove(paragraph)


def _unwrap(element: etree._Element) -> None:
    """Replace ``element`` by its children (an insertion accepted)."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _remove_ancestor(element: etree._Element, name: str) -> None:
    node = element
    while node is not None and _local(node) != name:
        node = node.getparent()
    if node is not None and node.getparent() is not None:
        node.getparent().remove(node)


def _emptied(data: bytes) -> bytes:
    """A comments part with no comments left (its root kept, so relationships stay valid)."""
    root = etree.fromstring(data, _parser())
    for child in list(root):
        root.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def remove_link_fields(root: etree._Element) -> None:
    """Remove the fields that include or link another file, result and all."""
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if _LINK_FIELDS.match(simple.get(f"{{{W}}}instr", "")):
            simple.getparent().remove(simple)
    runs = list(root.iter(f"{{{W}}}r"))
    doomed: list[etree._Element] = []
    field: list[etree._Element] | None = None
    instruction: list[str] = []
    depth = 0
    for run in runs:
        mark = run.find(f"{{{W}}}fldChar")
        kind = mark.get(f"{{{W}}}fldCharType") if mark is not None else None
        if kind == "begin":
            depth += 1
            if depth == 1:
                field, instruction = [], []
        if field is not None:
            field.append(run)
            instruction += [t.text or "" for t in run.iter(f"{{{W}}}instrText")]
        if kind == "end":
            depth -= 1
            if depth == 0 and field is not None:
                if _LINK_FIELDS.match("".join(instruction)):
                    doomed += field
                field = None
    for run in doomed:
        if run.getparent() is not None:
            run.getparent().remove(run)


def _rels_of(part: str) -> str:
    """``word/_rels/document.xml.rels`` for ``word/document.xml``."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _linked_ids(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Per relationships part, the ids of its external relationships that load something."""
    found: dict[str, set[str]] = {}
    for name in archive.namelist():
        if name.startswith("word/_rels/") and name.endswith(".rels"):
            root = etree.fromstring(archive.read(name), _parser())
            found[name] = {
                rel.get("Id", "")
                for rel in root.iter(f"{{{PKG}}}Relationship")
                if rel.get("TargetMode") == "External"
                and not rel.get("Type", "").endswith(_HARMLESS_LINKS)
            }
    return found


_HOLDERS = {"drawing", "pict", "object"}


def _remove_linked(root: etree._Element, ids: set[str]) -> None:
    """Remove the pictures and objects that use one of the relationships ``ids``."""
    if not ids:
        return
    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        if any(key.startswith(f"{{{R}}}") and value in ids for key, value in element.items()):
            holder = element
            while holder is not None and _local(holder) not in _HOLDERS:
                holder = holder.getparent()
            target = holder if holder is not None else element
            if target.getparent() is not None:
                target.getparent().remove(target)


def _without_external(data: bytes) -> bytes:
    """A relationships part without its external relationships that load something."""
    root = etree.fromstring(data, _parser())
    for rel in list(root.iter(f"{{{PKG}}}Relationship")):
        if rel.get("TargetMode") == "External" and not rel.get("Type", "").endswith(
            _HARMLESS_LINKS
        ):
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
