"""The rendering stage: fill the Word templates with a meeting's data (docxtpl).

Templates are ordinary .docx files with Jinja tags, rendered by docxtpl with
autoescaping on (so "R&D <draft>" is printed as written) and
:class:`jinja2.StrictUndefined` (so a misspelt variable is an error, not an
empty gap), in a Jinja sandbox (:class:`~packbuilder.render.filters.TemplateSandbox`:
a tag cannot reach Python's internals, and ``range()``, ``*`` and ``**`` are
limited). Every failure is raised as :class:`~packbuilder.exceptions.TemplateError`
naming the template, and for an unknown variable the variable as written.

Tags: ``{{ x }}`` prints a value; ``{%p ... %}`` in a paragraph of its own
(for/if that repeat or drop whole paragraphs); ``{%tr ... %}`` in a table row of
its own; ``{{r x }}`` inserts rich text.

Filters
-------
``long_date``
    a date as ``Tuesday 3 May 2022``;
``ordinal_date``
    a date as ``Wednesday 11th May, 2022`` (the agenda's date line);
``short_date``
    a date as ``11 May 2022``;
``paragraphs``
    a field (text or a list of texts) as a list of paragraphs: text is split on
    blank lines; use ``{%p for para in report.purpose|paragraphs %}`` /
    ``{{ para }}`` / ``{%p endfor %}``. A single line break inside a paragraph
    is kept as a line break;
``lines``
    a field as one piece of text, list entries on separate lines (for table cells).

Dates may be given to the date filters as dates or as ``yyyy-mm-dd`` text.

The agenda context (``templates/agenda.docx``)
----------------------------------------------
``body``
    the council, e.g. ``Middlesbrough Council``;
``committee``
    ``name``, ``members_prefix`` (``Councillors``);
``meeting``
    ``title`` (the meeting title, or the committee name), ``date`` (a date),
    ``date_long`` (``Wednesday 11th May, 2022``), ``date_short``
    (``11 May 2022``), ``time``, ``venue``, ``notices`` (a list of text),
    ``published`` (a date or none), ``published_long`` (``Tuesday 3 May 2022``,
    or empty);
``items``
    the agenda items in order, each with ``number``, ``title``, ``description``
    (empty when none), ``pages`` (the printed text: ``3 - 10``, ``To Follow``,
    ``Withdrawn`` or empty), ``pages_link`` (the same text as rich text for
    ``{{r item.pages_link }}``; a page range is a link to ``LINK_PREFIX`` plus
    the item number, which the assembler turns into a link to the item's first
    page, in the character style ``Hyperlink``),
    ``status`` (``normal``, ``to-follow``, ``withdrawn``), ``part_b`` (true for an item
    taken in private), ``exempt`` (its paragraphs: ``paragraph 3``, or empty) and
    ``exempt_note`` (for a public item with exempt papers or appendices: ``Appendix 1 to
    Budget report is not for publication (paragraph 3).``, else empty);
``public_items``, ``part_b_items``
    the items before the first Part B item, and the items from it on (listed under the
    "Part B" heading and the exclusion resolution; ``check`` warns of a public item there);
``signatory``
    ``name``, ``title``;
``address``
    the lines of the address printed under the signatory;
``membership``
    one sentence: ``Councillors M Saunders (Chair), ... S Walker and B Hubbard``;
``contact``
    ``name``, ``phone``, ``email`` (empty when not given);
``pack``
    ``kind`` (``Agenda`` or ``Supplementary Agenda``), ``revised`` (true or
    false), ``revision`` (the meeting's revision number, or none).

The contents context (``templates/contents.docx``)
--------------------------------------------------
``body``, ``committee``, ``meeting`` and ``pack`` as above; ``lines``: every item,
paper and appendix of the pack in order, each with ``level`` (0, 1, 2), ``kind``
(``item``, ``paper``, ``appendix``), ``number`` (an item's; empty for papers and
appendices), ``title``, ``pages`` (``3 - 4``, an item's ``To Follow`` or
``Withdrawn``, or empty) and ``pages_link`` (the same as a link to the line's first
page: ``{{r line.pages_link }}``). An exempt paper or appendix is named by its place
(``Appendix 2 to Budget report: not for publication``), never by its own title: the
contents page is the same in the members' and the public pack.

The report context (``templates/report.docx``)
----------------------------------------------
``body``, ``committee`` and ``meeting`` as above; ``item`` (``number``,
``title``); ``report``: the paper's ``report:`` fields from the meeting file, as
written, with every field below present (empty when not given). Each is text or
a list of texts (paragraphs) unless it is a group:

``report_of``, ``submitted_to`` (default ``<committee> – 11 May 2022``),
``subject`` (default: the item title), ``summary``, ``proposed_decisions``,
``report_for``, ``key_decision``, ``confidential``, ``urgent``,
``strategic_plan`` (``people``, ``place``, ``business``), ``wards``,
``purpose``, ``why_member_decision``, ``decisions_asked``, ``other_options``,
``impacts`` (``legal``, ``financial``, ``policy_framework``, ``equality``,
``risk``), ``actions``, ``appendices``, ``background_papers``, ``contact``
(``name``, ``phone``, ``email``).

Fields not listed here may be added to the YAML and used in a template.

The package: :mod:`.filters` (the filters and the Jinja environment),
:mod:`.context` (the two contexts), :mod:`.docx` (opening, filling and saving a
template: :func:`render_agenda`, :func:`render_report`, :func:`fill_template`)
and :mod:`.errors` (failures as :class:`TemplateError` messages).
"""

from ..model.meeting import LINK_PREFIX
from .context import (
    CONTENTS_KINDS,
    REPORT_GROUP_FIELDS,
    REPORT_TEXT_FIELDS,
    ContentsLine,
    build_agenda_context,
    build_contents_context,
    build_report_context,
    item_pages_text,
    report_fields,
)
from .docx import LINK_STYLE, fill_template, render_agenda, render_contents, render_report
from .filters import jinja_environment, lines, long_date, ordinal_date, paragraphs, short_date

__all__ = [
    "CONTENTS_KINDS",
    "LINK_PREFIX",
    "LINK_STYLE",
    "REPORT_GROUP_FIELDS",
    "REPORT_TEXT_FIELDS",
    "ContentsLine",
    "build_agenda_context",
    "build_contents_context",
    "build_report_context",
    "fill_template",
    "item_pages_text",
    "jinja_environment",
    "lines",
    "long_date",
    "ordinal_date",
    "paragraphs",
    "render_agenda",
    "render_contents",
    "render_report",
    "report_fields",
    "short_date",
]
