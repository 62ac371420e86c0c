"""Where a meeting stands: deadline arithmetic, papers to follow, late items (no LibreOffice)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from packbuilder.late.status import meeting_status, pack_state
from packbuilder.model.meeting import (
    AgendaItem,
    DayCounting,
    Deadline,
    Document,
    FileSource,
    ItemStatus,
    Meeting,
    Origin,
    Paper,
)

from helpers.kit import make_reference_meeting

D = dt.date
WORKING, CALENDAR = DayCounting.WORKING, DayCounting.CALENDAR


def meeting_on(
    date: dt.date,
    *,
    counting: DayCounting = WORKING,
    published: dt.date | None = None,
    items: tuple[AgendaItem, ...] | None = None,
) -> Meeting:
    meeting = make_reference_meeting()
    committee = replace(meeting.committee, deadline=Deadline(5, counting))
    return replace(
        meeting,
        committee=committee,
        date=date,
        published=published,
        items=items if items is not None else meeting.items,
    )


def item(number: str, **fields) -> AgendaItem:
    return AgendaItem(
        number=number, title=f"Item {number}", origin=Origin(Path("m.yaml")), **fields
    )


def file_paper(path: Path, title: str = "Report") -> Paper:
    return Paper(Document(title, FileSource(path), Origin(Path("m.yaml"))))


# --- the deadline --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "counting", "deadline"),
    [
        # The reference: Wednesday 11 May 2022. Working days: 4-6 and 9-10 May are the five.
        (D(2022, 5, 11), WORKING, D(2022, 5, 3)),
        (D(2022, 5, 11), CALENDAR, D(2022, 5, 5)),
        # Monday 9 May 2022: the weekend and the early May bank holiday (2 May) do not count.
        (D(2022, 5, 9), WORKING, D(2022, 4, 28)),
        # Tuesday 7 June 2022: the Spring and Platinum Jubilee bank holidays (2, 3 June).
        (D(2022, 6, 7), WORKING, D(2022, 5, 26)),
        # Tuesday 3 January 2023: Boxing Day, the Christmas and New Year substitute days.
        (D(2023, 1, 3), WORKING, D(2022, 12, 21)),
        (D(2023, 1, 3), CALENDAR, D(2022, 12, 28)),
    ],
)
def test_deadline_counts_clear_days_as_the_committee_says(meeting, counting, deadline):
    found = meeting_status(meeting_on(meeting, counting=counting), today=D(2022, 1, 1))
    assert found.deadline == deadline
    assert found.counting is counting and found.clear_days == 5


def test_a_deadline_on_a_non_working_day_names_the_last_working_day():
    # Wednesday 20 April 2022: Good Friday (15) and Easter Monday (18) do not count, so five
    # clear working days start on Monday 11 April; publishing on Sunday 10 would do, in law.
    found = meeting_status(meeting_on(D(2022, 4, 20)), today=D(2022, 4, 1))
    assert found.deadline == D(2022, 4, 10)
    assert any("last working day before it is Friday 8 April 2022" in n for n in found.notes)
    assert "Friday 8 April 2022" in found.text()


def test_the_reference_publication_meets_the_deadline():
    found = meeting_status(meeting_on(D(2022, 5, 11), published=D(2022, 5, 3)), D(2022, 5, 2))
    assert found.meets_deadline is True
    assert found.clear_days_at_publication == 5
    assert found.days_to_deadline == 1
    text = found.text()
    assert "Deadline:   Tuesday 3 May 2022 (5 clear working days before the meeting), tomorrow" in (
        text
    )
    assert "(planned): 5 clear working days before the meeting, meets the deadline" in text


def test_publishing_a_day_late_misses_the_deadline():
    meeting = meeting_on(D(2022, 5, 11), published=D(2022, 5, 4), items=(item("1"),))
    found = meeting_status(meeting, D(2022, 5, 4))
    assert found.meets_deadline is False
    assert found.clear_days_at_publication == 4
    assert found.problems == [
        "published on Wednesday 4 May 2022, after the deadline of Tuesday 3 May 2022 "
        "(4 clear working days before the meeting, 5 needed)"
    ]
    assert "MISSES the deadline" in found.text()


def test_unpublished_is_fine_until_the_deadline_passes():
    before = meeting_status(meeting_on(D(2022, 5, 11)), D(2022, 5, 3))
    assert before.meets_deadline is None and before.problems == []
    assert "No problems yet: publish by Tuesday 3 May 2022." in before.text()
    assert ", today" in before.text()
    after = meeting_status(meeting_on(D(2022, 5, 11), items=(item("1"),)), D(2022, 5, 4))
    assert after.meets_deadline is False
    assert after.problems == ["not published and the deadline (Tuesday 3 May 2022) has passed"]


# --- papers to follow, missing papers --------------------------------------------------------


def test_items_to_follow_and_missing_papers(tmp_path):
    here = tmp_path / "minutes.pdf"
    here.write_bytes(b"%PDF-1.4")
    items = (
        item("1"),
        item("2", status=ItemStatus.TO_FOLLOW),
        item("3", status=ItemStatus.TO_FOLLOW, papers=(file_paper(tmp_path / "late.docx"),)),
        item("4", status=ItemStatus.TO_FOLLOW, papers=(file_paper(here, "Minutes"),)),
        item("5", status=ItemStatus.WITHDRAWN, papers=(file_paper(tmp_path / "gone.pdf"),)),
    )
    meeting = replace(meeting_on(D(2022, 5, 11), items=items), path=tmp_path / "m.yaml")
    found = meeting_status(meeting, D(2022, 5, 2))
    assert [i.number for i in found.to_follow] == ["2", "3", "4"]
    assert [i.arrived for i in found.to_follow] == [False, False, True]
    # only files that do not exist; a withdrawn item's papers are not chased
    assert [(p.item, p.file, p.present) for p in found.missing] == [("3", "late.docx", False)]
    assert found.withdrawn == (("5", "Item 5"),)
    text = found.text()
    assert "item 2: Item 2 (no paper named yet)" in text
    assert "item 3: Item 3 (waiting for 1 paper(s))" in text
    assert "item 4: Item 4 (papers here: set 'status: normal' and rebuild)" in text
    assert "item 3: Report (late.docx)" in text


# --- late items ---------------------------------------------------------------------------


def test_items_added_after_the_deadline_need_a_reason_for_urgency():
    items = (
        item("1", added=D(2022, 5, 3)),  # on the deadline: in time
        item("2", added=D(2022, 5, 4)),
        item("3", added=D(2022, 5, 5), urgency_reason="The contract must be signed by 13 May."),
    )
    found = meeting_status(meeting_on(D(2022, 5, 11), published=D(2022, 5, 3), items=items),
                           D(2022, 5, 6))  # fmt: skip
    assert [(i.number, i.lacks_urgency) for i in found.late_items] == [("2", True), ("3", False)]
    assert found.problems == [
        "item 2 (Item 2) is late (added on Wednesday 4 May 2022, after the deadline) and has "
        "no reason for urgency recorded"
    ]
    text = found.text()
    assert "NO reason for urgency recorded" in text
    assert "reason for urgency: The contract must be signed by 13 May." in text


def test_an_item_still_to_follow_after_the_deadline_is_late():
    items = (item("3", status=ItemStatus.TO_FOLLOW),)
    meeting = meeting_on(D(2022, 5, 11), published=D(2022, 5, 3), items=items)
    assert meeting_status(meeting, D(2022, 5, 3)).late_items == ()
    late = meeting_status(meeting, D(2022, 5, 4)).late_items
    assert [(i.number, i.why) for i in late] == [("3", "still to follow after the deadline")]
    with_reason = replace(items[0], urgency_reason="Minutes approved on 9 May.")
    meeting = replace(meeting, items=(with_reason,))
    assert meeting_status(meeting, D(2022, 5, 4)).problems == []


def test_after_the_meeting_a_note_says_so():
    found = meeting_status(meeting_on(D(2022, 5, 11), published=D(2022, 5, 3)), D(2022, 5, 12))
    assert "the meeting has taken place" in found.notes


def test_as_dict_is_json_with_every_part():
    found = meeting_status(meeting_on(D(2022, 5, 11), published=D(2022, 5, 3)), D(2022, 5, 2))
    data = json.loads(json.dumps(found.as_dict()))
    assert data["deadline"] == {
        "date": "2022-05-03",
        "clear_days": 5,
        "counting": "working",
        "days_left": 1,
    }
    assert data["meets_deadline"] is True
    assert [i["number"] for i in data["to_follow"]] == ["3"]
    assert data["problems"] == [] and data["pack"] is None


# --- is the built pack up to date? -----------------------------------------------------------


def test_pack_state_compares_input_hashes():
    manifest = {
        "pages": 116,
        "meeting": {"revision": None},
        "inputs": {"a.yaml": "1", "p.pdf": "2"},
    }
    same = pack_state("build/osb", manifest, {"a.yaml": "1", "p.pdf": "2"})
    assert same.up_to_date and same.line() == "build/osb/pack.pdf: 116 pages, up to date"
    changed = pack_state("build/osb", manifest, {"a.yaml": "1", "p.pdf": "3", "new.docx": "4"})
    assert not changed.up_to_date
    assert changed.changed_inputs == ("new.docx", "p.pdf")
    assert "OUT OF DATE (changed since: new.docx, p.pdf); rebuild" in changed.line()
    never = pack_state("build/osb", None, {})
    assert not never.built and not never.up_to_date
    assert never.line() == "not built yet (build/osb)"
