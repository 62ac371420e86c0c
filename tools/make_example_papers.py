#!/usr/bin/env python3
"""Generate the example meeting's papers from the reference pack text.

The example meeting (``meetings/osb-2022-05-11.yaml``) reproduces the published
Middlesbrough Council Overview and Scrutiny Board pack of 11 May 2022. Its
papers are rebuilt here from the extracted text of that pack
(``../shared/reference/000_a8f1c668ffb4878f.txt``, beside the repository) as
real Word documents made with python-docx: Heading 1/2/3 styles (LibreOffice
exports them as PDF bookmarks and H1-H3 tags), data tables with marked, repeated
header rows, lists of names and the CONTENTS pages as tabbed paragraphs (not
layout tables), the document language (en-GB), and explicit page breaks. The
papers the meeting lists as PDFs are exported by LibreOffice as *tagged* PDF, as
a council's Word papers would be, so the example pack is fully tagged; the .docx
papers are converted by the pack builder at build time (the script converts
them too, to check them).

Every page start is fixed (``page_break_before`` on the paragraph that opens
the page, following the original's page boundaries where the text shows them:
footnotes at a page foot, paragraphs split across a page), so each paper has
exactly the page count of the original and the final reports' CONTENTS pages
are right:

====================================================  ==========  =====
file (meetings/papers/)                               format      pages
====================================================  ==========  =====
item05-executive-member-update.docx                   .docx           4
item08-addendum.docx                                  .docx          11
item08-final-report-sufficiency-and-permanency.pdf    PDF            55
item09-final-report-locality-working.pdf              PDF            34
====================================================  ==========  =====

Every output is checked after conversion: page count, every planned page break
used, the CONTENTS page references against the pages the headings land on (read from the
PDF outline). Any mismatch is fatal (exit status 1, nothing written for
that paper).

The extracted text's artefacts are dropped: ``**bold**`` becomes bold runs,
``<u>``/``<i>`` underline/italic, ``<p>``/``<ul>`` and ``[text](#)`` links
plain text. Graphics the extraction lost (runs of blank lines) are shown as
grey placeholder pictures of about the original's size, with alternative
text. Footnotes stay as small text at the foot of the page's content, with
their superscript markers.

Usage::

    python tools/make_example_papers.py             # build and verify all five papers
    python tools/make_example_papers.py --only item08-addendum
    python tools/make_example_papers.py --plan      # where pages start, for re-planning

``--plan`` renders with 1 cm less room at each page foot and no paragraph split
across pages, and prints the page starts that gives; pasted into the
``*_PAGES`` sets they leave at least that much slack on every page.

Needs python-docx, pypdf and LibreOffice (``soffice``) on PATH.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
REFERENCE = HERE.parents[2] / "shared" / "reference" / "000_a8f1c668ffb4878f.txt"
OUT_DIR = REPO / "meetings" / "papers"

FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans
LANGUAGE = "en-GB"
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
"""A tagged PDF, as packbuilder converts Word papers (LibreOffice 7.4 reads this form only)."""
FIXED_DATE = _dt.datetime(2022, 5, 3, 9, 0, 0)  # the pack's publication date
PDF_DATE = "D:20220503090000+01'00'"
A4_PORTRAIT_WIDTH = 21.0 - 2.2 - 2.2  # text width (cm) of the portrait papers
PLAN = {"on": False, "slack_cm": 1.0}  # see --plan
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


class PaperError(RuntimeError):
    """A generated paper is not what the example meeting needs."""


# --------------------------------------------------------------------------------------
# Reference text
# --------------------------------------------------------------------------------------


class Reference:
    """The reference pack text, addressed by 1-based line number."""

    def __init__(self, path: Path):
        if not path.is_file():
            raise PaperError(f"reference text not found: {path}")
        self.lines = path.read_text(encoding="utf-8").split("\n")

    def __call__(self, n: int, prefix: str | None = None) -> str:
        text = self.lines[n - 1].rstrip(" \r\n")
        if prefix is not None and not text.lstrip().startswith(prefix):
            raise PaperError(f"reference line {n} should start {prefix!r}, got {text[:60]!r}")
        return text


# --------------------------------------------------------------------------------------
# Inline markup: the extraction's markdown/html artefacts to Word runs
# --------------------------------------------------------------------------------------

_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()]*)\)")
_TOKENS = re.compile(r"(\*\*|<u>|</u>|<i>|</i>|\x01|\x02)")


def clean(text: str) -> str:
    """Drop artefacts that carry no formatting: links, escapes, <p>, <ul>."""
    text = text.replace("\\(", "(").replace("\\)", ")")
    text = re.sub(r"<ul[^>]*>\s*•?\s*", "", text)
    text = re.sub(r"</?(p|ul|li)>", "", text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<(https?://[^>\s]+)>", r"\1", text)
    return text.strip()


def runs_of(text: str) -> list[tuple[str, bool, bool, bool]]:
    """Split marked-up text into (text, bold, italic, underline) runs.

    A lone ``*`` (``*Minnows``, a table's footnote mark) stays a literal asterisk.
    """
    text = _ITALIC.sub("\x01\\1\x02", clean(text))
    out: list[tuple[str, bool, bool, bool]] = []
    bold = italic = underline = False
    for token in _TOKENS.split(text):
        if token == "**":
            bold = not bold
        elif token == "<u>":
            underline = True
        elif token == "</u>":
            underline = False
        elif token in ("<i>", "\x01"):
            italic = True
        elif token in ("</i>", "\x02"):
            italic = False
        elif token:
            out.append((token, bold, italic, underline))
    return out


def plain(text: str) -> str:
    return "".join(t for t, *_ in runs_of(text))


# --------------------------------------------------------------------------------------
# Document model and the line classifier
# --------------------------------------------------------------------------------------

FIGURE_CAPTION = "[Graphic in the published report: not reproduced in this example]"


@dataclass
class Block:
    """One paragraph-level element of a paper."""

    kind: str  # p plist num item h1 h2 h3 fn quote bold caption sig lines table figure contents
    text: str = ""
    line: int = 0  # the reference line it came from; page plans refer to these
    marker: str = ""  # "17." for num, "a)" / "•" / "2." for item
    level: int = 1  # item nesting level
    rows: list = field(default_factory=list)  # table / contents rows (lists of cell texts)
    opts: dict = field(default_factory=dict)

    def plain(self) -> str:
        if self.kind in ("table", "contents"):
            cells = [plain(c) for row in self.rows for c in row if plain(c).strip()]
            return cells[0] if cells else ""
        if self.kind == "figure":
            return FIGURE_CAPTION
        lead = f"{self.marker} " if self.kind in ("num", "item") else ""
        return lead + plain(self.text)


_NUM = re.compile(r"^(\d{1,3})\.\s+(.*)$")
_ITEM = re.compile(r"^\s*-\s+(.*)$")
_MARK = re.compile(r"^(\(?[a-zA-Z]\)|\(?[ivx]{1,4}\))\s+(.*)$")
_SUBNUM = re.compile(r"^\s+(\d{1,2})\.\s+(.*)$")
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
_SIMPLE_KINDS = ("h1", "h2", "h3", "p", "plist", "bold", "caption", "quote", "fn", "sig")


def _is_caps_heading(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(s) < 130


def _looks_like_heading(s: str) -> bool:
    s2 = plain(s).rstrip(SUPERSCRIPTS + " ")
    return (
        0 < len(s2) < 95
        and s2[:1].isupper()
        and not s2.endswith((".", ",", ":-", ":", '"', "”"))
        and not _NUM.match(s)
        and not s2.startswith(("-", "•"))
    )


def parse(ref: Reference, first: int, last: int, over: dict, merges: dict) -> list[Block]:
    """Turn reference lines ``first..last`` into blocks.

    Numbered paragraphs (``17. ...``), list items (``- a) ...``, ``- ...``), tables
    (tab-separated lines), footnotes (a leading superscript digit) and headings (capitals:
    Heading 1, or Heading 2 for "TERM OF REFERENCE"; short unpunctuated lines: Heading 2,
    Heading 3 inside a term of reference) are recognised from the text. ``over`` maps a
    line (or a ``range``) to a kind that overrides that ("skip" drops the line, "sub" makes
    a numbered sub-list item); ``merges`` maps a line to the later line that continues it,
    where the original split a paragraph across a page.
    """
    kinds: dict[int, str] = {}
    for key, kind in over.items():
        for n in key if isinstance(key, range) else (key,):
            kinds[n] = kind
    blocks: list[Block] = []
    consumed: set[int] = set()
    in_tor = False  # inside a term of reference: sub-headings one level lower
    last_letter = ""  # last lettered marker, to tell roman i) from letter i) after h)
    after_lettered = False  # plain bullets after an a)/b) item nest one level deeper
    n = first
    while n <= last:
        ln, raw = n, ref(n)
        n += 1
        s = raw.strip()
        if ln in consumed or not s or set(s) <= set("- \t"):
            continue
        if ln in merges:
            raw = raw.rstrip() + " " + ref(merges[ln]).strip()
            s = raw.strip()
            consumed.add(merges[ln])
        kind = kinds.get(ln)
        if kind == "skip":
            continue
        if kind in _SIMPLE_KINDS:
            if kind == "h1":
                in_tor = False
            elif kind == "h2" and s.upper().startswith("TERM OF REFERENCE"):
                in_tor = True
            text = _ITEM.sub(r"\1", s) if kind in ("h2", "h3") else s
            blocks.append(Block(kind, text, ln))
            after_lettered = False
            continue
        if "\t" in raw:
            rows, m = [], ln
            while m <= last:
                r = ref(m)
                if "\t" in r:
                    if not set(r) <= set("-\t "):  # markdown rule lines
                        rows.append([c.strip() for c in r.split("\t")])
                    consumed.add(m)
                    m += 1
                elif not r.strip() and m + 1 <= last and "\t" in ref(m + 1):
                    m += 1  # a table the original split across a page
                else:
                    break
            n = m
            blocks.append(Block("table", line=ln, rows=rows))
            continue
        if s[0] in SUPERSCRIPTS:
            blocks.append(Block("fn", s, ln))
            continue
        m = _SUBNUM.match(raw) or (_NUM.match(s) if kind == "sub" else None)
        if m:
            blocks.append(Block("item", m.group(2), ln, marker=f"{m.group(1)}."))
            continue
        m = _NUM.match(s)
        if m:
            blocks.append(Block("num", m.group(2), ln, marker=f"{m.group(1)}."))
            last_letter, after_lettered = "", False
            continue
        m = _ITEM.match(raw)
        if m:
            body = m.group(1)
            mk = _MARK.match(body)
            if mk:
                marker, body = mk.group(1), mk.group(2)
                core = marker.strip("()")
                next_letter = chr(ord(last_letter) + 1) if last_letter else ""
                if core in _ROMAN and last_letter and core != next_letter:
                    blocks.append(Block("item", body, ln, marker=marker, level=2))
                else:
                    last_letter = core.lower()
                    blocks.append(Block("item", body, ln, marker=marker, level=1))
                    after_lettered = True
                continue
            level = 2 if after_lettered else 1
            blocks.append(Block("item", body, ln, marker="•", level=level))
            continue
        last_letter, after_lettered = "", False
        if _is_caps_heading(plain(s)) and not s.startswith(("*", "-")):
            in_tor = plain(s).startswith("TERM OF REFERENCE")
            blocks.append(Block("h2" if in_tor else "h1", s, ln))
        elif s[0] in "‘'\"“":
            blocks.append(Block("quote", s, ln))
        elif _looks_like_heading(s):
            blocks.append(Block("h3" if in_tor else "h2", s, ln))
        else:
            blocks.append(Block("p", s, ln))
    return blocks


def insert_figures(blocks: list[Block], figures: dict[int, float]) -> list[Block]:
    """A placeholder box (height in cm) where the extraction lost a graphic."""
    out: list[Block] = []
    pending = sorted(figures)
    for b in blocks:
        while pending and pending[0] < b.line:
            ln = pending.pop(0)
            out.append(Block("figure", line=ln, opts={"height": figures[ln]}))
        out.append(b)
    out += [Block("figure", line=ln, opts={"height": figures[ln]}) for ln in pending]
    return out


def place_footnotes(blocks: list[Block]) -> None:
    """Footnotes go above a heading the original page ended on; a run gets a rule above."""
    for i in range(1, len(blocks)):
        if blocks[i].kind == "fn" and blocks[i - 1].kind in ("h1", "h2", "h3"):
            j = i
            while j < len(blocks) and blocks[j].kind == "fn":
                j += 1
            blocks[i - 1 : j] = blocks[i:j] + [blocks[i - 1]]
    prev = None
    for b in blocks:
        if b.kind == "fn" and (prev is None or prev.kind != "fn"):
            b.opts["rule"] = True
        prev = b


def style_tables(blocks: list[Block], width: float, body_pt: float) -> None:
    """Name / role lists (acknowledgements) are borderless; data tables are ruled grids."""
    for b in blocks:
        if b.kind == "table" and max(len(r) for r in b.rows) == 2 and len(b.rows) > 8:
            b.opts.update(
                borderless=True, widths=[6.0, width - 6.0], size=body_pt, centre=False, pad=0.0
            )


def contents_rows(ref: Reference, first: int, last: int) -> list[list[str]]:
    rows = []
    for n in range(first, last + 1):
        line = ref(n)
        if line.strip():
            entry, _, page = line.partition("\t")
            bullet = "•\t" if "<ul" in entry else ""
            rows.append([bullet + clean(entry), page.strip()])
    return rows


# --------------------------------------------------------------------------------------
# python-docx rendering
# --------------------------------------------------------------------------------------


def _set_fonts(element, name: str) -> None:
    """Set all four rFonts slots (theme fonts would override them, so drop those)."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(slot), name)


