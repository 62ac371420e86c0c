"""The data model: committees, meetings, agenda items, papers and documents.

Plain frozen dataclasses, produced by :mod:`packbuilder.load.meeting` from the
YAML and consumed by every later stage. Each object that came from a YAML node
keeps an :class:`Origin` so later stages can name the file, line and key in
their messages. The concepts follow the OParl standard (Body, Organization,
Person, Meeting, AgendaItem, Paper, File).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .exempt import ENGLAND, Exemption, ExemptionTable, merged
from .limits import DEFAULT_LIMITS, Limits
from .origin import Origin
from .pagesel import PageSelection

AGENDA_KIND = "Agenda"
"""What a main pack's front sheet is headed: the agenda."""
SUPPLEMENT_KIND = "Supplementary Agenda"
"""What a supplementary pack's front sheet is headed (a pack of late items only)."""

LINK_PREFIX = "https://packbuilder.invalid/item/"
"""The front sheet links an agenda line to ``LINK_PREFIX + item number``; the assembler
turns each such link into a link to the item's first page. The contents page links a
document's line to ``LINK_PREFIX + document_link(...)``, which goes to the document's
first page."""


def document_link(number: str, paper: int, document: int) -> str:
    """The link key of a document: ``4/1/2`` (item 4, paper 1, its document 2, both counted
    from 1; document 1 is the paper itself, 2 its first appendix)."""
    return f"{number}/{paper + 1}/{document + 1}"


class Padding(StrEnum):
    """Which unit is padded to an even page count with a blank page."""

    PAPER = "paper"
    ITEM = "item"
    NONE = "none"


class ItemStatus(StrEnum):
    """Where an agenda item stands."""

    NORMAL = "normal"
    TO_FOLLOW = "to-follow"
    WITHDRAWN = "withdrawn"

    @property
    def printed(self) -> str:
        """What the agenda prints in the page column instead of a range (empty if normal)."""
        return {"to-follow": "To Follow", "withdrawn": "Withdrawn"}.get(self.value, "")


class DayCounting(StrEnum):
    """How clear days are counted before a meeting."""

    CALENDAR = "calendar"
    WORKING = "working"


@dataclass(frozen=True)
class Member:
    """A committee member, with an optional role such as Chair."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class Contact:
    """The officer members and the public contact about the agenda."""

    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Signatory:
    """The officer who signs the agenda (name and job title)."""

    name: str
    title: str


@dataclass(frozen=True)
class Templates:
    """The Word templates a committee uses."""

    agenda: Path
    report: Path
    forward_plan: Path
    contents: Path
    """The contents page's Word template (used when the contents page is on)."""
    web: Path
    """The web agenda's HTML template (Jinja): ``public/index.html``."""


@dataclass(frozen=True)
class Deadline:
    """The publication rule: ``clear_days`` before the meeting, counted as set."""

    clear_days: int = 5
    counting: DayCounting = DayCounting.CALENDAR


@dataclass(frozen=True)
class Committee:
    """A committee, kept once and reused by every meeting."""

    name: str
    body: str
    membership: tuple[Member, ...]
    contact: Contact
    signatory: Signatory
    templates: Templates
    members_prefix: str = "Councillors"
    address: tuple[str, ...] = ()
    padding: Padding = Padding.PAPER
    deadline: Deadline = field(default_factory=Deadline)
    language: str = "en-GB"
    exemptions: ExemptionTable = ENGLAND
    """The paragraphs of exempt information an ``exempt:`` key may cite (default: England's)."""
    origin: Origin | None = None
    markup: bool = False  # keep PDF papers' review comments and markup (an internal pack)
    limits: Limits = DEFAULT_LIMITS  # how much work one paper may cost (pdflimits)
    paper_folders: tuple[Path, ...] = ()  # folders outside the meeting's that papers may come from
    contents: bool = False
    """A contents page after the front sheet: every item, paper and appendix with its pages."""
    publish_url: str | None = None
    """Where each meeting's ``public/`` folder is published (``{meeting}``: the meeting
    file's name without .yaml); the calendar and open data then carry full addresses."""


class TrackedChanges(StrEnum):
    """What to do with a Word paper's tracked changes and comments."""

    REFUSE = "refuse"
    ACCEPT = "accept"


class ExternalLinks(StrEnum):
    """What to do with a Word paper's pictures, objects and fields that point outside it."""

    REFUSE = "refuse"
    REMOVE = "remove"


@dataclass(frozen=True)
class FileSource:
    """A paper the clerk received: a .pdf or .docx file, optionally some pages of it.

    ``markup`` keeps (True) or leaves out (False) a PDF paper's review comments and
    markup; None: as the committee says. ``tracked_changes`` and ``external_links``
    say what to do with a Word paper that has them (refuse it, by default).
    """

    path: Path
    pages: PageSelection | None = None
    markup: bool | None = None
    tracked_changes: TrackedChanges = TrackedChanges.REFUSE
    external_links: ExternalLinks = ExternalLinks.REFUSE


