"""The rendering stage: fill the Word templates with a meeting's data (docxtpl).

Templates are ordinary .docx files with Jinja tags, rendered by docxtpl with
autoescaping on (so "R&D <draft>" is printed as written) and
:class:`jinja2.StrictUndefined` (so a misspelt variable is an error, not an
empty gap). Every failure is raised as :class:`~packbuilder.exceptions.TemplateError`
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
    ``status`` (``normal``, ``to-follow``, ``withdrawn``) and
    ``exempt_paragraph`` (the Schedule 12A paragraph, or none);
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
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate, RichText
from lxml import etree

from . import rendercache
from .exceptions import InputError, OutputError, TemplateError
from .layout import membership_sentence
from .model import AgendaItem, Document, ItemStatus, Meeting, ReportSource

LINK_PREFIX = "https://packbuilder.invalid/item/"
"""Agenda page ranges link to this plus the item number; the assembler makes them internal."""

LINK_STYLE = "Hyperlink"
"""The character style of the agenda's page-range links (Word's own link style).

LibreOffice (7.4) exports a text hyperlink as a PDF link only when its run has
a character style defined in the document; the templates define this one as
plain text, so a range looks like the reference, and rendering adds it to a
template that lacks it.
"""

TO_FOLLOW = "To Follow"
WITHDRAWN = "Withdrawn"

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

REPORT_TEXT_FIELDS = (
    "report_of",
    "submitted_to",
    "subject",
    "summary",
    "proposed_decisions",
    "report_for",
    "key_decision",
    "confidential",
    "urgent",
    "wards",
    "purpose",
    "why_member_decision",
    "decisions_asked",
    "other_options",
    "actions",
    "appendices",
    "background_papers",
)
"""Report fields that are text or a list of paragraphs."""

REPORT_GROUP_FIELDS = {
    "strategic_plan": ("people", "place", "business"),
    "impacts": ("legal", "financial", "policy_framework", "equality", "risk"),
    "contact": ("name", "phone", "email"),
}
"""Report fields that are mappings, with the keys each has."""


# --- filters ------------------------------------------------------------------------------


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def long_date(value: Any) -> str:
    """``Tuesday 3 May 2022``; empty for none; text that is not a date is returned as is."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    if day is None:
        return str(value)
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def ordinal_date(value: Any) -> str:
    """``Wednesday 11th May, 2022`` (the agenda's date line)."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    if day is None:
        return str(value)
    weekday, month = _DAYS[day.weekday()], _MONTHS[day.month - 1]
    return f"{weekday} {day.day}{_ordinal_suffix(day.day)} {month}, {day.year}"


def short_date(value: Any) -> str:
    """``11 May 2022``."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    if day is None:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(value: Any) -> list[str]:
    """A field as a list of paragraphs: text split on blank lines, a list flattened.

    Empty paragraphs are dropped, so an empty field gives an empty list.
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        return [part.strip() for part in _BLANK_LINE.split(text) if part.strip()]
    if isinstance(value, Mapping):
        return paragraphs(list(value.values()))
    if isinstance(value, Iterable):
        result: list[str] = []
        for entry in value:
            result.extend(paragraphs(entry))
        return result
    return paragraphs(str(value))


def lines(value: Any) -> str:
    """A field as one text: paragraphs on separate lines (docxtpl turns them into breaks)."""
    return "\n".join(paragraphs(value))


def jinja_environment() -> jinja2.Environment:
    """The Jinja environment templates are rendered with: autoescape, strict, our filters."""
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date,
        ordinal_date=ordinal_date,
        short_date=short_date,
        paragraphs=paragraphs,
        lines=lines,
    )
    return env


# --- contexts -----------------------------------------------------------------------------


def _meeting_context(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.display_title,
        "date": meeting.date,
        "date_long": ordinal_date(meeting.date),
        "date_short": short_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "notices": list(meeting.notices),
        "published": meeting.published,
        "published_long": long_date(meeting.published),
    }


def _committee_context(meeting: Meeting) -> dict[str, Any]:
    committee = meeting.committee
    return {"name": committee.name, "members_prefix": committee.members_prefix}


def item_pages_text(item: AgendaItem, item_pages: Mapping[str, str]) -> str:
    """What the agenda prints in an item's page column."""
    if item.status is ItemStatus.WITHDRAWN:
        return WITHDRAWN
    if item.status is ItemStatus.TO_FOLLOW:
        return TO_FOLLOW
    return item_pages.get(item.number, "")


