"""The variables of the agenda and report templates (listed in :mod:`packbuilder.render`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docxtpl import RichText

from ..exceptions import InputError
from ..model.exempt import paragraphs_phrase
from ..model.meeting import (
    LINK_PREFIX,
    REPORT_GROUP_FIELDS,
    REPORT_TEXT_FIELDS,
    AgendaItem,
    Document,
    ItemStatus,
    Meeting,
    ReportSource,
)
from ..model.partb import agenda_note, item_paragraphs
from .filters import long_date, ordinal_date, short_date


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


def membership_sentence(prefix: str, members: Sequence[tuple[str, str | None]]) -> str:
    """``Councillors M Saunders (Chair), T Mawston (Vice-Chair), A Bell and B Hubbard``.

    Members keep the order they are listed in; roles follow names in brackets.
    """
    names = [f"{name} ({role})" if role else name for name, role in members]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{prefix} {joined}".strip()


def item_pages_text(item: AgendaItem, item_pages: Mapping[str, str]) -> str:
    """What the agenda prints in an item's page column."""
    return item.status.printed or item_pages.get(item.number, "")


def build_agenda_context(
    meeting: Meeting,
    item_pages: Mapping[str, str],
    *,
    kind: str = "Agenda",
    revised: bool = False,
    url_id: Callable[[str], str] | None = None,
    link_style: str | None = None,
) -> dict[str, Any]:
    """The variables of the agenda template (listed in :mod:`packbuilder.render`).

    ``url_id`` registers a hyperlink target in the document and returns its
    relationship id; without it page ranges are plain text. ``link_style`` is
    the style id of the links' character style.
    """
    committee = meeting.committee
    items = [_item_context(item, item_pages, url_id, link_style) for item in meeting.items]
    part_b = next((n for n, item in enumerate(meeting.items) if item.part_b), len(items))
    contact = committee.contact
    return {
        "body": committee.body,
        "committee": _committee_context(meeting),
        "meeting": _meeting_context(meeting),
        "items": items,
        "public_items": items[:part_b],
        "part_b_items": items[part_b:],
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


def _item_context(
    item: AgendaItem,
    item_pages: Mapping[str, str],
    url_id: Callable[[str], str] | None,
    link_style: str | None,
) -> dict[str, Any]:
    """One agenda line; its page range links to ``LINK_PREFIX`` + its number (with ``url_id``)."""
    pages = item_pages_text(item, item_pages)
    is_range = item.status is ItemStatus.NORMAL and item.number in item_pages
    if is_range and url_id is not None:
        rel_id = url_id(LINK_PREFIX + item.number)
        link = RichText(pages, url_id=rel_id, style=link_style)
    else:
        link = RichText(pages)
    return {
        "number": item.number,
        "title": item.title,
        "description": item.description or "",
        "pages": pages,
        "pages_link": link,
        "status": str(item.status),
        "part_b": item.part_b,
        "exempt": paragraphs_phrase(item_paragraphs(item)) if item.part_b else "",
        "exempt_note": agenda_note(item),
    }


@dataclass(frozen=True)
class ContentsLine:
    """One line of the contents page: an item (``level`` 0), a paper (1) or an appendix (2).

    ``pages`` is the printed range (``3 - 4``), the item's status (``To Follow``) or empty;
    ``link`` the key the line's range links to (``LINK_PREFIX + link``), or None.
    """

    level: int
    title: str
    pages: str = ""
    number: str = ""
    link: str | None = None


CONTENTS_KINDS = ("item", "paper", "appendix")
"""What a contents line of each level is."""


def build_contents_context(
    meeting: Meeting,
    lines: Sequence[ContentsLine],
    *,
    kind: str = "Agenda",
    revised: bool = False,
    url_id: Callable[[str], str] | None = None,
    link_style: str | None = None,
) -> dict[str, Any]:
    """The variables of the contents template (listed in :mod:`packbuilder.render`)."""
    rows = []
    for line in lines:
        if line.link is not None and url_id is not None:
            link = RichText(line.pages, url_id=url_id(LINK_PREFIX + line.link), style=link_style)
        else:
            link = RichText(line.pages)
        rows.append(
            {
                "level": line.level,
                "kind": CONTENTS_KINDS[line.level],
                "number": line.number,
                "title": line.title,
                "pages": line.pages,
                "pages_link": link,
            }
        )
    return {
        "body": meeting.committee.body,
        "committee": _committee_context(meeting),
        "meeting": _meeting_context(meeting),
        "pack": {"kind": kind, "revised": bool(revised), "revision": meeting.revision},
        "lines": rows,
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
        fields[name] = _group_field(name, keys, given.get(name), document)
    # Fields the template does not know by default are passed on as written.
    fields.update({name: value for name, value in given.items() if name not in fields})
    return fields


def _group_field(name: str, keys: tuple[str, ...], value: Any, document: Document) -> dict:
    """A group field (``contact:`` ...) with every key present; InputError if not a mapping."""
    if value is None or (isinstance(value, str) and not value.strip()):
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
    return group


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def build_report_context(meeting: Meeting, item: AgendaItem, document: Document) -> dict[str, Any]:
    """The variables of the report template (listed in :mod:`packbuilder.render`)."""
    return {
        "body": meeting.committee.body,
        "committee": _committee_context(meeting),
        "meeting": _meeting_context(meeting),
        "item": {"number": item.number, "title": item.title},
        "report": report_fields(meeting, item, document),
    }