def _set_language(doc, language: str) -> None:
    """The document's language (``w:lang`` of the default run properties): LibreOffice
    writes it as the tagged PDF's ``/Lang``."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    _append(rpr, "w:lang", val=language, eastAsia=language, bidi="ar-SA")
    doc.core_properties.language = language


def new_document(
    title: str,
    body_pt: float = 11,
    landscape: bool = False,
    margins: tuple[float, float, float, float] = (2.0, 2.2, 2.5, 2.2),
):
    """An A4 document with Arial body text and plain black bold headings.

    Margins are top, right, bottom, left in cm; the 2.5 cm foot leaves room for the
    "Page N" the pack builder stamps.
    """
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    top, right, bottom, left = margins
    if PLAN["on"]:
        bottom += PLAN["slack_cm"]
    sec.top_margin, sec.right_margin = Cm(top), Cm(right)
    sec.bottom_margin, sec.left_margin = Cm(bottom), Cm(left)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    normal = doc.styles["Normal"]
    _set_language(doc, LANGUAGE)
    normal.font.name = FONT
    normal.font.size = Pt(body_pt)
    _set_fonts(normal.element, FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(8 if body_pt >= 12 else 6)
    pf.line_spacing = 1.0
    pf.widow_control = True
    for name, before, after in (("Heading 1", 6, 10), ("Heading 2", 4, 8), ("Heading 3", 2, 6)):
        st = doc.styles[name]
        st.font.name = FONT
        st.font.size = Pt(12)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(st.element, FONT)
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(after)
        st.paragraph_format.keep_with_next = True
        st.paragraph_format.line_spacing = 1.0
    cp = doc.core_properties
    cp.title = title
    cp.author = "Middlesbrough Council"
    cp.last_modified_by = "tools/make_example_papers.py"
    cp.created = cp.modified = FIXED_DATE
    cp.revision = 1
    cp.comments = "Example paper rebuilt from the text of the published 11 May 2022 pack."
    return doc


def add_runs(par, text: str, bold=False, italic=False, size=None) -> None:
    for chunk, b, i, u in runs_of(text):
        run = par.add_run(chunk)
        run.bold = True if (b or bold) else None
        run.italic = True if (i or italic) else None
        run.underline = True if u else None
        if size:
            run.font.size = Pt(size)


def _append(parent, tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), str(value))
    parent.append(el)
    return el


def _cell_margins(table, top=0.08, bottom=0.08, left=0.15, right=0.15) -> None:
    mar = _append(table._tbl.tblPr, "w:tblCellMar")
    for side, cm in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        _append(mar, f"w:{side}", w=int(cm * 567), type="dxa")


def _no_borders(table) -> None:
    borders = _append(table._tbl.tblPr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _append(borders, f"w:{side}", val="nil")


def _shade(cell, fill: str) -> None:
    _append(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=fill)


def _row(row, header=False, height_cm=None, exact=False) -> None:
    """Rows never split across pages; header rows repeat on each page (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    _append(trpr, "w:cantSplit")
    if header:
        _append(trpr, "w:tblHeader")
    if height_cm is not None:
        row.height = Cm(height_cm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _widths(table, widths_cm) -> None:
    table.autofit = False
    _append(table._tbl.tblPr, "w:tblLayout", type="fixed")
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)


def _cell_text(cell, text: str, size=None, bold=False, align=None, after=0.0) -> None:
    """Fill a cell; each line of ``text`` is a paragraph."""
    for k, line in enumerate(text.split("\n") if text else [""]):
        par = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        par.paragraph_format.space_after = Pt(after)
        par.paragraph_format.space_before = Pt(0)
        if align is not None:
            par.alignment = align
        add_runs(par, line, bold=bold, size=size)


class Renderer:
    """Render blocks into a document, opening a page before each line in ``page_starts``."""

    def __init__(self, doc, page_starts: set[int], width_cm: float, body_pt: float):
        self.doc = doc
        self.page_starts = page_starts
        self.width = width_cm
        self.body = body_pt
        self.used: set[int] = set()

    def _break(self, par, line: int) -> None:
        if line in self.page_starts and line not in self.used:
            par.paragraph_format.page_break_before = True
            self.used.add(line)

    def break_paragraph(self, line: int) -> None:
        """A hairline empty paragraph carrying the page break before a table."""
        if line in self.page_starts and line not in self.used:
            par = self.doc.add_paragraph()
            par.paragraph_format.space_after = Pt(0)
            par.paragraph_format.line_spacing = Pt(1)
            self._break(par, line)

    def para(
        self,
        text: str,
        line: int = 0,
        style: str | None = None,
        *,
        bold=False,
        italic=False,
        size=None,
        left=None,
        first=None,
        right=None,
        before=None,
        after=None,
        align=None,
        keep_next=False,
    ):
        par = self.doc.add_paragraph(style=style)
        pf = par.paragraph_format
        if left is not None:
            pf.left_indent = Cm(left)
        if first is not None:
            pf.first_line_indent = Cm(first)
        if right is not None:
            pf.right_indent = Cm(right)
        if before is not None:
            pf.space_before = Pt(before)
        if after is not None:
            pf.space_after = Pt(after)
        if align:
            par.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]
        if keep_next:
            pf.keep_with_next = True
        if PLAN["on"]:
            pf.keep_together = True  # so --plan's page starts are paragraph starts
        add_runs(par, text, bold=bold, italic=italic, size=size)
        self._break(par, line)
        return par

    def block(self, b: Block) -> None:
        k = b.kind
        if k in ("h1", "h2", "h3"):
            self.para(
                b.text, b.line, style={"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3"}[k]
            )
        elif k == "p":
            self.para(b.text, b.line)
        elif k == "plist":
            self.para(b.text, b.line, after=3)
        elif k == "bold":
            self.para(b.text, b.line, bold=True, keep_next=True)
        elif k == "caption":
            self.para(b.text, b.line, bold=True, align="center", keep_next=True)
        elif k == "quote":
            self.para(b.text, b.line, italic=True, left=1.27, right=1.0)
        elif k in ("sig", "lines"):
            # a signature (all bold) or a contact block (first line bold), a line a paragraph
            lines = b.text.split("\n")
            for j, line in enumerate(lines):
                last = j == len(lines) - 1
                self.para(
                    line,
                    b.line if j == 0 else 0,
                    bold=k == "sig" or j == 0,
                    before=10 if j == 0 else 0,
                    after=10 if last else 0,
                    keep_next=not last,
                )
        elif k == "fn":
            if b.opts.get("rule"):  # a short rule, like Word's footnote separator
                sep = self.para("", b.line, before=10, after=0, right=self.width - 5.0)
                sep.paragraph_format.line_spacing = Pt(1)
                pbdr = _append(sep._p.get_or_add_pPr(), "w:pBdr")
                _append(pbdr, "w:top", val="single", sz=4, space=1, color="auto")
            self.para(b.text, b.line, size=9, after=2, before=3 if b.opts.get("rule") else 0)
        elif k == "num":
            self.para(f"{b.marker}\t{b.text}", b.line, left=1.27, first=-1.27)
        elif k == "item":
            hang = 0.63 if b.marker == "•" else 0.9
            left = 1.27 + 0.9 * (b.level - 1) + hang
            self.para(
                f"{b.marker}\t{b.text}",
                b.line,
                left=left,
                first=-hang,
                after=4 if self.body < 12 else 6,
            )
        elif k == "figure":
            self.figure(b)
        elif k == "table":
            self.table(b)
        elif k == "contents":
            self.contents(b)
        else:
            raise PaperError(f"unknown block kind {k!r}")

    def figure(self, b: Block) -> None:
        """A grey placeholder picture where the original has a graphic, with alt text."""
        self.break_paragraph(b.line)
        width, height = min(14.0, self.width), b.opts.get("height", 7.0)
        par = self.doc.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf = par.paragraph_format
        pf.space_before, pf.space_after, pf.line_spacing = Pt(0), Pt(4), 1.0
        picture = par.add_run().add_picture(
            io.BytesIO(placeholder_png(width, height)), width=Cm(width), height=Cm(height)
        )
        props = picture._inline.docPr
        props.set("descr", FIGURE_CAPTION.strip("[]"))
        props.set("title", "Placeholder for a graphic")

    def table(self, b: Block) -> None:
        if b.opts.get("borderless"):
            self.name_list(b)
            return
        self.break_paragraph(b.line)
        ncols = max(len(r) for r in b.rows)
        rows = [r + [""] * (ncols - len(r)) for r in b.rows]
        t = self.doc.add_table(rows=len(rows), cols=ncols)
        borderless = b.opts.get("borderless", False)
        if borderless:
            _no_borders(t)
        else:
            t.style = "Table Grid"
        pad = b.opts.get("pad", 0.05)
        _cell_margins(t, top=pad, bottom=pad)
        widths = b.opts.get("widths")
        if not widths:
            first = b.opts.get("first", min(6.0, self.width * 0.34))
            widths = [first] + [(self.width - first) / (ncols - 1)] * (ncols - 1)
        _widths(t, widths)
        size = b.opts.get("size", 10 if ncols > 3 else self.body)
        header = b.opts.get("header", 0 if borderless else 1)
        centre = b.opts.get("centre", True)
        for i, (row, cells) in enumerate(zip(t.rows, rows, strict=True)):
            _row(row, header=i < header)
            for j, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
                align = WD_ALIGN_PARAGRAPH.CENTER if j > 0 and centre else None
                _cell_text(cell, text, size=size, bold=i < header, align=align)
                if i < header:
                    _shade(cell, "D9D9D9")
        for r1, c1, r2, c2 in b.opts.get("merge", []):
            cell = t.cell(r1, c1).merge(t.cell(r2, c2))
            for extra in cell.paragraphs[1:]:
                if not extra.text.strip():
                    extra._p.getparent().remove(extra._p)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def name_list(self, b: Block) -> None:
        """A list of names and roles: a paragraph a line, the role at a tab (not a table,
        which a screen reader would announce as a table without headers)."""
        first = b.opts.get("widths", [6.0])[0]
        size = b.opts.get("size", self.body)
        for n, row in enumerate(b.rows):
            par = self.para(row[0], b.line if n == 0 else 0, size=size, after=0)
            for cell in row[1:]:
                par.add_run("\t").font.size = Pt(size)  # (add_runs cleans tabs away)
                add_runs(par, cell, size=size)
            pf = par.paragraph_format
            pf.left_indent, pf.first_line_indent = Cm(first), Cm(-first)
            pf.tab_stops.add_tab_stop(Cm(first))
            pf.keep_together = True
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def contents(self, b: Block) -> None:
        """The CONTENTS page: an entry a paragraph, its page number right-aligned at a tab."""
        pad = 0.06 * 72 / 2.54  # as the table this replaces: 0.06 cm above and below
        for entry, page in b.rows:
            # (no right indent: LibreOffice ignores a tab stop beyond it, as Word does not)
            par = self.para("", 0, before=pad, after=pad, left=0.1)
            pf = par.paragraph_format
            if entry.startswith(("a)", "b)")):
                pf.left_indent = Cm(0.9)
            elif entry.startswith("•"):
                pf.left_indent, pf.first_line_indent = Cm(0.9), Cm(-0.5)
                pf.tab_stops.add_tab_stop(Cm(0.9))
            if entry.startswith("<u>"):
                pf.space_before = Pt(6 + pad)
            pf.tab_stops.add_tab_stop(Cm(self.width - 0.1), WD_TAB_ALIGNMENT.RIGHT)
            pf.keep_together = True
            add_runs(par, entry, size=self.body)
            par.add_run("\t").font.size = Pt(self.body)  # (add_runs cleans tabs away)
            add_runs(par, page, size=self.body)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)


