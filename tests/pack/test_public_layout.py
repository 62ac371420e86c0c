"""The public pack's page arithmetic: the members' numbering kept, one page per exempt unit.

Hypothesis lays out random packs (front sheets, items, papers of random
lengths, every padding) with random documents exempt, and the public layout
must hold: its pages run through the members' pack in order, each members'
page shown exactly once or stood for by exactly one placeholder; no public
page is a page of an exempt document; every exempt page is under a
placeholder that stands only for exempt pages and blank pages; each exempt
paper (all its documents exempt) or exempt appendix has one placeholder.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from packbuilder.model.meeting import Padding
from packbuilder.pack.layout import (
    PageRange,
    PublicPage,
    SlotKind,
    exempt_units,
    layout_pack,
    public_layout,
)

# The reference pack: a 2-page front sheet; item 4 a 2-page cover report and a 5-page
# appendix; item 5 a 4-page paper; item 8 an 11-page addendum and a 55-page final report;
# item 9 a 34-page final report (as in test_layout.py).
REFERENCE_COUNTS = [[], [], [], [[2, 5]], [[4]], [], [], [[11], [55]], [[34]], []]

counts_strategy = st.lists(
    st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=3), max_size=3), max_size=6
)


@st.composite
def packs(draw):
    counts = draw(counts_strategy)
    keys = [
        (i, p, d)
        for i, papers in enumerate(counts)
        for p, documents in enumerate(papers)
        for d in range(len(documents))
    ]
    exempt = draw(st.sets(st.sampled_from(keys))) if keys else set()
    padding = draw(st.sampled_from(list(Padding)))
    return draw(st.integers(1, 4)), counts, padding, exempt


def document_pages(layout, exempt):
    """Members' page number -> whether it is a page of an exempt document."""
    pages = {}
    for number, slot in enumerate(layout.slots, 1):
        pages[number] = slot.kind is SlotKind.DOCUMENT and slot.ref in exempt
    return pages


@given(packs())
def test_the_public_layout_keeps_every_public_page_and_its_number(pack):
    front, counts, padding, exempt = pack
    layout = layout_pack(front, counts, padding)
    public = public_layout(layout, exempt)
    is_exempt = document_pages(layout, exempt)

    # The public pages run through the members' pack in order, every page once.
    covered = [n for page in public.pages for n in range(page.pages.first, page.pages.last + 1)]
    assert covered == list(range(1, layout.total_pages + 1))

    for page in public.pages:
        numbers = range(page.pages.first, page.pages.last + 1)
        if page.placeholder:
            # A placeholder stands only for exempt pages and blanks, and for one at least.
            assert any(is_exempt[n] for n in numbers)
            assert all(is_exempt[n] or layout.slots[n - 1].kind is SlotKind.BLANK for n in numbers)
        else:
            assert page.pages.count == 1 and not is_exempt[page.pages.first]

    # One placeholder per unit, at the unit's pages; none when nothing is exempt.
    placeholders = {page.unit: page.pages for page in public.pages if page.placeholder}
    assert placeholders == exempt_units(layout, exempt) == public.units
    assert bool(placeholders) == bool(exempt)
    assert len(public.pages) == layout.total_pages - sum(r.count - 1 for r in public.units.values())


@given(packs())
def test_units_are_whole_papers_or_single_documents(pack):
    front, counts, padding, exempt = pack
    layout = layout_pack(front, counts, padding)
    for (i, p, d), pages in exempt_units(layout, exempt).items():
        paper = layout.items[i].papers[p]
        if d is None:
            assert all((i, p, n) in exempt for n in range(len(paper.documents)))
            assert pages == paper.pages  # its blank pages included
        else:
            assert (i, p, d) in exempt and pages == paper.documents[d]
            assert not all((i, p, n) in exempt for n in range(len(paper.documents)))


@given(packs())
def test_every_members_page_has_a_public_position(pack):
    front, counts, padding, exempt = pack
    layout = layout_pack(front, counts, padding)
    public = public_layout(layout, exempt)
    for number in range(1, layout.total_pages + 1):
        page = public.pages[public.position(number)]
        assert page.pages.first <= number <= page.pages.last
    for item in layout.items:
        if item.pages:
            first, last = public.positions(item.pages)
            shown = public.pages[first - 1 : last]
            assert shown[0].pages.first == item.pages.first
            assert shown[-1].pages.last == item.pages.last


def test_the_reference_pack_with_an_exempt_appendix():
    """Item 4's Appendix A (pages 5 - 9) exempt: one page stands for 5 - 9; the blank page
    10 closing the paper stays, so item 5 still starts on page 11."""
    layout = layout_pack(2, REFERENCE_COUNTS, Padding.PAPER)
    public = public_layout(layout, {(3, 0, 1)})
    assert public.pages[:6] == (
        PublicPage(PageRange(1, 1)),
        PublicPage(PageRange(2, 2)),
        PublicPage(PageRange(3, 3)),
        PublicPage(PageRange(4, 4)),
        PublicPage(PageRange(5, 9), (3, 0, 1)),
        PublicPage(PageRange(10, 10)),
    )
    assert public.pages[6].pages == PageRange(11, 11)
    assert len(public.pages) == 116 - 4


def test_a_whole_exempt_paper_takes_its_blank_page_with_it():
    """Item 8's addendum (pages 15 - 25, then the blank page 26) exempt: one page, 15 - 26."""
    layout = layout_pack(2, REFERENCE_COUNTS, Padding.PAPER)
    public = public_layout(layout, {(7, 0, 0)})
    assert PublicPage(PageRange(15, 26), (7, 0, None)) in public.pages
    assert public.pages[public.position(27)].pages == PageRange(27, 27)
