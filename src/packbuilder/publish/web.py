"""The web agenda: ``public/index.html``, rendered from an HTML template a council can replace.

In: a :class:`~.published.PublishedMeeting` and the committee's ``templates: web:``
(found by :mod:`packbuilder.load.templates`' rule: ``templates/web.html`` beside the
committee or meeting file, else packbuilder's). Out: one HTML file with no script and
no outside resource. The template is Jinja, filled in the same sandbox as the Word
templates (:func:`packbuilder.render.jinja_environment`: autoescaping on, strict
variables, our filters); a mistake in it is a :class:`TemplateError` naming the file
and line.

The template's variables: ``lang``; ``body``; ``kind`` (``Agenda``), ``revised``,
``revision``; ``meeting`` (``title``, ``date`` (``2022-05-11``), ``date_long``
(``Wednesday 11 May 2022``), ``time``, ``start`` (``2022-05-11T10:00`` or empty),
``venue``, ``notices``, ``published_long``); ``items``, ``public_items`` and
``part_b_items``, each with ``number``, ``anchor``, ``title``, ``description`` (a
list of paragraphs), ``pages`` (``3 - 10``), ``where`` (``pages 3 - 10``, ``page
11``), ``status`` (``To Follow``, ``Withdrawn`` or empty), ``part_b``, ``exempt``,
``exempt_note``, ``file`` (``href``, ``title``, ``described``: ``PDF, 180 KB, 8
pages``; or none) and ``documents`` (each ``title``, ``pages``, ``where``,
``appendix``); ``files`` (``pack``, ``agenda``, ``agenda_docx``, ``calendar``,
``open_data``: each ``href``, ``title``, ``described``); ``membership`` (the
sentence) and ``members`` (``name``, ``role``); ``contact`` (``name``, ``phone``,
``email``); ``signatory``; ``address``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SecurityError

from ..exceptions import OutputError, TemplateError
from ..paths import display_path
from ..render import jinja_environment, paragraphs
from ..render.context import membership_sentence
from ..render.filters import long_date
from .published import PublishedFile, PublishedItem, PublishedMeeting

INDEX = "index.html"
CALENDAR = "meeting.ics"
OPEN_DATA = "meeting.json"


def check_web_template(template: Path) -> None:
    """Read and compile the web agenda template: :class:`TemplateError` for a template that
    is missing, not UTF-8 text, or not valid Jinja (with its line)."""
    _compile(template)


def _compile(template: Path) -> jinja2.Template:
    source = _read(template)
    try:
        return jinja_environment().from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise _error(template, exc.lineno, exc.message or str(exc)) from exc


def write_web_agenda(published: PublishedMeeting, template: Path, out: Path) -> None:
    """Render ``template`` for ``published`` into ``out`` (``public/index.html``)."""
    compiled = _compile(template)
    try:
        html = compiled.render(web_context(published))
    except jinja2.UndefinedError as exc:
        raise _error(template, _line(exc), exc.message or str(exc), _VARIABLES) from exc
    except (SecurityError, jinja2.TemplateError, TypeError, ValueError) as exc:
        raise _error(template, _line(exc), str(exc)) from exc
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc


_VARIABLES = (
    "the variables are lang, body, kind, revised, revision, meeting, items, public_items, "
    "part_b_items, files, membership, members, contact, signatory and address (see the "
    "README's 'The web agenda')"
)


def _read(template: Path) -> str:
    """The template's text; :class:`TemplateError` when it is missing or not UTF-8 text."""
    try:
        return template.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(
            f"the web agenda template {display_path(template)} does not exist",
            hint="check 'templates: web:' in the committee file, or remove it to use packbuilder's",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            f"the web agenda template {display_path(template)} cannot be read as UTF-8 "
            f"text ({exc})",
            hint="save it as UTF-8 text (an .html file)",
        ) from None


def _line(exc: BaseException) -> int | None:
    """The template line an error was raised at, from its traceback (Jinja maps it)."""
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _error(
    template: Path, line: int | None, message: str, hint: str | None = None
) -> TemplateError:
    where = display_path(template) + (f":{line}" if line else "")
    return TemplateError(
        f"the web agenda template: {message}",
        where=where,
        hint=hint or "correct the template (it is Jinja: {{ value }}, {% for %} ... {% endfor %})",
    )


def web_context(published: PublishedMeeting) -> dict[str, Any]:
    """The variables of the web agenda template (see the module docstring)."""
    meeting = published.meeting
    committee = meeting.committee
    items = [_item(item) for item in published.items]
    part_b = next((n for n, item in enumerate(items) if item["part_b"]), len(items))
    start = published.start
    return {
        "lang": committee.language,
        "body": committee.body,
        "kind": published.kind,
        "revised": meeting.revision is not None,
        "revision": meeting.revision,
        "meeting": {
            "title": meeting.display_title,
            "date": meeting.date.isoformat(),
            "date_long": long_date(meeting.date),
            "time": meeting.time,
            "start": start.strftime("%Y-%m-%dT%H:%M") if start else "",
            "venue": meeting.venue,
            "notices": list(meeting.notices),
            "published_long": long_date(meeting.published),
        },
        "items": items,
        "public_items": items[:part_b],
        "part_b_items": items[part_b:],
        "files": _files(published),
        "membership": membership_sentence(
            committee.members_prefix, [(m.name, m.role) for m in committee.membership]
        ),
        "members": [{"name": m.name, "role": m.role or ""} for m in committee.membership],
        "contact": {
            "name": committee.contact.name,
            "phone": committee.contact.phone or "",
            "email": committee.contact.email or "",
        },
        "signatory": {"name": committee.signatory.name, "title": committee.signatory.title},
        "address": list(committee.address),
    }


def _link(file: PublishedFile) -> dict[str, str]:
    return {"href": file.name, "title": file.title, "described": file.described}


def _files(published: PublishedMeeting) -> dict[str, dict[str, str]]:
    return {
        "pack": _link(published.pack),
        "agenda": _link(published.agenda),
        "agenda_docx": _link(published.agenda_docx),
        "calendar": {"href": CALENDAR, "title": "Add to calendar", "described": "iCalendar"},
        "open_data": {
            "href": OPEN_DATA,
            "title": "Open data",
            "described": "JSON, OParl 1.1",
        },
    }


def _item(published: PublishedItem) -> dict[str, Any]:
    item = published.item
    return {
        "number": item.number,
        "anchor": published.anchor,
        "title": item.title,
        "description": paragraphs(item.description),
        "pages": str(published.pages) if published.pages and not item.status.printed else "",
        "where": _where(str(published.pages)) if published.pages else "",
        "status": item.status.printed,
        "part_b": item.part_b,
        "exempt": published.exempt,
        "exempt_note": published.exempt_note,
        "file": _link(published.file) if published.file else None,
        "documents": [
            {
                "title": line.title,
                "pages": line.pages,
                "where": _where(line.pages),
                "appendix": line.level == 2,
            }
            for line in published.documents
        ],
    }


def _where(pages: str) -> str:
    """``pages 3 - 4``, or ``page 11``."""
    return f"pages {pages}" if "-" in pages else f"page {pages}"