# --------------------------------------------------------------------------------------
# Conversion and checks
# --------------------------------------------------------------------------------------


def soffice_convert(docx: Path, outdir: Path) -> Path:
    """docx -> PDF with LibreOffice, in a throwaway user profile."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise PaperError("LibreOffice (soffice) is not on PATH")
    with tempfile.TemporaryDirectory(prefix="mkpapers-lo-") as profile:
        cmd = [
            exe,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            TAGGED_PDF,
            "--outdir",
            str(outdir),
            str(docx),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    pdf = outdir / f"{docx.stem}.pdf"
    if proc.returncode != 0 or not pdf.is_file():
        raise PaperError(f"LibreOffice failed on {docx.name}: {proc.stdout}{proc.stderr}")
    return pdf


def placeholder_png(width_cm: float, height_cm: float) -> bytes:
    """A light grey box with a thin border and the caption in italics, as a PNG."""
    from PIL import Image, ImageDraw, ImageFont

    dpi = 96
    size = (round(width_cm / 2.54 * dpi), round(height_cm / 2.54 * dpi))
    image = Image.new("L", size, 0xF2)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=0)
    italic = Path("/usr/share/fonts/truetype/liberation2/LiberationSans-Italic.ttf")
    font = ImageFont.truetype(str(italic), 12) if italic.is_file() else ImageFont.load_default()
    draw.text((size[0] / 2, size[1] / 2), FIGURE_CAPTION, fill=0, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def save_docx(doc, path: Path) -> None:
    """Save with fixed zip timestamps, so an unchanged paper is byte-for-byte the same."""
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))


def write_pdf(src: Path, dst: Path, title: str) -> None:
    """Copy LibreOffice's PDF (outline included) with fixed metadata and file ID.

    LibreOffice stamps the conversion time and a random ID; with these fixed, rerunning
    the script on unchanged input gives byte-identical PDFs.
    """
    reader = PdfReader(src)
    digest = hashlib.md5(title.encode())
    for page in reader.pages:
        digest.update(page.get_contents().get_data() if page.get_contents() else b"")
    writer = PdfWriter(clone_from=reader)
    writer._ID = ArrayObject([ByteStringObject(digest.digest())] * 2)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": "Middlesbrough Council",
            "/Subject": "Overview and Scrutiny Board, 11 May 2022 (packbuilder example paper)",
            "/Creator": "tools/make_example_papers.py (python-docx)",
            "/Producer": "LibreOffice, pypdf",
            "/CreationDate": PDF_DATE,
            "/ModDate": PDF_DATE,
        }
    )
    tmp = dst.with_suffix(".pdf.part")
    with open(tmp, "wb") as fh:
        writer.write(fh)
    tmp.replace(dst)


def page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(pdf).pages]


def outline_pages(pdf: Path) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every outline entry, in document order."""
    reader = PdfReader(pdf)
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def lowest_text(pdf: Path) -> list[float]:
    """For each page, the distance (cm) from the page top to its lowest text baseline."""
    out = []
    for page in PdfReader(pdf).pages:
        height = float(page.mediabox.height)
        ys: list[float] = []

        def visit(text, cm, tm, _font, _size, ys=ys):
            if text.strip():
                ys.append(cm[3] * tm[5] + cm[5] if cm[3] else tm[5])

        page.extract_text(visitor_text=visit)
        out.append(round((height - min(ys)) / 72 * 2.54, 1) if ys else 0.0)
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def find_page_starts(pdf: Path, blocks: list[Block]) -> list[int | None]:
    """For each page, the reference line of the block that opens it (None if not found)."""
    probes = []
    for i, b in enumerate(blocks):
        probe = _squash(b.plain())[:18]
        if b.kind == "figure" and i + 1 < len(blocks):  # captions are all alike
            probe = _squash(b.plain()) + _squash(blocks[i + 1].plain())[:12]
        probes.append(probe)
    starts: list[int | None] = []
    cursor = 0
    for text in page_texts(pdf):
        page = _squash(text)
        hit = next(
            (i for i in range(cursor, len(blocks)) if probes[i] and page.startswith(probes[i])),
            None,
        )
        starts.append(None if hit is None else blocks[hit].line)
        cursor = cursor if hit is None else hit + 1
    return starts


