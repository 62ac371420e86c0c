"""What a build publishes about its meeting, gathered once for the web agenda, the calendar
and the open data (:mod:`.web`, :mod:`.calendar`, :mod:`.oparl`).

In: the meeting, its layout, the public pack's layout and the files written under
``public/``. Out: a :class:`PublishedMeeting`: the items as the public agenda shows
them (a Part B item by its number, title, description, pages and the paragraphs it
cites, never its papers), the files a reader can open with their size and pages, the
meeting's start, and the one time stamp the three files carry (``SOURCE_DATE_EPOCH``,
else the publication date, else the meeting's date: never the time of the build).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from ..dates import source_date
from ..model.exempt import paragraphs_phrase
from ..model.meeting import AgendaItem, ItemStatus, Meeting
from ..model.partb import agenda_note, item_paragraphs
from ..pack.contents import contents_lines
from ..pack.layout import DocumentKey, PackLayout, PageRange, PublicLayout
from ..render import ContentsLine

TIMEZONE = ZoneInfo("Europe/London")
"""Where the meetings are: a meeting's ``time:`` is read as the time in the UK."""


@dataclass(frozen=True)
class PublishedFile:
    """A file under ``public/`` a reader can open: its name there (``items/item-04-....pdf``),
    what it is, and its size and pages (for a PDF)."""

    name: str
    title: str
    size: int
    pages: int | None = None
    media_type: str = "application/pdf"

    @property
    def described(self) -> str:
        """``PDF, 1.2 MB, 8 pages``: what a link to it says about it."""
        kind = {"application/pdf": "PDF"}.get(self.media_type, Path(self.name).suffix[1:].upper())
        parts = [kind, file_size(self.size)]
        if self.pages is not None:
            parts.append(f"{self.pages} page{'s' if self.pages != 1 else ''}")
        return ", ".join(parts)


def file_size(size: int) -> str:
    """``850 bytes``, ``245 KB``, ``1.2 MB`` (1 KB = 1024 bytes)."""
    if size < 1024:
        return f"{size} byte{'s' if size != 1 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class PublishedItem:
    """An agenda item as the public agenda shows it."""

    item: AgendaItem
    order: int
    pages: PageRange | None
    file: PublishedFile | None
    documents: tuple[ContentsLine, ...]

    @property
    def printed(self) -> str:
        """What the agenda prints in the page column: ``3 - 10``, ``To Follow``, or empty."""
        return self.item.status.printed or (str(self.pages) if self.pages else "")

    @property
    def exempt(self) -> str:
        """A Part B item's paragraphs (``paragraphs 3 and 5``), else empty."""
        return paragraphs_phrase(item_paragraphs(self.item)) if self.item.part_b else ""

    @property
    def exempt_note(self) -> str:
        """A public item's exempt papers and appendices, as its agenda line says them."""
        return agenda_note(self.item)

    @property
    def anchor(self) -> str:
        """The item's fragment in the web agenda: ``item-4``."""
        return "item-" + re.sub(r"[^0-9A-Za-z]+", "-", self.item.number)


@dataclass(frozen=True)
class PublishedMeeting:
    """Everything the web agenda, the calendar and the open data say."""

    meeting: Meeting
    kind: str
    items: tuple[PublishedItem, ...]
    pack: PublishedFile
    agenda: PublishedFile
    agenda_docx: PublishedFile
    stamp: dt.datetime

    @property
    def start(self) -> dt.datetime | None:
        """When the meeting starts (its ``time:`` read), or None when it cannot be read."""
        at = parse_time(self.meeting.time)
        return dt.datetime.combine(self.meeting.date, at, TIMEZONE) if at else None

    @property
    def base_url(self) -> str:
        """The published folder's web address (ending ``/``), or empty: addresses relative."""
        return self.meeting.publish_url or ""


_TIME = re.compile(
    r"(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?",
    re.IGNORECASE,
)


def parse_time(text: str) -> dt.time | None:
    """``10.00 am``, ``2.30pm``, ``14:00``, ``6 p.m.``, ``noon`` as a time; None otherwise."""
    written = text.strip().lower()
    if written in ("noon", "12 noon", "midday", "12 midday"):
        return dt.time(12, 0)
    match = _TIME.fullmatch(written)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def publication_stamp(meeting: Meeting) -> dt.datetime:
    """The time the web agenda, calendar and open data say they were made: the moment of
    ``SOURCE_DATE_EPOCH``, else midnight (UTC) of the publication date, else of the
    meeting's date; so the same inputs give the same bytes."""
    stamp = source_date()
    if stamp is not None:
        return stamp
    day = meeting.published or meeting.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def published_meeting(
    meeting: Meeting,
    layout: PackLayout,
    public: PublicLayout,
    exempt: set[DocumentKey],
    folder: Path,
    item_files: dict[str, str],
    *,
    kind: str = "Agenda",
) -> PublishedMeeting:
    """What the build in ``folder`` (its ``public/``) publishes; ``item_files`` maps an
    item's number to its PDF's name there (items with public papers only)."""
    lines = contents_lines(meeting.items, layout, exempt)
    items = []
    for order, (item, item_layout) in enumerate(zip(meeting.items, layout.items, strict=True)):
        papers = _item_lines(lines, item) if not item.part_b else ()
        name = item_files.get(item.number)
        file = None
        if name is not None and item_layout.pages is not None:
            first, last = public.positions(item_layout.pages)
            title = f"Item {item.number}: {item.title}"
            file = _file(folder, name, title, last - first + 1)
        items.append(PublishedItem(item, order, item_layout.pages, file, papers))
    return PublishedMeeting(
        meeting=meeting,
        kind=kind,
        items=tuple(items),
        pack=_file(folder, "pack.pdf", f"{kind} pack", len(public.pages)),
        agenda=_file(folder, "agenda.pdf", kind, layout.front.count),
        agenda_docx=_file(
            folder,
            "agenda.docx",
            f"{kind} (Word)",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        stamp=publication_stamp(meeting),
    )


def _item_lines(lines: list[ContentsLine], item: AgendaItem) -> tuple[ContentsLine, ...]:
    """The papers' and appendices' lines of ``item`` (those after its own line)."""
    if item.status is not ItemStatus.NORMAL:
        return ()
    start = next(
        n for n, line in enumerate(lines) if line.level == 0 and line.number == item.number
    )
    papers = []
    for line in lines[start + 1 :]:
        if line.level == 0:
            break
        papers.append(line)
    return tuple(papers)


def _file(
    folder: Path, name: str, title: str, pages: int | None, media: str = "application/pdf"
) -> PublishedFile:
    """A file written in ``folder``, described."""
    return PublishedFile(name, title, (folder / name).stat().st_size, pages, media)
