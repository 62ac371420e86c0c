"""How a forward-plan entry is written: its YAML schema, and the text forms of its values.

Dates, key-decision reasons, yes/no, lists and background documents are
read the same way from a YAML value and from a CSV cell
(:mod:`packbuilder.load.plancsv`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from ..dates import FIRST_YEAR, LAST_YEAR
from ..model.forwardplan import Entry, Record
from ..model.meeting import Origin
from ..paths import display_path
from . import schema as s
from .exempt import ExemptParagraphs

# --- values written the same way in YAML and in CSV cells ---------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y")
_NO = {"", "no", "n", "false", "0"}
_YES = {"yes", "y", "true", "1", "key"}


def parse_date(text: str) -> dt.date:
    """A date written 2022-06-14, 14/06/2022 (day first), 14 Jun 2022 or 14 June 2022."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            date = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= date.year <= LAST_YEAR:
            raise s.Invalid(
                f"'{text}' is in the year {date.year}",
                f"dates must be in the years {FIRST_YEAR} to {LAST_YEAR}; check the year",
            )
        return date
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        reason = s.why_not_a_date(year, month, day)
        raise s.Invalid(f"'{text}' is not a real date", f"{reason}; dates are written YYYY-MM-DD")
    day_first = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if day_first:
        day, month, year = (int(part) for part in day_first.groups())
        reason = s.why_not_a_date(year, month, day)
        raise s.Invalid(
            f"'{text}' is not a real date", f"{reason}; dates are read day first: DD/MM/YYYY"
        )
    raise s.Invalid(f"'{text}' is not a date", "write dates as YYYY-MM-DD or DD/MM/YYYY")


def key_from_text(text: str) -> str | None:
    """None (not a key decision) for blank/no/false; "" for yes/true/KEY; else the reason."""
    text = " ".join(text.split())
    if text.lower() in _NO:
        return None
    return "" if text.lower() in _YES else text


def bool_from_text(text: str) -> bool:
    """yes/true/1 (or PFP) and no/false/0/blank."""
    word = text.strip().lower()
    if word in _NO:
        return False
    if word in (_YES | {"pfp"}):
        return True
    raise s.Invalid(f"'{text}' is not yes or no", "write yes or no")


def list_from_text(text: str) -> tuple[str, ...]:
    """Items separated by semicolons: 'Newport; North Ormesby'."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def documents_from_text(text: str) -> tuple[str, ...]:
    """Background documents separated by semicolons; the word 'none' states there are none."""
    return () if text.strip().lower() == "none" else list_from_text(text)


class DateText(s.Type):
    expected = "a date written YYYY-MM-DD"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> dt.date:
        return parse_date(str(self._scalar(node).value))


class KeyReason(s.Type):
    expected = "the reason it is a key decision, or true"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> str | None:
        return key_from_text(str(self._scalar(node).value))


class TextList(s.Type):
    expected = "a list, or items separated by ';'"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(s.ListOf(s.Str()).convert(node, ctx, key))
        return list_from_text(str(self._scalar(node).value))


def _origin(node: yaml.Node, ctx: s.Context, key: str) -> Origin:
    return Origin(Path(display_path(ctx.file)), node.start_mark.line + 1, key or None)


class Documents(s.Type):
    """Background documents: a list, one title, or the word 'none' (stated: there are none)."""

    expected = "a list of document titles, or 'none'"

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[str, ...]:
        if isinstance(node, yaml.SequenceNode):
            return tuple(s.ListOf(s.Str()).convert(node, ctx, key))
        return documents_from_text(self._scalar(node).value)


def _record(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    return Record(values["date"], values["note"])


RECORD = s.Struct(
    "record",
    {
        "date": s.Field(DateText(), required=True, help="the date of the notice or agreement"),
        "note": s.Field(s.Str(), required=True, help="e.g. who was informed or agreed"),
    },
    _record,
)


def _entry(values: dict[str, Any], node: yaml.Node, ctx: s.Context, key: str) -> Any:
    if s.has_missing(values):
        return s.MISSING
    values = dict(values)
    values["wards"] = tuple(values["wards"] or ())
    values["exempt"] = values["exempt"] or ()
    values["portfolio"] = values["portfolio"] or ""
    return Entry(**values, origin=_origin(node, ctx, key))


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Paragraph numbers of exempt information: ``3``, ``1; 2`` or ``1, 2``."""
    return ExemptParagraphs.from_text(text)


class Paragraphs(s.Type):
    """``exempt:`` of an entry: the paragraph numbers, as :class:`ExemptParagraphs` reads them."""

    expected = ExemptParagraphs.expected

    def convert(self, node: yaml.Node, ctx: s.Context, key: str) -> tuple[str, ...]:
        return ExemptParagraphs().convert(node, ctx, key).paragraphs


ENTRY_FIELDS: dict[str, s.Field] = {
    "reference": s.Field(s.Str(), required=True, help="the plan's reference number"),
    "portfolio": s.Field(s.Str(), help="the Executive portfolio it is grouped under"),
    "subject": s.Field(s.Str(), required=True, help="the matter to be decided"),
    "description": s.Field(s.Str()),
    "wards": s.Field(TextList()),
    "decision_maker": s.Field(s.Str(), help="e.g. Executive"),
    "due_date": s.Field(DateText()),
    "key": s.Field(KeyReason(), help="why it is a key decision; leave out if it is not one"),
    "policy_framework": s.Field(s.Bool(), default=False),
    "likely_exemption": s.Field(s.Str(), help="e.g. Public, or the Schedule 12A paragraph"),
    "background_documents": s.Field(Documents()),
    "executive_member": s.Field(s.Str()),
    "officer": s.Field(s.Str()),
    "first_published": s.Field(DateText(), help="the date it first appeared on the plan"),
    "general_exception": s.Field(RECORD, help="reg 10 notice: date and note"),
    "special_urgency": s.Field(RECORD, help="reg 11 agreement: date and note"),
    "exempt": s.Field(Paragraphs(), help="taken in private: the Schedule 12A paragraph(s)"),
    "private_notice": s.Field(DateText(), help="when the plan first said it is private"),
    "private_urgency": s.Field(RECORD, help="reg 5(6) agreement: date and note"),
}
ENTRY = s.Struct("forward plan entry", ENTRY_FIELDS, _entry)
