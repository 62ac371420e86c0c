"""What changed between two builds, from their manifests (pure, no LibreOffice)."""

from __future__ import annotations

import copy
import json
from typing import Any

from packbuilder.late.changes import compare_manifests

from helpers.manifests import OLD, item, manifest, pages, paper


def test_identical_builds_have_no_changes():
    changes = compare_manifests(OLD, copy.deepcopy(OLD))
    assert not changes.changed
    assert "No changes: both packs list the same items, papers and page numbers." in changes.text()


def test_a_late_paper_arrives_and_later_pages_move():
    new = copy.deepcopy(OLD)
    new["items"][1] = item("3", "Minutes", papers=[paper("Minutes", "m", 3, 6)], span=(3, 6))
    new["items"][2]["pages"] = pages(7, 14)
    new["items"][3]["pages"] = pages(15, 18)
    new["pages"] = 18
    changes = compare_manifests(OLD, new)
    assert [(r.number, r.pages) for r in changes.now_included] == [("3", "3 - 6")]
    assert [(m.number, m.before, m.after) for m in changes.moved] == [
        ("4", "3 - 10", "7 - 14"),
        ("5", "11 - 14", "15 - 18"),
    ]
    assert changes.papers_added == [] and changes.papers_replaced == []
    text = changes.text()
    assert text.startswith(
        "Changes to the agenda for Overview and Scrutiny Board, Wednesday 11 May 2022:"
    )
    assert "Papers now included (previously To Follow):\n  - Item 3: Minutes (pages 3 - 6)" in text
    assert "  - Item 4: Forward Work Programme: now pages 7 - 14 (was 3 - 10)" in text
    assert "The pack now has 18 pages (was 14)." in text


def test_replaced_added_and_removed_papers():
    new = copy.deepcopy(OLD)
    new["items"][3]["papers"] = [paper("Update", "b2", 11, 14), paper("Annex", "c", 15, 16)]
    new["items"][2]["papers"] = []
    changes = compare_manifests(OLD, new)
    assert [(p.item, p.title) for p in changes.papers_replaced] == [("5", "Update")]
    assert [(p.item, p.title) for p in changes.papers_added] == [("5", "Annex")]
    assert [(p.item, p.title) for p in changes.papers_removed] == [("4", "FWP")]
    assert "Papers replaced by a new version:\n  - Item 5: Update (pages 11 - 14)" in (
        changes.text()
    )


def test_a_new_page_selection_counts_as_a_replaced_paper():
    new = copy.deepcopy(OLD)
    new["items"][2]["papers"][0]["documents"][0]["selected"] = [1]
    assert [p.title for p in compare_manifests(OLD, new).papers_replaced] == ["FWP"]


def test_items_added_removed_withdrawn():
    new = copy.deepcopy(OLD)
    new["items"][4]["status"] = "withdrawn"
    del new["items"][0]
    new["items"].append(
        item("11", "Urgent: Budget", papers=[paper("B", "z", 15, 16)], span=(15, 16))
    )
    changes = compare_manifests(OLD, new)
    assert [r.line() for r in changes.added] == ["Item 11: Urgent: Budget (pages 15 - 16)"]
    assert [r.line() for r in changes.removed] == ["Item 1: Apologies for Absence"]
    assert [r.line() for r in changes.withdrawn] == ["Item 7: School Exclusions (Withdrawn)"]
    text = changes.text()
    assert text.index("Items added") < text.index("Items withdrawn") < text.index("Items removed")


def test_a_renumbered_item_is_matched_by_its_title():
    new = copy.deepcopy(OLD)
    new["items"].insert(1, item("2", "Declarations of Interest"))
    for entry, number in zip(new["items"][2:], ("4", "5", "6", "8"), strict=True):
        entry["number"] = number
    changes = compare_manifests(OLD, new)
    assert [r.title for r in changes.added] == ["Declarations of Interest"]
    assert [(m.title, m.before, m.after) for m in changes.renumbered] == [
        ("Minutes", "3", "4"),
        ("Forward Work Programme", "4", "5"),
        ("Executive Member Update", "5", "6"),
        ("School Exclusions", "7", "8"),
    ]
    assert changes.papers_replaced == [] and changes.removed == []