def _norm(s: str) -> str:
    s = plain(s).lower().replace("’", "'").replace("–", "-").lstrip("•\t ")
    return re.sub(r"\s+", " ", s)


def check_contents(rows: list[list[str]], aliases: dict[str, str | None]) -> Callable:
    """A check that every CONTENTS page reference is the page its heading is on."""

    def check(pdf: Path) -> None:
        outline = [(_norm(title), page) for _, title, page in outline_pages(pdf)]
        if not outline:
            raise PaperError("the PDF has no outline (bookmarks)")
        for entry, ref_text in rows:
            m = re.search(r"\d+", ref_text)
            if not m:
                continue
            key = _norm(entry)
            target = next((v for k, v in aliases.items() if key.startswith(k)), key)
            if target is None:
                continue
            found = [page for title, page in outline if title.startswith(target[:40])]
            if not found:
                raise PaperError(f"contents entry {entry!r}: no heading {target!r} in outline")
            if found[0] != int(m.group()):
                raise PaperError(
                    f"contents says {entry!r} is on page {m.group()}, "
                    f"its heading is on page {found[0]}"
                )

    return check


def check_plan(renderer: Renderer) -> Callable:
    """A check that every planned page start was placed and no page overflowed."""

    def check(pdf: Path) -> None:
        missing = renderer.page_starts - renderer.used
        if missing:
            raise PaperError(f"planned page starts not in the document: {sorted(missing)}")
        pages = len(PdfReader(pdf).pages)
        if pages != len(renderer.used) + 1:
            raise PaperError(
                f"{pages} pages for {len(renderer.used)} page breaks: a page overflowed"
            )

    return check


