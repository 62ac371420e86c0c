"""Which entries an edition lists, and in what order.

An edition dated ``as_of`` lists the decisions due from ``as_of`` to
``months`` calendar months later (both days included), plus those with no
due date yet. They are grouped by portfolio, the plan's ``portfolios`` first
in the order given, then any other portfolio alphabetically; within a group
undated entries come first (as in the printed programme), then by due date,
then by reference.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..dates import today
from ..model.forwardplan import Entry, Plan


@dataclass(frozen=True)
class Window:
    """The due dates an edition covers, both days included."""

    start: dt.date
    end: dt.date

    def covers(self, entry: Entry) -> bool:
        """True when the entry is due in the window or has no due date yet."""
        return entry.due_date is None or self.start <= entry.due_date <= self.end


@dataclass(frozen=True)
class Group:
    """The entries of one portfolio, in order."""

    portfolio: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Edition:
    """One week's forward plan: its date, window and grouped entries."""

    as_of: dt.date
    months: int
    window: Window
    groups: tuple[Group, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every listed entry, in printed order."""
        return tuple(entry for group in self.groups for entry in group.entries)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved on by whole calendar months; 31 January + 1 month is 28/29 February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def window(as_of: dt.date, months: int) -> Window:
    """The window of an edition dated ``as_of`` covering ``months`` months."""
    return Window(as_of, add_months(as_of, months))


def select_entries(entries: Iterable[Entry], span: Window) -> list[Entry]:
    """The entries the window covers, in the order given."""
    return [entry for entry in entries if span.covers(entry)]


def entry_order(entry: Entry) -> tuple[bool, dt.date, str]:
    """Sort key within a group: undated first, then due date, then reference."""
    return (entry.due_date is not None, entry.due_date or dt.date.min, entry.reference)


def group_entries(entries: Iterable[Entry], order: Sequence[str]) -> tuple[Group, ...]:
    """Group by portfolio: ``order`` first, then other portfolios A to Z; sort each group."""
    by_portfolio: dict[str, list[Entry]] = {}
    for entry in entries:
        by_portfolio.setdefault(entry.portfolio, []).append(entry)
    rank = {name: index for index, name in enumerate(order)}
    names = sorted(by_portfolio, key=lambda name: (rank.get(name, len(rank)), name.casefold()))
    return tuple(Group(name, tuple(sorted(by_portfolio[name], key=entry_order))) for name in names)


def build_edition(plan: Plan, as_of: dt.date, months: int | None = None) -> Edition:
    """Select and group the plan's entries for the edition dated ``as_of``."""
    months = months or plan.settings.months
    span = window(as_of, months)
    groups = group_entries(select_entries(plan.entries, span), plan.settings.portfolios)
    return Edition(as_of=as_of, months=months, window=span, groups=groups)


def edition_date(
    plan: Plan, as_of: dt.date | None = None, default: dt.date | None = None
) -> dt.date:
    """The date an edition of ``plan`` is as of: the one rule for weekly editions and appendices.

    ``as_of`` (``--as-of``, or an agenda table's ``as_of:``), else the plan's
    own ``as_of:``, else ``default`` (an agenda appendix's: the pack's
    publication date, else the meeting's), else ``SOURCE_DATE_EPOCH``'s day or
    today (:func:`packbuilder.dates.today`).
    """
    for chosen in (as_of, plan.settings.as_of, default):
        if chosen is not None:
            return chosen
    return today()