REPORT_TEXT_FIELDS = (
    "report_of",
    "submitted_to",
    "subject",
    "summary",
    "proposed_decisions",
    "report_for",
    "key_decision",
    "confidential",
    "urgent",
    "wards",
    "purpose",
    "why_member_decision",
    "decisions_asked",
    "other_options",
    "actions",
    "appendices",
    "background_papers",
)
"""Report fields that are text or a list of paragraphs."""

REQUIRED_REPORT_FIELDS = ("report_of", "purpose", "proposed_decisions")
"""What every cover report should say (who reports, why, what is proposed): a report
without one still builds, with a warning naming what is missing."""

REPORT_GROUP_FIELDS = {
    "strategic_plan": ("people", "place", "business"),
    "impacts": ("legal", "financial", "policy_framework", "equality", "risk"),
    "contact": ("name", "phone", "email"),
}
"""Report fields that are mappings, with the keys each has."""


@dataclass(frozen=True)
class ReportSource:
    """A cover report rendered from YAML fields through a Word template."""

    template: Path
    fields: dict[str, Any]


@dataclass(frozen=True)
class ForwardPlanSource:
    """A forward-plan table generated from plan entries (see :mod:`packbuilder.forwardplan`).

    ``as_of`` None means the meeting's publication date (or, without one, its date);
    ``months`` None means the plan's own window. ``template`` None (only before the
    meeting is loaded) means the committee's forward-plan template.
    """

    plan: Path
    heading: str = "APPENDIX A"
    as_of: dt.date | None = None
    months: int | None = None
    template: Path | None = None


Source = FileSource | ReportSource | ForwardPlanSource


@dataclass(frozen=True)
class Document:
    """One document of a paper: the paper itself or one of its appendices."""

    title: str
    source: Source
    origin: Origin
    exempt: Exemption | None = None
    """An appendix's own ``exempt:`` (a paper's is :attr:`Paper.exempt`)."""


@dataclass(frozen=True)
class Paper:
    """A paper on an agenda item: a document and its appendices, one padding unit.

    ``exempt`` makes the whole paper, appendices included, exempt information.
    """

    document: Document
    appendices: tuple[Document, ...] = ()
    exempt: Exemption | None = None

    @property
    def documents(self) -> tuple[Document, ...]:
        """The paper's documents in pack order."""
        return (self.document, *self.appendices)

    @property
    def title(self) -> str:
        return self.document.title


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda."""

    number: str
    title: str
    origin: Origin
    description: str | None = None
    status: ItemStatus = ItemStatus.NORMAL
    papers: tuple[Paper, ...] = ()
    added: dt.date | None = None
    urgency_reason: str | None = None
    exempt: Exemption | None = None
    """A Part B item: taken in private, every paper of it exempt information."""

    @property
    def included_papers(self) -> tuple[Paper, ...]:
        """The papers that go into the pack: none while the item is to follow or withdrawn."""
        if self.status is not ItemStatus.NORMAL:
            return ()
        return self.papers

    @property
    def part_b(self) -> bool:
        """True for an item taken in private (Part B of the agenda)."""
        return bool(self.exempt)

    def exempt_paragraphs(self, paper: Paper, document_index: int) -> tuple[str, ...]:
        """The paragraphs that make document ``document_index`` of ``paper`` exempt
        information (the item's, the paper's and the appendix's own); empty if it is public."""
        own = paper.documents[document_index].exempt if document_index else None
        return merged(self.exempt, paper.exempt, own)


@dataclass(frozen=True)
class Meeting:
    """A meeting of a committee: the input of a build."""

    path: Path
    committee: Committee
    date: dt.date
    time: str
    venue: str
    items: tuple[AgendaItem, ...]
    notices: tuple[str, ...] = ()
    published: dt.date | None = None
    revision: int | None = None
    title: str | None = None
    contents: bool | None = None
    """The meeting's own say on the contents page; None: as the committee says."""

    @property
    def display_title(self) -> str:
        """The heading of the front sheet: the meeting title or the committee name."""
        return self.title or self.committee.name

    @property
    def has_contents(self) -> bool:
        """Whether the pack has a contents page after the front sheet."""
        return self.committee.contents if self.contents is None else self.contents

    @property
    def publish_url(self) -> str | None:
        """The web address of this meeting's ``public/`` folder (ending in ``/``), if known."""
        base = self.committee.publish_url
        if not base:
            return None
        address = base.replace("{meeting}", self.path.stem)
        return address if address.endswith("/") else address + "/"