@dataclass
class Built:
    doc: object
    blocks: list[Block]
    checks: list[Callable[[Path], None]]


# --------------------------------------------------------------------------------------
# Item 5: Attendance of Executive Members (2-page report + one page per portfolio)
# --------------------------------------------------------------------------------------

ITEM05_OVER = {176: "h1", 180: "h1", 186: "h1", 199: "h1", 183: "sub", 184: "sub"}
ITEM05_PAGES = {196, 213, 219}
# (portfolio line, councillor line, lead officer line, scope heading line, scope lines)
ITEM05_PORTFOLIOS = [(213, 214, 215, 216, [217]), (219, 220, 221, 223, [225, 227])]


def build_item05(ref: Reference) -> Built:
    body = 12
    width = A4_PORTRAIT_WIDTH
    doc = new_document(
        "Attendance of Executive Members at the Overview and Scrutiny Board", body_pt=body
    )
    R = Renderer(doc, ITEM05_PAGES, width, body)
    R.para(ref(167, "MIDDLESBROUGH COUNCIL"), 167, bold=True, align="center", size=14, after=12)
    R.para(ref(169, "OVERVIEW AND SCRUTINY BOARD"), bold=True, align="center", after=6)
    R.para(ref(171, "11 MAY 2022"), bold=True, align="center", after=18)
    R.para(
        plain(ref(173, "**ATTENDANCE") + " " + ref(174)),
        bold=True,
        align="center",
        size=13,
        after=18,
    )
    blocks = parse(ref, 176, 201, ITEM05_OVER, {})
    for b in blocks:
        R.block(b)
    contact = [ref(n) for n in (203, 205, 207, 209, 211)]
    if not contact[0].startswith("Contact Officer:") or not contact[4].startswith("e mail:"):
        raise PaperError("item 5: contact block moved in the reference")
    R.block(Block("lines", "\n".join(contact), 203))
    for k, (a, councillor, lead, scope_head, scope) in enumerate(ITEM05_PORTFOLIOS):
        if k == 0:
            R.para("APPENDIX 1", a, style="Heading 1", align="right")
        else:
            R.break_paragraph(a)
        label, member = ref(a, "Executive Portfolio:").split("\t")
        lead_label, lead_officer = ref(lead, "Lead Officer:").split("\t")
        paras = [p for n in scope for p in re.split(r"</p>\s*<p>", ref(n)) if p.strip()]
        t = doc.add_table(rows=4, cols=2)
        t.style = "Table Grid"
        _cell_margins(t, top=0.15, bottom=0.15, left=0.2, right=0.2)
        _widths(t, [5.0, width - 5.0])
        _cell_text(t.cell(0, 0), label, bold=True)
        _cell_text(t.cell(0, 1), f"**{member}**\n{ref(councillor).strip()}", after=4)
        _cell_text(t.cell(1, 0), lead_label, bold=True)
        _cell_text(t.cell(1, 1), lead_officer)
        head = t.cell(2, 0).merge(t.cell(2, 1))
        _cell_text(head, plain(ref(scope_head, "SCOPE OF PORTFOLIO")), bold=True)
        _shade(head, "D9D9D9")
        _cell_text(t.cell(3, 0).merge(t.cell(3, 1)), "\n".join(clean(p) for p in paras), after=10)
        for row in t.rows:  # the portfolio's row heads the table (a header row, /TH)
            _row(row, header=row._tr is t.rows[0]._tr)
        doc.add_paragraph().paragraph_format.space_after = Pt(6)
    R.para(ref(229, "In circumstances"), 229, italic=True)
    return Built(doc, blocks, [check_plan(R)])