def build_agenda_context(
    meeting: Meeting,
    item_pages: Mapping[str, str],
    *,
    kind: str = "Agenda",
    revised: bool = False,
    url_id: Callable[[str], str] | None = None,
    link_style: str | None = None,
) -> dict[str, Any]:
    """The variables of the agenda template (listed in the module docstring).

    ``url_id`` registers a hyperlink target in the document and returns its
    relationship id; without it page ranges are plain text. ``link_style`` is
    the style id of the links' character style.
    """
    committee = meeting.committee
    items = []
    for item in meeting.items:
        pages = item_pages_text(item, item_pages)
        is_range = item.status is ItemStatus.NORMAL and item.number in item_pages
        if is_range and url_id is not None:
            rel_id = url_id(LINK_PREFIX + item.number)
            link = RichText(pages, url_id=rel_id, style=link_style)
        else:
            link = RichText(pages)
        items.append(
            {
                "number": item.number,
                "title": item.title,
                "description": item.description or "",
                "pages": pages,
                "pages_link": link,
                "status": str(item.status),
                "exempt_paragraph": item.exempt_paragraph,
            }
        )
    contact = committee.contact
    return {
        "body": committee.body,
        "committee": _committee_context(meeting),
        "meeting": _meeting_context(meeting),
        "items": items,
        "signatory": {"name": committee.signatory.name, "title": committee.signatory.title},
        "address": list(committee.address),
        "membership": membership_sentence(
            committee.members_prefix, [(m.name, m.role) for m in committee.membership]
        ),
        "contact": {
            "name": contact.name,
            "phone": contact.phone or "",
            "email": contact.email or "",
        },
        "pack": {"kind": kind, "revised": bool(revised), "revision": meeting.revision},
    }


def report_fields(meeting: Meeting, item: AgendaItem, document: Document) -> dict[str, Any]:
    """The paper's ``report:`` fields with every known field present (defaults filled)."""
    source = document.source
    given = dict(source.fields) if isinstance(source, ReportSource) else {}
    defaults = {
        "submitted_to": f"{meeting.committee.name} – {short_date(meeting.date)}",
        "subject": item.title,
    }
    fields: dict[str, Any] = {}
    for name in REPORT_TEXT_FIELDS:
        value = given.get(name)
        fields[name] = defaults.get(name, "") if value in (None, "") else value
    for name, keys in REPORT_GROUP_FIELDS.items():
        value = given.get(name)
        if value in (None, ""):
            value = {}
        if not isinstance(value, Mapping):
            raise InputError(
                f"the report field '{name}' should be a mapping of {', '.join(keys)}; "
                f"it is {_describe(value)}",
                hint=f"write it as '{name}:' followed by indented lines such as '  {keys[0]}: ...'",
                where=str(document.origin) if document.origin else None,
            )
        group = {key: "" for key in keys}
        group.update({key: text for key, text in value.items() if text is not None})
        fields[name] = group
    # Fields the template does not know by default are passed on as written.
    fields.update({name: value for name, value in given.items() if name not in fields})
    return fields


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def build_report_context(meeting: Meeting, item: AgendaItem, document: Document) -> dict[str, Any]:
    """The variables of the report template (listed in the module docstring)."""
    return {
        "body": meeting.committee.body,
        "committee": _committee_context(meeting),
        "meeting": _meeting_context(meeting),
        "item": {"number": item.number, "title": item.title},
        "report": report_fields(meeting, item, document),
    }


# --- rendering ----------------------------------------------------------------------------


def render_agenda(
    template: Path,
    meeting: Meeting,
    item_pages: Mapping[str, str],
    out: Path,
    *,
    kind: str = "Agenda",
    revised: bool = False,
    links: bool = True,
) -> None:
    """Render the agenda front sheet to ``out`` (.docx).

    ``item_pages`` maps item number -> printed page range (``3 - 10``) for the
    items that have pages in the pack. With ``links`` the ranges link to
    ``LINK_PREFIX`` + item number, for the assembler to turn into links to the
    pack's pages; without, they are plain text (for the published .docx).
    """
    tpl = _open(template)
    url_id = link_style = None
    if links:
        url_id = tpl.build_url_id
        link_style = _character_style_id(tpl, LINK_STYLE)
    context = build_agenda_context(
        meeting, item_pages, kind=kind, revised=revised, url_id=url_id, link_style=link_style
    )
    title = f"{meeting.display_title} – {kind} – {short_date(meeting.date)}"
    _render(tpl, template, context, out, title=title, language=meeting.committee.language)


