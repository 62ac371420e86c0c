"""The forward plan's data: entries (one decision each) and the plan's settings.

Plain frozen dataclasses produced by :mod:`packbuilder.load.plan`. The
fields follow what SI 2012/2089 reg 9 requires a notice of a key decision to
state, plus what the Executive Forward Work Programme prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .exempt import ENGLAND, ExemptionTable
from .meeting import DayCounting, Origin

DEFAULT_MONTHS = 4
MAX_MONTHS = 24
"""The most months ahead an edition can cover (plan files, meetings and ``--months``)."""
DEFAULT_TITLE = "Executive Forward Work Programme"
DEFAULT_TEMPLATE_NAME = "forward-plan.docx"


@dataclass(frozen=True)
class Record:
    """A recorded use of the general-exception (reg 10) or special-urgency (reg 11) procedure."""

    date: dt.date
    note: str


@dataclass(frozen=True)
class Entry:
    """One decision on the forward plan.

    ``key`` is the reason the decision is a key decision (an empty string when
    no reason is given) or ``None`` for a decision that is not key.
    ``background_documents`` is ``None`` when the plan does not say, ``()``
    when it says there are none. ``exempt`` holds the paragraphs of exempt
    information for a decision to be taken in private (empty: in public);
    ``private_notice`` is when the plan first said so (default
    ``first_published``); ``private_urgency`` records the agreement that a
    private meeting with less notice is urgent (reg 5(6)).
    """

    reference: str
    subject: str
    portfolio: str
    due_date: dt.date | None = None
    description: str | None = None
    wards: tuple[str, ...] = ()
    decision_maker: str | None = None
    key: str | None = None
    policy_framework: bool = False
    likely_exemption: str | None = None
    background_documents: tuple[str, ...] | None = None
    executive_member: str | None = None
    officer: str | None = None
    first_published: dt.date | None = None
    general_exception: Record | None = None
    special_urgency: Record | None = None
    exempt: tuple[str, ...] = ()
    private_notice: dt.date | None = None
    private_urgency: Record | None = None
    origin: Origin | None = None

    @property
    def is_key(self) -> bool:
        """True for a key decision."""
        return self.key is not None

    @property
    def is_private(self) -> bool:
        """True for a decision to be taken in private (exempt information)."""
        return bool(self.exempt)

    @property
    def where(self) -> str:
        """Where the entry was written, for messages."""
        return str(self.origin) if self.origin else self.reference


@dataclass(frozen=True)
class PlanSettings:
    """How the plan is published: title, council, portfolio order, counting rule, template."""

    title: str = DEFAULT_TITLE
    body: str = ""
    portfolios: tuple[str, ...] = ()
    counting: DayCounting = DayCounting.CALENDAR
    template: Path | None = None
    months: int = DEFAULT_MONTHS
    as_of: dt.date | None = None
    documents_address: str | None = None
    documents_note: str | None = None
    exemptions: ExemptionTable = ENGLAND
    origin: Origin | None = None


@dataclass(frozen=True)
class Plan:
    """A loaded forward plan: its settings and every entry, in the order written.

    ``files`` are the files it was read from (the plan, its entries files and
    spreadsheets); ``folders`` the folders listed for entries files, where a
    new file would add entries.
    """

    path: Path
    settings: PlanSettings
    entries: tuple[Entry, ...]
    files: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()