# --------------------------------------------------------------------------------------
# Item 8: the Addendum to the Sufficiency and Permanency final report
# --------------------------------------------------------------------------------------

# fmt: off
ADDENDUM_OVER = {
    257: "h2", 274: "h2", 278: "h2", 294: "h2", 302: "h2", 310: "h2", 322: "h2", 326: "h2",
    334: "h2", 346: "h2",
    range(441, 460): "plist",
}
ADDENDUM_MERGES = {338: 340, 384: 386, 402: 404}
ADDENDUM_PAGES = {255, 274, 297, 322, 349, 368, 382, 397, 409, 437}
# fmt: on


def build_addendum(ref: Reference) -> Built:
    body = 11
    width = A4_PORTRAIT_WIDTH
    doc = new_document("Addendum - Final Report - Sufficiency and Permanency", body_pt=body)
    R = Renderer(doc, ADDENDUM_PAGES, width, body)
    R.para(ref(231, "ADDENDUM"), 231, style="Heading 1", align="center")
    for n in range(233, 240):
        R.para(
            plain(ref(n)), bold=True, align="center", after=0, size=13 if n in (233, 235) else 12
        )
    R.para("", after=6)
    blocks = parse(ref, 241, 459, ADDENDUM_OVER, ADDENDUM_MERGES)
    chair = plain(ref(461, "**COUNCILLOR D DAVISON"))
    role = plain(ref(462, "CHAIR,") + " " + ref(463, "PANEL"))
    contact = [ref(n) for n in range(470, 475)]
    if not contact[0].startswith("Contact Officer:"):
        raise PaperError("addendum: contact block moved in the reference")
    blocks += [
        Block("sig", f"{chair}\n{role}", 461),
        Block("bold", plain(ref(465, "**The Current Membership") + " " + ref(466)), 465),
        Block("p", ref(468, "(During the course"), 468),
        Block("lines", "\n".join(contact), 470),
    ]
    place_footnotes(blocks)
    style_tables(blocks, width, body)
    for b in blocks:
        R.block(b)
    return Built(doc, blocks, [check_plan(R)])


