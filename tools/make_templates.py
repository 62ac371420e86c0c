"""Build the Word templates clerks edit: ``agenda.docx``, ``report.docx`` and ``contents.docx``.

Run from the repository root::

    python tools/make_templates.py [--out DIR] [--example-out DIR]

The default templates (in the package) are council-neutral; the example
meeting's cover report uses the reference's own layout, written beside it
(``meetings/templates/report.docx``).

The templates are ordinary Word documents with docxtpl (Jinja) tags; the
variables they may use are listed in :mod:`packbuilder.render`. The layout
follows the reference pack (Middlesbrough Council, Overview and Scrutiny Board,
11 May 2022): A4 portrait, Arial (Liberation Sans when converted on Linux),
black text, no page-number footer. The bottom margin (2.5 cm) is left clear
because the pack builder stamps "Page N" at the foot of every page itself.

Tag conventions used here (so that clerks can copy them):

* ``{{ meeting.venue }}`` prints a value (escaped: "R&D <draft>" stays as written);
* ``{%p for para in report.purpose|paragraphs %}`` / ``{{ para }}`` /
  ``{%p endfor %}``, each in a paragraph of its own, repeat a paragraph for
  every paragraph of a field (a field is a string, or a list of strings);
* ``{%tr for item in items %}`` / ``{%tr endfor %}`` in rows of their own
  repeat the table row between them;
* ``{{r item.pages_link }}`` inserts rich text (here: the page range as a link).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

FONT = "Arial"
BODY_SIZE = 12
TEXT_WIDTH_CM = 17.0  # A4 (21 cm) less 2 cm margins each side
SHADE = "D9D9D9"
# Fixed document properties, so the same script always writes the same parts.
FIXED_TIME = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)


# --- low-level helpers -------------------------------------------------------------------


def _clear(element, tag: str) -> None:
    for child in element.findall(qn(tag)):
        element.remove(child)


def _set_run_props(
    rpr,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    font: str | None = FONT,
    lang: str | None = None,
) -> None:
    """Set fonts (no theme fonts), black colour, size, bold and italic on an ``w:rPr``."""
    if font:
        _clear(rpr, "w:rFonts")
        fonts = OxmlElement("w:rFonts")
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), font)
        rpr.insert(0, fonts)
    for tag, value in (("w:b", bold), ("w:bCs", bold), ("w:i", italic), ("w:iCs", italic)):
        if value is None:
            continue
        _clear(rpr, tag)
        element = OxmlElement(tag)
        if not value:
            element.set(qn("w:val"), "0")
        rpr.append(element)
    _clear(rpr, "w:color")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            _clear(rpr, tag)
            element = OxmlElement(tag)
            element.set(qn("w:val"), str(int(size * 2)))
            rpr.append(element)
    if lang:
        _clear(rpr, "w:lang")
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), lang)
        element.set(qn("w:eastAsia"), lang)
        element.set(qn("w:bidi"), "ar-SA")
        rpr.append(element)


def _style(
    doc,
    name: str,
    *,
    base: str | None = "Normal",
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    before: float = 0,
    after: float = 0,
    align=None,
    keep_next: bool = False,
    outline: int | None = None,
):
    """Create (or reset) a paragraph style with explicit, theme-free formatting."""
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = True
    _set_run_props(style.element.get_or_add_rPr(), size=size, bold=bold, italic=italic)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    if align is not None:
        fmt.alignment = align
    ppr = style.element.get_or_add_pPr()
    _clear(ppr, "w:outlineLvl")
    _clear(ppr, "w:pBdr")
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def _base_document(title: str, subject: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(2.5)  # clear space for the "Page N" stamp
    section.left_margin = section.right_margin = Cm(2.0)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)

    # Document defaults: Arial 12 pt, British English, no theme fonts.
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    _set_run_props(rpr_default.find(qn("w:rPr")), size=BODY_SIZE, lang="en-GB")
    ppr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
    if ppr_default is not None:
        ppr = ppr_default.find(qn("w:pPr"))
        if ppr is not None:
            _clear(ppr, "w:spacing")

    _style(doc, "Normal", base=None)
    _style(doc, "Body Text", after=8)
    _style(doc, "Table Text")
    _style(doc, "Table Heading", bold=True)  # LibreOffice tags its cells as headers (TH)
    _style(doc, "Table Value", bold=True)  # bold, but a data cell (TD)
    _style(doc, "Title", size=20, bold=True, after=18, outline=0)
    _style(doc, "Heading 1", size=13, bold=True, before=12, after=6, keep_next=True, outline=0)
    _style(doc, "Heading 2", size=12, bold=True, before=6, after=4, keep_next=True, outline=1)
    _style(doc, "Heading 3", size=12, bold=True, before=6, after=4, keep_next=True, outline=2)
    # The hyperlink character style Word applies to typed links: keep it plain, so that a
    # page range that is a link looks like the text around it (as in the reference).
    try:
        link = doc.styles["Hyperlink"]
    except KeyError:
        link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    _set_run_props(link.element.get_or_add_rPr(), font=None)

    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.author = "packbuilder"
    props.last_modified_by = "packbuilder"
    props.language = "en-GB"
    props.revision = 1
    props.created = props.modified = FIXED_TIME
    # No Jinja tags here: docxtpl renders the document properties too.
    props.comments = (
        "Word template with Jinja tags (docxtpl). Edit the layout freely; keep each "
        "paragraph tag (%p) in a paragraph of its own and each row tag (%tr) in a table "
        "row of its own. The variables are listed in the packbuilder README."
    )
    return doc


def _para(container, text: str = "", style: str = "Normal", *, bold=None, italic=None, align=None):
    paragraph = container.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        if bold is not None:
            run.bold = bold
        if italic is not None:
            run.italic = italic
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _cell_para(cell, text: str = "", style: str = "Table Text", **kwargs):
    """Write into a table cell: fill its first paragraph while it is empty, then add more."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.runs:
        first.style = cell.part.document.styles[style]
        if text:
            run = first.add_run(text)
            run.bold = kwargs.get("bold")
            run.italic = kwargs.get("italic")
        if kwargs.get("align") is not None:
            first.alignment = kwargs["align"]
        return first
    return _para(cell, text, style, **kwargs)


