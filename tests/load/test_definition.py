"""Loading meeting definitions: the schema, and errors that name file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from packbuilder.exceptions import DefinitionError
from packbuilder.load.meeting import load_meeting
from packbuilder.model.meeting import FileSource, ItemStatus, Padding, ReportSource

from helpers.kit import DEFINITION_COMMITTEE, write_definition
from helpers.kit import DEFINITION_MEETING as MEETING


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_meeting(path)
    return info.value.problems


def test_valid_meeting_loads(tmp_path):
    meeting = load_meeting(write_definition(tmp_path))
    assert meeting.committee.name == "Overview and Scrutiny Board"
    assert meeting.committee.contact.phone == "01642 729752"
    assert meeting.committee.padding is Padding.PAPER
    assert meeting.time == "10:00", "text is kept as written, not read as a number"
    assert [item.number for item in meeting.items] == ["1", "2"]
    source = meeting.items[1].papers[0].document.source
    assert isinstance(source, FileSource)
    assert source.path == (tmp_path / "paper.pdf").resolve()
    assert source.pages.indices(5) == [0, 1]
    assert meeting.committee.templates.agenda == tmp_path / "templates" / "agenda.docx"


def test_report_paper_gets_committee_template_and_subject_title(tmp_path):
    path = write_definition(
        tmp_path,
        MEETING
        + "  - title: Forward Work Programme\n    papers:\n"
        + "      - report: {subject: Executive Forward Work Programme, summary: R&D <draft>}\n",
    )
    document = load_meeting(path).items[2].papers[0].document
    assert isinstance(document.source, ReportSource)
    assert document.source.template == tmp_path / "templates" / "report.docx"
    assert document.title == "Executive Forward Work Programme"
    assert document.source.fields["summary"] == "R&D <draft>"


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = write_definition(tmp_path, MEETING + "  - title: [unclosed\n")
    (problem,) = problems_of(path)
    assert "meeting.yaml:" in problem and "YAML syntax error" in problem


def test_unknown_key_suggests_the_nearest(tmp_path):
    path = write_definition(tmp_path, MEETING.replace("venue:", "venu:"))
    problems = problems_of(path)
    assert any("meeting.yaml:4 (venu): unknown key 'venu'" in p for p in problems)
    assert any("did you mean 'venue'?" in p for p in problems)
    assert not any("missing 'venue'" in p for p in problems), "said once, as a misspelling"


def test_misspelt_item_key_and_status(tmp_path):
    path = write_definition(tmp_path, MEETING + "  - titel: Minutes\n    status: to-folow\n")
    text = "\n".join(problems_of(path))
    assert "(item 3, titel): unknown key 'titel'" in text and "did you mean 'title'" in text
    assert "'to-folow' is not one of normal, to-follow, withdrawn" in text
    assert "did you mean 'to-follow'?" in text


@pytest.mark.parametrize(
    "replacement,expected",
    [
        ("date: 2022-02-30", "'2022-02-30' is not a real date"),
        ("date: 11/05/2022", "write dates as YYYY-MM-DD"),
        ("date: [2022]", "expected a date written YYYY-MM-DD, found a list"),
    ],
)
def test_bad_dates(tmp_path, replacement, expected):
    path = write_definition(tmp_path, MEETING.replace("date: 2022-05-11", replacement))
    assert any(expected in p and "meeting.yaml:2 (date)" in p for p in problems_of(path))


def test_missing_file_and_bad_page_selection(tmp_path):
    path = write_definition(
        tmp_path,
        MEETING.replace("file: paper.pdf", "file: missing.pdf").replace("1-2", "3-1"),
    )
    text = "\n".join(problems_of(path))
    assert "(item 2, paper 1, pages): the range '3-1' runs backwards" in text


def test_missing_file_reported_with_line(tmp_path):
    path = write_definition(tmp_path, MEETING.replace("file: paper.pdf", "file: missing.pdf"))
    (problem,) = problems_of(path)
    assert "meeting.yaml:10" in problem and "file not found" in problem
    assert "to-follow" in problem


def test_to_follow_item_may_name_a_file_not_yet_received(tmp_path):
    path = write_definition(
        tmp_path,
        MEETING.replace("file: paper.pdf", "file: later.pdf").replace(
            "title: Executive Member Update",
            "title: Executive Member Update\n    status: to-follow",
        ),
    )
    item = load_meeting(path).items[1]
    assert item.status is ItemStatus.TO_FOLLOW and item.included_papers == ()


def test_items_after_a_numbered_item_go_on_from_its_number(tmp_path):
    path = write_definition(
        tmp_path,
        MEETING.replace("- title: Apologies", "- number: 2\n    title: Apologies"),
    )
    assert [item.number for item in load_meeting(path).items] == ["2", "3"]


def test_items_after_a_sub_item_continue_the_numbering(tmp_path):
    items = "".join(
        f"  - {{title: Item {n}{number}}}\n"
        for n, number in enumerate(["", "", ", number: 2a", ""])
    )
    path = write_definition(tmp_path, MEETING.split("items:")[0] + "items:\n" + items)
    assert [item.number for item in load_meeting(path).items] == ["1", "2", "2a", "3"]
    items = items.replace(", number: 2a", ", number: '2.1'")
    path = write_definition(tmp_path, MEETING.split("items:")[0] + "items:\n" + items)
    assert [item.number for item in load_meeting(path).items] == ["1", "2", "2.1", "3"]


def test_messages_name_items_by_the_number_they_print(tmp_path):
    items = (
        "  - title: Apologies\n  - {number: 2a, title: Late item}\n"
        "  - title: Budget\n    status: to-folow\n"
    )
    path = write_definition(tmp_path, MEETING.split("items:")[0] + "items:\n" + items)
    (problem,) = problems_of(path)
    assert "(item 3, status): 'to-folow' is not one of" in problem


def test_wrong_types_and_missing_committee_fields(tmp_path):
    committee = DEFINITION_COMMITTEE.replace("body: Middlesbrough Council\n", "").replace(
        "address: [Town Hall, Middlesbrough]", "address: {a: b}\npadding: sometimes"
    )
    text = "\n".join(problems_of(write_definition(tmp_path, committee=committee)))
    assert "committee.yaml" in text
    assert "committee is missing 'body'" in text
    assert "(address): expected a list of text" in text
    assert "'sometimes' is not one of paper, item, none" in text


def test_paper_needs_exactly_one_source(tmp_path):
    path = write_definition(
        tmp_path,
        MEETING.replace("- file: paper.pdf", "- file: paper.pdf\n        report: {a: b}"),
    )
    assert any(
        "give exactly one of 'file', 'report', 'forward_plan'" in p for p in problems_of(path)
    )


def test_doc_file_is_refused_with_advice(tmp_path):
    (tmp_path / "old.doc").write_bytes(b"x")
    path = write_definition(tmp_path, MEETING.replace("file: paper.pdf", "file: old.doc"))
    assert any("save Word papers as .docx" in p for p in problems_of(path))


def test_welsh_and_long_titles_and_200_items(tmp_path):
    title = "Cyngor Sir Ynys Môn – Pwyllgor Craffu: adroddiad ŵyr ŷd " * 8
    items = "".join(f'  - title: "{title} {n}"\n' for n in range(200))
    meeting_text = MEETING.split("items:")[0] + "items:\n" + items
    meeting = load_meeting(write_definition(tmp_path, meeting_text))
    assert len(meeting.items) == 200
    assert meeting.items[199].number == "200" and "Môn" in meeting.items[0].title


def test_empty_and_folder_paths(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(DefinitionError, match="empty"):
        load_meeting(empty)
    with pytest.raises(DefinitionError, match="is a folder"):
        load_meeting(tmp_path)


def test_appendices_written_as_a_mapping_are_reported(tmp_path):
    """Found by the fuzz test: 'appendices: {}' was an internal error (TypeError)."""
    path = write_definition(
        tmp_path,
        MEETING.replace("        pages: 1-2\n", "        pages: 1-2\n        appendices: {}\n"),
    )
    (problem,) = problems_of(path)
    assert "(item 2, paper 1, appendices): expected a list" in problem


def test_a_misspelt_paper_suggests_the_nearest_file(tmp_path):
    path = write_definition(tmp_path, MEETING.replace("file: paper.pdf", "file: papr.pdf"))
    (problem,) = problems_of(path)
    assert "file not found:" in problem and "papr.pdf" in problem
    assert "did you mean 'paper.pdf'?" in problem


def test_a_misspelt_template_suggests_the_nearest_file(tmp_path):
    committee = DEFINITION_COMMITTEE + "templates: {agenda: templates/agneda.docx}\n"
    path = write_definition(tmp_path, committee=committee)
    (problem,) = problems_of(path)
    assert "file not found: templates/agneda.docx" in problem
    assert "did you mean 'templates/agenda.docx'?" in problem
