"""The Jinja filters of the templates, and the sandboxed environment templates are filled in.

Templates are Word documents anyone with access to the templates folder can
edit, so they are filled in a :class:`jinja2.sandbox.SandboxedEnvironment`:
a tag cannot reach Python's internals (``{{ x.__class__ }}`` is a
:class:`~jinja2.sandbox.SecurityError`), and ``range()``, ``*`` and ``**``
are limited so that one tag cannot make a build hang.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from jinja2.runtime import Context
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment, SecurityError

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


RANGE_BUDGET = MAX_RANGE
"""The most numbers ``range()`` gives in one template fill, all its calls together (the
sandbox's own limit for one call): an agenda or a table never needs that many."""

MAX_REPEAT = 1_000_000
"""The longest text or list ``*`` may make in a template (``'-' * 80`` is fine)."""

MAX_POWER_BITS = 100_000
"""The largest whole number ``**`` may make in a template, in bits (about 30,000 digits)."""


class TemplateLimitError(SecurityError):
    """A template asked for more work than a template may do: a huge range, text or number."""


class TemplateSandbox(SandboxedEnvironment):
    """The sandbox templates are filled in.

    Python's internals (``__class__``, ``__subclasses__()``) are out of reach,
    so a template cannot print the interpreter's secrets or run code; and
    ``range()`` (:data:`RANGE_BUDGET` numbers in all), ``*`` and ``**`` are
    limited, so that one tag cannot make a build hang or fill the memory.
    Loops over the context's own lists are as long as those lists.
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._range_left = RANGE_BUDGET
        self.globals["range"] = self._limited_range

    def _limited_range(self, *args: int) -> range:
        """``range()`` while the template's budget of :data:`RANGE_BUDGET` numbers lasts."""
        numbers = range(*args)
        self._range_left -= len(numbers)
        if self._range_left < 0:
            raise TemplateLimitError(
                f"range() was asked for more than {RANGE_BUDGET:,} numbers in one template "
                f"(range{args!r})"
            )
        return numbers

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**``, refused when the result would be enormous."""
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def _check_repeat(left: Any, right: Any) -> None:
    """Refuse ``'x' * n`` (or ``n * [x]``) that would be longer than :data:`MAX_REPEAT`."""
    for sequence, count in ((left, right), (right, left)):
        if not isinstance(sequence, str | list | tuple) or not isinstance(count, int):
            continue
        if len(sequence) * count > MAX_REPEAT:
            raise TemplateLimitError(
                f"'*' was asked for {len(sequence) * count:,} characters or items "
                f"(at most {MAX_REPEAT:,})"
            )


def _check_power(base: Any, exponent: Any) -> None:
    """Refuse ``a ** b`` of whole numbers larger than :data:`MAX_POWER_BITS` bits."""
    if not isinstance(base, int) or not isinstance(exponent, int) or exponent <= 0:
        return
    bits = abs(base).bit_length() * exponent
    if abs(base) > 1 and bits > MAX_POWER_BITS:
        raise TemplateLimitError(
            f"'**' was asked for a number of about {bits:,} bits ({base} ** {exponent}; "
            f"at most {MAX_POWER_BITS:,})"
        )


def jinja_environment() -> jinja2.Environment:
    """The Jinja environment a template is filled in with: the :class:`TemplateSandbox`,
    autoescape, strict variables, our filters. A new one for each fill (its range budget)."""
    env = TemplateSandbox(
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
