"""The Jinja filters of the templates, and the environment templates are rendered with."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import jinja2

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


def _date_text(value: Any, form: Callable[[dt.date], str]) -> str:
    """``form`` of the date ``value``; empty for none; text that is not a date as is."""
    if value is None or value == "":
        return ""
    day = _as_date(value)
    if day is None:
        return str(value)
    return form(day)


def _long(day: dt.date) -> str:
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _ordinal(day: dt.date) -> str:
    weekday, month = _DAYS[day.weekday()], _MONTHS[day.month - 1]
    return f"{weekday} {day.day}{_ordinal_suffix(day.day)} {month}, {day.year}"


def _short(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_date(value: Any) -> str:
    """``Tuesday 3 May 2022``; empty for none; text that is not a date is returned as is."""
    return _date_text(value, _long)


def ordinal_date(value: Any) -> str:
    """``Wednesday 11th May, 2022`` (the agenda's date line)."""
    return _date_text(value, _ordinal)


def short_date(value: Any) -> str:
    """``11 May 2022``."""
    return _date_text(value, _short)


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


def plain(value: Any) -> str:
    """A field as one line of text (its paragraphs joined by spaces)."""
    return " ".join(paragraphs(value))


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
