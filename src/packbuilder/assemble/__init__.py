"""Assemble the pack PDF: merge, pad, stamp, bookmark, link, label.

The input is a :class:`PackSpec`: one :class:`PackPage` per output page (a page
of an open paper, or a generated blank page), the bookmarks, where the
agenda's links point and the metadata. :func:`write_pack` writes it as one PDF
and, optionally, extracts of page ranges (one PDF per agenda item).

This package writes the PDF itself rather than through ``pypdf.PdfWriter``:
source objects are read with pypdf and serialised straight to the output with
their object numbers remapped, each source object once however many pages
share it (:mod:`.objects`). That is several times faster than
``PdfWriter.add_page`` and keeps the output the size of a plain merge. On top
of the copied pages (:mod:`.pages`) it adds:

* a page number at the foot of every page (``Page N``), as one small content
  stream per page using one shared font object; the page's own
  content becomes a form XObject drawn before it, so neither its graphics
  state (even an unbalanced ``q``) nor broken syntax (an unterminated string)
  can reach the stamp, and the text is placed at the bottom centre *as
  displayed* (``/Rotate``, ``/UserUnit`` and boxes that do not start at 0,0
  are taken into account) (:mod:`.stamp`, :mod:`.content`);
* blank A4 pages saying "This page is intentionally left blank";
* page labels equal to the printed numbers;
* an outline: one entry per :class:`Bookmark`, with the papers' own outlines
  nested and their destinations remapped to the pack's pages (:mod:`.outline`);
* internal links: the front sheet's ``https://packbuilder.invalid/item/<n>``
  links become links to the item's first page; the papers' own internal links
  are remapped, or dropped when their target page is not in the pack
  (:mod:`.links`);
* the papers' form fields, one copy per use of a paper (:mod:`.forms`);
* an allow-list, not a deny-list: a copied page keeps its content, the
  resources the content uses, its boxes and rotation, links whose action is a
  page link or an http/https/mailto address, form fields without actions, and
  markup only when asked (:mod:`.allowlist`); every object copied from a paper
  is screened for actions, attached files, scripts and metadata at any depth
  (:mod:`.scrub`); :mod:`.leftout` lists what a paper loses, for the clerk's
  warning, finds unapplied redactions and text covered by a black box;
  :mod:`.pagecontent` inflates a page's content once within the paper's limits
  (:mod:`packbuilder.inputs.pdflimits`) and :mod:`.streamcheck` measures the rest;
* the papers' layers (optional content), those hidden staying hidden (:mod:`.layers`);
* document metadata (title, subject, author, keywords, language) and a
  ``/ID`` derived from the content, so the same spec gives the same bytes;
* for exempt information (:mod:`.marks`): a line at the head of a page
  (NOT FOR PUBLICATION, in the members' pack), generated pages of text (the
  public pack's page in place of an exempt paper), and pages printed and
  labelled with given numbers (``45 - 52`` for a page standing for several).

* the tagged sources' structure trees, merged into one (:mod:`.structure`): a
  ``Document`` with a ``Part`` per :class:`Section` (the front sheet, each agenda
  item) and a ``Sect`` per document, every marked-content reference pointing
  into the page's form XObject, the parent tree, role, class and ID maps
  rebuilt; everything packbuilder draws is an ``/Artifact``; pages with
  annotations tab in structure order; ``/MarkInfo``, and XMP metadata
  (:mod:`.xmp`) claiming PDF/UA only when every page's content is tagged or an
  artifact (checked by :mod:`.marked`);
* the stamp font, a subset of Liberation Sans embedded once (:mod:`.font`),
  black on a small white box so it can be read on any page.

Modules: :mod:`.spec` (the input), :mod:`.pack` (:func:`write_pack`, extracts),
:mod:`.writer` (one PDF's structure), :mod:`.sources` (the papers: their pages'
places in the pack, read errors), and those named above.
"""

from .pack import PackResult, write_pack
from .spec import Bookmark, PackMetadata, PackPage, PackSpec, Section

__all__ = [
    "Bookmark",
    "PackMetadata",
    "PackPage",
    "PackResult",
    "PackSpec",
    "Section",
    "write_pack",
]