# --------------------------------------------------------------------------------------
# Item 8: Final Report - Sufficiency and Permanency (55 pages)
# --------------------------------------------------------------------------------------

FINAL1_TITLE = [
    "OVERVIEW AND SCRUTINY BOARD",
    "11 MAY 2022",
    "FINAL REPORT",
    "CHILDREN & YOUNG PEOPLE'S SOCIAL CARE & SERVICES SCRUTINY PANEL",
    "SUFFICIENCY & PERMANENCY",
    "(PERCEPTIONS OF CHILDREN IN CARE)",
]
# fmt: off
FINAL1_OVER = {
    # terms of reference and their sub-questions
    595: "h2", 597: "h3", 704: "h2", 706: "h3", 751: "h2", 753: "h3", 755: "h3",
    793: "h2", 795: "h3", 893: "h2", 895: "h3", 1059: "h2", 1061: "h3",
    978: "h3", 1011: "h3",
    # the profile of children looked after (a boxed summary in the original)
    641: "caption", 651: "bold", 653: "h3", 666: "h3", 674: "h3",
    655: "p", 677: "p", 679: "p", 681: "p", 684: "p",
    716: "caption", 718: "caption", 720: "caption",
    825: "quote", 999: "quote", 1097: "quote",
    1106: "sub",
    range(1197, 1218): "plist",
    range(1219, 1224): "skip",  # the signature block, built below
    # Appendix 2 (the Pause report)
    1368: "h3", 1378: "h3", 1384: "h3", 1394: "h3", 1404: "h3", 1417: "h3", 1424: "h3",
    1428: "caption", 1432: "skip",
}
FINAL1_MERGES = {953: 955, 1113: 1115, 1143: 1145, 1251: 1253, 1304: 1306}
FINAL1_FIGURES = {  # reference line of the lost graphic -> placeholder height (cm)
    630: 6.5, 642: 6.5, 689: 7.0, 695: 7.0, 709: 7.0, 721: 9.0, 746: 7.0, 837: 12.0,
    870: 7.0, 874: 7.0, 1421: 12.0, 1429: 8.0,
}
FINAL1_PAGES = {
    482, 510, 540, 570, 585, 593, 628, 645, 687, 701, 704, 716, 736, 751, 775, 790, 793,
    817, 837, 849, 864, 874, 886, 893, 913, 935, 953, 978, 999, 1015, 1035, 1048, 1059,
    1075, 1087, 1106, 1117, 1138, 1147, 1150, 1162, 1171, 1225, 1251, 1279, 1304, 1330,
    1360, 1366, 1378, 1394, 1411, 1417, 1424,
}
# fmt: on
FINAL1_CONTENTS_ALIASES = {  # contents entry (its start) -> the heading it refers to
    "council's three core objectives": "council's three core aims",
    "a) to challenge people's perceptions": "to challenge people's perceptions",
}


def build_final1(ref: Reference) -> Built:
    body = 11
    width = A4_PORTRAIT_WIDTH
    doc = new_document("Final Report - Sufficiency and Permanency", body_pt=body)
    R = Renderer(doc, FINAL1_PAGES, width, body)
    R.para(
        ref(478, "MIDDLESBROUGH COUNCIL"),
        478,
        bold=True,
        align="center",
        size=16,
        before=120,
        after=60,
    )
    if _squash(plain(ref(480))) != _squash("".join(FINAL1_TITLE)):
        raise PaperError("final report title does not match the reference")
    for k, line in enumerate(FINAL1_TITLE):
        R.para(
            line,
            bold=True,
            align="center",
            size=16 if k < 3 else 14,
            after=30 if k in (1, 2, 3) else 6,
        )
    R.para(ref(482, "CONTENTS"), 482, style="Heading 1")
    contents = contents_rows(ref, 484, 508)
    R.block(Block("contents", line=484, rows=contents))
    blocks = parse(ref, 510, 1224, FINAL1_OVER, FINAL1_MERGES)
    chair, _, role = ref(1219, "COUNCILLOR D DAVISON").partition(" CHAIR,")
    blocks += [
        Block("sig", f"{chair}\nCHAIR,{role}", 1219),
        Block("bold", ref(1221, "The Membership of the Panel"), 1221),
        Block("p", ref(1223, "(During the course"), 1223),
        Block("h1", "APPENDIX 1", 1225),
    ]
    blocks += parse(ref, 1227, 1365, FINAL1_OVER, FINAL1_MERGES)
    blocks += [Block("h1", "APPENDIX 2", 1366), Block("h2", ref(1366, "PAUSE - Report"), 1366)]
    blocks += parse(ref, 1368, 1438, FINAL1_OVER, {})
    blocks = insert_figures(blocks, FINAL1_FIGURES)
    place_footnotes(blocks)
    style_tables(blocks, width, body)
    table_opts = {
        616: {"first": 6.0},
        1048: {"size": 9, "widths": [4.2, 1.9, 2.0, 1.7, 1.5, 1.5, 1.5, 2.3]},
        1434: {"widths": [5.0, 3.0, 3.0, 3.0]},
    }
    for b in blocks:
        if b.kind == "table":
            b.opts.update(table_opts.get(b.line, {}))
        R.block(b)
    return Built(doc, blocks, [check_plan(R), check_contents(contents, FINAL1_CONTENTS_ALIASES)])


# --------------------------------------------------------------------------------------
# Item 9: Final Report - Locality Working from a Children's Services Perspective (34 pages)
# --------------------------------------------------------------------------------------

