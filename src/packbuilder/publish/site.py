"""The meeting's page on the web: the web agenda, the calendar entry and the open data,
written into ``public/`` after the packs (their sizes and pages are on the page)."""

from __future__ import annotations

from pathlib import Path

from .calendar import write_calendar
from .oparl import write_open_data
from .published import PublishedMeeting
from .web import CALENDAR, INDEX, write_web_agenda


def write_site(published: PublishedMeeting, template: Path, folder: Path) -> dict[str, Path]:
    """Write ``index.html`` (from ``template``), ``meeting.ics`` and ``meeting.json`` into
    ``folder`` (``public/``); return them by name."""
    write_web_agenda(published, template, folder / INDEX)
    write_calendar(published, folder / CALENDAR)
    open_data = write_open_data(published, folder)
    return {INDEX: folder / INDEX, CALENDAR: folder / CALENDAR, open_data.name: open_data}