def render_report(
    template: Path, meeting: Meeting, item: AgendaItem, document: Document, out: Path
) -> None:
    """Render a cover report (``document.source`` is a :class:`ReportSource`) to ``out``."""
    where = str(document.origin) if document.origin else None
    context = build_report_context(meeting, item, document)
    tpl = _open(template, where=where)
    title = _plain(context["report"].get("subject")) or document.title
    _render(
        tpl,
        template,
        context,
        out,
        where=where,
        title=title,
        language=meeting.committee.language,
    )


def _character_style_id(tpl: DocxTemplate, name: str) -> str:
    """The id of the character style ``name``, added (plain) if the template lacks it."""
    styles = tpl.docx.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    return style.style_id


def _plain(value: Any) -> str:
    return " ".join(paragraphs(value))


def _display(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_NOT_WORD_HINT = (
    "open it in Word and save it as 'Word Document (*.docx)', or point the committee's "
    "'templates:' setting at a .docx file"
)


def _open(template: Path, *, where: str | None = None) -> DocxTemplate:
    name = _display(template)
    if not Path(template).is_file():
        raise TemplateError(
            f"the template {name} does not exist",
            hint="check the path, or run 'python tools/make_templates.py' to create the "
            "default templates in templates/",
            where=where,
        )
    tpl = DocxTemplate(str(template))
    try:
        tpl.init_docx()
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError) as exc:
        raise TemplateError(
            f"{name} is not a Word document (.docx)", hint=_NOT_WORD_HINT, where=where
        ) from exc
    except ValueError as exc:  # python-docx: a zip package of another kind (.xlsx, .dotx...)
        raise TemplateError(
            f"{name} is not a Word document (.docx): {_reason(exc)}",
            hint=_NOT_WORD_HINT,
            where=where,
        ) from exc
    except etree.LxmlError as exc:
        raise TemplateError(
            f"{name} is a damaged Word document: {exc}", hint=_NOT_WORD_HINT, where=where
        ) from exc
    except OSError as exc:
        raise TemplateError(
            f"{name} cannot be read: {exc.strerror or exc}",
            hint="check the file's permissions",
            where=where,
        ) from exc
    return tpl


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().strip('"')
    return text or type(exc).__name__


def _render(
    tpl: DocxTemplate,
    template: Path,
    context: dict[str, Any],
    out: Path,
    *,
    where: str | None = None,
    title: str | None = None,
    language: str | None = None,
) -> None:
    name = _display(template)
    render_cache = rendercache.active()
    key = None
    if render_cache is not None:
        try:
            key = rendercache.render_key(tpl, context, title=title, language=language)
        except rendercache.Uncacheable:
            key = None
        if key is not None and render_cache.fetch(key, out):
            render_cache.stats.reused.append(name)
            return
    try:
        tpl.render(context, jinja_env=jinja_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise _undefined_error(template, context, exc, where) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{name} has a broken Jinja tag: {exc.message}{_tag_place(exc)}",
            hint="open the template in Word and correct the tag: every '{{' needs its '}}', "
            "every '{%p if %}' / '{%p for %}' its '{%p endif %}' / '{%p endfor %}', and a "
            "{%p ...%} tag must be alone in its paragraph ({%tr ...%} alone in its table row)",
            where=where,
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"{name} could not be filled in: {exc.message or exc}",
            hint="open the template in Word and check the Jinja tags",
            where=where,
        ) from exc
    except etree.LxmlError as exc:
        raise TemplateError(
            f"filling in {name} produced a damaged Word document: {exc}",
            hint="a Jinja tag probably cuts across Word's structure (a {%p ...%} tag that is "
            "not alone in its paragraph, or a loop that starts in one table cell and ends in "
            "another); retype the tag in a paragraph of its own",
            where=where,
        ) from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise TemplateError(
            f"{name} could not be filled in: {type(exc).__name__}: {exc}",
            hint="a tag applies an operation that does not fit the value (for example "
            "arithmetic on text); check the template's tags against the fields in the YAML",
            where=where,
        ) from exc
    if title:
        tpl.docx.core_properties.title = title
    if language:
        tpl.docx.core_properties.language = language
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tpl.save(str(out))
    except OSError as exc:
        raise OutputError(
            f"cannot write {out}: {exc.strerror or exc}",
            hint="check that the output folder exists, is writable and the disk is not full",
        ) from exc
    if render_cache is not None:
        render_cache.stats.rendered.append(name)
        if key is not None:
            render_cache.store(key, out)


