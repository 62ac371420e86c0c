"""Where a meeting stands: papers to follow, the publication deadline, late items.

:func:`meeting_status` takes a loaded :class:`~packbuilder.model.Meeting` and a
day (plain data, no I/O beyond asking whether a paper's file exists yet) and
returns a :class:`MeetingStatus`, which renders itself as text for a clerk
(:meth:`MeetingStatus.text`) or as JSON for a script (:meth:`MeetingStatus.as_dict`).

The rules:

- **Deadline**: the agenda and reports must be open to inspection
  ``deadline.clear_days`` clear days before the meeting (LGA 1972 s100B;
  5 by default), counted as the committee says: calendar days, or working
  days, which leave out weekends and England-and-Wales bank holidays (see
  :mod:`packbuilder.dates`). The deadline is the last day on which publishing
  still leaves that many clear days.
- **Missing papers**: a paper whose file does not exist yet (the definition
  allows that only for items to follow).
- **Late items**: an item ``added`` after the deadline, or still to follow once
  the deadline has passed, can only be considered as a matter of urgency
  (s100B(4)(b)), so it needs a recorded reason (``urgency:``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..datefmt import weekday_date
from ..dates import clear_days_between, is_working_day, latest_publication_date
from ..model.exempt import paragraphs_phrase
from ..model.meeting import (
    AgendaItem,
    DayCounting,
    FileSource,
    ForwardPlanSource,
    ItemStatus,
    Meeting,
)
from ..model.partb import (
    capitalised,
    exempt_units,
    item_paragraphs,
    part_b_order,
    unit_label,
    unit_paragraphs,
)
from ..paths import display_path
from ..publish.accessibility import untagged_message


@dataclass(frozen=True)
class PaperState:
    """One document of an item: its title, its file (if it is a file) and whether it exists."""

    item: str
    title: str
    file: str | None
    present: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"item": self.item, "title": self.title, "file": self.file, "present": self.present}


@dataclass(frozen=True)
class ItemToFollow:
    """An item listed "To Follow", with the state of each of its papers."""

    number: str
    title: str
    papers: tuple[PaperState, ...]

    @property
    def arrived(self) -> bool:
        """True when the item names papers and every one of them is here."""
        return bool(self.papers) and all(paper.present for paper in self.papers)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "number": self.number,
            "title": self.title,
            "arrived": self.arrived,
            "papers": [paper.as_dict() for paper in self.papers],
        }


@dataclass(frozen=True)
class LateItem:
    """An item that misses the deadline, and the reason for urgency recorded for it (if any)."""

    number: str
    title: str
    why: str
    added: dt.date | None
    urgency_reason: str | None

    @property
    def lacks_urgency(self) -> bool:
        """True when no reason for urgency is recorded."""
        return not self.urgency_reason

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "number": self.number,
            "title": self.title,
            "why": self.why,
            "added": _iso(self.added),
            "urgency_reason": self.urgency_reason,
            "lacks_urgency": self.lacks_urgency,
        }


@dataclass(frozen=True)
class ExemptEntry:
    """Something not for publication: a Part B item, or an exempt paper or appendix of a
    public item (named by its place, as the public pack names it), and the paragraphs cited."""

    item: str
    title: str
    what: str
    paragraphs: tuple[str, ...]

    def line(self) -> str:
        """``item 9: Contract award (Part B: paragraph 3)``."""
        return f"item {self.item}: {self.title} ({self.what}: {paragraphs_phrase(self.paragraphs)})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "item": self.item,
            "title": self.title,
            "what": self.what,
            "paragraphs": list(self.paragraphs),
        }


def exempt_entries(meeting: Meeting) -> tuple[ExemptEntry, ...]:
    """The meeting's Part B items and the exempt papers and appendices of its public items."""
    entries = []
    for item in meeting.items:
        if item.part_b:
            entries.append(ExemptEntry(item.number, item.title, "Part B", item_paragraphs(item)))
            continue
        for unit in exempt_units(item):
            what = capitalised(unit_label(item, unit)) + " not for publication"
            entries.append(ExemptEntry(item.number, item.title, what, unit_paragraphs(item, unit)))
    return tuple(entries)


