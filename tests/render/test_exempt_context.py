"""The agenda's variables for Part B: the items before and from the first Part B item, each
item's paragraphs and the note on a public item's exempt papers."""

from __future__ import annotations

from packbuilder.load.meeting import load_meeting
from packbuilder.render.context import build_agenda_context

from helpers import exempt


def test_part_b_variables(tmp_path):
    items = exempt.LEAK_ITEMS + "  - title: Any Other Business\n"
    meeting = load_meeting(exempt.leak_meeting(tmp_path, items=items))
    context = build_agenda_context(meeting, {"2": "3 - 10", "3": "11 - 14"})
    assert [i["number"] for i in context["public_items"]] == ["1", "2"]
    assert [i["number"] for i in context["part_b_items"]] == ["3", "4"]
    assert [i["number"] for i in context["items"]] == ["1", "2", "3", "4"]
    budget, contract, other = context["items"][1:]
    assert (budget["part_b"], contract["part_b"], other["part_b"]) == (False, True, False)
    assert contract["exempt"] == "paragraph 3" and budget["exempt"] == ""
    assert budget["exempt_note"] == (
        "Appendix 1 to Budget monitoring report is not for publication (paragraph 3); "
        "Appendix 3 to Budget monitoring report is not for publication (paragraphs 1 and 2)."
    )
    assert contract["exempt_note"] == other["exempt_note"] == ""
    assert exempt.MARKERS["appendix"] not in repr(context)  # exempt titles are never named


def test_no_part_b(reference_meeting):
    context = build_agenda_context(reference_meeting, {})
    assert context["public_items"] == context["items"] and context["part_b_items"] == []
