"""The Jinja filters of the templates, and the environment templates are rendered with."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2

from ..datefmt import date_or_text, day_month_year, ordinal_weekday_date, weekday_date


def long_date(value: Any) -> str:
    """``Tuesday 3 May 2022``; empty for none; text that is not a date is returned as is."""
    return date_or_text(value, weekday_date)


def ordinal_date(value: Any) -> str:
    """``Wednesday 11th May, 2022`` (the agenda's date line)."""
    return date_or_text(value, ordinal_weekday_date)


def short_date(value: Any) -> str:
    """``11 May 2022``."""
    return date_or_text(value, day_month_year)


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
