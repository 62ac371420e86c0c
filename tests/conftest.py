"""Shared fixtures: the reference meeting (Middlesbrough Council, OSB, 11 May 2022).

Also: every pack a test builds through :func:`packbuilder.api.build` (directly or
through the CLI in-process) is checked with ``qpdf --check`` (see
:func:`_qpdf_checks_every_pack`), and :func:`lo_cache` shares LibreOffice
conversions between tests so that identical front sheets convert once.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
from pathlib import Path

import pytest

from packbuilder import api
from packbuilder.model import (
    AgendaItem,
    Committee,
    Contact,
    Document,
    FileSource,
    ItemStatus,
    Meeting,
    Member,
    Origin,
    Paper,
    ReportSource,
    Signatory,
    Templates,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
MEETING_FILE = ROOT / "meetings" / "osb-2022-05-11.yaml"

_SCRUTINY_SUPPORTS = "Open and transparent scrutiny supports all elements of the Mayor’s Vision."

# The fields of the item 4 cover report, with the reference's text (see also
# tools/item4-report-fields.yaml). submitted_to and subject are left to their defaults.
ITEM4_REPORT_FIELDS = {
    "report_of": "Chief Executive",
    "proposed_decisions": (
        "It is recommended that the Overview and Scrutiny Board consider the content of the "
        "Executive Forward Work Programme."
    ),
    "report_for": "Information",
    "key_decision": "No",
    "confidential": "N/A",
    "urgent": "N/A",
    "strategic_plan": {
        "people": _SCRUTINY_SUPPORTS,
        "place": _SCRUTINY_SUPPORTS,
        "business": _SCRUTINY_SUPPORTS,
    },
    "wards": "All Wards affected equally",
    "purpose": "To make OSB aware of items on the Executive Forward Work Programme.",
    "why_member_decision": [
        "The OSB has delegated powers to manage the work of Scrutiny and, if appropriate, it "
        "can either undertake the work itself or delegate to individual Scrutiny Panels.",
        "One of the main duties of OSB is to hold the Executive to account by considering the "
        "forthcoming decisions of the Executive and decide whether value can be added by "
        "Scrutiny considering the matter in advance of any decision being made.",
        "This would not negate a Non-Executive Member’s ability to call-in a decision after "
        "it has been made.",
    ],
    "decisions_asked": (
        "It is recommended that the Overview and Scrutiny Board consider the content of the "
        "Executive Forward Work Programme."
    ),
    "other_options": "No other options were considered.",
    "impacts": {
        "legal": "Not Applicable",
        "financial": "Not Applicable",
        "policy_framework": (
            "The report does not impact on the overall budget and policy framework."
        ),
        "equality": "Not Applicable",
        "risk": "Not Applicable",
    },
    "actions": (
        "Implement any decision of the Overview and Scrutiny Board with regard to the "
        "Executive Forward Work Plan."
    ),
    "appendices": (
        "The most recent copy of the Executive Forward Work Programme (FWP) schedule is "
        "attached as Appendix A for the Board's information."
    ),
    "background_papers": "Executive Forward Work Plan",
    "contact": {"name": "Caroline Breheny", "email": "caroline_breheny@middlesbrough.gov.uk"},
}

_ITEMS = [
    ("Apologies for Absence", None, ItemStatus.NORMAL),
    ("Declarations of Interest", None, ItemStatus.NORMAL),
    ("Minutes - Overview and Scrutiny Board - 27 April 2022", None, ItemStatus.TO_FOLLOW),
    ("Executive Forward Work Programme", None, ItemStatus.NORMAL),
    ("Executive Member Update", None, ItemStatus.NORMAL),
    ("Chief Executive's Update", None, ItemStatus.NORMAL),
    (
        "School Exclusions: Feedback from School Visits",
        "Information gathered from the school visits undertaken by Members will be provided "
        "to the Board.",
        ItemStatus.NORMAL,
    ),
    (
        "The Children and Young People's Social Care Scrutiny Panel - Final Report - "
        "Sufficiency and Permanency",
        None,
        ItemStatus.NORMAL,
    ),
    (
        "The Children and Young People's Social Care Scrutiny Panel - Final Report - Locality "
        "Working from a Children's Services Perspective",
        None,
        ItemStatus.NORMAL,
    ),
    (
        "Any other urgent items which, in the opinion of the Chair, may be considered.",
        None,
        ItemStatus.NORMAL,
    ),
]

REFERENCE_ITEM_PAGES = {"4": "3 - 10", "5": "11 - 14", "8": "15 - 82", "9": "83 - 116"}
"""The page ranges the reference agenda prints."""


def _file_paper(index: int, title: str, name: str) -> Paper:
    origin = Origin(MEETING_FILE, None, f"items[{index}].papers")
    return Paper(Document(title, FileSource(ROOT / "meetings" / "papers" / name), origin))


def _papers(index: int) -> tuple[Paper, ...]:
    origin = Origin(MEETING_FILE, None, f"items[{index}].papers[0]")
    if index == 3:
        report = Document(
            "Executive Forward Work Programme - cover report",
            ReportSource(TEMPLATES / "report.docx", dict(ITEM4_REPORT_FIELDS)),
            origin,
        )
        appendix = Document(
            "Appendix A - Executive Forward Work Programme",
            FileSource(
                ROOT / "meetings" / "papers" / "item04-appendix-a-forward-work-programme.pdf"
            ),
            origin,
        )
        return (Paper(report, (appendix,)),)
    if index == 4:
        return (
            _file_paper(
                index,
                "Attendance of Executive Members at the Overview and Scrutiny Board",
                "item05-executive-member-update.docx",
            ),
        )
    if index == 7:
        return (
            _file_paper(index, "Addendum", "item08-addendum.docx"),
            _file_paper(
                index,
                "Final Report - Sufficiency and Permanency",
                "item08-final-report-sufficiency-and-permanency.pdf",
            ),
        )
    if index == 8:
        return (
            _file_paper(
                index,
                "Final Report - Locality Working from a Children's Services Perspective",
                "item09-final-report-locality-working.pdf",
            ),
        )
    return ()


def make_reference_meeting() -> Meeting:
    """The reference meeting, built from the model dataclasses directly."""
    members = [Member("M Saunders", "Chair"), Member("T Mawston", "Vice-Chair")] + [
        Member(name)
        for name in (
            "A Bell",
            "D Davison",
            "A Hellaoui",
            "C Hobson",
            "D McCabe",
            "C McIntyre",
            "J Platt",
            "M Storey",
            "J Thompson",
            "S Walker",
            "B Hubbard",
        )
    ]
    committee = Committee(
        name="Overview and Scrutiny Board",
        body="Middlesbrough Council",
        membership=tuple(members),
        contact=Contact(
            "Caroline Breheny", "01642 729752", "caroline_breheny@middlesbrough.gov.uk"
        ),
        signatory=Signatory("Charlotte Benjamin", "Director of Legal and Governance Services"),
        templates=Templates(
            agenda=TEMPLATES / "agenda.docx",
            report=TEMPLATES / "report.docx",
            forward_plan=TEMPLATES / "forward-plan.docx",
        ),
        address=("Town Hall", "Middlesbrough"),
    )
    items = tuple(
        AgendaItem(
            number=str(index + 1),
            title=title,
            origin=Origin(MEETING_FILE, None, f"items[{index}]"),
            description=description,
            status=status,
            papers=_papers(index),
        )
        for index, (title, description, status) in enumerate(_ITEMS)
    )
    return Meeting(
        path=MEETING_FILE,
        committee=committee,
        date=dt.date(2022, 5, 11),
        time="10.00 am",
        venue="Virtual meeting",
        items=items,
        notices=(
            "Please note this is a virtual meeting.",
            "The meeting will be livestreamed via the Council's YouTube channel at "
            "Middlesbrough Council - YouTube",
        ),
        published=dt.date(2022, 5, 3),
    )


@pytest.fixture
def reference_meeting() -> Meeting:
    """Middlesbrough Council, Overview and Scrutiny Board, 11 May 2022 (the reference pack)."""
    return make_reference_meeting()


@pytest.fixture(scope="session", autouse=True)
def _qpdf_checks_every_pack():
    """Wrap api.build for the whole session: every pack and item PDF must pass qpdf --check.

    Tests that build in a subprocess call :func:`pdftools.qpdf_check` themselves.
    """
    from pdftools import qpdf_check

    original = api.build

    @functools.wraps(original)
    def build_and_check(*args, **kwargs):
        result = original(*args, **kwargs)
        qpdf_check(result.pack)
        for path in result.files:
            if path.suffix == ".pdf":
                qpdf_check(path)
        return result

    api.build = build_and_check
    yield
    api.build = original


@pytest.fixture(scope="session")
def lo_cache(tmp_path_factory) -> Path:
    """A conversion cache shared by the tests that run the real LibreOffice."""
    return tmp_path_factory.mktemp("lo-cache")


@pytest.fixture
def needs_soffice():
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