def test_a_corrected_title_is_matched_by_number():
    new = copy.deepcopy(OLD)
    new["items"][4]["title"] = "School Exclusions: Feedback"
    changes = compare_manifests(OLD, new)
    assert [(m.before, m.after) for m in changes.retitled] == [
        ("School Exclusions", "School Exclusions: Feedback")
    ]
    assert changes.added == [] and changes.removed == []


def test_revision_in_the_heading_and_json():
    new = copy.deepcopy(OLD)
    new["meeting"]["revision"] = 2
    new["items"][3]["papers"][0]["documents"][0]["sha256"] = "new"
    changes = compare_manifests(OLD, new)
    assert changes.text().splitlines()[0].endswith("Wednesday 11 May 2022 (revision 2):")
    data = json.loads(json.dumps(changes.as_dict()))
    assert data["changed"] is True
    assert data["revision"] == {"old": None, "new": 2}
    assert data["papers_replaced"] == [{"item": "5", "title": "Update", "pages": "11 - 14"}]
    assert data["moved"] == [] and data["added"] == []


def test_comparing_different_meetings_says_so():
    other = copy.deepcopy(OLD)
    other["meeting"]["date"] = "2022-06-08"
    changes = compare_manifests(OLD, other)
    assert any("different meetings" in note for note in changes.notes)


# --- the revision is a change -----------------------------------------------------------------


def test_marking_a_pack_revised_is_a_change_even_when_nothing_else_is():
    revised = copy.deepcopy(OLD)
    revised["meeting"]["revision"] = 2
    changes = compare_manifests(OLD, revised)
    assert changes.changed and changes.revision_changed
    lines = changes.text().splitlines()
    assert lines[0].endswith("Wednesday 11 May 2022 (revision 2):")
    assert lines[2] == "Now revision 2 (was not revised)."
    assert "No changes" not in changes.text()
    assert changes.as_dict()["changed"] is True


def test_unmarking_a_revised_pack_and_a_new_revision_number_are_changes():
    revised = copy.deepcopy(OLD)
    revised["meeting"]["revision"] = 2
    unmarked = compare_manifests(revised, OLD)
    assert unmarked.changed
    assert unmarked.text().splitlines()[0].endswith("Wednesday 11 May 2022:")  # not revised now
    assert "No longer marked revised (was revision 2)." in unmarked.text()
    third = copy.deepcopy(revised)
    third["meeting"]["revision"] = 3
    assert "Now revision 3 (was revision 2)." in compare_manifests(revised, third).text()


def test_the_heading_names_the_revision_of_a_revised_pack_rebuilt():
    """As the guide says: the heading names the revision, also when it did not change."""
    revised = copy.deepcopy(OLD)
    revised["meeting"]["revision"] = 2
    replaced = copy.deepcopy(revised)
    replaced["items"][3]["papers"][0]["documents"][0]["sha256"] = "new"
    changes = compare_manifests(revised, replaced)
    assert not changes.revision_changed
    text = changes.text()
    assert text.splitlines()[0].endswith("(revision 2):")
    assert "Now revision" not in text and "marked revised" not in text
    assert not compare_manifests(revised, copy.deepcopy(revised)).changed


# --- supplements: items leave the supplement, not the agenda -----------------------------------


def supplement(*items: dict) -> dict[str, Any]:
    made = manifest(list(items), 10)
    made["kind"] = "Supplementary Agenda"
    return made


def test_an_item_left_out_of_a_rebuilt_supplement_is_removed_from_the_supplement():
    item3 = item("3", "Minutes", papers=[paper("Minutes", "m", 3, 6)], span=(3, 6))
    item5 = item("5", "Executive Member Update", papers=[paper("Update", "b", 7, 10)], span=(7, 10))
    changes = compare_manifests(supplement(item3, item5), supplement(item3))
    text = changes.text()
    assert text.startswith("Changes to the supplementary agenda for Overview and Scrutiny Board")
    assert "Items removed from the supplement:\n  - Item 5: Executive Member Update" in text
    assert "from the agenda" not in text
    added = compare_manifests(supplement(item3), supplement(item3, item5)).text()
    assert "Items added to the supplement:\n  - Item 5: Executive Member Update" in added
    assert changes.as_dict()["removed"][0]["number"] == "5"  # the JSON keys are the same


