"""The legal checks on an edition: notice of key decisions, and what the notice must state.

The Local Authorities (Executive Arrangements) (Meetings and Access to
Information) (England) Regulations 2012 (SI 2012/2089):

- **reg 9(2)**: a key decision may be taken only when the forward plan has
  shown it for at least 28 clear days, unless
- **reg 10** (general exception): the chair of the overview and scrutiny
  committee was informed and a notice published at least 5 clear days
  before the decision; or
- **reg 11** (special urgency): the chair agreed the decision is urgent and
  cannot reasonably be deferred.
- **reg 9(1)**: the notice states the matter, the decision maker, the date,
  the documents submitted to the decision maker, the address where they can
  be had, that other documents may be submitted, and how to ask for them.
- **reg 5(2)**: a meeting (or part of one) held in private, for a decision
  involving exempt information, needs a notice of the intention, with the
  reasons, published at least 28 clear days before it, unless
- **reg 5(6)**: the chair of the overview and scrutiny committee agreed that
  the meeting is urgent and cannot reasonably be deferred.

Each problem is a :class:`Finding`; ``--strict`` turns any finding into a
failed build.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from ..datefmt import abbreviated_date
from ..dates import clear_days_between, latest_publication_date
from ..model.forwardplan import Entry, PlanSettings
from ..model.meeting import DayCounting
from .select import Edition

NOTICE_CLEAR_DAYS = 28  # SI 2012/2089 reg 9(2)
GENERAL_EXCEPTION_CLEAR_DAYS = 5  # SI 2012/2089 reg 10(1)(c)
PLAN = "plan"


@dataclass(frozen=True)
class Finding:
    """One problem: the entry's reference (or ``"plan"``), the rule, and what to do."""

    reference: str
    rule: str
    message: str
    where: str | None = None

    def __str__(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return f"{self.reference}{place}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        """The finding as JSON-ready data."""
        return asdict(self)


def check_notice(entry: Entry, counting: DayCounting) -> list[Finding]:
    """Reg 9(2)-11: was a key decision on the plan 28 clear days ahead, or excepted?"""
    if not entry.is_key or entry.due_date is None:
        return []
    due = entry.due_date
    if entry.first_published is None:
        return [
            _finding(
                entry,
                "reg9-notice",
                "the date first published is missing, so 28 clear "
                "days' notice cannot be shown — record it as 'first_published'",
            )
        ]
    days = clear_days_between(entry.first_published, due, counting)
    if days >= NOTICE_CLEAR_DAYS or entry.special_urgency is not None:
        return []
    if entry.general_exception is not None:
        return _check_general_exception(entry, due, counting)
    latest = latest_publication_date(due, NOTICE_CLEAR_DAYS, counting)
    return [
        _finding(
            entry,
            "reg9-notice",
            f"key decision due {abbreviated_date(due)} was first published "
            f"{abbreviated_date(entry.first_published)}, {days} {counting.value} clear days "
            f"before; SI 2012/2089 reg 9 needs {NOTICE_CLEAR_DAYS} "
            f"(publish by {abbreviated_date(latest)}) — "
            "move the date, or record a general exception (reg 10) or special urgency (reg 11)",
        )
    ]


def _check_general_exception(entry: Entry, due: dt.date, counting: DayCounting) -> list[Finding]:
    record = entry.general_exception
    assert record is not None
    days = clear_days_between(record.date, due, counting)
    if days >= GENERAL_EXCEPTION_CLEAR_DAYS:
        return []
    return [
        _finding(
            entry,
            "reg10-notice",
            f"the general exception notice of {abbreviated_date(record.date)} leaves {days} "
            f"{counting.value} clear days before the decision on {abbreviated_date(due)}; reg 10 "
            f"needs {GENERAL_EXCEPTION_CLEAR_DAYS} — use special urgency (reg 11) instead",
        )
    ]


def check_private_notice(entry: Entry, counting: DayCounting) -> list[Finding]:
    """Reg 5(2)-(6): was a private decision's notice published 28 clear days ahead, or urgent?"""
    if not entry.is_private or entry.due_date is None or entry.private_urgency is not None:
        return []
    due = entry.due_date
    notice = entry.private_notice or entry.first_published
    if notice is None:
        return [
            _finding(
                entry,
                "reg5-notice",
                "is to be decided in private, but the date its notice was first published is "
                "missing, so 28 clear days' notice cannot be shown — record it as "
                "'first_published' (or 'private_notice', if it became private later)",
            )
        ]
    days = clear_days_between(notice, due, counting)
    if days >= NOTICE_CLEAR_DAYS:
        return []
    latest = latest_publication_date(due, NOTICE_CLEAR_DAYS, counting)
    return [
        _finding(
            entry,
            "reg5-notice",
            f"private decision due {abbreviated_date(due)}: the notice of the intention to take "
            f"it in private was published {abbreviated_date(notice)}, {days} {counting.value} "
            f"clear days before; SI 2012/2089 reg 5(2) needs {NOTICE_CLEAR_DAYS} (publish by "
            f"{abbreviated_date(latest)}) — move the date, or record the chair's agreement that "
            "it is urgent (reg 5(6)) as 'private_urgency'",
        )
    ]


def check_contents(entry: Entry) -> list[Finding]:
    """Reg 9(1): a key decision's notice states its decision maker, date and documents."""
    if not entry.is_key:
        return []
    missing = []
    if not entry.decision_maker:
        missing.append("the decision maker (reg 9(1)(c)): add 'decision_maker'")
    if entry.due_date is None:
        missing.append("the date of the decision (reg 9(1)(d)): add 'due_date'")
    if entry.background_documents is None:
        missing.append(
            "the documents submitted to the decision maker (reg 9(1)(e)): list them under "
            "'background_documents', or write 'none'"
        )
    return [_finding(entry, "reg9-contents", f"does not state {item}") for item in missing]


def check_plan_contents(settings: PlanSettings) -> list[Finding]:
    """Reg 9(1)(f)-(h): the plan says where documents can be had and how to ask for others."""
    where = str(settings.origin) if settings.origin else None
    findings = []
    if not settings.documents_address:
        findings.append(
            Finding(
                PLAN,
                "reg9-contents",
                "does not state the address from which the documents "
                "can be had (reg 9(1)(f)) — add 'documents_address'",
                where,
            )
        )
    if not settings.documents_note:
        findings.append(
            Finding(
                PLAN,
                "reg9-contents",
                "does not say that other documents may be submitted "
                "and how to ask for them (reg 9(1)(g)-(h)) — add 'documents_note'",
                where,
            )
        )
    return findings


def check_edition(edition: Edition, settings: PlanSettings) -> list[Finding]:
    """Every finding for the entries an edition lists, in printed order."""
    findings: list[Finding] = []
    for entry in edition.entries:
        findings += check_contents(entry) + check_notice(entry, settings.counting)
        findings += check_private_notice(entry, settings.counting)
    if any(entry.is_key for entry in edition.entries):
        findings += check_plan_contents(settings)
    return findings


def _finding(entry: Entry, rule: str, message: str) -> Finding:
    return Finding(entry.reference, rule, message, entry.where)
