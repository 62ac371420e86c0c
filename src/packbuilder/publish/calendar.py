"""The calendar entry: ``public/meeting.ics``, one event made with the ``icalendar`` library.

The event is the meeting: its title, start (the meeting's ``time:`` read as UK time and
written in UTC; a time that cannot be read gives an all-day event), venue, and the
agenda's address: ``URL`` when the committee's ``publish_url`` says where the folder is
published, and in the description either way. Its ``UID`` is derived from the committee
and the date, its ``DTSTAMP`` from :func:`~.published.publication_stamp` and its
``SEQUENCE`` is the revision, so a rebuilt pack updates the event a reader imported, and
the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event

from ..exceptions import OutputError
from .manifest import slugify
from .published import PublishedMeeting
from .web import INDEX

PRODUCT = "-//packbuilder//council meeting agenda//EN"


def meeting_calendar(published: PublishedMeeting) -> Calendar:
    """The calendar of one event: the meeting."""
    meeting = published.meeting
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    committee = slugify(meeting.committee.name, 60)
    event.add("uid", f"{committee}-{meeting.date.isoformat()}@{slugify(meeting.committee.body)}")
    event.add("dtstamp", published.stamp.astimezone(dt.UTC))
    start = published.start
    if start is not None:
        event.add("dtstart", start.astimezone(dt.UTC))
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    event.add("summary", f"{meeting.display_title} ({meeting.committee.body})")
    event.add("location", meeting.venue)
    agenda = published.base_url + INDEX
    event.add("description", _description(published, agenda))
    if published.base_url:
        event.add("url", agenda)
    event.add("sequence", meeting.revision or 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar


def _description(published: PublishedMeeting, agenda: str) -> str:
    """The event's text: the meeting, the notices, where the agenda and papers are."""
    meeting = published.meeting
    lines = [f"{meeting.display_title}: {meeting.time}, {meeting.venue}."]
    lines += list(meeting.notices)
    where = agenda if published.base_url else f"{agenda} (beside this calendar file)"
    lines.append(f"Agenda and papers: {where}")
    return "\n".join(lines)


def write_calendar(published: PublishedMeeting, out: Path) -> None:
    """Write the meeting's calendar entry to ``out`` (``public/meeting.ics``)."""
    try:
        out.write_bytes(meeting_calendar(published).to_ical())
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from exc
