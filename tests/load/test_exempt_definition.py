"""``exempt:`` in a meeting file and ``exempt_information:`` in a committee file."""

from __future__ import annotations

from pathlib import Path

import pytest

from packbuilder.exceptions import DefinitionError
from packbuilder.load.meeting import load_meeting
from packbuilder.model.exempt import ENGLAND
from packbuilder.model.partb import agenda_note, exempt_units, part_b_order

from helpers.kit import DEFINITION_COMMITTEE, write_definition
from helpers.kit import DEFINITION_MEETING as MEETING

EXEMPT_ITEMS = """\
  - title: Budget
    papers:
      - file: paper.pdf
        appendices:
          - title: Prices
            file: paper.pdf
            exempt: 3
          - file: paper.pdf
            exempt: "1, 2"
  - title: Contract award
    exempt: [3, 5]
    papers:
      - file: paper.pdf
  - title: Staffing
    papers:
      - file: paper.pdf
        exempt: paragraph 1
"""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        load_meeting(path)
    return info.value.problems


def test_exempt_on_items_papers_and_appendices(tmp_path):
    meeting = load_meeting(write_definition(tmp_path, MEETING + EXEMPT_ITEMS))
    budget, contract, staffing = meeting.items[2:]
    paper = budget.papers[0]
    assert [budget.exempt_paragraphs(paper, d) for d in range(3)] == [(), ("3",), ("1", "2")]
    assert not budget.part_b and contract.part_b and not staffing.part_b
    assert contract.exempt.paragraphs == ("3", "5")
    assert contract.exempt_paragraphs(contract.papers[0], 0) == ("3", "5")
    assert staffing.papers[0].exempt.paragraphs == ("1",)
    assert exempt_units(budget) == [(0, 1), (0, 2)]
    assert exempt_units(staffing) == [(0, None)]
    assert agenda_note(budget) == (
        "Appendix 1 to Paper is not for publication (paragraph 3); "
        "Appendix 2 to Paper is not for publication (paragraphs 1 and 2)."
    )
    assert agenda_note(contract) == ""  # Part B: the agenda gives its paragraphs instead
    assert meeting.committee.exemptions == ENGLAND
    assert part_b_order(meeting)[0][1].startswith("item 5 (Staffing) is public but follows")


def test_an_unknown_paragraph_is_named_with_its_line_and_key(tmp_path):
    items = EXEMPT_ITEMS.replace("exempt: [3, 5]", "exempt: [3, 8]")
    (problem,) = problems_of(write_definition(tmp_path, MEETING + items))
    assert problem.endswith(
        "meeting.yaml:22 (item 4, exempt): paragraph 8 is not a paragraph of Part 1 of "
        "Schedule 12A to the Local Government Act 1972 (it has paragraphs 1, 2, 3, 4, 5, 6 "
        "and 7) — cite one of those, or give the committee file an 'exempt_information:' "
        "table with the paragraphs your council uses"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("true", "'true' does not say which paragraph makes it exempt"),
        ("three", "'three' is not a paragraph number"),
        ("[]", "no paragraph is given"),
        ("{paragraph: 3}", "expected a paragraph number such as 3"),
    ],
)
def test_exempt_written_wrongly(tmp_path, written, message):
    items = f"  - title: Contract\n    exempt: {written}\n"
    (problem,) = problems_of(write_definition(tmp_path, MEETING + items))
    assert "meeting.yaml:13 (item 3, exempt): " + message in problem
    assert " — write " in problem and "paragraph number" in problem.split(" — ")[1]


WALES = """\
exempt_information:
  legislation: Part 4 of Schedule 12A to the Local Government Act 1972
  paragraphs:
    12: Information relating to a particular individual.
    14: Information relating to the financial or business affairs of any particular person.
    18c: Information about a standards hearing.
"""


def test_a_committee_replaces_the_table(tmp_path):
    items = "  - title: Contract\n    exempt: [14, 18C]\n  - title: Other\n    exempt: 3\n"
    path = write_definition(tmp_path, MEETING + items, DEFINITION_COMMITTEE + WALES)
    (problem,) = problems_of(path)
    assert problem.endswith(
        "meeting.yaml:15 (item 4, exempt): paragraph 3 is not a paragraph of Part 4 of "
        "Schedule 12A to the Local Government Act 1972 (it has paragraphs 12, 14 and 18C) — "
        "cite one of those, or give the committee file an 'exempt_information:' table with "
        "the paragraphs your council uses"
    )
    path.write_text(path.read_text().replace("exempt: 3", "exempt: 12"))
    table = load_meeting(path).committee.exemptions
    assert table.numbers == ("12", "14", "18C")
    assert table.citation(["14", "18C"]) == (
        "paragraphs 14 and 18C of Part 4 of Schedule 12A to the Local Government Act 1972"
    )


def test_a_table_without_paragraphs_is_refused(tmp_path):
    committee = DEFINITION_COMMITTEE + "exempt_information:\n  legislation: Schedule 7A\n"
    problems = problems_of(write_definition(tmp_path, MEETING, committee))
    assert any(
        "(exempt_information.paragraphs): exempt information table is missing 'paragraphs'" in p
        for p in problems
    ), problems