def _loop(container, field: str, style: str, *, var: str = "para", empty_style: str | None = None):
    """``{%p for para in FIELD|paragraphs %}`` / ``{{ para }}`` / ``{%p endfor %}``.

    With ``empty_style`` (for table cells, which need at least one paragraph), an
    ``{%p else %}`` branch keeps one empty paragraph when the field is empty.
    """
    add = _cell_para if hasattr(container, "_tc") else _para
    add(container, f"{{%p for {var} in {field}|paragraphs %}}", style)
    _para(container, f"{{{{ {var} }}}}", style)
    if empty_style:
        _para(container, "{%p else %}", style)
        _para(container, "", empty_style)
    _para(container, "{%p endfor %}", style)


def _table(doc, rows: int, widths_cm: list[float], *, borders: bool):
    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    _clear(tbl_pr, "w:tblStyle")
    _clear(tbl_pr, "w:tblW")
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    borders_el = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        if borders:
            edge.set(qn("w:val"), "single")
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:space"), "0")
            edge.set(qn("w:color"), "000000")
        else:
            edge.set(qn("w:val"), "nil")
        borders_el.append(edge)
    tbl_pr.append(borders_el)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 40), ("left", 100), ("bottom", 40), ("right", 100)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value if borders else (0 if side in ("top", "bottom") else 60)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.append(margins)
    grid = table._tbl.tblGrid
    for col, width_cm in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width_cm * 567)))
    for row in table.rows:
        for cell, width_cm in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width_cm)
    return table


def _shade(cell, fill: str = SHADE) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    _clear(tc_pr, "w:shd")
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _keep_table_together(table) -> None:
    """Keep every row but the last with the next, so a small table is not split."""
    for row in table.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


# --- the agenda front sheet ---------------------------------------------------------------


