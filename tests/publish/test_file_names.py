"""Per-item file names: in agenda order when listed, readable whatever the title's letters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from packbuilder.publish.manifest import item_pdf_name, slugify


def test_sub_items_sort_between_their_neighbours():
    numbers = ["1", "2", "3", "3.1", "3a", "4", "5", "5a", "10", "11"]
    names = [item_pdf_name(number, "Title") for number in numbers]
    assert sorted(names) == names, names
    assert item_pdf_name("3.1", "Title") == "items/item-03.1-title.pdf"
    assert item_pdf_name("5a", "Title") == "items/item-05a-title.pdf"


def test_welsh_and_accented_letters_are_kept_as_plain_letters():
    assert slugify("Heol Siân") == "heol-sian"
    assert slugify("Ŵyn ap Gwilym: Adroddiad") == "wyn-ap-gwilym-adroddiad"
    assert slugify("Café & Crêperie — 2022/23") == "cafe-creperie-2022-23"


@given(st.text(max_size=200))
def test_a_slug_is_always_a_safe_file_name_part(title):
    slug = slugify(title)
    assert slug and len(slug) <= 48
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")
