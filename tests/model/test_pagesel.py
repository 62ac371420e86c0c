"""Page selections: the forms a clerk writes, and the mistakes they make."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packbuilder.model.pagesel import PageSelectionError, parse_page_selection


@pytest.mark.parametrize(
    "text,count,expected",
    [
        ("1-3, 7", 10, [0, 1, 2, 6]),
        ("4", 4, [3]),
        (4, 4, [3]),
        ("2-end", 4, [1, 2, 3]),
        ("2 - END", 3, [1, 2]),
        (" 3 ,1 ", 3, [2, 0]),
    ],
)
def test_valid_selections(text, count, expected):
    assert parse_page_selection(text).indices(count) == expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "empty"),
        ("0", "numbered from 1"),
        ("0-2", "numbered from 1"),
        ("5-3", "backwards"),
        ("1-3,,7", "empty entry between two commas"),
        ("1-3,", "empty entry between two commas"),
        ("a-b", "is not a page"),
        ("1.5", "is not a page"),
        ("-3", "is not a page"),
    ],
)
def test_malformed_selections(text, message):
    with pytest.raises(PageSelectionError, match=message):
        parse_page_selection(text)


def test_selection_outside_document_names_the_page_and_length():
    selection = parse_page_selection("1-3, 12")
    with pytest.raises(PageSelectionError, match="page 12 is outside the document, which has 11"):
        selection.indices(11)


@given(st.text(max_size=30), st.integers(0, 50))
def test_fuzz_only_page_selection_errors_escape(text, count):
    try:
        selection = parse_page_selection(text)
    except PageSelectionError:
        return
    try:
        indices = selection.indices(count)
    except PageSelectionError:
        return
    assert all(0 <= i < count for i in indices)