def build_agenda(path: Path) -> None:
    doc = _base_document("Agenda front sheet", "packbuilder template: agenda front sheet")
    _style(doc, "Meeting Detail")
    _style(doc, "Notice", bold=True, after=10)
    _style(doc, "Agenda Heading", size=16, bold=True, before=8, after=14, keep_next=True, outline=1)
    _style(doc, "Agenda Note", italic=True, after=12)
    _style(doc, "Agenda Item", after=12)
    _style(doc, "Signature", keep_next=True)
    _style(doc, "Section Heading", bold=True, before=0, after=10, keep_next=True, outline=1)

    # Title: the committee (or meeting title) in capitals.
    _para(doc, "{{ meeting.title|upper }}", "Title")

    # Date, time and venue: a bold label and the value at a tab (not a layout table).
    for label, value in [
        ("Date:", "{{ meeting.date_long }}"),
        ("Time:", "{{ meeting.time }}"),
        ("Venue:", "{{ meeting.venue }}"),
    ]:
        detail = _para(doc, "", "Meeting Detail")
        detail.add_run(label).bold = True
        detail.add_run(f"\t{value}")
        _tab_stop(detail, 2.5)
    _para(doc, "", "Body Text")

    _loop(doc, "meeting.notices", "Notice", var="notice")

    _para(
        doc,
        "{% if pack.revised %}REVISED {% endif %}{{ pack.kind|upper }}",
        "Agenda Heading",
    )
    _para(doc, "{%p if pack.revised %}", "Agenda Note")
    _para(
        doc,
        "This revised {{ pack.kind|lower }}{% if pack.revision %} (revision "
        "{{ pack.revision }}){% endif %} replaces any earlier version.",
        "Agenda Note",
    )
    _para(doc, "{%p endif %}", "Agenda Note")

    # The items, a list (a screen reader says "list of 10 items"): a paragraph per item,
    # its number, its title, and its page range ("To Follow", or nothing) at a right tab;
    # the description, and what is exempt, in the same item after a blank line.
    _items_list(doc, "public_items")

    # Part B: the items taken in private, after the exclusion resolution (LGA 1972 s100A(4)).
    _para(doc, "{%p if part_b_items %}", "Agenda Heading")
    _para(doc, "PART B", "Agenda Heading")
    _para(
        doc,
        "That under section 100A(4) of the Local Government Act 1972 the press and public be "
        "excluded from the meeting for the following items on the grounds that they involve "
        "the likely disclosure of exempt information as defined in the paragraphs of Part 1 "
        "of Schedule 12A indicated.",
        "Agenda Note",
    )
    _items_list(doc, "part_b_items")
    _para(doc, "{%p endif %}", "Agenda Heading")

    # The signatory, the address and the publication date are kept together.
    signature = [
        _para(doc, "", "Signature"),
        _para(doc, "{{ signatory.name }}", "Signature"),
        _para(doc, "{{ signatory.title }}", "Signature"),
        _para(doc, "", "Signature"),
        _para(doc, "{%p for line in address %}", "Signature"),
        _para(doc, "{{ line }}", "Signature"),
        _para(doc, "{%p endfor %}", "Signature"),
        _para(doc, "{{ meeting.published_long }}", "Normal"),
    ]
    signature[-1].paragraph_format.keep_with_next = False
    _para(doc, "", "Body Text")
    _para(doc, "", "Body Text")

    _para(doc, "MEMBERSHIP", "Section Heading")
    _para(doc, "{{ membership }}", "Body Text")
    _para(doc, "", "Body Text")

    _para(doc, "Assistance in accessing information", "Section Heading")
    _para(
        doc,
        "Should you have any queries on accessing the Agenda and associated information "
        "please contact "
        '{{ [contact.name, contact.phone, contact.email]|select|join(", ") }}',
        "Body Text",
    )
    doc.save(path)


