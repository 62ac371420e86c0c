"""Pure layout arithmetic: pagination, padding, ranges, the membership sentence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packbuilder.model.meeting import Padding
from packbuilder.pack.layout import PageRange, SlotKind, layout_pack
from packbuilder.render.context import membership_sentence

# The reference pack (Middlesbrough OSB, 11 May 2022): a 2-page front sheet; item 4 is a
# 2-page cover report with a 5-page appendix; item 5 a 4-page paper; item 8 an 11-page
# addendum and a 55-page final report; item 9 a 34-page final report.
REFERENCE_COUNTS = [[], [], [], [[2, 5]], [[4]], [], [], [[11], [55]], [[34]], []]


def test_reference_pack_ranges_and_blanks():
    layout = layout_pack(2, REFERENCE_COUNTS, Padding.PAPER)
    ranges = [str(item.pages) if item.pages else None for item in layout.items]
    assert ranges == [
        None,
        None,
        None,
        "3 - 10",
        "11 - 14",
        None,
        None,
        "15 - 82",
        "83 - 116",
        None,
    ]
    assert layout.total_pages == 116
    assert layout.blank_pages == (10, 26, 82)
    assert layout.items[3].papers[0].documents == (PageRange(3, 4), PageRange(5, 9))
    assert layout.items[7].papers[1].pages == PageRange(27, 82)


def test_front_sheet_of_odd_length_is_padded():
    layout = layout_pack(3, [[[1]]], Padding.PAPER)
    assert layout.front_blank_pages == (4,)
    assert layout.items[0].pages == PageRange(5, 6)
    assert layout.blank_pages == (4, 6)


def test_item_padding_pads_the_item_not_each_paper():
    layout = layout_pack(2, [[[1], [2]]], Padding.ITEM)
    assert layout.items[0].pages == PageRange(3, 6)
    assert layout.blank_pages == (6,)
    assert layout.items[0].papers[0].pages == PageRange(3, 3)
    assert layout.items[0].papers[1].pages == PageRange(4, 6)


def test_no_padding_means_no_blank_pages():
    layout = layout_pack(1, [[[1]], [[3]]], Padding.NONE)
    assert layout.blank_pages == ()
    assert [str(i.pages) for i in layout.items] == ["2", "3 - 5"]


def test_single_page_range_prints_one_number():
    assert str(PageRange(11, 11)) == "11"
    assert str(PageRange(3, 10)) == "3 - 10"


@pytest.mark.parametrize("first,last", [(0, 1), (5, 4)])
def test_bad_page_range_is_refused(first, last):
    with pytest.raises(ValueError):
        PageRange(first, last)


def test_reference_membership_sentence():
    members = [("M Saunders", "Chair"), ("T Mawston", "Vice-Chair")] + [
        (name, None)
        for name in [
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
        ]
    ]
    assert membership_sentence("Councillors", members) == (
        "Councillors M Saunders (Chair), T Mawston (Vice-Chair), A Bell, D Davison, "
        "A Hellaoui, C Hobson, D McCabe, C McIntyre, J Platt, M Storey, J Thompson, "
        "S Walker and B Hubbard"
    )


@pytest.mark.parametrize(
    "members,expected",
    [
        ([], ""),
        ([("A Bell", None)], "Councillors A Bell"),
        ([("A Bell", "Chair"), ("B Cole", None)], "Councillors A Bell (Chair) and B Cole"),
    ],
)
def test_membership_sentence_short_lists(members, expected):
    assert membership_sentence("Councillors", members) == expected


counts_strategy = st.lists(
    st.lists(st.lists(st.integers(1, 40), min_size=1, max_size=3), max_size=3),
    min_size=1,
    max_size=12,
)


@given(st.integers(1, 5), counts_strategy, st.sampled_from(list(Padding)))
def test_layout_properties(front_pages, counts, padding):
    layout = layout_pack(front_pages, counts, padding)
    documents_total = sum(sum(sum(paper) for paper in item) for item in counts)
    blanks = len(layout.blank_pages)
    assert layout.total_pages == front_pages + documents_total + blanks
    # every slot is accounted for exactly once, in order
    document_slots = [s for s in layout.slots if s.kind is SlotKind.DOCUMENT]
    assert len(document_slots) == documents_total
    previous_end = layout.front.last + len(layout.front_blank_pages)
    for item, item_layout in zip(counts, layout.items, strict=True):
        if not item:
            assert item_layout.pages is None
            continue
        assert item_layout.pages.first == previous_end + 1
        previous_end = item_layout.pages.last
        for paper, paper_layout in zip(item, item_layout.papers, strict=True):
            assert [r.count for r in paper_layout.documents] == paper
            if padding is Padding.PAPER:
                assert paper_layout.pages.first % 2 == 1, "each paper starts on a right-hand page"
                assert paper_layout.pages.count % 2 == 0
        if padding is not Padding.NONE:
            assert item_layout.pages.first % 2 == 1
            assert item_layout.pages.count % 2 == 0
    assert previous_end == layout.total_pages
    for number in layout.blank_pages:
        assert layout.slots[number - 1].kind is SlotKind.BLANK
    if padding is Padding.NONE:
        assert blanks == 0


# --- the contents page ------------------------------------------------------------------------


def test_the_contents_follow_the_front_sheet_and_move_every_paper():
    """The reference pack with a one-page contents: it is page 3 (page 4 blank), and every
    paper starts two pages later than in the reference."""
    layout = layout_pack(2, REFERENCE_COUNTS, Padding.PAPER, contents_pages=1)
    assert layout.contents == PageRange(3, 3) and layout.contents_blank_pages == (4,)
    assert [slot.kind for slot in layout.slots[:4]] == [
        SlotKind.FRONT,
        SlotKind.FRONT,
        SlotKind.CONTENTS,
        SlotKind.BLANK,
    ]
    ranges = [str(item.pages) for item in layout.items if item.pages]
    assert ranges == ["5 - 12", "13 - 16", "17 - 84", "85 - 118"]
    assert layout.total_pages == 118


def test_no_contents_is_the_layout_without_them():
    assert layout_pack(2, REFERENCE_COUNTS, Padding.PAPER, 0) == layout_pack(
        2, REFERENCE_COUNTS, Padding.PAPER
    )
    assert layout_pack(2, REFERENCE_COUNTS, Padding.PAPER).contents is None


@given(
    front=st.integers(1, 5),
    contents=st.integers(1, 5),
    counts=st.lists(st.lists(st.lists(st.integers(1, 6), min_size=1, max_size=3), max_size=3)),
    padding=st.sampled_from(list(Padding)),
)
def test_the_contents_pages_shift_the_papers_by_their_padded_length(
    front, contents, counts, padding
):
    with_contents = layout_pack(front, counts, padding, contents)
    without = layout_pack(front, counts, padding)
    padded = contents + contents % 2 if padding is not Padding.NONE else contents
    first = without.front.last + 1 + len(without.front_blank_pages)
    assert with_contents.contents == PageRange(first, first + contents - 1)
    assert len(with_contents.contents_blank_pages) == padded - contents
    assert with_contents.total_pages == without.total_pages + padded
    contents_slots = [s.index for s in with_contents.slots if s.kind is SlotKind.CONTENTS]
    assert contents_slots == list(range(contents))
    for shifted, item in zip(with_contents.items, without.items, strict=True):
        if item.pages is None:
            assert shifted.pages is None
            continue
        assert shifted.pages == PageRange(item.pages.first + padded, item.pages.last + padded)
        for paper, original in zip(shifted.papers, item.papers, strict=True):
            moved = zip(paper.documents, original.documents, strict=True)
            assert {d.first - o.first for d, o in moved} == {padded}
