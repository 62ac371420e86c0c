"""Decisions to be taken in private: ``exempt:`` on forward-plan entries, the notice of
intention (reg 5 of SI 2012/2089) in the weekly edition, and its 28 clear days."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from docx import Document as WordDocument

from packbuilder.exceptions import DefinitionError
from packbuilder.forwardplan.checks import check_edition, check_private_notice
from packbuilder.forwardplan.select import build_edition
from packbuilder.load.plan import load_plan
from packbuilder.model.forwardplan import Entry, Record
from packbuilder.model.meeting import DayCounting
from packbuilder.render.forwardplan import edition_context, entry_context, render_edition

D = dt.date
PLAN = """\
title: Executive Forward Work Programme
documents_address: Town Hall, Middlesbrough
documents_note: Ask Democratic Services for other documents.
portfolio: Executive Member for Regeneration
entries:
  - reference: "1012073"
    subject: Strategic Housing Site Disposals
    decision_maker: Executive
    due_date: 2022-06-14
    background_documents: none
    first_published: 2022-04-01
    exempt: 3
  - reference: "1012074"
    subject: Leisure contract
    decision_maker: Executive
    due_date: 2022-06-14
    background_documents: none
    first_published: 2022-05-20
    exempt: [3, 5]
  - reference: "1012075"
    subject: Parks strategy
    decision_maker: Executive
    due_date: 2022-06-14
    first_published: 2022-05-20
"""


def private(**fields) -> Entry:
    values = {
        "reference": "P1",
        "subject": "Contract",
        "portfolio": "Regeneration",
        "due_date": D(2022, 6, 14),
        "decision_maker": "Executive",
        "first_published": D(2022, 5, 20),
        "exempt": ("3",),
    }
    return Entry(**(values | fields))


def plan_file(tmp_path: Path, text: str = PLAN) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_entries_give_their_paragraphs_in_yaml_and_csv(tmp_path):
    plan = load_plan(plan_file(tmp_path))
    assert [e.exempt for e in plan.entries] == [("3",), ("3", "5"), ()]
    csv = tmp_path / "plan.csv"
    csv.write_text(
        "reference,portfolio,subject,due_date,exempt,private_urgency_date,private_urgency_note\n"
        "A1,Regeneration,Contract,2022-06-14,1; 2,2022-06-01,Chair of OSB agreed\n"
    )
    (entry,) = load_plan(csv).entries
    assert entry.exempt == ("1", "2")
    assert entry.private_urgency == Record(D(2022, 6, 1), "Chair of OSB agreed")


def test_an_unknown_paragraph_names_the_entry(tmp_path):
    with pytest.raises(DefinitionError) as info:
        load_plan(plan_file(tmp_path, PLAN.replace("exempt: [3, 5]", "exempt: [3, 9]")))
    (problem,) = info.value.problems
    assert "plan.yaml:13 (entries[2]): entry 1012074 cites paragraph 9, which is not a " in problem
    assert "Part 1 of Schedule 12A to the Local Government Act 1972" in problem
    assert "'exempt_information:' table" in problem


def test_twenty_eight_clear_days_notice_of_a_private_meeting():
    # First published 20 May for 14 June: 24 clear days.
    (finding,) = check_private_notice(private(), DayCounting.CALENDAR)
    assert finding.rule == "reg5-notice"
    assert "private decision due 14 Jun 2022" in finding.message
    assert "24 calendar clear days before; SI 2012/2089 reg 5(2) needs 28" in finding.message
    assert "publish by 16 May 2022" in finding.message and "'private_urgency'" in finding.message
    assert check_private_notice(private(first_published=D(2022, 5, 16)), DayCounting.CALENDAR) == []
    urgent = private(private_urgency=Record(D(2022, 6, 1), "Chair agreed"))
    assert check_private_notice(urgent, DayCounting.CALENDAR) == []
    later = private(first_published=D(2022, 1, 1), private_notice=D(2022, 6, 1))
    assert check_private_notice(later, DayCounting.CALENDAR)[0].rule == "reg5-notice"
    (missing,) = check_private_notice(private(first_published=None), DayCounting.CALENDAR)
    assert "'first_published'" in missing.message
    assert check_private_notice(private(exempt=()), DayCounting.CALENDAR) == []


def test_the_edition_checks_private_entries_as_it_checks_key_decisions(tmp_path):
    plan = load_plan(plan_file(tmp_path))
    findings = check_edition(build_edition(plan, D(2022, 5, 20)), plan.settings)
    assert [(f.reference, f.rule) for f in findings] == [("1012074", "reg5-notice")]


def test_the_weekly_edition_carries_the_notice_of_intention(tmp_path):
    plan = load_plan(plan_file(tmp_path))
    edition = build_edition(plan, D(2022, 5, 20))
    assert entry_context(plan.entries[0])["exemption"] == "Exempt – paragraph 3"
    assert entry_context(plan.entries[2])["exemption"] == ""
    context = edition_context(edition, plan.settings)
    assert [p["reference"] for p in context["private"]] == ["1012073", "1012074"]
    assert context["private"][1]["reason"].startswith(
        "It involves exempt information as described in paragraphs 3 and 5 of Part 1 of "
        "Schedule 12A to the Local Government Act 1972: 3. Information relating to the "
        "financial or business affairs"
    )
    appendix = edition_context(edition, plan.settings, standalone=False)
    assert appendix["private"] == [] and appendix["private_notice"]["heading"] == ""
    out = tmp_path / "edition.docx"
    render_edition(plan, edition, out)
    text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
    assert "NOTICE OF INTENTION TO TAKE DECISIONS IN PRIVATE" in text
    assert "Regulation 5 of the Local Authorities (Executive Arrangements)" in text
    assert "1012074: Leisure contract" in text
    assert "To be decided by Executive on 14 Jun 2022." in text
    assert "5. Information in respect of which a claim to legal professional privilege" in text
    assert "to Town Hall, Middlesbrough. Any representations received" in text


def test_an_edition_with_no_private_decision_has_no_notice(tmp_path):
    plan = load_plan(
        plan_file(tmp_path, PLAN.replace("    exempt: 3\n", "").replace("    exempt: [3, 5]\n", ""))
    )
    out = tmp_path / "edition.docx"
    render_edition(plan, build_edition(plan, D(2022, 5, 20)), out)
    text = "\n".join(p.text for p in WordDocument(str(out)).paragraphs)
    assert "PRIVATE" not in text and "{{" not in text