def _items_list(doc, items: str) -> None:
    """The agenda lines of ``items``, list items: number, title and page range; then the
    description, what is exempt (a Part B item's paragraphs) and an exempt appendix's note."""
    _para(doc, f"{{%p for item in {items} %}}", "Agenda Item")
    item = _para(doc, "", "Agenda Item")
    _list_item(doc, item)
    _run(item, "{{ item.number }}.", bold=True)
    _run(item, "\t")
    _run(item, "{{ item.title }}", bold=True)
    _run(item, "\t")
    _run(item, "{{r item.pages_link }}")
    _run(item, "{% for para in item.description|paragraphs %}")
    _line_breaks(item, 2)
    _run(item, "{{ para }}")
    _run(item, "{% endfor %}")
    for variable, text in (
        ("item.exempt", "Exempt information: {{ item.exempt }}"),
        ("item.exempt_note", "{{ item.exempt_note }}"),
    ):
        _run(item, f"{{% if {variable} %}}")
        _line_breaks(item, 2)
        _run(item, text, italic=True)
        _run(item, "{% endif %}")
    _para(doc, "{%p endfor %}", "Agenda Item")


# --- the contents page --------------------------------------------------------------------

CONTENTS_WIDTHS_CM = [1.6, TEXT_WIDTH_CM - 1.6 - 2.6, 2.6]
"""The contents table's columns: item number, title, pages."""


def build_contents(path: Path) -> None:
    """The contents page: a heading, the meeting, and a table (its header row repeated on
    every page) of every item, paper and appendix with its pages, each range a link."""
    doc = _base_document("Contents page", "packbuilder template: contents page")
    _style(doc, "Contents Item", base="Table Text", bold=True, before=4)
    _style(doc, "Contents Paper", base="Table Text", before=4)
    _style(doc, "Contents Appendix", base="Table Text", before=4)
    doc.styles["Contents Paper"].paragraph_format.left_indent = Cm(0.5)
    doc.styles["Contents Appendix"].paragraph_format.left_indent = Cm(1.0)
    _style(doc, "Contents Pages", base="Table Text", before=4, align=WD_ALIGN_PARAGRAPH.RIGHT)

    _para(doc, "CONTENTS", "Title")
    _para(doc, "{{ meeting.title }}, {{ meeting.date_long }}", "Body Text")
    _para(doc, "{% if pack.revised %}Revised {% endif %}{{ pack.kind }}", "Body Text")

    table = _table(doc, 4, CONTENTS_WIDTHS_CM, borders=False)
    header, loop_open, line, loop_close = table.rows
    for cell, label in zip(header.cells, ["Item", "Title", "Pages"], strict=True):
        _cell_para(cell, label, "Table Heading")
    header.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(header)
    _cell_para(loop_open.cells[0], "{%tr for line in lines %}", "Table Text")
    _cell_para(line.cells[0], "{{ line.number }}", "Contents Item")
    title = line.cells[1]
    for n, style in enumerate(["Contents Item", "Contents Paper", "Contents Appendix"]):
        tag = "{%p if line.level == 0 %}" if n == 0 else f"{{%p elif line.level == {n} %}}"
        _cell_para(title, tag, style)
        _para(title, "{{ line.title }}", style)
    _para(title, "{%p endif %}", "Contents Appendix")
    _cell_para(line.cells[2], "{{r line.pages_link }}", "Contents Pages")
    _cant_split(line)
    _cell_para(loop_close.cells[0], "{%tr endfor %}", "Table Text")
    doc.save(path)


# --- the cover report ---------------------------------------------------------------------


