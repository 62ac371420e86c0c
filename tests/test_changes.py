"""What changed between two builds, from their manifests (pure, no LibreOffice)."""

from __future__ import annotations

import copy
import json
from typing import Any

from packbuilder.changes import compare_manifests


def pages(first: int, last: int) -> dict[str, Any]:
    return {"first": first, "last": last, "text": f"{first} - {last}"}


def paper(title: str, sha: str, first: int, last: int) -> dict[str, Any]:
    return {
        "title": title,
        "pages": pages(first, last),
        "documents": [
            {"title": title, "file": f"papers/{title}.pdf", "sha256": sha, "selected": [1, 2]}
        ],
    }


def item(number: str, title: str, status: str = "normal", papers=(), span=None) -> dict:
    return {
        "number": number,
        "title": title,
        "status": status,
        "pages": pages(*span) if span else None,
        "papers": list(papers),
    }


def manifest(items: list[dict], total: int, revision: int | None = None) -> dict[str, Any]:
    return {
        "kind": "Agenda",
        "meeting": {
            "file": "osb.yaml",
            "title": "Overview and Scrutiny Board",
            "date": "2022-05-11",
            "revision": revision,
        },
        "pages": total,
        "items": items,
    }


OLD = manifest(
    [
        item("1", "Apologies for Absence"),
        item("3", "Minutes", "to-follow"),
        item("4", "Forward Work Programme", papers=[paper("FWP", "a", 3, 10)], span=(3, 10)),
        item("5", "Executive Member Update", papers=[paper("Update", "b", 11, 14)], span=(11, 14)),
        item("7", "School Exclusions"),
    ],
    14,
)


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
