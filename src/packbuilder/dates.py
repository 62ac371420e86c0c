"""Clear-day arithmetic for the publication rules of council meetings and key decisions.

"Clear days" exclude both the day something is published and the day of the
meeting or decision (R v Swansea City Council, ex parte Elitestone, 1993).
Two rules use them:

- **Agendas and reports**: open to inspection at least 5 clear days before the
  meeting (Local Government Act 1972 s100B(3)-(4)). Many councils count only
  working days, because the offices are closed at weekends and on bank
  holidays.
- **Key decisions**: on the forward plan at least 28 clear days before the
  decision is made (The Local Authorities (Executive Arrangements) (Meetings
  and Access to Information) (England) Regulations 2012, SI 2012/2089, reg 9),
  unless the general-exception (reg 10) or special-urgency (reg 11) procedure
  is followed.

Weekends and England-and-Wales bank holidays come from the ``holidays``
library (``holidays.country_holidays("GB", subdiv="ENG")``), so one-off bank
holidays such as the Platinum Jubilee (3 June 2022) are counted correctly.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

from .exceptions import InputError
from .model.meeting import DayCounting

_ONE_DAY = dt.timedelta(days=1)

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Dates in definitions, CSV files and on the command line are in these years."""


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    """England-and-Wales bank holidays of ``year`` (including substitute days)."""
    import holidays  # slow to import (every country's calendar): only when a date is counted

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    """True on Monday to Friday when the day is not an England-and-Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def _counts(day: dt.date, counting: DayCounting) -> bool:
    return counting is DayCounting.CALENDAR or is_working_day(day)


def clear_days_between(earlier: dt.date, later: dt.date, counting: DayCounting) -> int:
    """The number of clear days between ``earlier`` and ``later``, excluding both.

    With :attr:`DayCounting.CALENDAR` every day in between counts; with
    :attr:`DayCounting.WORKING` Saturdays, Sundays and England-and-Wales bank
    holidays do not. Returns 0 when ``later`` is not after ``earlier``.

    Publishing on Tuesday 3 May 2022 for a meeting on Wednesday 11 May leaves
    7 calendar clear days (4-10 May) and 5 working clear days (4-6, 9-10 May),
    enough for LGA 1972 s100B's 5 clear days either way.
    """
    if later <= earlier + _ONE_DAY:
        return 0
    if counting is DayCounting.CALENDAR:
        return (later - earlier).days - 1
    day, count = earlier + _ONE_DAY, 0
    while day < later:
        count += is_working_day(day)
        day += _ONE_DAY
    return count


def latest_publication_date(event: dt.date, clear_days: int, counting: DayCounting) -> dt.date:
    """The last day on which publishing still leaves ``clear_days`` clear days before ``event``.

    For a key decision on Tuesday 14 June 2022 and the 28 calendar clear days
    of SI 2012/2089 reg 9 that is Monday 16 May 2022; for a meeting on
    Wednesday 11 May 2022 and the 5 working clear days many councils apply
    to LGA 1972 s100B it is Tuesday 3 May 2022.
    """
    if clear_days < 0:
        raise ValueError("clear_days cannot be negative")
    if counting is DayCounting.CALENDAR:
        return event - dt.timedelta(days=clear_days + 1)
    day, counted = event - _ONE_DAY, 0
    while counted < clear_days:
        counted += _counts(day, counting)
        day -= _ONE_DAY
    return day


def source_date() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time, or None when it is not set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(
            f"SOURCE_DATE_EPOCH is '{value}', not a number of seconds since 1970",
            hint="set it to a whole number, e.g. $(date +%s), or unset it",
        ) from None


def today() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible runs)."""
    stamp = source_date()
    return stamp.date() if stamp else dt.date.today()