def _tag_place(exc: jinja2.TemplateSyntaxError) -> str:
    """`` (in the paragraph "...")`` from docxtpl's record of the text around the error."""
    context = getattr(exc, "docx_context", None)
    if context is None or exc.lineno is None:
        return ""
    lines_around = list(context)
    start = max(exc.lineno - 4, 0)
    index = exc.lineno - 1 - start
    if not 0 <= index < len(lines_around):
        return ""
    text = " ".join(lines_around[index].split())
    if not text:
        return ""
    if len(text) > 120:
        text = text[:117] + "..."
    return f' (in the paragraph "{text}")'


# --- unknown variables --------------------------------------------------------------------

_UNDEFINED_NAME = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_MISSING_ATTRIBUTE = re.compile(r"has no attribute '(?P<name>[^']+)'$")
_EXPRESSION = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _template_text(template: Path) -> str:
    """The template's Jinja source as docxtpl sees it (XML tags removed)."""
    try:
        tpl = DocxTemplate(str(template))
        tpl.init_docx()
        xml = tpl.patch_xml(tpl.get_xml())
    except Exception:  # only used to improve a message; never fail because of it
        return ""
    return re.sub(r"<[^>]+>", "", xml)


def _written_as(template: Path, name: str, attribute: bool) -> list[str]:
    """The expressions in the template's tags that end in the missing ``name``."""
    found: list[str] = []
    for tag in _TAG.findall(_template_text(template)):
        for expression in _EXPRESSION.findall(tag):
            parts = expression.split(".")
            if parts[-1] != name or (attribute and len(parts) < 2):
                continue
            if not attribute and len(parts) > 1:
                expression = parts[0]
            if expression not in found:
                found.append(expression)
    return found


def _resolve(context: Mapping[str, Any], dotted: str) -> Any:
    """Look ``a.b`` up in the context; loop variables (``item``) by their list (``items``)."""
    parts = dotted.split(".")
    head = parts[0]
    if head in context:
        value = context[head]
    elif isinstance(context.get(head + "s"), list) and context[head + "s"]:
        value = context[head + "s"][0]
    else:
        return None
    for part in parts[1:]:
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            return None
    return value


def _undefined_error(
    template: Path, context: Mapping[str, Any], exc: jinja2.UndefinedError, where: str | None
) -> TemplateError:
    name_ = _display(template)
    message = exc.message or str(exc)
    top = _UNDEFINED_NAME.search(message)
    attr = _MISSING_ATTRIBUTE.search(message)
    if top:
        name, attribute = top.group("name"), False
    elif attr:
        name, attribute = attr.group("name"), True
    else:
        return TemplateError(
            f"{name_} uses a variable that is not defined ({message})",
            hint=f"the variables available are: {', '.join(context)}",
            where=where,
        )
    written = _written_as(template, name, attribute) or [name]
    shown = " or ".join(f"{{{{ {expression} }}}}" for expression in written)
    first = written[0]
    parent = first.rsplit(".", 1)[0] if attribute and "." in first else None
    if parent is None:
        available = list(context)
        hint = (
            f"the variables available in this template are: {', '.join(available)}; "
            "correct the name in the template (open it in Word)"
        )
    else:
        owner = _resolve(context, parent)
        keys = ", ".join(owner) if isinstance(owner, Mapping) else ""
        if parent.split(".")[0] == "report":
            under = "".join(f"'{part}:' under " for part in reversed(first.split(".")[1:-1]))
            hint = (
                f"add '{name}:' under {under}'report:' in the meeting file, "
                "or correct the name in the template"
            )
            if keys:
                hint += f"; the fields of {parent} are: {keys}"
        elif keys:
            hint = f"{parent} has: {keys}; correct the name in the template (open it in Word)"
        else:
            hint = "correct the name in the template (open it in Word)"
    return TemplateError(f"{name_} uses {shown}, which is not defined", hint=hint, where=where)