def build_report(path: Path, *, reference: bool = False) -> None:
    """The cover report. The default is council-neutral and leaves out a section whose
    fields are empty; ``reference`` is the Middlesbrough layout of the example meeting
    (every heading printed, the 2020-23 Strategic Plan table)."""
    doc = _base_document("Cover report", "packbuilder template: cover report")
    _style(doc, "Council Name", size=14, bold=True, after=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "Contact Line")

    _para(doc, "{{ body|upper }}", "Council Name")

    # Report of / Submitted to / Subject.
    head = _table(doc, 3, [4.0, TEXT_WIDTH_CM - 4.0], borders=True)
    for row, (label, field) in zip(
        head.rows,
        [
            ("Report of:", "report.report_of"),
            ("Submitted to:", "report.submitted_to"),
            ("Subject:", "report.subject"),
        ],
        strict=True,
    ):
        _shade(row.cells[0])
        _cell_para(row.cells[0], label, "Table Heading")
        _cell_para(row.cells[1], f"{{{{ {field}|lines }}}}", "Table Value")

    _section(doc, "Summary", "report.summary", "Heading 1", optional=not reference)
    _section(doc, "Proposed decision(s)", "report.proposed_decisions", "Heading 2", optional=False)

    # Report for / Key decision / Confidential / Is the report urgent?
    quarter = TEXT_WIDTH_CM / 4
    status = _table(doc, 2, [quarter] * 4, borders=True)
    for cell, label in zip(
        status.rows[0].cells,
        ["Report for:", "Key decision:", "Confidential:", "Is the report urgent?"],
        strict=True,
    ):
        _shade(cell)
        _cell_para(cell, label, "Table Heading")
    for cell, field in zip(
        status.rows[1].cells,
        ["report_for", "key_decision", "confidential", "urgent"],
        strict=True,
    ):
        _cell_para(cell, f"{{{{ report.{field}|lines }}}}", "Table Text")
    _repeat_header(status.rows[0])
    _keep_table_together(status)
    _para(doc, "", "Normal")

    # Contribution to the council's plan: People / Place / Business.
    fields = "report.strategic_plan.people or report.strategic_plan.place or "
    if not reference:
        _para(doc, f"{{%p if {fields}report.strategic_plan.business %}}", "Normal")
    third = TEXT_WIDTH_CM / 3
    plan = _table(doc, 3, [third] * 3, borders=True)
    merged = plan.rows[0].cells[0].merge(plan.rows[0].cells[2])
    _shade(merged)
    plan_heading = (
        "Contribution to delivery of the 2020-23 Strategic Plan"
        if reference
        else "Contribution to the Council's priorities"
    )
    _cell_para(merged, plan_heading, "Table Heading")
    for cell, label in zip(plan.rows[1].cells, ["People", "Place", "Business"], strict=True):
        _shade(cell)
        _cell_para(cell, label, "Table Heading")
    for cell, field in zip(plan.rows[2].cells, ["people", "place", "business"], strict=True):
        _loop(cell, f"report.strategic_plan.{field}", "Table Text", empty_style="Table Text")
    _repeat_header(plan.rows[0])
    _repeat_header(plan.rows[1])
    _keep_table_together(plan)
    if not reference:
        _para(doc, "{%p endif %}", "Normal")

    sections = [
        ("Ward(s) affected", "report.wards"),
        ("What is the purpose of this report?", "report.purpose"),
        ("Why does this report require a Member decision?", "report.why_member_decision"),
        ("What decision(s) are being asked for?", "report.decisions_asked"),
        (
            "Other potential decisions and why these have not been recommended",
            "report.other_options",
        ),
    ]
    for heading, field in sections:
        _section(doc, heading, field, "Heading 1", optional=not reference)

    impacts = [
        ("Legal", "legal"),
        ("Financial", "financial"),
        ("Policy Framework", "policy_framework"),
        ("Equality and Diversity", "equality"),
        ("Risk", "risk"),
    ]
    any_impact = " or ".join(f"report.impacts.{field}" for _heading, field in impacts)
    if not reference:
        _para(doc, f"{{%p if {any_impact} %}}", "Heading 1")
    _para(doc, "Impact(s) of recommended decision(s)", "Heading 1")
    for heading, field in impacts:
        _section(doc, heading, f"report.impacts.{field}", "Heading 2", optional=not reference)
    if not reference:
        _para(doc, "{%p endif %}", "Heading 1")

    for heading, field in [
        ("Actions to be taken to implement the decision(s)", "report.actions"),
        ("Appendices", "report.appendices"),
        ("Background papers", "report.background_papers"),
    ]:
        _section(doc, heading, field, "Heading 1", optional=not reference)

    _para(doc, "", "Contact Line")
    contact = _para(doc, "", "Contact Line")
    contact.add_run("Contact:").bold = True
    contact.add_run("\t{{ report.contact.name }}")
    _tab_stop(contact, 2.5)
    _para(doc, "{%p if report.contact.phone %}", "Contact Line")
    phone = _para(doc, "", "Contact Line")
    phone.add_run("Phone:").bold = True
    phone.add_run("\t{{ report.contact.phone }}")
    _tab_stop(phone, 2.5)
    _para(doc, "{%p endif %}", "Contact Line")
    email = _para(doc, "", "Contact Line")
    email.add_run("Email:").bold = True
    email.add_run("\t{{ report.contact.email }}")
    _tab_stop(email, 2.5)
    doc.save(path)


