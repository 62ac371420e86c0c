"""Build ``templates/forward-plan.docx``, the Word template of the Executive Forward Work Programme.

Run from the repository root::

    python tools/make_forward_plan_template.py [--out src/packbuilder/templates/forward-plan.docx]

The template is the whole edition: an optional heading (``APPENDIX A`` when
the table is an appendix of an agenda pack), an optional title block, then a
seven-column table whose header row repeats on every page (``w:tblHeader``),
one spanning row per portfolio, one row per entry, and optional notes (reg 9
(1)(f)-(h): where documents can be had). A4 landscape, Arial; the bottom
margin is left clear for the pack's "Page N" stamp, and the footer prints
page numbers only when ``page_numbers`` is true (the standalone edition).

The variables (see :mod:`packbuilder.render.forwardplan`): ``heading``,
``title``, ``subtitle``, ``notes`` (a list), ``footer``, ``page_numbers``,
``groups`` (each with ``portfolio`` and ``entries``); each entry has
``reference``, ``wards``, ``subject``, ``description``, ``decision_maker``,
``due`` (``14 Jun 2022``), ``key`` (``KEY``, ``PFP`` or empty), ``key_reason``,
``exemption``, ``background``, ``member``, ``officer``; ``private`` (the
decisions to be taken in private, each with ``reference``, ``subject``,
``decision`` and ``reason``) and ``private_notice`` (``heading``, ``intro``,
``representations``): the notice of intention of reg 5 of SI 2012/2089.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Arial"
BODY_SIZE = 10
TABLE_SIZE = 12
HEADER_SHADE = "BFBFBF"
GROUP_SHADE = "E7E6E6"
FIXED_TIME = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
OUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "packbuilder"
    / "templates"
    / "forward-plan.docx"
)

# Column headings (as in the reference) and widths in cm; they add up to the 25.7 cm
# between the 2 cm side margins of landscape A4.
COLUMNS = (
    ("Ref No. / Ward", 2.7),
    ("Subject / Decision", 6.9),
    ("Decision Maker and Decision Due Date", 3.3),
    ("Key / PFP", 3.4),
    ("Likely Exemption", 2.8),
    ("Background documents", 2.9),
    ("Member / Officer Contact", 3.7),
)


# --- helpers ------------------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> OxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _run_props(rpr, *, size: float, bold: bool = False, italic: bool = False) -> None:
    for child in list(rpr):
        rpr.remove(child)
    rpr.append(_el("w:rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT))
    if bold:
        rpr.append(_el("w:b"))
        rpr.append(_el("w:bCs"))
    if italic:
        rpr.append(_el("w:i"))
        rpr.append(_el("w:iCs"))
    rpr.append(_el("w:color", val="000000"))
    rpr.append(_el("w:sz", val=str(int(size * 2))))
    rpr.append(_el("w:szCs", val=str(int(size * 2))))
    rpr.append(_el("w:lang", val="en-GB", eastAsia="en-GB", bidi="ar-SA"))


def _style(doc, name: str, *, size: float, bold: bool = False, after: float = 0, keep=False):
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _run_props(style.element.get_or_add_rPr(), size=size, bold=bold)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(after), 1.0
    fmt.keep_with_next = keep
    return style


def _para(container, text: str = "", style: str = "Normal", *, bold=False, italic=False):
    """Add a paragraph; in a table cell, fill the cell's first paragraph while it is empty."""
    cells_first = getattr(container, "_tc", None) is not None
    paragraph = container.paragraphs[0] if cells_first else None
    if paragraph is None or paragraph.runs or len(container.paragraphs) > 1:
        paragraph = container.add_paragraph()
    paragraph.style = style
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
    return paragraph


def _optional(container, condition: str, text: str, style: str, **kwargs) -> None:
    """``{%p if condition %}`` / text / ``{%p endif %}``: a paragraph printed only if true."""
    _para(container, f"{{%p if {condition} %}}", style)
    _para(container, text, style, **kwargs)
    _para(container, "{%p endif %}", style)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.append(_el("w:shd", val="clear", color="auto", fill=fill))