# fmt: off
FINAL2_OVER = {
    1919: "h2",
    1962: "sub",
    1660: "p", 1664: "p",
    1869: "bold", 1881: "bold",
    range(2050, 2057): "plist",
}
FINAL2_MERGES = {1541: 1561, 1727: 1729, 1834: 1836, 1903: 1905}
FINAL2_FIGURES = {1538: 9.0, 1686: 7.0, 1690: 8.0, 1694: 8.0, 1973: 7.0}
FINAL2_TABLES = {
    1598: {"merge": [(3, 0, 3, 3)]},
    1632: {"first": 4.5},
    1859: {"header": 2, "first": 4.5, "merge": [(0, 1, 0, 2), (0, 3, 0, 4), (0, 0, 1, 0)]},
    1871: {"first": 5.0},
    1883: {"first": 5.0},
}
FINAL2_PAGES = {
    1464, 1494, 1515, 1541, 1563, 1583, 1606, 1617, 1643, 1669, 1690, 1697, 1724, 1741,
    1755, 1768, 1781, 1799, 1814, 1825, 1834, 1851, 1869, 1902, 1919, 1938, 1962, 1980,
    1982, 1997, 2004, 2017, 2021,
}
# fmt: on
FINAL2_CONTENTS_ALIASES = {  # None: no heading to check
    "mayor's vision": "mayor's/council's priorities",
    "council's core objectives": "council's three core aims",
    "terms of reference a & b": None,  # "Pages 2-25": the evidence before term C
}


def build_final2(ref: Reference) -> Built:
    body = 11
    width = A4_PORTRAIT_WIDTH
    doc = new_document(
        "Final Report - Locality Working from a Children's Services Perspective", body_pt=body
    )
    R = Renderer(doc, FINAL2_PAGES, width, body)
    R.para(ref(1442, "MIDDLESBROUGH COUNCIL"), 1442, bold=True, align="center", size=14, after=10)
    for n in range(1444, 1451):
        R.para(plain(ref(n)), bold=True, align="center", after=0)
    R.para("", after=4)
    R.para(ref(1452, "CONTENTS"), 1452, style="Heading 1")
    contents = []
    for entry, page in contents_rows(ref, 1454, 1462):
        if entry.startswith("Background Information/Evidence Gathered Terms"):
            # three rows the extraction ran together
            if page != "Page 2 Pages 2-25 Pages 26-29":
                raise PaperError("locality report: contents row changed in the reference")
            contents += [
                ["Background Information/Evidence Gathered", "Page 2"],
                ["Terms of Reference A & B", "Pages 2-25"],
                ["Term of Reference C", "Pages 26-29"],
            ]
        else:
            contents.append([entry, page])
    R.block(Block("contents", line=1454, rows=contents))
    blocks = parse(ref, 1464, 2057, FINAL2_OVER, FINAL2_MERGES)
    chair, _, role = ref(2058, "COUNCILLOR D DAVISON").partition(" CHAIR,")
    contact = [ref(n) for n in range(2062, 2066)]
    if not contact[0].startswith("Contact Officer:"):
        raise PaperError("locality report: contact block moved in the reference")
    blocks += [
        Block("sig", f"{chair}\nCHAIR,{role}", 2058),
        Block("bold", ref(2060, "The Membership of the Panel"), 2060),
        Block("lines", "\n".join(contact), 2062),
    ]
    blocks = insert_figures(blocks, FINAL2_FIGURES)
    place_footnotes(blocks)
    style_tables(blocks, width, body)
    for b in blocks:
        if b.kind == "table":
            b.opts.update(FINAL2_TABLES.get(b.line, {}))
        R.block(b)
    return Built(doc, blocks, [check_plan(R), check_contents(contents, FINAL2_CONTENTS_ALIASES)])


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------


@dataclass
class Paper:
    name: str  # file stem in meetings/papers
    fmt: str  # what the meeting file uses: "pdf" or "docx"
    pages: int
    title: str
    build: Callable[[Reference], Built]


PAPERS = [
    Paper(
        "item05-executive-member-update",
        "docx",
        4,
        "Attendance of Executive Members at the Overview and Scrutiny Board",
        build_item05,
    ),
    Paper(
        "item08-addendum",
        "docx",
        11,
        "Addendum - Final Report - Sufficiency and Permanency",
        build_addendum,
    ),
    Paper(
        "item08-final-report-sufficiency-and-permanency",
        "pdf",
        55,
        "Final Report - Sufficiency and Permanency",
        build_final1,
    ),
    Paper(
        "item09-final-report-locality-working",
        "pdf",
        34,
        "Final Report - Locality Working from a Children's Services Perspective",
        build_final2,
    ),
]


def make(paper: Paper, ref: Reference, out_dir: Path, work: Path) -> int:
    built = paper.build(ref)
    docx = work / f"{paper.name}.docx"
    save_docx(built.doc, docx)
    pdf = soffice_convert(docx, work)
    pages = len(PdfReader(pdf).pages)
    if PLAN["on"]:
        print(f"{paper.name}: {pages} pages (needs {paper.pages})")
        starts = find_page_starts(pdf, built.blocks)
        for p, (line, low) in enumerate(zip(starts, lowest_text(pdf), strict=True), 1):
            print(f"  page {p:3d}: starts at line {line}, lowest text {low} cm from the top")
        print("  page starts:", sorted(line for line in starts[1:] if line))
        return pages
    if pages != paper.pages:
        raise PaperError(f"{pages} pages, the example meeting needs {paper.pages}")
    for check in built.checks:
        check(pdf)
    if paper.fmt == "docx":
        shutil.copyfile(docx, out_dir / docx.name)
    else:
        write_pdf(pdf, out_dir / pdf.name, paper.title)
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", metavar="NAME", help="build only this paper")
    ap.add_argument(
        "--plan",
        action="store_true",
        help="print where pages start (with 1 cm slack); write nothing",
    )
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = ap.parse_args(argv)
    PLAN["on"] = args.plan
    known = {p.name for p in PAPERS}
    for name in args.only or []:
        if name not in known:
            ap.error(f"unknown paper {name!r}; choose from {', '.join(sorted(known))}")
    try:
        ref = Reference(REFERENCE)
    except PaperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mkpapers-") as tmp:
        for paper in PAPERS:
            if args.only and paper.name not in args.only:
                continue
            try:
                pages = make(paper, ref, args.out, Path(tmp))
            except PaperError as exc:
                print(f"FAILED {paper.name}.{paper.fmt}: {exc}", file=sys.stderr)
                failures += 1
                continue
            if not args.plan:
                print(f"{paper.name}.{paper.fmt}: {pages} pages, checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