def _section(doc, heading: str, field: str, style: str, *, optional: bool) -> None:
    """A heading and the paragraphs of ``field``; with ``optional``, left out (heading and
    all) when the field is empty."""
    if optional:
        _para(doc, f"{{%p if {field} %}}", style)
    _para(doc, heading, style)
    _loop(doc, field, "Body Text")
    if optional:
        _para(doc, "{%p endif %}", style)


def _tab_stop(paragraph, position_cm: float, alignment=WD_TAB_ALIGNMENT.LEFT) -> None:
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(position_cm), alignment)


def _run(paragraph, text: str, *, bold: bool | None = None, italic: bool | None = None) -> None:
    run = paragraph.add_run(text)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _line_breaks(paragraph, count: int) -> None:
    run = paragraph.add_run()
    for _ in range(count):
        run.add_break()


AGENDA_LIST = 41
"""The numbering definition of the agenda's items: a list whose items carry no label of
their own (the item number is the clerk's, printed in the text)."""
NUMBER_INDENT_CM = 1.3


def _list_item(doc, paragraph) -> None:
    """Make ``paragraph`` an item of the agenda's list: the number, the title at 1.3 cm,
    the page range right-aligned at the margin, after the title's last line.

    (A right indent keeping the title clear of the range would be nicer, but LibreOffice
    then right-aligns the range at the indent, not at the margin as Word does.)"""
    numbering = doc.part.numbering_part.element
    if numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{AGENDA_LIST}']") is None:
        indent = int(NUMBER_INDENT_CM * 567)
        numbering.insert(
            0,
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{AGENDA_LIST}">'
                '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0">'
                '<w:start w:val="1"/><w:numFmt w:val="none"/><w:suff w:val="nothing"/>'
                '<w:lvlText w:val=""/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr>'
                "</w:lvl></w:abstractNum>"
            ),
        )
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{AGENDA_LIST}">'
                f'<w:abstractNumId w:val="{AGENDA_LIST}"/></w:num>'
            )
        )
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{AGENDA_LIST}"/></w:numPr>'
        )
    )
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(NUMBER_INDENT_CM)
    fmt.first_line_indent = Cm(-NUMBER_INDENT_CM)
    fmt.keep_together = True
    _tab_stop(paragraph, NUMBER_INDENT_CM)
    _tab_stop(paragraph, TEXT_WIDTH_CM, WD_TAB_ALIGNMENT.RIGHT)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "src" / "packbuilder" / "templates",
        help="folder to write agenda.docx, report.docx and contents.docx to (default: the "
        "package's templates)",
    )
    parser.add_argument(
        "--example-out",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "meetings" / "templates",
        help="folder to write the example meeting's report.docx to (the reference's layout)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    args.example_out.mkdir(parents=True, exist_ok=True)
    build_agenda(args.out / "agenda.docx")
    build_report(args.out / "report.docx")
    build_report(args.example_out / "report.docx", reference=True)
    build_contents(args.out / "contents.docx")
    print(
        f"wrote agenda.docx, report.docx and contents.docx in {args.out}, and "
        f"{args.example_out / 'report.docx'}"
    )


if __name__ == "__main__":
    main()
