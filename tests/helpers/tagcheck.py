"""Read a tagged PDF back with pikepdf and list what is wrong with its structure.

Independent of packbuilder's own code: :func:`structure_problems` walks the
structure tree and every page's content (and the form XObjects it paints)
with pikepdf, and checks what an accessibility checker would:

* every element is reachable from the ``/StructTreeRoot`` once, and its ``/P``
  is the element (or root) it was reached from;
* no ``/ParentTree`` key is there twice, and every ``/StructParents`` and
  ``/StructParent`` in the file has an entry;
* every marked-content id (MCID) on a page, and in the forms the page paints,
  resolves through the ``/ParentTree`` to an element that marks it: a kid (an
  MCID, or an MCR with the right ``/Stm``) on that page;
* every annotation with a ``/StructParent`` is the ``/Obj`` of an ``OBJR`` of
  the element the ``/ParentTree`` names;
* no text is shown, and no XObject painted, outside marked content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass
class Report:
    """What :func:`structure_problems` found, with the figures the tests look at."""

    problems: list[str] = field(default_factory=list)
    elements: int = 0
    mcids: int = 0
    roles: list[str] = field(default_factory=list)
    """Every element's /S, in reading order."""


def objgen(obj: pikepdf.Object) -> tuple[int, int]:
    return obj.objgen if obj.is_indirect else (0, id(obj))


def parent_tree(root: pikepdf.Dictionary, report: Report) -> dict[int, pikepdf.Object]:
    """The /ParentTree as key -> value, noting keys met twice."""
    entries: dict[int, pikepdf.Object] = {}
    stack = [root.get("/ParentTree")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        nums = node.get("/Nums")
        if nums is not None:
            for n in range(0, len(nums), 2):
                key = int(nums[n])
                if key in entries:
                    report.problems.append(f"ParentTree key {key} twice")
                entries[key] = nums[n + 1]
        stack.extend(node.get("/Kids") or [])
    return entries


def elements(root: pikepdf.Dictionary, report: Report) -> dict[tuple[int, int], pikepdf.Object]:
    """Every element, by object id; checks /P and that each is reached once."""
    found: dict[tuple[int, int], pikepdf.Object] = {}
    stack: list[tuple[pikepdf.Object, pikepdf.Object]] = [
        (kid, root) for kid in reversed(list(kids(root)))
    ]
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/MCR", "/OBJR"):
            continue
        key = objgen(node)
        if key in found:
            report.problems.append(f"element {key} reached twice")
            continue
        found[key] = node
        report.roles.append(str(node.get("/S")))
        if node.get("/P") is None or objgen(node.P) != objgen(parent):
            report.problems.append(f"element {key} ({node.get('/S')}): /P is not its parent")
        stack.extend((kid, node) for kid in reversed(list(kids(node))))
    report.elements = len(found)
    return found


def kids(node: pikepdf.Dictionary) -> list[pikepdf.Object]:
    value = node.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def marks(element: pikepdf.Dictionary, page: pikepdf.Object, stream: pikepdf.Object, mcid: int):
    """Whether ``element`` has a kid marking ``mcid`` of ``stream`` (the page's own content
    when ``stream`` is the page) shown on ``page``."""
    own_page = element.get("/Pg")
    for kid in kids(element):
        if isinstance(kid, int):
            if int(kid) == mcid and stream is page and same(own_page, page):
                return True
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            kid_page = kid.get("/Pg", own_page)
            kid_stream = kid.get("/Stm", page)
            if int(kid.MCID) == mcid and same(kid_page, page) and same(kid_stream, stream):
                return True
    return False


def same(a: pikepdf.Object | None, b: pikepdf.Object | None) -> bool:
    return a is not None and b is not None and objgen(a) == objgen(b)


def content_marks(
    owner: pikepdf.Object, page: pikepdf.Object, depth: int, seen: set
) -> Iterator[tuple[pikepdf.Object, int | None, str]]:
    """(stream, MCID, "") for each marked-content id, and (stream, None, what) for text or a
    paint outside marked content, in ``owner`` (a page or form) and the forms it paints."""
    resources = owner.get("/Resources") or pikepdf.Dictionary()
    xobjects = resources.get("/XObject") or pikepdf.Dictionary()
    stack: list[bool] = []
    for instruction in pikepdf.parse_content_stream(owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op = str(instruction.operator)
        operands = instruction.operands
        if op in ("BDC", "BMC"):
            props = operands[-1] if op == "BDC" else None
            if isinstance(props, pikepdf.Name) and "/Properties" in resources:
                props = resources.Properties.get(str(props))
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            if mcid is not None:
                yield owner, int(mcid), ""
            stack.append(True)
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in TEXT_OPERATORS and not stack:
            yield owner, None, f"text ({op}) outside marked content"
        elif op == "Do":
            xobject = xobjects.get(str(operands[0]))
            is_form = xobject is not None and xobject.get("/Subtype") == "/Form"
            if not stack and not is_form:
                yield owner, None, "an image painted outside marked content"
            if is_form and objgen(xobject) not in seen and depth < 10:
                seen.add(objgen(xobject))
                for stream, mcid, what in content_marks(xobject, page, depth + 1, seen):
                    if mcid is None and stack:
                        continue  # inside marked content of the painting stream
                    yield stream, mcid, what


def structure_problems(pdf: Path | str) -> Report:
    """Check a tagged PDF's structure tree against its pages' content (see the module)."""
    report = Report()
    with pikepdf.open(pdf) as doc:
        root = doc.Root.get("/StructTreeRoot")
        if root is None:
            report.problems.append("no /StructTreeRoot")
            return report
        tree = parent_tree(root, report)
        elements(root, report)
        for number, page in enumerate(doc.pages, 1):
            _check_page(number, page.obj, tree, report)
        keys = [int(k) for k in _struct_parent_keys(doc)]
        for key in keys:
            if key not in tree:
                report.problems.append(f"/StructParent(s) {key} has no ParentTree entry")
        if len(keys) != len(set(keys)):
            report.problems.append("a /StructParent(s) key used by two objects")
    return report


def _check_page(number: int, page: pikepdf.Object, tree: dict, report: Report) -> None:
    for stream, mcid, what in content_marks(page, page, 0, set()):
        if mcid is None:
            report.problems.append(f"page {number}: {what}")
            continue
        report.mcids += 1
        key = stream.get("/StructParents")
        entry = tree.get(int(key)) if key is not None else None
        element = entry[mcid] if isinstance(entry, pikepdf.Array) and mcid < len(entry) else None
        if not isinstance(element, pikepdf.Dictionary) or not marks(element, page, stream, mcid):
            report.problems.append(f"page {number}: MCID {mcid} does not resolve to its element")
    for annot in page.get("/Annots") or []:
        key = annot.get("/StructParent")
        if key is None:
            continue
        element = tree.get(int(key))
        objrs = [
            k
            for k in (kids(element) if isinstance(element, pikepdf.Dictionary) else [])
            if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
        ]
        if not any(same(k.Obj, annot) for k in objrs):
            report.problems.append(f"page {number}: annotation {key} is not its element's OBJR")


def _struct_parent_keys(doc: pikepdf.Pdf) -> Iterator[int]:
    for obj in doc.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for name in ("/StructParents", "/StructParent"):
                if name in obj:
                    yield int(obj[name])
