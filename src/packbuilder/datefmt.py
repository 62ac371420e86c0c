"""Every way packbuilder prints a date, in English whatever the locale.

=====================================  =================================
:func:`weekday_date`                   ``Tuesday 3 May 2022``
:func:`ordinal_weekday_date`           ``Wednesday 11th May, 2022``
:func:`day_month_year`                 ``11 May 2022``
:func:`abbreviated_date`               ``14 Jun 2022``
=====================================  =================================

Days are never zero-padded. :func:`date_or_text` applies one of them to a
value that may be a date, an ISO date text, something else or nothing (as
the templates' filters and the change lists need).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
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


def _month(day: dt.date) -> str:
    return MONTHS[day.month - 1]


def ordinal_suffix(number: int) -> str:
    """``st``, ``nd``, ``rd`` or ``th``: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if 11 <= number % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def weekday_date(day: dt.date) -> str:
    """``Tuesday 3 May 2022``."""
    return f"{DAYS[day.weekday()]} {day.day} {_month(day)} {day.year}"


def ordinal_weekday_date(day: dt.date) -> str:
    """``Wednesday 11th May, 2022`` (the agenda's date line)."""
    return f"{DAYS[day.weekday()]} {day.day}{ordinal_suffix(day.day)} {_month(day)}, {day.year}"


def day_month_year(day: dt.date) -> str:
    """``11 May 2022``."""
    return f"{day.day} {_month(day)} {day.year}"


def abbreviated_date(day: dt.date) -> str:
    """``14 Jun 2022`` (the forward plan's due dates and its checks' messages)."""
    return f"{day.day} {_month(day)[:3]} {day.year}"


def as_date(value: Any) -> dt.date | None:
    """``value`` as a date: a date, a datetime's date, an ISO date text; else None."""
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


def date_or_text(value: Any, form: Callable[[dt.date], str]) -> str:
    """``form`` of the date ``value``; empty for none; text that is not a date as is."""
    if value is None or value == "":
        return ""
    day = as_date(value)
    if day is None:
        return str(value)
    return form(day)
