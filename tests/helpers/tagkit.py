"""Small tagged PDFs made with pikepdf, for the structure-merge tests (no LibreOffice).

:func:`tagged_pdf` writes ``pages`` pages; page ``k`` (1-based) shows a heading
"``label`` heading k" (MCID 0, an ``H1`` element titled ``label-hk``) and a
paragraph "``label`` text k" (MCID 1, an element of the custom role ``/Para``,
mapped through the ``/RoleMap`` to ``para_role``), and optionally a link
annotation to the last page, in a ``Link`` element with an ``OBJR`` and its
text (MCID 2). Every element has an ``/ID`` (``h1``, ``p1``, ``h2`` ...), so two
such files clash in their IDs, and a ``/ClassMap`` entry ``/Box`` (with
``box_padding``) is used by every paragraph, so two files can clash there too.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def tagged_pdf(
    path: Path,
    pages: int = 3,
    *,
    label: str = "A",
    para_role: str = "/P",
    box_padding: int = 1,
    link: bool = False,
    form_page: int | None = None,
    field: bool = False,
) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document))
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document.P = root
    kids = Array()
    nums = Array()
    id_names = Array()
    key = 0
    for k in range(1, pages + 1):
        content = (
            b"/Artifact BMC 0 0 0 RG 72 60 m 500 60 l S EMC\n"
            b"/H1 <</MCID 0>> BDC BT /F1 18 Tf 72 720 Td (%s heading %d) Tj ET EMC\n"
            b"/Para <</MCID 1>> BDC BT /F1 12 Tf 72 690 Td (%s text %d) Tj ET EMC\n"
            % (label.encode(), k, label.encode(), k)
        )
        if link and k == 1:
            content += b"/Link <</MCID 2>> BDC BT /F1 12 Tf 72 660 Td (to the end) Tj ET EMC\n"
        resources = Dictionary(Font=Dictionary(F1=font))
        form = None
        if k == form_page:  # the paragraph is drawn by a form XObject with its own key
            content = content.replace(b"/Para <</MCID 1>> BDC", b"/Para <</MCID 9>> BDC")
            form = pdf.make_stream(
                b"/Para <</MCID 0>> BDC BT /F1 12 Tf 72 630 Td (%s in a form) Tj ET EMC"
                % label.encode(),
                Type=Name.XObject,
                Subtype=Name.Form,
                BBox=[0, 0, 595, 842],
                Resources=Dictionary(Font=Dictionary(F1=font)),
                StructParents=1000 + k,
            )
            resources.XObject = Dictionary(Fm1=form)
            content += b"/Fm1 Do\n"
        page = pikepdf.Page(
            Dictionary(
                Type=Name.Page,
                MediaBox=[0, 0, 595, 842],
                Resources=resources,
                Contents=pdf.make_stream(content),
                StructParents=key,
            )
        )
        pdf.pages.append(page)
        page_obj = pdf.pages[-1].obj
        heading = _element(pdf, "/H1", document, page_obj, 0, f"h{k}", title=f"{label}-h{k}")
        para = _element(pdf, "/Para", document, page_obj, 1, f"p{k}", title=f"{label}-p{k}")
        para.C = Name("/Box")
        marked = Array([heading, para])
        kids.extend([heading, para])
        if form is not None:  # MCID 9 on the page and MCID 0 in the form: both the paragraph's
            para.K = Array([9, Dictionary(Type=Name.MCR, MCID=0, Stm=form, Pg=page_obj)])
            marked = Array([heading] + [None] * 8 + [para])
            nums.extend([1000 + k, Array([para])])
        for element, ident in ((heading, f"h{k}"), (para, f"p{k}")):
            id_names.extend([String(ident), element])
        if link and k == 1:
            link_element = _element(pdf, "/Link", document, page_obj, 2, "l1", title=f"{label}-l")
            marked.append(link_element)
            kids.append(link_element)
            id_names.extend([String("l1"), link_element])
        nums.extend([key, marked])
        key += 1
    if link:
        key = _link(pdf, kids[2], pdf.pages[0].obj, pdf.pages[-1].obj, key, nums)
    if field:
        key = _field(pdf, document, kids, pdf.pages[0].obj, key, nums)
    document.K = kids
    root.K = Array([document])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = max(key, 1000 + pages + 1)
    root.RoleMap = Dictionary({"/Para": Name(para_role)})
    root.ClassMap = Dictionary(Box=Dictionary(O=Name.Layout, Padding=box_padding))
    root.IDTree = Dictionary(Names=_sorted_names(id_names))
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String("en-GB")
    pdf.save(path, deterministic_id=True)
    return path


def _element(pdf, role, parent, page, mcid, ident, *, title):
    return pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name(role),
            P=parent,
            Pg=page,
            K=Array([mcid]),
            ID=String(ident),
            T=String(title),
        )
    )


def _link(pdf, element, page, target, key, nums) -> int:
    """A link annotation on ``page`` to ``target``, the OBJR kid of ``element``."""
    annot = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[72, 655, 200, 675],
            Border=[0, 0, 0],
            Dest=Array([target, Name.Fit]),
            StructParent=key,
            Contents=String("Go to the last page"),
        )
    )
    page.Annots = Array([annot])
    page.Tabs = Name.S
    element.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page))
    nums.extend([key, element])
    return key + 1


def _field(pdf, document, kids, page, key, nums) -> int:
    """A text field on ``page``, its widget the OBJR of a ``Form`` element."""
    widget = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("name"),
            TU=String("Your name"),
            Rect=[72, 500, 300, 520],
            P=page,
            StructParent=key,
        )
    )
    page.Annots = Array([*page.get("/Annots", Array()), widget])
    element = pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name.Form,
            P=document,
            Pg=page,
            K=Array([Dictionary(Type=Name.OBJR, Obj=widget)]),
            T=String("field"),
        )
    )
    kids.append(element)
    nums.extend([key, element])
    pdf.Root.AcroForm = Dictionary(Fields=Array([widget]))
    return key + 1


def _sorted_names(pairs: Array) -> Array:
    items = sorted(
        ((bytes(pairs[i]), pairs[i + 1]) for i in range(0, len(pairs), 2)), key=lambda p: p[0]
    )
    out = Array()
    for name, element in items:
        out.extend([String(name), element])
    return out


def titles(pdf_path: Path) -> list[str]:
    """The /T of every element of a PDF's structure tree, in reading order."""
    found: list[str] = []
    with pikepdf.open(pdf_path) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if "/T" in node and node.get("/Type") != "/StructTreeRoot":
                found.append(str(node.T))
            value = node.get("/K")
            kids = list(value) if isinstance(value, Array) else [value] if value is not None else []
            stack.extend(
                kid
                for kid in reversed(kids)
                if isinstance(kid, Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR")
            )
    return found