def _row_flag(row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(_el(tag))


def _table(doc, rows: int):
    table = doc.add_table(rows=rows, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for tag in ("w:tblStyle", "w:tblW", "w:tblLook"):
        for child in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(child)
    tbl_pr.append(_el("w:tblW", w=str(int(sum(w for _, w in COLUMNS) * 567)), type="dxa"))
    tbl_pr.append(_el("w:tblLayout", type="fixed"))
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    tbl_pr.append(borders)
    margins = _el("w:tblCellMar")
    for side, width in (("top", "57"), ("left", "85"), ("bottom", "57"), ("right", "85")):
        margins.append(_el(f"w:{side}", w=width, type="dxa"))
    tbl_pr.append(margins)
    for column, (_, width) in zip(table.columns, COLUMNS, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def _page_field(paragraph, instruction: str) -> None:
    field = _el("w:fldSimple", instr=f" {instruction} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# --- the template -------------------------------------------------------------------------


def _document():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = Cm(1.5)
    section.bottom_margin = Cm(2.0)  # clear space for the pack's "Page N" stamp
    section.left_margin = section.right_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(0.8)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _run_props(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), size=BODY_SIZE)
    _style(doc, "Normal", size=BODY_SIZE)
    _style(doc, "Table Text", size=TABLE_SIZE)
    _style(doc, "Table Heading", size=TABLE_SIZE, bold=True)
    _style(doc, "Heading 1", size=12, bold=True, after=6, keep=True)
    _style(doc, "Title", size=14, bold=True, after=2, keep=True)
    _style(doc, "Subtitle", size=BODY_SIZE, after=8, keep=True)
    props = doc.core_properties
    props.title = "Executive Forward Work Programme"
    props.subject = "Forward plan of key decisions"
    props.author = props.last_modified_by = "packbuilder"
    props.language = "en-GB"
    props.revision = 1
    props.created = props.modified = FIXED_TIME
    props.comments = (
        "Word template with Jinja tags (docxtpl). Keep each %p tag in a paragraph of "
        "its own and each %tr tag in a table row of its own."
    )
    return doc


def _entry_row(row) -> None:
    cells = row.cells
    _para(cells[0], "{{ e.reference }}", "Table Text")
    _optional(cells[0], "e.wards", "{{ e.wards }}", "Table Text")
    _para(cells[1], "{{ e.subject }}", "Table Text", bold=True)
    _optional(cells[1], "e.description", "{{ e.description }}", "Table Text")
    _para(cells[2], "{{ e.decision_maker }}", "Table Text")
    _optional(cells[2], "e.due", "{{ e.due }}", "Table Text")
    _para(cells[3], "{{ e.key }}", "Table Text")
    _optional(cells[3], "e.key_reason", "{{ e.key_reason }}", "Table Text")
    _para(cells[4], "{{ e.exemption }}", "Table Text")
    _para(cells[5], "{{ e.background }}", "Table Text")
    _para(cells[6], "{{ e.member }}", "Table Text")
    _optional(cells[6], "e.officer", "{{ e.officer }}", "Table Text", italic=True)


def build(path: Path) -> None:
    """Write the forward plan template to ``path``."""
    doc = _document()
    _optional(doc, "heading", "{{ heading }}", "Heading 1")
    _para(doc, "{%p if title %}", "Title")
    _para(doc, "{{ title }}", "Title")
    _optional(doc, "subtitle", "{{ subtitle }}", "Subtitle")
    _para(doc, "{%p endif %}", "Title")

    table = _table(doc, 7)
    header, group_open, group, entry_open, entry, entry_close, group_close = table.rows
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, (label, _) in zip(header.cells, COLUMNS, strict=True):
        _para(cell, label, "Table Heading")
        _shade(cell, HEADER_SHADE)
    _para(group_open.cells[0], "{%tr for group in groups %}", "Table Text")
    merged = group.cells[0].merge(group.cells[-1])
    _para(merged, "{{ group.portfolio }}", "Table Heading")
    _shade(merged, GROUP_SHADE)
    _row_flag(group, "w:cantSplit")
    _para(entry_open.cells[0], "{%tr for e in group.entries %}", "Table Text")
    _entry_row(entry)
    _para(entry_close.cells[0], "{%tr endfor %}", "Table Text")
    _para(group_close.cells[0], "{%tr endfor %}", "Table Text")

    _para(doc, "{%p for note in notes %}", "Normal")
    _para(doc, "{{ note }}", "Normal").paragraph_format.space_before = Pt(6)
    _para(doc, "{%p endfor %}", "Normal")

    # Reg 5 of SI 2012/2089: the notice of the intention to take decisions in private.
    _para(doc, "{%p if private %}", "Heading 1")
    _para(doc, "{{ private_notice.heading }}", "Heading 1").paragraph_format.space_before = Pt(12)
    _para(doc, "{{ private_notice.intro }}", "Normal")
    _para(doc, "{%p for p in private %}", "Normal")
    line = _para(doc, "{{ p.reference }}: {{ p.subject }}", "Normal", bold=True)
    line.paragraph_format.space_before = Pt(6)
    _para(doc, "{{ p.decision }}", "Normal")
    _para(doc, "{{ p.reason }}", "Normal")
    _para(doc, "{%p endfor %}", "Normal")
    _para(doc, "{{ private_notice.representations }}", "Normal").paragraph_format.space_before = Pt(
        6
    )
    _para(doc, "{%p endif %}", "Normal")

    footer = doc.sections[0].footer
    footer.is_linked_to_previous = False
    first = footer.paragraphs[0]
    first.style = doc.styles["Normal"]
    first.add_run("{{ footer }}")
    _para(footer, "{%p if page_numbers %}", "Normal")
    numbers = _para(footer, "Page ", "Normal")
    _page_field(numbers, "PAGE")
    numbers.add_run(" of ")
    _page_field(numbers, "NUMPAGES")
    _para(footer, "{%p endif %}", "Normal")

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    build(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