@dataclass(frozen=True)
class PackState:
    """The last build of the pack, and the inputs that changed since it."""

    folder: str
    built: bool
    pages: int | None = None
    revision: int | None = None
    changed_inputs: tuple[str, ...] = ()
    pack: str = "pack.pdf"  # the pack's file in the folder, as the line names it

    @property
    def up_to_date(self) -> bool:
        """True when the pack was built from the files as they are now."""
        return self.built and not self.changed_inputs

    def line(self) -> str:
        """``build/osb/pack.pdf: 116 pages, up to date``."""
        if not self.built:
            return f"not built yet ({self.folder})"
        text = f"{self.folder}/{self.pack}: {self.pages} pages"
        if self.revision is not None:
            text += f", revision {self.revision}"
        if self.up_to_date:
            return text + ", up to date"
        return text + f", OUT OF DATE (changed since: {', '.join(self.changed_inputs)}); rebuild"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "folder": self.folder,
            "built": self.built,
            "pages": self.pages,
            "revision": self.revision,
            "up_to_date": self.up_to_date,
            "changed_inputs": list(self.changed_inputs),
        }


def pack_state(
    folder: str,
    manifest: dict[str, Any] | None,
    current_inputs: dict[str, str],
    pack: str = "pack.pdf",
) -> PackState:
    """Compare a build's manifest with the hashes of the inputs as they are now.

    ``current_inputs`` maps each input (as the manifest names it, relative to
    the meeting file) to its SHA-256; an input listed on only one side counts
    as changed.
    """
    if not manifest:
        return PackState(folder, built=False)
    before = manifest.get("inputs", {}) or {}
    names = sorted(set(before) | set(current_inputs))
    changed = tuple(name for name in names if before.get(name) != current_inputs.get(name))
    return PackState(
        folder,
        built=True,
        pages=manifest.get("pages"),
        revision=(manifest.get("meeting") or {}).get("revision"),
        changed_inputs=changed,
        pack=pack,
    )