def test_an_item_taken_off_the_agenda_is_removed_from_the_agenda():
    new = copy.deepcopy(OLD)
    del new["items"][0]
    new["items"].append(item("11", "Urgent: Budget"))
    text = compare_manifests(OLD, new).text()
    assert "Items removed from the agenda:\n  - Item 1: Apologies for Absence" in text
    assert "Items added to the agenda:\n  - Item 11: Urgent: Budget" in text


# --- an appendix replaced is named --------------------------------------------------------------


def report_paper(cover: str, appendix: str) -> dict[str, Any]:
    """A cover report (pages 3 - 4) with a forward-plan table as Appendix A (pages 5 - 9)."""
    return {
        "title": "Forward plan cover report",
        "pages": pages(3, 10),
        "documents": [
            {
                "title": "Forward plan cover report",
                "pages": pages(3, 4),
                "report": True,
                "sha256": cover,
                "selected": [1, 2],
            },
            {
                "title": "Appendix A - Executive Forward Work Programme",
                "pages": pages(5, 9),
                "report": True,
                "sha256": appendix,
                "selected": [1, 2, 3, 4, 5],
            },
        ],
    }


def with_report(cover: str, appendix: str) -> dict[str, Any]:
    return manifest(
        [item("6", "Executive Forward Work Programme", papers=[report_paper(cover, appendix)])], 10
    )


def test_a_changed_appendix_is_named_not_its_cover_report():
    changes = compare_manifests(with_report("c", "a"), with_report("c", "a2"))
    (replaced,) = changes.papers_replaced
    assert replaced.line() == (
        "Item 6: Appendix A - Executive Forward Work Programme "
        "(appendix to Forward plan cover report, pages 5 - 9)"
    )
    assert "Papers replaced by a new version:\n  - Item 6: Appendix A - " in changes.text()
    assert replaced.as_dict() == {
        "item": "6",
        "title": "Forward plan cover report",
        "pages": "5 - 9",
        "appendices": ["Appendix A - Executive Forward Work Programme"],
        "paper_replaced": False,
    }


def test_a_changed_paper_and_appendix_are_both_named():
    (replaced,) = compare_manifests(with_report("c", "a"), with_report("c2", "a2")).papers_replaced
    assert replaced.line() == (
        "Item 6: Forward plan cover report and its Appendix A - Executive Forward Work Programme "
        "(pages 3 - 10)"
    )
    assert replaced.as_dict()["paper_replaced"] is True


def test_a_changed_cover_report_alone_is_named_as_the_paper():
    (replaced,) = compare_manifests(with_report("c", "a"), with_report("c2", "a")).papers_replaced
    assert replaced.line() == "Item 6: Forward plan cover report (pages 3 - 10)"
    assert "appendices" not in replaced.as_dict()


def test_an_appendix_added_replaces_the_paper_as_a_whole():
    new = with_report("c", "a")
    documents = new["items"][0]["papers"][0]["documents"]
    documents.append(dict(documents[1], title="Appendix B - Map", sha256="b"))
    (replaced,) = compare_manifests(with_report("c", "a"), new).papers_replaced
    assert replaced.line() == "Item 6: Forward plan cover report (pages 3 - 10)"


def test_two_changed_appendices_are_named_with_their_pages():
    def three(appendix_b: str) -> dict[str, Any]:
        made = with_report("c", "a")
        documents = made["items"][0]["papers"][0]["documents"]
        documents[1]["sha256"] = appendix_b
        documents.append(
            {
                "title": "Appendix B - Map",
                "pages": {"first": 10, "last": 10, "text": "10"},
                "sha256": appendix_b,
            }
        )
        return made

    (replaced,) = compare_manifests(three("b"), three("b2")).papers_replaced
    assert replaced.line() == (
        "Item 6: Appendix A - Executive Forward Work Programme and Appendix B - Map "
        "(appendices to Forward plan cover report, pages 5 - 9, 10)"
    )