@dataclass(frozen=True)
class MeetingStatus:
    """Where a meeting stands on ``today``: deadline, papers to follow, late items."""

    title: str
    meeting_date: dt.date
    today: dt.date
    clear_days: int
    counting: DayCounting
    deadline: dt.date
    published: dt.date | None
    to_follow: tuple[ItemToFollow, ...] = ()
    missing: tuple[PaperState, ...] = ()
    late_items: tuple[LateItem, ...] = ()
    withdrawn: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    pack: PackState | None = None
    untagged: tuple[str, ...] = ()
    """The PDF papers here that are not tagged (no structure tree), as the meeting names them."""
    exempt: tuple[ExemptEntry, ...] = ()

    @property
    def clear_days_at_publication(self) -> int | None:
        """Clear days between the publication date and the meeting (None if not published)."""
        if self.published is None:
            return None
        return clear_days_between(self.published, self.meeting_date, self.counting)

    @property
    def meets_deadline(self) -> bool | None:
        """Whether publication meets the deadline; None while unpublished and still in time."""
        if self.published is not None:
            return self.published <= self.deadline
        return False if self.today > self.deadline else None

    @property
    def days_to_deadline(self) -> int:
        """Calendar days from ``today`` to the deadline (0 on the day, negative after)."""
        return (self.deadline - self.today).days

    @property
    def problems(self) -> list[str]:
        """What ``packbuilder status --strict`` fails on: a missed deadline, late items
        without a reason for urgency."""
        found: list[str] = []
        if self.meets_deadline is False:
            if self.published is not None:
                found.append(
                    f"published on {weekday_date(self.published)}, after the deadline of "
                    f"{weekday_date(self.deadline)} ({self.clear_days_at_publication} clear "
                    f"{_day_word(self.counting)} before the meeting, {self.clear_days} needed)"
                )
            else:
                deadline = weekday_date(self.deadline)
                found.append(f"not published and the deadline ({deadline}) has passed")
        for item in self.late_items:
            if item.lacks_urgency:
                found.append(
                    f"item {item.number} ({item.title}) is late ({item.why}) and has no "
                    "reason for urgency recorded"
                )
        return found

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: every field, dates as ``YYYY-MM-DD``."""
        return {
            "meeting": {"title": self.title, "date": _iso(self.meeting_date)},
            "today": _iso(self.today),
            "deadline": {
                "date": _iso(self.deadline),
                "clear_days": self.clear_days,
                "counting": self.counting.value,
                "days_left": self.days_to_deadline,
            },
            "published": _iso(self.published),
            "clear_days_at_publication": self.clear_days_at_publication,
            "meets_deadline": self.meets_deadline,
            "to_follow": [item.as_dict() for item in self.to_follow],
            "missing": [paper.as_dict() for paper in self.missing],
            "late_items": [item.as_dict() for item in self.late_items],
            "withdrawn": [{"number": n, "title": t} for n, t in self.withdrawn],
            "notes": list(self.notes),
            "exempt": [entry.as_dict() for entry in self.exempt],
            "pack": self.pack.as_dict() if self.pack else None,
            "untagged_papers": list(self.untagged),
            "problems": self.problems,
        }

    def text(self) -> str:
        """The status as a clerk reads it."""
        lines = [f"{self.title}, {weekday_date(self.meeting_date)}", ""]
        lines.append(
            f"Deadline:   {weekday_date(self.deadline)} ({self.clear_days} clear "
            f"{_day_word(self.counting)} before the meeting){self._days_left()}"
        )
        lines.append(f"Published:  {self._published_line()}")
        if self.pack is not None:
            lines.append(f"Pack:       {self.pack.line()}")
        lines.append("")
        lines += self._section(
            "To follow",
            [self._to_follow_line(item) for item in self.to_follow],
            "none",
        )
        lines += self._section(
            "Missing papers",
            [f"item {p.item}: {p.title} ({p.file})" for p in self.missing],
            "none",
        )
        lines += self._section(
            "Late items",
            [
                f"item {i.number}: {i.title} ({i.why}); "
                + (
                    f"reason for urgency: {i.urgency_reason}"
                    if i.urgency_reason
                    else "NO reason for urgency recorded"
                )
                for i in self.late_items
            ],
            "none",
        )
        if self.withdrawn:
            lines += self._section("Withdrawn", [f"item {n}: {t}" for n, t in self.withdrawn], "")
        if self.untagged:
            lines += self._section(
                f"Accessibility: {untagged_message(len(self.untagged))}", list(self.untagged), ""
            )
        lines += self._section(
            "Not for publication (exempt information)",
            [entry.line() for entry in self.exempt],
            "none",
        )
        for note in self.notes:
            lines.append(f"Note: {note}")
        problems = self.problems
        if problems:
            lines.append(f"{len(problems)} problem(s) to fix:")
            lines += [f"  - {problem}" for problem in problems]
        elif self.meets_deadline is None:
            lines.append(f"No problems yet: publish by {weekday_date(self.deadline)}.")
        else:
            lines.append(
                "No problems: publication meets the deadline and no late item lacks "
                "a reason for urgency."
            )
        return "\n".join(lines)

    # -- text helpers ----------------------------------------------------------------------

    def _days_left(self) -> str:
        days = self.days_to_deadline
        if self.published is not None and self.published <= self.today:
            return ""
        if days > 1:
            return f", {days} days from today"
        if days == 1:
            return ", tomorrow"
        if days == 0:
            return ", today"
        return f", passed {-days} day(s) ago"

    def _published_line(self) -> str:
        if self.published is None:
            state = "MISSED" if self.meets_deadline is False else "not yet"
            return f"not published ({state})"
        verdict = "meets the deadline" if self.meets_deadline else "MISSES the deadline"
        planned = " (planned)" if self.published > self.today else ""
        return (
            f"{weekday_date(self.published)}{planned}: {self.clear_days_at_publication} clear "
            f"{_day_word(self.counting)} before the meeting, {verdict}"
        )

    @staticmethod
    def _to_follow_line(item: ItemToFollow) -> str:
        if not item.papers:
            return f"item {item.number}: {item.title} (no paper named yet)"
        if item.arrived:
            return (
                f"item {item.number}: {item.title} (papers here: set 'status: normal' and rebuild)"
            )
        waiting = sum(1 for paper in item.papers if not paper.present)
        return f"item {item.number}: {item.title} (waiting for {waiting} paper(s))"

    @staticmethod
    def _section(heading: str, entries: list[str], empty: str) -> list[str]:
        if not entries:
            return [f"{heading}: {empty}", ""] if empty else []
        return [f"{heading}:", *(f"  - {entry}" for entry in entries), ""]


def meeting_status(
    meeting: Meeting, today: dt.date, pack: PackState | None = None
) -> MeetingStatus:
    """The status of ``meeting`` on ``today`` (see the module docstring for the rules);
    ``pack`` is the state of its last build (see :func:`pack_state`), if known."""
    rule = meeting.committee.deadline
    deadline = latest_publication_date(meeting.date, rule.clear_days, rule.counting)
    base = meeting.path.parent
    to_follow: list[ItemToFollow] = []
    missing: list[PaperState] = []
    late: list[LateItem] = []
    withdrawn: list[tuple[str, str]] = []
    for item in meeting.items:
        if item.status is ItemStatus.WITHDRAWN:
            withdrawn.append((item.number, item.title))
            continue
        papers = _paper_states(item, base)
        missing.extend(paper for paper in papers if not paper.present)
        if item.status is ItemStatus.TO_FOLLOW:
            to_follow.append(ItemToFollow(item.number, item.title, papers))
        why = _late_because(item, deadline, today)
        if why:
            late.append(LateItem(item.number, item.title, why, item.added, item.urgency_reason))
    notes = []
    if rule.counting is DayCounting.WORKING and not is_working_day(deadline):
        last = deadline
        while not is_working_day(last):
            last -= dt.timedelta(days=1)
        notes.append(
            f"the deadline falls on a {'weekend' if deadline.weekday() >= 5 else 'bank holiday'}; "
            f"the last working day before it is {weekday_date(last)}"
        )
    notes += [f"{where}: {text}" for where, text in part_b_order(meeting)]
    if today >= meeting.date:
        notes.append(
            "the meeting is today" if today == meeting.date else "the meeting has taken place"
        )
    return MeetingStatus(
        title=meeting.display_title,
        meeting_date=meeting.date,
        today=today,
        clear_days=rule.clear_days,
        counting=rule.counting,
        deadline=deadline,
        published=meeting.published,
        to_follow=tuple(to_follow),
        missing=tuple(missing),
        late_items=tuple(late),
        withdrawn=tuple(withdrawn),
        notes=tuple(notes),
        pack=pack,
        exempt=exempt_entries(meeting),
    )


def _late_because(item: AgendaItem, deadline: dt.date, today: dt.date) -> str | None:
    if item.added is not None and item.added > deadline:
        return f"added on {weekday_date(item.added)}, after the deadline"
    if item.status is ItemStatus.TO_FOLLOW and today > deadline:
        return "still to follow after the deadline"
    return None


def _paper_states(item: AgendaItem, base: Path) -> tuple[PaperState, ...]:
    states = []
    for paper in item.papers:
        for document in paper.documents:
            source = document.source
            if isinstance(source, FileSource):
                states.append(
                    PaperState(
                        item.number,
                        document.title,
                        display_path(source.path, base),
                        source.path.is_file(),
                    )
                )
            elif isinstance(source, ForwardPlanSource):
                states.append(
                    PaperState(
                        item.number,
                        document.title,
                        display_path(source.plan, base),
                        source.plan.exists(),  # a plan may be a folder
                    )
                )
            else:  # a cover report is made from the meeting file: always here
                states.append(PaperState(item.number, document.title, None, True))
    return tuple(states)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day_word(counting: DayCounting) -> str:
    return "working days" if counting is DayCounting.WORKING else "days"
